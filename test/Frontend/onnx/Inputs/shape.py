"""Models for shape.test and gather.test: data movement with static shapes."""
from onnx_models import *

d = out_dir()
y = untyped("y")
x = tensor("x", [2, 3, 4])
i64 = lambda *v: np.array(v, np.int64)
save(d, "reshape", [node("Reshape", ["x", "s"], ["y"])], [x], [y], [const("s", i64(0, -1, 2))])
save(d, "reshape_allowzero", [node("Reshape", ["e", "s"], ["y"], allowzero=1)],
     [tensor("e", [0, 4])], [y], [const("s", i64(4, 0))], opset=14)
save(d, "flatten", [node("Flatten", ["x"], ["y"], axis=-1)], [x], [y])
save(d, "transpose", [node("Transpose", ["x"], ["t"], perm=[2, 0, 1]),
                      node("Transpose", ["t"], ["y"])], [x], [y])
save(d, "concat", [node("Concat", ["x", "z"], ["y"], axis=-2)], [x, tensor("z", [2, 1, 4])], [y])
save(d, "slice", [node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])], [x], [y],
     [const("starts", i64(-1, 1)), const("ends", i64(-2**63, 2**63 - 1)), const("axes", i64(2, 1)),
      const("steps", i64(-2, 1))])
save(d, "slice_opset9", [node("Slice", ["x"], ["y"], starts=[1], ends=[100], axes=[0])], [x], [y],
     opset=9)
save(d, "slice_empty", [node("Slice", ["x", "starts", "ends"], ["y"])], [x], [y],
     [const("starts", i64(1)), const("ends", i64(1))])
save(d, "squeeze_unsqueeze", [node("Unsqueeze", ["x", "a"], ["u"]),
                              node("Squeeze", ["u", "b"], ["s"]), node("Squeeze", ["s"], ["y"])],
     [x], [untyped("s"), y], [const("a", i64(0, -1)), const("b", i64(0))])
save(d, "squeeze_opset11", [node("Unsqueeze", ["x"], ["u"], axes=[1]),
                            node("Squeeze", ["u"], ["y"], axes=[1])], [x], [y], opset=11)
save(d, "split", [node("Split", ["x", "sizes"], ["a", "b"], axis=2)], [x],
     [untyped("a"), untyped("b")], [const("sizes", i64(1, 3))])
save(d, "split_opset18", [node("Split", ["x"], ["a", "b"], axis=1, num_outputs=2)], [x],
     [untyped("a"), untyped("b")], opset=18)
save(d, "expand", [node("Expand", ["c", "s"], ["y"])], [tensor("c", [3, 1])], [y],
     [const("s", i64(2, 1, 4))])
save(d, "tile", [node("Tile", ["c", "r"], ["y"])], [tensor("c", [3, 1])], [y],
     [const("r", i64(1, 3))])
save(d, "depth_to_space", [node("DepthToSpace", ["i"], ["y"], blocksize=2, mode="CRD")],
     [tensor("i", [1, 8, 2, 3])], [y])
save(d, "gather_constant", [node("Gather", ["x", "i"], ["y"], axis=1)], [x], [y],
     [const("i", np.array([[0, -1], [2, 1]], np.int64))])
save(d, "gather_runtime", [node("Gather", ["table", "ids"], ["y"])],
     [tensor("ids", [2, 5], INT64)], [y], [weights("table", 10, 4)])
save(d, "cast", [node("Cast", ["x"], ["i"], to=TensorProto.INT32),
                 node("Cast", ["i"], ["y"], to=TensorProto.FLOAT16)], [x], [y])
save(d, "identity_dropout", [node("Identity", ["x"], ["i"]),
                             node("Dropout", ["i"], ["y", "mask"])], [x], [y])
