;; A 64-bit memory's accesses are bounds checked in compiled code: the
;; `i64` index plus `offset + size` (one constant) is computed with
;; `uadd_overflow_trap`, compared with the current length (reloaded: it
;; changes on grow) and `trapnz` traps with `heap_oob` before the access.
;; The base is still loaded once, `readonly can_move`: it never moves.
;; memory.size and memory.grow are `i64` without narrowing.
(module
  (memory i64 1)

  (func $load (param i64) (result i32)
    (i32.load offset=16 (local.get 0)))

  (func $store (param i64 i64)
    (i64.store (local.get 0) (local.get 1)))

  ;; An offset past 2^31 is added to the address after the check.
  (func $large_offset (param i64) (result i32)
    (i32.load8_u offset=0x100000000 (local.get 0)))

  (func $size (result i64)
    (memory.size))

  (func $grow (param i64) (result i64)
    (memory.grow (local.get 0)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $load (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i64) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0032                               v4 = iconst.i64 20
;; @0032                               v5 = uadd_overflow_trap v0, v4, heap_oob  ; v4 = 20
;; @0032                               v6 = load.i64 notrap aligned v1+8
;; @0032                               v7 = icmp ugt v5, v6
;; @0032                               trapnz v7, heap_oob
;; @0032                               v8 = iadd v2, v0
;; @0032                               v9 = load.i32 little v8+16
;; @0035                               jump block1(v9)
;;
;;                                 block1(v3: i32):
;; @0035                               return v3
;; }
;;
;; ; function 0 $load (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:0(i64) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64):
;; @0032                               v4 = iconst.i64 20
;; @0032                               v5 = uadd_overflow_trap v0, v4, heap_oob  ; v4 = 20
;;                                     v1 = symbol_value.i64 gv0
;; @0032                               v6 = load.i64 notrap aligned v1+8
;; @0032                               v7 = icmp ugt v5, v6
;; @0032                               trapnz v7, heap_oob
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0032                               v8 = iadd v2, v0
;; @0032                               v9 = load.i32 little v8+16
;; @0035                               jump block1
;;
;;                                 block1:
;; @0035                               return v9
;; }
;;
;; ; function 1 $store (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i64, i64) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @003c                               v4 = iconst.i64 8
;; @003c                               v5 = uadd_overflow_trap v0, v4, heap_oob  ; v4 = 8
;; @003c                               v6 = load.i64 notrap aligned v2+8
;; @003c                               v7 = icmp ugt v5, v6
;; @003c                               trapnz v7, heap_oob
;; @003c                               v8 = iadd v3, v0
;; @003c                               store little v1, v8
;; @003f                               jump block1
;;
;;                                 block1:
;; @003f                               return
;; }
;;
;; ; function 1 $store (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:1(i64, i64) tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64, v1: i64):
;; @003c                               v4 = iconst.i64 8
;; @003c                               v5 = uadd_overflow_trap v0, v4, heap_oob  ; v4 = 8
;;                                     v2 = symbol_value.i64 gv0
;; @003c                               v6 = load.i64 notrap aligned v2+8
;; @003c                               v7 = icmp ugt v5, v6
;; @003c                               trapnz v7, heap_oob
;;                                     v3 = load.i64 notrap aligned readonly can_move v2
;; @003c                               v8 = iadd v3, v0
;; @003c                               store little v1, v8
;; @003f                               jump block1
;;
;;                                 block1:
;; @003f                               return
;; }
;;
;; ; function 2 $large_offset (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i64) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0044                               v4 = iconst.i64 0x0001_0000_0001
;; @0044                               v5 = uadd_overflow_trap v0, v4, heap_oob  ; v4 = 0x0001_0000_0001
;; @0044                               v6 = load.i64 notrap aligned v1+8
;; @0044                               v7 = icmp ugt v5, v6
;; @0044                               trapnz v7, heap_oob
;; @0044                               v8 = iadd v2, v0
;; @0044                               v9 = iconst.i64 0x0001_0000_0000
;; @0044                               v10 = iadd v8, v9  ; v9 = 0x0001_0000_0000
;; @0044                               v11 = uload8.i32 little v10
;; @004b                               jump block1(v11)
;;
;;                                 block1(v3: i32):
;; @004b                               return v3
;; }
;;
;; ; function 2 $large_offset (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i64) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i64):
;; @0044                               v4 = iconst.i64 0x0001_0000_0001
;; @0044                               v5 = uadd_overflow_trap v0, v4, heap_oob  ; v4 = 0x0001_0000_0001
;;                                     v1 = symbol_value.i64 gv0
;; @0044                               v6 = load.i64 notrap aligned v1+8
;; @0044                               v7 = icmp ugt v5, v6
;; @0044                               trapnz v7, heap_oob
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0044                               v8 = iadd v2, v0
;; @0044                               v9 = iconst.i64 0x0001_0000_0000
;; @0044                               v10 = iadd v8, v9  ; v9 = 0x0001_0000_0000
;; @0044                               v11 = uload8.i32 little v10
;; @004b                               jump block1
;;
;;                                 block1:
;; @004b                               return v11
;; }
;;
;; ; function 3 $size (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:3() -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;;                                     v1 = load.i64 notrap aligned readonly can_move v0
;; @004e                               v3 = load.i64 notrap aligned v0+8
;; @004e                               v4 = iconst.i64 16
;; @004e                               v5 = ushr v3, v4  ; v4 = 16
;; @0050                               jump block1(v5)
;;
;;                                 block1(v2: i64):
;; @0050                               return v2
;; }
;;
;; ; function 3 $size (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:3() -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @004e                               v3 = load.i64 notrap aligned v0+8
;; @0050                               jump block1
;;
;;                                 block1:
;; @004e                               v4 = iconst.i64 16
;; @004e                               v5 = ushr.i64 v3, v4  ; v4 = 16
;; @0050                               return v5
;; }
;;
;; ; function 4 $grow (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64) -> i64 system_v
;;
;;                                 block0(v0: i64):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = load.i64 notrap aligned readonly can_move v1
;; @0055                               v4 = iconst.i32 0
;; @0055                               v5 = load.i64 notrap aligned readonly can_move v1+32
;; @0055                               v6 = call_indirect sig0, v5(v1, v4, v0)  ; v4 = 0
;; @0057                               jump block1(v6)
;;
;;                                 block1(v3: i64):
;; @0057                               return v3
;; }
;;
;; ; function 4 $grow (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:4(i64) -> i64 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i64, i32, i64) -> i64 system_v
;;
;;                                 block0(v0: i64):
;;                                     v1 = symbol_value.i64 gv0
;; @0055                               v5 = load.i64 notrap aligned readonly can_move v1+32
;; @0055                               v4 = iconst.i32 0
;; @0055                               v6 = call_indirect sig0, v5(v1, v4, v0)  ; v4 = 0
;; @0057                               jump block1
;;
;;                                 block1:
;; @0057                               return v6
;; }
