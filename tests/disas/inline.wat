;;! stages = optimized
;;! inline = on
;;! memory0 = fixed
;; Inlining of small leaf functions (compiler/src/inline.rs):
;; - `$get` (a load and an add of a global) is inlined into `$sum_twice`
;;   at both calls; the mid-end then shares the memory access (the global
;;   is loaded twice: each inlined body has its own symbol value), and no
;;   call and no frame remain; the inlined instructions carry the source
;;   location of `$get`'s body start (@0034), from which a trap in them is
;;   reported with `$get`'s frame;
;; - `$shadow` uses the shadow stack pointer global and a store: inlined
;;   into `$uses_shadow`, its global and memory accesses name the same
;;   data symbols as in its own body (`globals` is one symbol in both);
;; - `$calls` makes a call, so it is not a leaf and stays a call in
;;   `$caller`; `$get` is inlined into `$calls`;
;; - `$big` has more than the size limit and stays a call;
;; - a `return_call` is never inlined.
(module
  (memory 1)
  (global $g (mut i32) (i32.const 7))
  (global $sp (mut i32) (i32.const 1024))

  (func $get (param i32) (result i32)
    (i32.add (i32.load (local.get 0)) (global.get $g)))

  (func $sum_twice (param i32) (result i32)
    (i32.add (call $get (local.get 0)) (call $get (local.get 0))))

  (func $shadow (param i32) (result i32)
    (local $frame i32)
    (local.set $frame (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get $frame))
    (i32.store offset=12 (local.get $frame) (local.get 0))
    (global.set $sp (i32.add (local.get $frame) (i32.const 16)))
    (i32.load offset=12 (local.get $frame)))

  (func $uses_shadow (param i32) (result i32)
    (call $shadow (i32.add (local.get 0) (i32.const 1))))

  (func $calls (param i32) (result i32)
    (call $get (local.get 0)))

  (func $caller (param i32) (result i32)
    (call $calls (local.get 0)))

  (func $big (param i32) (result i32)
    (local.set 0 (i32.mul (local.get 0) (i32.const 3)))
    (local.set 0 (i32.xor (local.get 0) (i32.load offset=4 (local.get 0))))
    (local.set 0 (i32.mul (local.get 0) (i32.const 5)))
    (local.set 0 (i32.xor (local.get 0) (i32.load offset=8 (local.get 0))))
    (local.set 0 (i32.mul (local.get 0) (i32.const 7)))
    (local.set 0 (i32.xor (local.get 0) (i32.load offset=12 (local.get 0))))
    (local.set 0 (i32.mul (local.get 0) (i32.const 9)))
    (local.set 0 (i32.xor (local.get 0) (i32.load offset=16 (local.get 0))))
    (local.set 0 (i32.mul (local.get 0) (i32.const 11)))
    (local.set 0 (i32.xor (local.get 0) (i32.load offset=20 (local.get 0))))
    (local.set 0 (i32.mul (local.get 0) (i32.const 13)))
    (local.set 0 (i32.xor (local.get 0) (i32.load offset=24 (local.get 0))))
    (local.get 0))

  (func $calls_big (param i32) (result i32)
    (call $big (local.get 0)))

  (func $tail (param i32) (result i32)
    (return_call $get (local.get 0)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $get (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;
;;                                 block0(v0: i32):
;; @0037                               v4 = uextend.i64 v0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v10 = iadd v4, v2  ; v2 = 0x6000_0000
;; @0037                               v6 = load.i32 little v10
;; @003a                               v7 = symbol_value.i64 gv1
;; @003a                               v8 = load.i32 notrap aligned v7
;; @003d                               jump block1
;;
;;                                 block1:
;; @003c                               v9 = iadd.i32 v6, v8
;; @003d                               return v9
;; }
;;
;; ; function 1 $sum_twice (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; ; userextname11 = u0:0 function 0 $get
;; function u0:1(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname0
;;     gv2 = symbol colocated userextname1
;;     gv3 = symbol colocated userextname0
;;     gv4 = symbol colocated userextname1
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:0 sig0
;;
;;                                 block0(v0: i32):
;; @0042                               jump block2
;;
;;                                 block2:
;; @0034                               v11 = uextend.i64 v0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v27 = iadd v11, v2  ; v2 = 0x6000_0000
;; @0034                               v13 = load.i32 little v27
;; @0034                               v14 = symbol_value.i64 gv2
;; @0034                               v15 = load.i32 notrap aligned v14
;; @0034                               jump block3
;;
;;                                 block3:
;; @0034                               jump block4
;;
;;                                 block4:
;; @0046                               jump block5
;;
;;                                 block5:
;; @0034                               v24 = symbol_value.i64 gv4
;; @0034                               v25 = load.i32 notrap aligned v24
;; @0034                               jump block6
;;
;;                                 block6:
;; @0034                               jump block7
;;
;;                                 block7:
;; @0049                               jump block1
;;
;;                                 block1:
;; @0034                               v16 = iadd.i32 v13, v15
;; @0034                               v26 = iadd.i32 v13, v25
;; @0048                               v6 = iadd v16, v26
;; @0049                               return v6
;; }
;;
;; ; function 2 $shadow (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname1
;;
;;                                 block0(v0: i32):
;; @004e                               v5 = symbol_value.i64 gv1
;; @004e                               v6 = load.i32 notrap aligned v5+16
;; @0050                               v7 = iconst.i32 16
;; @0052                               v8 = isub v6, v7  ; v7 = 16
;; @0057                               store notrap aligned v8, v5+16
;; @005d                               v10 = uextend.i64 v8
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v18 = iadd v10, v2  ; v2 = 0x6000_0000
;; @005d                               store little v0, v18+12
;; @0065                               store notrap aligned v6, v5+16
;; @0069                               v17 = load.i32 little v18+12
;; @006c                               jump block1
;;
;;                                 block1:
;; @006c                               return v17
;; }
;;
;; ; function 3 $uses_shadow (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; ; userextname11 = u0:2 function 2 $shadow
;; function u0:3(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname0
;;     gv2 = symbol colocated userextname1
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:2 sig0
;;
;;                                 block0(v0: i32):
;; @0074                               jump block2
;;
;;                                 block2:
;; @004b                               v12 = symbol_value.i64 gv2
;; @004b                               v13 = load.i32 notrap aligned v12+16
;; @004b                               v14 = iconst.i32 16
;; @004b                               v15 = isub v13, v14  ; v14 = 16
;; @004b                               store notrap aligned v15, v12+16
;; @0071                               v4 = iconst.i32 1
;; @0073                               v5 = iadd.i32 v0, v4  ; v4 = 1
;; @004b                               v17 = uextend.i64 v15
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v25 = iadd v17, v2  ; v2 = 0x6000_0000
;; @004b                               store little v5, v25+12
;; @004b                               store notrap aligned v13, v12+16
;; @004b                               v24 = load.i32 little v25+12
;; @004b                               jump block3
;;
;;                                 block3:
;; @004b                               jump block4
;;
;;                                 block4:
;; @0076                               jump block1
;;
;;                                 block1:
;; @0076                               return v24
;; }
;;
;; ; function 4 $calls (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname1 = u1:1 globals
;; ; userextname11 = u0:0 function 0 $get
;; function u0:4(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname0
;;     gv2 = symbol colocated userextname1
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:0 sig0
;;
;;                                 block0(v0: i32):
;; @007b                               jump block2
;;
;;                                 block2:
;; @0034                               v9 = uextend.i64 v0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v15 = iadd v9, v2  ; v2 = 0x6000_0000
;; @0034                               v11 = load.i32 little v15
;; @0034                               v12 = symbol_value.i64 gv2
;; @0034                               v13 = load.i32 notrap aligned v12
;; @0034                               jump block3
;;
;;                                 block3:
;; @0034                               jump block4
;;
;;                                 block4:
;; @007d                               jump block1
;;
;;                                 block1:
;; @0034                               v14 = iadd.i32 v11, v13
;; @007d                               return v14
;; }
;;
;; ; function 5 $caller (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:4 function 4 $calls
;; function u0:5(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:4 sig0
;;
;;                                 block0(v0: i32):
;; @0082                               v4 = call fn0(v0)
;; @0084                               jump block1
;;
;;                                 block1:
;; @0084                               return v4
;; }
;;
;; ; function 6 $big (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:6(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @0089                               v4 = iconst.i32 3
;; @008b                               v5 = imul v0, v4  ; v4 = 3
;; @0092                               v6 = uextend.i64 v5
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v40 = iadd v6, v2  ; v2 = 0x6000_0000
;; @0092                               v8 = load.i32 little v40+4
;; @0095                               v9 = bxor v5, v8
;; @009a                               v10 = iconst.i32 5
;; @009c                               v11 = imul v9, v10  ; v10 = 5
;; @00a3                               v12 = uextend.i64 v11
;;                                     v42 = iadd v12, v2  ; v2 = 0x6000_0000
;; @00a3                               v14 = load.i32 little v42+8
;; @00a6                               v15 = bxor v11, v14
;; @00ab                               v16 = iconst.i32 7
;; @00ad                               v17 = imul v15, v16  ; v16 = 7
;; @00b4                               v18 = uextend.i64 v17
;;                                     v44 = iadd v18, v2  ; v2 = 0x6000_0000
;; @00b4                               v20 = load.i32 little v44+12
;; @00b7                               v21 = bxor v17, v20
;; @00bc                               v22 = iconst.i32 9
;; @00be                               v23 = imul v21, v22  ; v22 = 9
;; @00c5                               v24 = uextend.i64 v23
;;                                     v46 = iadd v24, v2  ; v2 = 0x6000_0000
;; @00c5                               v26 = load.i32 little v46+16
;; @00c8                               v27 = bxor v23, v26
;; @00cd                               v28 = iconst.i32 11
;; @00cf                               v29 = imul v27, v28  ; v28 = 11
;; @00d6                               v30 = uextend.i64 v29
;;                                     v48 = iadd v30, v2  ; v2 = 0x6000_0000
;; @00d6                               v32 = load.i32 little v48+20
;; @00d9                               v33 = bxor v29, v32
;; @00de                               v34 = iconst.i32 13
;; @00e0                               v35 = imul v33, v34  ; v34 = 13
;; @00e7                               v36 = uextend.i64 v35
;;                                     v50 = iadd v36, v2  ; v2 = 0x6000_0000
;; @00e7                               v38 = load.i32 little v50+24
;; @00ef                               jump block1
;;
;;                                 block1:
;; @00ea                               v39 = bxor.i32 v35, v38
;; @00ef                               return v39
;; }
;;
;; ; function 7 $calls_big (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:6 function 6 $big
;; function u0:7(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:6 sig0
;;
;;                                 block0(v0: i32):
;; @00f4                               v4 = call fn0(v0)
;; @00f6                               jump block1
;;
;;                                 block1:
;; @00f6                               return v4
;; }
;;
;; ; function 8 $tail (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:0 function 0 $get
;; function u0:8(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32) -> i32 tail
;;     fn0 = colocated u0:0 sig0
;;
;;                                 block0(v0: i32):
;; @00fb                               return_call fn0(v0)
;; }
