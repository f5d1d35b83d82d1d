// CPU code-generation passes.
#ifndef SINTER_CODEGEN_CPU_PASSES_TD
#define SINTER_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def PlanMemory : Pass<"sinter-plan-memory", "mlir::func::FuncOp"> {
  let summary = "Places every intermediate buffer in one workspace argument";
  let description = [{
    Runs on bufferized code. Every `memref.alloc` of static shape in the model
    function becomes a `memref.view` into a workspace argument appended to the
    function, at an offset fixed here, so that a run allocates nothing. A
    buffer lives from its first use to its last (through any view of it), not
    from its allocation, which passes may have hoisted; buffers whose
    lifetimes do not overlap share space, placed largest first at the lowest
    free 64-byte aligned offset. The workspace size is recorded as the
    function attribute `sinter.workspace_size`, and next to it the two bounds
    of any placement for this op order: `sinter.intermediate_bytes` (every
    buffer apart) and `sinter.peak_live_bytes` (the most bytes live at one
    position). Fails on an allocation it cannot place (a dynamic shape, or one
    inside a loop).

    Example: `%a = memref.alloc() : memref<32xf32>`, last used before the
    first use of `%b = memref.alloc() : memref<32xf32>`, becomes
    `memref.view %workspace[%c0][]`, and so does %b: the workspace argument
    is memref<128xi8>, with sinter.intermediate_bytes = 256 and
    sinter.peak_live_bytes = 128.
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

def ConvGather : Pass<"sinter-conv-gather", "mlir::func::FuncOp"> {
  let summary = "Vector code for the strided copies of im2col gathers";
  let description = [{
    Runs on bufferized code, before `sinter-tile-and-vectorize`, as the
    buffer half of `sinter-conv-to-gemm`. Not yet in the default pipeline:
    its output for a 3-D stride-2 conv (3x3x3 taps, rows of 9) made LLVM's
    x86 DAG combiner loop forever. The trigger is not isolated; rows ending
    in one element are now scalar copies, a guess to check (with that conv
    in test/E2E/conv_strided.py) before the pass goes back in. Bufferizing that pass's gather
    leaves, per kernel tap, a `linalg.transpose` from a strided view of the
    input into a slice of col, and a copy of that slice onto an identical
    view of itself; the copy is dropped. The tiler vectorizes the transposes
    of stride-1 convs; those whose view has an innermost stride of 2 to 4
    (strided convs) become loops over the outer dimensions, the outermost
    `sinter.parallel`, around rows of 8 outputs, each one contiguous load of
    stride x 8 inputs and one `vector.shuffle` keeping every stride-th lane
    (masked where the load would pass the input row's end or the row ends).

    Example: `linalg.transpose` of memref<1x3x112x112xf32, strided<[153228,
    51076, 452, 2]>> into memref<3x1x112x112xf32, strided<[...]>> becomes
    three loops around a loop of 14 `vector.load` of vector<16xf32>, each
    shuffled to vector<8xf32> and stored.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Bits in one vector register of the target (128, 256 or 512)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"];
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

    Epilogues: when the next op to touch memory is an elementwise
    `linalg.generic` that reads C (directly or through an expand_shape that
    splits M and N into more dims, as after a conv) and nothing else reads
    C, its body runs on the accumulators of the last K block, in vectors,
    and the tile is stored to the generic's output instead; the generic
    goes, and so does C when K fits one block. Its other inputs may be
    read per element, per row (a conv's per-channel bias), per column (a
    Gemm's bias) or be scalars; its body may hold arith ops and the math
    ops with a vector lowering everywhere (abs, fma, sqrt, ceil, floor,
    copysign).

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
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Apply an elementwise consumer of the result to the accumulators">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect"];
}

def DepthwiseConv : Pass<"sinter-depthwise-conv", "mlir::func::FuncOp"> {
  let summary = "Turns f32 NCHW depthwise convolutions into vector FMA kernels";
  let description = [{
    Runs on bufferized code, right before `sinter-tile-and-vectorize`. On
    buffers the kernel is plain loops of `vector.load`, `vector.fma` and
    `vector.store` with no tensor `iter_args`, so its channel loop can carry
    `sinter.parallel` and its speed depends on no later analysis (aliasing,
    hoisting). Every `linalg.depthwise_conv_2d_nchw_chw` of static-shaped
    f32 buffers (unit inner stride, any kernel up to 64 taps, horizontal
    stride up to 4, any dilation; the padding is already in the input
    buffer) becomes: one loop over images x channels marked
    `sinter.parallel`, a loop over output rows, and blocks of up to four
    vectors of 8 outputs (of several rows when a row is narrow) whose
    accumulators stay in registers across all kernel taps. Each tap is a
    broadcast weight times a contiguous input vector, or, at stride s, a
    load of s vectors de-interleaved by one `vector.shuffle`. Loads that
    would pass the row's end and partial vectors at the row's end are
    masked. A zero `linalg.fill` of the output before the conv becomes the
    accumulators' initial value. An elementwise `linalg.generic` that comes
    next and reads the conv's result (bias add, ReLU, clip: arith ops on
    the result, per-channel or scalar operands, and buffers of the output's
    shape; math ops where their vector form needs no libm call) is applied
    to the accumulators before the store, when the conv's result is dead
    after it. Vectors are at most 256 bits: wider ones would
    be mostly masked on the 7- and 14-wide maps of mobile networks.

    Example: `linalg.depthwise_conv_2d_nchw_chw` of memref<1x32x114x114xf32>
    by memref<32x3x3xf32> into memref<1x32x112x112xf32>, followed by a
    bias-and-clip generic, becomes a 32-iteration `sinter.parallel` loop,
    112 rows each of three strips of four accumulators and one block of two,
    each 9 `vector.fma` per accumulator and one `arith.addf`,
    `arith.maximumf` and `arith.minimumf` before its `vector.store`.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"256",
           "Bits in one vector register of the target (128, 256 or 512)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"];
}

def TileAndVectorize : Pass<"sinter-tile-and-vectorize", "mlir::func::FuncOp"> {
  let summary = "Tiles GEMMs into register blocks and turns them, elementwise ops and reductions into vector code";
  let description = [{
    Runs on bufferized code, before linalg ops become loops. Matmuls and
    batch matmuls are tiled twice: into cache tiles (`cache-tile`, M x N x K)
    and those into register tiles (`register-tile`, M x N, with K stepped by
    one) whose accumulators stay in vector registers across the K loop.
    Elementwise ops (every loop parallel) are tiled to one
    vector of `vector-bits` along their innermost dimension. Reductions that
    the linalg vectorizer recognizes (ReduceSum/Mean/Max, softmax's max and
    sum, layer norm's mean and variance, pooling over H x W) are tiled with
    their parallel loops outermost: over the innermost axis, four vectors of
    the row at a time into a vector accumulator carried by the loop and one
    tree-shaped horizontal reduction after it; over an outer axis, one
    vector of the innermost parallel axis, the output vector itself being
    the accumulator. Float sums are thereby reassociated. Tile loops are
    peeled so that every tile has a static shape; each tile is vectorized
    with the linalg vectorizer and the accumulator transfers are hoisted out
    of the reduction loop. The outermost tile loop of an elementwise op or a
    reduction, when it steps a parallel dimension, carries `sinter.parallel`.
    Adjacent such row loops of equal bounds are then merged when every buffer
    one writes and the other touches is accessed in both only at the loop's
    own row: softmax's three kernels, or layer norm's, run row by row with
    the row in cache. Ops it cannot vectorize (dynamic shapes, strided
    innermost dimensions, i1 or sub-byte elements, bodies with other than
    arith and math ops with a vector form: erf, tanh, exp, log, ... on f32,
    see sinter-lower-vectors) are left to the loop lowering, unchanged; so
    are convolutions and pooling ops.

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
    registers hold. Horizontal reductions become trees of halves. f32 exp,
    expm1, log, log1p, tanh and erf on vectors become MLIR's polynomial
    approximations (log with denormal inputs rescaled), instead of one libm
    call per lane; measured maximum error over a dense sweep of f32 inputs
    (test/E2E/vector_math.py): exp 4.6 ulp (under 1 ulp except near
    overflow), log 0.8, tanh 4.4, erf 4.0. Scalar math keeps libm.

    Example: `vector.contract` of vector<8x1xf32> and vector<1x32xf32> into
    vector<8x32xf32> becomes eight `vector.fma` of a broadcast element of the
    left operand, the right operand row and one accumulator row.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"];
}

def OutlineParallel : Pass<"sinter-outline-parallel", "mlir::ModuleOp"> {
  let summary = "Runs the outermost parallel loops on the runtime's thread pool";
  let description = [{
    Runs first in the LLVM lowering, after the memory plan. Every outermost
    parallel loop of a function (an `scf.parallel` without reductions, or an
    `scf.for` marked with the unit attribute `sinter.parallel` and without
    `iter_args`) becomes a call
    `sinter_rt_parallel_for(body, context, count)` of the runtime, which runs
    `body(context, begin, end)` on contiguous chunks of [0, count), one per
    thread. `body` is a new private function that runs iterations
    [begin, end) of the loop; a multi-dimensional `scf.parallel` is collapsed
    to one linear index first. Values the loop uses from above travel in a
    struct on the caller's stack: converted to their LLVM types (a memref to
    its descriptor) by `builtin.unrealized_conversion_cast`, which the later
    conversions fold; constants are cloned into the body instead. The entry
    point is declared `extern_weak`: where no runtime provides it, the call
    site runs the whole range itself. Loops whose estimated work (static trip
    counts times the ops in the body) is too small to pay for handing chunks
    to other threads stay serial; inner parallel loops always do. The
    `sinter.parallel` markers are removed.

    Example:
    ```mlir
    scf.for %i = %c0 to %c64 step %c1 {
      ... uses %buf : memref<64x256xf32> ...
    } {sinter.parallel}
    ```
    becomes a store of %buf's descriptor into an `llvm.alloca`ed struct, an
    `llvm.call @sinter_rt_parallel_for(%body, %ctx, %c64_i64)` and a
    function `@f_parallel(%ctx: !llvm.ptr, %begin: i64, %end: i64)` that
    loads the descriptor and runs `scf.for %i = %begin to %end`.
  }];
  let dependentDialects = [
    "mlir::LLVM::LLVMDialect", "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect", "mlir::scf::SCFDialect"];
}

#endif // SINTER_CODEGEN_CPU_PASSES_TD
