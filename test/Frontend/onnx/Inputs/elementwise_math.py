"""Models for elementwise-math.test: trigonometry, rounding, Mod, bit shifts,
bitwise and boolean logic, activations with ops of their own, mixed-type Pow
and unsigned element types."""
from onnx_models import *

d = out_dir()
x = tensor("x", [2, 3])
y = untyped("y")
save(d, "trig", [node(op, [src], [dst]) for op, src, dst in [
    ("Sin", "x", "a"), ("Cos", "a", "b"), ("Tan", "b", "c"), ("Asin", "c", "e"),
    ("Acos", "e", "f"), ("Atan", "f", "g"), ("Sinh", "g", "h"), ("Cosh", "h", "i"),
    ("Asinh", "i", "j"), ("Acosh", "j", "k"), ("Atanh", "k", "y")]], [x], [y])
save(d, "rounding", [node("Floor", ["x"], ["a"]), node("Ceil", ["a"], ["b"]),
                     node("Round", ["b"], ["y"])], [x], [y])
save(d, "mod", [node("Mod", ["a", "b"], ["m"]), node("Mod", ["m", "b"], ["y"], fmod=1)],
     [tensor("a", [2, 3], TensorProto.INT32), tensor("b", [3], TensorProto.INT32)], [y],
     opset=13)
save(d, "mod_float", [node("Mod", ["x", "b"], ["y"])], [x, tensor("b", [3])], [y], opset=13)
save(d, "bitshift", [node("BitShift", ["a", "b"], ["s"], direction="LEFT"),
                     node("BitShift", ["s", "b"], ["y"], direction="RIGHT")],
     [tensor("a", [4], TensorProto.UINT16), tensor("b", [4], TensorProto.UINT16)], [y],
     opset=13)
save(d, "bitwise", [node("BitwiseAnd", ["a", "b"], ["p"]), node("BitwiseOr", ["p", "b"], ["q"]),
                    node("BitwiseXor", ["q", "a"], ["r"]), node("BitwiseNot", ["r"], ["y"])],
     [tensor("a", [2, 3], TensorProto.UINT64), tensor("b", [3], TensorProto.UINT64)], [y],
     opset=18)
save(d, "logic", [node("And", ["a", "b"], ["p"]), node("Or", ["p", "b"], ["q"]),
                  node("Xor", ["q", "a"], ["r"]), node("Not", ["r"], ["y"])],
     [tensor("a", [2, 3], TensorProto.BOOL), tensor("b", [3], TensorProto.BOOL)], [y])
save(d, "activations", [node(op, [src], [dst], **attrs) for op, src, dst, attrs in [
    ("Elu", "x", "a", {"alpha": 0.5}), ("Selu", "a", "b", {}), ("Celu", "b", "c", {"alpha": 2.0}),
    ("HardSigmoid", "c", "e", {}), ("HardSwish", "e", "f", {}), ("Softplus", "f", "g", {}),
    ("Softsign", "g", "h", {}), ("Mish", "h", "i", {}), ("ThresholdedRelu", "i", "j", {}),
    ("Shrink", "j", "y", {"lambd": 1.5, "bias": 0.5})]], [x], [y], opset=18)
save(d, "prelu", [node("PRelu", ["x", "slope"], ["y"])], [x], [y],
     [const("slope", np.full([3], 0.1, np.float32))])
save(d, "shrink_int", [node("Shrink", ["a"], ["y"], lambd=1.0, bias=1.0)],
     [tensor("a", [4], TensorProto.INT8)], [y])
save(d, "pow_int_float", [node("Pow", ["a", "e"], ["y"])],
     [tensor("a", [3], TensorProto.INT32), tensor("e", [3])], [y], opset=15)
save(d, "unsigned", [node("Add", ["a", "b"], ["s"]), node("Div", ["s", "b"], ["q"]),
                     node("Cast", ["q"], ["y"], to=TensorProto.FLOAT)],
     [tensor("a", [3], TensorProto.UINT32), tensor("b", [3], TensorProto.UINT32)], [y])
save(d, "neg_int", [node("Neg", ["a"], ["n"]), node("Abs", ["n"], ["y"])],
     [tensor("a", [3], TensorProto.INT16)], [y])
# Refusals.
save(d, "sin_int", [node("Sin", ["a"], ["y"])], [tensor("a", [3], TensorProto.INT32)], [y])
save(d, "bitshift_direction", [node("BitShift", ["a", "a"], ["y"], direction="UP")],
     [tensor("a", [3], TensorProto.UINT8)], [y], opset=13)
save(d, "bitshift_float", [node("BitShift", ["x", "x"], ["y"], direction="LEFT")],
     [x], [y], opset=13)
save(d, "neg_unsigned", [node("Neg", ["a"], ["y"])], [tensor("a", [3], TensorProto.UINT8)], [y])
save(d, "and_int", [node("And", ["a", "a"], ["y"])], [tensor("a", [3], TensorProto.INT32)], [y])
save(d, "cast_complex", [node("Cast", ["x"], ["y"], to=TensorProto.COMPLEX64)], [x], [y],
     opset=21)
