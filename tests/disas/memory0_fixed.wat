;;! memory0 = fixed
;; An executable's memory 0 is reserved at a fixed address (0x60000000,
;; `MEMORY0_ADDRESS`), so its base is a constant instead of a load: the
;; address is `0x60000000 + uextend(index)`, and x86-64 folds the constant
;; and the static offset into the access's displacement (`[index + disp32]`),
;; so no register holds the base. A second memory keeps its loaded base.
(module
  (memory 1)
  (memory 1)

  (func $load_offset (param i32) (result i32)
    (i32.load offset=16 (local.get 0)))

  ;; The loop holds no base.
  (func $sum (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done
      (loop $top
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $top)))
    (local.get $s))

  ;; Memory 1's base is loaded as before.
  (func $second (param i32) (result i32)
    (i32.load 1 (local.get 0)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $load_offset (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v3 = symbol_value.i64 gv1
;;                                     v4 = load.i64 notrap aligned readonly can_move v3+16
;; @002a                               v6 = uextend.i64 v0
;; @002a                               v7 = iadd v2, v6  ; v2 = 0x6000_0000
;; @002a                               v8 = load.i32 little v7+16
;; @002d                               jump block1(v8)
;;
;;                                 block1(v5: i32):
;; @002d                               return v5
;; }
;;
;; ; function 0 $load_offset (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;; @002a                               v6 = uextend.i64 v0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v9 = iadd v6, v2  ; v2 = 0x6000_0000
;; @002a                               v8 = load.i32 little v9+16
;; @002d                               jump block1
;;
;;                                 block1:
;; @002d                               return v8
;; }
;;
;; ; function 1 $sum (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:1(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;;                                     v6 = iconst.i32 0
;; @0034                               jump block3(v1, v6, v0)  ; v6 = 0
;;
;;                                 block3(v8: i32, v12: i32, v13: i32):
;; @0038                               v9 = iconst.i32 0
;; @0038                               v10 = icmp eq v8, v9  ; v9 = 0
;; @0038                               v11 = uextend.i32 v10
;; @0039                               brif v11, block2, block5
;;
;;                                 block5:
;; @003f                               v14 = uextend.i64 v13
;; @003f                               v15 = iadd.i64 v3, v14  ; v3 = 0x6000_0000
;; @003f                               v16 = load.i32 little v15
;; @0042                               v17 = iadd.i32 v12, v16
;; @0047                               v18 = iconst.i32 4
;; @0049                               v19 = iadd.i32 v13, v18  ; v18 = 4
;; @004e                               v20 = iconst.i32 1
;; @0050                               v21 = isub.i32 v8, v20  ; v20 = 1
;; @0053                               jump block3(v21, v17, v19)
;;
;;                                 block2:
;; @0059                               jump block1(v12)
;;
;;                                 block1(v7: i32):
;; @0059                               return v7
;; }
;;
;; ; function 1 $sum (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:1(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v6 = iconst.i32 0
;;                                     v3 = iconst.i64 0x6000_0000
;; @004e                               v20 = iconst.i32 1
;; @0047                               v18 = iconst.i32 4
;; @0034                               jump block3(v1, v6, v0)  ; v6 = 0
;;
;;                                 block3(v8: i32, v12: i32, v13: i32):
;;                                     v24 = iconst.i32 0
;;                                     v25 = icmp eq v8, v24  ; v24 = 0
;; @0039                               brif v25, block2, block5
;;
;;                                 block5:
;; @003f                               v14 = uextend.i64 v13
;;                                     v26 = iconst.i64 0x6000_0000
;;                                     v27 = iadd v14, v26  ; v26 = 0x6000_0000
;; @003f                               v16 = load.i32 little v27
;;                                     v28 = iconst.i32 1
;;                                     v29 = isub.i32 v8, v28  ; v28 = 1
;; @0042                               v17 = iadd.i32 v12, v16
;;                                     v30 = iconst.i32 4
;;                                     v31 = iadd.i32 v13, v30  ; v30 = 4
;; @0053                               jump block3(v29, v17, v31)
;;
;;                                 block2:
;; @0059                               jump block1(v12)
;;
;;                                 block1(v7: i32):
;; @0059                               return v7
;; }
;;
;; ; function 2 $second (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v3 = symbol_value.i64 gv1
;;                                     v4 = load.i64 notrap aligned readonly can_move v3+16
;; @005e                               v6 = uextend.i64 v0
;; @005e                               v7 = iadd v4, v6
;; @005e                               v8 = load.i32 little v7
;; @0062                               jump block1(v8)
;;
;;                                 block1(v5: i32):
;; @0062                               return v5
;; }
;;
;; ; function 2 $second (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v3 = symbol_value.i64 gv1
;;                                     v4 = load.i64 notrap aligned readonly can_move v3+16
;; @005e                               v6 = uextend.i64 v0
;; @005e                               v7 = iadd v4, v6
;; @005e                               v8 = load.i32 little v7
;; @0062                               jump block1
;;
;;                                 block1:
;; @0062                               return v8
;; }
