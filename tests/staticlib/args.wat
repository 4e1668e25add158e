;; Signatures around the registers of the C calling convention: exports
;; with up to five integer and eight float parameters (whose C functions go
;; straight to the runtime's call routine) and more (through the array-call
;; trampoline), and an import with arguments on the stack, which calls back
;; into the instance. Each function weighs its k-th argument by k.
(module
  (import "host" "many" (func $many
    (param i32 i64 i32 i64 i32 i64 i32 f64 f32 f64 f32 f64 f32 f64 f32 f64 f32) (result i64)))
  (func (export "five") (param i32 i64 i32 i64 i32) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_s (local.get 0)) (i64.mul (local.get 1) (i64.const 2)))
      (i64.add
        (i64.add (i64.extend_i32_s (i32.mul (local.get 2) (i32.const 3)))
                 (i64.mul (local.get 3) (i64.const 4)))
        (i64.extend_i32_s (i32.mul (local.get 4) (i32.const 5))))))
  (func (export "six") (param i32 i64 i32 i64 i32 i64) (result i64)
    (i64.add
      (i64.add
        (i64.add (i64.extend_i32_s (local.get 0)) (i64.mul (local.get 1) (i64.const 2)))
        (i64.add (i64.extend_i32_s (i32.mul (local.get 2) (i32.const 3)))
                 (i64.mul (local.get 3) (i64.const 4))))
      (i64.add (i64.extend_i32_s (i32.mul (local.get 4) (i32.const 5)))
               (i64.mul (local.get 5) (i64.const 6)))))
  (func (export "eight") (param f64 f32 f64 f32 f64 f32 f64 f32) (result f64)
    (f64.add
      (f64.add
        (f64.add (local.get 0) (f64.mul (f64.promote_f32 (local.get 1)) (f64.const 2)))
        (f64.add (f64.mul (local.get 2) (f64.const 3))
                 (f64.mul (f64.promote_f32 (local.get 3)) (f64.const 4))))
      (f64.add
        (f64.add (f64.mul (local.get 4) (f64.const 5))
                 (f64.mul (f64.promote_f32 (local.get 5)) (f64.const 6)))
        (f64.add (f64.mul (local.get 6) (f64.const 7))
                 (f64.mul (f64.promote_f32 (local.get 7)) (f64.const 8))))))
  (func (export "nine") (param f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64)
    (f64.add
      (f64.add
        (f64.add (local.get 0) (f64.mul (local.get 1) (f64.const 2)))
        (f64.add (f64.mul (local.get 2) (f64.const 3)) (f64.mul (local.get 3) (f64.const 4))))
      (f64.add
        (f64.add (f64.mul (local.get 4) (f64.const 5)) (f64.mul (local.get 5) (f64.const 6)))
        (f64.add
          (f64.add (f64.mul (local.get 6) (f64.const 7)) (f64.mul (local.get 7) (f64.const 8)))
          (f64.mul (local.get 8) (f64.const 9))))))
  (func (export "fsub") (param f32 f32) (result f32) (f32.sub (local.get 0) (local.get 1)))
  ;; An exception: uncaught, it ends the call like a trap.
  (tag $oops (param i32))
  (func $raise (param i32) (result i32)
    (if (local.get 0) (then (throw $oops (local.get 0))))
    (local.get 0))
  (func (export "throws") (param i32) (result i32) (call $raise (local.get 0)))
  (func (export "catches") (param i32) (result i32)
    (i32.add
      (block $caught (result i32)
        (try_table (catch $oops $caught) (return (call $raise (local.get 0))))
        (unreachable))
      (i32.const 100)))
  ;; 50 / x as a double: x = 0 traps.
  (func (export "half") (param i32) (result f64)
    (f64.convert_i32_s (i32.div_s (i32.const 50) (local.get 0))))
  ;; many(x, x+1, ..., x+6, then x+7 ... x+16 as floats)
  (func (export "call_many") (param $x i32) (result i64)
    (call $many
      (local.get $x)
      (i64.extend_i32_s (i32.add (local.get $x) (i32.const 1)))
      (i32.add (local.get $x) (i32.const 2))
      (i64.extend_i32_s (i32.add (local.get $x) (i32.const 3)))
      (i32.add (local.get $x) (i32.const 4))
      (i64.extend_i32_s (i32.add (local.get $x) (i32.const 5)))
      (i32.add (local.get $x) (i32.const 6))
      (f64.convert_i32_s (i32.add (local.get $x) (i32.const 7)))
      (f32.convert_i32_s (i32.add (local.get $x) (i32.const 8)))
      (f64.convert_i32_s (i32.add (local.get $x) (i32.const 9)))
      (f32.convert_i32_s (i32.add (local.get $x) (i32.const 10)))
      (f64.convert_i32_s (i32.add (local.get $x) (i32.const 11)))
      (f32.convert_i32_s (i32.add (local.get $x) (i32.const 12)))
      (f64.convert_i32_s (i32.add (local.get $x) (i32.const 13)))
      (f32.convert_i32_s (i32.add (local.get $x) (i32.const 14)))
      (f64.convert_i32_s (i32.add (local.get $x) (i32.const 15)))
      (f32.convert_i32_s (i32.add (local.get $x) (i32.const 16))))))
