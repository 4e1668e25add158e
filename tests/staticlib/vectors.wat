;; v128 values and several results through the C API, both ways: exports
;; take a v128 by pointer and return through a result struct; imports get
;; their v128 arguments by pointer and fill in a result struct.
(module
  (type $dm (func (param i32 i32) (result i32 i32)))
  (import "host" "vscale" (func $vscale (param v128 i32) (result v128)))
  (import "host" "divmod" (func $divmod (type $dm)))
  (import "host" "mix" (func $mix (param f64 v128 f32 v128) (result f32 v128 i64)))
  (import "host" "many"
    (func $many (param i64 i64 i64 i64 i64 i64 i64 v128) (result i64 i64)))
  (table funcref (elem $divmod))
  (func (export "vadd") (param v128 v128) (result v128) local.get 0 local.get 1 i32x4.add)
  (func (export "vsum") (param v128) (result i32 i64)
    local.get 0 i32x4.extract_lane 0 local.get 0 i32x4.extract_lane 3 i64.extend_i32_s)
  (func (export "tr") (param i32) (result v128) local.get 0 i32.const 0 i32.div_u drop v128.const i32x4 1 2 3 4)
  (func (export "scale") (param v128 i32) (result v128)
    local.get 0 local.get 1 call $vscale)
  ;; The same import called directly, through the table (its import thunk)
  ;; and as a tail call.
  (func (export "dm") (param i32 i32) (result i32 i32) local.get 0 local.get 1 call $divmod)
  (func (export "dm_indirect") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1 i32.const 0 call_indirect (type $dm))
  (func (export "dm_tail") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1 return_call $divmod)
  (func (export "mix") (param f64 f32) (result f32 i64 i32) (local $r f32) (local $v v128) (local $n i64)
    local.get 0 v128.const i32x4 1 2 3 4 local.get 1 v128.const i32x4 10 20 30 40 call $mix
    local.set $n local.set $v local.set $r
    local.get $r local.get $n local.get $v i32x4.extract_lane 1)
  ;; Nine C arguments after the instance: the last ones on the stack.
  (func (export "many") (result i64 i64)
    i64.const 1 i64.const 2 i64.const 3 i64.const 4 i64.const 5 i64.const 6 i64.const 7
    v128.const i64x2 100 200 call $many))
