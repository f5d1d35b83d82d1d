// The `sinter` command: compile, run, bench and inspect models.
#include "Tool.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

static const char kUsage[] =
    "usage: sinter <command> ...\n"
    "\n"
    "  compile MODEL [-o OUT.o] [--name NAME] [--emit=sinter|linalg|llvm-mlir|llvm|asm|obj|lib|so]\n"
    "                [--target=TRIPLE] [--cpu=native|CPU] [-O0..-O3] [--input-shape NAME=1x3x224x224]\n"
    "  run MODEL|LIB.so --input NAME=FILE(.npy|.pb) ... [--output-dir DIR]\n"
    "                [--expect NAME=FILE ... --atol A --rtol R] [--threads N] [--device cpu|cuda]\n"
    "  bench MODEL|LIB.so [--iterations N] [--threads N] [--input NAME=FILE ...]\n"
    "  inspect MODEL [--input-shape NAME=SHAPE]\n"
    "  ops [--markdown] [-o FILE]          the ONNX operators Sinter imports\n"
    "\n"
    "MODEL is an ONNX file (.onnx) or a sinter-dialect module (.mlir).\n";

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    llvm::outs() << kUsage;
    return argc < 2 ? 2 : 0;
  }
  llvm::StringRef command = argv[1];
  sinter::Arguments args(llvm::ArrayRef<const char *>(argv + 2, argc - 2));
  if (command == "compile")
    return sinter::compileCommand(args);
  if (command == "run")
    return sinter::runCommand(args, /*benchmark=*/false);
  if (command == "bench")
    return sinter::runCommand(args, /*benchmark=*/true);
  if (command == "inspect")
    return sinter::inspectCommand(args);
  if (command == "ops")
    return sinter::opsCommand(args);
  llvm::errs() << "sinter: error: unknown command '" << command
               << "' (compile, run, bench, inspect, ops; see sinter --help)\n";
  return 2;
}
