#!/usr/bin/env python3
"""Turns the hyperfine JSON files written by benches/run.sh into a Markdown
report: medians, and ratios against native code and against wasmtime."""

import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path


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


def main() -> None:
    out = Path(sys.argv[1])  # argv: OUT_DIR WASMTIME PROGRAM...
    programs = sys.argv[3:]
    print("# Benchmark results\n")
    print(f"Machine: {cpu_model()}, {len(open('/proc/cpuinfo').read().split('processor')) - 1} "
          f"cores. Reference: {tool_version([sys.argv[2], '--version'])}, "
          f"C compiled with clang-19 -O2 (native: static x86-64; wasm: wasm32-wasi). "
          f"All three compiled for this machine's CPU: clang -march=native, "
          f"wasi-aot build --target-cpu native, wasmtime compile's default.\n")
    print("Medians of repeated runs (hyperfine); a ratio below 1.00 means wasi-aot is faster.\n")

    start = medians(out / "startup.json")
    print("## Start-up (hello world)\n")
    print("| native | wasi-aot | wasmtime (precompiled) | wasi-aot / native |")
    print("|---:|---:|---:|---:|")
    print(f"| {start['native'] * 1e3:.2f} ms | {start['wasi-aot'] * 1e3:.2f} ms "
          f"| {start['wasmtime'] * 1e3:.2f} ms | {start['wasi-aot'] / start['native']:.2f} |\n")

    print("## Run time\n")
    print("| program | native | wasi-aot | wasmtime | wasi-aot / native | wasi-aot / wasmtime "
          "| build time | build peak RSS | size (native / wasi-aot) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios_native, ratios_wt = [], []
    for p in programs:
        m = medians(out / f"{p}.json")
        build_s, build_kb = (float(x) for x in (out / f"{p}.buildtime").read_text().split())
        native_size, aot_size = (int(x) for x in (out / f"{p}.sizes").read_text().split())
        rn, rw = m["wasi-aot"] / m["native"], m["wasi-aot"] / m["wasmtime"]
        ratios_native.append(rn)
        ratios_wt.append(rw)
        print(f"| {p} | {m['native']:.3f} s | {m['wasi-aot']:.3f} s | {m['wasmtime']:.3f} s "
              f"| {rn:.2f} | {rw:.2f} | {build_s:.2f} s | {build_kb / 1024:.0f} MiB "
              f"| {native_size // 1024} / {aot_size // 1024} KiB |")
    if programs:
        gm = lambda xs: statistics.geometric_mean(xs)
        print(f"| **geometric mean** | | | | **{gm(ratios_native):.2f}** | **{gm(ratios_wt):.2f}** | | | |")


if __name__ == "__main__":
    main()
