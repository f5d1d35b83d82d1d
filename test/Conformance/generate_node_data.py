"""Writes the ONNX backend node tests defined by the installed `onnx` package as
test folders (model.onnx plus test_data_set_K/input_K.pb and output_K.pb), the
layout of the data Debian's libonnx-testdata ships.

The pinned onnx wheel defines its node tests in Python but ships no data for
them; this turns the definitions into data, under a folder the build owns.

    generate_node_data.py OUTPUT_DIR
"""
from __future__ import annotations

import os
import shutil
import sys
import warnings

import onnx
from onnx import TensorProto, numpy_helper


def serialize(value, value_type: onnx.TypeProto, name: str) -> bytes:
    if value_type.HasField("sequence_type"):
        return numpy_helper.from_list(value, name).SerializeToString()
    if value_type.HasField("optional_type"):
        return numpy_helper.from_optional(value, name).SerializeToString()
    if value_type.HasField("map_type"):
        return numpy_helper.from_dict(value, name).SerializeToString()
    if isinstance(value, TensorProto):
        return value.SerializeToString()
    return numpy_helper.from_array(value, name).SerializeToString()


def write_case(case, root: str) -> None:
    folder = os.path.join(root, case.name)
    os.makedirs(folder)
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    graph = case.model.graph
    for k, (inputs, outputs) in enumerate(case.data_sets):
        data_set = os.path.join(folder, f"test_data_set_{k}")
        os.makedirs(data_set)
        for kind, values, infos in (("input", inputs, graph.input),
                                    ("output", outputs, graph.output)):
            for j, value in enumerate(values):
                with open(os.path.join(data_set, f"{kind}_{j}.pb"), "wb") as f:
                    f.write(serialize(value, infos[j].type, infos[j].name))


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    stamp = os.path.join(root, "onnx-version")
    if os.path.exists(stamp):
        with open(stamp) as f:
            if f.read().strip() == onnx.__version__:
                return 0
    # Importing the case modules runs their numpy reference code, which warns
    # about the infinities and NaNs some cases compute on purpose.
    warnings.simplefilter("ignore")
    import onnx.backend.test.case.node as node_cases

    cases = node_cases.collect_testcases()
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    for case in cases:
        write_case(case, root)
    with open(stamp, "w") as f:
        f.write(onnx.__version__ + "\n")
    print(f"wrote {len(cases)} node tests of onnx {onnx.__version__} to {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
