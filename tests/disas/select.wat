;; `select` is a CLIF `select` on the i32 condition; a comparison feeding it
;; is fused by the mid-end into a `select` over the `icmp` (a `cmov`).
(module
  (func $select_i32 (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (local.get 2)))

  (func $select_f64 (param f64 f64 i32) (result f64)
    (select (local.get 0) (local.get 1) (local.get 2)))

  (func $select_funcref (param funcref funcref i32) (result funcref)
    (select (result funcref) (local.get 0) (local.get 1) (local.get 2)))

  (func $max_s (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1)
      (i32.gt_s (local.get 0) (local.get 1))))

  ;; `select` over `eqz`: the compare stays (it fuses into the `cmov`).
  (func $select_eqz (param i64 i64 i32) (result i64)
    (select (local.get 0) (local.get 1) (i32.eqz (local.get 2))))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $select_i32 (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32, i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @0040                               v5 = select v2, v0, v1
;; @0041                               jump block1(v5)
;;
;;                                 block1(v4: i32):
;; @0041                               return v4
;; }
;;
;; ; function 0 $select_i32 (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32, i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;; @0041                               jump block1
;;
;;                                 block1:
;; @0040                               v5 = select.i32 v2, v0, v1
;; @0041                               return v5
;; }
;;
;; ; function 1 $select_f64 (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(f64, f64, i32) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64, v1: f64, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @004a                               v5 = select v2, v0, v1
;; @004b                               jump block1(v5)
;;
;;                                 block1(v4: f64):
;; @004b                               return v4
;; }
;;
;; ; function 1 $select_f64 (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(f64, f64, i32) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: f64, v1: f64, v2: i32):
;; @004b                               jump block1
;;
;;                                 block1:
;; @004a                               v5 = select.f64 v2, v0, v1
;; @004b                               return v5
;; }
;;
;; ; function 2 $select_funcref (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i64, i64, i32) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @0054                               v5 = select v2, v0, v1
;; @0057                               jump block1(v5)
;;
;;                                 block1(v4: i64):
;; @0057                               return v4
;; }
;;
;; ; function 2 $select_funcref (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i64, i64, i32) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64, v2: i32):
;; @0057                               jump block1
;;
;;                                 block1:
;; @0054                               v5 = select.i64 v2, v0, v1
;; @0057                               return v5
;; }
;;
;; ; function 3 $max_s (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0062                               v4 = icmp sgt v0, v1
;; @0062                               v5 = uextend.i32 v4
;; @0063                               v6 = select v5, v0, v1
;; @0064                               jump block1(v6)
;;
;;                                 block1(v3: i32):
;; @0064                               return v3
;; }
;;
;; ; function 3 $max_s (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @0064                               jump block1
;;
;;                                 block1:
;;                                     v8 = smax.i32 v0, v1
;; @0064                               return v8
;; }
;;
;; ; function 4 $select_eqz (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i64, i64, i32) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @006d                               v5 = iconst.i32 0
;; @006d                               v6 = icmp eq v2, v5  ; v5 = 0
;; @006d                               v7 = uextend.i32 v6
;; @006e                               v8 = select v7, v0, v1
;; @006f                               jump block1(v8)
;;
;;                                 block1(v4: i64):
;; @006f                               return v4
;; }
;;
;; ; function 4 $select_eqz (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i64, i64, i32) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64, v2: i32):
;; @006f                               jump block1
;;
;;                                 block1:
;; @006d                               v5 = iconst.i32 0
;; @006d                               v6 = icmp.i32 eq v2, v5  ; v5 = 0
;;                                     v9 = select.i64 v6, v0, v1
;; @006f                               return v9
;; }
