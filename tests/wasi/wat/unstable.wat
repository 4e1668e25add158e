;; A command importing `wasi_unstable` (WASI preview 0), checking the
;; functions whose layout or constants differ from preview 1. Needs the
;; sandbox grant at fd 3, with host.txt ("hello from host\n", 16 bytes).
;; Prints one "label value" line per check:
;;   seek-set/seek-cur/seek-end  fd_seek with preview 0's whence
;;                               (cur 0, end 1, set 2): 6, 6, 15
;;   filetype/nlink/size         fd_filestat_get's 56-byte filestat
;;                               (nlink u32 @20, size u64 @24): 4, 1, 16
;;   path-size/path-nlink        the same through path_filestat_get
;;   events/userdata/type        poll_oneoff with one 56-byte clock
;;                               subscription (identifier @16, clock id @24,
;;                               timeout @32): 1 event, userdata 77, type 0
;;   errno-open/errno-poll       the calls' errnos: 0
;; Exits with status 0, or 1 when a call that must succeed fails.
(module
  (import "wasi_unstable" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek"
    (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get"
    (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "path_filestat_get"
    (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  ;; Memory map: 0 iovec | 16 number text | 64 fd | 72 offset
  ;; | 128 filestat | 256 subscription | 384 event | 448 nevents
  ;; | 512 "host.txt" | 528.. labels
  (data (i32.const 512) "host.txt")
  (data (i32.const 528) "seek-set ")    ;; 9
  (data (i32.const 544) "seek-cur ")    ;; 9
  (data (i32.const 560) "seek-end ")    ;; 9
  (data (i32.const 576) "filetype ")    ;; 9
  (data (i32.const 592) "nlink ")       ;; 6
  (data (i32.const 608) "size ")        ;; 5
  (data (i32.const 624) "path-size ")   ;; 10
  (data (i32.const 640) "path-nlink ")  ;; 11
  (data (i32.const 656) "events ")      ;; 7
  (data (i32.const 672) "userdata ")    ;; 9
  (data (i32.const 688) "type ")        ;; 5
  (data (i32.const 704) "errno-open ")  ;; 11
  (data (i32.const 752) "errno-poll ")  ;; 11

  ;; Writes `len` bytes at `ptr` to stdout.
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Prints the label, then `v` in decimal and a newline.
  (func $line (param $label i32) (param $label_len i32) (param $v i64)
    (local $at i32)
    (call $write (local.get $label) (local.get $label_len))
    (local.set $at (i32.const 48))
    (i32.store8 (local.get $at) (i32.const 10))
    (loop $digits
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i32.store8 (local.get $at)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $v) (i64.const 0))))
    (call $write (local.get $at) (i32.sub (i32.const 49) (local.get $at))))

  (func $must (param $errno i32)
    (if (local.get $errno) (then (call $proc_exit (i32.const 1)))))

  (func $main (export "_start")
    (local $fd i32)
    ;; path_open(3, 0, "host.txt", oflags 0, rights read|seek|tell|filestat_get)
    (call $line (i32.const 704) (i32.const 11) (i64.extend_i32_u
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 512) (i32.const 8)
        (i32.const 0) (i64.const 0x200026) (i64.const 0) (i32.const 0) (i32.const 64))))
    (local.set $fd (i32.load (i32.const 64)))

    ;; Preview 0 whence: set = 2, cur = 0, end = 1.
    (call $must (call $fd_seek (local.get $fd) (i64.const 6) (i32.const 2) (i32.const 72)))
    (call $line (i32.const 528) (i32.const 9) (i64.load (i32.const 72)))
    (call $must (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 72)))
    (call $line (i32.const 544) (i32.const 9) (i64.load (i32.const 72)))
    (call $must (call $fd_seek (local.get $fd) (i64.const -1) (i32.const 1) (i32.const 72)))
    (call $line (i32.const 560) (i32.const 9) (i64.load (i32.const 72)))

    ;; The 56-byte filestat.
    (call $must (call $fd_filestat_get (local.get $fd) (i32.const 128)))
    (call $line (i32.const 576) (i32.const 9) (i64.load8_u (i32.const 144)))
    (call $line (i32.const 592) (i32.const 6) (i64.load32_u (i32.const 148)))
    (call $line (i32.const 608) (i32.const 5) (i64.load (i32.const 152)))
    (call $must (call $path_filestat_get (i32.const 3) (i32.const 0) (i32.const 512)
      (i32.const 8) (i32.const 128)))
    (call $line (i32.const 624) (i32.const 10) (i64.load (i32.const 152)))
    (call $line (i32.const 640) (i32.const 11) (i64.load32_u (i32.const 148)))

    ;; One relative clock subscription of 1 ms on the monotonic clock.
    (i64.store (i32.const 256) (i64.const 77))       ;; userdata
    (i32.store8 (i32.const 264) (i32.const 0))       ;; tag: clock
    (i64.store (i32.const 272) (i64.const 12345))    ;; identifier
    (i32.store (i32.const 280) (i32.const 1))        ;; clock id: monotonic
    (i64.store (i32.const 288) (i64.const 1000000))  ;; timeout (ns)
    (i64.store (i32.const 296) (i64.const 0))        ;; precision
    (i32.store16 (i32.const 304) (i32.const 0))      ;; flags: relative
    (call $line (i32.const 752) (i32.const 11) (i64.extend_i32_u
      (call $poll_oneoff (i32.const 256) (i32.const 384) (i32.const 1) (i32.const 448))))
    (call $line (i32.const 656) (i32.const 7) (i64.load32_u (i32.const 448)))
    (call $line (i32.const 672) (i32.const 9) (i64.load (i32.const 384)))
    (call $line (i32.const 688) (i32.const 5) (i64.load8_u (i32.const 394)))))
