// sinter-outline-parallel: outermost parallel loops become sinter_rt_parallel_for calls on outlined bodies.
#include "codegen/cpu/Passes.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_OUTLINEPARALLEL
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelAttr = "sinter.parallel";
constexpr llvm::StringLiteral kParallelFor = "sinter_rt_parallel_for";

/// Loops with less estimated work than this stay serial. The unit is about one
/// scalar or vector instruction. Handing chunks to workers and joining them
/// costs about a microsecond while the workers still spin and tens of
/// microseconds once they sleep; 16K instructions take a few microseconds on
/// one core, so below that a second thread cannot win back its hand-off.
constexpr int64_t kMinParallelWork = int64_t(1) << 14;
/// Trip count assumed for an inner loop whose bounds are not constants (most
/// often the remainder of a tiling, bounded by a tile size).
constexpr int64_t kUnknownTripCount = 8;
constexpr int64_t kWorkCap = int64_t(1) << 40;

int64_t saturatingMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  return a > kWorkCap / b ? kWorkCap : std::min(a * b, kWorkCap);
}

int64_t saturatingAdd(int64_t a, int64_t b) { return std::min(a + b, kWorkCap); }

std::optional<int64_t> constantTripCount(Value lb, Value ub, Value step) {
  std::optional<int64_t> l = getConstantIntValue(lb), u = getConstantIntValue(ub),
                         s = getConstantIntValue(step);
  if (!l || !u || !s || *s <= 0)
    return std::nullopt;
  return *u <= *l ? 0 : (*u - *l + *s - 1) / *s;
}

/// The trip count, or for a loop up to min(constant, x) (a tile loop's last
/// tile, a K block) the count up to that constant, which is what most
/// iterations run.
std::optional<int64_t> boundedTripCount(Value lb, Value ub, Value step) {
  if (std::optional<int64_t> exact = constantTripCount(lb, ub, step))
    return exact;
  Operation *min = ub.getDefiningOp();
  if (!isa_and_nonnull<arith::MinSIOp, arith::MinUIOp>(min))
    return std::nullopt;
  for (Value operand : min->getOperands())
    if (getConstantIntValue(operand))
      return constantTripCount(lb, operand, step);
  return std::nullopt;
}

int64_t estimateWork(Region &region);

int64_t estimateWork(Operation *op) {
  int64_t trips = 1;
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    trips = boundedTripCount(loop.getLowerBound(), loop.getUpperBound(),
                             loop.getStep())
                .value_or(kUnknownTripCount);
  } else if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
    for (auto [lb, ub, step] : llvm::zip(loop.getLowerBound(),
                                         loop.getUpperBound(), loop.getStep()))
      trips = saturatingMul(
          trips, constantTripCount(lb, ub, step).value_or(kUnknownTripCount));
  } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    for (int64_t range : linalgOp.getStaticLoopRanges())
      trips = saturatingMul(
          trips, ShapedType::isDynamic(range) ? kUnknownTripCount : range);
  }
  int64_t body = 1;
  for (Region &region : op->getRegions())
    body = saturatingAdd(body, estimateWork(region));
  return saturatingMul(trips, body);
}

int64_t estimateWork(Region &region) {
  int64_t work = 0;
  for (Block &block : region)
    for (Operation &op : block)
      work = saturatingAdd(work, estimateWork(&op));
  return work;
}

bool isParallelLoop(Operation *op) {
  return isa<scf::ParallelOp>(op) ||
         (isa<scf::ForOp>(op) && op->hasAttr(kParallelAttr));
}

/// A parallel loop as dimensions of (lower bound, upper bound, step) over one
/// body; scf.for is a loop of one dimension.
struct LoopDims {
  SmallVector<Value> lbs, ubs, steps, ivs;
  Block *body = nullptr;
};

/// The loop's dimensions, or nothing when it cannot run on several threads:
/// it carries values between iterations or reduces, or counts in a type other
/// than index (which the collapsed index arithmetic assumes).
std::optional<LoopDims> getDims(Operation *op) {
  LoopDims dims;
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    if (!loop.getInitArgs().empty() || loop.getUnsignedCmp() ||
        !loop.getInductionVar().getType().isIndex())
      return std::nullopt;
    dims.lbs = {loop.getLowerBound()};
    dims.ubs = {loop.getUpperBound()};
    dims.steps = {loop.getStep()};
    dims.ivs = {loop.getInductionVar()};
    dims.body = loop.getBody();
    return dims;
  }
  auto loop = cast<scf::ParallelOp>(op);
  if (!loop.getInitVals().empty())
    return std::nullopt;
  dims.lbs = llvm::to_vector(loop.getLowerBound());
  dims.ubs = llvm::to_vector(loop.getUpperBound());
  dims.steps = llvm::to_vector(loop.getStep());
  dims.ivs = llvm::to_vector(loop.getInductionVars());
  dims.body = loop.getBody();
  return dims;
}

/// Iterations of one dimension, as scf.for counts them (none when ub <= lb).
Value emitTripCount(OpBuilder &b, Location loc, Value lb, Value ub, Value step) {
  if (std::optional<int64_t> trips = constantTripCount(lb, ub, step))
    return arith::ConstantIndexOp::create(b, loc, *trips);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value span = arith::SubIOp::create(b, loc, ub, lb);
  Value count = arith::CeilDivSIOp::create(b, loc, span, step);
  return arith::MaxSIOp::create(b, loc, count, zero);
}

/// Values a body can recreate instead of receiving: they have no operands and
/// no side effects, and cloning them keeps constants visible to the folds.
bool isRecreatable(Value value) {
  Operation *def = value.getDefiningOp();
  return def && def->getNumOperands() == 0 &&
         (def->hasTrait<OpTrait::ConstantLike>() || isa<memref::GetGlobalOp>(def));
}

struct OutlineParallel
    : mlir::sinter::impl::OutlineParallelBase<OutlineParallel> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> loops;
    for (auto func : module.getOps<func::FuncOp>()) {
      func.walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (!isParallelLoop(op))
          return WalkResult::advance();
        loops.push_back(op);
        return WalkResult::skip();
      });
    }
    LLVMTypeConverter converter(&getContext());
    SymbolTable symbols(module);
    for (Operation *loop : loops)
      outline(loop, converter, symbols);
    // Inner and refused loops run serially; the marker has done its job.
    module.walk([](scf::ForOp loop) { loop->removeAttr(kParallelAttr); });
  }

  /// Outlines `loop` when it is worth it; leaves it serial otherwise.
  void outline(Operation *loop, LLVMTypeConverter &converter,
               SymbolTable &symbols) {
    std::optional<LoopDims> dims = getDims(loop);
    if (!dims)
      return;
    // Static trip counts decide whether threads can pay off; a dynamic count
    // is assumed large enough (the model's shapes are static, so it is rare).
    std::optional<int64_t> trips = 1;
    for (auto [lb, ub, step] : llvm::zip(dims->lbs, dims->ubs, dims->steps)) {
      std::optional<int64_t> dimTrips = constantTripCount(lb, ub, step);
      trips = trips && dimTrips ? std::optional(saturatingMul(*trips, *dimTrips))
                                : std::nullopt;
    }
    if (trips && (*trips < 2 ||
                  saturatingMul(*trips, estimateWork(loop->getRegion(0))) <
                      kMinParallelWork))
      return;

    llvm::SetVector<Value> used;
    getUsedValuesDefinedAbove(loop->getRegion(0), used);
    // The body counts from the lower bounds and steps; only a collapsed
    // loop needs the upper bounds, to split its linear index.
    used.insert(dims->lbs.begin(), dims->lbs.end());
    used.insert(dims->steps.begin(), dims->steps.end());
    if (dims->ivs.size() > 1)
      used.insert(dims->ubs.begin(), dims->ubs.end());
    SmallVector<Value> recreated, captured;
    SmallVector<Type> fieldTypes;
    for (Value value : used) {
      if (isRecreatable(value)) {
        recreated.push_back(value);
        continue;
      }
      Type field = converter.convertType(value.getType());
      if (!field || !LLVM::isCompatibleType(field))
        return; // A type the context cannot carry: stay serial.
      captured.push_back(value);
      fieldTypes.push_back(field);
    }

    MLIRContext *ctx = &getContext();
    Location loc = loop->getLoc();
    auto func = loop->getParentOfType<func::FuncOp>();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto contextType = LLVM::LLVMStructType::getLiteral(ctx, fieldTypes);

    func::FuncOp body = buildBody(func, loop, *dims, recreated, captured,
                                  fieldTypes, contextType, symbols);
    LLVM::LLVMFuncOp parallelFor = getOrDeclareParallelFor(symbols);

    // At the call site: the captured values go into a context struct on the
    // caller's stack, allocated once in the entry block so that a call
    // inside a serial loop does not grow the stack per iteration.
    OpBuilder b(loop);
    Value context;
    if (captured.empty()) {
      context = LLVM::ZeroOp::create(b, loc, ptrType);
    } else {
      OpBuilder entry(&func.getBody().front(), func.getBody().front().begin());
      Value one = LLVM::ConstantOp::create(entry, loc, i64, entry.getI64IntegerAttr(1));
      context = LLVM::AllocaOp::create(entry, loc, ptrType, contextType, one);
      for (auto [index, value, field] : llvm::enumerate(captured, fieldTypes)) {
        Value converted = value;
        if (value.getType() != field)
          converted = UnrealizedConversionCastOp::create(b, loc, field, value)
                          .getResult(0);
        Value slot = LLVM::GEPOp::create(
            b, loc, ptrType, contextType, context,
            ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(index)});
        LLVM::StoreOp::create(b, loc, converted, slot);
      }
    }
    Value count;
    if (trips) {
      count = arith::ConstantIntOp::create(b, loc, i64, *trips);
    } else {
      count = emitTripCount(b, loc, dims->lbs[0], dims->ubs[0], dims->steps[0]);
      for (size_t d = 1; d < dims->ivs.size(); ++d)
        count = arith::MulIOp::create(
            b, loc, count,
            emitTripCount(b, loc, dims->lbs[d], dims->ubs[d], dims->steps[d]));
      count = arith::IndexCastOp::create(b, loc, i64, count);
    }

    // A model library may be loaded where no runtime exports the entry point
    // (it is declared weak); it then runs the whole range itself.
    Value entryPoint = LLVM::AddressOfOp::create(b, loc, parallelFor);
    Value null = LLVM::ZeroOp::create(b, loc, ptrType);
    Value missing = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq,
                                         entryPoint, null);
    auto ifOp = scf::IfOp::create(b, loc, missing, /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
      func::CallOp::create(b, loc, body, ValueRange{context, zero, count});
      b.setInsertionPointToStart(ifOp.elseBlock());
      Value bodyRef = func::ConstantOp::create(
          b, loc, body.getFunctionType(), SymbolRefAttr::get(body));
      Value bodyPtr =
          UnrealizedConversionCastOp::create(b, loc, ptrType, bodyRef).getResult(0);
      LLVM::CallOp::create(b, loc, parallelFor,
                           ValueRange{bodyPtr, context, count});
    }
    loop->erase();
  }

  /// `void NAME(ptr context, i64 begin, i64 end)`, running iterations
  /// [begin, end) of the loop's collapsed range.
  func::FuncOp buildBody(func::FuncOp parent, Operation *loop,
                         const LoopDims &dims, ArrayRef<Value> recreated,
                         ArrayRef<Value> captured, ArrayRef<Type> fieldTypes,
                         Type contextType, SymbolTable &symbols) {
    MLIRContext *ctx = &getContext();
    Location loc = loop->getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto type = FunctionType::get(ctx, {ptrType, i64, i64}, {});

    auto body =
        func::FuncOp::create(loc, parent.getSymName().str() + "_parallel", type);
    body.setPrivate();
    // Renamed on a clash (_parallel_0, ...), placed after its parent.
    symbols.insert(body, std::next(Block::iterator(parent)));
    Block *entry = body.addEntryBlock();
    OpBuilder b(ctx);
    b.setInsertionPointToStart(entry);

    IRMapping map;
    for (Value value : recreated) {
      Operation *clone = b.clone(*value.getDefiningOp());
      map.map(value, clone->getResult(cast<OpResult>(value).getResultNumber()));
    }
    Value context = entry->getArgument(0);
    for (auto [index, value, field] : llvm::enumerate(captured, fieldTypes)) {
      Value slot = LLVM::GEPOp::create(
          b, loc, ptrType, contextType, context,
          ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(index)});
      Value loaded = LLVM::LoadOp::create(b, loc, field, slot);
      if (value.getType() != field)
        loaded = UnrealizedConversionCastOp::create(b, loc, value.getType(), loaded)
                     .getResult(0);
      map.map(value, loaded);
    }
    Value begin = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                             entry->getArgument(1));
    Value end = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                           entry->getArgument(2));

    if (dims.ivs.size() == 1) {
      // One dimension: iterations begin..end are lb + i * step directly.
      Value lb = map.lookup(dims.lbs[0]), step = map.lookup(dims.steps[0]);
      Value first = arith::AddIOp::create(
          b, loc, lb, arith::MulIOp::create(b, loc, begin, step));
      Value last = arith::AddIOp::create(
          b, loc, lb, arith::MulIOp::create(b, loc, end, step));
      auto inner = scf::ForOp::create(b, loc, first, last, step);
      map.map(dims.ivs[0], inner.getInductionVar());
      b.setInsertionPoint(inner.getBody()->getTerminator());
    } else {
      // Several: one linear index, split back into row-major coordinates.
      SmallVector<Value> counts;
      for (auto [lb, ub, step] : llvm::zip(dims.lbs, dims.ubs, dims.steps))
        counts.push_back(emitTripCount(b, loc, map.lookup(lb), map.lookup(ub),
                                       map.lookup(step)));
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      auto inner = scf::ForOp::create(b, loc, begin, end, one);
      b.setInsertionPoint(inner.getBody()->getTerminator());
      Value rest = inner.getInductionVar();
      for (int64_t d = dims.ivs.size() - 1; d >= 0; --d) {
        Value index = rest;
        if (d > 0) {
          index = arith::RemUIOp::create(b, loc, rest, counts[d]);
          rest = arith::DivUIOp::create(b, loc, rest, counts[d]);
        }
        Value offset = arith::MulIOp::create(b, loc, index, map.lookup(dims.steps[d]));
        map.map(dims.ivs[d],
                arith::AddIOp::create(b, loc, map.lookup(dims.lbs[d]), offset));
      }
    }
    for (Operation &op : dims.body->without_terminator())
      b.clone(op, map);
    b.setInsertionPointToEnd(entry);
    func::ReturnOp::create(b, loc);
    return body;
  }

  /// The runtime's entry point, declared extern_weak: a model without
  /// parallel loops never references it, and one with them still loads into
  /// a process that does not export it.
  LLVM::LLVMFuncOp getOrDeclareParallelFor(SymbolTable &symbols) {
    if (auto existing = symbols.lookup<LLVM::LLVMFuncOp>(kParallelFor))
      return existing;
    MLIRContext *ctx = &getContext();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto type = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(ctx), {ptrType, ptrType, IntegerType::get(ctx, 64)});
    OpBuilder b(ctx);
    b.setInsertionPointToStart(getOperation().getBody());
    auto decl = LLVM::LLVMFuncOp::create(b, getOperation().getLoc(), kParallelFor,
                                         type, LLVM::Linkage::ExternWeak);
    symbols.insert(decl);
    return decl;
  }
};

} // namespace
