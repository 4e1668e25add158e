;;! memory0 = fixed
;; `memory.copy` and `memory.fill` of a constant length up to 128 bytes are
;; expanded inline (`translate/bulk.rs`): `addr + len` is compared with the
;; memory's current length (loaded from its `VMMemory`, not the guard
;; reservation) and `trapnz` traps with `heap_oob` before any access, for
;; the source and the destination; then the bytes move in chunks of the
;; widest width not above the length, the last chunk ending at the length
;; (overlapping the one before). A copy loads every chunk before it stores
;; any, so overlapping ranges behave as memmove. A 64-bit memory's sum is
;; computed with `uadd_overflow_trap`. Longer or variable lengths call the
;; builtins.
(module
  (memory 1)
  (memory i64 1)

  ;; Two overlapping 4-byte chunks, at 0 and 3.
  (func $copy_7 (param $dst i32) (param $src i32)
    (memory.copy (local.get $dst) (local.get $src) (i32.const 7)))

  ;; Three 16-byte chunks.
  (func $copy_40 (param $dst i32) (param $src i32)
    (memory.copy (local.get $dst) (local.get $src) (i32.const 40)))

  ;; The longest inline copy: eight chunks, all loaded first.
  (func $copy_128 (param $dst i32) (param $src i32)
    (memory.copy (local.get $dst) (local.get $src) (i32.const 128)))

  ;; One byte more: the builtin.
  (func $copy_129 (param $dst i32) (param $src i32)
    (memory.copy (local.get $dst) (local.get $src) (i32.const 129)))

  ;; Nothing moves, but both addresses are still checked.
  (func $copy_0 (param $dst i32) (param $src i32)
    (memory.copy (local.get $dst) (local.get $src) (i32.const 0)))

  ;; A constant byte: the pattern is a constant.
  (func $fill_zero_24 (param $dst i32)
    (memory.fill (local.get $dst) (i32.const 0) (i32.const 24)))

  ;; A variable byte repeated by a multiplication.
  (func $fill_12 (param $dst i32) (param $byte i32)
    (memory.fill (local.get $dst) (local.get $byte) (i32.const 12)))

  ;; ... or splatted into a vector.
  (func $fill_32 (param $dst i32) (param $byte i32)
    (memory.fill (local.get $dst) (local.get $byte) (i32.const 32)))

  ;; From the 64-bit memory to memory 0: each side checked against its own
  ;; length, the 64-bit address with an overflow trap.
  (func $copy_between (param $dst i32) (param $src i64)
    (memory.copy 0 1 (local.get $dst) (local.get $src) (i32.const 16)))

  (func $fill_64 (param $dst i64) (param $byte i32)
    (memory.fill 1 (local.get $dst) (local.get $byte) (i64.const 8)))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 0 $copy_7 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:0(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @003c                               v6 = iconst.i32 7
;; @003e                               v7 = uextend.i64 v0
;; @003e                               v8 = uextend.i64 v1
;; @003e                               v9 = load.i64 notrap aligned v2+8
;; @003e                               v10 = iconst.i64 7
;; @003e                               v11 = iadd v7, v10  ; v10 = 7
;; @003e                               v12 = icmp ugt v11, v9
;; @003e                               trapnz v12, heap_oob
;; @003e                               v13 = iconst.i64 7
;; @003e                               v14 = iadd v8, v13  ; v13 = 7
;; @003e                               v15 = icmp ugt v14, v9
;; @003e                               trapnz v15, heap_oob
;; @003e                               v16 = iadd v3, v7  ; v3 = 0x6000_0000
;; @003e                               v17 = iadd v3, v8  ; v3 = 0x6000_0000
;; @003e                               v18 = load.i32 little v17
;; @003e                               v19 = load.i32 little v17+3
;; @003e                               store little v18, v16
;; @003e                               store little v19, v16+3
;; @0042                               jump block1
;;
;;                                 block1:
;; @0042                               return
;; }
;;
;; ; function 0 $copy_7 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:0(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @003e                               v9 = load.i64 notrap aligned v2+8
;; @003e                               v7 = uextend.i64 v0
;; @003e                               v10 = iconst.i64 7
;; @003e                               v11 = iadd v7, v10  ; v10 = 7
;; @003e                               v12 = icmp ugt v11, v9
;; @003e                               trapnz v12, heap_oob
;; @003e                               v8 = uextend.i64 v1
;; @003e                               v14 = iadd v8, v10  ; v10 = 7
;; @003e                               v15 = icmp ugt v14, v9
;; @003e                               trapnz v15, heap_oob
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v22 = iadd v8, v3  ; v3 = 0x6000_0000
;; @003e                               v18 = load.i32 little v22
;; @003e                               v19 = load.i32 little v22+3
;;                                     v20 = iadd v7, v3  ; v3 = 0x6000_0000
;; @003e                               store little v18, v20
;; @003e                               store little v19, v20+3
;; @0042                               jump block1
;;
;;                                 block1:
;; @0042                               return
;; }
;;
;; ; function 1 $copy_40 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:1(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0049                               v6 = iconst.i32 40
;; @004b                               v7 = uextend.i64 v0
;; @004b                               v8 = uextend.i64 v1
;; @004b                               v9 = load.i64 notrap aligned v2+8
;; @004b                               v10 = iconst.i64 40
;; @004b                               v11 = iadd v7, v10  ; v10 = 40
;; @004b                               v12 = icmp ugt v11, v9
;; @004b                               trapnz v12, heap_oob
;; @004b                               v13 = iconst.i64 40
;; @004b                               v14 = iadd v8, v13  ; v13 = 40
;; @004b                               v15 = icmp ugt v14, v9
;; @004b                               trapnz v15, heap_oob
;; @004b                               v16 = iadd v3, v7  ; v3 = 0x6000_0000
;; @004b                               v17 = iadd v3, v8  ; v3 = 0x6000_0000
;; @004b                               v18 = load.i8x16 little v17
;; @004b                               v19 = load.i8x16 little v17+16
;; @004b                               v20 = load.i8x16 little v17+24
;; @004b                               store little v18, v16
;; @004b                               store little v19, v16+16
;; @004b                               store little v20, v16+24
;; @004f                               jump block1
;;
;;                                 block1:
;; @004f                               return
;; }
;;
;; ; function 1 $copy_40 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:1(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @004b                               v9 = load.i64 notrap aligned v2+8
;; @004b                               v7 = uextend.i64 v0
;; @004b                               v10 = iconst.i64 40
;; @004b                               v11 = iadd v7, v10  ; v10 = 40
;; @004b                               v12 = icmp ugt v11, v9
;; @004b                               trapnz v12, heap_oob
;; @004b                               v8 = uextend.i64 v1
;; @004b                               v14 = iadd v8, v10  ; v10 = 40
;; @004b                               v15 = icmp ugt v14, v9
;; @004b                               trapnz v15, heap_oob
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v23 = iadd v8, v3  ; v3 = 0x6000_0000
;; @004b                               v18 = load.i8x16 little v23
;; @004b                               v19 = load.i8x16 little v23+16
;; @004b                               v20 = load.i8x16 little v23+24
;;                                     v21 = iadd v7, v3  ; v3 = 0x6000_0000
;; @004b                               store little v18, v21
;; @004b                               store little v19, v21+16
;; @004b                               store little v20, v21+24
;; @004f                               jump block1
;;
;;                                 block1:
;; @004f                               return
;; }
;;
;; ; function 2 $copy_128 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:2(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0056                               v6 = iconst.i32 128
;; @0059                               v7 = uextend.i64 v0
;; @0059                               v8 = uextend.i64 v1
;; @0059                               v9 = load.i64 notrap aligned v2+8
;; @0059                               v10 = iconst.i64 128
;; @0059                               v11 = iadd v7, v10  ; v10 = 128
;; @0059                               v12 = icmp ugt v11, v9
;; @0059                               trapnz v12, heap_oob
;; @0059                               v13 = iconst.i64 128
;; @0059                               v14 = iadd v8, v13  ; v13 = 128
;; @0059                               v15 = icmp ugt v14, v9
;; @0059                               trapnz v15, heap_oob
;; @0059                               v16 = iadd v3, v7  ; v3 = 0x6000_0000
;; @0059                               v17 = iadd v3, v8  ; v3 = 0x6000_0000
;; @0059                               v18 = load.i8x16 little v17
;; @0059                               v19 = load.i8x16 little v17+16
;; @0059                               v20 = load.i8x16 little v17+32
;; @0059                               v21 = load.i8x16 little v17+48
;; @0059                               v22 = load.i8x16 little v17+64
;; @0059                               v23 = load.i8x16 little v17+80
;; @0059                               v24 = load.i8x16 little v17+96
;; @0059                               v25 = load.i8x16 little v17+112
;; @0059                               store little v18, v16
;; @0059                               store little v19, v16+16
;; @0059                               store little v20, v16+32
;; @0059                               store little v21, v16+48
;; @0059                               store little v22, v16+64
;; @0059                               store little v23, v16+80
;; @0059                               store little v24, v16+96
;; @0059                               store little v25, v16+112
;; @005d                               jump block1
;;
;;                                 block1:
;; @005d                               return
;; }
;;
;; ; function 2 $copy_128 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:2(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0059                               v9 = load.i64 notrap aligned v2+8
;; @0059                               v7 = uextend.i64 v0
;; @0059                               v10 = iconst.i64 128
;; @0059                               v11 = iadd v7, v10  ; v10 = 128
;; @0059                               v12 = icmp ugt v11, v9
;; @0059                               trapnz v12, heap_oob
;; @0059                               v8 = uextend.i64 v1
;; @0059                               v14 = iadd v8, v10  ; v10 = 128
;; @0059                               v15 = icmp ugt v14, v9
;; @0059                               trapnz v15, heap_oob
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v28 = iadd v8, v3  ; v3 = 0x6000_0000
;; @0059                               v18 = load.i8x16 little v28
;; @0059                               v19 = load.i8x16 little v28+16
;; @0059                               v20 = load.i8x16 little v28+32
;; @0059                               v21 = load.i8x16 little v28+48
;; @0059                               v22 = load.i8x16 little v28+64
;; @0059                               v23 = load.i8x16 little v28+80
;; @0059                               v24 = load.i8x16 little v28+96
;; @0059                               v25 = load.i8x16 little v28+112
;;                                     v26 = iadd v7, v3  ; v3 = 0x6000_0000
;; @0059                               store little v18, v26
;; @0059                               store little v19, v26+16
;; @0059                               store little v20, v26+32
;; @0059                               store little v21, v26+48
;; @0059                               store little v22, v26+64
;; @0059                               store little v23, v26+80
;; @0059                               store little v24, v26+96
;; @0059                               store little v25, v26+112
;; @005d                               jump block1
;;
;;                                 block1:
;; @005d                               return
;; }
;;
;; ; function 3 $copy_129 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:3(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;     sig0 = (i64, i32, i32, i64, i64, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0064                               v6 = iconst.i32 129
;; @0067                               v7 = uextend.i64 v0
;; @0067                               v8 = uextend.i64 v1
;; @0067                               v9 = uextend.i64 v6  ; v6 = 129
;; @0067                               v10 = iconst.i32 0
;; @0067                               v11 = iconst.i32 0
;; @0067                               v12 = load.i64 notrap aligned readonly can_move v2+48
;; @0067                               call_indirect sig0, v12(v2, v10, v11, v7, v8, v9)  ; v10 = 0, v11 = 0
;; @006b                               jump block1
;;
;;                                 block1:
;; @006b                               return
;; }
;;
;; ; function 3 $copy_129 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:3(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;     sig0 = (i64, i32, i32, i64, i64, i64) system_v
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0067                               v12 = load.i64 notrap aligned readonly can_move v2+48
;; @0067                               v10 = iconst.i32 0
;; @0067                               v7 = uextend.i64 v0
;; @0067                               v8 = uextend.i64 v1
;;                                     v13 = iconst.i64 129
;; @0067                               call_indirect sig0, v12(v2, v10, v10, v7, v8, v13)  ; v10 = 0, v10 = 0, v13 = 129
;; @006b                               jump block1
;;
;;                                 block1:
;; @006b                               return
;; }
;;
;; ; function 4 $copy_0 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:4(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0072                               v6 = iconst.i32 0
;; @0074                               v7 = uextend.i64 v0
;; @0074                               v8 = uextend.i64 v1
;; @0074                               v9 = load.i64 notrap aligned v2+8
;; @0074                               v10 = iconst.i64 0
;; @0074                               v11 = iadd v7, v10  ; v10 = 0
;; @0074                               v12 = icmp ugt v11, v9
;; @0074                               trapnz v12, heap_oob
;; @0074                               v13 = iconst.i64 0
;; @0074                               v14 = iadd v8, v13  ; v13 = 0
;; @0074                               v15 = icmp ugt v14, v9
;; @0074                               trapnz v15, heap_oob
;; @0074                               v16 = iadd v3, v7  ; v3 = 0x6000_0000
;; @0074                               v17 = iadd v3, v8  ; v3 = 0x6000_0000
;; @0078                               jump block1
;;
;;                                 block1:
;; @0078                               return
;; }
;;
;; ; function 4 $copy_0 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:4(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0074                               v9 = load.i64 notrap aligned v2+8
;; @0074                               v7 = uextend.i64 v0
;; @0074                               v12 = icmp ugt v7, v9
;; @0074                               trapnz v12, heap_oob
;; @0074                               v8 = uextend.i64 v1
;; @0074                               v15 = icmp ugt v8, v9
;; @0074                               trapnz v15, heap_oob
;; @0078                               jump block1
;;
;;                                 block1:
;; @0078                               return
;; }
;;
;; ; function 5 $fill_zero_24 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:5(i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;     const0 = 0x00000000000000000000000000000000
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v3 = symbol_value.i64 gv1
;;                                     v4 = load.i64 notrap aligned readonly can_move v3+16
;; @007d                               v5 = iconst.i32 0
;; @007f                               v6 = iconst.i32 24
;; @0081                               v7 = uextend.i64 v0
;; @0081                               v8 = load.i64 notrap aligned v1+8
;; @0081                               v9 = iconst.i64 24
;; @0081                               v10 = iadd v7, v9  ; v9 = 24
;; @0081                               v11 = icmp ugt v10, v8
;; @0081                               trapnz v11, heap_oob
;; @0081                               v12 = iadd v2, v7  ; v2 = 0x6000_0000
;; @0081                               v13 = vconst.i8x16 const0
;; @0081                               store little v13, v12  ; v13 = const0
;; @0081                               store little v13, v12+8  ; v13 = const0
;; @0084                               jump block1
;;
;;                                 block1:
;; @0084                               return
;; }
;;
;; ; function 5 $fill_zero_24 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:5(i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;     const0 = 0x00000000000000000000000000000000
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0081                               v8 = load.i64 notrap aligned v1+8
;; @0081                               v7 = uextend.i64 v0
;; @0081                               v9 = iconst.i64 24
;; @0081                               v10 = iadd v7, v9  ; v9 = 24
;; @0081                               v11 = icmp ugt v10, v8
;; @0081                               trapnz v11, heap_oob
;; @0081                               v13 = vconst.i8x16 const0
;;                                     v2 = iconst.i64 0x6000_0000
;;                                     v14 = iadd v7, v2  ; v2 = 0x6000_0000
;; @0081                               store little v13, v14  ; v13 = const0
;; @0081                               store little v13, v14+8  ; v13 = const0
;; @0084                               jump block1
;;
;;                                 block1:
;; @0084                               return
;; }
;;
;; ; function 6 $fill_12 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:6(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @008b                               v6 = iconst.i32 12
;; @008d                               v7 = uextend.i64 v0
;; @008d                               v8 = load.i64 notrap aligned v2+8
;; @008d                               v9 = iconst.i64 12
;; @008d                               v10 = iadd v7, v9  ; v9 = 12
;; @008d                               v11 = icmp ugt v10, v8
;; @008d                               trapnz v11, heap_oob
;; @008d                               v12 = iadd v3, v7  ; v3 = 0x6000_0000
;; @008d                               v13 = iconst.i32 255
;; @008d                               v14 = band v1, v13  ; v13 = 255
;; @008d                               v15 = uextend.i64 v14
;; @008d                               v16 = iconst.i64 0x0101_0101_0101_0101
;; @008d                               v17 = imul v15, v16  ; v16 = 0x0101_0101_0101_0101
;; @008d                               store little v17, v12
;; @008d                               store little v17, v12+4
;; @0090                               jump block1
;;
;;                                 block1:
;; @0090                               return
;; }
;;
;; ; function 6 $fill_12 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:6(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @008d                               v8 = load.i64 notrap aligned v2+8
;; @008d                               v7 = uextend.i64 v0
;; @008d                               v9 = iconst.i64 12
;; @008d                               v10 = iadd v7, v9  ; v9 = 12
;; @008d                               v11 = icmp ugt v10, v8
;; @008d                               trapnz v11, heap_oob
;; @008d                               v13 = iconst.i32 255
;; @008d                               v14 = band v1, v13  ; v13 = 255
;; @008d                               v15 = uextend.i64 v14
;; @008d                               v16 = iconst.i64 0x0101_0101_0101_0101
;; @008d                               v17 = imul v15, v16  ; v16 = 0x0101_0101_0101_0101
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v18 = iadd v7, v3  ; v3 = 0x6000_0000
;; @008d                               store little v17, v18
;; @008d                               store little v17, v18+4
;; @0090                               jump block1
;;
;;                                 block1:
;; @0090                               return
;; }
;;
;; ; function 7 $fill_32 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:7(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @0097                               v6 = iconst.i32 32
;; @0099                               v7 = uextend.i64 v0
;; @0099                               v8 = load.i64 notrap aligned v2+8
;; @0099                               v9 = iconst.i64 32
;; @0099                               v10 = iadd v7, v9  ; v9 = 32
;; @0099                               v11 = icmp ugt v10, v8
;; @0099                               trapnz v11, heap_oob
;; @0099                               v12 = iadd v3, v7  ; v3 = 0x6000_0000
;; @0099                               v13 = ireduce.i8 v1
;; @0099                               v14 = splat.i8x16 v13
;; @0099                               store little v14, v12
;; @0099                               store little v14, v12+16
;; @009c                               jump block1
;;
;;                                 block1:
;; @009c                               return
;; }
;;
;; ; function 7 $fill_32 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:7(i32, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @0099                               v8 = load.i64 notrap aligned v2+8
;; @0099                               v7 = uextend.i64 v0
;; @0099                               v9 = iconst.i64 32
;; @0099                               v10 = iadd v7, v9  ; v9 = 32
;; @0099                               v11 = icmp ugt v10, v8
;; @0099                               trapnz v11, heap_oob
;; @0099                               v13 = ireduce.i8 v1
;; @0099                               v14 = splat.i8x16 v13
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v15 = iadd v7, v3  ; v3 = 0x6000_0000
;; @0099                               store little v14, v15
;; @0099                               store little v14, v15+16
;; @009c                               jump block1
;;
;;                                 block1:
;; @009c                               return
;; }
;;
;; ; function 8 $copy_between (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:8(i32, i64) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @00a3                               v6 = iconst.i32 16
;; @00a5                               v7 = uextend.i64 v0
;; @00a5                               v8 = load.i64 notrap aligned v2+8
;; @00a5                               v9 = load.i64 notrap aligned v4+24
;; @00a5                               v10 = iconst.i64 16
;; @00a5                               v11 = iadd v7, v10  ; v10 = 16
;; @00a5                               v12 = icmp ugt v11, v8
;; @00a5                               trapnz v12, heap_oob
;; @00a5                               v13 = iconst.i64 16
;; @00a5                               v14 = uadd_overflow_trap v1, v13, heap_oob  ; v13 = 16
;; @00a5                               v15 = icmp ugt v14, v9
;; @00a5                               trapnz v15, heap_oob
;; @00a5                               v16 = iadd v3, v7  ; v3 = 0x6000_0000
;; @00a5                               v17 = iadd v5, v1
;; @00a5                               v18 = load.i8x16 little v17
;; @00a5                               store little v18, v16
;; @00a9                               jump block1
;;
;;                                 block1:
;; @00a9                               return
;; }
;;
;; ; function 8 $copy_between (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:8(i32, i64) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i32, v1: i64):
;;                                     v2 = symbol_value.i64 gv0
;; @00a5                               v8 = load.i64 notrap aligned v2+8
;;                                     v4 = symbol_value.i64 gv1
;; @00a5                               v9 = load.i64 notrap aligned v4+24
;; @00a5                               v7 = uextend.i64 v0
;; @00a5                               v10 = iconst.i64 16
;; @00a5                               v11 = iadd v7, v10  ; v10 = 16
;; @00a5                               v12 = icmp ugt v11, v8
;; @00a5                               trapnz v12, heap_oob
;; @00a5                               v14 = uadd_overflow_trap v1, v10, heap_oob  ; v10 = 16
;; @00a5                               v15 = icmp ugt v14, v9
;; @00a5                               trapnz v15, heap_oob
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @00a5                               v17 = iadd v5, v1
;; @00a5                               v18 = load.i8x16 little v17
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v19 = iadd v7, v3  ; v3 = 0x6000_0000
;; @00a5                               store little v18, v19
;; @00a9                               jump block1
;;
;;                                 block1:
;; @00a9                               return
;; }
;;
;; ; function 9 $fill_64 (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:9(i64, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i64, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;;                                     v3 = iconst.i64 0x6000_0000
;;                                     v4 = symbol_value.i64 gv1
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @00b0                               v6 = iconst.i64 8
;; @00b2                               v7 = load.i64 notrap aligned v4+24
;; @00b2                               v8 = iconst.i64 8
;; @00b2                               v9 = uadd_overflow_trap v0, v8, heap_oob  ; v8 = 8
;; @00b2                               v10 = icmp ugt v9, v7
;; @00b2                               trapnz v10, heap_oob
;; @00b2                               v11 = iadd v5, v0
;; @00b2                               v12 = iconst.i32 255
;; @00b2                               v13 = band v1, v12  ; v12 = 255
;; @00b2                               v14 = uextend.i64 v13
;; @00b2                               v15 = iconst.i64 0x0101_0101_0101_0101
;; @00b2                               v16 = imul v14, v15  ; v15 = 0x0101_0101_0101_0101
;; @00b2                               store little v16, v11
;; @00b5                               jump block1
;;
;;                                 block1:
;; @00b5                               return
;; }
;;
;; ; function 9 $fill_64 (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname9 = u1:9 memories
;; function u0:9(i64, i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname9
;;
;;                                 block0(v0: i64, v1: i32):
;;                                     v4 = symbol_value.i64 gv1
;; @00b2                               v7 = load.i64 notrap aligned v4+24
;; @00b0                               v6 = iconst.i64 8
;; @00b2                               v9 = uadd_overflow_trap v0, v6, heap_oob  ; v6 = 8
;; @00b2                               v10 = icmp ugt v9, v7
;; @00b2                               trapnz v10, heap_oob
;; @00b2                               v12 = iconst.i32 255
;; @00b2                               v13 = band v1, v12  ; v12 = 255
;; @00b2                               v14 = uextend.i64 v13
;; @00b2                               v15 = iconst.i64 0x0101_0101_0101_0101
;; @00b2                               v16 = imul v14, v15  ; v15 = 0x0101_0101_0101_0101
;;                                     v5 = load.i64 notrap aligned readonly can_move v4+16
;; @00b2                               v11 = iadd v5, v0
;; @00b2                               store little v16, v11
;; @00b5                               jump block1
;;
;;                                 block1:
;; @00b5                               return
;; }
