// sinter-plan-memory: gives every intermediate buffer a fixed offset in one workspace.
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <limits>

namespace mlir::sinter {
#define GEN_PASS_DEF_PLANMEMORY
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

int64_t alignUp(int64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

/// One buffer to place: its size and the span of entry-block positions during
/// which it (or any view of it) is in use.
struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  int64_t first = 0, last = 0;
  int64_t offset = -1;
};

/// The op in `block` that holds `op`, or null.
Operation *ancestorIn(Block &block, Operation *op) {
  while (op && op->getBlock() != &block)
    op = op->getParentOp();
  return op;
}

/// The first and last positions in `block` at which `root` or any alias made
/// from it (views, reshapes, casts) is used. A buffer is not live between its
/// allocation and its first use: passes hoist allocations to the top of the
/// function, and counting from there would keep every buffer alive at once.
std::pair<int64_t, int64_t>
liveRange(Block &block, Value root,
          const DenseMap<Operation *, int64_t> &position) {
  int64_t defined = position.lookup(root.getDefiningOp());
  int64_t first = std::numeric_limits<int64_t>::max(), last = defined;
  SmallVector<Value> worklist = {root};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<memref::DeallocOp>(user))
        continue;
      if (Operation *anchor = ancestorIn(block, user)) {
        int64_t at = position.lookup(anchor);
        last = std::max(last, at);
        // A view is not a use of the bytes; what uses the view is.
        if (!isa<ViewLikeOpInterface>(user))
          first = std::min(first, at);
      }
      // A result that is a memref may alias the operand; follow it.
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          worklist.push_back(result);
    }
  }
  if (first > last)
    first = defined; // never touched: a place of its own for one step
  return {first, last};
}

/// The smallest workspace any placement could have for these lifetimes: the
/// most bytes live at one position (each buffer padded to the alignment).
int64_t peakLiveBytes(ArrayRef<Buffer> buffers) {
  SmallVector<std::pair<int64_t, int64_t>> events; // (position, +-bytes)
  for (const Buffer &b : buffers) {
    events.push_back({b.first, alignUp(b.bytes)});
    events.push_back({b.last + 1, -alignUp(b.bytes)});
  }
  // At one position, the buffers that die go before the ones that are born.
  llvm::sort(events);
  int64_t live = 0, peak = 0;
  for (auto [at, delta] : events) {
    live += delta;
    peak = std::max(peak, live);
  }
  return peak;
}

/// First fit by decreasing size: each buffer takes the lowest offset that does
/// not overlap a live-at-the-same-time buffer already placed.
int64_t assignOffsets(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  llvm::stable_sort(order, [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
  int64_t total = 0;
  SmallVector<Buffer *> placed;
  for (Buffer *buffer : order) {
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (Buffer *other : placed)
      if (other->first <= buffer->last && buffer->first <= other->last)
        busy.push_back({other->offset, other->offset + other->bytes});
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [begin, end] : busy) {
      if (offset + buffer->bytes <= begin)
        break;
      offset = std::max(offset, alignUp(end));
    }
    buffer->offset = offset;
    total = std::max(total, alignUp(offset + buffer->bytes));
    placed.push_back(buffer);
  }
  return total;
}

struct PlanMemory : mlir::sinter::impl::PlanMemoryBase<PlanMemory> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();

    DenseMap<Operation *, int64_t> position;
    for (auto [i, op] : llvm::enumerate(entry))
      position[&op] = i;

    SmallVector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (alloc->getBlock() != &entry)
        return alloc.emitError("cannot place an allocation inside a loop or "
                               "region in the workspace"),
               WalkResult::interrupt();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat())
        return alloc.emitError("cannot place a buffer of type ")
                   << type << " in the workspace",
               WalkResult::interrupt();
      Buffer buffer;
      buffer.alloc = alloc;
      int64_t bits = type.getElementTypeBitWidth();
      buffer.bytes = std::max<int64_t>(1, type.getNumElements() * ((bits + 7) / 8));
      std::tie(buffer.first, buffer.last) =
          liveRange(entry, alloc.getResult(), position);
      buffers.push_back(buffer);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    int64_t size = assignOffsets(buffers);

    MLIRContext *context = &getContext();
    auto workspaceType =
        MemRefType::get({std::max<int64_t>(size, kAlignment)}, IntegerType::get(context, 8));
    unsigned argIndex = func.getNumArguments();
    if (failed(func.insertArgument(argIndex, workspaceType,
                                   DictionaryAttr::get(context), func.getLoc())))
      return signalPassFailure();
    Value workspace = func.getArgument(argIndex);

    OpBuilder builder(context);
    for (Buffer &buffer : buffers) {
      builder.setInsertionPoint(buffer.alloc);
      Location loc = buffer.alloc.getLoc();
      Value offset = arith::ConstantIndexOp::create(builder, loc, buffer.offset);
      Value view = memref::ViewOp::create(builder, loc, buffer.alloc.getType(),
                                          workspace, offset, ValueRange{});
      for (Operation *user : llvm::make_early_inc_range(buffer.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      buffer.alloc.replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    // What the plan achieved, next to the two bounds it lies between: every
    // buffer apart, and the most bytes that are ever live at once.
    int64_t sum = 0;
    for (const Buffer &buffer : buffers)
      sum += alignUp(buffer.bytes);
    auto i64 = [&](int64_t value) {
      return IntegerAttr::get(IntegerType::get(context, 64), value);
    };
    func->setAttr("sinter.workspace_size", i64(size));
    func->setAttr("sinter.intermediate_bytes", i64(sum));
    func->setAttr("sinter.peak_live_bytes", i64(peakLiveBytes(buffers)));
    placeEmptyArguments(func, workspace);
  }

  /// An input or output with no elements (ONNX allows them) is never read or
  /// written, but MLIR's bare-pointer calling convention refuses memrefs with
  /// a zero dimension. Such an argument becomes an opaque byte pointer, and
  /// its uses see an empty view of the workspace instead.
  static void placeEmptyArguments(func::FuncOp func, Value workspace) {
    MLIRContext *context = func.getContext();
    OpBuilder builder = OpBuilder::atBlockBegin(&func.getBody().front());
    auto opaque = MemRefType::get({1}, IntegerType::get(context, 8));
    SmallVector<Type> argTypes(func.getArgumentTypes());
    for (BlockArgument arg : func.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || !type.hasStaticShape() || type.getNumElements() != 0 ||
          arg == workspace)
        continue;
      Value zero = arith::ConstantIndexOp::create(builder, arg.getLoc(), 0);
      Value view = memref::ViewOp::create(builder, arg.getLoc(),
                                          MemRefType::get(type.getShape(), type.getElementType()),
                                          workspace, zero, ValueRange{});
      arg.replaceAllUsesWith(view);
      arg.setType(opaque);
      argTypes[arg.getArgNumber()] = opaque;
    }
    func.setFunctionType(FunctionType::get(context, argTypes, func.getResultTypes()));
  }
};

} // namespace
