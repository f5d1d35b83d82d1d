"""Rewrites expected-failures.txt from a lit JSON report of the Conformance suite.

    lit -j2 build/test/Conformance -o report.json
    update_expected_failures.py report.json

Tests in the report that failed are listed, each with the first line of Sinter's
error (or the mismatch it printed) as the reason; tests that passed are removed.
Tests absent from the report (a filtered run) keep their line.
"""
from __future__ import annotations

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIST = os.path.join(HERE, "expected-failures.txt")
HEADER = """\
# ONNX backend node tests that Sinter does not pass, one per line as
# SUITE/TEST: reason. Written by update_expected_failures.py from a run of the
# Conformance suite; a test listed here that starts passing fails the suite
# (XPASS) until its line is removed. Reasons are Sinter's own error lines.
"""


def reason_of(output: str) -> str:
    lines = output.splitlines()
    for line in lines:
        if line.startswith("sinter: error: "):
            text = line[len("sinter: error: "):]
            # Drop the model path; the test name already says which model.
            text = re.sub(r"^\S*model\.onnx: ", "", text)
            return text.strip()
    for line in lines:
        if "MISMATCH" in line or "timed out" in line or "killed by signal" in line:
            return "wrong answer: " + line.strip() if "MISMATCH" in line else line.strip()
    return (lines[-1] if lines else "failed without output").strip()


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        report = json.load(f)
    entries: dict[str, str] = {}
    if os.path.exists(LIST):
        with open(LIST) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    name, _, reason = line.partition(":")
                    entries[name.strip()] = reason.strip()
    for test in report["tests"]:
        name = test["name"].split("Conformance/", 1)[-1]
        if test["code"] in ("PASS", "XPASS"):
            entries.pop(name, None)
        elif test["code"] in ("FAIL", "XFAIL"):
            entries[name] = reason_of(test.get("output", ""))
    with open(LIST, "w") as f:
        f.write(HEADER)
        for name in sorted(entries):
            f.write(f"{name}: {entries[name]}\n")
    print(f"{len(entries)} expected failures in {os.path.relpath(LIST)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
