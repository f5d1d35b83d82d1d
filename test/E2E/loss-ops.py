# RUN: %sinter_python %s %sinter %t
# NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss with every reduction,
# class weights, ignore_index and N-d inputs, and SCE's log_prob output.
# Checked against onnxruntime.
import sys

import numpy as np
from onnx import helper

from sinter_testing import check_sinter_run, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(11)

for op in ("NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss"):
    for reduction in ("none", "sum", "mean"):
        for shape, weighted, ignore in (([4, 5], False, None), ([2, 3, 4, 2], True, 1),
                                        ([3, 4, 5], False, -1), ([3, 4], True, None)):
            target_shape = [shape[0]] + shape[2:]
            attrs = dict(reduction=reduction)
            if ignore is not None:
                attrs["ignore_index"] = ignore
            inputs = ["x", "t"] + (["w"] if weighted else [])
            outputs = ["loss"] + (["log_prob"] if op == "SoftmaxCrossEntropyLoss" else [])
            node = helper.make_node(op, inputs, outputs, name="loss", **attrs)
            infos = [value_info("x", shape), value_info("t", target_shape, np.int64)]
            if weighted:
                infos.append(value_info("w", [shape[1]]))
            out_infos = [value_info("loss", target_shape if reduction == "none" else [])]
            if len(outputs) == 2:
                out_infos.append(value_info("log_prob", shape))
            model = make_model([node], infos, out_infos, opset=13)
            target = rng.integers(0, shape[1], target_shape).astype(np.int64)
            if ignore is not None:
                target.flat[0] = ignore
            feeds = {"x": rng.standard_normal(shape).astype(np.float32), "t": target}
            if weighted:
                feeds["w"] = rng.uniform(0.5, 2.0, shape[1]).astype(np.float32)
            tag = f"{op}_{reduction}_{len(shape)}d_{'w' if weighted else 'nw'}_{ignore}"
            check_sinter_run(sinter, model, feeds, workdir, tag, atol=1e-5, rtol=1e-5)
