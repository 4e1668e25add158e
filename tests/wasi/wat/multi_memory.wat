;; Three memories in one executable. WASI functions read memory 0 only, so
;; the text starts out in memory 1 (placed there by a data segment) and is
;; copied over with a memory.copy between memories; memory 2 starts empty,
;; grows, and keeps its own bytes. Any check that fails is `unreachable`.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $m0 (export "memory") 1)
  (memory $m1 2)
  (memory $m2 0 4)
  (data (memory $m1) (i32.const 70000) "two memories, one program\n")
  (data (memory $m2) (i32.const 0) "")

  ;; Writes `len` bytes at 64 of memory 0 to stdout.
  (func $print (param $len i32)
    (i32.store $m0 (i32.const 0) (i32.const 64))
    (i32.store $m0 (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $check (param $ok i32)
    (if (i32.eqz (local.get $ok)) (then unreachable)))

  (func $main (export "_start")
    ;; Memory 1 to memory 0.
    (memory.copy $m0 $m1 (i32.const 64) (i32.const 70000) (i32.const 26))
    (call $print (i32.const 26))

    ;; Each memory has its own size; memory 2 grows from 0 to 3 pages, and
    ;; past its maximum of 4 it does not.
    (call $check (i32.eq (memory.size $m0) (i32.const 1)))
    (call $check (i32.eq (memory.size $m1) (i32.const 2)))
    (call $check (i32.eq (memory.grow $m2 (i32.const 3)) (i32.const 0)))
    (call $check (i32.eq (memory.size $m2) (i32.const 3)))
    (call $check (i32.eq (memory.grow $m2 (i32.const 2)) (i32.const -1)))

    ;; The same address in three memories holds three different values.
    (i32.store $m0 (i32.const 1000) (i32.const 10))
    (i32.store $m1 (i32.const 1000) (i32.const 11))
    (i32.store $m2 (i32.const 1000) (i32.const 12))
    (call $check (i32.eq (i32.load $m0 (i32.const 1000)) (i32.const 10)))
    (call $check (i32.eq (i32.load $m1 (i32.const 1000)) (i32.const 11)))
    (call $check (i32.eq (i32.load $m2 (i32.const 1000)) (i32.const 12)))

    ;; The last bytes of the grown memory 2, filled and read back.
    (memory.fill $m2 (i32.const 196600) (i32.const 0x5a) (i32.const 8))
    (call $check (i64.eq (i64.load $m2 (i32.const 196600)) (i64.const 0x5a5a5a5a5a5a5a5a)))

    ;; Bytes copied from memory 2 to memory 0 are printed.
    (i64.store $m2 (i32.const 2000) (i64.const 0x0a6b6f2032206d))
    (memory.copy $m0 $m2 (i32.const 64) (i32.const 2000) (i32.const 7))
    (call $print (i32.const 7))))
