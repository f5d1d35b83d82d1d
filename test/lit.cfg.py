# lit configuration for Sinter's FileCheck and end-to-end suites.
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Sinter"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".py"]
config.excludes = ["Inputs", "lib", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sinter_obj_root, "test")

bin_dir = os.path.join(config.sinter_obj_root, "bin")
lib_dir = os.path.join(config.sinter_obj_root, "lib")
include_dir = os.path.join(config.sinter_src_root, "runtime", "include")

llvm_config.with_system_environment(["HOME", "TMPDIR", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PYTHONPATH", os.path.join(config.test_source_root, "lib"),
                             append_path=True)

config.substitutions.append(("%sinter_python", config.sinter_python))
config.substitutions.append(("%sinter_include", include_dir))
config.substitutions.append(("%sinter_rt", os.path.join(lib_dir, "libsinter_rt.a")))
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(("%test_lib", os.path.join(config.test_source_root, "lib")))

tools = [
    ToolSubst("%sinter", os.path.join(bin_dir, "sinter"), unresolved="fatal"),
    ToolSubst("sinter-opt", os.path.join(bin_dir, "sinter-opt"), unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, [bin_dir])
