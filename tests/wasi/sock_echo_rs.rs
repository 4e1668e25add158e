// The echo server of sock_echo.c written with Rust's standard library
// (wasm32-wasi): the `--tcplisten` socket at fd 3 becomes a `TcpListener`,
// made blocking (`fd_fdstat_set_flags`), and serves argv[1] connections
// (default 1) one after the other through `sock_accept`, `sock_recv` and
// `sock_send`. Prints "ready" once listening, one line per connection, and
// exits with status 1 when fd 3 is not a granted socket.
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::wasi::io::FromRawFd;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    // SAFETY: fd 3 is the granted socket, owned by nothing else here.
    let listener = unsafe { TcpListener::from_raw_fd(3) };
    if let Err(e) = listener.set_nonblocking(false) {
        println!("set_nonblocking(false): {}", e);
        std::process::exit(1);
    }
    println!("ready");
    std::io::stdout().flush().expect("flush");
    for i in 1..=n {
        let mut stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) => {
                println!("accept: {}", e);
                std::process::exit(1);
            }
        };
        let mut buf = vec![0u8; 65536];
        let mut total = 0;
        loop {
            let k = stream.read(&mut buf).expect("read");
            if k == 0 {
                break;
            }
            stream.write_all(&buf[..k]).expect("write");
            total += k;
        }
        // Closing the stream ends the client's read (this std has no
        // shutdown on wasi).
        drop(stream);
        println!("connection {}: echoed {} bytes", i, total);
        std::io::stdout().flush().expect("flush");
    }
    println!("done");
}
