;; `fmin`/`fmax` and the trapping float-to-integer conversions. Cranelift's
;; `fmin`/`fmax` are wasm's (a NaN operand gives NaN, -0 is below +0), so
;; each is one instruction; so are `fcvt_to_sint`/`fcvt_to_uint` (trap on
;; NaN and on out-of-range values) and the saturating `_sat` forms.
(module
  (func $f32_min (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func $f32_max (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
  (func $f64_min (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
  (func $f64_max (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))

  ;; Constant operands: min(-0, +0) folds to -0; max(x, NaN) is left alone.
  (func $min_zeros (result f64) (f64.min (f64.const -0) (f64.const 0)))
  (func $max_nan (param f32) (result f32) (f32.max (local.get 0) (f32.const nan)))

  (func $i32_trunc_f32_s (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func $i64_trunc_f64_u (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
  (func $i32_trunc_sat_f64_s (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $f32_min (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(f32, f32) -> f32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32, v1: f32):
;;                                     v2 = symbol_value.i64 gv0
;; @0044                               v4 = fmin v0, v1
;; @0045                               jump block1(v4)
;;
;;                                 block1(v3: f32):
;; @0045                               return v3
;; }
;;
;; ; function 0 $f32_min (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(f32, f32) -> f32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32, v1: f32):
;; @0045                               jump block1
;;
;;                                 block1:
;; @0044                               v4 = fmin.f32 v0, v1
;; @0045                               return v4
;; }
;;
;; ; function 1 $f32_max (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(f32, f32) -> f32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32, v1: f32):
;;                                     v2 = symbol_value.i64 gv0
;; @004c                               v4 = fmax v0, v1
;; @004d                               jump block1(v4)
;;
;;                                 block1(v3: f32):
;; @004d                               return v3
;; }
;;
;; ; function 1 $f32_max (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(f32, f32) -> f32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32, v1: f32):
;; @004d                               jump block1
;;
;;                                 block1:
;; @004c                               v4 = fmax.f32 v0, v1
;; @004d                               return v4
;; }
;;
;; ; function 2 $f64_min (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(f64, f64) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64, v1: f64):
;;                                     v2 = symbol_value.i64 gv0
;; @0054                               v4 = fmin v0, v1
;; @0055                               jump block1(v4)
;;
;;                                 block1(v3: f64):
;; @0055                               return v3
;; }
;;
;; ; function 2 $f64_min (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(f64, f64) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64, v1: f64):
;; @0055                               jump block1
;;
;;                                 block1:
;; @0054                               v4 = fmin.f64 v0, v1
;; @0055                               return v4
;; }
;;
;; ; function 3 $f64_max (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(f64, f64) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64, v1: f64):
;;                                     v2 = symbol_value.i64 gv0
;; @005c                               v4 = fmax v0, v1
;; @005d                               jump block1(v4)
;;
;;                                 block1(v3: f64):
;; @005d                               return v3
;; }
;;
;; ; function 3 $f64_max (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(f64, f64) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64, v1: f64):
;; @005d                               jump block1
;;
;;                                 block1:
;; @005c                               v4 = fmax.f64 v0, v1
;; @005d                               return v4
;; }
;;
;; ; function 4 $min_zeros (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:4() -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @0060                               v2 = f64const -0.0
;; @0069                               v3 = f64const 0.0
;; @0072                               v4 = fmin v2, v3  ; v2 = -0.0, v3 = 0.0
;; @0073                               jump block1(v4)
;;
;;                                 block1(v1: f64):
;; @0073                               return v1
;; }
;;
;; ; function 4 $min_zeros (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:4() -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;; @0073                               jump block1
;;
;;                                 block1:
;;                                     v5 = f64const -0.0
;; @0073                               return v5  ; v5 = -0.0
;; }
;;
;; ; function 5 $max_nan (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(f32) -> f32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32):
;;                                     v1 = symbol_value.i64 gv0
;; @0078                               v3 = f32const +NaN
;; @007d                               v4 = fmax v0, v3  ; v3 = +NaN
;; @007e                               jump block1(v4)
;;
;;                                 block1(v2: f32):
;; @007e                               return v2
;; }
;;
;; ; function 5 $max_nan (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(f32) -> f32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32):
;; @007e                               jump block1
;;
;;                                 block1:
;; @0078                               v3 = f32const +NaN
;; @007d                               v4 = fmax.f32 v0, v3  ; v3 = +NaN
;; @007e                               return v4
;; }
;;
;; ; function 6 $i32_trunc_f32_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:6(f32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32):
;;                                     v1 = symbol_value.i64 gv0
;; @0083                               v3 = fcvt_to_sint.i32 v0
;; @0084                               jump block1(v3)
;;
;;                                 block1(v2: i32):
;; @0084                               return v2
;; }
;;
;; ; function 6 $i32_trunc_f32_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:6(f32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f32):
;; @0083                               v3 = fcvt_to_sint.i32 v0
;; @0084                               jump block1
;;
;;                                 block1:
;; @0084                               return v3
;; }
;;
;; ; function 7 $i64_trunc_f64_u (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:7(f64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64):
;;                                     v1 = symbol_value.i64 gv0
;; @0089                               v3 = fcvt_to_uint.i64 v0
;; @008a                               jump block1(v3)
;;
;;                                 block1(v2: i64):
;; @008a                               return v2
;; }
;;
;; ; function 7 $i64_trunc_f64_u (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:7(f64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64):
;; @0089                               v3 = fcvt_to_uint.i64 v0
;; @008a                               jump block1
;;
;;                                 block1:
;; @008a                               return v3
;; }
;;
;; ; function 8 $i32_trunc_sat_f64_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:8(f64) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64):
;;                                     v1 = symbol_value.i64 gv0
;; @008f                               v3 = fcvt_to_sint_sat.i32 v0
;; @0091                               jump block1(v3)
;;
;;                                 block1(v2: i32):
;; @0091                               return v2
;; }
;;
;; ; function 8 $i32_trunc_sat_f64_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:8(f64) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64):
;; @0091                               jump block1
;;
;;                                 block1:
;; @008f                               v3 = fcvt_to_sint_sat.i32 v0
;; @0091                               return v3
;; }
