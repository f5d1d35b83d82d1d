# The sinter ops the indexing and selection importers produce, per opset; and
# the ops folded at import (EyeLike, constant Trilu, Compress, NonZero, Unique).
# RUN: rm -rf %t && %sinter_python %s %t
# RUN: for m in gather scatter scatter_opset10 tensorscatter arg topk topk_opset9 scan hardmax hardmax_opset11 onehot trilu eyelike_large reversesequence; do %sinter compile %t/$m.onnx --emit=sinter ; done | FileCheck %s
# RUN: for m in eyelike trilu_constant compress nonzero unique; do %sinter compile %t/$m.onnx --emit=sinter ; done | FileCheck %s --check-prefix=FOLD
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, inits=(), opset=18):
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_empty_tensor_value_info(n) for n in outputs],
        [numpy_helper.from_array(np.asarray(v), n) for n, v in inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name + ".onnx"))


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


F, I64, I32 = TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT32

# CHECK-LABEL: func.func @main
# CHECK: sinter.gather_elements %arg0, %arg1 {axis = 1 : i64} : tensor<3x4xf32>, tensor<3x2xi32> -> tensor<3x2xf32>
# CHECK: sinter.gather_nd %arg0, %arg2 {batch_dims = 1 : i64} : tensor<3x4xf32>, tensor<3x2x1xi64> -> tensor<3x2xf32>
save("gather", [node("GatherElements", ["x", "i"], ["a"], axis=-1),
                node("GatherND", ["x", "j"], ["b"], batch_dims=1)],
     [("x", F, [3, 4]), ("i", I32, [3, 2]), ("j", I64, [3, 2, 1])], ["a", "b"])

# CHECK-LABEL: func.func @main
# CHECK: sinter.scatter_elements %arg0, %arg1, %arg2 {axis = 0 : i64, reduction = "max"}
# CHECK-SAME: : tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32> -> tensor<3x4xf32>
# CHECK: sinter.scatter_nd %arg0, %arg3, %arg4 {reduction = "mul"}
# CHECK-SAME: : tensor<3x4xf32>, tensor<2x1xi64>, tensor<2x4xf32> -> tensor<3x4xf32>
save("scatter", [node("ScatterElements", ["x", "i", "u"], ["a"], axis=-2, reduction="max"),
                 node("ScatterND", ["x", "j", "v"], ["b"], reduction="mul")],
     [("x", F, [3, 4]), ("i", I64, [2, 4]), ("u", F, [2, 4]), ("j", I64, [2, 1]),
      ("v", F, [2, 4])], ["a", "b"])

# Scatter (opset 9-10) is ScatterElements without a reduction.
# CHECK-LABEL: func.func @main
# CHECK: sinter.scatter_elements %arg0, %arg1, %arg2 {axis = 1 : i64} : tensor<3x4xf32>
save("scatter_opset10", [node("Scatter", ["x", "i", "u"], ["y"], axis=1)],
     [("x", F, [3, 4]), ("i", I64, [3, 2]), ("u", F, [3, 2])], ["y"], opset=10)

# TensorScatter reads the update where the shifted position falls inside it.
# CHECK-LABEL: func.func @main
# CHECK: %[[T:.*]] = sinter.constant dense<{{.*}}> : tensor<1x1x5x1xi64>
# CHECK: %[[W:.*]] = sinter.reshape %arg2 : tensor<2xi64> -> tensor<2x1x1x1xi64>
# CHECK: %[[S:.*]] = sinter.sub %[[T]], %[[W]] : tensor<1x1x5x1xi64>, tensor<2x1x1x1xi64> -> tensor<2x1x5x1xi64>
# CHECK: sinter.mod %[[S]], %{{.*}} : tensor<2x1x5x1xi64>, tensor<i64> -> tensor<2x1x5x1xi64>
# CHECK: sinter.gather_elements %arg1, %{{.*}} {axis = 2 : i64} : tensor<2x3x2x4xf32>, tensor<2x3x5x4xi64> -> tensor<2x3x5x4xf32>
# CHECK: sinter.select %{{.*}} : tensor<2x1x5x1xi1>, tensor<2x3x5x4xf32>, tensor<2x3x5x4xf32> -> tensor<2x3x5x4xf32>
save("tensorscatter", [node("TensorScatter", ["c", "u", "w"], ["y"], mode="circular")],
     [("c", F, [2, 3, 5, 4]), ("u", F, [2, 3, 2, 4]), ("w", I64, [2])], ["y"], opset=24)

# CHECK-LABEL: func.func @main
# CHECK: sinter.argmax %arg0 {axis = 1 : i64, keepdims = false, select_last_index = true} : tensor<3x4x5xf32> -> tensor<3x5xi64>
# CHECK: sinter.argmin %arg0 {axis = 2 : i64} : tensor<3x4x5xf32> -> tensor<3x4x1xi64>
save("arg", [node("ArgMax", ["x"], ["a"], axis=1, keepdims=0, select_last_index=1),
             node("ArgMin", ["x"], ["b"], axis=-1)],
     [("x", F, [3, 4, 5])], ["a", "b"])

# CHECK-LABEL: func.func @main
# CHECK: %values, %indices = sinter.topk %arg0 {axis = 0 : i64, k = 2 : i64, largest = false}
# CHECK-SAME: : tensor<3x4xf32> -> tensor<2x4xf32>, tensor<2x4xi64>
save("topk", [node("TopK", ["x", "k"], ["v", "i"], axis=-2, largest=0, sorted=0)],
     [("x", F, [3, 4])], ["v", "i"], [("k", np.array([2], np.int64))])

# Before opset 10, k is an attribute.
# CHECK-LABEL: func.func @main
# CHECK: sinter.topk %arg0 {axis = 1 : i64, k = 3 : i64} : tensor<3x4xf32>
save("topk_opset9", [node("TopK", ["x"], ["v", "i"], k=3)], [("x", F, [3, 4])],
     ["v", "i"], opset=9)

# CHECK-LABEL: func.func @main
# CHECK: sinter.cumsum %arg0 {axis = 1 : i64, exclusive = true} : tensor<3x4xf32> -> tensor<3x4xf32>
# CHECK: sinter.cumprod %arg0 {axis = 0 : i64, reverse = true} : tensor<3x4xf32> -> tensor<3x4xf32>
save("scan", [node("CumSum", ["x", "a1"], ["s"], exclusive=1),
              node("CumProd", ["x", "a0"], ["p"], reverse=1)],
     [("x", F, [3, 4])], ["s", "p"],
     [("a1", np.array(-1, np.int32)), ("a0", np.array([0], np.int64))], opset=26)

# From opset 13 Hardmax works along one axis: argmax, compared with positions.
# CHECK-LABEL: func.func @main
# CHECK: %[[POS:.*]] = sinter.constant dense<{{\[\[}}[0], [1], [2], [3]]]> : tensor<1x4x1xi64>
# CHECK: %[[MAX:.*]] = sinter.argmax %arg0 {axis = 1 : i64} : tensor<2x4x3xf32> -> tensor<2x1x3xi64>
# CHECK: %[[HOT:.*]] = sinter.compare %[[MAX]], %[[POS]] {predicate = "eq"}
# CHECK: sinter.cast %[[HOT]] : tensor<2x4x3xi1> -> tensor<2x4x3xf32>
save("hardmax", [node("Hardmax", ["x"], ["y"], axis=1)], [("x", F, [2, 4, 3])], ["y"],
     opset=13)

# Before, the input is a matrix split at the axis.
# CHECK-LABEL: func.func @main
# CHECK: sinter.reshape %arg0 : tensor<2x4x3xf32> -> tensor<2x12xf32>
# CHECK: sinter.argmax %{{.*}} {axis = 1 : i64} : tensor<2x12xf32> -> tensor<2x1xi64>
# CHECK: sinter.reshape %{{.*}} : tensor<2x12xf32> -> tensor<2x4x3xf32>
save("hardmax_opset11", [node("Hardmax", ["x"], ["y"], axis=1)], [("x", F, [2, 4, 3])],
     ["y"], opset=11)

# OneHot: wrapped indices compared with positions along the new axis.
# CHECK-LABEL: func.func @main
# CHECK: sinter.cast %arg0 : tensor<2x3xi32> -> tensor<2x3xi64>
# CHECK: sinter.compare {{.*}} {predicate = "lt"}
# CHECK: sinter.select
# CHECK: sinter.reshape %{{.*}} : tensor<2x3xi64> -> tensor<2x1x3xi64>
# CHECK: sinter.compare {{.*}} {predicate = "eq"} : tensor<2x1x3xi64>, tensor<1x5x1xi64> -> tensor<2x5x3xi1>
# CHECK: sinter.select %{{.*}} : tensor<2x5x3xi1>, tensor<f32>, tensor<f32> -> tensor<2x5x3xf32>
save("onehot", [node("OneHot", ["i", "depth", "values"], ["y"], axis=1)],
     [("i", I32, [2, 3]), ("values", F, [2])], ["y"], [("depth", np.array([5], np.int64))])

# CHECK-LABEL: func.func @main
# CHECK: sinter.trilu %arg0 {k = -1 : i64, upper = false} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
save("trilu", [node("Trilu", ["x", "k"], ["y"], upper=0)], [("x", F, [2, 3, 4])], ["y"],
     [("k", np.array(-1, np.int64))])

# A large EyeLike is two triangles of a splat, not a large constant.
# CHECK-LABEL: func.func @main
# CHECK: %[[ONES:.*]] = sinter.constant dense<1> : tensor<100x100xi32>
# CHECK: %[[U:.*]] = sinter.trilu %[[ONES]] {k = 2 : i64, upper = true}
# CHECK: sinter.trilu %[[U]] {k = 2 : i64, upper = false} : tensor<100x100xi32>
save("eyelike_large", [node("EyeLike", ["x"], ["e"], k=2, dtype=TensorProto.INT32),
                       node("Add", ["e", "e"], ["y"])], [("x", F, [100, 100])], ["y"])

# CHECK-LABEL: func.func @main
# CHECK: sinter.reverse_sequence %arg0, %arg1 {batch_axis = 1 : i64, time_axis = 0 : i64}
# CHECK-SAME: : tensor<4x3x2xf32>, tensor<3xi64> -> tensor<4x3x2xf32>
save("reversesequence", [node("ReverseSequence", ["x", "lens"], ["y"])],
     [("x", F, [4, 3, 2]), ("lens", I64, [3])], ["y"])

# FOLD-LABEL: func.func @main
# FOLD: sinter.constant dense<{{\[\[}}0.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 1.000000e+00]]> : tensor<2x3xf32>
save("eyelike", [node("EyeLike", ["x"], ["e"], k=1), node("Add", ["x", "e"], ["y"])],
     [("x", F, [2, 3])], ["y"])

# FOLD-LABEL: func.func @main
# FOLD: sinter.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
# FOLD-NOT: sinter.trilu
save("trilu_constant", [node("Trilu", ["c"], ["m"], upper=0), node("Add", ["x", "m"], ["y"])],
     [("x", F, [2, 2])], ["y"], [("c", np.ones((2, 2), np.float32))])

# Compress of a runtime input by a constant condition is a gather.
# FOLD-LABEL: func.func @main
# FOLD: %[[KEEP:.*]] = sinter.constant dense<[0, 2]> : tensor<2xi64>
# FOLD: sinter.gather %arg0, %[[KEEP]] {axis = 1 : i64} : tensor<2x3xf32>, tensor<2xi64> -> tensor<2x2xf32>
save("compress", [node("Compress", ["x", "c"], ["y"], axis=-1)], [("x", F, [2, 3])], ["y"],
     [("c", np.array([1, 0, 1], bool))])

# NonZero gives [[0, 1, 1], [1, 0, 2]]; the Add of it folds too.
# FOLD-LABEL: func.func @main
# FOLD: sinter.constant dense<{{\[\[}}0, 2, 2], [2, 0, 4]]> : tensor<2x3xi64>
save("nonzero", [node("NonZero", ["c"], ["n"]), node("Add", ["n", "n"], ["y"])],
     [], ["y"], [("c", np.array([[0, 5, 0], [2, 0, 3]], np.int32))])

# FOLD-LABEL: func.func @main
# FOLD-DAG: sinter.constant dense<[2.000000e+00, 1.000000e+00, 3.000000e+00]> : tensor<3xf32>
# FOLD-DAG: sinter.constant dense<[0, 1, 3]> : tensor<3xi64>
# FOLD-DAG: sinter.constant dense<[0, 1, 0, 2, 1]> : tensor<5xi64>
# FOLD-DAG: sinter.constant dense<[2, 2, 1]> : tensor<3xi64>
save("unique", [node("Unique", ["c"], ["y", "i", "inv", "n"], sorted=0)],
     [], ["y", "i", "inv", "n"], [("c", np.array([2, 1, 2, 3, 1], np.float32))])
