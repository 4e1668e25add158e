;; Found by `smith proposals` (seeds 119 and 129): an exception thrown by a
;; generated function that nothing catches. wasi-aot ends the program as a
;; trap ("wasm trap: uncaught exception", status 134); wasmtime 49 ends it
;; with status 1 and "thrown Wasm exception". A deliberate difference, listed
;; in the README; the comparison takes the two as the same ending (`run` in
;; diff.rs). The exception caught inside the module must not end it.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "caught\n")
  (tag $e (param i32))
  (func $throw (param i32)
    (throw $e (local.get 0)))
  (func (export "_start")
    (block $handler (result i32)
      (try_table (catch $e $handler)
        (call $throw (i32.const 1)))
      (i32.const 0))
    (drop)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $throw (i32.const 2))))
