"""The bench's outputs: a Markdown table, a JSON file, a PNG chart, and the latest tables
in docs/Performance.md (between markers, so that each mode replaces only its own)."""
import json
import re
from pathlib import Path


def machine_line(machine):
    peaks = machine.get("fma_peaks_gflops") or {}
    measured = ", ".join(f"{v:.1f} GFLOP/s ({k})" for k, v in peaks.items())
    return (f"{machine['cpu']}, {machine['cores']} cores, ISA {' '.join(machine['isa'])}"
            + (f", one core's measured FMA peak {measured}" if measured else ""))


def model_table(results):
    lines = ["| model | batch | threads | Sinter median ms | Sinter p90 ms | ORT median ms "
             "| ORT p90 ms | Sinter/ORT | max abs diff | compile s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['model']} | {r['batch']} | {r['threads']} | {r['error']} "
                         "| | | | | | |")
            continue
        lines.append(
            f"| {r['model']} | {r['batch']} | {r['threads']} | {r['sinter_median_ms']:.3f} "
            f"| {r['sinter_p90_ms']:.3f} | {r['ort_median_ms']:.3f} | {r['ort_p90_ms']:.3f} "
            f"| {r['ratio']:.2f}x | {r['max_abs_diff']:.2g} | {r['compile_s']:.1f} |")
    return "\n".join(lines)


def gemm_table(results, peak):
    lines = ["| GEMM | M x N x K | threads | Sinter GFLOP/s | % of peak | ORT GFLOP/s | % of peak "
             "| Sinter/ORT time |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        shape = f"{r['m']} x {r['n']} x {r['k']}"
        if "error" in r:
            lines.append(f"| {r['label']} | {shape} | {r['threads']} | {r['error']} | | | | |")
            continue
        pct = (lambda g: f"{100 * g / peak:.0f}%") if peak else (lambda g: "")
        lines.append(
            f"| {r['label']} | {shape} | {r['threads']} | {r['sinter_gflops']:.1f} "
            f"| {pct(r['sinter_gflops'])} | {r['ort_gflops']:.1f} | {pct(r['ort_gflops'])} "
            f"| {r['ratio']:.2f}x |")
    return "\n".join(lines)


def compile_table(results):
    """One row per model and batch, one time column per optimization level."""
    levels = list(dict.fromkeys(r["level"] for r in results))
    rows = {}
    for r in results:
        rows.setdefault((r["model"], r["batch"]), {})[r["level"]] = r
    name = lambda level: "default (-O2)" if level == "default" else level
    lines = ["| model | batch | " + " | ".join(f"{name(l)} s | {name(l)} peak RSS MiB"
                                              for l in levels) + " |",
             "|---|---:|" + "---:|---:|" * len(levels)]
    for (model, batch), by_level in rows.items():
        cells = []
        for level in levels:
            r = by_level.get(level, {"error": "not run"})
            cells += ([r["error"], ""] if "error" in r
                      else [f"{r['compile_s']:.1f}", f"{r['rss_mib']:.0f}"])
        lines.append(f"| {model} | {batch} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def chart(path, labels, series, ylabel, title, reference=None, log=False):
    """Grouped bars, one group per label; `series` maps a name to one value per label."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    width = 0.8 / max(1, len(series))
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(labels) + 2), 4.5))
    for i, (name, values) in enumerate(series.items()):
        ax.bar([x + i * width for x in range(len(labels))], values, width, label=name)
    if reference is not None:
        ax.axhline(reference[0], color="black", linestyle="--", linewidth=1, label=reference[1])
    ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))])
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write(out_dir, stem, document, table, title, machine, command):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.json").write_text(json.dumps(document, indent=2) + "\n")
    text = f"# {title}\n\n{machine_line(machine)}\n\n`{command}`\n\n{table}\n"
    (out_dir / f"{stem}.md").write_text(text)


DOC_HEADER = """# Performance

Measured by `scripts/bench` (see `scripts/bench --help`): Sinter and onnxruntime (CPU
provider, all graph optimizations, the same number of intra-op threads) run in one process,
interleaved in blocks of 5 runs (with a 20 ms pause before each block, so that neither
engine starts on cores the other's spinning workers still hold), after warm-up, on the
same inputs; latencies are per run, and the ratio is
Sinter's median over onnxruntime's (below 1 means Sinter is faster). `max abs diff` compares
the two engines' outputs. The GEMM sweep times single-MatMul models with constant weights
against one core's FMA peak (the widest FMA it has), measured by
`scripts/benchlib/fmapeak.c`. Each run also writes
`build/bench/{models,gemm}.{md,json,png}`. `--compile-only` times `sinter compile` (to a
shared library) of each model at each optimization level, with the compiler's peak memory,
and writes `build/bench/compile.{md,json}`. The tables below are the latest run of each mode.
"""


def update_doc(doc_path, section, title, machine, command, table, date):
    doc_path = Path(doc_path)
    text = doc_path.read_text() if doc_path.exists() else DOC_HEADER
    begin, end = f"<!-- bench:{section}:begin -->", f"<!-- bench:{section}:end -->"
    body = (f"{begin}\n## {title}\n\n{date} on {machine_line(machine)}.\n\n"
            f"`{command}`\n\n{table}\n{end}")
    if begin in text and end in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: body, text,
                      flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    doc_path.write_text(text)
