;; Functions with the same type and the same body: the compiler folds each
;; later one into the first (it becomes a jump to it). Called directly and
;; through the table, recursing through the first, and beside a function
;; with the same body bytes but another type (not folded), they compute
;; what they would apart: exit status 99.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (type $un (func (param i32) (result i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (global $calls (mut i32) (i32.const 0))
  (table 4 funcref)
  (elem (i32.const 0) $a $b $fact1 $fact2)
  (func $a (type $un) (i32.div_u (call $odd (local.get 0)) (local.get 0)))
  (func $b (type $un) (i32.div_u (call $odd (local.get 0)) (local.get 0)))
  (func $d (type $bin) (i32.div_u (call $odd (local.get 0)) (local.get 0)))
  (func $odd (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (i32.mul (local.get 0) (i32.const 2)) (i32.const 1)))
  (func $fact1 (type $un)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (i32.mul (local.get 0) (call $fact1 (i32.sub (local.get 0) (i32.const 1)))))))
  (func $fact2 (type $un)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (i32.mul (local.get 0) (call $fact1 (i32.sub (local.get 0) (i32.const 1)))))))
  (func $main (export "_start")
    (call $proc_exit
      (i32.add
        (i32.add
          (i32.add (call $a (i32.const 1))                              ;; 3
                   (i32.mul (call $b (i32.const 3)) (i32.const 10)))    ;; 20
          (i32.add (i32.mul (call $d (i32.const 5) (i32.const 9)) (i32.const 20)) ;; 40
                   (call_indirect (type $un) (i32.const 7) (i32.const 1))))       ;; 2
        (i32.add
          (i32.add (call $fact2 (i32.const 4))                          ;; 24
                   (call_indirect (type $un) (i32.const 3) (i32.const 3)))        ;; 6
          (global.get $calls))))                                        ;; 4
    unreachable))
