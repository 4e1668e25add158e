;; Globals live in the `globals` data object (u1:1), one 16-byte slot each
;; (global 2 at +32), reached RIP-relative with no vmctx indirection. An
;; immutable global with a constant initializer is folded to its constant.
;; A mutable global is reloaded after anything that may write it (a call),
;; since its loads are not `readonly`; in `$bump` the mid-end forwards the
;; stored value to the second `global.get` (but recomputes the `iadd`).
(module
  (global $counter (mut i32) (i32.const 0))
  (global $limit i64 (i64.const 1000))
  (global $scale (mut f64) (f64.const 1.5))

  (func $bump (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))

  (func $limit (result i64)
    (global.get $limit))

  (func $scaled (param f64) (result f64)
    (f64.mul (local.get 0) (global.get $scale)))

  (func $around_call (result i32)
    (drop (call $bump))
    (global.get $counter))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $bump (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; function u0:0() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @003e                               v2 = symbol_value.i64 gv1
;; @003e                               v3 = load.i32 notrap aligned v2
;; @0040                               v4 = iconst.i32 1
;; @0042                               v5 = iadd v3, v4  ; v4 = 1
;; @0043                               v6 = symbol_value.i64 gv1
;; @0043                               store notrap aligned v5, v6
;; @0045                               v7 = symbol_value.i64 gv1
;; @0045                               v8 = load.i32 notrap aligned v7
;; @0047                               jump block1(v8)
;;
;;                                 block1(v1: i32):
;; @0047                               return v1
;; }
;;
;; ; function 0 $bump (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; function u0:0() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;
;;                                 block0:
;; @003e                               v2 = symbol_value.i64 gv1
;; @003e                               v3 = load.i32 notrap aligned v2
;; @0040                               v4 = iconst.i32 1
;; @0042                               v5 = iadd v3, v4  ; v4 = 1
;; @0043                               store notrap aligned v5, v2
;; @0047                               jump block1
;;
;;                                 block1:
;;                                     v9 = iadd.i32 v3, v4  ; v4 = 1
;; @0047                               return v9
;; }
;;
;; ; function 1 $limit (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1() -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @004a                               v2 = iconst.i64 1000
;; @004c                               jump block1(v2)  ; v2 = 1000
;;
;;                                 block1(v1: i64):
;; @004c                               return v1
;; }
;;
;; ; function 1 $limit (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1() -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;; @004c                               jump block1
;;
;;                                 block1:
;; @004a                               v2 = iconst.i64 1000
;; @004c                               return v2  ; v2 = 1000
;; }
;;
;; ; function 2 $scaled (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; function u0:2(f64) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;
;;                                 block0(v0: f64):
;;                                     v1 = symbol_value.i64 gv0
;; @0051                               v3 = symbol_value.i64 gv1
;; @0051                               v4 = load.f64 notrap aligned v3+32
;; @0053                               v5 = fmul v0, v4
;; @0054                               jump block1(v5)
;;
;;                                 block1(v2: f64):
;; @0054                               return v2
;; }
;;
;; ; function 2 $scaled (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; function u0:2(f64) -> f64 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;
;;                                 block0(v0: f64):
;; @0051                               v3 = symbol_value.i64 gv1
;; @0051                               v4 = load.f64 notrap aligned v3+32
;; @0054                               jump block1
;;
;;                                 block1:
;; @0053                               v5 = fmul.f64 v0, v4
;; @0054                               return v5
;; }
;;
;; ; function 3 $around_call (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; ; userextname11 = u0:0 function 0 $bump
;; function u0:3() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;     sig0 = () -> i32 tail
;;     fn0 = colocated u0:0 sig0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @0057                               v2 = call fn0()
;; @005a                               v3 = symbol_value.i64 gv1
;; @005a                               v4 = load.i32 notrap aligned v3
;; @005c                               jump block1(v4)
;;
;;                                 block1(v1: i32):
;; @005c                               return v1
;; }
;;
;; ; function 3 $around_call (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; ; userextname11 = u0:0 function 0 $bump
;; function u0:3() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;     sig0 = () -> i32 tail
;;     fn0 = colocated u0:0 sig0
;;
;;                                 block0:
;; @0057                               v2 = call fn0()
;; @005a                               v3 = symbol_value.i64 gv1
;; @005a                               v4 = load.i32 notrap aligned v3
;; @005c                               jump block1
;;
;;                                 block1:
;; @005c                               return v4
;; }
