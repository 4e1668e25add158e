;; A 64-bit memory next to the 32-bit memory 0 that WASI uses: i64
;; addresses and offsets, memory.size and memory.grow in i64, a data
;; segment at an i64 offset, a copy from the 64-bit memory to memory 0. The
;; last load crosses the end of the memory: compiled code checks it against
;; the current length before it happens (the address is still inside the
;; memory's reservation, where no fault would catch it) and traps with
;; "out of bounds memory access".
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $m0 (export "memory") 1)
  (memory $m64 i64 1 4)
  (data (memory $m64) (i64.const 65000) "a 64-bit memory\n")

  ;; Copies `len` bytes at `src` of the 64-bit memory to memory 0 and writes
  ;; them to stdout.
  (func $print (param $src i64) (param $len i32)
    (memory.copy $m0 $m64 (i32.const 64) (local.get $src) (local.get $len))
    (i32.store $m0 (i32.const 0) (i32.const 64))
    (i32.store $m0 (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $check (param $ok i32)
    (if (i32.eqz (local.get $ok)) (then unreachable)))

  (func $load_past_end (param $addr i64) (result i64)
    (i64.load $m64 offset=4 (local.get $addr)))

  (func $main (export "_start")
    (call $print (i64.const 65000) (i32.const 16))

    (call $check (i64.eq (memory.size $m64) (i64.const 1)))
    (call $check (i64.eq (memory.grow $m64 (i64.const 1)) (i64.const 1)))
    (call $check (i64.eq (memory.size $m64) (i64.const 2)))
    (call $check (i64.eq (memory.grow $m64 (i64.const 3)) (i64.const -1)))
    ;; A delta that does not fit 32 bits fails too.
    (call $check (i64.eq (memory.grow $m64 (i64.const 0x1_0000_0000)) (i64.const -1)))

    ;; The last 8 bytes of the grown memory.
    (i64.store $m64 offset=65536 (i64.const 65528) (i64.const 0x0a6e776f7267))
    (call $check (i64.eq (call $load_past_end (i64.const 131060)) (i64.const 0x0a6e776f7267)))
    (call $print (i64.const 131064) (i32.const 6))

    ;; 131061 + 4 + 8 > 131072: out of bounds.
    (drop (call $load_past_end (i64.const 131061)))))
