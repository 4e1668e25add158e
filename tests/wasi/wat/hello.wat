;; A hand-written WASI command: writes one line with fd_write and exits with
;; status 42 through proc_exit. Tests .wat input and proc_exit without libc.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; iovec { buf = 16, len = 15 } at 0; the text at 16.
  (data (i32.const 0) "\10\00\00\00\0f\00\00\00")
  (data (i32.const 16) "hello from wat\n")
  (func $main (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 42))
    unreachable))
