;; Catches 100,000 exceptions by reference (`catch_ref`), rethrows each with
;; `throw_ref`, catches it again with a plain `catch` and checks its
;; payload; the last reference is kept in a global and rethrown once more
;; at the end. An exception delivered as an `exnref` stays allocated (wasm
;; may keep the reference anywhere), so this exercises the path where the
;; plain `catch` of an escaped exception must not free it. Exit status 0
;; when everything was right, else 1.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  ;; WASI functions need the module's memory, even proc_exit.
  (memory (export "memory") 1)
  (tag $e (param i32))
  (global $kept (mut exnref) (ref.null exn))
  (func $thrower (param $i i32) (throw $e (local.get $i)))
  ;; Throws exception $i, catches it by reference, keeps the reference and
  ;; rethrows it.
  (func $rethrow (param $i i32)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (call $thrower (local.get $i)))
      (call $exit (i32.const 1))
      (unreachable))
    (global.set $kept)
    (if (i32.ne (local.get $i)) (then (call $exit (i32.const 1))))
    (throw_ref (global.get $kept)))
  ;; The payload of the rethrown exception number $i.
  (func $catch (param $i i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $rethrow (local.get $i)))
      (call $exit (i32.const 1))
      (unreachable)))
  (func (export "_start")
    (local $i i32)
    (loop $again
      (if (i32.ne (call $catch (local.get $i)) (local.get $i))
        (then (call $exit (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 100000))))
    ;; The last exception, freed by nothing, is still whole.
    (block $h (result i32)
      (try_table (catch $e $h) (throw_ref (global.get $kept)))
      (call $exit (i32.const 1))
      (unreachable))
    (if (i32.ne (i32.const 99999)) (then (call $exit (i32.const 1))))
    (call $exit (i32.const 0))))
