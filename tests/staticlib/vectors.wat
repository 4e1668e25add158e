;; v128 values through the C API: by pointer in, through the result struct out.
(module
  (func (export "vadd") (param v128 v128) (result v128) local.get 0 local.get 1 i32x4.add)
  (func (export "vsum") (param v128) (result i32 i64)
    local.get 0 i32x4.extract_lane 0 local.get 0 i32x4.extract_lane 3 i64.extend_i32_s)
  (func (export "tr") (param i32) (result v128) local.get 0 i32.const 0 i32.div_u drop v128.const i32x4 1 2 3 4))
