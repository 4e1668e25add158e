;; A 64-bit table (memory64's table64): i64 indices for call_indirect,
;; table.get/set/size/grow/fill/copy and an element segment at an i64
;; offset. The last call_indirect's index, 2^32 + 1, is out of bounds: it
;; must not be truncated to 1 (a valid entry) but trap with "undefined
;; element". Any check that fails is `unreachable`.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "called 1\ncalled 2\ntable64 ok\n")
  (type $void (func))
  (table $t i64 4 8 funcref)
  (table $u i64 0 funcref)
  (elem (table $t) (i64.const 1) func $one $two)

  ;; Writes `len` bytes at `at` to stdout.
  (func $print (param $at i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $one (call $print (i32.const 64) (i32.const 9)))
  (func $two (call $print (i32.const 73) (i32.const 9)))

  (func $check (param $ok i32)
    (if (i32.eqz (local.get $ok)) (then unreachable)))

  (func $call_at (param $i i64)
    (call_indirect $t (type $void) (local.get $i)))

  (func $main (export "_start")
    (call $call_at (i64.const 1))
    (call $call_at (i64.const 2))

    (call $check (i64.eq (table.size $t) (i64.const 4)))
    (call $check (i64.eq (table.grow $t (ref.null func) (i64.const 2)) (i64.const 4)))
    (call $check (i64.eq (table.size $t) (i64.const 6)))
    (call $check (i64.eq (table.grow $t (ref.null func) (i64.const 3)) (i64.const -1)))
    (call $check (i64.eq (table.grow $t (ref.null func) (i64.const 0x1_0000_0000)) (i64.const -1)))

    ;; Copy entries 1 and 2 to 4 and 5, through a 64-bit table of its own.
    (call $check (i64.eq (table.grow $u (ref.null func) (i64.const 2)) (i64.const 0)))
    (table.copy $u $t (i64.const 0) (i64.const 1) (i64.const 2))
    (table.copy $t $u (i64.const 4) (i64.const 0) (i64.const 2))
    (call $check (ref.is_null (table.get $t (i64.const 3))))
    (call $check (i32.eqz (ref.is_null (table.get $t (i64.const 5)))))
    (table.set $t (i64.const 3) (table.get $t (i64.const 4)))
    (table.fill $t (i64.const 0) (ref.null func) (i64.const 1))
    (call $check (ref.is_null (table.get $t (i64.const 0))))
    (call $print (i32.const 82) (i32.const 11))

    (call $call_at (i64.const 0x1_0000_0001))))
