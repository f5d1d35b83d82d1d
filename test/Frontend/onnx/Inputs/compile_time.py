"""Models for compile_time.test and logic.test: ops folded when their inputs
are constants (some of which have no runtime form at all)."""
from onnx_models import *

d = out_dir()
y = untyped("y")
i64 = lambda *v: np.array(v, np.int64)
f32 = lambda *v: np.array(v, np.float32)
# Output size of an upsampling by 1.5, as older exporters compute it.
save(d, "floor_sizes", [
    node("Shape", ["x"], ["shape"]), node("Cast", ["shape"], ["f"], to=TensorProto.FLOAT),
    node("Mul", ["f", "scale"], ["scaled"]), node("Floor", ["scaled"], ["floored"]),
    node("Ceil", ["scaled"], ["ceiled"]), node("Round", ["scaled"], ["rounded"]),
    node("Cast", ["floored"], ["sizes"], to=TensorProto.INT64),
    node("Resize", ["x", "", "", "sizes"], ["y"], mode="nearest")],
    [tensor("x", [1, 1, 3, 5])], [y, untyped("ceiled"), untyped("rounded")],
    [const("scale", f32(1, 1, 1.5, 1.5))], opset=13)
save(d, "compare_where", [
    node("Less", ["a", "b"], ["lt"]), node("GreaterOrEqual", ["a", "b"], ["ge"]),
    node("Not", ["lt"], ["nlt"]), node("Equal", ["nlt", "ge"], ["same"]),
    node("Where", ["lt", "a", "b"], ["y"])],
    [], [y, untyped("same")], [const("a", f32(1, 5, 3)), const("b", f32(2, 2, 3))])
save(d, "mod", [node("Mod", ["a", "b"], ["y"]), node("Mod", ["a", "b"], ["c"], fmod=1)],
     [], [y, untyped("c")], [const("a", i64(7, -7, 7, -7)), const("b", i64(3, 3, -3, -3))])
save(d, "trilu", [node("Trilu", ["m", "k"], ["y"], upper=1)], [], [y],
     [const("m", np.full((3, 3), -np.inf, np.float32)), const("k", np.array(1, np.int64))])
save(d, "runtime_floor", [node("Floor", ["x"], ["y"], name="floor")], [tensor("x", [2])], [y])
save(d, "logic_runtime", [
    node("Less", ["x", "z"], ["lt"]), node("Not", ["lt"], ["ge"]),
    node("And", ["ge", "m"], ["both"]), node("Or", ["both", "m"], ["either"]),
    node("Xor", ["either", "lt"], ["x1"]),
    node("Where", ["x1", "x", "z"], ["y"])],
    [tensor("x", [2, 3]), tensor("z", [3]), tensor("m", [2, 3], TensorProto.BOOL)], [y])
save(d, "sign", [node("Sign", ["x"], ["y"])], [tensor("x", [4])], [y])
