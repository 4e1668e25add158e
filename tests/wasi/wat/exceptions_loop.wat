;; Throws and catches 50 million exceptions, each with a payload, and
;; checks every payload: even iterations throw from a called function (the
;; runtime finds the handler), odd ones inside the catching function
;; (compiled code jumps to it). Nothing keeps an `exnref`, so the runtime
;; reuses the memory of every caught exception: the run stays within a few
;; megabytes. Exit status 0 when every payload was right, else 1.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (tag $e (param i32 i64))
  (memory (export "memory") 1)
  (func $thrower (param $i i32)
    (throw $e (local.get $i) (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 3))))
  ;; The payload of exception number $i, caught here.
  (func $catch (param $i i32) (result i32 i64)
    (block $h (result i32 i64)
      (try_table (catch $e $h)
        (if (i32.and (local.get $i) (i32.const 1))
          (then (throw $e (local.get $i)
                  (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 3))))
          (else (call $thrower (local.get $i)))))
      (call $exit (i32.const 1))
      (unreachable)))
  (func (export "_start")
    (local $i i32) (local $v i64)
    (loop $again
      (call $catch (local.get $i))
      (local.set $v)
      (if (i32.ne (local.get $i))
        (then (call $exit (i32.const 1))))
      (if (i64.ne (local.get $v) (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 3)))
        (then (call $exit (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 50000000))))
    (call $exit (i32.const 0))))
