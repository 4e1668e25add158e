;; The library: sums bytes the host wrote into its memory, reports progress
;; to the host through an import, and keeps a count of calls per instance.
(module
  (import "host" "progress" (func $progress (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  ;; Fletcher-16 of the `len` bytes at `ptr`; calls host.progress with the
  ;; number of bytes done after every 4096 (and stops when it returns 0).
  (func (export "fletcher16") (param $ptr i32) (param $len i32) (result i32)
    (local $a i32) (local $b i32) (local $i i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $a (i32.rem_u
          (i32.add (local.get $a) (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
          (i32.const 255)))
        (local.set $b (i32.rem_u (i32.add (local.get $b) (local.get $a)) (i32.const 255)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eqz (i32.and (local.get $i) (i32.const 4095)))
          (then (br_if $done (i32.eqz (call $progress (local.get $i))))))
        (br $next)))
    (i32.or (i32.shl (local.get $b) (i32.const 8)) (local.get $a)))
  (func (export "calls") (result i32) (global.get $calls))
  (func (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
