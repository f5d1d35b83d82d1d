"""Runs a zoo model both ways: seeded inputs, onnxruntime's answer (CPU), and
Sinter's (`sinter compile --emit=so`, then `sinter run`), with timings and errors.
Used by `scripts/models --check` and the lit tests in test/Models."""
import os
import subprocess
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper

ATOL = 1e-3
RTOL = 1e-3


def make_inputs(model, batch=1, seed=0):
    """Seeded inputs for each graph input: N(0, 1) images, token ids below the
    model's `vocab`, attention masks of ones with a padded tail on some rows."""
    rng = np.random.default_rng(seed)
    props = {p.key: p.value for p in model.metadata_props}
    feeds = {}
    for value in model.graph.input:
        dims = [d.dim_value if d.HasField("dim_value") else batch
                for d in value.type.tensor_type.shape.dim]
        dtype = helper.tensor_dtype_to_np_dtype(value.type.tensor_type.elem_type)
        if value.name == "attention_mask":
            mask = np.ones(dims, dtype)
            for row in range(1, dims[0], 2):  # odd rows padded from 3/4 on
                mask[row, dims[1] * 3 // 4:] = 0
            feeds[value.name] = mask
        elif np.issubdtype(dtype, np.integer):
            feeds[value.name] = rng.integers(0, int(props["vocab"]), dims).astype(dtype)
        else:
            feeds[value.name] = rng.standard_normal(dims).astype(dtype)
    return feeds


def reference(path, feeds):
    """onnxruntime on the CPU with graph rewrites off, so the reference computes
    exactly the graph as written."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))


class Outcome:
    """What one comparison found; `error` is set when Sinter refused or failed."""

    def __init__(self, name):
        self.name = name
        self.compile_s = self.run_s = None
        self.max_abs = self.max_rel = None
        self.ok = False
        self.error = None

    def row(self):
        def fmt(v, spec):
            return "-" if v is None else format(v, spec)
        status = "pass" if self.ok else ("FAIL" if self.error is None else "error")
        return (f"| {self.name} | {fmt(self.compile_s, '.1f')} | {fmt(self.run_s, '.2f')} | "
                f"{fmt(self.max_abs, '.2e')} | {fmt(self.max_rel, '.2e')} | {status} |")


TABLE_HEADER = ("| model | compile (s) | run once (s) | max abs error | max rel error | result |\n"
                "|---|---:|---:|---:|---:|---|")


def errors(got, want, atol=ATOL):
    """Largest absolute error, and largest relative error over the elements
    whose reference is above `atol` (relative error near zero means nothing)."""
    got, want = got.astype(np.float64), want.astype(np.float64)
    diff = np.abs(got - want)
    big = np.abs(want) > atol
    rel = float(np.max(diff[big] / np.abs(want[big]))) if big.any() else 0.0
    return float(np.max(diff)) if diff.size else 0.0, rel


def compare(sinter, path, feeds, workdir, name, atol=ATOL, rtol=RTOL, timeout=None):
    """Compiles `path` with Sinter into a shared library (inputs fixed to the
    feeds' shapes), runs it on `feeds`, and compares every output with
    onnxruntime's, element by element: |got - want| <= atol + rtol * |want|."""
    out = Outcome(name)
    os.makedirs(workdir, exist_ok=True)
    expected = reference(path, feeds)
    cmd_in = []
    shapes = []
    for key, value in feeds.items():
        file = os.path.join(workdir, f"{name}.in.{key}.npy")
        np.save(file, value)
        cmd_in += ["--input", f"{key}={file}"]
        shapes += ["--input-shape", f"{key}=" + "x".join(str(d) for d in value.shape)]
    lib = os.path.join(workdir, f"{name}.so")
    outdir = os.path.join(workdir, f"{name}.out")

    def step(cmd):
        start = time.monotonic()
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"timed out after {timeout} s: {' '.join(cmd)}"
        except OSError as e:
            return None, f"cannot run {cmd[0]}: {e}"
        took = time.monotonic() - start
        if result.returncode != 0:
            how = (f"signal {-result.returncode}" if result.returncode < 0
                   else f"exit {result.returncode}")
            return took, f"{how}: {' '.join(cmd)}\n{result.stderr.strip()}"
        return took, None

    out.compile_s, out.error = step([sinter, "compile", path, "--emit=so", "-o", lib] + shapes)
    if out.error:
        return out
    out.run_s, out.error = step([sinter, "run", lib, "--output-dir", outdir] + cmd_in)
    if out.error:
        return out
    out.ok = True
    out.max_abs = out.max_rel = 0.0
    for key, want in expected.items():
        got = np.load(os.path.join(outdir, f"{key}.npy"))
        if got.shape != want.shape or got.dtype != want.dtype:
            out.ok = False
            out.error = f"output {key}: got {got.dtype}{got.shape}, want {want.dtype}{want.shape}"
            return out
        a, r = errors(got, want, atol)
        out.max_abs, out.max_rel = max(out.max_abs, a), max(out.max_rel, r)
        close = np.isclose(got, want, atol=atol, rtol=rtol) | (np.isnan(got) & np.isnan(want))
        out.ok &= bool(close.all())
    return out


def check_small(name, sinter, workdir, batch=2):
    """The lit test of one small variant: write it, run `sinter run --expect`
    on seeded inputs against onnxruntime at atol/rtol 1e-3, and check the
    written outputs with numpy too. Exits non-zero on any mismatch."""
    import main  # here, not at the top: main imports this module
    path = main.build(name, workdir, small=True, force=True)
    feeds = make_inputs(onnx.load(path), batch=batch, seed=1)
    expected = reference(path, feeds)
    tag = os.path.join(workdir, name)
    cmd = [sinter, "run", path, "--atol", str(ATOL), "--rtol", str(RTOL),
           "--output-dir", f"{tag}.out"]
    for key, value in feeds.items():
        np.save(f"{tag}.in.{key}.npy", value)
        cmd += ["--input-shape", f"{key}=" + "x".join(str(d) for d in value.shape),
                "--input", f"{key}={tag}.in.{key}.npy"]
    for key, value in expected.items():
        np.save(f"{tag}.expect.{key}.npy", value)
        cmd += ["--expect", f"{key}={tag}.expect.{key}.npy"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {result.returncode}\n"
                 f"{result.stdout}\n{result.stderr}")
    for key, want in expected.items():
        got = np.load(f"{tag}.out/{key}.npy")
        assert got.shape == want.shape and got.dtype == want.dtype, (key, got.shape, want.shape)
        np.testing.assert_allclose(got, want, atol=ATOL, rtol=RTOL, err_msg=f"{name}: {key}")
        print(f"{name}: {key} {want.dtype}{list(want.shape)} max abs error "
              f"{errors(got, want)[0]:.2e}")
    print(f"{name}: ok\n{result.stdout.strip()}")
