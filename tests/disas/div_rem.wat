;; Integer division and remainder. Cranelift's `sdiv`/`udiv`/`srem`/`urem`
;; have wasm's semantics, so the translation is one instruction each: the
;; division by zero trap (`int_divz`) and the `INT_MIN / -1` overflow trap of
;; `div_s` (`int_ovf`) are added by instruction selection, and `rem_s` of
;; `INT_MIN` by -1 is 0 without trapping. What to check here: one
;; instruction per operator, a division whose result is dropped is kept (it
;; may trap), and division by a constant becomes shifts or a multiply.
(module
  (func $i32_div_s (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $i32_div_u (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func $i32_rem_s (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func $i32_rem_u (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
  (func $i64_div_s (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
  (func $i64_div_u (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
  (func $i64_rem_s (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
  (func $i64_rem_u (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))

  ;; The result is unused but the trap is not: the division must stay.
  (func $dropped (param i32 i32)
    (drop (i32.div_u (local.get 0) (local.get 1))))

  ;; Constant divisors cannot trap.
  (func $div_u_by_16 (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 16)))
  (func $div_s_by_7 (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 7)))
  (func $rem_u_by_8 (param i64) (result i64) (i64.rem_u (local.get 0) (i64.const 8)))

  ;; Constant operands that always trap: the trap must survive folding.
  (func $div_by_zero (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
  (func $div_overflow (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func $rem_overflow (result i32) (i32.rem_s (i32.const 0x80000000) (i32.const -1)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $i32_div_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0046                               v4 = sdiv v0, v1
;; @0047                               jump block1(v4)
;;
;;                                 block1(v3: i32):
;; @0047                               return v3
;; }
;;
;; ; function 0 $i32_div_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @0046                               v4 = sdiv v0, v1
;; @0047                               jump block1
;;
;;                                 block1:
;; @0047                               return v4
;; }
;;
;; ; function 1 $i32_div_u (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @004e                               v4 = udiv v0, v1
;; @004f                               jump block1(v4)
;;
;;                                 block1(v3: i32):
;; @004f                               return v3
;; }
;;
;; ; function 1 $i32_div_u (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @004e                               v4 = udiv v0, v1
;; @004f                               jump block1
;;
;;                                 block1:
;; @004f                               return v4
;; }
;;
;; ; function 2 $i32_rem_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0056                               v4 = srem v0, v1
;; @0057                               jump block1(v4)
;;
;;                                 block1(v3: i32):
;; @0057                               return v3
;; }
;;
;; ; function 2 $i32_rem_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @0056                               v4 = srem v0, v1
;; @0057                               jump block1
;;
;;                                 block1:
;; @0057                               return v4
;; }
;;
;; ; function 3 $i32_rem_u (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @005e                               v4 = urem v0, v1
;; @005f                               jump block1(v4)
;;
;;                                 block1(v3: i32):
;; @005f                               return v3
;; }
;;
;; ; function 3 $i32_rem_u (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @005e                               v4 = urem v0, v1
;; @005f                               jump block1
;;
;;                                 block1:
;; @005f                               return v4
;; }
;;
;; ; function 4 $i64_div_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;; @0066                               v4 = sdiv v0, v1
;; @0067                               jump block1(v4)
;;
;;                                 block1(v3: i64):
;; @0067                               return v3
;; }
;;
;; ; function 4 $i64_div_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;; @0066                               v4 = sdiv v0, v1
;; @0067                               jump block1
;;
;;                                 block1:
;; @0067                               return v4
;; }
;;
;; ; function 5 $i64_div_u (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;; @006e                               v4 = udiv v0, v1
;; @006f                               jump block1(v4)
;;
;;                                 block1(v3: i64):
;; @006f                               return v3
;; }
;;
;; ; function 5 $i64_div_u (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;; @006e                               v4 = udiv v0, v1
;; @006f                               jump block1
;;
;;                                 block1:
;; @006f                               return v4
;; }
;;
;; ; function 6 $i64_rem_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:6(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;; @0076                               v4 = srem v0, v1
;; @0077                               jump block1(v4)
;;
;;                                 block1(v3: i64):
;; @0077                               return v3
;; }
;;
;; ; function 6 $i64_rem_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:6(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;; @0076                               v4 = srem v0, v1
;; @0077                               jump block1
;;
;;                                 block1:
;; @0077                               return v4
;; }
;;
;; ; function 7 $i64_rem_u (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:7(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;; @007e                               v4 = urem v0, v1
;; @007f                               jump block1(v4)
;;
;;                                 block1(v3: i64):
;; @007f                               return v3
;; }
;;
;; ; function 7 $i64_rem_u (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:7(i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;; @007e                               v4 = urem v0, v1
;; @007f                               jump block1
;;
;;                                 block1:
;; @007f                               return v4
;; }
;;
;; ; function 8 $dropped (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:8(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0086                               v3 = udiv v0, v1
;; @0088                               jump block1
;;
;;                                 block1:
;; @0088                               return
;; }
;;
;; ; function 8 $dropped (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:8(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @0086                               v3 = udiv v0, v1
;; @0088                               jump block1
;;
;;                                 block1:
;; @0088                               return
;; }
;;
;; ; function 9 $div_u_by_16 (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:9(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @008d                               v3 = iconst.i32 16
;; @008f                               v4 = udiv v0, v3  ; v3 = 16
;; @0090                               jump block1(v4)
;;
;;                                 block1(v2: i32):
;; @0090                               return v2
;; }
;;
;; ; function 9 $div_u_by_16 (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:9(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @0090                               jump block1
;;
;;                                 block1:
;;                                     v5 = iconst.i32 4
;;                                     v6 = ushr.i32 v0, v5  ; v5 = 4
;;                                     v4 -> v6
;; @0090                               return v6
;; }
;;
;; ; function 10 $div_s_by_7 (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:10(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0095                               v3 = iconst.i32 7
;; @0097                               v4 = sdiv v0, v3  ; v3 = 7
;; @0098                               jump block1(v4)
;;
;;                                 block1(v2: i32):
;; @0098                               return v2
;; }
;;
;; ; function 10 $div_s_by_7 (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:10(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @0098                               jump block1
;;
;;                                 block1:
;;                                     v5 = iconst.i32 -1840700269
;;                                     v6 = smulhi.i32 v0, v5  ; v5 = -1840700269
;;                                     v7 = iadd v6, v0
;;                                     v8 = iconst.i32 2
;;                                     v9 = sshr v7, v8  ; v8 = 2
;;                                     v10 = iconst.i32 31
;;                                     v11 = ushr v9, v10  ; v10 = 31
;;                                     v12 = iadd v9, v11
;;                                     v4 -> v12
;; @0098                               return v12
;; }
;;
;; ; function 11 $rem_u_by_8 (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:11(i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64):
;;                                     v1 = symbol_value.i64 gv0
;; @009d                               v3 = iconst.i64 8
;; @009f                               v4 = urem v0, v3  ; v3 = 8
;; @00a0                               jump block1(v4)
;;
;;                                 block1(v2: i64):
;; @00a0                               return v2
;; }
;;
;; ; function 11 $rem_u_by_8 (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:11(i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64):
;; @00a0                               jump block1
;;
;;                                 block1:
;;                                     v5 = iconst.i64 7
;;                                     v6 = band.i64 v0, v5  ; v5 = 7
;;                                     v4 -> v6
;; @00a0                               return v6
;; }
;;
;; ; function 12 $div_by_zero (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:12() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @00a3                               v2 = iconst.i32 1
;; @00a5                               v3 = iconst.i32 0
;; @00a7                               v4 = sdiv v2, v3  ; v2 = 1, v3 = 0
;; @00a8                               jump block1(v4)
;;
;;                                 block1(v1: i32):
;; @00a8                               return v1
;; }
;;
;; ; function 12 $div_by_zero (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:12() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;; @00a3                               v2 = iconst.i32 1
;; @00a5                               v3 = iconst.i32 0
;; @00a7                               v4 = sdiv v2, v3  ; v2 = 1, v3 = 0
;; @00a8                               jump block1
;;
;;                                 block1:
;; @00a8                               return v4
;; }
;;
;; ; function 13 $div_overflow (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:13() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @00ab                               v2 = iconst.i32 -2147483648
;; @00b1                               v3 = iconst.i32 -1
;; @00b3                               v4 = sdiv v2, v3  ; v2 = -2147483648, v3 = -1
;; @00b4                               jump block1(v4)
;;
;;                                 block1(v1: i32):
;; @00b4                               return v1
;; }
;;
;; ; function 13 $div_overflow (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:13() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;; @00ab                               v2 = iconst.i32 -2147483648
;; @00b1                               v3 = iconst.i32 -1
;; @00b3                               v4 = sdiv v2, v3  ; v2 = -2147483648, v3 = -1
;; @00b4                               jump block1
;;
;;                                 block1:
;; @00b4                               return v4
;; }
;;
;; ; function 14 $rem_overflow (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:14() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @00b7                               v2 = iconst.i32 -2147483648
;; @00bd                               v3 = iconst.i32 -1
;; @00bf                               v4 = srem v2, v3  ; v2 = -2147483648, v3 = -1
;; @00c0                               jump block1(v4)
;;
;;                                 block1(v1: i32):
;; @00c0                               return v1
;; }
;;
;; ; function 14 $rem_overflow (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:14() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;; @00c0                               jump block1
;;
;;                                 block1:
;;                                     v5 = iconst.i32 0
;;                                     v4 -> v5
;; @00c0                               return v5  ; v5 = 0
;; }
