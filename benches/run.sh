#!/usr/bin/env bash
# Measures wasi-aot executables against the same C programs compiled natively
# and against wasmtime running the same wasm (precompiled, so neither side
# pays for compilation at run time). Writes benches/results.md.
#
#   benches/run.sh [--quick] [PROGRAM...]
#
# Needs: a release build (cargo build --release), clang-19 with wasi-libc
# (see tests/README.md), hyperfine, wasmtime (PATH or $WASMTIME), python3.
# --quick: 3 runs per command instead of 10 (for a smoke test, not figures).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$root/target/bench"
mkdir -p "$out"

runs=10
if [[ "${1:-}" == --quick ]]; then
    runs=3
    shift
fi
programs=("$@")
if [[ ${#programs[@]} -eq 0 ]]; then
    programs=(fib matmul sieve sha256 qsort binarytrees nbody)
fi

CLANG="${CLANG:-clang-19}"
# The wasmtime binary itself: a `wasmtime` on PATH may be a Python shim that
# adds its own start-up time to every run.
find_wasmtime() {
    local pkg
    pkg="$(python3 -c 'import importlib.util as u, os; s = u.find_spec("wasmtime_cli"); print(os.path.dirname(s.origin) if s else "")' 2>/dev/null || true)"
    for w in "$root/target/ci-tools/bin/wasmtime" "${pkg:+$pkg/wasmtime}" "$(command -v wasmtime || true)"; do
        if [[ -n "$w" && -x "$w" ]] && ! head -c 2 "$w" | grep -q '#!'; then
            echo "$w"
            return
        fi
    done
}
WASMTIME="${WASMTIME:-$(find_wasmtime)}"
AOT="$root/target/release/wasi-aot"
for tool in "$CLANG" hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done
[[ -x "$AOT" ]] || { echo "error: $AOT missing; run cargo build --release" >&2; exit 1; }
[[ -n "$WASMTIME" ]] || { echo "error: wasmtime not found (set WASMTIME)" >&2; exit 1; }

now() { date +%s.%N; }

# Builds every variant of PROGRAM, each for the CPU of this machine
# (`wasmtime compile` does that by default); records wasi-aot's build time
# and peak memory, and the sizes of the executables.
build() {
    local p="$1" src="$here/programs/$1.c"
    "$CLANG" -O2 -march=native -static "$src" -o "$out/$p.native" -lm
    "$CLANG" --target=wasm32-wasi -O2 "$src" -o "$out/$p.wasm" -lm
    /usr/bin/time -f "%e %M" -o "$out/$p.buildtime" "$AOT" build --target-cpu native "$out/$p.wasm" -o "$out/$p.aot"
    "$WASMTIME" compile "$out/$p.wasm" -o "$out/$p.cwasm"
    stat -c %s "$out/$p.native" "$out/$p.aot" >"$out/$p.sizes"
}

# Checks that all three print the same output, then times them.
measure() {
    local p="$1"
    local native aot wt
    native="$("$out/$p.native")"
    aot="$("$out/$p.aot")"
    wt="$("$WASMTIME" run --allow-precompiled "$out/$p.cwasm")"
    if [[ "$native" != "$aot" || "$native" != "$wt" ]]; then
        echo "error: $p prints different output natively, under wasi-aot and under wasmtime" >&2
        exit 1
    fi
    hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$out/$p.json" \
        -n native "$out/$p.native" \
        -n wasi-aot "$out/$p.aot" \
        -n wasmtime "$WASMTIME run --allow-precompiled $out/$p.cwasm" >/dev/null
    echo "measured $p"
}

build hello
hyperfine --style basic -N --warmup 20 --runs 300 --export-json "$out/startup.json" \
    -n native "$out/hello.native" \
    -n wasi-aot "$out/hello.aot" \
    -n wasmtime "$WASMTIME run --allow-precompiled $out/hello.cwasm" >/dev/null
echo "measured start-up"

for p in "${programs[@]}"; do
    build "$p"
    measure "$p"
done

python3 "$here/report.py" "$out" "$WASMTIME" "${programs[@]}" >"$here/results.md"
cat "$here/results.md"
