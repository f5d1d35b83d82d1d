# RUN: %sinter_python %s %sinter %t
# ONNX's sub-byte types (INT4, UINT4, INT2, UINT2, FLOAT4E2M1) and Cast with
# saturate=0 to the 8-bit floats, end to end against ONNX's reference
# (ml_dtypes): the cases the conformance tests leave out -- fractions, ties,
# NaN, infinities and wrap-around, f64 and f16 sources, packed initializers,
# CastLike through an initializer, and the unpacked .npy outputs.
import os
import sys

import ml_dtypes
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from sinter_testing import run

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)

NARROW = {TensorProto.INT4: ml_dtypes.int4, TensorProto.UINT4: ml_dtypes.uint4,
          TensorProto.INT2: ml_dtypes.int2, TensorProto.UINT2: ml_dtypes.uint2,
          TensorProto.FLOAT4E2M1: ml_dtypes.float4_e2m1fn}


def model_of(tag, nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, tag, inputs, outputs, list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 25)])
    model.ir_version = 11
    return model


def save_pb(path, array, name):
    tensor = numpy_helper.from_array(array, name)
    with open(path, "wb") as f:
        f.write(tensor.SerializeToString())


def check(tag, model, feeds, expect_npy=None):
    path = os.path.join(workdir, f"{tag}.onnx")
    onnx.save(model, path)
    expected = ReferenceEvaluator(model).run(None, feeds)
    cmd = [sinter, "run", path, "--atol", "0", "--rtol", "0",
           "--output-dir", os.path.join(workdir, f"{tag}.out")]
    for name, value in feeds.items():
        file = os.path.join(workdir, f"{tag}.in.{name}.pb")
        save_pb(file, value, name)
        cmd += ["--input", f"{name}={file}"]
    for out, value in zip(model.graph.output, expected):
        file = os.path.join(workdir, f"{tag}.expect.{out.name}.pb")
        save_pb(file, value, out.name)
        cmd += ["--expect", f"{out.name}={file}"]
    result = run(cmd, check=False)
    if result.returncode != 0:
        sys.exit(f"FAIL: {tag}\n{result.stdout}{result.stderr}")
    if expect_npy is not None:
        got = np.load(os.path.join(workdir, f"{tag}.out",
                                   f"{model.graph.output[0].name}.npy"))
        assert got.dtype == expect_npy, (tag, got.dtype)
        want = expected[0].view(np.uint8) if expected[0].dtype == ml_dtypes.float4_e2m1fn \
            else expected[0].astype(expect_npy)
        np.testing.assert_array_equal(got, want, err_msg=tag)
    print(f"{tag}: ok")


def cast(tag, x, to, **attrs):
    node = helper.make_node("Cast", ["x"], ["y"], to=to, **attrs)
    src = helper.np_dtype_to_tensor_dtype(x.dtype)
    model = model_of(tag, [node], [helper.make_tensor_value_info("x", src, x.shape)],
                     [helper.make_tensor_value_info("y", to, x.shape)])
    npy = {TensorProto.INT4: np.int8, TensorProto.INT2: np.int8}.get(
        to, np.uint8 if to in NARROW else None)
    check(tag, model, {"x": x}, npy)


specials = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0]
wide = np.array([-9.75, -8.5, -7.5, -2.5, -0.5, 0.49, 0.5, 1.5, 2.5, 7.9, 8.0,
                 15.5, 16.0, 17.0, 300.0, -300.0, 1e10, -1e10, 2.0**31, -2.0**31,
                 2.0**30 + 7, -2.0**30 - 7] + specials, np.float32)
for to in (TensorProto.INT4, TensorProto.UINT4, TensorProto.INT2, TensorProto.UINT2):
    name = TensorProto.DataType.Name(to)
    cast(f"f32_to_{name}", wide, to)
    cast(f"f64_to_{name}", wide.astype(np.float64).reshape(4, 7), to)
    # f64 keeps what f32 rounds away; out of the int32 range is 0.
    cast(f"f64_exact_{name}", np.array([2.0**25 + 3, -2.0**25 - 3, 2.0**31 + 5,
                                        2.0**31 - 1, -2.0**31, 1e300]), to)
    cast(f"f16_to_{name}", np.clip(wide, -65000, 65000).astype(np.float16), to)
    cast(f"bf16_to_{name}", wide.astype(ml_dtypes.bfloat16), to)
    cast(f"i32_to_{name}", np.arange(-20, 20, dtype=np.int32), to)
    cast(f"u8_to_{name}", np.arange(0, 256, 7, dtype=np.uint8), to)

# Every midpoint of E2M1 (ties to even), just either side, saturation, NaN.
ties = [0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, 7.0, 1e6]
f4_in = np.array(ties + [t * (1 + 1e-6) for t in ties] + [t * (1 - 1e-6) for t in ties]
                 + [-t for t in ties] + specials + [0.1, 4.4], np.float32)
cast("f32_to_FLOAT4E2M1", f4_in, TensorProto.FLOAT4E2M1)
cast("f64_to_FLOAT4E2M1", f4_in.astype(np.float64), TensorProto.FLOAT4E2M1)
# f64 rounds through f32 (as ml_dtypes does): this lands on the 0.75 tie.
cast("f64_tie_FLOAT4E2M1", np.array([0.75 - 2.0**-40, 0.75 + 2.0**-40]), TensorProto.FLOAT4E2M1)
cast("f16_to_FLOAT4E2M1", f4_in.astype(np.float16), TensorProto.FLOAT4E2M1)
cast("i64_to_FLOAT4E2M1", np.arange(-8, 9, dtype=np.int64), TensorProto.FLOAT4E2M1)

# From the sub-byte types: every value, odd element counts (a half-used byte).
for src, values in ((ml_dtypes.int4, range(-8, 8)), (ml_dtypes.uint4, range(16)),
                    (ml_dtypes.int2, range(-2, 2)), (ml_dtypes.uint2, range(4))):
    x = np.array(list(values) + [1], np.float32).astype(src)
    for to in (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE,
               TensorProto.INT8, TensorProto.INT64, TensorProto.UINT8,
               TensorProto.FLOAT4E2M1):
        cast(f"{src.__name__}_to_{TensorProto.DataType.Name(to)}", x, to)
f4 = np.arange(16, dtype=np.uint8).view(ml_dtypes.float4_e2m1fn)
for to in (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.BFLOAT16,
           TensorProto.DOUBLE, TensorProto.INT32, TensorProto.UINT8,
           TensorProto.INT4, TensorProto.FLOAT8E4M3FN, TensorProto.FLOAT4E2M1):
    cast(f"float4_to_{TensorProto.DataType.Name(to)}", f4, to)

# saturate=0: rounding past the largest finite value gives inf or NaN; the
# largest value's own rounding interval still saturates to it.
f8_in = np.array([448, 463, 464, 465, 500, 240, 247, 248, 249, 57344, 61439,
                  61440, 70000, 1e9, -1e9, 1.0, -0.001, 1e-9] + specials, np.float32)
for to in (TensorProto.FLOAT8E4M3FN, TensorProto.FLOAT8E4M3FNUZ,
           TensorProto.FLOAT8E5M2, TensorProto.FLOAT8E5M2FNUZ):
    name = TensorProto.DataType.Name(to)
    cast(f"f32_nosat_{name}", f8_in, to, saturate=0)
    cast(f"f64_nosat_{name}", f8_in.astype(np.float64), to, saturate=0)
    cast(f"f16_nosat_{name}", np.clip(f8_in, -65000, 65000).astype(np.float16), to,
         saturate=0)

# A packed INT4 initializer (odd count) read back as floats, and CastLike
# whose target type comes from an initializer.
w = numpy_helper.from_array(np.array([-8, 7, 3, -1, 0], np.float32).astype(ml_dtypes.int4), "w")
like = numpy_helper.from_array(np.zeros([1], ml_dtypes.uint4), "like")
model = model_of("initializers",
                 [helper.make_node("Cast", ["w"], ["wf"], to=TensorProto.FLOAT),
                  helper.make_node("Add", ["wf", "x"], ["s"]),
                  helper.make_node("CastLike", ["s", "like"], ["y"])],
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT, [5])],
                 [helper.make_tensor_value_info("y", TensorProto.UINT4, [5])],
                 [w, like])
check("initializers", model, {"x": np.array([0.5, 10, -2, 3, 40], np.float32)}, np.uint8)


# QuantizeLinear and DequantizeLinear with the sub-byte and 8-bit float types:
# per-axis zero points, saturation at the format's own range, and saturate=0.
def quant(tag, x, scale, zero_point, axis=1, saturate=1):
    inits = [numpy_helper.from_array(scale, "scale"),
             numpy_helper.from_array(zero_point, "zp")]
    qtype = helper.np_dtype_to_tensor_dtype(zero_point.dtype)
    attrs = {"axis": axis}
    if qtype in (TensorProto.FLOAT8E4M3FN, TensorProto.FLOAT8E4M3FNUZ,
                 TensorProto.FLOAT8E5M2, TensorProto.FLOAT8E5M2FNUZ):
        attrs["saturate"] = saturate
    nodes = [helper.make_node("QuantizeLinear", ["x", "scale", "zp"], ["q"], **attrs),
             helper.make_node("DequantizeLinear", ["q", "scale", "zp"], ["y"], axis=axis)]
    model = model_of(tag, nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                     [helper.make_tensor_value_info("q", qtype, x.shape),
                      helper.make_tensor_value_info("y", TensorProto.FLOAT, x.shape)], inits)
    check(tag, model, {"x": x})


xq = np.array([[-40, -7.5, -2.5, -0.25, 0, 0.5, 1.5, 2.5, 7.4, 40],
               [-3, -1.5, -0.5, 0.49, 0.51, 1, 2, 3, 100, -100]], np.float32)
for dtype, zps in ((ml_dtypes.int4, [-1, 2]), (ml_dtypes.uint4, [3, 8]),
                   (ml_dtypes.int2, [0, -1]), (ml_dtypes.uint2, [1, 2])):
    quant(f"quant_{dtype.__name__}", xq, np.array([0.5, 2.0], np.float32),
          np.array(zps, np.float32).astype(dtype), axis=0)
quant("quant_float4", xq, np.array([0.5, 2.0], np.float32),
      np.array([0, 1], np.float32).astype(ml_dtypes.float4_e2m1fn), axis=0)
for dtype in (ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2):
    for saturate in (1, 0):
        quant(f"quant_{dtype.__name__}_sat{saturate}", xq * 1000,
              np.array([0.25, 2.0], np.float32), np.zeros(2, dtype), axis=0,
              saturate=saturate)

# The type given by output_dtype instead of a zero point.
for qtype in (TensorProto.FLOAT8E4M3FN, TensorProto.INT4, TensorProto.FLOAT4E2M1):
    name = TensorProto.DataType.Name(qtype)
    model = model_of(f"quant_dtype_{name}",
                     [helper.make_node("QuantizeLinear", ["x", "scale"], ["q"], output_dtype=qtype),
                      helper.make_node("DequantizeLinear", ["q", "scale"], ["y"])],
                     [helper.make_tensor_value_info("x", TensorProto.FLOAT, xq.shape)],
                     [helper.make_tensor_value_info("q", qtype, xq.shape),
                      helper.make_tensor_value_info("y", TensorProto.FLOAT, xq.shape)],
                     [numpy_helper.from_array(np.float32(0.75), "scale")])
    check(f"quant_dtype_{name}", model, {"x": xq})
