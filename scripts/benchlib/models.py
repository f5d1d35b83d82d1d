"""Where the bench's models come from: scripts/models (the shared zoo), an MLP built here
when the zoo script is missing, and single-MatMul models for the GEMM sweep."""
import subprocess
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ZOO = ["mlp", "resnet50", "mobilenetv2", "efficientnet_b0", "bert_base", "gpt2_small", "vit_b16"]

# Sequence length for transformer inputs whose other dims are symbolic.
SEQUENCE = 128

# The GEMM sweep: (label, M, N, K). Squares, then the largest GEMMs of ResNet-50
# (convolutions as implicit GEMMs at batch 1: M = output pixels, N = output
# channels, K = input channels x window) and of BERT-base at sequence 128.
GEMMS = [(f"square {n}", n, n, n) for n in (256, 512, 1024, 2048)] + [
    ("resnet50 conv2 3x3", 3136, 64, 576),
    ("resnet50 conv2 1x1 expand", 3136, 256, 64),
    ("resnet50 conv3 3x3", 784, 128, 1152),
    ("resnet50 conv4 3x3", 196, 256, 2304),
    ("resnet50 conv5 3x3", 49, 512, 4608),
    ("resnet50 fc", 1, 1000, 2048),
    ("bert qkv/out proj", 128, 768, 768),
    ("bert ffn up", 128, 3072, 768),
    ("bert ffn down", 128, 768, 3072),
]


def build_mlp(path, sizes=(784, 512, 512, 10)):
    """MatMul + Add + Relu layers with a symbolic batch, like the zoo's mlp."""
    rng = np.random.default_rng(0)
    nodes, weights, x = [], [], "input"
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        weights.append(numpy_helper.from_array(
            (rng.standard_normal((a, b)) / np.sqrt(a)).astype(np.float32), f"w{i}"))
        weights.append(numpy_helper.from_array(
            (0.1 * rng.standard_normal(b)).astype(np.float32), f"b{i}"))
        last = i == len(sizes) - 2
        nodes.append(helper.make_node("MatMul", [x, f"w{i}"], [f"mm{i}"]))
        nodes.append(helper.make_node("Add", [f"mm{i}", f"b{i}"], ["output" if last else f"add{i}"]))
        if not last:
            nodes.append(helper.make_node("Relu", [f"add{i}"], [f"h{i}"]))
            x = f"h{i}"
    graph = helper.make_graph(
        nodes, "mlp", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", sizes[0]])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", sizes[-1]])], weights)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)


def build_gemm(path, m, n, k):
    """Y = X @ W with W a constant, as a layer's weights are."""
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array((rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32), "w")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "gemm",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])], [w])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)


def fetch(root, names, small):
    """Paths of the named zoo models, from scripts/models, in the zoo's own folder
    (build/models, shared with `scripts/models --check` and the Models tests, so that
    each model is written once); the MLP is built here when that script is missing.
    Models that cannot be had are reported and skipped."""
    out_dir = Path(root) / "build" / "models"
    out_dir.mkdir(parents=True, exist_ok=True)
    script = Path(root) / "scripts" / "models"
    file_name = lambda name: f"{name}-small.onnx" if small else f"{name}.onnx"
    found = {}
    if script.exists():
        # The script rewrites only what is missing or older than its builder.
        command = [str(script), "--out", str(out_dir)] + (["--small"] if small else []) + names
        if subprocess.run(command, stdout=subprocess.DEVNULL).returncode != 0:
            print(f"bench: {' '.join(command)} failed; using the models it left")
    for name in names:
        path = out_dir / file_name(name)
        if not path.exists() and name == "mlp":
            build_mlp(path)
        if path.exists():
            found[name] = path
        else:
            print(f"bench: no model '{name}' (scripts/models {'missing' if not script.exists() else 'did not make it'}); skipped")
    return found


def input_shapes(model_path, batch):
    """Each graph input's shape with the symbolic batch (the dim named "batch", else
    the first symbolic one) set to `batch` and other symbolic dims to SEQUENCE."""
    model = onnx.load(str(model_path), load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    shapes = {}
    for value in model.graph.input:
        if value.name in initializers:
            continue
        tensor = value.type.tensor_type
        dims, batch_set = [], False
        for dim in tensor.shape.dim:
            if dim.HasField("dim_value"):
                dims.append(dim.dim_value)
            elif dim.dim_param == "batch" or (not batch_set and dim.dim_param != "sequence"):
                dims.append(batch)
                batch_set = True
            else:
                dims.append(SEQUENCE)
        shapes[value.name] = (dims, helper.tensor_dtype_to_np_dtype(tensor.elem_type))
    return shapes


def random_inputs(shapes, seed=0):
    """Floats in [-1, 1]; integers as token ids in [0, 100) (masks: ones); bools true."""
    rng = np.random.default_rng(seed)
    inputs = {}
    for name, (dims, dtype) in shapes.items():
        if np.issubdtype(dtype, np.floating):
            inputs[name] = rng.uniform(-1, 1, dims).astype(dtype)
        elif dtype == np.bool_ or "mask" in name.lower():
            inputs[name] = np.ones(dims, dtype)
        else:
            inputs[name] = rng.integers(0, 100, dims).astype(dtype)
    return inputs
