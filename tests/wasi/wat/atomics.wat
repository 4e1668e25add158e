;; The threads proposal's atomic instructions on unshared memories, as C++
;; code built with atomics uses them: loads, stores, every read-modify-write
;; and compare-exchange at each width, on memory 0, on a second memory and
;; on a 64-bit memory; `memory.atomic.notify` returns 0 (no one can wait on
;; an unshared memory); `atomic.fence`. Any check that fails is
;; `unreachable`; the last line is printed only when all passed.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $m0 (export "memory") 1)
  (memory $m1 1)
  (memory $m64 i64 1)
  (data (memory $m0) (i32.const 64) "atomics on unshared memories: ok\n")

  (func $check (param $ok i32)
    (if (i32.eqz (local.get $ok)) (then unreachable)))

  ;; A reference count, as std::shared_ptr keeps one.
  (func $retain (param $p i32) (result i32)
    (i32.atomic.rmw.add (local.get $p) (i32.const 1)))
  (func $release (param $p i32) (result i32)
    (i32.atomic.rmw.sub (local.get $p) (i32.const 1)))

  (func $main (export "_start")
    ;; Memory 0: a counter taken up and down, an initialisation flag.
    (i32.atomic.store (i32.const 1024) (i32.const 5))
    (call $check (i32.eq (call $retain (i32.const 1024)) (i32.const 5)))
    (call $check (i32.eq (call $retain (i32.const 1024)) (i32.const 6)))
    (call $check (i32.eq (call $release (i32.const 1024)) (i32.const 7)))
    (call $check (i32.eq (i32.atomic.load (i32.const 1024)) (i32.const 6)))
    (call $check (i32.eqz (i32.atomic.load8_u (i32.const 1030))))
    (i32.atomic.store8 (i32.const 1030) (i32.const 0x101))
    (call $check (i32.eq (i32.atomic.load8_u (i32.const 1030)) (i32.const 1)))
    (atomic.fence)

    ;; Narrow read-modify-writes wrap at their width and zero-extend.
    (i64.atomic.store (i32.const 2048) (i64.const 0x11223344556677ff))
    (call $check (i32.eq (i32.atomic.rmw8.add_u (i32.const 2048) (i32.const 2)) (i32.const 0xff)))
    (call $check (i64.eq (i64.atomic.load (i32.const 2048)) (i64.const 0x1122334455667701)))
    (call $check (i64.eq (i64.atomic.rmw16.and_u offset=2 (i32.const 2048) (i64.const 0xff00))
                         (i64.const 0x5566)))
    (call $check (i64.eq (i64.atomic.rmw32.or_u offset=4 (i32.const 2048) (i64.const 0x0f))
                         (i64.const 0x11223344)))
    (call $check (i32.eq (i32.atomic.rmw16.xor_u (i32.const 2048) (i32.const 0xffff))
                         (i32.const 0x7701)))
    (call $check (i64.eq (i64.atomic.rmw.xchg (i32.const 2048) (i64.const -1))
                         (i64.const 0x1122334f550088fe)))
    (call $check (i64.eq (i64.atomic.load32_u (i32.const 2052)) (i64.const 0xffffffff)))

    ;; compare-exchange: stores only on a match; narrow forms compare the
    ;; expected value wrapped to their width.
    (call $check (i32.eq (i32.atomic.rmw.cmpxchg (i32.const 1024) (i32.const 0) (i32.const 9))
                         (i32.const 6)))
    (call $check (i32.eq (i32.atomic.load (i32.const 1024)) (i32.const 6)))
    (call $check (i32.eq (i32.atomic.rmw.cmpxchg (i32.const 1024) (i32.const 6) (i32.const 9))
                         (i32.const 6)))
    (call $check (i32.eq (i32.atomic.load (i32.const 1024)) (i32.const 9)))
    (call $check (i32.eq (i32.atomic.rmw8.cmpxchg_u (i32.const 1024) (i32.const 0x309) (i32.const 0x42))
                         (i32.const 9)))
    (call $check (i32.eq (i32.atomic.load (i32.const 1024)) (i32.const 0x42)))

    ;; A second memory keeps its own values.
    (i32.atomic.store $m1 (i32.const 1024) (i32.const 100))
    (call $check (i32.eq (i32.atomic.rmw.add $m1 (i32.const 1024) (i32.const 1)) (i32.const 100)))
    (call $check (i32.eq (i32.atomic.load $m1 (i32.const 1024)) (i32.const 101)))
    (call $check (i32.eq (i32.atomic.load (i32.const 1024)) (i32.const 0x42)))

    ;; A 64-bit memory, up to its last bytes.
    (i64.atomic.store $m64 (i64.const 65528) (i64.const 7))
    (call $check (i64.eq (i64.atomic.rmw.sub $m64 (i64.const 65528) (i64.const 3)) (i64.const 7)))
    (call $check (i64.eq (i64.atomic.rmw.cmpxchg $m64 (i64.const 65528) (i64.const 4) (i64.const 8))
                         (i64.const 4)))
    (call $check (i64.eq (i64.atomic.load $m64 (i64.const 65528)) (i64.const 8)))

    ;; Nobody waits on an unshared memory.
    (call $check (i32.eqz (memory.atomic.notify (i32.const 1024) (i32.const 1))))

    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 33))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
