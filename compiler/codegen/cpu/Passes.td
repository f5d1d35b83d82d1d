// CPU code-generation passes.
#ifndef SINTER_CODEGEN_CPU_PASSES_TD
#define SINTER_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def PlanMemory : Pass<"sinter-plan-memory", "mlir::func::FuncOp"> {
  let summary = "Places every intermediate buffer in one workspace argument";
  let description = [{
    Runs on bufferized code. Every `memref.alloc` of static shape in the model
    function becomes a `memref.view` into a workspace argument appended to the
    function, at an offset fixed here, so that a run allocates nothing. Buffers
    whose lifetimes do not overlap share space. The workspace size is recorded
    as the function attribute `sinter.workspace_size`. Fails on an allocation
    it cannot place (a dynamic shape, or one inside a loop).
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def StridedCopiesToLinalg : Pass<"sinter-strided-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turns memref.copy between non-contiguous buffers into linalg.copy";
  let description = [{
    Bufferization copies into strided views (for example the interior of a
    padded buffer). The LLVM lowering would call a copy routine from MLIR's
    runner library, which a compiled model does not link; as linalg.copy the
    copy becomes loops like every other kernel. Copies between contiguous
    buffers stay memref.copy, which lowers to memcpy.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // SINTER_CODEGEN_CPU_PASSES_TD
