"""A lit test format that runs ONNX backend node tests through `sinter run`.

Each test folder (model.onnx and test_data_set_K/) is one lit test, named
SUITE/TEST. Every data set runs as

    sinter run model.onnx --input input_0.pb ... --expect output_0.pb ... \
        --atol 1e-3 --rtol 1e-3

which compiles the model, runs it and compares every output. A test listed in
the expected-failures file reports XFAIL when it fails and XPASS (a failure of
the suite) when it passes, so a newly passing test is noticed and the list
shrinks with it.
"""
from __future__ import annotations

import glob
import os
import subprocess

import lit.formats
import lit.Test

TOLERANCE = "1e-3"
TIMEOUT_SECONDS = 300


def read_expected_failures(path: str) -> dict[str, str]:
    """SUITE/TEST: reason lines; lines starting with '#' are comments."""
    expected = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, reason = line.partition(":")
            if not sep or not reason.strip():
                raise ValueError(f"{path}:{number}: expected 'SUITE/TEST: reason'")
            expected[name.strip()] = reason.strip()
    return expected


class NodeTestFormat(lit.formats.TestFormat):
    def __init__(self, sinter: str, suites: dict[str, str], expected_failures: str):
        self.sinter = sinter
        self.suites = suites
        self.expected = read_expected_failures(expected_failures)

    def getTestsInDirectory(self, testSuite, path_in_suite, litConfig, localConfig):
        for suite, root in sorted(self.suites.items()):
            for folder in sorted(glob.glob(os.path.join(root, "test_*"))):
                if os.path.isfile(os.path.join(folder, "model.onnx")):
                    name = os.path.basename(folder)
                    test = lit.Test.Test(testSuite, path_in_suite + (suite, name),
                                         localConfig)
                    test.node_folder = folder
                    test.expected_failure = f"{suite}/{name}" in self.expected
                    yield test

    def execute(self, test, litConfig):
        folder = test.node_folder
        data_sets = sorted(glob.glob(os.path.join(folder, "test_data_set_*")))
        if not data_sets:
            return lit.Test.UNSUPPORTED, "no test_data_set_* folder"
        log = []
        for data_set in data_sets:
            command = [self.sinter, "run", os.path.join(folder, "model.onnx")]
            for kind, flag in (("input", "--input"), ("output", "--expect")):
                files = glob.glob(os.path.join(data_set, f"{kind}_*.pb"))
                files.sort(key=lambda p: int(p.rsplit("_", 1)[1][:-3]))
                for path in files:
                    command += [flag, path]
            command += ["--atol", TOLERANCE, "--rtol", TOLERANCE]
            try:
                run = subprocess.run(command, capture_output=True, text=True,
                                     errors="replace", timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                log.append(f"{data_set}: timed out after {TIMEOUT_SECONDS} s")
                return self.outcome(test, False, log)
            log.append("$ " + " ".join(command) + "\n" + run.stdout + run.stderr)
            if run.returncode != 0:
                if run.returncode < 0:
                    log.append(f"killed by signal {-run.returncode}")
                return self.outcome(test, False, log)
        return self.outcome(test, True, log)

    @staticmethod
    def outcome(test, passed: bool, log: list[str]):
        output = "\n".join(log)
        if test.expected_failure:
            return (lit.Test.XPASS if passed else lit.Test.XFAIL), output
        return (lit.Test.PASS if passed else lit.Test.FAIL), output
