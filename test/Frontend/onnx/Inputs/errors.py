"""Models for errors.test: each is wrong in one way the importer must report in
one line naming the file, the node and its op type (or the graph input)."""
from onnx_models import *

d = out_dir()
y = untyped("y")
x = tensor("x", [2, 3])
img = tensor("x", [1, 1, 4, 4])
i64 = lambda *v: np.array(v, np.int64)

good = model([node("Relu", ["x"], ["y"])], [x], [y])
save_bytes(d, "garbage", b"\xff\xfenot a model\x00\x01" * 8)
save_bytes(d, "truncated", good.SerializeToString()[:-9])
save_bytes(d, "empty", b"")
save(d, "unsupported", [node("SequenceEmpty", [], ["y"], name="seq")], [x], [y])
save(d, "unnamed", [node("Relu", ["x"], ["r"], name=""), node("SequenceEmpty", [], ["y"], name="")],
     [x], [y])
save(d, "domain", [helper.make_node("FusedGemm", ["x"], ["y"], name="fused",
                                    domain="com.microsoft")], [x], [y])
save(d, "too_new", [node("Gelu", ["x"], ["y"], name="gelu")], [x], [y])
save(d, "old_opset", [node("Relu", ["x"], ["y"])], [x], [y], opset=5)
save(d, "missing_attribute", [node("MaxPool", ["x"], ["y"], name="pool")], [img], [y])
save(d, "missing_input", [node("Conv", ["x"], ["y"], name="conv")], [img], [y])
save(d, "undefined_input", [node("Add", ["x", "ghost"], ["y"], name="add")], [x], [y])
save(d, "broadcast", [node("Add", ["x", "z"], ["y"], name="add")], [x, tensor("z", [4])], [y])
save(d, "conv_channels", [node("Conv", ["x", "w"], ["y"], name="conv")],
     [tensor("x", [1, 2, 4, 4])], [y], [weights("w", 1, 1, 3, 3)])
save(d, "symbolic", [node("Relu", ["x"], ["y"])], [tensor("x", ["batch", 3, 224])], [y])
save(d, "string_input", [node("Identity", ["x"], ["y"])], [tensor("x", [3], TensorProto.STRING)],
     [y])
t = numpy_helper.from_array(np.float32([1, 2, 3, 4]), "w")
t.data_location = TensorProto.EXTERNAL
t.ClearField("raw_data")
entry = t.external_data.add()
entry.key, entry.value = "location", "w.bin"
save(d, "external_data", [node("Add", ["x", "w"], ["y"])], [tensor("x", [4])], [y], [t])
t = numpy_helper.from_array(np.float32([1, 2, 3, 4]), "w")
t.raw_data = t.raw_data[:10]
save(d, "corrupt_initializer", [node("Add", ["x", "w"], ["y"])], [tensor("x", [4])], [y], [t])
save(d, "maxpool_u64", [node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2])],
     [tensor("x", [1, 1, 4, 4], TensorProto.UINT64)], [y])
save(d, "dropout_training", [node("Dropout", ["x", "r", "t"], ["y"], name="drop")], [x], [y],
     [const("r", np.float32(0.5)), const("t", np.bool_(True))])
save(d, "bitcast_width", [node("BitCast", ["x"], ["y"], name="cast", to=INT64)], [x], [y],
     opset=26)
save(d, "runtime_shape", [node("Reshape", ["x", "s"], ["y"], name="reshape")],
     [x, tensor("s", [2], INT64)], [y])
save(d, "gather_index", [node("Gather", ["x", "i"], ["y"], name="gather")], [x], [y],
     [const("i", i64(2))])
save(d, "reshape_count", [node("Reshape", ["x", "s"], ["y"], name="reshape")], [x], [y],
     [const("s", i64(4))])
save(d, "attribute_type", [node("Gemm", ["x", "x"], ["y"], name="gemm", alpha="big")], [x], [y])
save(d, "float_op_of_int", [node("Sigmoid", ["x"], ["y"], name="sigmoid")],
     [tensor("x", [2], INT64)], [y])
