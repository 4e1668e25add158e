;; Found by `smith core` (seed 14 and others): a generated function reaching
;; `unreachable`. Both engines trap; wasi-aot says "unreachable executed" (the
;; spec's message), wasmtime "wasm `unreachable` instruction executed". The
;; comparison takes the two as the same trap (`same_ending` in diff.rs).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "before\n")
  (func $f (param i32) (result i32)
    (if (local.get 0) (then (unreachable)))
    (i32.const 7))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $f (i32.const 1)))
    ;; Not reached: the trap ends the program on both sides.
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
