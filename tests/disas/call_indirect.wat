;; `call_indirect`: three checks, then an indirect call through
;; `VMFuncRef::code` (offset 0):
;; - the zero-extended index against the table's current length
;;   (`VMTable` in `tables`, length at +8): `trapnz user4`, "undefined element";
;; - the entry against null, with no instruction of its own: the type-id
;;   load through a null entry reads address 8, in the never-mapped first
;;   page, and carries trap code `user5`, "uninitialized element";
;; - the callee's type id (`VMFuncRef` +8) against the expected one, loaded
;;   from `type_ids` at 4 * type index: `trapnz user6`, "indirect call type
;;   mismatch".
;; The table's length and base are reloaded on every call (`table.grow`
;; changes them); the `VMFuncRef` fields and the type ids never change
;; (`readonly`).
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $nullary (func))
  ;; Structurally equal to $binop: its type id is $binop's.
  (type $binop2 (func (param i32 i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $add $nop)

  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $nop (type $nullary))

  (func $call_binop (param i32 i32 i32) (result i32)
    (call_indirect (type $binop) (local.get 0) (local.get 1) (local.get 2)))

  (func $call_nullary (param i32)
    (call_indirect (type $nullary) (local.get 0)))

  (func $call_binop2 (param i32) (result i32)
    (call_indirect (type $binop2) (i32.const 1) (i32.const 2) (local.get 0)))

  (func $tail_call (param i32 i32 i32) (result i32)
    (return_call_indirect (type $binop) (local.get 0) (local.get 1) (local.get 2)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $add (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @004c                               v4 = iadd v0, v1
;; @004d                               jump block1(v4)
;;
;;                                 block1(v3: i32):
;; @004d                               return v3
;; }
;;
;; ; function 0 $add (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @004d                               jump block1
;;
;;                                 block1:
;; @004c                               v4 = iadd.i32 v0, v1
;; @004d                               return v4
;; }
;;
;; ; function 1 $nop (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1() tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @0050                               jump block1
;;
;;                                 block1:
;; @0050                               return
;; }
;;
;; ; function 1 $nop (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1() tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;; @0050                               jump block1
;;
;;                                 block1:
;; @0050                               return
;; }
;;
;; ; function 2 $call_binop (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:2(i32, i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = (i32, i32) -> i32 tail
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @0059                               v5 = uextend.i64 v2
;; @0059                               v6 = symbol_value.i64 gv1
;; @0059                               v7 = load.i64 notrap aligned v6+8
;; @0059                               v8 = icmp uge v5, v7
;; @0059                               trapnz v8, user4
;; @0059                               v9 = symbol_value.i64 gv1
;; @0059                               v10 = load.i64 notrap aligned v9
;; @0059                               v11 = iconst.i64 3
;; @0059                               v12 = ishl v5, v11  ; v11 = 3
;; @0059                               v13 = iadd v10, v12
;; @0059                               v14 = load.i64 notrap aligned v13
;; @0059                               v15 = load.i32 user5 aligned readonly v14+8
;; @0059                               v16 = symbol_value.i64 gv2
;; @0059                               v17 = load.i32 notrap aligned readonly can_move v16
;; @0059                               v18 = icmp ne v15, v17
;; @0059                               trapnz v18, user6
;; @0059                               v19 = load.i64 notrap aligned readonly v14
;; @0059                               v20 = call_indirect sig0, v19(v0, v1)
;; @005c                               jump block1(v20)
;;
;;                                 block1(v4: i32):
;; @005c                               return v4
;; }
;;
;; ; function 2 $call_binop (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:2(i32, i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = (i32, i32) -> i32 tail
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;; @0059                               v6 = symbol_value.i64 gv1
;; @0059                               v7 = load.i64 notrap aligned v6+8
;; @0059                               v5 = uextend.i64 v2
;; @0059                               v8 = icmp uge v5, v7
;; @0059                               trapnz v8, user4
;; @0059                               v10 = load.i64 notrap aligned v6
;; @0059                               v11 = iconst.i64 3
;; @0059                               v12 = ishl v5, v11  ; v11 = 3
;; @0059                               v13 = iadd v10, v12
;; @0059                               v14 = load.i64 notrap aligned v13
;; @0059                               v15 = load.i32 user5 aligned readonly v14+8
;; @0059                               v16 = symbol_value.i64 gv2
;; @0059                               v17 = load.i32 notrap aligned readonly can_move v16
;; @0059                               v18 = icmp ne v15, v17
;; @0059                               trapnz v18, user6
;; @0059                               v19 = load.i64 notrap aligned readonly v14
;; @0059                               v20 = call_indirect sig0, v19(v0, v1)
;; @005c                               jump block1
;;
;;                                 block1:
;; @005c                               return v20
;; }
;;
;; ; function 3 $call_nullary (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:3(i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = () tail
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0061                               v2 = uextend.i64 v0
;; @0061                               v3 = symbol_value.i64 gv1
;; @0061                               v4 = load.i64 notrap aligned v3+8
;; @0061                               v5 = icmp uge v2, v4
;; @0061                               trapnz v5, user4
;; @0061                               v6 = symbol_value.i64 gv1
;; @0061                               v7 = load.i64 notrap aligned v6
;; @0061                               v8 = iconst.i64 3
;; @0061                               v9 = ishl v2, v8  ; v8 = 3
;; @0061                               v10 = iadd v7, v9
;; @0061                               v11 = load.i64 notrap aligned v10
;; @0061                               v12 = load.i32 user5 aligned readonly v11+8
;; @0061                               v13 = symbol_value.i64 gv2
;; @0061                               v14 = load.i32 notrap aligned readonly can_move v13+4
;; @0061                               v15 = icmp ne v12, v14
;; @0061                               trapnz v15, user6
;; @0061                               v16 = load.i64 notrap aligned readonly v11
;; @0061                               call_indirect sig0, v16()
;; @0064                               jump block1
;;
;;                                 block1:
;; @0064                               return
;; }
;;
;; ; function 3 $call_nullary (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:3(i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = () tail
;;
;;                                 block0(v0: i32):
;; @0061                               v3 = symbol_value.i64 gv1
;; @0061                               v4 = load.i64 notrap aligned v3+8
;; @0061                               v2 = uextend.i64 v0
;; @0061                               v5 = icmp uge v2, v4
;; @0061                               trapnz v5, user4
;; @0061                               v7 = load.i64 notrap aligned v3
;; @0061                               v8 = iconst.i64 3
;; @0061                               v9 = ishl v2, v8  ; v8 = 3
;; @0061                               v10 = iadd v7, v9
;; @0061                               v11 = load.i64 notrap aligned v10
;; @0061                               v12 = load.i32 user5 aligned readonly v11+8
;; @0061                               v13 = symbol_value.i64 gv2
;; @0061                               v14 = load.i32 notrap aligned readonly can_move v13+4
;; @0061                               v15 = icmp ne v12, v14
;; @0061                               trapnz v15, user6
;; @0061                               v16 = load.i64 notrap aligned readonly v11
;; @0061                               call_indirect sig0, v16()
;; @0064                               jump block1
;;
;;                                 block1:
;; @0064                               return
;; }
;;
;; ; function 4 $call_binop2 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:4(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = (i32, i32) -> i32 tail
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0067                               v3 = iconst.i32 1
;; @0069                               v4 = iconst.i32 2
;; @006d                               v5 = uextend.i64 v0
;; @006d                               v6 = symbol_value.i64 gv1
;; @006d                               v7 = load.i64 notrap aligned v6+8
;; @006d                               v8 = icmp uge v5, v7
;; @006d                               trapnz v8, user4
;; @006d                               v9 = symbol_value.i64 gv1
;; @006d                               v10 = load.i64 notrap aligned v9
;; @006d                               v11 = iconst.i64 3
;; @006d                               v12 = ishl v5, v11  ; v11 = 3
;; @006d                               v13 = iadd v10, v12
;; @006d                               v14 = load.i64 notrap aligned v13
;; @006d                               v15 = load.i32 user5 aligned readonly v14+8
;; @006d                               v16 = symbol_value.i64 gv2
;; @006d                               v17 = load.i32 notrap aligned readonly can_move v16+8
;; @006d                               v18 = icmp ne v15, v17
;; @006d                               trapnz v18, user6
;; @006d                               v19 = load.i64 notrap aligned readonly v14
;; @006d                               v20 = call_indirect sig0, v19(v3, v4)  ; v3 = 1, v4 = 2
;; @0070                               jump block1(v20)
;;
;;                                 block1(v2: i32):
;; @0070                               return v2
;; }
;;
;; ; function 4 $call_binop2 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:4(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = (i32, i32) -> i32 tail
;;
;;                                 block0(v0: i32):
;; @006d                               v6 = symbol_value.i64 gv1
;; @006d                               v7 = load.i64 notrap aligned v6+8
;; @006d                               v5 = uextend.i64 v0
;; @006d                               v8 = icmp uge v5, v7
;; @006d                               trapnz v8, user4
;; @006d                               v10 = load.i64 notrap aligned v6
;; @006d                               v11 = iconst.i64 3
;; @006d                               v12 = ishl v5, v11  ; v11 = 3
;; @006d                               v13 = iadd v10, v12
;; @006d                               v14 = load.i64 notrap aligned v13
;; @006d                               v15 = load.i32 user5 aligned readonly v14+8
;; @006d                               v16 = symbol_value.i64 gv2
;; @006d                               v17 = load.i32 notrap aligned readonly can_move v16+8
;; @006d                               v18 = icmp ne v15, v17
;; @006d                               trapnz v18, user6
;; @006d                               v19 = load.i64 notrap aligned readonly v14
;; @0067                               v3 = iconst.i32 1
;; @0069                               v4 = iconst.i32 2
;; @006d                               v20 = call_indirect sig0, v19(v3, v4)  ; v3 = 1, v4 = 2
;; @0070                               jump block1
;;
;;                                 block1:
;; @0070                               return v20
;; }
;;
;; ; function 5 $tail_call (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:5(i32, i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = (i32, i32) -> i32 tail
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @0079                               v5 = uextend.i64 v2
;; @0079                               v6 = symbol_value.i64 gv1
;; @0079                               v7 = load.i64 notrap aligned v6+8
;; @0079                               v8 = icmp uge v5, v7
;; @0079                               trapnz v8, user4
;; @0079                               v9 = symbol_value.i64 gv1
;; @0079                               v10 = load.i64 notrap aligned v9
;; @0079                               v11 = iconst.i64 3
;; @0079                               v12 = ishl v5, v11  ; v11 = 3
;; @0079                               v13 = iadd v10, v12
;; @0079                               v14 = load.i64 notrap aligned v13
;; @0079                               v15 = load.i32 user5 aligned readonly v14+8
;; @0079                               v16 = symbol_value.i64 gv2
;; @0079                               v17 = load.i32 notrap aligned readonly can_move v16
;; @0079                               v18 = icmp ne v15, v17
;; @0079                               trapnz v18, user6
;; @0079                               v19 = load.i64 notrap aligned readonly v14
;; @0079                               return_call_indirect sig0, v19(v0, v1)
;; }
;;
;; ; function 5 $tail_call (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname2 = u1:2 tables
;; ; userextname4 = u1:4 type_ids
;; function u0:5(i32, i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname2
;;     gv2 = symbol colocated userextname4
;;     sig0 = (i32, i32) -> i32 tail
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;; @0079                               v6 = symbol_value.i64 gv1
;; @0079                               v7 = load.i64 notrap aligned v6+8
;; @0079                               v5 = uextend.i64 v2
;; @0079                               v8 = icmp uge v5, v7
;; @0079                               trapnz v8, user4
;; @0079                               v10 = load.i64 notrap aligned v6
;; @0079                               v11 = iconst.i64 3
;; @0079                               v12 = ishl v5, v11  ; v11 = 3
;; @0079                               v13 = iadd v10, v12
;; @0079                               v14 = load.i64 notrap aligned v13
;; @0079                               v15 = load.i32 user5 aligned readonly v14+8
;; @0079                               v16 = symbol_value.i64 gv2
;; @0079                               v17 = load.i32 notrap aligned readonly can_move v16
;; @0079                               v18 = icmp ne v15, v17
;; @0079                               trapnz v18, user6
;; @0079                               v19 = load.i64 notrap aligned readonly v14
;; @0079                               return_call_indirect sig0, v19(v0, v1)
;; }
