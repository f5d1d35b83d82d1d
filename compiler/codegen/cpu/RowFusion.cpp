// Row fusion: adjacent parallel row loops merged, so that a chain of kernels runs row by row.
#include "codegen/cpu/RowFusion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelLoop = "sinter.parallel";

/// The buffer a memref value views, through any chain of views.
Value rootOf(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

/// One access to a buffer inside a loop: the memref value used, whether it
/// may write, whether the analysis understands it, and then the dimensions
/// it indexes by exactly the loop's induction variable, one element wide.
struct Access {
  Value memref;
  bool write;
  bool known;
  SmallVector<int64_t> rowDims;
};

/// Dimensions of `indices` that are `iv` where the access covers one element.
SmallVector<int64_t> rowDims(ValueRange indices, Value iv,
                             ArrayRef<int64_t> extents) {
  SmallVector<int64_t> dims;
  for (auto [d, index] : llvm::enumerate(indices))
    if (index == iv && extents[d] == 1)
      dims.push_back(d);
  return dims;
}

/// Every memref access under `loop`; false if an op's effects are unknown.
bool collectAccesses(scf::ForOp loop, SmallVectorImpl<Access> &accesses) {
  Value iv = loop.getInductionVar();
  WalkResult result = loop.getBody()->walk([&](Operation *op) {
    auto extentsOf = [](MemRefType type, AffineMap map, VectorType vector) {
      SmallVector<int64_t> extents(type.getRank(), 1);
      for (auto [i, expr] : llvm::enumerate(map.getResults()))
        if (auto dim = dyn_cast<AffineDimExpr>(expr))
          extents[dim.getPosition()] = vector.getDimSize(i);
      return extents;
    };
    if (auto read = dyn_cast<vector::TransferReadOp>(op)) {
      auto type = dyn_cast<MemRefType>(read.getBase().getType());
      if (!type || read.getMask())
        return WalkResult::interrupt();
      accesses.push_back({read.getBase(), false, true,
                          rowDims(read.getIndices(), iv,
                                  extentsOf(type, read.getPermutationMap(),
                                            read.getVectorType()))});
      return WalkResult::advance();
    }
    if (auto write = dyn_cast<vector::TransferWriteOp>(op)) {
      auto type = dyn_cast<MemRefType>(write.getBase().getType());
      if (!type || write.getMask())
        return WalkResult::interrupt();
      accesses.push_back({write.getBase(), true, true,
                          rowDims(write.getIndices(), iv,
                                  extentsOf(type, write.getPermutationMap(),
                                            write.getVectorType()))});
      return WalkResult::advance();
    }
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      SmallVector<int64_t> ones(load.getMemRefType().getRank(), 1);
      accesses.push_back({load.getMemRef(), false, true,
                          rowDims(load.getIndices(), iv, ones)});
      return WalkResult::advance();
    }
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      SmallVector<int64_t> ones(store.getMemRefType().getRank(), 1);
      accesses.push_back({store.getMemRef(), true, true,
                          rowDims(store.getIndices(), iv, ones)});
      return WalkResult::advance();
    }
    // Anything else that takes a buffer (a kernel left as a linalg op, a
    // view, a copy) may read or write all of it.
    for (Value operand : op->getOperands())
      if (isa<BaseMemRefType>(operand.getType()))
        accesses.push_back({operand, true, false, {}});
    if (!isMemoryEffectFree(op) && !isa<MemoryEffectOpInterface>(op) &&
        !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

/// Whether iteration i of `first` and iteration j != i of `second` touch no
/// common buffer that either writes: every such buffer is accessed, in both
/// loops, through one view, by accesses this analysis understands, all of
/// them at the row of their loop's induction variable in one dimension.
bool rowsIndependent(ArrayRef<Access> first, ArrayRef<Access> second) {
  llvm::SmallDenseSet<Value> shared;
  for (const Access &x : first)
    for (const Access &y : second)
      if (rootOf(x.memref) == rootOf(y.memref) && (x.write || y.write))
        shared.insert(rootOf(x.memref));
  for (Value root : shared) {
    SmallVector<const Access *> all;
    for (ArrayRef<Access> loop : {first, second})
      for (const Access &x : loop)
        if (rootOf(x.memref) == root)
          all.push_back(&x);
    Value view = all.front()->memref;
    for (const Access *x : all)
      if (!x->known || x->memref != view)
        return false;
    bool commonRow = llvm::any_of(all.front()->rowDims, [&](int64_t d) {
      return llvm::all_of(all, [&](const Access *x) {
        return llvm::is_contained(x->rowDims, d);
      });
    });
    if (!commonRow)
      return false;
  }
  return true;
}

bool sameBounds(scf::ForOp a, scf::ForOp b) {
  std::optional<int64_t> step = getConstantIntValue(a.getStep());
  auto equal = [](Value x, Value y) {
    if (x == y)
      return true;
    std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    return cx && cy && *cx == *cy;
  };
  return step && *step == 1 && equal(a.getStep(), b.getStep()) &&
         equal(a.getLowerBound(), b.getLowerBound()) &&
         equal(a.getUpperBound(), b.getUpperBound());
}

bool isRowLoop(Operation *op) {
  auto loop = dyn_cast<scf::ForOp>(op);
  return loop && loop->hasAttr(kParallelLoop) && loop.getNumResults() == 0;
}

/// Whether `op` (between the two loops) may move above `first`: it has no
/// regions, its operands are defined above `first`, and it is free of memory
/// effects, an allocation, or a store to buffers `first` does not touch.
bool canMoveAbove(Operation *op, scf::ForOp first,
                  ArrayRef<Access> firstAccesses,
                  ArrayRef<Operation *> movingToo) {
  if (op->getNumRegions() != 0)
    return false;
  // Operands defined above `first`, or by ops moving above it before `op`.
  for (Value operand : op->getOperands())
    if (Operation *def = operand.getDefiningOp())
      if (def->getBlock() == first->getBlock() && !def->isBeforeInBlock(first) &&
          !llvm::is_contained(movingToo, def))
        return false;
  // A new buffer cannot be one `first` touches.
  if (isMemoryEffectFree(op) || isa<memref::AllocOp>(op))
    return true;
  if (!isa<vector::TransferWriteOp, vector::StoreOp, memref::StoreOp>(op))
    return false;
  for (Value operand : op->getOperands()) {
    if (!isa<BaseMemRefType>(operand.getType()))
      continue;
    for (const Access &access : firstAccesses)
      if (rootOf(access.memref) == rootOf(operand))
        return false;
  }
  return true;
}

} // namespace

void mlir::sinter::fuseRowLoops(Operation *root) {
  IRRewriter rewriter(root->getContext());
  // Kernels are the function body's top-level loops.
  for (Region &region : root->getRegions()) {
    for (Block &block : region) {
    for (Operation *op = &block.front(); op; op = op->getNextNode()) {
      if (!isRowLoop(op))
        continue;
      auto first = cast<scf::ForOp>(op);
      // Absorb following row loops one at a time, while it is legal.
      while (true) {
        SmallVector<Access> firstAccesses;
        if (!collectAccesses(first, firstAccesses))
          break;
        // The next row loop, with only movable ops in between.
        SmallVector<Operation *> between;
        Operation *next = first->getNextNode();
        while (next && !isRowLoop(next) &&
               canMoveAbove(next, first, firstAccesses, between)) {
          between.push_back(next);
          next = next->getNextNode();
        }
        if (!next || !isRowLoop(next))
          break;
        auto second = cast<scf::ForOp>(next);
        SmallVector<Access> secondAccesses;
        if (!sameBounds(first, second) ||
            !collectAccesses(second, secondAccesses) ||
            !rowsIndependent(firstAccesses, secondAccesses))
          break;
        for (Operation *moved : between)
          moved->moveBefore(first);
        // The second body runs after the first's, on the same row.
        Block *body = second.getBody();
        rewriter.eraseOp(body->getTerminator());
        rewriter.inlineBlockBefore(body, first.getBody()->getTerminator(),
                                   first.getInductionVar());
        rewriter.eraseOp(second);
      }
    }
    }
  }
}
