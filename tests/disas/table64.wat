;; A 64-bit table's index is an `i64` used as is: the bounds check compares
;; it with the table's length without the `uextend` a 32-bit table's index
;; gets (an index of 2^32 + 1 must not become 1), and table.size returns the
;; length without narrowing.
(module
  (type $v (func))
  (table i64 1 funcref)

  (func $call (param i64)
    (call_indirect (type $v) (local.get 0)))

  (func $size (result i64)
    (table.size))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $call (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:0(i64) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = () tail
;;
;;                                 block0(v0: i64):
;;                                     v1 = symbol_value.i64 gv0
;; @0028                               v2 = symbol_value.i64 gv1
;; @0028                               v3 = load.i64 notrap aligned v2+8
;; @0028                               v4 = icmp uge v0, v3
;; @0028                               trapnz v4, user4
;; @0028                               v5 = symbol_value.i64 gv1
;; @0028                               v6 = load.i64 notrap aligned v5
;; @0028                               v7 = iconst.i64 3
;; @0028                               v8 = ishl v0, v7  ; v7 = 3
;; @0028                               v9 = iadd v6, v8
;; @0028                               v10 = load.i64 notrap aligned v9
;; @0028                               v11 = load.i32 user5 aligned readonly v10+8
;; @0028                               v12 = symbol_value.i64 gv2
;; @0028                               v13 = load.i32 notrap aligned readonly can_move v12
;; @0028                               v14 = icmp ne v11, v13
;; @0028                               trapnz v14, user6
;; @0028                               v15 = load.i64 notrap aligned readonly v10
;; @0028                               call_indirect sig0, v15()
;; @002b                               jump block1
;;
;;                                 block1:
;; @002b                               return
;; }
;;
;; ; function 0 $call (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:0(i64) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = () tail
;;
;;                                 block0(v0: i64):
;; @0028                               v2 = symbol_value.i64 gv1
;; @0028                               v3 = load.i64 notrap aligned v2+8
;; @0028                               v4 = icmp uge v0, v3
;; @0028                               trapnz v4, user4
;; @0028                               v6 = load.i64 notrap aligned v2
;; @0028                               v7 = iconst.i64 3
;; @0028                               v8 = ishl v0, v7  ; v7 = 3
;; @0028                               v9 = iadd v6, v8
;; @0028                               v10 = load.i64 notrap aligned v9
;; @0028                               v11 = load.i32 user5 aligned readonly v10+8
;; @0028                               v12 = symbol_value.i64 gv2
;; @0028                               v13 = load.i32 notrap aligned readonly can_move v12
;; @0028                               v14 = icmp ne v11, v13
;; @0028                               trapnz v14, user6
;; @0028                               v15 = load.i64 notrap aligned readonly v10
;; @0028                               call_indirect sig0, v15()
;; @002b                               jump block1
;;
;;                                 block1:
;; @002b                               return
;; }
;;
;; ; function 1 $size (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; function u0:1() -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @002e                               v2 = symbol_value.i64 gv1
;; @002e                               v3 = load.i64 notrap aligned v2+8
;; @0031                               jump block1(v3)
;;
;;                                 block1(v1: i64):
;; @0031                               return v1
;; }
;;
;; ; function 1 $size (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; function u0:1() -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;
;;                                 block0:
;; @002e                               v2 = symbol_value.i64 gv1
;; @002e                               v3 = load.i64 notrap aligned v2+8
;; @0031                               jump block1
;;
;;                                 block1:
;; @0031                               return v3
;; }
