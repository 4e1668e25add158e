;;! stages = translated
;; Exceptions (compiler/src/translate/exceptions.rs). A call inside a
;; `try_table` is a `try_call` whose only handler, the default one, is the
;; try_table's dispatch block: it receives the exception (`exn0`), compares
;; its tag word with the clauses' in order, and branches to the matching
;; label with the payload loaded from the exception's slots; with no match
;; it calls the `Throw` builtin (builtin 12) for the callers to handle. A
;; `throw` inside a `try_table` of the same function allocates the
;; exception (builtin 11), stores the payload and jumps to the dispatch
;; block directly. The call outside the `try_table` stays a plain `call`.
(module
  (tag $e (param i32))
  (tag $f)
  (func $callee (result i32) (i32.const 1))

  (func $catch_call (result i32)
    (drop (call $callee))
    (block $none
      (block $h (result i32)
        (try_table (result i32) (catch $f $none) (catch $e $h)
          (call $callee))
        (return))
      (return))
    (i32.const -1))

  (func $catch_local (param i32) (result i32)
    (block $all
      (block $h (result i32)
        (try_table (catch $e $h) (catch_all $all)
          (throw $e (local.get 0)))
        (return (i32.const 0)))
      (return))
    (i32.const -1)))
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $callee (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @002d                               v2 = iconst.i32 1
;; @002f                               jump block1(v2)  ; v2 = 1
;;
;;                                 block1(v1: i32):
;; @002f                               return v1
;; }
;;
;; ; function 1 $catch_call (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname10 = u1:10 tags
;; ; userextname11 = u0:0 function 0 $callee
;; function u0:1() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname10
;;     sig0 = () -> i32 tail
;;     sig1 = (i64, i64) system_v
;;     sig2 = (i64, i64) system_v
;;     fn0 = colocated u0:0 sig0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @0032                               v2 = call fn0()
;; @0042                               try_call fn0(), sig0, block5(ret0), [ default: block6(exn0) ]
;;
;;                                 block6(v6: i64):
;; @0042                               v7 = symbol_value.i64 gv1
;; @0042                               v8 = load.i64 notrap aligned readonly can_move v7+8
;; @0042                               v9 = load.i64 notrap aligned v6
;; @0042                               v10 = icmp eq v9, v8
;; @0042                               brif v10, block7, block8
;;
;;                                 block7:
;; @0042                               v11 = load.i64 notrap aligned readonly can_move v0+128
;; @0042                               call_indirect sig1, v11(v0, v6)
;; @0042                               jump block2
;;
;;                                 block8:
;; @0042                               v12 = symbol_value.i64 gv1
;; @0042                               v13 = load.i64 notrap aligned readonly can_move v12
;; @0042                               v14 = load.i64 notrap aligned v6
;; @0042                               v15 = icmp eq v14, v13
;; @0042                               brif v15, block9, block10
;;
;;                                 block9:
;; @0042                               v16 = load.i32 notrap aligned v6+16
;; @0042                               v17 = load.i64 notrap aligned readonly can_move v0+128
;; @0042                               call_indirect sig1, v17(v0, v6)
;; @0042                               jump block3(v16)
;;
;;                                 block10:
;; @0042                               v18 = load.i64 notrap aligned readonly can_move v0+120
;; @0042                               call_indirect sig2, v18(v0, v6)
;; @0042                               trap user14
;;
;;                                 block5(v5: i32):
;; @0044                               jump block4(v5)
;;
;;                                 block4(v4: i32):
;; @0045                               return v4
;;
;;                                 block3(v3: i32):
;; @0047                               return v3
;;
;;                                 block2:
;; @0049                               v19 = iconst.i32 -1
;; @004b                               jump block1(v19)  ; v19 = -1
;;
;;                                 block1(v1: i32):
;; @004b                               return v1
;; }
;;
;; ; function 2 $catch_local (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname10 = u1:10 tags
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname10
;;     sig0 = (i64, i64, i32) -> i64 system_v
;;     sig1 = (i64, i64) system_v
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @005c                               v4 = symbol_value.i64 gv1
;; @005c                               v5 = load.i64 notrap aligned readonly can_move v4
;; @005c                               v6 = iconst.i32 1
;; @005c                               v7 = load.i64 notrap aligned readonly can_move v1+112
;; @005c                               v8 = call_indirect sig0, v7(v1, v5, v6)  ; v6 = 1
;; @005c                               store notrap aligned v0, v8+16
;; @005c                               jump block5(v8)
;;
;;                                 block5(v9: i64):
;; @005c                               v10 = symbol_value.i64 gv1
;; @005c                               v11 = load.i64 notrap aligned readonly can_move v10
;; @005c                               v12 = load.i64 notrap aligned v9
;; @005c                               v13 = icmp eq v12, v11
;; @005c                               brif v13, block6, block7
;;
;;                                 block6:
;; @005c                               v14 = load.i32 notrap aligned v9+16
;; @005c                               v15 = load.i64 notrap aligned readonly can_move v1+128
;; @005c                               call_indirect sig1, v15(v1, v9)
;; @005c                               jump block3(v14)
;;
;;                                 block7:
;; @005c                               v16 = load.i64 notrap aligned readonly can_move v1+128
;; @005c                               call_indirect sig1, v16(v1, v9)
;; @005c                               jump block2
;;
;;                                 block3(v3: i32):
;; @0063                               return v3
;;
;;                                 block2:
;; @0065                               v17 = iconst.i32 -1
;; @0067                               jump block1(v17)  ; v17 = -1
;;
;;                                 block1(v2: i32):
;; @0067                               return v2
;; }
