;;! stages = optimized
;; A table whose maximum is its minimum (as wasm-ld makes a C program's
;; function table) can never grow: `call_indirect` compares the index with
;; the constant size, and the table's base is a `readonly` load, which the
;; mid-end hoists out of the loop even though the loop makes calls (a
;; growable table's base is reloaded after every call, see call_indirect).
(module
  (type $unary (func (param i32) (result i32)))
  (table 2 2 funcref)
  (elem (i32.const 0) $inc $inc)

  (func $inc (type $unary) (i32.add (local.get 0) (i32.const 1)))

  ;; Calls entry `$k` `$n` times, threading the value through.
  (func $repeat (param $k i32) (param $n i32) (result i32)
    (local $v i32)
    (loop $again
      (local.set $v (call_indirect (type $unary) (local.get $v) (local.get $k)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $v))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $inc (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32):
;; @0036                               jump block1
;;
;;                                 block1:
;; @0033                               v3 = iconst.i32 1
;; @0035                               v4 = iadd.i32 v0, v3  ; v3 = 1
;; @0036                               return v4
;; }
;;
;; ; function 1 $repeat (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:1(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = (i32) -> i32 tail
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v3 = iconst.i32 0
;; @0041                               v7 = uextend.i64 v0
;; @0041                               v8 = iconst.i64 2
;; @0041                               v9 = icmp uge v7, v8  ; v8 = 2
;; @0041                               v10 = symbol_value.i64 gv1
;; @0041                               v11 = load.i64 notrap aligned readonly can_move v10
;; @0041                               v12 = iconst.i64 3
;; @0041                               v13 = ishl v7, v12  ; v12 = 3
;; @0041                               v14 = iadd v11, v13
;; @0041                               v17 = symbol_value.i64 gv2
;; @0041                               v18 = load.i32 notrap aligned readonly can_move v17
;; @0048                               v23 = iconst.i32 1
;; @003b                               jump block2(v3, v1)  ; v3 = 0
;;
;;                                 block2(v5: i32, v22: i32):
;; @0041                               trapnz.i8 v9, user4
;; @0041                               v15 = load.i64 notrap aligned v14
;; @0041                               v16 = load.i32 user5 aligned readonly v15+8
;; @0041                               v19 = icmp ne v16, v18
;; @0041                               trapnz v19, user6
;; @0041                               v20 = load.i64 notrap aligned readonly v15
;; @0041                               v21 = call_indirect sig0, v20(v5)
;;                                     v25 = iconst.i32 1
;;                                     v26 = isub v22, v25  ; v25 = 1
;; @004d                               brif v26, block2(v21, v26), block4
;;
;;                                 block4:
;; @004f                               jump block3
;;
;;                                 block3:
;; @0052                               jump block1
;;
;;                                 block1:
;; @0052                               return v21
;; }
