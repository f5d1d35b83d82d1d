"""The two engines under test: a Sinter shared library through the ctypes harness, and
onnxruntime's CPU provider. Both take the same NumPy inputs."""
import ctypes
import os
from pathlib import Path

import numpy as np

from .machine import HERE, build_tool

# sinter_dtype (runtime/include/sinter/sinter.h) to NumPy.
DTYPES = [np.float32, np.float16, None, np.float64, np.int8, np.uint8, np.int16,
          np.int32, np.int64, np.bool_]


def build_harness(root, out_dir):
    runtime = Path(root) / "build" / "lib" / "libsinter_rt.a"
    if not runtime.exists():
        raise SystemExit(f"bench: {runtime} not found; build the project first (scripts/build)")
    library = Path(out_dir) / "libsinterbench.so"
    if library.exists() and library.stat().st_mtime < runtime.stat().st_mtime:
        library.unlink()
    return build_tool(HERE / "harness.c", library,
                      ["-O2", "-shared", "-fPIC", f"-I{Path(root) / 'runtime' / 'include'}"],
                      [str(runtime), "-ldl", "-pthread"])


class SinterModel:
    """One loaded library and session; `run()` is one sinter_session_run."""

    def __init__(self, harness_path, library, threads, inputs):
        # Global, so that the model library's parallel loops find the runtime's
        # sinter_rt_parallel_for (linked into the harness) and use the pool.
        lib = ctypes.CDLL(str(harness_path), mode=ctypes.RTLD_GLOBAL)
        lib.bench_open.restype = ctypes.c_void_p
        lib.bench_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
        for name in ("bench_num_inputs", "bench_num_outputs", "bench_run",
                     "bench_output_dtype", "bench_output_rank"):
            getattr(lib, name).restype = ctypes.c_int
        for name in ("bench_input_name", "bench_output_name", "bench_error"):
            getattr(lib, name).restype = ctypes.c_char_p
        lib.bench_output.restype = ctypes.c_void_p
        lib.bench_output_dims.restype = ctypes.POINTER(ctypes.c_int64)
        for name in ("bench_num_inputs", "bench_num_outputs", "bench_run", "bench_error",
                     "bench_close"):
            getattr(lib, name).argtypes = [ctypes.c_void_p]
        for name in ("bench_input_name", "bench_output_name", "bench_output",
                     "bench_output_dtype", "bench_output_rank", "bench_output_dims"):
            getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.bench_set_input.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        self.lib = lib
        error = ctypes.create_string_buffer(1024)
        self.handle = lib.bench_open(os.fsencode(library), threads, error, len(error))
        if not self.handle:
            raise RuntimeError(error.value.decode())
        # Inputs stay alive here: the session reads them by pointer.
        self.inputs = []
        for i in range(lib.bench_num_inputs(self.handle)):
            name = lib.bench_input_name(self.handle, i).decode()
            array = np.ascontiguousarray(inputs[name])
            self.inputs.append(array)
            lib.bench_set_input(self.handle, i, array.ctypes.data)
        self._run = lib.bench_run
        self._handle = ctypes.c_void_p(self.handle)

    def run(self):
        if self._run(self._handle) != 0:
            raise RuntimeError(self.lib.bench_error(self.handle).decode())

    def outputs(self):
        result = {}
        for i in range(self.lib.bench_num_outputs(self.handle)):
            name = self.lib.bench_output_name(self.handle, i).decode()
            dtype = DTYPES[self.lib.bench_output_dtype(self.handle, i)]
            rank = self.lib.bench_output_rank(self.handle, i)
            dims = self.lib.bench_output_dims(self.handle, i)
            shape = tuple(dims[d] for d in range(rank))
            count = int(np.prod(shape)) if shape else 1
            buffer = (ctypes.c_char * (count * np.dtype(dtype).itemsize)).from_address(
                self.lib.bench_output(self.handle, i))
            result[name] = np.frombuffer(buffer, dtype=dtype, count=count).reshape(shape).copy()
        return result

    def close(self):
        if self.handle:
            self.lib.bench_close(self.handle)
            self.handle = None


class OrtModel:
    """onnxruntime's CPU provider, all graph optimizations, `threads` intra-op threads."""

    def __init__(self, model_path, threads, inputs):
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Workers spin within a run as usual, but stop when it ends: left
        # spinning, they would hold the cores while Sinter's run follows.
        options.add_session_config_entry("session.force_spinning_stop", "1")
        self.session = ort.InferenceSession(str(model_path), options,
                                            providers=["CPUExecutionProvider"])
        self.feeds = {i.name: inputs[i.name] for i in self.session.get_inputs()}
        self.names = [o.name for o in self.session.get_outputs()]

    def run(self):
        return self.session.run(None, self.feeds)

    def outputs(self):
        return dict(zip(self.names, self.run()))
