"""scripts/bench: Sinter against onnxruntime, per model at batch 1 and 8 with 1 and 2
threads (or a GEMM sweep with --gemm), timed in one process, interleaved; or, with
--compile-only, the compile time of each model at each optimization level."""
import argparse
import datetime
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import engines, machine, models, report

ROOT = Path(__file__).resolve().parents[2]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    p.add_argument("models", nargs="*", help=f"zoo models (default: {' '.join(models.ZOO)})")
    p.add_argument("--gemm", action="store_true", help="run the GEMM sweep instead of models")
    p.add_argument("--compile-only", action="store_true",
                   help="only time `sinter compile` of each model (batch 1 unless --batch) at "
                        "each of --levels; no onnxruntime, no runs")
    p.add_argument("--levels", default="default,-O3",
                   help="--compile-only: optimization levels, comma separated; 'default' "
                        "passes none (default: default,-O3)")
    p.add_argument("--batch", default="1,8", help="batch sizes, comma separated (default 1,8)")
    p.add_argument("--threads", default="1,2", help="thread counts (default 1,2; --gemm: 1)")
    p.add_argument("--shapes", help="--gemm only: MxNxK,... instead of the built-in sweep")
    p.add_argument("--small", action="store_true", help="ask scripts/models for small variants")
    p.add_argument("--warmup", type=int, default=5, help="warm-up runs of each engine")
    p.add_argument("--iterations", type=int, default=100, help="timed runs of each engine")
    p.add_argument("--budget", type=float, default=10.0,
                   help="seconds of timed runs per configuration; stops early past it "
                        "(at least 5 runs)")
    p.add_argument("--sinter", default=str(ROOT / "build" / "bin" / "sinter"),
                   help="the sinter binary (to compare builds)")
    p.add_argument("--compile-arg", action="append", default=[],
                   help="extra argument for `sinter compile`, e.g. -O3 (repeatable)")
    p.add_argument("--out", default=str(ROOT / "build" / "bench"), help="output folder")
    p.add_argument("--no-doc", action="store_true", help="leave docs/Performance.md alone")
    return p.parse_args(argv)


def ints(text):
    return [int(x) for x in text.split(",") if x]


def compile_model(args, model_path, shapes, library, extra=(), usage=None):
    """Seconds that `sinter compile` took; `usage`, a dict, gets its peak RSS in MiB."""
    command = [args.sinter, "compile", str(model_path), "--emit=so", "-o", str(library)]
    for name, (dims, _) in shapes.items():
        command += ["--input-shape", f"{name}={'x'.join(map(str, dims))}"]
    command += args.compile_arg + list(extra)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        # wait4 gives this child's own resource usage (Linux: ru_maxrss in KiB).
        _, status, rusage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        stderr.seek(0)
        errors = stderr.read().decode(errors="replace")
    if process.returncode != 0:
        message = (errors.strip().splitlines() or ["failed"])[-1]
        raise RuntimeError(f"compile: {message}")
    if usage is not None:
        usage["rss_mib"] = rusage.ru_maxrss / 1024.0
    return elapsed


# Runs per block of one engine, and the pause before each block. Both
# engines' thread pools spin for a while after a run (onnxruntime's for
# longer than Sinter's); run after run of alternating engines would hand each
# one a core still busy with the other's spinning workers. In blocks, each
# engine runs back to back as in real use, and starts on idle cores.
BLOCK_RUNS = 5
BLOCK_PAUSE_S = 0.02


def time_interleaved(sinter, ort, args):
    """Seconds per run of each engine, in alternating blocks after warm-up."""
    for _ in range(args.warmup):
        sinter.run()
        ort.run()
    clock = time.perf_counter
    s_times, o_times = [], []
    start = clock()
    while len(s_times) < args.iterations:
        for engine, times in ((sinter, s_times), (ort, o_times)):
            time.sleep(BLOCK_PAUSE_S)
            for _ in range(min(BLOCK_RUNS, args.iterations - len(times))):
                t0 = clock()
                engine.run()
                times.append(clock() - t0)
        if len(s_times) >= 5 and clock() - start > args.budget:
            break
    return np.array(s_times), np.array(o_times)


def max_abs_diff(sinter, ort):
    ours, theirs = sinter.outputs(), ort.outputs()
    worst = 0.0
    for name, expected in theirs.items():
        actual = ours.get(name)
        if actual is None or actual.shape != expected.shape:
            return float("inf")
        if expected.size:
            worst = max(worst, float(np.max(np.abs(actual.astype(np.float64) -
                                                   expected.astype(np.float64)))))
    return worst


def measure(args, harness, model_path, library, threads, inputs):
    sinter = engines.SinterModel(harness, library, threads, inputs)
    try:
        ort = engines.OrtModel(model_path, threads, inputs)
        s, o = time_interleaved(sinter, ort, args)
        diff = max_abs_diff(sinter, ort)
    finally:
        sinter.close()
    ms = lambda a, q: float(np.percentile(a, q) * 1e3)
    return {"sinter_median_ms": ms(s, 50), "sinter_p90_ms": ms(s, 90),
            "ort_median_ms": ms(o, 50), "ort_p90_ms": ms(o, 90),
            "ratio": float(np.median(s) / np.median(o)), "runs": len(s),
            "max_abs_diff": diff}


def run_models(args, harness, work, info):
    names = args.models or models.ZOO
    found = models.fetch(ROOT, names, args.small)
    results = []
    for name, path in found.items():
        for batch in ints(args.batch):
            shapes = models.input_shapes(path, batch)
            inputs = models.random_inputs(shapes)
            library = Path(work) / f"{name}-b{batch}.so"
            base = {"model": name, "batch": batch}
            try:
                compile_s = compile_model(args, path, shapes, library)
            except RuntimeError as error:
                for threads in ints(args.threads):
                    results.append({**base, "threads": threads, "error": str(error)})
                print(f"{name} batch {batch}: {error}", file=sys.stderr)
                continue
            for threads in ints(args.threads):
                row = {**base, "threads": threads, "compile_s": compile_s}
                try:
                    row.update(measure(args, harness, path, library, threads, inputs))
                    print(f"{name} batch {batch} threads {threads}: sinter "
                          f"{row['sinter_median_ms']:.3f} ms, ort {row['ort_median_ms']:.3f} ms, "
                          f"ratio {row['ratio']:.2f}, max abs diff {row['max_abs_diff']:.2g}")
                except RuntimeError as error:
                    row = {**base, "threads": threads, "error": str(error)}
                    print(f"{name} batch {batch} threads {threads}: {error}", file=sys.stderr)
                results.append(row)
    return results


def run_gemms(args, harness, work, info):
    sweep = models.GEMMS
    if args.shapes:
        sweep = [(s, *map(int, s.split("x"))) for s in args.shapes.split(",")]
    results = []
    for label, m, n, k in sweep:
        path = Path(work) / f"gemm-{m}x{n}x{k}.onnx"
        models.build_gemm(path, m, n, k)
        library = path.with_suffix(".so")
        inputs = models.random_inputs({"x": ([m, k], np.float32)})
        base = {"label": label, "m": m, "n": n, "k": k}
        try:
            compile_model(args, path, {}, library)
        except RuntimeError as error:
            results.append({**base, "threads": 1, "error": str(error)})
            continue
        for threads in ints(args.threads):
            row = {**base, "threads": threads}
            try:
                row.update(measure(args, harness, path, library, threads, inputs))
                flops = 2.0 * m * n * k
                row["sinter_gflops"] = flops / row["sinter_median_ms"] * 1e-6
                row["ort_gflops"] = flops / row["ort_median_ms"] * 1e-6
                print(f"{label} ({m}x{n}x{k}) threads {threads}: sinter "
                      f"{row['sinter_gflops']:.1f} GFLOP/s, ort {row['ort_gflops']:.1f} GFLOP/s")
            except RuntimeError as error:
                row["error"] = str(error)
            results.append(row)
    return results


def run_compiles(args, work):
    """Compile time and peak memory of each model at each level, one compile at a time."""
    names = args.models or models.ZOO
    found = models.fetch(ROOT, names, args.small)
    levels = [level for level in args.levels.split(",") if level]
    results = []
    for name, path in found.items():
        for batch in ints(args.batch):
            shapes = models.input_shapes(path, batch)
            for level in levels:
                row = {"model": name, "batch": batch, "level": level}
                extra = [] if level == "default" else [level]
                library = Path(work) / f"{name}-b{batch}.so"
                usage = {}
                try:
                    row["compile_s"] = compile_model(args, path, shapes, library, extra, usage)
                    row.update(usage)
                    print(f"{name} batch {batch} {level}: {row['compile_s']:.1f} s, "
                          f"peak RSS {row['rss_mib']:.0f} MiB")
                except RuntimeError as error:
                    row["error"] = str(error)
                    print(f"{name} batch {batch} {level}: {error}", file=sys.stderr)
                library.unlink(missing_ok=True)
                results.append(row)
    return results


def main(argv):
    args = parse_args(argv)
    if args.gemm and args.threads == "1,2" and "--threads" not in " ".join(argv):
        args.threads = "1"
    if args.compile_only and "--batch" not in " ".join(argv):
        args.batch = "1"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not Path(args.sinter).exists():
        raise SystemExit(f"bench: {args.sinter} not found; build the project first")
    info = machine.cpu_info()
    if args.compile_only:
        return compile_only(args, argv, out, info)
    peaks = machine.fma_peak_gflops(out, info["isa"])
    info["fma_peaks_gflops"] = peaks
    # The peak the GEMMs are measured against: the widest FMA the core runs.
    info["fma_peak_gflops"] = max(peaks.values()) if peaks else None
    harness = engines.build_harness(ROOT, out)
    command = "scripts/bench " + " ".join(shlex.quote(a) for a in argv)
    date = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    with tempfile.TemporaryDirectory(prefix="sinter-bench-") as work:
        results = (run_gemms if args.gemm else run_models)(args, harness, work, info)
    ok = [r for r in results if "error" not in r]
    document = {"date": date, "machine": info, "command": command,
                "settings": {"warmup": args.warmup, "iterations": args.iterations,
                             "budget_s": args.budget, "compile_args": args.compile_arg},
                "results": results}
    if args.gemm:
        stem, title = "gemm", "GEMM sweep"
        table = report.gemm_table(results, info["fma_peak_gflops"])
        if ok:
            labels = [f"{r['label']} t{r['threads']}" for r in ok]
            peak = info["fma_peak_gflops"]
            report.chart(out / "gemm.png", labels,
                         {"Sinter": [r["sinter_gflops"] for r in ok],
                          "onnxruntime": [r["ort_gflops"] for r in ok]},
                         "GFLOP/s", f"GEMM sweep, {info['cpu']}",
                         reference=(peak, "one core's FMA peak") if peak else None)
    else:
        stem, title = "models", "Models"
        table = report.model_table(results)
        if ok:
            labels = [f"{r['model']} b{r['batch']} t{r['threads']}" for r in ok]
            report.chart(out / "models.png", labels, {"Sinter / onnxruntime": [r["ratio"] for r in ok]},
                         "latency ratio (lower is better)", f"Sinter vs onnxruntime, {info['cpu']}",
                         reference=(1.0, "parity"), log=True)
    report.write(out, stem, document, table, title, info, command)
    if not args.no_doc:
        report.update_doc(ROOT / "docs" / "Performance.md", stem, title, info, command, table, date)
    print(f"\n{report.machine_line(info)}\n\n{table}\n\nwrote {out}/{stem}.md, .json"
          + (", .png" if ok else ""))
    return 0 if ok or not results else 1


def compile_only(args, argv, out, info):
    command = "scripts/bench " + " ".join(shlex.quote(a) for a in argv)
    date = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    with tempfile.TemporaryDirectory(prefix="sinter-bench-") as work:
        results = run_compiles(args, work)
    document = {"date": date, "machine": info, "command": command,
                "settings": {"compile_args": args.compile_arg}, "results": results}
    table = report.compile_table(results)
    title = "Compile time"
    report.write(out, "compile", document, table, title, info, command)
    if not args.no_doc:
        report.update_doc(ROOT / "docs" / "Performance.md", "compile", title, info, command,
                          table, date)
    print(f"\n{report.machine_line(info)}\n\n{table}\n\nwrote {out}/compile.md, .json")
    return 0 if any("error" not in r for r in results) or not results else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
