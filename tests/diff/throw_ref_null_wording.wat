;; Found by `smith proposals` (seed 2082): `throw_ref` of a null `exnref`.
;; Both engines trap; wasi-aot says "null exception reference" (the spec's
;; message), wasmtime "null reference". The comparison takes the two as the
;; same trap (`same_ending` in diff.rs).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "before\n")
  (func $rethrow (param exnref)
    (throw_ref (local.get 0)))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $rethrow (ref.null exn))))
