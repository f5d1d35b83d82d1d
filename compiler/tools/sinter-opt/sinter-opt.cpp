// sinter-opt: mlir-opt with Sinter's dialect and passes, for lit tests and debugging.
#include "codegen/cpu/Passes.h"
#include "conversion/Passes.h"
#include "sinter/Dialect/SinterDialect.h"
#include "transforms/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::sinter::registerSinterTransformsPasses();
  mlir::sinter::registerSinterConversionPasses();
  mlir::sinter::registerSinterCodegenCPUPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::sinter::SinterDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Sinter optimizer driver\n", registry));
}
