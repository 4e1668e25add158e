;; SIMD: v128 values are `i8x16`; an operator bitcasts its operands to its
;; lane type and its result back (a vector bitcast lowers to no instruction
;; on x86-64, so they cost nothing). The operators without a
;; one-instruction Cranelift equivalent are emitted in the shapes the x86-64
;; backend lowers to one instruction: `dot` and `extadd_pairwise` as
;; `iadd_pairwise` of widened halves, `pmin` as compare-and-select, and
;; `trunc_sat_f64x2_*_zero` as a saturating conversion narrowed against a
;; zero vector (the only shape x86-64 lowers; the optimized CLIF must keep
;; it). Memory forms use the scalar addressing and the heap trap code.
(module
  (memory 1)
  (func $i32x4_add (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func $chain (param v128 v128) (result v128)
    (f32x4.mul (i32x4.add (local.get 0) (local.get 1)) (local.get 1)))
  (func $dot (param v128 v128) (result v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))
  (func $extadd_u (param v128) (result v128) (i16x8.extadd_pairwise_i8x16_u (local.get 0)))
  (func $pmin (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1)))
  (func $trunc_s_zero (param v128) (result v128) (i32x4.trunc_sat_f64x2_s_zero (local.get 0)))
  (func $trunc_u_zero (param v128) (result v128) (i32x4.trunc_sat_f64x2_u_zero (local.get 0)))
  (func $shl (param v128 i32) (result v128) (i8x16.shl (local.get 0) (local.get 1)))
  (func $load8x8_s (param i32) (result v128) (v128.load8x8_s offset=8 (local.get 0)))
  (func $load32_lane (param i32 v128) (result v128)
    (v128.load32_lane 3 (local.get 0) (local.get 1)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $i32x4_add (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @0042                               v5 = bitcast.i32x4 little v1
;; @0042                               v6 = bitcast.i32x4 little v0
;; @0042                               v7 = iadd v6, v5
;; @0042                               v8 = bitcast.i8x16 little v7
;; @0045                               jump block1(v8)
;;
;;                                 block1(v4: i8x16):
;; @0045                               return v4
;; }
;;
;; ; function 0 $i32x4_add (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;; @0045                               jump block1
;;
;;                                 block1:
;; @0042                               v6 = bitcast.i32x4 little v0
;; @0042                               v5 = bitcast.i32x4 little v1
;; @0042                               v7 = iadd v6, v5
;; @0042                               v8 = bitcast.i8x16 little v7
;; @0045                               return v8
;; }
;;
;; ; function 1 $chain (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @004c                               v5 = bitcast.i32x4 little v1
;; @004c                               v6 = bitcast.i32x4 little v0
;; @004c                               v7 = iadd v6, v5
;; @004c                               v8 = bitcast.i8x16 little v7
;; @0051                               v9 = bitcast.f32x4 little v1
;; @0051                               v10 = bitcast.f32x4 little v8
;; @0051                               v11 = fmul v10, v9
;; @0051                               v12 = bitcast.i8x16 little v11
;; @0054                               jump block1(v12)
;;
;;                                 block1(v4: i8x16):
;; @0054                               return v4
;; }
;;
;; ; function 1 $chain (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;; @0054                               jump block1
;;
;;                                 block1:
;; @004c                               v6 = bitcast.i32x4 little v0
;; @004c                               v5 = bitcast.i32x4 little v1
;; @004c                               v7 = iadd v6, v5
;; @004c                               v8 = bitcast.i8x16 little v7
;; @0051                               v10 = bitcast.f32x4 little v8
;; @0051                               v9 = bitcast.f32x4 little v1
;; @0051                               v11 = fmul v10, v9
;; @0051                               v12 = bitcast.i8x16 little v11
;; @0054                               return v12
;; }
;;
;; ; function 2 $dot (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @005b                               v5 = bitcast.i16x8 little v1
;; @005b                               v6 = bitcast.i16x8 little v0
;; @005b                               v7 = swiden_low v6
;; @005b                               v8 = swiden_low v5
;; @005b                               v9 = imul v7, v8
;; @005b                               v10 = swiden_high v6
;; @005b                               v11 = swiden_high v5
;; @005b                               v12 = imul v10, v11
;; @005b                               v13 = iadd_pairwise v9, v12
;; @005b                               v14 = bitcast.i8x16 little v13
;; @005e                               jump block1(v14)
;;
;;                                 block1(v4: i8x16):
;; @005e                               return v4
;; }
;;
;; ; function 2 $dot (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;; @005e                               jump block1
;;
;;                                 block1:
;; @005b                               v6 = bitcast.i16x8 little v0
;; @005b                               v7 = swiden_low v6
;; @005b                               v5 = bitcast.i16x8 little v1
;; @005b                               v8 = swiden_low v5
;; @005b                               v9 = imul v7, v8
;; @005b                               v10 = swiden_high v6
;; @005b                               v11 = swiden_high v5
;; @005b                               v12 = imul v10, v11
;; @005b                               v13 = iadd_pairwise v9, v12
;; @005b                               v14 = bitcast.i8x16 little v13
;; @005e                               return v14
;; }
;;
;; ; function 3 $extadd_u (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0063                               v4 = uwiden_low v0
;; @0063                               v5 = uwiden_high v0
;; @0063                               v6 = iadd_pairwise v4, v5
;; @0063                               v7 = bitcast.i8x16 little v6
;; @0065                               jump block1(v7)
;;
;;                                 block1(v3: i8x16):
;; @0065                               return v3
;; }
;;
;; ; function 3 $extadd_u (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16):
;; @0065                               jump block1
;;
;;                                 block1:
;; @0063                               v4 = uwiden_low.i8x16 v0
;; @0063                               v5 = uwiden_high.i8x16 v0
;; @0063                               v6 = iadd_pairwise v4, v5
;; @0063                               v7 = bitcast.i8x16 little v6
;; @0065                               return v7
;; }
;;
;; ; function 4 $pmin (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @006c                               v5 = bitcast.f32x4 little v1
;; @006c                               v6 = bitcast.f32x4 little v0
;; @006c                               v7 = fcmp lt v5, v6
;; @006c                               v8 = bitcast.f32x4 little v7
;; @006c                               v9 = bitselect v8, v5, v6
;; @006c                               v10 = bitcast.i8x16 little v9
;; @006f                               jump block1(v10)
;;
;;                                 block1(v4: i8x16):
;; @006f                               return v4
;; }
;;
;; ; function 4 $pmin (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i8x16, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i8x16):
;; @006f                               jump block1
;;
;;                                 block1:
;; @006c                               v5 = bitcast.f32x4 little v1
;; @006c                               v6 = bitcast.f32x4 little v0
;; @006c                               v7 = fcmp lt v5, v6
;; @006c                               v8 = bitcast.f32x4 little v7
;; @006c                               v9 = bitselect v8, v5, v6
;; @006c                               v10 = bitcast.i8x16 little v9
;; @006f                               return v10
;; }
;;
;; ; function 5 $trunc_s_zero (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;     const0 = 0x00000000000000000000000000000000
;;
;;                                 block0(v0: i8x16):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0074                               v4 = bitcast.f64x2 little v0
;; @0074                               v5 = vconst.i64x2 const0
;; @0074                               v6 = fcvt_to_sint_sat.i64x2 v4
;; @0074                               v7 = snarrow v6, v5  ; v5 = const0
;; @0074                               v8 = bitcast.i8x16 little v7
;; @0077                               jump block1(v8)
;;
;;                                 block1(v3: i8x16):
;; @0077                               return v3
;; }
;;
;; ; function 5 $trunc_s_zero (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;     const0 = 0x00000000000000000000000000000000
;;
;;                                 block0(v0: i8x16):
;; @0077                               jump block1
;;
;;                                 block1:
;; @0074                               v4 = bitcast.f64x2 little v0
;; @0074                               v6 = fcvt_to_sint_sat.i64x2 v4
;; @0074                               v5 = vconst.i64x2 const0
;; @0074                               v7 = snarrow v6, v5  ; v5 = const0
;; @0074                               v8 = bitcast.i8x16 little v7
;; @0077                               return v8
;; }
;;
;; ; function 6 $trunc_u_zero (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:6(i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;     const0 = 0x00000000000000000000000000000000
;;
;;                                 block0(v0: i8x16):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @007c                               v4 = bitcast.f64x2 little v0
;; @007c                               v5 = vconst.i64x2 const0
;; @007c                               v6 = fcvt_to_uint_sat.i64x2 v4
;; @007c                               v7 = uunarrow v6, v5  ; v5 = const0
;; @007c                               v8 = bitcast.i8x16 little v7
;; @007f                               jump block1(v8)
;;
;;                                 block1(v3: i8x16):
;; @007f                               return v3
;; }
;;
;; ; function 6 $trunc_u_zero (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:6(i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;     const0 = 0x00000000000000000000000000000000
;;
;;                                 block0(v0: i8x16):
;; @007f                               jump block1
;;
;;                                 block1:
;; @007c                               v4 = bitcast.f64x2 little v0
;; @007c                               v6 = fcvt_to_uint_sat.i64x2 v4
;; @007c                               v5 = vconst.i64x2 const0
;; @007c                               v7 = uunarrow v6, v5  ; v5 = const0
;; @007c                               v8 = bitcast.i8x16 little v7
;; @007f                               return v8
;; }
;;
;; ; function 7 $shl (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:7(i8x16, i32) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @0086                               v5 = ishl v0, v1
;; @0088                               jump block1(v5)
;;
;;                                 block1(v4: i8x16):
;; @0088                               return v4
;; }
;;
;; ; function 7 $shl (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:7(i8x16, i32) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i8x16, v1: i32):
;; @0088                               jump block1
;;
;;                                 block1:
;; @0086                               v5 = ishl.i8x16 v0, v1
;; @0088                               return v5
;; }
;;
;; ; function 8 $load8x8_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:8(i32) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @008d                               v4 = uextend.i64 v0
;; @008d                               v5 = iadd v2, v4
;; @008d                               v6 = sload8x8 little v5+8
;; @008d                               v7 = bitcast.i8x16 little v6
;; @0091                               jump block1(v7)
;;
;;                                 block1(v3: i8x16):
;; @0091                               return v3
;; }
;;
;; ; function 8 $load8x8_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:8(i32) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @008d                               v4 = uextend.i64 v0
;; @008d                               v5 = iadd v2, v4
;; @008d                               v6 = sload8x8 little v5+8
;; @0091                               jump block1
;;
;;                                 block1:
;; @008d                               v7 = bitcast.i8x16 little v6
;; @0091                               return v7
;; }
;;
;; ; function 9 $load32_lane (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:9(i32, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i8x16):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @0098                               v5 = bitcast.i32x4 little v1
;; @0098                               v6 = uextend.i64 v0
;; @0098                               v7 = iadd v3, v6
;; @0098                               v8 = load.i32 little v7
;; @0098                               v9 = insertlane v5, v8, 3
;; @0098                               v10 = bitcast.i8x16 little v9
;; @009d                               jump block1(v10)
;;
;;                                 block1(v4: i8x16):
;; @009d                               return v4
;; }
;;
;; ; function 9 $load32_lane (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:9(i32, i8x16) -> i8x16 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i8x16):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @0098                               v6 = uextend.i64 v0
;; @0098                               v7 = iadd v3, v6
;; @0098                               v8 = load.i32 little v7
;; @009d                               jump block1
;;
;;                                 block1:
;; @0098                               v5 = bitcast.i32x4 little v1
;; @0098                               v9 = insertlane v5, v8, 3
;; @0098                               v10 = bitcast.i8x16 little v9
;; @009d                               return v10
;; }
