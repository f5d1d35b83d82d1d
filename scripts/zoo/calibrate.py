"""Sets BatchNorm statistics from measured activations, as training leaves them:
random weights alone make activations shrink or grow layer after layer, which
leaves a 1e-3 comparison at the end of a deep CNN meaningless."""
import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper


def _probe(model, norms):
    """A session that takes the calibrated parameters as inputs (overriding
    their initializers) and returns every normalized tensor, so one session
    serves the whole layer-by-layer calibration."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    fed = {name for entry in norms for name in entry[2:4]}
    kept = [t for t in probe.graph.initializer if t.name not in fed]
    for t in probe.graph.initializer:
        if t.name in fed:
            probe.graph.input.append(helper.make_tensor_value_info(t.name, t.data_type, t.dims))
    del probe.graph.initializer[:]
    probe.graph.initializer.extend(kept)
    del probe.graph.output[:]
    for entry in norms:
        probe.graph.output.append(helper.make_empty_tensor_value_info(entry[1]))
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(probe.SerializeToString(), options,
                                providers=["CPUExecutionProvider"])


def calibrate(model, norms, rng):
    """`norms` entries, in graph order:
    ("bn", x, mean_name, var_name): BatchNormalization of tensor x; its running
        statistics become x's measured per-channel mean and variance.
    ("folded", y, weight_name, bias_name, gamma, beta): a Conv whose BatchNorm
        was folded into it; its weight and bias are rescaled so that y has
        per-channel mean beta and standard deviation gamma.
    One layer at a time, in graph order, since each changes what later ones see."""
    inits = {t.name: t for t in model.graph.initializer}
    feeds = {}
    for value in model.graph.input:
        dims = [d.dim_value for d in value.type.tensor_type.shape.dim]
        # Enough images that the last stage's few pixels still give steady
        # per-channel statistics (a 64x64 image ends at 2x2).
        dims[0] = 4 if dims[2] * dims[3] >= 224 * 224 else 32
        feeds[value.name] = rng.standard_normal(dims).astype(np.float32)
    for entry in norms:
        for name in entry[2:4]:
            feeds[name] = numpy_helper.to_array(inits[name])
    session = _probe(model, norms)
    for entry in norms:
        value = session.run([entry[1]], feeds)[0].astype(np.float64)
        mean, var = value.mean(axis=(0, 2, 3)), value.var(axis=(0, 2, 3))
        if entry[0] == "bn":
            feeds[entry[2]], feeds[entry[3]] = mean, var
        else:
            _, _, w, b, gamma, beta = entry
            k = gamma / np.sqrt(var + 1e-5)
            feeds[w] = feeds[w] * k.reshape(-1, 1, 1, 1)
            feeds[b] = (feeds[b] - mean) * k + beta
        for name in entry[2:4]:
            feeds[name] = feeds[name].astype(np.float32)
    for entry in norms:
        for name in entry[2:4]:
            inits[name].CopyFrom(numpy_helper.from_array(feeds[name], name))
