//! Reading the compiled module's metadata arrays.

use wasi_aot_abi::Slice;

/// A metadata array of the compiled module (`ModuleInfo` and the
/// structures it points to) as a slice.
pub fn slice<T>(s: Slice<T>) -> &'static [T] {
    if s.len == 0 {
        return &[];
    }
    // SAFETY: the compiler emits `len` initialised records at `ptr` in
    // read-only data that lives as long as the module: for an executable the
    // whole process, for a hosted module as long as its image, which its
    // host keeps mapped while anything of the module runs or is looked up.
    unsafe { core::slice::from_raw_parts(s.ptr, s.len as usize) }
}
