"""The graph builder the zoo's architectures share: node and tensor naming as
torch.onnx.export writes it, seeded weights at realistic scales, and the
exporter idioms (decomposed LayerNorm, erf-GELU, shape-driven Reshape)."""
import contextlib
import math

import numpy as np
import onnx
from onnx import helper, numpy_helper

from calibrate import calibrate

OPSET = 17
BATCH = "batch"


class Graph:
    """Collects nodes and initializers for one model. Names follow the
    exporter: nodes `/scope/Op_N`, their outputs `/scope/Op_N_output_0`,
    weights `scope.weight`, so that error messages read like a real model's."""

    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.scopes = []
        self.counts = {}
        self.norms = []  # what calibrate.py sets from measured statistics

    # -- naming ------------------------------------------------------------

    @contextlib.contextmanager
    def scope(self, name):
        """Nests names as a torch module path: `with g.scope("layer1"):`."""
        self.scopes.append(name)
        try:
            yield
        finally:
            self.scopes.pop()

    def _node_name(self, op_type):
        base = "/" + "/".join(self.scopes + [op_type]) if self.scopes else "/" + op_type
        n = self.counts.get(base, 0)
        self.counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def param_name(self, leaf):
        return ".".join(self.scopes + [leaf])

    # -- graph pieces --------------------------------------------------------

    def input(self, name, elem_type, shape):
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def output(self, value, name, elem_type, shape):
        """Marks `value` as a graph output called `name` (through Identity, as
        the exporter does when an output name is given)."""
        self.op("Identity", [value], out_names=[name])
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))

    def op(self, op_type, inputs, num_outputs=1, out_names=None, **attrs):
        name = self._node_name(op_type)
        outs = out_names or [f"{name}_output_{i}" for i in range(num_outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), outs, name=name, **attrs))
        return outs[0] if len(outs) == 1 else outs

    def param(self, leaf, array):
        """A weight as an initializer named after the current scope."""
        name = self.param_name(leaf)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(self, value, dtype=np.float32):
        """A Constant node, as the exporter writes scalars and shape pieces."""
        array = np.asarray(value, dtype=dtype)
        return self.op("Constant", [], value=numpy_helper.from_array(array))

    def model(self, **meta):
        """The checked ModelProto; `meta` goes into metadata_props (the harness
        reads `vocab` from there to draw valid token ids)."""
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs,
                                  self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="sinter-zoo", producer_version="1")
        model.ir_version = 8
        helper.set_model_props(model, {k: str(v) for k, v in meta.items()})
        if self.norms:
            calibrate(model, self.norms, self.rng)
        onnx.checker.check_model(model, full_check=True)
        return model

    # -- weights -------------------------------------------------------------

    def normal(self, shape, std):
        return (self.rng.standard_normal(shape) * std).astype(np.float32)

    def uniform(self, shape, low, high):
        return self.rng.uniform(low, high, shape).astype(np.float32)


# -- layers as the exporters write them ------------------------------------------


def linear(g, x, in_features, out_features, name, gemm=False, std=None):
    """nn.Linear: Gemm(transB=1) on a 2-D input, MatMul with the transposed
    weight plus Add on higher ranks (what torch.onnx.export emits)."""
    std = std if std is not None else 1.0 / math.sqrt(in_features)
    bias = g.uniform(out_features, -0.02, 0.02)
    with g.scope(name):
        if gemm:
            w = g.param("weight", g.normal((out_features, in_features), std))
            b = g.param("bias", bias)
            return g.op("Gemm", [x, w, b], alpha=1.0, beta=1.0, transB=1)
        w = g.param("weight_t", g.normal((in_features, out_features), std))
        b = g.param("bias", bias)
        return g.op("Add", [b, g.op("MatMul", [x, w])])


def layer_norm(g, x, width, name, eps):
    """LayerNorm over the last axis, decomposed as exporters before opset 17 and
    tf2onnx write it: mean, centre, square, mean, +eps, sqrt, divide, scale, shift."""
    with g.scope(name):
        gamma = g.param("weight", g.uniform(width, 0.8, 1.2))
        beta = g.param("bias", g.uniform(width, -0.05, 0.05))
        mean = g.op("ReduceMean", [x], axes=[-1], keepdims=1)
        centred = g.op("Sub", [x, mean])
        square = g.op("Pow", [centred, g.const(2.0)])
        var = g.op("ReduceMean", [square], axes=[-1], keepdims=1)
        std = g.op("Sqrt", [g.op("Add", [var, g.const(eps)])])
        normed = g.op("Div", [centred, std])
        return g.op("Add", [g.op("Mul", [normed, gamma]), beta])


def gelu_erf(g, x):
    """nn.GELU(): x * 0.5 * (1 + erf(x / sqrt(2)))."""
    with g.scope("act"):
        e = g.op("Erf", [g.op("Div", [x, g.const(1.4142135381698608)])])
        return g.op("Mul", [g.op("Mul", [x, g.op("Add", [e, g.const(1.0)])]), g.const(0.5)])


def gelu_tanh(g, x):
    """GPT-2's gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    with g.scope("act"):
        cube = g.op("Mul", [g.op("Pow", [x, g.const(3.0)]), g.const(0.044715)])
        inner = g.op("Mul", [g.op("Add", [x, cube]), g.const(math.sqrt(2.0 / math.pi))])
        t = g.op("Add", [g.op("Tanh", [inner]), g.const(1.0)])
        return g.op("Mul", [g.op("Mul", [x, g.const(0.5)]), t])


def dim_of(g, x, axis):
    """`x.size(axis)` as a 1-element i64 tensor: Shape -> Gather -> Unsqueeze."""
    shape = g.op("Shape", [x])
    d = g.op("Gather", [shape, g.const(axis, np.int64)], axis=0)
    return g.op("Unsqueeze", [d, g.const([0], np.int64)])


def reshape_dynamic(g, x, pieces):
    """`x.view(...)` with the size read from the tensor: each piece is either a
    (tensor, axis) pair taken from a Shape or a constant int; the pieces go
    through Concat into Reshape's shape operand."""
    parts = []
    for p in pieces:
        if isinstance(p, tuple):
            parts.append(dim_of(g, *p))
        else:
            parts.append(g.const([p], np.int64))
    shape = g.op("Concat", parts, axis=0)
    return g.op("Reshape", [x, shape])
