# RUN: %sinter_python %s %sinter %t
# Signal ops end to end against ONNX's reference (onnxruntime lacks some of
# them or some opsets): DFT on every axis, real and complex, truncated and
# zero-padded, inverse and one-sided in both directions and odd lengths; STFT
# with and without a window; windows of both kinds and output types;
# MelWeightMatrix; TfIdfVectorizer in every mode; antialiased and cropping Resize.
import os
import sys

import numpy as np
from onnx import TensorProto, helper

from sinter_testing import initializer, reference, run, single_graph_model, sinter_run_expect, value_info
from sinter_testing import onnx_reference as reference_outputs

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(5)
failures = []


def check(tag, nodes, feeds, outputs, inits=(), opset=20, tol=1e-4, ort=False):
    model = single_graph_model(tag, nodes, feeds, outputs, inits, opset)
    model.ir_version = 10 if opset >= 21 else 9
    expected = reference(model, feeds) if ort else reference_outputs(model, feeds, outputs)
    result = sinter_run_expect(sinter, model, feeds, expected, workdir, tag, tol)
    if result.returncode != 0:
        failures.append(f"{tag}: {result.stderr.strip()}")
    print(f"{tag}: {'ok' if result.returncode == 0 else 'FAILED'}")


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


def floats(*shape):
    return rng.standard_normal(shape).astype(np.float32)


real = floats(2, 6, 5, 1)
cplx = floats(2, 6, 5, 2)
i64 = lambda v: np.array(v, np.int64)  # noqa: E731

# DFT-20: axis as an input (negative too), dft_length shorter and longer.
for name, x in [("real", real), ("complex", cplx)]:
    for axis in [1, -2]:
        for length in [None, 4, 9]:
            for inverse, onesided in [(0, 0), (0, 1), (1, 0)]:
                if onesided and name == "complex":
                    continue
                ins = ["x", "n" if length else "", "axis"]
                inits = [("axis", i64(axis))] + ([("n", i64(length))] if length else [])
                check(f"dft_{name}_{axis}_{length}_{inverse}{onesided}",
                      [node("DFT", ins, ["y"], inverse=inverse, onesided=onesided)],
                      {"x": x}, ["y"], inits=inits)
# irfft: one-sided spectrum back to an even and an odd signal length.
half = floats(3, 4, 2)
for length in [6, 7]:
    check(f"dft_irfft_{length}",
          [node("DFT", ["x", "n", "axis"], ["y"], inverse=1, onesided=1)],
          {"x": half}, ["y"], inits=[("n", i64(length)), ("axis", i64(1))])
# DFT-17: axis as an attribute.
check("dft17_axis2", [node("DFT", ["x"], ["y"], axis=2)], {"x": cplx}, ["y"], opset=17)
check("dft17_inverse", [node("DFT", ["x", "n"], ["y"], inverse=1)], {"x": cplx}, ["y"],
      inits=[("n", i64(8))], opset=17)

# STFT: with a window (onesided), without (full), a complex signal.
signal = floats(2, 32, 1)
check("stft_window",
      [node("HannWindow", ["len"], ["w"]),
       node("STFT", ["x", "step", "w"], ["y"])],
      {"x": signal}, ["y"], inits=[("len", i64(10)), ("step", i64(4))], opset=17)
check("stft_length",
      [node("STFT", ["x", "step", "", "len"], ["y"], onesided=0)],
      {"x": signal}, ["y"], inits=[("len", i64(7)), ("step", i64(5))], opset=17)
check("stft_complex",
      [node("STFT", ["x", "step", "", "len"], ["y"], onesided=0)],
      {"x": floats(1, 16, 2)}, ["y"], inits=[("len", i64(8)), ("step", i64(8))],
      opset=17)

# Windows: symmetric, periodic, double output, int32 size.
for op in ["HannWindow", "HammingWindow", "BlackmanWindow"]:
    for periodic in [0, 1]:
        check(f"{op}_{periodic}",
              [node(op, ["n"], ["y"], periodic=periodic,
                    output_datatype=TensorProto.DOUBLE)],
              {}, ["y"], inits=[("n", np.array(9, np.int32))], opset=17)

check("melweightmatrix",
      [node("MelWeightMatrix", ["bins", "dft", "rate", "lo", "hi"], ["y"])],
      {}, ["y"], inits=[("bins", i64(10)), ("dft", i64(64)), ("rate", i64(16000)),
                        ("lo", np.array(40, np.float32)),
                        ("hi", np.array(7000, np.float32))], opset=17)

# TfIdfVectorizer: uni- to trigrams with skips, weights, int32 rows and 1-D
# (onnxruntime as the reference: ONNX's needs weights in IDF and TFIDF modes).
pool = [2, 3, 5, 4,  # unigrams
        5, 6, 7, 8, 6, 7,  # bigrams
        2, 3, 2]  # one trigram
ids = list(range(7)) + [3]  # two n-grams share output slot 3
rows = rng.integers(2, 9, (3, 12)).astype(np.int32)
for mode in ["TF", "IDF", "TFIDF"]:
    for weights in [None, [0.5, 1, 2, 3, 4, 5, 6, 7]]:
        attrs = dict(mode=mode, min_gram_length=1, max_gram_length=3,
                     max_skip_count=2, ngram_counts=[0, 4, 10],
                     ngram_indexes=ids, pool_int64s=pool)
        if weights:
            attrs["weights"] = weights
        check(f"tfidf_{mode}_{bool(weights)}",
              [node("TfIdfVectorizer", ["x"], ["y"], **attrs)],
              {"x": rows}, ["y"], opset=9, ort=True)
check("tfidf_1d_bigrams",
      [node("TfIdfVectorizer", ["x"], ["y"], mode="TF", min_gram_length=2,
            max_gram_length=2, max_skip_count=3, ngram_counts=[0, 0],
            ngram_indexes=[2, 0, 1], pool_int64s=pool[4:10])],
      {"x": rows[0].astype(np.int64)}, ["y"], opset=9, ort=True)

# Resize: antialiased shrinking, tf_crop_and_resize with axes and nearest.
image = floats(1, 2, 9, 11)
for mode in ["linear", "cubic"]:
    check(f"resize_antialias_{mode}",
          [node("Resize", ["x", "", "", "sizes"], ["y"], mode=mode, antialias=1)],
          {"x": image}, ["y"], inits=[("sizes", i64([1, 2, 4, 5]))], opset=18)
    check(f"resize_antialias_{mode}_exclude",
          [node("Resize", ["x", "", "scales"], ["y"], mode=mode, antialias=1,
                exclude_outside=1, coordinate_transformation_mode="align_corners")],
          {"x": image}, ["y"],
          inits=[("scales", np.array([1, 1, 0.3, 1.6], np.float32))], opset=18)
for mode in ["nearest", "linear", "cubic"]:
    check(f"resize_crop_{mode}",
          [node("Resize", ["x", "roi", "", "sizes"], ["y"], mode=mode, axes=[3, 2],
                coordinate_transformation_mode="tf_crop_and_resize",
                extrapolation_value=-7.0)],
          {"x": image}, ["y"],
          inits=[("roi", np.array([-0.2, 0.3, 1.1, 0.8], np.float32)),
                 ("sizes", i64([6, 4]))], opset=18)

if failures:
    sys.exit("FAIL:\n" + "\n".join(failures))
