"""Builds the small ONNX models that the frontend tests import: one helper per
thing a test needs, so that each test script reads as a list of graphs."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64


def tensor(name, shape, dtype=FLOAT):
    """A graph input or output; `shape` None leaves it undeclared."""
    return helper.make_tensor_value_info(name, dtype, shape)


def untyped(name):
    """A graph output whose type the importer works out."""
    return helper.make_empty_tensor_value_info(name)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def weights(name, *shape):
    """Deterministic float weights, different for each name so that no two
    initializers fold into one constant (the tests never check the values)."""
    count = int(np.prod(shape)) if shape else 1
    start = sum(map(ord, name))
    values = np.arange(start, start + count, dtype=np.float32) / 1024
    return const(name, values.reshape(shape))


def node(op, inputs, outputs, name=None, **attrs):
    """A node named after its first output unless `name` is given ("" for none)."""
    return helper.make_node(op, inputs, outputs, name=outputs[0] if name is None else name,
                            **attrs)


def model(nodes, inputs, outputs, inits=(), opset=17):
    graph = helper.make_graph(list(nodes), "test", list(inputs), list(outputs), list(inits))
    result = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                               producer_name="sinter-tests")
    result.ir_version = 10 if opset >= 21 else 8
    return result


def out_dir():
    path = sys.argv[1]
    os.makedirs(path, exist_ok=True)
    return path


def save(directory, name, *args, **kwargs):
    """Builds a model (see `model`) and writes it as DIRECTORY/NAME.onnx."""
    onnx.save(model(*args, **kwargs), os.path.join(directory, name + ".onnx"))


def save_bytes(directory, name, data):
    with open(os.path.join(directory, name + ".onnx"), "wb") as f:
        f.write(data)
