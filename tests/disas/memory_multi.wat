;; A second memory is addressed like the first: its base comes from its own
;; `VMMemory` (in the `memories` data object, not in the vmctx), loaded once
;; in the entry block `readonly can_move`, and its accesses carry no bounds
;; check either (every 32-bit memory has its own guard reservation). An
;; imported memory's `VMMemory` (memory 0 here) is found through its pointer
;; in `memory_states`. Bulk operators pass the memory indices to the
;; builtin.
(module
  (import "env" "shared" (memory $imported 1))
  (memory $one 1)
  (memory $two 1)

  (func $load_one (param i32) (result i32)
    (i32.load $one offset=16 (local.get 0)))

  (func $load_imported (param i32) (result i32)
    (i32.load $imported (local.get 0)))

  (func $size_two (result i32)
    (memory.size $two))

  ;; Copy from memory 2 to memory 1.
  (func $copy (param i32 i32 i32)
    (memory.copy $one $two (local.get 0) (local.get 1) (local.get 2)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $load_one (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = symbol_value.i64 gv1
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = load.i64 notrap aligned readonly can_move v3
;;                                     v5 = symbol_value.i64 gv2
;;                                     v6 = load.i64 notrap aligned readonly can_move v5+16
;;                                     v7 = symbol_value.i64 gv2
;;                                     v8 = load.i64 notrap aligned readonly can_move v7+32
;; @0040                               v10 = uextend.i64 v0
;; @0040                               v11 = iadd v6, v10
;; @0040                               v12 = load.i32 little v11+16
;; @0044                               jump block1(v12)
;;
;;                                 block1(v9: i32):
;; @0044                               return v9
;; }
;;
;; ; function 0 $load_one (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v5 = symbol_value.i64 gv2
;;                                     v6 = load.i64 notrap aligned readonly can_move v5+16
;; @0040                               v10 = uextend.i64 v0
;; @0040                               v11 = iadd v6, v10
;; @0040                               v12 = load.i32 little v11+16
;; @0044                               jump block1
;;
;;                                 block1:
;; @0044                               return v12
;; }
;;
;; ; function 1 $load_imported (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:1(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = symbol_value.i64 gv1
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = load.i64 notrap aligned readonly can_move v3
;;                                     v5 = symbol_value.i64 gv2
;;                                     v6 = load.i64 notrap aligned readonly can_move v5+16
;;                                     v7 = symbol_value.i64 gv2
;;                                     v8 = load.i64 notrap aligned readonly can_move v7+32
;; @0049                               v10 = uextend.i64 v0
;; @0049                               v11 = iadd v4, v10
;; @0049                               v12 = load.i32 little v11
;; @004c                               jump block1(v12)
;;
;;                                 block1(v9: i32):
;; @004c                               return v9
;; }
;;
;; ; function 1 $load_imported (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:1(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v2 = symbol_value.i64 gv1
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = load.i64 notrap aligned readonly can_move v3
;; @0049                               v10 = uextend.i64 v0
;; @0049                               v11 = iadd v4, v10
;; @0049                               v12 = load.i32 little v11
;; @004c                               jump block1
;;
;;                                 block1:
;; @004c                               return v12
;; }
;;
;; ; function 2 $size_two (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:2() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;;                                     v1 = symbol_value.i64 gv1
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = symbol_value.i64 gv2
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;;                                     v6 = symbol_value.i64 gv2
;;                                     v7 = load.i64 notrap aligned readonly can_move v6+32
;; @004f                               v9 = load.i64 notrap aligned v6+40
;; @004f                               v10 = iconst.i64 16
;; @004f                               v11 = ushr v9, v10  ; v10 = 16
;; @004f                               v12 = ireduce.i32 v11
;; @0051                               jump block1(v12)
;;
;;                                 block1(v8: i32):
;; @0051                               return v8
;; }
;;
;; ; function 2 $size_two (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:2() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;
;;                                 block0:
;;                                     v4 = symbol_value.i64 gv2
;; @004f                               v9 = load.i64 notrap aligned v4+40
;; @0051                               jump block1
;;
;;                                 block1:
;; @004f                               v10 = iconst.i64 16
;; @004f                               v11 = ushr.i64 v9, v10  ; v10 = 16
;; @004f                               v12 = ireduce.i32 v11
;; @0051                               return v12
;; }
;;
;; ; function 3 $copy (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:3(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;     sig0 = (i64, i32, i32, i64, i64, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4
;;                                     v6 = load.i64 notrap aligned readonly can_move v5
;;                                     v7 = symbol_value.i64 gv2
;;                                     v8 = load.i64 notrap aligned readonly can_move v7+16
;;                                     v9 = symbol_value.i64 gv2
;;                                     v10 = load.i64 notrap aligned readonly can_move v9+32
;; @005a                               v11 = uextend.i64 v0
;; @005a                               v12 = uextend.i64 v1
;; @005a                               v13 = uextend.i64 v2
;; @005a                               v14 = iconst.i32 1
;; @005a                               v15 = iconst.i32 2
;; @005a                               v16 = load.i64 notrap aligned readonly can_move v3+48
;; @005a                               call_indirect sig0, v16(v3, v14, v15, v11, v12, v13)  ; v14 = 1, v15 = 2
;; @005e                               jump block1
;;
;;                                 block1:
;; @005e                               return
;; }
;;
;; ; function 3 $copy (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname8 = u1:8 memory_states
;; ; userextname9 = u1:9 memories
;; function u0:3(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname8
;;     gv2 = symbol colocated userextname9
;;     sig0 = (i64, i32, i32, i64, i64, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @005a                               v16 = load.i64 notrap aligned readonly can_move v3+48
;; @005a                               v14 = iconst.i32 1
;; @005a                               v15 = iconst.i32 2
;; @005a                               v11 = uextend.i64 v0
;; @005a                               v12 = uextend.i64 v1
;; @005a                               v13 = uextend.i64 v2
;; @005a                               call_indirect sig0, v16(v3, v14, v15, v11, v12, v13)  ; v14 = 1, v15 = 2
;; @005e                               jump block1
;;
;;                                 block1:
;; @005e                               return
;; }
