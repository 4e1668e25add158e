#!/usr/bin/env bash
# Compiles the WASI test programs in this directory to build/<name>.wasm:
#   *.c   with clang-19 --target=wasm32-wasi (wasi-libc); simd*.c also
#         with -msimd128 (WebAssembly 2.0 SIMD, <wasm_simd128.h>)
#   *.cc  with clang++-19 --target=wasm32-wasi (libc++, -fno-exceptions)
#   *.rs  with Debian's /usr/bin/rustc --target wasm32-wasi
# Only sources newer than their .wasm are rebuilt. Each output is written to a
# temporary name and renamed, so a concurrent reader never sees half a file.
#
# Needs the Debian packages:
#   clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
#   libc++-19-dev-wasm32 libc++abi-19-dev-wasm32   (for *.cc)
#   rustc libstd-rust-dev-wasm32 lld-14         (for *.rs)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/build"
mkdir -p "$out"

CLANG="${CLANG:-clang-19}"
CLANGXX="${CLANGXX:-clang++-19}"
# The rustc on PATH may be a rustup proxy without the wasm32-wasi target;
# Debian's rustc ships it.
RUSTC_WASI="${RUSTC_WASI:-/usr/bin/rustc}"

missing() {
    echo "error: $1 not found; install the Debian packages: $2" >&2
    exit 1
}

stale() { # stale SRC WASM
    [[ ! -e "$2" || "$1" -nt "$2" || "$here/build.sh" -nt "$2" ]]
}

for src in "$here"/*.c "$here"/*.cc "$here"/*.rs; do
    [[ -e "$src" ]] || continue
    file="$(basename "$src")"
    name="${file%.*}"
    wasm="$out/$name.wasm"
    stale "$src" "$wasm" || continue
    tmp="$out/.$name.$$.wasm"
    case "$file" in
    *.c)
        command -v "$CLANG" >/dev/null ||
            missing "$CLANG" "clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32"
        simd=()
        [[ "$file" == simd* ]] && simd=(-msimd128)
        "$CLANG" --target=wasm32-wasi -O2 "${simd[@]}" -Wall -Werror -Wl,--strip-debug "$src" -o "$tmp" -lm
        ;;
    *.cc)
        command -v "$CLANGXX" >/dev/null ||
            missing "$CLANGXX" "clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 libc++-19-dev-wasm32 libc++abi-19-dev-wasm32"
        "$CLANGXX" --target=wasm32-wasi -O2 -Wall -Werror -std=c++17 -fno-exceptions -Wl,--strip-debug "$src" -o "$tmp"
        ;;
    *.rs)
        command -v "$RUSTC_WASI" >/dev/null ||
            missing "$RUSTC_WASI" "rustc libstd-rust-dev-wasm32 lld-14"
        "$RUSTC_WASI" -O --edition 2021 --target wasm32-wasi -C strip=debuginfo "$src" -o "$tmp"
        ;;
    esac
    mv -f "$tmp" "$wasm"
    echo "built $name.wasm"
done
