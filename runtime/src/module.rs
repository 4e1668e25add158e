//! The one module an executable runs: its description, a static the
//! compiled object defines, and its instance context.
//!
//! Start-up (`start.rs`), the fault handler (`fault.rs`) and WASI's guest
//! memory access (`wasi/guest.rs`) all read the module through here, so
//! none of them depends on another for it.

use wasi_aot_abi::{ModuleInfo, VMContext};

unsafe extern "C" {
    /// Defined by the compiled module object.
    static wasi_aot_module_info: ModuleInfo;
}

/// The module description (a static defined by the compiled object).
pub fn module_info() -> &'static ModuleInfo {
    // SAFETY: the symbol is immutable data emitted by the compiler and lives
    // for the whole process.
    unsafe { &*core::ptr::addr_of!(wasi_aot_module_info) }
}

/// The instance context.
pub fn vmctx() -> *mut VMContext {
    module_info().vmctx
}
