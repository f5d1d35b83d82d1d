"""Models for shape_folding.test and constants.test: values the importer knows at
compile time, from initializers, Constant nodes and chains of shape arithmetic."""
from onnx_models import *

d = out_dir()
y = untyped("y")
x = tensor("x", [2, 3, 4])
i64 = lambda *v: np.array(v, np.int64)
scalar = lambda v: np.array(v, np.int64)
# x.view(x.size(0), -1), as PyTorch exports it.
save(d, "shape_gather_concat", [
    node("Shape", ["x"], ["shape"]), node("Gather", ["shape", "zero"], ["batch"], axis=0),
    node("Unsqueeze", ["batch", "axes0"], ["batch1"]),
    node("Concat", ["batch1", "minus1"], ["target"], axis=0),
    node("Reshape", ["x", "target"], ["y"])],
    [x], [y], [const("zero", scalar(0)), const("axes0", i64(0)), const("minus1", i64(-1))])
# The product of the trailing dimensions, through Slice, ReduceProd, Cast and
# integer arithmetic.
save(d, "shape_arithmetic", [
    node("Shape", ["x"], ["shape"]), node("Slice", ["shape", "one", "big"], ["tail"]),
    node("ReduceProd", ["tail"], ["prod"], keepdims=1),
    node("Mul", ["prod", "two"], ["double"]), node("Div", ["double", "two"], ["same"]),
    node("Sub", ["same", "zero1"], ["flat"]), node("Cast", ["flat"], ["f"], to=1),
    node("Cast", ["f"], ["n"], to=7), node("Concat", ["minus1", "n"], ["target"], axis=0),
    node("Reshape", ["x", "target"], ["y"])],
    [x], [y], [const("one", i64(1)), const("big", i64(100)), const("two", i64(2)),
               const("zero1", i64(0)), const("minus1", i64(-1))], opset=13)
# Expand's target with -1s replaced, as `expand_as` exports do.
save(d, "where_equal", [
    node("Equal", ["target", "minus1"], ["is_free"]),
    node("Where", ["is_free", "ones", "target"], ["fixed"]),
    node("Expand", ["c", "fixed"], ["y"])],
    [tensor("c", [3, 1])], [y],
    [const("target", i64(2, -1, 4)), const("minus1", scalar(-1)), const("ones", i64(1, 1, 1))])
save(d, "shape_window", [node("Shape", ["x"], ["y"], start=-2)], [x], [y], opset=15)
save(d, "size", [node("Size", ["x"], ["y"])], [x], [y])
save(d, "constant_forms", [
    node("Constant", [], ["t"], value=numpy_helper.from_array(np.float32([1, 2, 3, 4]))),
    node("Constant", [], ["f"], value_float=0.5),
    node("Constant", [], ["fs"], value_floats=[1.0, 2.0, 3.0, 4.0]),
    node("Constant", [], ["shape"], value_ints=[4, 6]),
    node("Mul", ["t", "f"], ["a"]), node("Add", ["x", "a"], ["b"]),
    node("Mul", ["b", "fs"], ["c"]), node("Reshape", ["c", "shape"], ["y"])], [x], [y])
save(d, "constant_of_shape", [
    node("Shape", ["x"], ["shape"]),
    node("ConstantOfShape", ["shape"], ["fill"],
         value=numpy_helper.from_array(np.float32([0.25]))),
    node("Add", ["x", "fill"], ["y"])], [x], [y])
save(d, "range", [node("Range", ["start", "limit", "delta"], ["r"]),
                  node("Cast", ["r"], ["rf"], to=1), node("Add", ["x", "rf"], ["y"])],
     [x], [y], [const("start", scalar(3)), const("limit", scalar(-5)), const("delta", scalar(-2))])
save(d, "initializer_input", [node("Add", ["x", "w"], ["y"])], [x, tensor("w", [4])], [y],
     [const("w", np.float32([1, 2, 3, 4]))])
