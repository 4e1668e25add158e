;; `br_table` becomes a CLIF `br_table` over a jump table, the last entry
;; being the default. Without branch values the table targets the wasm
;; blocks' successors directly; with values, one forwarding block per
;; distinct target passes them.
(module
  (func $switch (param i32) (result i32)
    (block $default
      (block $two
        (block $one
          (block $zero
            (br_table $zero $one $two $one $default (local.get 0)))
          (return (i32.const 100)))
        (return (i32.const 101)))
      (return (i32.const 102)))
    (i32.const -1))

  (func $with_value (param i32) (result i32)
    (block $b (result i32)
      (block $a (result i32)
        (br_table $a $b $a (i32.const 7) (local.get 0)))
      (i32.add (i32.const 10)))
    (i32.add (i32.const 20)))

  ;; Every entry the same target: still a `br_table`, where a `jump` would do.
  (func $one_target (param i32)
    (block $x
      (br_table $x $x (local.get 0))))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $switch (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0029                               br_table v0, block2, [block5, block4, block3, block4]
;;
;;                                 block5:
;; @0031                               v3 = iconst.i32 100
;; @0034                               return v3  ; v3 = 100
;;
;;                                 block4:
;; @0036                               v4 = iconst.i32 101
;; @0039                               return v4  ; v4 = 101
;;
;;                                 block3:
;; @003b                               v5 = iconst.i32 102
;; @003e                               return v5  ; v5 = 102
;;
;;                                 block2:
;; @0040                               v6 = iconst.i32 -1
;; @0042                               jump block1(v6)  ; v6 = -1
;;
;;                                 block1(v2: i32):
;; @0042                               return v2
;; }
;;
;; ; function 0 $switch (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @0029                               br_table v0, block2, [block5, block4, block3, block4]
;;
;;                                 block5:
;; @0031                               v3 = iconst.i32 100
;; @0034                               return v3  ; v3 = 100
;;
;;                                 block4:
;; @0036                               v4 = iconst.i32 101
;; @0039                               return v4  ; v4 = 101
;;
;;                                 block3:
;; @003b                               v5 = iconst.i32 102
;; @003e                               return v5  ; v5 = 102
;;
;;                                 block2:
;; @0042                               jump block1
;;
;;                                 block1:
;; @0040                               v6 = iconst.i32 -1
;; @0042                               return v6  ; v6 = -1
;; }
;;
;; ; function 1 $with_value (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0049                               v5 = iconst.i32 7
;; @004d                               br_table v0, block4, [block4, block5]
;;
;;                                 block4:
;; @004d                               jump block3(v5)  ; v5 = 7
;;
;;                                 block5:
;; @004d                               jump block2(v5)  ; v5 = 7
;;
;;                                 block3(v4: i32):
;; @0053                               v6 = iconst.i32 10
;; @0055                               v7 = iadd v4, v6  ; v6 = 10
;; @0056                               jump block2(v7)
;;
;;                                 block2(v3: i32):
;; @0057                               v8 = iconst.i32 20
;; @0059                               v9 = iadd v3, v8  ; v8 = 20
;; @005a                               jump block1(v9)
;;
;;                                 block1(v2: i32):
;; @005a                               return v2
;; }
;;
;; ; function 1 $with_value (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @004d                               br_table v0, block4, [block4, block5]
;;
;;                                 block4:
;; @004d                               jump block3
;;
;;                                 block5:
;; @0049                               v5 = iconst.i32 7
;; @004d                               jump block2(v5)  ; v5 = 7
;;
;;                                 block3:
;;                                     v10 = iconst.i32 17
;; @0056                               jump block2(v10)  ; v10 = 17
;;
;;                                 block2(v3: i32):
;; @005a                               jump block1
;;
;;                                 block1:
;; @0057                               v8 = iconst.i32 20
;; @0059                               v9 = iadd.i32 v3, v8  ; v8 = 20
;; @005a                               return v9
;; }
;;
;; ; function 2 $one_target (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0061                               br_table v0, block2, [block2]
;;
;;                                 block2:
;; @0066                               jump block1
;;
;;                                 block1:
;; @0066                               return
;; }
;;
;; ; function 2 $one_target (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @0061                               br_table v0, block2, [block2]
;;
;;                                 block2:
;; @0066                               jump block1
;;
;;                                 block1:
;; @0066                               return
;; }
