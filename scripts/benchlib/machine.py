"""The machine a bench ran on: CPU model, ISA, cores, and one core's measured FMA peak."""
import os
import platform
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cpu_info():
    model, flags = platform.processor() or "unknown", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and model in ("unknown", platform.processor()):
                model = value.strip()
            elif key == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": model,
        "isa": [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni") if f in flags],
        "cores": cores,
        "kernel": platform.release(),
    }


def build_tool(source, output, flags, libraries=()):
    """Compiles one of the bench's C files unless `output` is newer."""
    output = Path(output)
    if output.exists() and output.stat().st_mtime >= source.stat().st_mtime:
        return output
    output.parent.mkdir(parents=True, exist_ok=True)
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, *flags, str(source), "-o", str(output), *libraries], check=True)
    return output


def fma_peak_gflops(out_dir, isa=()):
    """One core's single-precision FMA peak in GFLOP/s: {"avx2": ..., "avx512": ...}
    (256-bit and, where the CPU has AVX-512, 512-bit FMAs); empty if it cannot run."""
    variants = [("avx2", ["-mavx2", "-mfma"])]
    if "avx512f" in isa:
        variants.append(("avx512", ["-mavx512f", "-mfma"]))
    peaks = {}
    for name, flags in variants:
        try:
            tool = build_tool(HERE / "fmapeak.c", Path(out_dir) / f"fmapeak-{name}", ["-O2", *flags])
            result = subprocess.run([str(tool)], check=True, capture_output=True, text=True)
            peaks[name] = float(result.stdout.strip())
        except (OSError, subprocess.CalledProcessError, ValueError):
            pass
    return peaks
