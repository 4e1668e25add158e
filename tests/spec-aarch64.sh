#!/usr/bin/env bash
# Runs the spec test suite against aarch64 code: the harness (tests/tests/spec)
# cross-built for aarch64-unknown-linux-gnu and run under qemu-aarch64-static,
# one emulated process per .wast file, two at a time (WASI_AOT_SPEC_JOBS).
# Arguments are file filters, as for `cargo test --test spec`. Prints the
# harness's line for every file, then the counts of each set and the total
# in the harness's format; fails when a check failed or a process crashed.
#
# Why a process per file: qemu-user keeps a descriptor for every guest page
# it ever saw mapped, even after munmap, and each linear memory reserves
# 8 GiB of address space, so one process running the whole suite grows past
# 20 GB; a file alone stays under 1.5 GB.
#
# Needs an aarch64 Rust standard library (`rustup target add
# aarch64-unknown-linux-gnu`, or WASI_AOT_AARCH64_RUSTC naming a rustc that
# has one), a cross linker (Debian: gcc-aarch64-linux-gnu and
# libc6-dev-arm64-cross), the aarch64 C library to run against (Debian
# multiarch: libc6:arm64) and qemu-user-static. Builds into
# target/aarch64-spec, apart from the native build.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
target=aarch64-unknown-linux-gnu

if [[ -n "${WASI_AOT_AARCH64_RUSTC:-}" ]]; then
    export RUSTC="$WASI_AOT_AARCH64_RUSTC"
fi
linker="${CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER:-aarch64-linux-gnu-gcc}"
qemu="${QEMU_AARCH64:-qemu-aarch64-static}"
for tool in "$linker" "$qemu"; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is not installed (see tests/README.md, aarch64)" >&2
        exit 1
    fi
done
if [[ ! -e /lib/ld-linux-aarch64.so.1 ]]; then
    echo "error: no aarch64 C library at /lib/ld-linux-aarch64.so.1 (Debian: libc6:arm64)" >&2
    exit 1
fi
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER="$linker"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo test --release -p wasi-aot-tests --test spec --target "$target" \
    --target-dir "$root/target/aarch64-spec" --no-run 2>&1 | tee "$out/build" >&2
harness=$(sed -n 's/^ *Executable tests\/spec\/main.rs (\(.*\))$/\1/p' "$out/build")
if [[ ! -x "$harness" ]]; then
    echo "error: cargo did not name the spec test binary" >&2
    exit 1
fi

# The harness is a dynamically linked glibc program. qemu runs it with the
# host's multiarch aarch64 loader and C library (/lib/ld-linux-aarch64.so.1
# and /lib/aarch64-linux-gnu): with `-L /usr/aarch64-linux-gnu` it would take
# the cross sysroot's loader but still the multiarch libc.so.6 (qemu only
# redirects paths that exist under the prefix), a mismatched pair.
"$qemu" "$harness" --list "$@" >"$out/files"
n=$(wc -l <"$out/files")
start=$SECONDS

run_one() {
    local i="$1" name="$2"
    set +e
    "$QEMU" "$HARNESS" --exact "$name" >"$OUT/$i.out" 2>&1
    echo $? >"$OUT/$i.rc"
}
export -f run_one
export QEMU="$qemu" HARNESS="$harness" OUT="$out"
awk '{ print NR "\t" $0 }' "$out/files" |
    xargs -d '\n' -P "${WASI_AOT_SPEC_JOBS:-2}" -n 1 bash -c 'IFS=$(printf "\t") read -r i name <<<"$1"; run_one "$i" "$name"' _

status=0
declare -A passed failed skipped
sets=()
for i in $(seq 1 "$n"); do
    name=$(sed -n "${i}p" "$out/files")
    # The process's lines but its set and total lines (summed below).
    awk '!/^spec: / && !($1 == "spec" && $3 !~ /\.wast:$/)' "$out/$i.out"
    line=$(grep -F "spec armv8.0-a $name: " "$out/$i.out" | head -n 1 || true)
    rc=$(cat "$out/$i.rc")
    if [[ "$rc" != 0 ]]; then
        status=1
        if [[ -z "$line" ]]; then
            echo "  $name: the harness ended with status $rc"
        fi
    fi
    set_name=2.0
    if [[ "$name" == */* ]]; then
        set_name=${name%%/*}
    fi
    if [[ -z "${passed[$set_name]+x}" ]]; then
        sets+=("$set_name")
        passed[$set_name]=0 failed[$set_name]=0 skipped[$set_name]=0
    fi
    if [[ "$line" =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
        passed[$set_name]=$((passed[$set_name] + BASH_REMATCH[1]))
        failed[$set_name]=$((failed[$set_name] + BASH_REMATCH[2]))
        skipped[$set_name]=$((skipped[$set_name] + BASH_REMATCH[3]))
    else
        failed[$set_name]=$((failed[$set_name] + 1))
    fi
done
tp=0 tf=0 ts=0
for s in "${sets[@]}"; do
    echo "spec armv8.0-a $s: ${passed[$s]} passed, ${failed[$s]} failed, ${skipped[$s]} skipped"
    tp=$((tp + passed[$s])) tf=$((tf + failed[$s])) ts=$((ts + skipped[$s]))
done
echo "spec: $tp passed, $tf failed, $ts skipped ($n files, $((SECONDS - start)) s)"
if [[ "$tf" != 0 ]]; then
    status=1
fi
exit "$status"
