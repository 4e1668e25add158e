//! Two instances of the checksum library, called from Rust. The
//! declarations below match the header build.rs generates
//! (`$OUT_DIR/checksum.h`). Exits 1 when a result is not the expected one.

use std::ffi::{CStr, c_char, c_void};
use std::process::ExitCode;
use std::ptr;

/// `checksum` in the header: an instance, only ever used through pointers.
#[repr(C)]
struct Checksum {
    _opaque: [u8; 0],
}

unsafe extern "C" {
    /// `checksum *checksum_new(const checksum_config *config)`: NULL config,
    /// no grants but stdio.
    fn checksum_new(config: *const c_void) -> *mut Checksum;
    fn checksum_free(instance: *mut Checksum);
    fn checksum_trap(instance: *const Checksum) -> *const c_char;
    fn checksum_memory(instance: *mut Checksum, length: *mut usize) -> *mut u8;
    fn checksum_set_user_data(instance: *mut Checksum, data: *mut c_void);
    fn checksum_user_data(instance: *const Checksum) -> *mut c_void;
    fn checksum_fletcher16(instance: *mut Checksum, p0: i32, p1: i32) -> i32;
    fn checksum_calls(instance: *mut Checksum) -> i32;
    fn checksum_divide(instance: *mut Checksum, p0: i32, p1: i32) -> i32;
}

/// The module's import `host.progress`: the library calls it with the
/// number of bytes done; a nonzero result lets it go on.
#[unsafe(no_mangle)]
extern "C" fn checksum_import_host_progress(instance: *mut Checksum, done: i32) -> i32 {
    // SAFETY: the user data of every instance is a `u32` counter of main's.
    let reports = unsafe { &mut *checksum_user_data(instance).cast::<u32>() };
    *reports += 1;
    i32::from(done < 8192)
}

/// An instance: created with no grants, freed when dropped.
struct Instance(*mut Checksum);

impl Instance {
    fn new(reports: &mut u32) -> Instance {
        // SAFETY: a NULL configuration is allowed.
        let raw = unsafe { checksum_new(ptr::null()) };
        assert!(!raw.is_null(), "checksum_new failed");
        // SAFETY: a live instance; the counter outlives it (main's).
        unsafe { checksum_set_user_data(raw, ptr::from_mut(reports).cast()) };
        Instance(raw)
    }

    /// Copies `bytes` into the instance's memory at `at` and sums them there.
    fn fletcher16(&self, at: usize, bytes: &[u8]) -> i32 {
        let mut length = 0;
        // SAFETY: a live instance; memory 0 is `length` bytes at the address.
        unsafe {
            let memory = checksum_memory(self.0, &mut length);
            assert!(at + bytes.len() <= length, "the text does not fit");
            ptr::copy_nonoverlapping(bytes.as_ptr(), memory.add(at), bytes.len());
            checksum_fletcher16(self.0, at as i32, bytes.len() as i32)
        }
    }

    /// Why the last call trapped, if it did.
    fn trap(&self) -> Option<String> {
        // SAFETY: a live instance; the message is NUL-terminated.
        unsafe {
            let message = checksum_trap(self.0);
            (!message.is_null()).then(|| CStr::from_ptr(message).to_string_lossy().into_owned())
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: a live instance, not used again.
        unsafe { checksum_free(self.0) };
    }
}

fn main() -> ExitCode {
    let (mut reports_a, mut reports_b) = (0u32, 0u32);
    let a = Instance::new(&mut reports_a);
    let b = Instance::new(&mut reports_b);
    let mut failures = 0;
    let mut expect = |what: &str, got: String, want: &str| {
        println!("{what}: {got}");
        if got != want {
            eprintln!("{what}: expected {want}");
            failures += 1;
        }
    };
    let text = b"abcde";
    expect(
        "a: fletcher16(abcde)",
        format!("{:#06x}", a.fletcher16(0, text)),
        "0xc8f0",
    );
    let big = vec![1u8; 10000];
    expect(
        "b: fletcher16 of 10000 ones, stopped after 8192",
        format!("{:#06x}", b.fletcher16(16, &big)),
        "0x1220",
    );
    // SAFETY: live instances.
    let (calls_a, calls_b) = unsafe { (checksum_calls(a.0), checksum_calls(b.0)) };
    expect("calls", format!("a {calls_a}, b {calls_b}"), "a 1, b 1");
    // SAFETY: a live instance.
    let quotient = unsafe { checksum_divide(a.0, 7, 0) };
    expect(
        "a: 7 / 0",
        format!("{quotient}, {:?}", a.trap()),
        "0, Some(\"integer divide by zero\")",
    );
    // SAFETY: a live instance.
    let quotient = unsafe { checksum_divide(a.0, 7, 2) };
    expect("a: 7 / 2", format!("{quotient}, {:?}", a.trap()), "3, None");
    drop((a, b));
    expect(
        "progress reports",
        format!("a {reports_a}, b {reports_b}"),
        "a 0, b 2",
    );
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
