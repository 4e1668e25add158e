;;! stages = both
;; Atomic instructions on an unshared memory are the plain accesses they
;; stand for: one thread runs the instance, so nothing else can see memory
;; between two instructions. What the threads proposal adds is the
;; alignment trap: `index + offset` (the low bits only: the sum may wrap)
;; must be a multiple of the access size, checked before the access
;; ("unaligned atomic", user trap 12). A narrow read-modify-write loads
;; zero-extended, computes in the full width and stores the low bytes; a
;; narrow `cmpxchg` compares with the expected value wrapped to the width.
;; `memory.atomic.notify` checks its address with a load and returns 0;
;; `wait32` checks its address and traps ("expected shared memory", user
;; trap 15). On a 64-bit memory the alignment check comes before the bounds
;; check. `atomic.fence` is nothing.
(module
  (memory $m 1)
  (memory $w i64 1)

  (func $rmw_add (param i32 i32) (result i32)
    (i32.atomic.rmw.add offset=8 (local.get 0) (local.get 1)))

  (func $load8 (param i32) (result i32)
    (i32.atomic.load8_u (local.get 0)))

  (func $store64 (param i32 i64)
    (atomic.fence)
    (i64.atomic.store offset=3 (local.get 0) (local.get 1)))

  (func $cmpxchg16 (param i32 i64 i64) (result i64)
    (i64.atomic.rmw16.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))

  (func $sub_memory64 (param i64 i32) (result i32)
    (i32.atomic.rmw.sub $w (local.get 0) (local.get 1)))

  (func $notify (param i32) (result i32)
    (memory.atomic.notify (local.get 0) (i32.const 1)))

  (func $wait (param i32) (result i32)
    (memory.atomic.wait32 (local.get 0) (i32.const 0) (i64.const -1)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $rmw_add (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:0(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0042                               v7 = iconst.i32 3
;; @0042                               v8 = band v0, v7  ; v7 = 3
;; @0042                               trapnz v8, user12
;; @0042                               v9 = uextend.i64 v0
;; @0042                               v10 = iadd v3, v9
;; @0042                               v11 = load.i32 little v10+8
;; @0042                               v12 = iadd v11, v1
;; @0042                               store little v12, v10+8
;; @0046                               jump block1(v11)
;;
;;                                 block1(v6: i32):
;; @0046                               return v6
;; }
;;
;; ; function 0 $rmw_add (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:0(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;; @0042                               v7 = iconst.i32 3
;; @0042                               v8 = band v0, v7  ; v7 = 3
;; @0042                               trapnz v8, user12
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @0042                               v9 = uextend.i64 v0
;; @0042                               v10 = iadd v3, v9
;; @0042                               v11 = load.i32 little v10+8
;; @0042                               v12 = iadd v11, v1
;; @0042                               store little v12, v10+8
;; @0046                               jump block1
;;
;;                                 block1:
;; @0046                               return v11
;; }
;;
;; ; function 1 $load8 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:1(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;;                                     v3 = symbol_value.i64 gv1
;;                                     v4 = load.i64 notrap aligned readonly can_move v3+16
;; @004b                               v6 = uextend.i64 v0
;; @004b                               v7 = iadd v2, v6
;; @004b                               v8 = uload8.i32 little v7
;; @004f                               jump block1(v8)
;;
;;                                 block1(v5: i32):
;; @004f                               return v5
;; }
;;
;; ; function 1 $load8 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:1(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @004b                               v6 = uextend.i64 v0
;; @004b                               v7 = iadd v2, v6
;; @004b                               v8 = uload8.i32 little v7
;; @004f                               jump block1
;;
;;                                 block1:
;; @004f                               return v8
;; }
;;
;; ; function 2 $store64 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:2(i32, i64) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0059                               v6 = iconst.i32 3
;; @0059                               v7 = iadd v0, v6  ; v6 = 3
;; @0059                               v8 = iconst.i32 7
;; @0059                               v9 = band v7, v8  ; v8 = 7
;; @0059                               trapnz v9, user12
;; @0059                               v10 = uextend.i64 v0
;; @0059                               v11 = iadd v3, v10
;; @0059                               store little v1, v11+3
;; @005d                               jump block1
;;
;;                                 block1:
;; @005d                               return
;; }
;;
;; ; function 2 $store64 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:2(i32, i64) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i64):
;; @0059                               v6 = iconst.i32 3
;; @0059                               v7 = iadd v0, v6  ; v6 = 3
;; @0059                               v8 = iconst.i32 7
;; @0059                               v9 = band v7, v8  ; v8 = 7
;; @0059                               trapnz v9, user12
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @0059                               v10 = uextend.i64 v0
;; @0059                               v11 = iadd v3, v10
;; @0059                               store little v1, v11+3
;; @005d                               jump block1
;;
;;                                 block1:
;; @005d                               return
;; }
;;
;; ; function 3 $cmpxchg16 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:3(i32, i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i64, v2: i64):
;;                                     v3 = symbol_value.i64 gv0
;;                                     v4 = load.i64 notrap aligned readonly can_move v3
;;                                     v5 = symbol_value.i64 gv1
;;                                     v6 = load.i64 notrap aligned readonly can_move v5+16
;; @0066                               v8 = iconst.i32 1
;; @0066                               v9 = band v0, v8  ; v8 = 1
;; @0066                               trapnz v9, user12
;; @0066                               v10 = uextend.i64 v0
;; @0066                               v11 = iadd v4, v10
;; @0066                               v12 = uload16.i64 little v11
;; @0066                               v13 = iconst.i64 0xffff
;; @0066                               v14 = band v1, v13  ; v13 = 0xffff
;; @0066                               v15 = icmp eq v12, v14
;; @0066                               v16 = select v15, v2, v12
;; @0066                               istore16 little v16, v11
;; @006a                               jump block1(v12)
;;
;;                                 block1(v7: i64):
;; @006a                               return v7
;; }
;;
;; ; function 3 $cmpxchg16 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:3(i32, i64, i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i64, v2: i64):
;; @0066                               v8 = iconst.i32 1
;; @0066                               v9 = band v0, v8  ; v8 = 1
;; @0066                               trapnz v9, user12
;;                                     v3 = symbol_value.i64 gv0
;;                                     v4 = load.i64 notrap aligned readonly can_move v3
;; @0066                               v10 = uextend.i64 v0
;; @0066                               v11 = iadd v4, v10
;; @0066                               v12 = uload16.i64 little v11
;; @0066                               v13 = iconst.i64 0xffff
;; @0066                               v14 = band v1, v13  ; v13 = 0xffff
;; @0066                               v15 = icmp eq v12, v14
;; @0066                               v16 = select v15, v2, v12
;; @0066                               istore16 little v16, v11
;; @006a                               jump block1
;;
;;                                 block1:
;; @006a                               return v12
;; }
;;
;; ; function 4 $sub_memory64 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:4(i64, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i64, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0071                               v7 = iconst.i64 3
;; @0071                               v8 = band v0, v7  ; v7 = 3
;; @0071                               trapnz v8, user12
;; @0071                               v9 = iconst.i64 4
;; @0071                               v10 = uadd_overflow_trap v0, v9, heap_oob  ; v9 = 4
;; @0071                               v11 = load.i64 notrap aligned v4+24
;; @0071                               v12 = icmp ugt v10, v11
;; @0071                               trapnz v12, heap_oob
;; @0071                               v13 = iadd v5, v0
;; @0071                               v14 = load.i32 little v13
;; @0071                               v15 = isub v14, v1
;; @0071                               store little v15, v13
;; @0076                               jump block1(v14)
;;
;;                                 block1(v6: i32):
;; @0076                               return v6
;; }
;;
;; ; function 4 $sub_memory64 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:4(i64, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i64, v1: i32):
;; @0071                               v7 = iconst.i64 3
;; @0071                               v8 = band v0, v7  ; v7 = 3
;; @0071                               trapnz v8, user12
;; @0071                               v9 = iconst.i64 4
;; @0071                               v10 = uadd_overflow_trap v0, v9, heap_oob  ; v9 = 4
;;                                     v4 = symbol_value.i64 gv1
;; @0071                               v11 = load.i64 notrap aligned v4+24
;; @0071                               v12 = icmp ugt v10, v11
;; @0071                               trapnz v12, heap_oob
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0071                               v13 = iadd v5, v0
;; @0071                               v14 = load.i32 little v13
;; @0071                               v15 = isub v14, v1
;; @0071                               store little v15, v13
;; @0076                               jump block1
;;
;;                                 block1:
;; @0076                               return v14
;; }
;;
;; ; function 5 $notify (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:5(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;;                                     v3 = symbol_value.i64 gv1
;;                                     v4 = load.i64 notrap aligned readonly can_move v3+16
;; @007b                               v6 = iconst.i32 1
;; @007d                               v7 = iconst.i32 3
;; @007d                               v8 = band v0, v7  ; v7 = 3
;; @007d                               trapnz v8, user12
;; @007d                               v9 = uextend.i64 v0
;; @007d                               v10 = iadd v2, v9
;; @007d                               v11 = load.i32 little v10
;; @007d                               v12 = iconst.i32 0
;; @0081                               jump block1(v12)  ; v12 = 0
;;
;;                                 block1(v5: i32):
;; @0081                               return v5
;; }
;;
;; ; function 5 $notify (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:5(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;; @007d                               v7 = iconst.i32 3
;; @007d                               v8 = band v0, v7  ; v7 = 3
;; @007d                               trapnz v8, user12
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @007d                               v9 = uextend.i64 v0
;; @007d                               v10 = iadd v2, v9
;; @007d                               v11 = load.i32 little v10
;; @0081                               jump block1
;;
;;                                 block1:
;; @007d                               v12 = iconst.i32 0
;; @0081                               return v12  ; v12 = 0
;; }
;;
;; ; function 6 $wait (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:6(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;;                                     v3 = symbol_value.i64 gv1
;;                                     v4 = load.i64 notrap aligned readonly can_move v3+16
;; @0086                               v6 = iconst.i32 0
;; @0088                               v7 = iconst.i64 -1
;; @008a                               v8 = iconst.i32 3
;; @008a                               v9 = band v0, v8  ; v8 = 3
;; @008a                               trapnz v9, user12
;; @008a                               v10 = uextend.i64 v0
;; @008a                               v11 = iadd v2, v10
;; @008a                               v12 = load.i32 little v11
;; @008a                               trap user15
;; }
;;
;; ; function 6 $wait (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:6(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32):
;; @008a                               v8 = iconst.i32 3
;; @008a                               v9 = band v0, v8  ; v8 = 3
;; @008a                               trapnz v9, user12
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @008a                               v10 = uextend.i64 v0
;; @008a                               v11 = iadd v2, v10
;; @008a                               v12 = load.i32 little v11
;; @008a                               trap user15
;; }
