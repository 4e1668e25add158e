#!/usr/bin/env bash
# Differential fuzzing against wasmtime at scale: runs the tests of
# tests/tests/diff.rs on N seeds each, in chunks, and sums what they compared.
#
#   N=10000 tests/fuzz/run.sh                      # all three, 10,000 seeds each
#   N=2000 FIRST=10000 tests/fuzz/run.sh csmith     # seeds 10000..11999 of one test
#
# Tests: smith_core, smith_proposals (wasm-smith modules per configuration),
# csmith (C programs). N (default 10000) seeds per test from FIRST (default
# 0), CHUNK (default 500) per cargo run; every chunk's report is appended to
# LOG (default target/diff-fuzz.log) and a divergence does not stop the run:
# each is listed with the seed that reproduces it
# (WASI_AOT_DIFF_SEED=S cargo test --release -p wasi-aot-tests --test diff -- TEST).
# Needs wasmtime (WASMTIME or PATH) and csmith, as the tests do. Run it at low
# priority on a shared machine: nice -n 19 tests/fuzz/run.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
n="${N:-10000}"
first="${FIRST:-0}"
chunk="${CHUNK:-500}"
log="${LOG:-target/diff-fuzz.log}"
tests=("$@")
if [[ ${#tests[@]} -eq 0 ]]; then
    tests=(smith_core smith_proposals csmith)
fi

cargo build --release
cargo test --release -p wasi-aot-tests --test diff --no-run
mkdir -p "$(dirname "$log")"
export WASI_AOT_REQUIRE_WASMTIME=1

for test in "${tests[@]}"; do
    end=$((first + n))
    for ((start = first; start < end; start += chunk)); do
        count=$((end - start < chunk ? end - start : chunk))
        echo "--- $test: seeds $start..$((start + count - 1))" | tee -a "$log"
        WASI_AOT_DIFF_FIRST="$start" WASI_AOT_DIFF_ITERS="$count" \
            cargo test --release -q -p wasi-aot-tests --test diff -- \
            --exact "$test" --nocapture 2>&1 |
            grep -E '^(diff |  +[0-9]+ |seed [0-9]+:)' | tee -a "$log" || true
    done
done

echo "--- totals (all of $log)"
awk '/^diff / {
        what = $2; sub(":", "", what)
        seeds[what] += $3; divergences[what] += $7
     }
     END { for (w in seeds) printf "%s: %d seeds, %d divergences\n", w, seeds[w], divergences[w] }' "$log"
