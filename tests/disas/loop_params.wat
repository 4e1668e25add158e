;; Multi-value blocks: a loop's params become the header block's
;; parameters, a block's results the parameters of its successor, and the
;; branches pass them as block arguments. Locals live in cranelift-frontend
;; variables, so SSA construction adds block parameters for locals changed
;; in the loop.
(module
  ;; Fibonacci with the pair on the operand stack as loop params.
  (func $fib (param $n i32) (result i32)
    (i32.const 0) (i32.const 1)
    (loop $top (param i32 i32) (result i32 i32)
      (if (param i32 i32) (result i32 i32) (local.get $n)
        (then
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          ;; (a, b) -> (b, a + b)
          (call $step)
          (br $top))))
    (drop))

  (func $step (param i32 i32) (result i32 i32)
    (local.get 1)
    (i32.add (local.get 0) (local.get 1)))

  ;; A block with two results and an early exit.
  (func $divmod (param i32 i32) (result i32 i32)
    (block $out (result i32 i32)
      (i32.const 0) (i32.const 0)
      (br_if $out (i32.eqz (local.get 1)))
      (drop) (drop)
      (i32.div_u (local.get 0) (local.get 1))
      (i32.rem_u (local.get 0) (local.get 1))))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $fib (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:1 function 1 $step
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32, i32) -> i32, i32 tail
;;     fn0 = colocated u0:1 sig0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0027                               v3 = iconst.i32 0
;; @0029                               v4 = iconst.i32 1
;; @002b                               jump block2(v3, v4, v0)  ; v3 = 0, v4 = 1
;;
;;                                 block2(v5: i32, v6: i32, v9: i32):
;; @002f                               brif v9, block4, block5
;;
;;                                 block4:
;; @0033                               v12 = iconst.i32 1
;; @0035                               v13 = isub.i32 v9, v12  ; v12 = 1
;; @0038                               v14, v15 = call fn0(v5, v6)
;; @003a                               jump block2(v14, v15, v13)
;;
;;                                 block5:
;; @003c                               jump block6(v5, v6)
;;
;;                                 block6(v10: i32, v11: i32):
;; @003d                               jump block3(v10, v11)
;;
;;                                 block3(v7: i32, v8: i32):
;; @003f                               jump block1(v7)
;;
;;                                 block1(v2: i32):
;; @003f                               return v2
;; }
;;
;; ; function 0 $fib (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:1 function 1 $step
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32, i32) -> i32, i32 tail
;;     fn0 = colocated u0:1 sig0
;;
;;                                 block0(v0: i32):
;; @0027                               v3 = iconst.i32 0
;; @0029                               v4 = iconst.i32 1
;; @002b                               jump block2(v3, v4, v0)  ; v3 = 0, v4 = 1
;;
;;                                 block2(v5: i32, v6: i32, v9: i32):
;; @002f                               brif v9, block4, block5
;;
;;                                 block4:
;; @0038                               v14, v15 = call fn0(v5, v6)
;;                                     v16 = iconst.i32 1
;;                                     v17 = isub.i32 v9, v16  ; v16 = 1
;; @003a                               jump block2(v14, v15, v17)
;;
;;                                 block5:
;; @003c                               jump block6(v5, v6)
;;
;;                                 block6(v10: i32, v11: i32):
;; @003d                               jump block3(v10, v11)
;;
;;                                 block3(v7: i32, v8: i32):
;; @003f                               jump block1(v7)
;;
;;                                 block1(v2: i32):
;; @003f                               return v2
;; }
;;
;; ; function 1 $step (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32, i32) -> i32, i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0048                               v5 = iadd v0, v1
;; @0049                               jump block1(v1, v5)
;;
;;                                 block1(v3: i32, v4: i32):
;; @0049                               return v3, v4
;; }
;;
;; ; function 1 $step (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32, i32) -> i32, i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @0049                               jump block1
;;
;;                                 block1:
;; @0048                               v5 = iadd.i32 v0, v1
;; @0049                               return v1, v5
;; }
;;
;; ; function 2 $divmod (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32, i32) -> i32, i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @004e                               v7 = iconst.i32 0
;; @0050                               v8 = iconst.i32 0
;; @0054                               v9 = iconst.i32 0
;; @0054                               v10 = icmp eq v1, v9  ; v9 = 0
;; @0054                               v11 = uextend.i32 v10
;; @0055                               brif v11, block2(v7, v8), block3  ; v7 = 0, v8 = 0
;;
;;                                 block3:
;; @005d                               v12 = udiv.i32 v0, v1
;; @0062                               v13 = urem.i32 v0, v1
;; @0063                               jump block2(v12, v13)
;;
;;                                 block2(v5: i32, v6: i32):
;; @0064                               jump block1(v5, v6)
;;
;;                                 block1(v3: i32, v4: i32):
;; @0064                               return v3, v4
;; }
;;
;; ; function 2 $divmod (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32, i32) -> i32, i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @004e                               v7 = iconst.i32 0
;; @0054                               v10 = icmp eq v1, v7  ; v7 = 0
;; @0055                               brif v10, block2(v7, v7), block3  ; v7 = 0, v7 = 0
;;
;;                                 block3:
;; @005d                               v12 = udiv.i32 v0, v1
;; @0062                               v13 = urem.i32 v0, v1
;; @0063                               jump block2(v12, v13)
;;
;;                                 block2(v5: i32, v6: i32):
;; @0064                               jump block1(v5, v6)
;;
;;                                 block1(v3: i32, v4: i32):
;; @0064                               return v3, v4
;; }
