"""Models for narrow-types-import.test: casts and quantization to and from
ONNX's sub-byte types and non-saturating casts to the 8-bit floats."""
from onnx_models import *

d = out_dir()
x = tensor("x", [2, 3])
y = untyped("y")
save(d, "cast_int4", [node("Cast", ["x"], ["y"], to=TensorProto.INT4)], [x],
     [tensor("y", [2, 3], TensorProto.INT4)], opset=21)
save(d, "int4_to_float", [node("Cast", ["q"], ["y"], to=FLOAT)],
     [tensor("q", [2, 3], TensorProto.INT4)], [y], opset=21)
save(d, "float4_round_trip", [node("Cast", ["x"], ["f4"], to=TensorProto.FLOAT4E2M1),
                              node("Cast", ["f4"], ["y"], to=TensorProto.FLOAT16)],
     [x], [y], opset=23)
save(d, "castlike_uint2", [node("CastLike", ["x", "like"], ["y"])],
     [x, tensor("like", [1], TensorProto.UINT2)], [y], opset=25)
save(d, "no_saturate", [node("Cast", ["x"], ["y"], to=TensorProto.FLOAT8E5M2, saturate=0)],
     [x], [y], opset=21)
save(d, "quant_int4", [node("QuantizeLinear", ["x", "s", "zp"], ["y"])], [x], [y],
     [const("s", np.float32(0.5)),
      helper.make_tensor("zp", TensorProto.INT4, [], [-3])], opset=21)
save(d, "e8m0_no_saturate",
     [node("Cast", ["x"], ["y"], to=TensorProto.FLOAT8E8M0, saturate=0)], [x], [y], opset=24)
short = helper.make_tensor("w", TensorProto.INT4, [2], [1, 2])
short.dims[:] = [5]  # three packed bytes' worth, one byte given
save(d, "int4_packed_short", [node("Cast", ["w"], ["y"], to=FLOAT)], [], [y], [short],
     opset=21)
