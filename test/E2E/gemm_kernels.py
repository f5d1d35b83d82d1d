# RUN: %sinter_python %s %sinter %t
# The GEMM kernels of sinter-gemm-kernels against numpy (float64 products,
# rounded to f32), over shapes that hit every edge of the blocking: a single
# row (the wide GEMV tile), rows and columns the register tile does not
# divide, K across several K blocks, N across the B-panel tail, batch
# matmuls; with B, with A or with neither an initializer (a constant operand
# is packed at compile time, the others at run time).
# Each runs for 128-, 256- and 512-bit vectors (x86-64, haswell,
# skylake-avx512); targets this CPU lacks are only compiled.
# Tolerance: |got - ref| <= 1e-5 * sqrt(K) * (|A| |B|)[i,j] + 1e-6, the
# rounding bound of an f32 dot product of length K in any summation order.
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import helper

from sinter_testing import initializer, make_model, run, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(11)

flags = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
targets = [("x86-64", True), ("haswell", " avx2 " in flags and " fma " in flags),
           ("skylake-avx512", " avx512f " in flags)]

shapes = [  # (batch or None, M, K, N)
    (None, 1, 7, 5), (None, 1, 2048, 100), (None, 5, 3, 17), (None, 6, 16, 16),
    (None, 13, 300, 33), (None, 64, 100, 37), (None, 97, 513, 130),
    (None, 200, 64, 300), (None, 130, 257, 64),
    (4, 16, 8, 32), (3, 7, 70, 9), (2, 25, 300, 40),
]

failures = 0
for index, (batch, m, k, n) in enumerate(shapes):
    lead = [] if batch is None else [batch]
    a = rng.standard_normal(lead + [m, k]).astype(np.float32)
    b = rng.standard_normal(lead + [k, n]).astype(np.float32)
    ref = np.matmul(a.astype(np.float64), b.astype(np.float64))
    bound = 1e-5 * np.sqrt(k) * np.matmul(np.abs(a).astype(np.float64),
                                           np.abs(b).astype(np.float64)) + 1e-6
    # Which operand is an initializer: B (a weight), A (a conv filter), none.
    for const in ("b", "a", None):
        tag = f"gemm{index}_const_{const}"
        inits = [initializer(name, value) for name, value in (("a", a), ("b", b))
                 if name == const]
        inputs = [value_info(name, lead + shape) for name, shape in
                  (("a", [m, k]), ("b", [k, n])) if name != const]
        model = make_model([helper.make_node("MatMul", ["a", "b"], ["y"])], inputs,
                           [value_info("y", lead + [m, n])], inits)
        path = os.path.join(workdir, tag + ".onnx")
        onnx.save(model, path)
        np.save(os.path.join(workdir, tag + ".a.npy"), a)
        np.save(os.path.join(workdir, tag + ".b.npy"), b)
        for cpu, runnable in targets:
            if not runnable:
                run([sinter, "compile", path, f"--cpu={cpu}", "-o",
                     os.path.join(workdir, f"{tag}.{cpu}.o")])
                continue
            out = os.path.join(workdir, f"{tag}.{cpu}.out")
            cmd = [sinter, "run", path, f"--cpu={cpu}", "--output-dir", out]
            for name in ("a", "b"):
                if name != const:
                    cmd += ["--input", f"{name}={workdir}/{tag}.{name}.npy"]
            run(cmd)
            got = np.load(os.path.join(out, "y.npy")).astype(np.float64)
            err = np.abs(got - ref)
            if got.shape != ref.shape or not np.all(err <= bound):
                failures += 1
                print(f"FAIL {tag} --cpu={cpu}: shape {got.shape} vs {ref.shape}, "
                      f"worst error/bound {np.max(err / bound):.3g}")
            else:
                print(f"{tag} --cpu={cpu}: ok, worst error/bound {np.max(err / bound):.3g}")

# A tied LM head: one table feeds both the embedding Gather and, transposed,
# the MatMul, so the transpose is not folded into a second constant; the
# GEMM packs its B from the table at compile time. Against onnxruntime.
from sinter_testing import check_sinter_run

table = rng.standard_normal((40, 24)).astype(np.float32)
ids = rng.integers(0, 40, size=(9,)).astype(np.int64)
tied = make_model(
    [helper.make_node("Gather", ["table", "ids"], ["x"]),
     helper.make_node("Transpose", ["table"], ["table_t"]),
     helper.make_node("MatMul", ["x", "table_t"], ["logits"])],
    [value_info("ids", [9], np.int64)], [value_info("logits", [9, 40])],
    [initializer("table", table)])
check_sinter_run(sinter, tied, {"ids": ids}, workdir, "tied_lm_head", atol=1e-4, rtol=1e-4)

sys.exit(1 if failures else 0)
