;; An atomic access whose address is not a multiple of its size traps with
;; "unaligned atomic" (a plain load at the same address is fine); with an
;; argument, `memory.atomic.wait32` on this unshared memory traps instead
;; ("expected shared memory": no thread could ever wake it). argv is read
;; through `args_sizes_get`: one argument means "wait".
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "before the trap\n")

  (func $rmw_at (param $addr i32) (result i32)
    (i32.atomic.rmw.add offset=4 (local.get $addr) (i32.const 1)))

  (func $wait_at (param $addr i32) (result i32)
    (memory.atomic.wait32 (local.get $addr) (i32.const 0) (i64.const 0)))

  (func $main (export "_start")
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (i32.load (i32.const 1026)))
    (drop (call $rmw_at (i32.const 1020)))
    (if (i32.gt_u (i32.load (i32.const 16)) (i32.const 1))
      (then (drop (call $wait_at (i32.const 1024)))))
    ;; 1026 + 4 is not a multiple of 4.
    (drop (call $rmw_at (i32.const 1026)))))
