;; `memory.grow` calls the `memory_grow` builtin through
;; `VMContext::builtins` (vmctx, memory index, delta as i64) and narrows its
;; i64 result (old size in pages, or -1) to i32. `memory.size` reads the
;; current length (not `readonly`: it changes on grow) and shifts it by 16.
;; The base is not reloaded after a grow: memory never moves.
(module
  (memory 1 10)

  (func $grow (param i32) (result i32)
    (memory.grow (local.get 0)))

  (func $size (result i32)
    (memory.size))

  (func $grow_then_load (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.load (local.get 0)))

  ;; Bulk operators are builtins too.
  (func $fill (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func $copy (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $grow (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64) -> i64 system_v
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @002f                               v4 = uextend.i64 v0
;; @002f                               v5 = iconst.i32 0
;; @002f                               v6 = load.i64 notrap aligned readonly can_move v1+32
;; @002f                               v7 = call_indirect sig0, v6(v1, v5, v4)  ; v5 = 0
;; @002f                               v8 = ireduce.i32 v7
;; @0031                               jump block1(v8)
;;
;;                                 block1(v3: i32):
;; @0031                               return v3
;; }
;;
;; ; function 0 $grow (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64) -> i64 system_v
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @002f                               v6 = load.i64 notrap aligned readonly can_move v1+32
;; @002f                               v5 = iconst.i32 0
;; @002f                               v4 = uextend.i64 v0
;; @002f                               v7 = call_indirect sig0, v6(v1, v5, v4)  ; v5 = 0
;; @0031                               jump block1
;;
;;                                 block1:
;; @002f                               v8 = ireduce.i32 v7
;; @0031                               return v8
;; }
;;
;; ; function 1 $size (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;;                                     v1 = load.i64 notrap aligned readonly can_move v0
;; @0034                               v3 = load.i64 notrap aligned v0+8
;; @0034                               v4 = iconst.i64 16
;; @0034                               v5 = ushr v3, v4  ; v4 = 16
;; @0034                               v6 = ireduce.i32 v5
;; @0036                               jump block1(v6)
;;
;;                                 block1(v2: i32):
;; @0036                               return v2
;; }
;;
;; ; function 1 $size (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @0034                               v3 = load.i64 notrap aligned v0+8
;; @0036                               jump block1
;;
;;                                 block1:
;; @0034                               v4 = iconst.i64 16
;; @0034                               v5 = ushr.i64 v3, v4  ; v4 = 16
;; @0034                               v6 = ireduce.i32 v5
;; @0036                               return v6
;; }
;;
;; ; function 2 $grow_then_load (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64) -> i64 system_v
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0039                               v4 = iconst.i32 1
;; @003b                               v5 = uextend.i64 v4  ; v4 = 1
;; @003b                               v6 = iconst.i32 0
;; @003b                               v7 = load.i64 notrap aligned readonly can_move v1+32
;; @003b                               v8 = call_indirect sig0, v7(v1, v6, v5)  ; v6 = 0
;; @003b                               v9 = ireduce.i32 v8
;; @0040                               v10 = uextend.i64 v0
;; @0040                               v11 = iadd v2, v10
;; @0040                               v12 = load.i32 little v11
;; @0043                               jump block1(v12)
;;
;;                                 block1(v3: i32):
;; @0043                               return v3
;; }
;;
;; ; function 2 $grow_then_load (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64) -> i64 system_v
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @003b                               v7 = load.i64 notrap aligned readonly can_move v1+32
;; @003b                               v6 = iconst.i32 0
;;                                     v13 = iconst.i64 1
;; @003b                               v8 = call_indirect sig0, v7(v1, v6, v13)  ; v6 = 0, v13 = 1
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0040                               v10 = uextend.i64 v0
;; @0040                               v11 = iadd v2, v10
;; @0040                               v12 = load.i32 little v11
;; @0043                               jump block1
;;
;;                                 block1:
;; @0043                               return v12
;; }
;;
;; ; function 3 $fill (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64, i32, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;;                                     v4 = load.i64 notrap aligned readonly can_move v3
;; @004c                               v5 = uextend.i64 v0
;; @004c                               v6 = uextend.i64 v2
;; @004c                               v7 = iconst.i32 0
;; @004c                               v8 = load.i64 notrap aligned readonly can_move v3+40
;; @004c                               call_indirect sig0, v8(v3, v7, v5, v1, v6)  ; v7 = 0
;; @004f                               jump block1
;;
;;                                 block1:
;; @004f                               return
;; }
;;
;; ; function 3 $fill (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:3(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64, i32, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @004c                               v8 = load.i64 notrap aligned readonly can_move v3+40
;; @004c                               v7 = iconst.i32 0
;; @004c                               v5 = uextend.i64 v0
;; @004c                               v6 = uextend.i64 v2
;; @004c                               call_indirect sig0, v8(v3, v7, v5, v1, v6)  ; v7 = 0
;; @004f                               jump block1
;;
;;                                 block1:
;; @004f                               return
;; }
;;
;; ; function 4 $copy (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i32, i64, i64, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;;                                     v4 = load.i64 notrap aligned readonly can_move v3
;; @0058                               v5 = uextend.i64 v0
;; @0058                               v6 = uextend.i64 v1
;; @0058                               v7 = uextend.i64 v2
;; @0058                               v8 = iconst.i32 0
;; @0058                               v9 = iconst.i32 0
;; @0058                               v10 = load.i64 notrap aligned readonly can_move v3+48
;; @0058                               call_indirect sig0, v10(v3, v8, v9, v5, v6, v7)  ; v8 = 0, v9 = 0
;; @005c                               jump block1
;;
;;                                 block1:
;; @005c                               return
;; }
;;
;; ; function 4 $copy (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i32, i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i32, i64, i64, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32, v2: i32):
;;                                     v3 = symbol_value.i64 gv0
;; @0058                               v10 = load.i64 notrap aligned readonly can_move v3+48
;; @0058                               v8 = iconst.i32 0
;; @0058                               v5 = uextend.i64 v0
;; @0058                               v6 = uextend.i64 v1
;; @0058                               v7 = uextend.i64 v2
;; @0058                               call_indirect sig0, v10(v3, v8, v8, v5, v6, v7)  ; v8 = 0, v8 = 0
;; @005c                               jump block1
;;
;;                                 block1:
;; @005c                               return
;; }
