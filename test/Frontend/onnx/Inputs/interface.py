"""Models for interface.test: how graph inputs and outputs become @main's
arguments and results."""
from onnx_models import *

d = out_dir()
save(d, "signature", [node("Relu", ["image"], ["features"]),
                      node("Cast", ["mask"], ["maskf"], to=TensorProto.FLOAT16)],
     [tensor("image", [1, 3]), tensor("ids", [4], INT64), tensor("mask", [4], TensorProto.BOOL),
      tensor("unused", [2], TensorProto.UINT8)],
     [untyped("features"), untyped("ids"), untyped("maskf"), untyped("features")])
