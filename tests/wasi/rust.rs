// Rust std on wasm32-wasi: collections, formatting, args, env, stdin-free
// I/O, a file round trip skipped (no grant), and an exit code through
// std::process::exit.
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;

fn fib(n: u64) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        let t = a.wrapping_add(b);
        a = b;
        b = t;
    }
    a
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("hello from Rust, args {:?}", args);

    let mut words: HashMap<String, usize> = HashMap::new();
    for w in "one two three two three three".split_whitespace() {
        *words.entry(w.to_string()).or_default() += 1;
    }
    let sorted: BTreeMap<_, _> = words.into_iter().collect();
    println!("counts {:?}", sorted);

    let v: Vec<u64> = (0..90).map(fib).collect();
    println!("fib(89) = {}, sum = {}", v[89], v.iter().fold(0u64, |a, &b| a.wrapping_add(b)));

    let mut s = String::new();
    for x in [1.5f64, -0.1, 1e21, 2.0f64.sqrt(), f64::MAX] {
        write!(s, "{} {:.3} {:e}|", x, x, x).unwrap();
    }
    println!("{}", s);

    let mut boxed: Vec<Box<dyn Fn(i32) -> i32>> = Vec::new();
    for k in 1..4 {
        boxed.push(Box::new(move |x| x * k));
    }
    println!("closures {:?}", boxed.iter().map(|f| f(10)).collect::<Vec<_>>());

    println!("HOME is {:?}", std::env::var("HOME").ok());
    println!("open /etc/passwd: {}", if std::fs::read("/etc/passwd").is_ok() { "ALLOWED" } else { "denied" });

    let code = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
    std::io::stdout().flush().unwrap();
    std::process::exit(code);
}
