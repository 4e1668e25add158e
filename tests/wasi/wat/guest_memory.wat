;; Host calls given guest memory that is overlapping or partly out of
;; bounds: the runtime must read each guest structure once, and check all
;; of it before any I/O, so an error means nothing happened. Needs stdin
;; "ABCDEFGHijkl\n" and the sandbox grant at fd 3. Prints one
;; "label value" line per check:
;;   poll-errno/-nevents/-userdata/-type
;;       poll_oneoff with its events array (1070) overlapping the
;;       subscriptions (1024: an fd_read on stdin, userdata 11, then a
;;       10 s clock, userdata 22): writing event 0 puts an fd_read tag
;;       into subscription 1, which must not be read again:
;;       0, 1 event, userdata 11, type 1 (fd_read)
;;   read-bad-errno     fd_read with a good iovec, then one at 0xFFFFFFF0:
;;                      21 (EFAULT), and no input consumed
;;   alias-errno/-nread fd_read whose first buffer (8 bytes at 2004) covers
;;                      the first iovec's length and the second iovec's
;;                      buffer pointer: the second buffer is still the one
;;                      the guest passed: 0, 13 bytes, then the two buffers
;;                      printed: "ABCDEFGH" and "ijkl\n"
;;   write-bad-errno    fd_write to stdout of "LOST\n", then a bad iovec:
;;                      21 and nothing written
;;   write-array-errno  fd_write of an iovec array running past memory: 21
;;   pwrite-errno/fwrite-errno/file-size
;;                      the same good-then-bad iovecs with fd_pwrite and
;;                      fd_write to a new file: 21, 21, and the file is
;;                      still empty (0)
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite"
    (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get"
    (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  ;; Memory map: 0 iovec for $write | 8 its nwritten | 16 number text
  ;; | 56 the other calls' byte counts | 64 fd
  ;; | 100.. labels | 1024 subscriptions (2 x 48) | 1070 events (2 x 32)
  ;; | 1200 nevents | 2000 aliased iovecs | 3100 second read buffer
  ;; | 4000 good+bad iovecs for reading | 4100 "LOST\n" | 4200 good+bad
  ;; iovecs for writing | 5000 read buffer | 6000 "pwrite.txt"
  ;; | 7000 filestat
  (data (i32.const 100) "poll-errno ")        ;; 11
  (data (i32.const 120) "poll-nevents ")      ;; 13
  (data (i32.const 140) "poll-userdata ")     ;; 14
  (data (i32.const 160) "poll-type ")         ;; 10
  (data (i32.const 180) "read-bad-errno ")    ;; 15
  (data (i32.const 200) "alias-errno ")       ;; 12
  (data (i32.const 220) "alias-nread ")       ;; 12
  (data (i32.const 240) "write-bad-errno ")   ;; 16
  (data (i32.const 260) "write-array-errno ") ;; 18
  (data (i32.const 280) "pwrite-errno ")      ;; 13
  (data (i32.const 300) "fwrite-errno ")      ;; 13
  (data (i32.const 320) "file-size ")         ;; 10
  (data (i32.const 340) "\n")
  (data (i32.const 4100) "LOST\n")
  (data (i32.const 6000) "pwrite.txt")

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

  ;; Stores the good-then-bad iovec pair at `at`: `len` bytes at `buf`,
  ;; then 16 bytes at 0xFFFFFFF0.
  (func $good_then_bad (param $at i32) (param $buf i32) (param $len i32)
    (i32.store (local.get $at) (local.get $buf))
    (i32.store offset=4 (local.get $at) (local.get $len))
    (i32.store offset=8 (local.get $at) (i32.const 0xFFFFFFF0))
    (i32.store offset=12 (local.get $at) (i32.const 16)))

  (func $main (export "_start")
    (local $fd i32)
    ;; Subscription 0 (1024): userdata 11, fd_read (1) on fd 0.
    (i64.store (i32.const 1024) (i64.const 11))
    (i32.store8 (i32.const 1032) (i32.const 1))
    (i32.store (i32.const 1040) (i32.const 0))
    ;; Subscription 1 (1072): userdata 22, clock (0), monotonic (1),
    ;; relative timeout 10 s.
    (i64.store (i32.const 1072) (i64.const 22))
    (i32.store8 (i32.const 1080) (i32.const 0))
    (i32.store (i32.const 1088) (i32.const 1))
    (i64.store (i32.const 1096) (i64.const 10000000000))
    (i64.store (i32.const 1104) (i64.const 0))
    (i32.store16 (i32.const 1112) (i32.const 0))
    (call $line (i32.const 100) (i32.const 11) (i64.extend_i32_u
      (call $poll_oneoff (i32.const 1024) (i32.const 1070) (i32.const 2) (i32.const 1200))))
    (call $line (i32.const 120) (i32.const 13) (i64.load32_u (i32.const 1200)))
    (call $line (i32.const 140) (i32.const 14) (i64.load (i32.const 1070)))
    (call $line (i32.const 160) (i32.const 10) (i64.load8_u (i32.const 1080)))

    ;; fd_read: 4 bytes to 5000, then a bad iovec.
    (call $good_then_bad (i32.const 4000) (i32.const 5000) (i32.const 4))
    (call $line (i32.const 180) (i32.const 15) (i64.extend_i32_u
      (call $fd_read (i32.const 0) (i32.const 4000) (i32.const 2) (i32.const 56))))

    ;; fd_read into a buffer that overlaps its own iovec array.
    (i32.store (i32.const 2000) (i32.const 2004))
    (i32.store (i32.const 2004) (i32.const 8))
    (i32.store (i32.const 2008) (i32.const 3100))
    (i32.store (i32.const 2012) (i32.const 5))
    (call $line (i32.const 200) (i32.const 12) (i64.extend_i32_u
      (call $fd_read (i32.const 0) (i32.const 2000) (i32.const 2) (i32.const 56))))
    (call $line (i32.const 220) (i32.const 12) (i64.load32_u (i32.const 56)))
    (call $write (i32.const 2004) (i32.const 8))
    (call $write (i32.const 340) (i32.const 1))
    (call $write (i32.const 3100) (i32.const 5))

    ;; fd_write: "LOST\n", then a bad iovec.
    (call $good_then_bad (i32.const 4200) (i32.const 4100) (i32.const 5))
    (call $line (i32.const 240) (i32.const 16) (i64.extend_i32_u
      (call $fd_write (i32.const 1) (i32.const 4200) (i32.const 2) (i32.const 56))))
    ;; An iovec array whose second entry runs past the end of memory.
    (call $line (i32.const 260) (i32.const 18) (i64.extend_i32_u
      (call $fd_write (i32.const 1) (i32.const 65528) (i32.const 2) (i32.const 56))))

    ;; A new file: path_open(3, 0, "pwrite.txt", creat, read|write|filestat_get).
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 6000) (i32.const 10)
      (i32.const 1) (i64.const 0x200042) (i64.const 0) (i32.const 0) (i32.const 64)))
    (local.set $fd (i32.load (i32.const 64)))
    (call $line (i32.const 280) (i32.const 13) (i64.extend_i32_u
      (call $fd_pwrite (local.get $fd) (i32.const 4200) (i32.const 2) (i64.const 0) (i32.const 56))))
    (call $line (i32.const 300) (i32.const 13) (i64.extend_i32_u
      (call $fd_write (local.get $fd) (i32.const 4200) (i32.const 2) (i32.const 56))))
    (drop (call $fd_filestat_get (local.get $fd) (i32.const 7000)))
    (call $line (i32.const 320) (i32.const 10) (i64.load (i32.const 7032)))))
