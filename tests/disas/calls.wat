;; Calls. A defined callee is a direct `call` of `u0:N` in the `tail`
;; convention, and `return_call` a `return_call`. A WASI import is a host
;; function: its address is loaded from `import_slots` (u1:5, 8 bytes per
;; function index, `readonly`) and called with `call_indirect` in the
;; platform convention; a `return_call` to it is a call and a return.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))

  (func $add (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))

  (func $direct (param i32) (result i32)
    (call $add (local.get 0) (i32.const 1)))

  (func $tail (param i32) (result i32)
    (return_call $add (local.get 0) (i32.const 2)))

  (func $import (param i32)
    (call $proc_exit (local.get 0)))

  (func $tail_import (result i32)
    (return_call $sched_yield))

  ;; Code after `unreachable` (`trap user10`, "unreachable executed") is
  ;; validated but not translated.
  (func $dead (result i32)
    (unreachable)
    (i32.add (i32.const 1) (call $add (i32.const 2) (i32.const 3))))
)
;; ==== expected CLIF (WASI_AOT_BLESS=1 rewrites everything below) ====
;; ; function 2 $add (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;;                                     v2 = symbol_value.i64 gv0
;; @007b                               v4 = iadd v0, v1
;; @007c                               jump block1(v4)
;;
;;                                 block1(v3: i32):
;; @007c                               return v3
;; }
;;
;; ; function 2 $add (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:2(i32, i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0(v0: i32, v1: i32):
;; @007c                               jump block1
;;
;;                                 block1:
;; @007b                               v4 = iadd.i32 v0, v1
;; @007c                               return v4
;; }
;;
;; ; function 3 $direct (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:2 function 2 $add
;; function u0:3(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32, i32) -> i32 tail
;;     fn0 = colocated u0:2 sig0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0081                               v3 = iconst.i32 1
;; @0083                               v4 = call fn0(v0, v3)  ; v3 = 1
;; @0085                               jump block1(v4)
;;
;;                                 block1(v2: i32):
;; @0085                               return v2
;; }
;;
;; ; function 3 $direct (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:2 function 2 $add
;; function u0:3(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32, i32) -> i32 tail
;;     fn0 = colocated u0:2 sig0
;;
;;                                 block0(v0: i32):
;; @0081                               v3 = iconst.i32 1
;; @0083                               v4 = call fn0(v0, v3)  ; v3 = 1
;; @0085                               jump block1
;;
;;                                 block1:
;; @0085                               return v4
;; }
;;
;; ; function 4 $tail (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:2 function 2 $add
;; function u0:4(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32, i32) -> i32 tail
;;     fn0 = colocated u0:2 sig0
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @008a                               v3 = iconst.i32 2
;; @008c                               return_call fn0(v0, v3)  ; v3 = 2
;; }
;;
;; ; function 4 $tail (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname11 = u0:2 function 2 $add
;; function u0:4(i32) -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     sig0 = (i32, i32) -> i32 tail
;;     fn0 = colocated u0:2 sig0
;;
;;                                 block0(v0: i32):
;; @008a                               v3 = iconst.i32 2
;; @008c                               return_call fn0(v0, v3)  ; v3 = 2
;; }
;;
;; ; function 5 $import (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname5 = u1:5 import_slots
;; function u0:5(i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname5
;;     sig0 = (i32) system_v
;;
;;                                 block0(v0: i32):
;;                                     v1 = symbol_value.i64 gv0
;; @0093                               v2 = symbol_value.i64 gv1
;; @0093                               v3 = load.i64 notrap aligned readonly can_move v2
;; @0093                               call_indirect sig0, v3(v0)
;; @0095                               jump block1
;;
;;                                 block1:
;; @0095                               return
;; }
;;
;; ; function 5 $import (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname5 = u1:5 import_slots
;; function u0:5(i32) tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname5
;;     sig0 = (i32) system_v
;;
;;                                 block0(v0: i32):
;; @0093                               v2 = symbol_value.i64 gv1
;; @0093                               v3 = load.i64 notrap aligned readonly can_move v2
;; @0093                               call_indirect sig0, v3(v0)
;; @0095                               jump block1
;;
;;                                 block1:
;; @0095                               return
;; }
;;
;; ; function 6 $tail_import (translated)
;; ; userextname0 = u1:0 vmctx
;; ; userextname5 = u1:5 import_slots
;; function u0:6() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname5
;;     sig0 = () -> i32 system_v
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @0098                               v2 = symbol_value.i64 gv1
;; @0098                               v3 = load.i64 notrap aligned readonly can_move v2+8
;; @0098                               v4 = call_indirect sig0, v3()
;; @0098                               return v4
;; }
;;
;; ; function 6 $tail_import (optimized)
;; ; userextname0 = u1:0 vmctx
;; ; userextname5 = u1:5 import_slots
;; function u0:6() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;     gv1 = symbol colocated userextname5
;;     sig0 = () -> i32 system_v
;;
;;                                 block0:
;; @0098                               v2 = symbol_value.i64 gv1
;; @0098                               v3 = load.i64 notrap aligned readonly can_move v2+8
;; @0098                               v4 = call_indirect sig0, v3()
;; @0098                               return v4
;; }
;;
;; ; function 7 $dead (translated)
;; ; userextname0 = u1:0 vmctx
;; function u0:7() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;;                                     v0 = symbol_value.i64 gv0
;; @009d                               trap user10
;; }
;;
;; ; function 7 $dead (optimized)
;; ; userextname0 = u1:0 vmctx
;; function u0:7() -> i32 tail {
;;     gv0 = symbol colocated userextname0
;;
;;                                 block0:
;; @009d                               trap user10
;; }
