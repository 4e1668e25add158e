;; A library module for the static-library tests: traps of every kind, a
;; global and a memory per instance, a host import, several results.
(module
  (import "env" "log" (func $log (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "bump") (result i32) global.get $g i32.const 1 i32.add global.set $g global.get $g)
  (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  (func $rec (export "recurse") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)
  (func (export "unreach") unreachable)
  (func (export "callhost") (param i32) (result i32) local.get 0 call $log)
  (func (export "f64mul") (param f64 f64) (result f64) local.get 0 local.get 1 f64.mul)
  (func (export "two") (param i64) (result i64 f32) local.get 0 f32.const 1.5)
)
