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

def ConvToGemm : Pass<"sinter-conv-to-gemm", "mlir::func::FuncOp"> {
  let summary = "Rewrites convolutions as an im2col gather and one matmul";
  let description = [{
    Runs on tensors, before bufferization, so that the convolutions reach
    `sinter-tile-and-vectorize` as the GEMMs it tiles and vectorizes. A
    `linalg.conv_{1d_ncw_fcw,2d_nchw_fchw,3d_ncdhw_fcdhw}` of static shape and
    one float element type becomes a `linalg.generic` that gathers the input
    patches into col[C, K..., N, O...] and a `linalg.matmul` of the filter,
    read as [F, C*K], by col, read as [C*K, N*O]. With one image the product
    is already in [F, O...] order; with several, the accumulator and the
    result are transposed between [N, F, O...] and [F, N, O...]. A 1x1
    stride-1 conv of one image needs no gather: its input is the matmul's B.
    Other convs (grouped, depthwise, mixed types) are left as they are.

    Example: `linalg.conv_2d_nchw_fchw` of tensor<1x64x58x58xf32> by
    tensor<64x64x3x3xf32> into tensor<1x64x56x56xf32> becomes a gather into
    tensor<64x3x3x1x56x56xf32> and a `linalg.matmul` of tensor<64x576xf32> by
    tensor<576x3136xf32>.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def GemmKernels : Pass<"sinter-gemm-kernels", "mlir::ModuleOp"> {
  let summary = "Turns f32 matmuls into blocked loops around a register tile of vector FMAs";
  let description = [{
    Runs on bufferized code, before `sinter-tile-and-vectorize` and the memory
    plan. Every `linalg.matmul` and `linalg.batch_matmul` of static-shaped f32
    buffers with the default (row-major, untransposed) maps and a C with unit
    inner stride becomes explicit loops: K blocks of `cache-tile[1]` rows,
    in which B is packed into panels of NR columns (`memref.alloc`, which
    the memory plan places in the workspace), M blocks of `cache-tile[0]`
    rows, a loop over the panels marked `sinter.parallel`, and register tiles
    of MR x NR (`register-tile`: rows, vectors per row; by default 6 x 2
    vectors with 256-bit vectors and 12 x 2 with 512-bit ones). The tile's
    accumulators are `iter_args` of the K loop, updated by `vector.fma` of a
    broadcast element of A and a vector row of the panel, so they stay in
    registers. The last panel and the last rows get tiles of their own static
    shape, with masked loads and stores where a vector is partial. A
    `linalg.fill` of zero right before the GEMM is dropped: the first K block
    starts from zero instead. Few-row GEMMs (M below MR) get one wide row
    tile and read B in place, as do batch matmuls, whose batch loop is the
    parallel one. A constant operand (a `memref.get_global` of a constant
    global, through reshapes) is packed at compile time into a new private
    global over all of K (A as [M/MR][K][MR], B as [N/NR][K][NR]); the
    original global goes when nothing else reads it. A module pass, because
    it adds globals.

    Example: `linalg.matmul ins(%a, %b : memref<64x100xf32>, memref<100x40xf32>)`
    with 256-bit vectors becomes a K loop, a pack of B into
    memref<3x100x16xf32>, and tiles of 6x16 columns (and one of 4 rows, and
    a masked one of 8 columns) of eight `vector.fma` per step of K.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Bits in one vector register of the target (128, 256 or 512)">,
    ListOption<"registerTile", "register-tile", "int64_t",
               "Register tile: rows, vectors per row (default: from vector-bits)">,
    ListOption<"cacheTile", "cache-tile", "int64_t",
               "Cache blocks: rows of an M block, depth of a K block (default: 96,256)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect"];
}

def TileAndVectorize : Pass<"sinter-tile-and-vectorize", "mlir::func::FuncOp"> {
  let summary = "Tiles GEMMs into register blocks and turns them and elementwise ops into vector code";
  let description = [{
    Runs on bufferized code, before linalg ops become loops. Matmuls and
    batch matmuls are tiled twice: into cache tiles (`cache-tile`, M x N x K)
    and those into register tiles (`register-tile`, M x N, with K stepped by
    one) whose accumulators stay in vector registers across the K loop.
    Elementwise ops (every loop parallel) are tiled to one
    vector of `vector-bits` along their innermost dimension. Tile loops are
    peeled so that every tile has a static shape; each tile is vectorized
    with the linalg vectorizer and the accumulator transfers are hoisted out
    of the reduction loop. Ops it cannot vectorize (dynamic shapes, strided
    innermost dimensions, i1 or sub-byte elements, bodies with other than
    arith and math ops with a vector lowering) are left to the loop
    lowering, unchanged; so are, for now, convolutions, reductions and
    contractions written as linalg.generic.

    Example: `linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>)`
    becomes scf.for loops over 8x32 tiles around a K loop whose body is a
    `vector.contract` of vector<8x1xf32> and vector<1x32xf32> into an
    accumulator carried by the loop.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Bits in one vector register of the target (128, 256 or 512)">,
    ListOption<"registerTile", "register-tile", "int64_t",
               "Register tile M,N of a matmul (default: from vector-bits)">,
    ListOption<"cacheTile", "cache-tile", "int64_t",
               "Cache tile M,N,K of a matmul (default: 64,256,256)">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"];
}

def LowerVectors : Pass<"sinter-lower-vectors", "mlir::func::FuncOp"> {
  let summary = "Lowers n-D vector ops to the 1-D ops and FMAs that the LLVM lowering takes";
  let description = [{
    Contractions become outer products and those become `vector.fma` on one
    row at a time; transposes, broadcasts, shape casts, multi-reductions and
    n-D transfers are broken into 1-D operations (transfers fully unrolled),
    so that `convert-vector-to-llvm` sees only vectors the target's
    registers hold.

    Example: `vector.contract` of vector<8x1xf32> and vector<1x32xf32> into
    vector<8x32xf32> becomes eight `vector.fma` of a broadcast element of the
    left operand, the right operand row and one accumulator row.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"];
}

#endif // SINTER_CODEGEN_CPU_PASSES_TD
