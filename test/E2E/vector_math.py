# RUN: %sinter_python %s %sinter %t
# The f32 polynomial approximations of sinter-lower-vectors (exp, log, tanh,
# erf; expm1 and log1p through Elu and Softplus), measured in ulp against
# float64 numpy over a dense sweep of inputs: every binade from denormals to
# FLT_MAX, +-0, +-inf and nan. The composites built on them (Sigmoid, Gelu in
# both forms, Softplus, Elu, Mish) are checked against their float64
# definitions.
import math
import os
import sys

import numpy as np
import onnx
from onnx import helper

from sinter_testing import run, single_graph_model

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(11)

# The maximum error in ulp of the float64 result rounded to f32, measured
# over this sweep and rounded up: exp 4.6 (under 1 except within 8 of
# overflow), log 0.8, tanh 4.4, erf 4.0. Denormal results are held to an
# absolute bound of FLT_MIN instead.
ULP_BOUNDS = {"Exp": 5, "Log": 1, "Tanh": 5, "Erf": 5}
COMPOSITE_ULP = 5
COMPOSITE_ATOL = 2e-7


def sweep():
    """Random bit patterns in every binade, a uniform grid in [-10, 10],
    and the special values."""
    bits = rng.integers(0, 2**32, size=1 << 18, dtype=np.uint64).astype(np.uint32)
    grid = np.linspace(-10, 10, 1 << 16, dtype=np.float32)
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45,
                        1.17e-38, -1.17e-38, 3.4e38, -3.4e38, 1.0, -1.0,
                        88.72, 88.73, -87.3, -103.9, -104.0, 9.0, -9.0],
                       dtype=np.float32)
    x = np.concatenate([bits.view(np.float32), grid, special])
    return x.astype(np.float32)


def run_op(op, x, **attrs):
    tag = op.lower() + "".join(f"_{v}" for v in attrs.values())
    model = single_graph_model(tag, [helper.make_node(op, ["x"], ["y"], **attrs)],
                               {"x": x}, ["y"], opset=20)
    path = os.path.join(workdir, f"{tag}.onnx")
    onnx.save(model, path)
    np.save(os.path.join(workdir, f"{tag}.in.npy"), x)
    out = os.path.join(workdir, f"{tag}.out")
    run([sinter, "run", path, "--input", f"x={os.path.join(workdir, f'{tag}.in.npy')}",
         "--output-dir", out])
    return model, np.load(os.path.join(out, "y.npy"))


def ulp_error(got, exact):
    """|got - exact| in ulp of exact rounded to f32; exact is float64."""
    rounded = exact.astype(np.float32)
    ulp = np.spacing(np.abs(rounded)).astype(np.float64)
    return np.abs(got.astype(np.float64) - exact) / ulp


def check_specials(name, x, got, exact):
    """nan and +-inf (after rounding to f32) exactly; returns the rest."""
    with np.errstate(over="ignore"):
        rounded = exact.astype(np.float32)
    nan = np.isnan(rounded)
    assert np.array_equal(np.isnan(got), nan), \
        f"{name}: nan mismatch at x = {x[np.isnan(got) != nan][:5]}"
    inf = np.isinf(rounded)
    bad = got[inf] != rounded[inf]
    assert not bad.any(), f"{name}: infinities differ at x = {x[inf][bad][:5]}"
    return ~nan & ~inf


erf64 = np.vectorize(math.erf, otypes=[np.float64])
x = sweep()
with np.errstate(all="ignore"):
    x64 = x.astype(np.float64)
    exact = {
        "Exp": np.exp(x64),
        "Log": np.log(x64),
        "Tanh": np.tanh(x64),
        "Erf": erf64(x64),
    }
for op, ref in exact.items():
    _, got = run_op(op, x)
    finite = check_specials(op, x, got, ref)
    # Results that round to f32 denormals or to zero are held to an absolute
    # bound: the approximations flush what is below the normal range.
    normal = finite & (np.abs(ref) >= np.finfo(np.float32).tiny)
    err = ulp_error(got[normal], ref[normal])
    worst = int(np.argmax(err))
    print(f"{op}: max {err[worst]:.2f} ulp at x = {x[normal][worst]!r} "
          f"(mean {err.mean():.3f})")
    assert err[worst] <= ULP_BOUNDS[op], f"{op}: {err[worst]:.2f} ulp > {ULP_BOUNDS[op]}"
    tiny = finite & ~normal
    assert np.all(np.abs(got[tiny] - ref[tiny]) <= np.finfo(np.float32).tiny), \
        f"{op}: denormal results off by more than FLT_MIN"

# Composites, against their float64 definitions: an error within a few ulp
# of the result, or a small absolute one where the formula itself cancels
# (Gelu's 1 + erf(x / sqrt 2) for x < -3, Elu's and Softplus's tails).
def softplus64(v):
    return np.maximum(v, 0) + np.log1p(np.exp(-np.abs(v)))


def gelu_tanh64(v):
    return 0.5 * v * (1 + np.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v**3)))


with np.errstate(all="ignore"):
    composites = [
        ("Sigmoid", {}, 1 / (1 + np.exp(-x64))),
        ("Gelu", {}, 0.5 * x64 * (1 + erf64(x64 / math.sqrt(2)))),
        ("Gelu", {"approximate": "tanh"}, gelu_tanh64(x64)),
        ("Softplus", {}, softplus64(x64)),
        ("Elu", {}, np.where(x64 > 0, x64, np.expm1(x64))),
        ("Mish", {}, x64 * np.tanh(softplus64(x64))),
    ]
for op, attrs, ref in composites:
    _, got = run_op(op, x, **attrs)
    name = f"{op}{attrs or ''}"
    finite = check_specials(name, x, got, ref)
    err = ulp_error(got[finite], ref[finite])
    # The cancellation's error grows with the input's magnitude.
    absolute = np.abs(got[finite] - ref[finite]) / np.maximum(1, np.abs(x64[finite]))
    bad = (err > COMPOSITE_ULP) & (absolute > COMPOSITE_ATOL)
    worst = int(np.argmax(np.where(absolute > COMPOSITE_ATOL, err, 0)))
    print(f"{name}: max {err[worst]:.2f} ulp where the error is over "
          f"{COMPOSITE_ATOL} * max(1, |x|) (x = {x[finite][worst]!r}), "
          f"max absolute error / max(1, |x|) {absolute.max():.2e}")
    assert not bad.any(), f"{name}: error at x = {x[finite][bad][:5]}"
