;; A 16-byte load that starts inside linear memory and ends past it must
;; trap with "out of bounds memory access" (the guard page after the memory
;; catches the part that is out of bounds), never read the bytes it can.
(module
  (memory (export "memory") 1)
  (func $load_across_end (param $addr i32) (result v128)
    (v128.load (local.get $addr)))
  (func $main (export "_start")
    ;; In bounds: the last 16 bytes.
    (drop (call $load_across_end (i32.const 65520)))
    ;; 65530 + 16 > 65536.
    (drop (call $load_across_end (i32.const 65530)))))
