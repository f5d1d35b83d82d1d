# Bad indexing and selection nodes fail with one line naming the node and what is
# wrong; data-dependent shapes (Compress, NonZero, Unique of run-time values) are
# refused rather than guessed.
# RUN: rm -rf %t && %sinter_python %s %t
# RUN: not %sinter compile %t/gather_elements_index.onnx 2>&1 | FileCheck %s --check-prefix=GEINDEX --implicit-check-not=error
# RUN: not %sinter compile %t/gathernd_batch.onnx 2>&1 | FileCheck %s --check-prefix=BATCH --implicit-check-not=error
# RUN: not %sinter compile %t/scatter_shape.onnx 2>&1 | FileCheck %s --check-prefix=SCATTERSHAPE --implicit-check-not=error
# RUN: not %sinter compile %t/scatternd_index.onnx 2>&1 | FileCheck %s --check-prefix=NDINDEX --implicit-check-not=error
# RUN: not %sinter compile %t/reduction_opset.onnx 2>&1 | FileCheck %s --check-prefix=REDOPSET --implicit-check-not=error
# RUN: not %sinter compile %t/reduction_name.onnx 2>&1 | FileCheck %s --check-prefix=REDNAME --implicit-check-not=error
# RUN: not %sinter compile %t/float_indices.onnx 2>&1 | FileCheck %s --check-prefix=FLOATIDX --implicit-check-not=error
# RUN: not %sinter compile %t/topk_large.onnx 2>&1 | FileCheck %s --check-prefix=TOPK --implicit-check-not=error
# RUN: not %sinter compile %t/topk_runtime_k.onnx 2>&1 | FileCheck %s --check-prefix=TOPKRUNTIME --implicit-check-not=error
# RUN: not %sinter compile %t/argmax_axis.onnx 2>&1 | FileCheck %s --check-prefix=ARGAXIS --implicit-check-not=error
# RUN: not %sinter compile %t/cumsum_axis.onnx 2>&1 | FileCheck %s --check-prefix=CUMAXIS --implicit-check-not=error
# RUN: not %sinter compile %t/trilu_rank.onnx 2>&1 | FileCheck %s --check-prefix=TRILU --implicit-check-not=error
# RUN: not %sinter compile %t/onehot_values.onnx 2>&1 | FileCheck %s --check-prefix=ONEHOT --implicit-check-not=error
# RUN: not %sinter compile %t/reverse_axes.onnx 2>&1 | FileCheck %s --check-prefix=REVERSE --implicit-check-not=error
# RUN: not %sinter compile %t/compress_runtime.onnx 2>&1 | FileCheck %s --check-prefix=COMPRESS --implicit-check-not=error
# RUN: not %sinter compile %t/compress_long.onnx 2>&1 | FileCheck %s --check-prefix=COMPRESSLONG --implicit-check-not=error
# RUN: not %sinter compile %t/nonzero_runtime.onnx 2>&1 | FileCheck %s --check-prefix=NONZERO --implicit-check-not=error
# RUN: not %sinter compile %t/unique_runtime.onnx 2>&1 | FileCheck %s --check-prefix=UNIQUE --implicit-check-not=error
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
F, I64 = TensorProto.FLOAT, TensorProto.INT64


def save(name, op, inputs, inits=(), opset=18, outputs=("y",), **attrs):
    graph = helper.make_graph(
        [helper.make_node(op, [n for n, _, _ in inputs] + [n for n, _ in inits],
                          list(outputs), name="bad", **attrs)], name,
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_empty_tensor_value_info(n) for n in outputs],
        [numpy_helper.from_array(np.asarray(v), n) for n, v in inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


# GEINDEX: sinter: error: {{.*}}gather_elements_index.onnx: node 'bad' (GatherElements): index -5 (element 1 of indices) is out of range for a dimension of size 4
save("gather_elements_index", "GatherElements", [("x", F, [2, 4])],
     [("i", np.array([[0, -5]], np.int64))], axis=1)

# BATCH: sinter: error: {{.*}}gathernd_batch.onnx: node 'bad' (GatherND): batch dimension 0 differs: 'tensor<2x4xf32>' and 'tensor<3x1xi64>'
save("gathernd_batch", "GatherND", [("x", F, [2, 4]), ("i", I64, [3, 1])], batch_dims=1)

# SCATTERSHAPE: sinter: error: {{.*}}scatter_shape.onnx: node 'bad' (ScatterElements): updates 'tensor<2x3xf32>' must have the shape of indices 'tensor<2x2xi64>' and the element type of data 'tensor<3x3xf32>'
save("scatter_shape", "ScatterElements",
     [("x", F, [3, 3]), ("i", I64, [2, 2]), ("u", F, [2, 3])])

# NDINDEX: sinter: error: {{.*}}scatternd_index.onnx: node 'bad' (ScatterND): index 3 (element 1 of indices) is out of range for a dimension of size 3
save("scatternd_index", "ScatterND", [("x", F, [3, 3])],
     [("i", np.array([[0], [3]], np.int64)), ("u", np.zeros((2, 3), np.float32))])

# REDOPSET: sinter: error: {{.*}}reduction_opset.onnx: node 'bad' (ScatterND): reduction 'max' needs opset 18 (the model has 16)
save("reduction_opset", "ScatterND", [("x", F, [3]), ("i", I64, [1, 1]), ("u", F, [1])],
     opset=16, reduction="max")

# REDNAME: sinter: error: {{.*}}reduction_name.onnx: node 'bad' (ScatterElements): unknown reduction 'sum' (expected none, add, mul, max or min)
save("reduction_name", "ScatterElements",
     [("x", F, [3]), ("i", I64, [1]), ("u", F, [1])], reduction="sum")

# FLOATIDX: sinter: error: {{.*}}float_indices.onnx: node 'bad' (GatherElements): indices must be int32 or int64, got 'tensor<2xf32>'
save("float_indices", "GatherElements", [("x", F, [3]), ("i", F, [2])])

# TOPK: sinter: error: {{.*}}topk_large.onnx: node 'bad' (TopK): k = 5 is outside [0, 4] for axis 1 of 'tensor<3x4xf32>'
save("topk_large", "TopK", [("x", F, [3, 4])], [("k", np.array([5], np.int64))],
     outputs=("v", "i"))

# TOPKRUNTIME: sinter: error: {{.*}}topk_runtime_k.onnx: node 'bad' (TopK): input 'k' (k) must be known at compile time; Sinter compiles static shapes only
save("topk_runtime_k", "TopK", [("x", F, [3, 4]), ("k", I64, [1])], outputs=("v", "i"))

# ARGAXIS: sinter: error: {{.*}}argmax_axis.onnx: node 'bad' (ArgMax): axis 2 is out of range for rank 2
save("argmax_axis", "ArgMax", [("x", F, [3, 4])], axis=2)

# CUMAXIS: sinter: error: {{.*}}cumsum_axis.onnx: node 'bad' (CumSum): axis must be a single value, got 2
save("cumsum_axis", "CumSum", [("x", F, [3, 4])], [("axis", np.array([0, 1], np.int64))])

# TRILU: sinter: error: {{.*}}trilu_rank.onnx: node 'bad' (Trilu): Trilu needs a tensor of rank 2 or more, got 'tensor<4xf32>'
save("trilu_rank", "Trilu", [("x", F, [4])])

# ONEHOT: sinter: error: {{.*}}onehot_values.onnx: node 'bad' (OneHot): values must hold [off_value, on_value], got 'tensor<3xf32>'
save("onehot_values", "OneHot", [("i", I64, [2])],
     [("depth", np.array(3, np.int64)), ("values", np.float32([0, 1, 2]))])

# REVERSE: sinter: error: {{.*}}reverse_axes.onnx: node 'bad' (ReverseSequence): batch_axis 1 and time_axis 1 must be 0 and 1 in some order
save("reverse_axes", "ReverseSequence", [("x", F, [3, 4]), ("lens", I64, [4])],
     batch_axis=1, time_axis=1)

# COMPRESS: sinter: error: {{.*}}compress_runtime.onnx: node 'bad' (Compress): input 'c' (condition) must be known at compile time; Sinter compiles static shapes only
save("compress_runtime", "Compress", [("x", F, [3]), ("c", TensorProto.BOOL, [3])])

# COMPRESSLONG: sinter: error: {{.*}}compress_long.onnx: node 'bad' (Compress): condition selects position 3, beyond the 3 slices of the input
save("compress_long", "Compress", [("x", F, [3])], [("c", np.array([1, 0, 0, 1], bool))])

# NONZERO: sinter: error: {{.*}}nonzero_runtime.onnx: node 'bad' (NonZero): input 'x' (input) must be known at compile time; Sinter compiles static shapes only
save("nonzero_runtime", "NonZero", [("x", F, [3])])

# UNIQUE: sinter: error: {{.*}}unique_runtime.onnx: node 'bad' (Unique): input 'x' (input) must be known at compile time; Sinter compiles static shapes only
save("unique_runtime", "Unique", [("x", F, [3])])
