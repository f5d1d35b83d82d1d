"""Models for pad.test and resize.test."""
from onnx_models import *

d = out_dir()
y = untyped("y")
x = tensor("x", [1, 2, 4, 6])
i64 = lambda *v: np.array(v, np.int64)
f32 = lambda *v: np.array(v, np.float32)
save(d, "pad_constant", [node("Pad", ["x", "pads", "value"], ["y"])], [x], [y],
     [const("pads", i64(0, 0, 1, 0, 0, 0, 2, -1)), const("value", np.float32(0.5))])
save(d, "pad_reflect", [node("Pad", ["x", "pads"], ["y"], mode="reflect")], [x], [y],
     [const("pads", i64(0, 0, 0, 2, 0, 0, 0, 1))])
save(d, "pad_edge_axes", [node("Pad", ["x", "pads", "", "axes"], ["y"], mode="edge")], [x], [y],
     [const("pads", i64(1, 0)), const("axes", i64(-2))], opset=18)
save(d, "pad_opset2", [node("Pad", ["x"], ["y"], pads=[0, 0, 1, 1, 0, 0, 1, 1])], [x], [y],
     opset=10)
save(d, "resize_nearest", [node("Resize", ["x", "", "scales"], ["y"], mode="nearest")], [x],
     [y], [const("scales", f32(1, 1, 2, 2))], opset=13)
save(d, "resize_linear_sizes", [node("Resize", ["x", "", "", "sizes"], ["y"], mode="linear",
                                     coordinate_transformation_mode="align_corners")],
     [x], [y], [const("sizes", i64(1, 2, 7, 6))], opset=13)
save(d, "upsample", [node("Upsample", ["x", "scales"], ["y"])], [x], [y],
     [const("scales", f32(1, 1, 1, 2))], opset=9)
