;; Linear-memory accesses carry no bounds check: the address is
;; `base + uextend(index)`, a static offset below 2^31 is folded into the
;; load or store, and nothing (no compare, no branch, no trap) comes before
;; the access. The access itself carries `heap_oob`: a fault on the guard
;; region is the bounds check. The base is loaded once, in the entry block,
;; `readonly can_move`: the mid-end drops it where memory is unused and
;; keeps it out of loops.
(module
  (memory 1)

  (func $load_offset (param i32) (result i32)
    (i32.load offset=16 (local.get 0)))

  (func $store_offset (param i32 i64)
    (i64.store offset=8 (local.get 0) (local.get 1)))

  ;; Offsets of 2^31 and more do not fit the instruction's signed 32-bit
  ;; immediate: they are added to the address instead.
  (func $large_offset (param i32) (result i32)
    (i32.load8_u offset=0xfffffff0 (local.get 0)))

  ;; Two accesses through the same index share `base + index`.
  (func $two_fields (param i32) (result i32)
    (i32.add
      (i32.load offset=0 (local.get 0))
      (i32.load16_s offset=4 (local.get 0))))

  ;; The base load stays outside the loop.
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

  ;; No memory access: after optimisation no base load either.
  (func $no_access (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $load_offset (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0030                               v4 = uextend.i64 v0
;; @0030                               v5 = iadd v2, v4
;; @0030                               v6 = load.i32 little v5+16
;; @0033                               jump block1(v6)
;;
;;                                 block1(v3: i32):
;; @0033                               return v3
;; }
;;
;; ; function 0 $load_offset (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0030                               v4 = uextend.i64 v0
;; @0030                               v5 = iadd v2, v4
;; @0030                               v6 = load.i32 little v5+16
;; @0033                               jump block1
;;
;;                                 block1:
;; @0033                               return v6
;; }
;;
;; ; function 1 $store_offset (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32, i64) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @003a                               v4 = uextend.i64 v0
;; @003a                               v5 = iadd v3, v4
;; @003a                               store little v1, v5+8
;; @003d                               jump block1
;;
;;                                 block1:
;; @003d                               return
;; }
;;
;; ; function 1 $store_offset (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i32, i64) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @003a                               v4 = uextend.i64 v0
;; @003a                               v5 = iadd v3, v4
;; @003a                               store little v1, v5+8
;; @003d                               jump block1
;;
;;                                 block1:
;; @003d                               return
;; }
;;
;; ; function 2 $large_offset (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0042                               v4 = uextend.i64 v0
;; @0042                               v5 = iadd v2, v4
;; @0042                               v6 = iconst.i64 0xffff_fff0
;; @0042                               v7 = iadd v5, v6  ; v6 = 0xffff_fff0
;; @0042                               v8 = uload8.i32 little v7
;; @0049                               jump block1(v8)
;;
;;                                 block1(v3: i32):
;; @0049                               return v3
;; }
;;
;; ; function 2 $large_offset (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0042                               v4 = uextend.i64 v0
;; @0042                               v5 = iadd v2, v4
;; @0042                               v6 = iconst.i64 0xffff_fff0
;; @0042                               v7 = iadd v5, v6  ; v6 = 0xffff_fff0
;; @0042                               v8 = uload8.i32 little v7
;; @0049                               jump block1
;;
;;                                 block1:
;; @0049                               return v8
;; }
;;
;; ; function 3 $two_fields (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @004e                               v4 = uextend.i64 v0
;; @004e                               v5 = iadd v2, v4
;; @004e                               v6 = load.i32 little v5
;; @0053                               v7 = uextend.i64 v0
;; @0053                               v8 = iadd v2, v7
;; @0053                               v9 = sload16.i32 little v8+4
;; @0056                               v10 = iadd v6, v9
;; @0057                               jump block1(v10)
;;
;;                                 block1(v3: i32):
;; @0057                               return v3
;; }
;;
;; ; function 3 $two_fields (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @004e                               v4 = uextend.i64 v0
;; @004e                               v5 = iadd v2, v4
;; @004e                               v6 = load.i32 little v5
;; @0053                               v9 = sload16.i32 little v5+4
;; @0057                               jump block1
;;
;;                                 block1:
;; @0056                               v10 = iadd.i32 v6, v9
;; @0057                               return v10
;; }
;;
;; ; function 4 $sum (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = iconst.i32 0
;; @005e                               jump block3(v1, v4, v0)  ; v4 = 0
;;
;;                                 block3(v6: i32, v10: i32, v11: i32):
;; @0062                               v7 = iconst.i32 0
;; @0062                               v8 = icmp eq v6, v7  ; v7 = 0
;; @0062                               v9 = uextend.i32 v8
;; @0063                               brif v9, block2, block5
;;
;;                                 block5:
;; @0069                               v12 = uextend.i64 v11
;; @0069                               v13 = iadd.i64 v3, v12
;; @0069                               v14 = load.i32 little v13
;; @006c                               v15 = iadd.i32 v10, v14
;; @0071                               v16 = iconst.i32 4
;; @0073                               v17 = iadd.i32 v11, v16  ; v16 = 4
;; @0078                               v18 = iconst.i32 1
;; @007a                               v19 = isub.i32 v6, v18  ; v18 = 1
;; @007d                               jump block3(v19, v15, v17)
;;
;;                                 block2:
;; @0083                               jump block1(v10)
;;
;;                                 block1(v5: i32):
;; @0083                               return v5
;; }
;;
;; ; function 4 $sum (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v4 = iconst.i32 0
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @0078                               v18 = iconst.i32 1
;; @0071                               v16 = iconst.i32 4
;; @005e                               jump block3(v1, v4, v0)  ; v4 = 0
;;
;;                                 block3(v6: i32, v10: i32, v11: i32):
;;                                     v20 = iconst.i32 0
;;                                     v21 = icmp eq v6, v20  ; v20 = 0
;; @0063                               brif v21, block2, block5
;;
;;                                 block5:
;; @0069                               v12 = uextend.i64 v11
;; @0069                               v13 = iadd.i64 v3, v12
;; @0069                               v14 = load.i32 little v13
;;                                     v22 = iconst.i32 1
;;                                     v23 = isub.i32 v6, v22  ; v22 = 1
;; @006c                               v15 = iadd.i32 v10, v14
;;                                     v24 = iconst.i32 4
;;                                     v25 = iadd.i32 v11, v24  ; v24 = 4
;; @007d                               jump block3(v23, v15, v25)
;;
;;                                 block2:
;; @0083                               jump block1(v10)
;;
;;                                 block1(v5: i32):
;; @0083                               return v5
;; }
;;
;; ; function 5 $no_access (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0088                               v4 = iconst.i32 1
;; @008a                               v5 = iadd v0, v4  ; v4 = 1
;; @008b                               jump block1(v5)
;;
;;                                 block1(v3: i32):
;; @008b                               return v3
;; }
;;
;; ; function 5 $no_access (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:5(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @008b                               jump block1
;;
;;                                 block1:
;; @0088                               v4 = iconst.i32 1
;; @008a                               v5 = iadd.i32 v0, v4  ; v4 = 1
;; @008b                               return v5
;; }
