"""Counts a Conformance run per suite, over all node tests and over the ones
whose inputs and outputs are plain tensors, and prints the Markdown table that
docs/Conformance.md shows.

    lit -j2 build/test/Conformance -o report.json
    summarize.py report.json

A test is "plain" when every graph input and output is a tensor of a numeric or
bool element type (no sequence, optional, map or string) and no node comes
from the training domain (ai.onnx.preview.training).
"""
from __future__ import annotations

import collections
import json
import sys

import onnx

TRAINING_DOMAIN = "ai.onnx.preview.training"


def is_plain(model_path: str) -> bool:
    model = onnx.load(model_path, load_external_data=False)
    graph = model.graph
    for value in list(graph.input) + list(graph.output):
        if value.type.WhichOneof("value") != "tensor_type":
            return False
        if value.type.tensor_type.elem_type == onnx.TensorProto.STRING:
            return False
    return all(node.domain != TRAINING_DOMAIN for node in graph.node)


def model_path(output: str) -> str | None:
    """The model a test ran, from the command line its log starts with."""
    for line in output.splitlines():
        if line.startswith("$ "):
            words = line.split()
            if len(words) > 3 and words[2] == "run":
                return words[3]
    return None


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        report = json.load(f)
    counts = collections.defaultdict(collections.Counter)
    for test in report["tests"]:
        name = test["name"].split("Conformance/", 1)[-1]
        suite = name.split("/", 1)[0]
        passed = test["code"] in ("PASS", "XPASS")
        path = model_path(test.get("output", ""))
        plain = path is not None and is_plain(path)
        row = counts[suite]
        row["all"] += 1
        row["passed"] += passed
        row["plain"] += plain
        row["plain passed"] += plain and passed
        row["crashed"] += "killed by signal" in test.get("output", "")
        row["timed out"] += "timed out" in test.get("output", "")
    total = collections.Counter()
    print("| suite | node tests | pass | % | plain-tensor tests | pass | % | crashes, time-outs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for suite, row in sorted(counts.items()) + [("all", None)]:
        if row is None:
            row = total
        else:
            total.update(row)
        print(f"| {suite} | {row['all']} | {row['passed']} | "
              f"{100.0 * row['passed'] / max(1, row['all']):.1f} | {row['plain']} | "
              f"{row['plain passed']} | {100.0 * row['plain passed'] / max(1, row['plain']):.1f} | "
              f"{row['crashed'] + row['timed out']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
