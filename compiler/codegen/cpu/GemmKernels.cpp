// sinter-gemm-kernels: f32 matmuls as blocked loops around a register tile of vector FMAs.
//
// The loop nest, for C[M,N] += A[M,K] * B[K,N] (a batch matmul runs it once per
// batch element):
//
//   for kc in [0, K) step KC                      K block: the B panel stays in L1
//     pack B[kc:kc+KC, :] into Bp[N/NR][KC][NR]   zero-padded to whole panels
//     for ic in [0, M) step MC                    M block: the A block stays in L2
//       pack A[ic:ic+MC, kc:kc+KC] into Ap[MC/MR][KC][MR]
//       for p in panels                           sinter.parallel
//         for ir in [ic, ic+MC) step MR           one register tile
//           acc[MR][NR/L] = C tile (or zero on the first K block after a zero fill)
//           for k in [0, KC): acc[r] += broadcast(Ap[ir/MR][k][r]) * Bp[p][k]
//           C tile = acc
//
// Packing makes both operands of the K loop contiguous streams: read in
// place, the MR rows of A (and the rows of B) sit a power-of-two stride apart
// in the big GEMMs and fight over the same few L1 sets. An operand that is a
// constant (a conv filter, a Gemm weight) is packed once, at compile time,
// into a global of the same layout over all of K; the run then only reads it.
// With a constant A (a conv's filter) the panel loop is the outermost one,
// K blocks and row tiles inside: each panel packs its own part of B, so one
// parallel loop per GEMM suffices.
// The accumulators are loop-carried SSA values, so they live in registers
// whatever the later passes can prove about the buffers. Every size is static:
// the last panel (N % NR columns) and the last rows (M % MR) get tiles of their
// own static shape, with masked loads and stores of C where a vector is partial.
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_GEMMKERNELS
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;

namespace {

/// Marks a loop whose iterations are independent (see sinter-outline-parallel).
constexpr llvm::StringLiteral kParallel = "sinter.parallel";

/// The blocking of one GEMM.
struct Plan {
  int64_t lanes;     // f32 per vector register
  int64_t rows;      // MR: rows of the register tile
  int64_t vectors;   // NR / lanes: vectors per row of the register tile
  int64_t mc;        // rows of an M block, a multiple of `rows`
  int64_t kc;        // depth of a K block
  bool packB;        // B is copied into panels before each K block
  bool packA;        // the A block is copied into row tiles before use

  int64_t nr() const { return vectors * lanes; }
};

bool isF32Buffer(Value value, int64_t rank) {
  auto type = dyn_cast<MemRefType>(value.getType());
  return type && type.hasStaticShape() && type.getRank() == rank &&
         type.getElementType().isF32();
}

/// Whether the innermost dimension is contiguous, so rows load as vectors.
bool hasUnitInnerStride(Value value) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides.back() == 1;
}

/// Whether `op` is a plain row-major C += A x B of f32 buffers with static
/// shapes (no transposed or broadcast operand maps).
bool isPlainGemm(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics())
    return false;
  bool batch = isa<linalg::BatchMatmulOp>(op);
  if (!batch && !isa<linalg::MatmulOp>(op))
    return false;
  int64_t rank = batch ? 3 : 2;
  Value a = op.getDpsInputOperand(0)->get(), b = op.getDpsInputOperand(1)->get(),
        c = op.getDpsInitOperand(0)->get();
  if (!isF32Buffer(a, rank) || !isF32Buffer(b, rank) || !isF32Buffer(c, rank))
    return false;
  // The default maps: (b,) m, n, k -> A[m, k], B[k, n], C[m, n].
  MLIRContext *ctx = op->getContext();
  unsigned dims = rank + 1;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto map = [&](AffineExpr x, AffineExpr y) {
    SmallVector<AffineExpr> results;
    if (batch)
      results.push_back(d(0));
    results.append({x, y});
    return AffineMap::get(dims, 0, results, ctx);
  };
  unsigned m = batch ? 1 : 0;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps != SmallVector<AffineMap>{map(d(m), d(m + 2)), map(d(m + 2), d(m + 1)),
                                     map(d(m), d(m + 1))})
    return false;
  // C is read and written as vectors.
  return hasUnitInnerStride(c);
}

/// The linalg.fill of zero that `op`'s accumulator gets right before it, if
/// any: the kernel then starts from zero instead of reading C back.
linalg::FillOp zeroFillBefore(linalg::LinalgOp op) {
  Value c = op.getDpsInitOperand(0)->get();
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
      if (fill.getDpsInitOperand(0)->get() != c || !fill.hasPureBufferSemantics())
        return nullptr;
      return matchPattern(fill.getDpsInputOperand(0)->get(), m_AnyZeroFloat())
                 ? fill
                 : nullptr;
    }
    // Only ops that touch no memory may sit between the fill and the GEMM.
    if (!isMemoryEffectFree(prev))
      return nullptr;
  }
  return nullptr;
}

/// An elementwise op that consumes the GEMM's result, applied to the
/// accumulators of the last K block instead of in a pass of its own (a
/// conv's bias and ReLU, a Gemm's bias, a residual add). The op's iteration
/// space is C's, [M, N], possibly split into more dims by a reshape:
/// `mDims` dims make up M and the rest N, row-major.
struct Epilogue {
  linalg::GenericOp op;
  unsigned resultInput;            // the input operand that is C
  SmallVector<int64_t> mSizes;     // sizes of the dims that make up M
  unsigned mDims = 0;
  Value out;                       // the output, viewed as [M, N]
  // Per other input: how a tile reads it.
  enum class Access { Scalar, Row, Column, Full };
  SmallVector<Access> access;
  SmallVector<Value> views;        // the input, or its [M, N] / [N] view
};

class GemmEmitter {
public:
  GemmEmitter(OpBuilder &builder, Location loc, const Plan &plan)
      : b(builder), loc(loc), plan(plan),
        vectorType(VectorType::get({plan.lanes}, builder.getF32Type())) {}

  /// C += A x B for 2-D buffers; Bp is the panel buffer when B is packed.
  /// `constAp`/`constBp`: the packed operand is a compile-time global over
  /// all of K (indexed by absolute k; A's tiles by absolute row tile).
  void emit(Value a, Value bMat, Value c, Value bp, Value ap, bool zeroInit,
            bool constAp = false, bool constBp = false) {
    A = a;
    B = bMat;
    C = c;
    Bp = bp;
    Ap = ap;
    this->constAp = constAp;
    this->constBp = constBp;
    this->zeroInit = zeroInit;
    auto shape = [](Value v) { return cast<MemRefType>(v.getType()).getShape(); };
    M = shape(c)[0];
    N = shape(c)[1];
    K = shape(a)[1];
    fullPanels = N / plan.nr();
    tailCols = N % plan.nr();
    panels = fullPanels + (tailCols ? 1 : 0);
    fullRows = M / plan.rows * plan.rows;
    tailRows = M % plan.rows;

    if (constAp && !Bp) {
      // A constant A and B read in place: nothing is written but C, so the
      // row tiles run on threads, each streaming its share of A once.
      scf::ForOp rowLoop = forLoop(0, fullRows, plan.rows, [&](Value ir) {
        panelSerialLoop([&](Value p, int64_t cols) {
          kBlocks([&](Value kc, Value kb, Value first) {
            tile(ir, p, cols, plan.rows, kc, kb, first);
          });
        });
      });
      rowLoop->setAttr(kParallel, b.getUnitAttr());
      if (tailRows > 0)
        panelSerialLoop([&](Value p, int64_t cols) {
          kBlocks([&](Value kc, Value kb, Value first) {
            tile(cst(fullRows), p, cols, tailRows, kc, kb, first);
          });
        });
      return;
    }
    if (constAp) {
      // A needs no packing at run time, so nothing is shared between panels
      // but read-only data: one parallel loop over the panels, with the K
      // blocks inside, instead of one per K and M block (a deep conv has a
      // hundred of them, each too short to be worth waking a thread).
      panelLoop([&](Value p, int64_t cols) {
        kBlocks([&](Value kc, Value kb, Value first) {
          if (!constBp)
            packPanel(p, cols, kc, kb);
          if (fullRows > 0)
            forLoop(0, fullRows, plan.rows, [&](Value ir) {
              tile(ir, p, cols, plan.rows, kc, kb, first);
            });
          if (tailRows > 0)
            tile(cst(fullRows), p, cols, tailRows, kc, kb, first);
        });
      });
      return;
    }
    kBlocks([&](Value kc, Value kb, Value first) {
      if (Bp && !constBp)
        panelLoop([&](Value p, int64_t cols) { packPanel(p, cols, kc, kb); });
      if (fullRows > 0)
        forLoop(0, fullRows, plan.mc, [&](Value ic) {
          Value mb = minIndex(cst(plan.mc), sub(cst(fullRows), ic));
          if (Ap)
            packRows(ic, mb, kc, kb);
          panelLoop([&](Value p, int64_t cols) {
            forLoop(cst(0), mb, cst(plan.rows), [&](Value ir) {
              tile(add(ic, ir), p, cols, plan.rows, kc, kb, first, ir);
            });
          });
        });
      // The last rows read A in place: the packed blocks hold whole tiles.
      if (tailRows > 0)
        panelLoop([&](Value p, int64_t cols) {
          tile(cst(fullRows), p, cols, tailRows, kc, kb, first);
        });
    });
  }

private:
  OpBuilder &b;
  Location loc;
  Plan plan;
  VectorType vectorType;
  Value A, B, C, Bp, Ap;
  bool zeroInit = false, constAp = false, constBp = false;
  const Epilogue *epilogue = nullptr;

public:
  void setEpilogue(const Epilogue *e) { epilogue = e; }

private:
  int64_t M = 0, N = 0, K = 0;
  int64_t fullPanels = 0, tailCols = 0, panels = 0, fullRows = 0, tailRows = 0;

  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) { return arith::MulIOp::create(b, loc, x, cst(y)); }
  Value minIndex(Value x, Value y) {
    return arith::MinSIOp::create(b, loc, x, y);
  }

  template <typename Fn>
  scf::ForOp forLoop(Value lb, Value ub, Value step, Fn &&body) {
    auto loop = scf::ForOp::create(b, loc, lb, ub, step);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    body(loop.getInductionVar());
    return loop;
  }
  template <typename Fn>
  scf::ForOp forLoop(int64_t lb, int64_t ub, int64_t step, Fn &&body) {
    return forLoop(cst(lb), cst(ub), cst(step), std::forward<Fn>(body));
  }

  /// Runs `body(kc, kb, first)` over the K blocks: block start, depth, and
  /// whether it is the first block.
  template <typename Fn> void kBlocks(Fn &&body) {
    forLoop(0, K, plan.kc, [&](Value kc) {
      Value kb = minIndex(cst(plan.kc), sub(cst(K), kc));
      Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, kc,
                                          cst(0));
      body(kc, kb, first);
    });
  }

  /// Runs `body(panel, valid columns)` over every panel of NR columns, on
  /// threads: the panels write disjoint columns of C.
  /// The last, partial panel is an iteration of the same loop, so that it
  /// too runs beside the others.
  template <typename Fn> void panelLoop(Fn &&body) {
    scf::ForOp loop = panelSerialLoop(std::forward<Fn>(body));
    loop->setAttr(kParallel, b.getUnitAttr());
  }

  template <typename Fn> scf::ForOp panelSerialLoop(Fn &&body) {
    scf::ForOp loop = forLoop(0, panels, 1, [&](Value p) {
      if (tailCols == 0)
        return body(p, plan.nr());
      if (fullPanels == 0)
        return body(p, tailCols);
      Value full = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, p,
                                         cst(fullPanels));
      auto branch = scf::IfOp::create(b, loc, full, /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(branch.thenBlock()->getTerminator());
      body(p, plan.nr());
      b.setInsertionPoint(branch.elseBlock()->getTerminator());
      body(p, tailCols);
    });
    return loop;
  }

  /// The mask of the first `lanes` lanes.
  Value mask(int64_t lanes) {
    return vector::ConstantMaskOp::create(
        b, loc, VectorType::get({plan.lanes}, b.getI1Type()),
        ArrayRef<int64_t>{lanes});
  }
  Value zeros() {
    return arith::ConstantOp::create(
        b, loc, vectorType, DenseElementsAttr::get(vectorType, 0.0f));
  }

  /// Lanes [0, valid) of a row of `buffer` (unit inner stride) at `indices`,
  /// zero beyond.
  Value loadRow(Value buffer, ValueRange indices, int64_t valid) {
    if (valid >= plan.lanes)
      return vector::LoadOp::create(b, loc, vectorType, buffer, indices);
    if (valid <= 0)
      return zeros();
    return vector::MaskedLoadOp::create(b, loc, vectorType, buffer, indices,
                                        mask(valid), zeros());
  }

  /// Lanes [0, valid) of a row of a strided B, element by element.
  Value loadStrided(Value k, Value col, int64_t valid) {
    SmallVector<Value> elements;
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
    for (int64_t lane = 0; lane < plan.lanes; ++lane)
      elements.push_back(lane < valid ? memref::LoadOp::create(
                                            b, loc, B, ValueRange{k, add(col, cst(lane))})
                                      : zero);
    return vector::FromElementsOp::create(b, loc, vectorType, elements);
  }

  /// Copies B[kc:kc+kb, panel p] into Bp[p][k][0:NR], zero-padding a last,
  /// partial panel.
  void packPanel(Value p, int64_t cols, Value kc, Value kb) {
    Value col0 = mul(p, plan.nr());
    forLoop(cst(0), kb, cst(1), [&](Value k) {
      Value row = add(kc, k);
      for (int64_t v = 0; v < plan.vectors; ++v) {
        int64_t valid = cols - v * plan.lanes;
        Value col = add(col0, cst(v * plan.lanes));
        Value vec = hasUnitInnerStride(B) ? loadRow(B, {row, col}, valid)
                                          : loadStrided(row, col, valid);
        vector::StoreOp::create(b, loc, vec, Bp,
                                ValueRange{p, k, cst(v * plan.lanes)});
      }
    });
  }

  /// Copies A[ic:ic+mb, kc:kc+kb] into Ap[t][k][0:MR], t the row tile; the
  /// tiles are independent, so they are copied on threads.
  void packRows(Value ic, Value mb, Value kc, Value kb) {
    Value tiles = arith::DivUIOp::create(b, loc, mb, cst(plan.rows));
    scf::ForOp loop = forLoop(cst(0), tiles, cst(1), [&](Value t) {
      Value row0 = add(ic, mul(t, plan.rows));
      auto rowType = VectorType::get({plan.rows}, b.getF32Type());
      forLoop(cst(0), kb, cst(1), [&](Value k) {
        Value col = add(kc, k);
        SmallVector<Value> elements;
        for (int64_t r = 0; r < plan.rows; ++r)
          elements.push_back(memref::LoadOp::create(
              b, loc, A, ValueRange{add(row0, cst(r)), col}));
        Value row = vector::FromElementsOp::create(b, loc, rowType, elements);
        vector::StoreOp::create(b, loc, row, Ap, ValueRange{t, k, cst(0)});
      });
    });
    loop->setAttr(kParallel, b.getUnitAttr());
  }

  /// One register tile: `rows` rows from `row0`, the valid `cols` columns of
  /// panel `p`, summed over the K block [kc, kc+kb). A constant Ap is read
  /// at tile `row0` / MR; a block packed at run time at `blockRow` / MR (the
  /// row within the block); without either, A is read in place.
  void tile(Value row0, Value p, int64_t cols, int64_t rows, Value kc, Value kb,
            Value first, Value blockRow = nullptr) {
    // A constant Ap holds every row tile; a packed block only its own.
    Value packedTile;
    if (Ap && constAp)
      packedTile = arith::DivUIOp::create(b, loc, row0, cst(plan.rows));
    else if (Ap && blockRow)
      packedTile = arith::DivUIOp::create(b, loc, blockRow, cst(plan.rows));

    Value col0 = mul(p, plan.nr());
    int64_t vectors = std::min<int64_t>(plan.vectors,
                                        llvm::divideCeil(cols, plan.lanes));
    auto valid = [&](int64_t v) { return cols - v * plan.lanes; };
    SmallVector<Type> accTypes(rows * vectors, vectorType);

    // The accumulators: C as it is, or zero on the first K block.
    auto loadC = [&]() {
      SmallVector<Value> acc;
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t v = 0; v < vectors; ++v)
          acc.push_back(loadRow(C, {add(row0, cst(r)), add(col0, cst(v * plan.lanes))},
                                valid(v)));
      return acc;
    };
    SmallVector<Value> init;
    if (zeroInit && K <= plan.kc) {
      // One K block: it is always the first.
      init.assign(rows * vectors, zeros());
    } else if (zeroInit) {
      auto branch = scf::IfOp::create(b, loc, accTypes, first, true, true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(branch.thenBlock());
      scf::YieldOp::create(b, loc, SmallVector<Value>(rows * vectors, zeros()));
      b.setInsertionPointToStart(branch.elseBlock());
      scf::YieldOp::create(b, loc, loadC());
      init.assign(branch.getResults().begin(), branch.getResults().end());
    } else {
      init = loadC();
    }

    auto loop = scf::ForOp::create(b, loc, cst(0), kb, cst(1), init);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value k = loop.getInductionVar();
      Value kAbs = add(kc, k);
      Value kAp = constAp ? kAbs : k, kBp = constBp ? kAbs : k;
      SmallVector<Value> bRow;
      for (int64_t v = 0; v < vectors; ++v) {
        if (Bp)
          bRow.push_back(vector::LoadOp::create(
              b, loc, vectorType, Bp, ValueRange{p, kBp, cst(v * plan.lanes)}));
        else // a strided B is always packed
          bRow.push_back(loadRow(B, {kAbs, add(col0, cst(v * plan.lanes))}, valid(v)));
      }
      SmallVector<Value> next;
      ValueRange acc = loop.getRegionIterArgs();
      for (int64_t r = 0; r < rows; ++r) {
        Value a = packedTile
                      ? memref::LoadOp::create(b, loc, Ap,
                                               ValueRange{packedTile, kAp, cst(r)})
                      : memref::LoadOp::create(b, loc, A,
                                               ValueRange{add(row0, cst(r)), kAbs});
        Value splat = vector::BroadcastOp::create(b, loc, vectorType, a);
        for (int64_t v = 0; v < vectors; ++v)
          next.push_back(vector::FMAOp::create(b, loc, splat, bRow[v],
                                               acc[r * vectors + v]));
      }
      scf::YieldOp::create(b, loc, next);
    }

    auto store = [&](Value buffer, bool withEpilogue) {
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t v = 0; v < vectors; ++v) {
          Value value = loop.getResult(r * vectors + v);
          Value row = add(row0, cst(r)), col = add(col0, cst(v * plan.lanes));
          if (withEpilogue)
            value = applyEpilogue(value, row, col, valid(v));
          if (valid(v) >= plan.lanes)
            vector::StoreOp::create(b, loc, value, buffer, ValueRange{row, col});
          else
            vector::MaskedStoreOp::create(b, loc, buffer, ValueRange{row, col},
                                          mask(valid(v)), value);
        }
    };
    if (!epilogue)
      return store(C, false);
    if (K <= plan.kc)
      return store(epilogue->out, true);
    // Earlier K blocks leave partial sums in C; the last applies the epilogue.
    Value last = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                       add(kc, kb), cst(K));
    auto branch = scf::IfOp::create(b, loc, last, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(branch.thenBlock()->getTerminator());
    store(epilogue->out, true);
    b.setInsertionPoint(branch.elseBlock()->getTerminator());
    store(C, false);
  }

  /// The epilogue's body on one vector of the tile: element (row, col..).
  Value applyEpilogue(Value acc, Value row, Value col, int64_t valid) {
    linalg::GenericOp op = epilogue->op;
    Block &body = op.getRegion().front();
    IRMapping map;
    map.map(body.getArgument(epilogue->resultInput), acc);
    // The indices of the M dims, for inputs read per row.
    SmallVector<Value> mIndex(epilogue->mDims);
    Value rest = row;
    for (int d = epilogue->mDims - 1; d >= 0; --d) {
      int64_t size = epilogue->mSizes[d];
      mIndex[d] = d == 0 ? rest : arith::RemUIOp::create(b, loc, rest, cst(size));
      if (d > 0)
        rest = arith::DivUIOp::create(b, loc, rest, cst(size));
    }
    unsigned other = 0;
    for (OpOperand *input : op.getDpsInputOperands()) {
      unsigned index = input->getOperandNumber();
      if (index == epilogue->resultInput)
        continue;
      Value view = epilogue->views[other];
      Value value;
      switch (epilogue->access[other++]) {
      case Epilogue::Access::Scalar: {
        Value scalar = isa<MemRefType>(view.getType())
                           ? memref::LoadOp::create(b, loc, view, ValueRange{})
                                 .getResult()
                           : view;
        value = vector::BroadcastOp::create(b, loc, vectorType, scalar);
        break;
      }
      case Epilogue::Access::Row: {
        SmallVector<Value> at;
        for (AffineExpr expr : op.getMatchingIndexingMap(input).getResults())
          at.push_back(mIndex[cast<AffineDimExpr>(expr).getPosition()]);
        value = vector::BroadcastOp::create(
            b, loc, vectorType, memref::LoadOp::create(b, loc, view, at));
        break;
      }
      case Epilogue::Access::Column:
        value = loadRow(view, {col}, valid);
        break;
      case Epilogue::Access::Full:
        value = loadRow(view, {row, col}, valid);
        break;
      }
      map.map(body.getArgument(index), value);
    }
    for (Operation &inner : body.without_terminator()) {
      SmallVector<Value> operands;
      for (Value operand : inner.getOperands()) {
        if (Value mapped = map.lookupOrNull(operand)) {
          operands.push_back(mapped);
          continue;
        }
        // A scalar from outside the body (a constant): one per lane.
        operands.push_back(vector::BroadcastOp::create(
            b, loc, VectorType::get({plan.lanes}, operand.getType()), operand));
      }
      OperationState state(loc, inner.getName(), operands, {}, inner.getAttrs());
      for (Type type : inner.getResultTypes())
        state.types.push_back(VectorType::get({plan.lanes}, type));
      Operation *clone = b.create(state);
      map.map(inner.getResults(), clone->getResults());
    }
    return map.lookup(body.getTerminator()->getOperand(0));
  }
};

/// The f32 data of a constant buffer: `value` is a memref.get_global of a
/// constant global with dense data (seen through reshapes, which keep the
/// row-major order), or null.
DenseElementsAttr constantData(Value value) {
  while (true) {
    if (auto collapse = value.getDefiningOp<memref::CollapseShapeOp>())
      value = collapse.getSrc();
    else if (auto expand = value.getDefiningOp<memref::ExpandShapeOp>())
      value = expand.getSrc();
    else
      break;
  }
  auto get = value.getDefiningOp<memref::GetGlobalOp>();
  if (!get || !cast<MemRefType>(get.getType()).getLayout().isIdentity())
    return nullptr;
  auto global =
      SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(get, get.getNameAttr());
  if (!global || !global.getConstant())
    return nullptr;
  auto data = dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr());
  return data && data.getElementType().isF32() ? data : nullptr;
}

/// The transpose that fills `value` from a constant 2-D buffer, when that is
/// all that writes `value` and `gemm` all that reads it (exporters tie an
/// embedding table to the LM head this way, as MatMul(x, Transpose(W))).
linalg::TransposeOp constantTranspose(Value value, Operation *gemm) {
  if (!value.getDefiningOp<memref::AllocOp>())
    return nullptr;
  linalg::TransposeOp transpose;
  for (Operation *user : value.getUsers()) {
    if (user == gemm)
      continue;
    auto op = dyn_cast<linalg::TransposeOp>(user);
    if (!op || transpose || op.getInit() != value ||
        op.getPermutation() != ArrayRef<int64_t>{1, 0} ||
        op->getBlock() != gemm->getBlock() || !op->isBeforeInBlock(gemm))
      return nullptr;
    transpose = op;
  }
  return transpose && constantData(transpose.getInput()) ? transpose : nullptr;
}

/// The row-major f32 values of `data`.
std::vector<float> floats(DenseElementsAttr data) {
  if (data.isSplat())
    return std::vector<float>(data.getNumElements(), data.getSplatValue<float>());
  auto values = data.getValues<float>();
  return std::vector<float>(values.begin(), values.end());
}

/// Whether a body op has a vector form on every target: arith, and the
/// math ops that lower to vector intrinsics.
bool isVectorizableScalarOp(Operation &op) {
  if (!isa_and_nonnull<arith::ArithDialect>(op.getDialect()) &&
      !isa<math::AbsFOp, math::FmaOp, math::SqrtOp, math::CeilOp,
           math::FloorOp, math::CopySignOp>(op))
    return false;
  return llvm::all_of(op.getResultTypes(), [](Type type) {
    return type.isF32() || type.isInteger(1) || type.isInteger(32);
  });
}

/// The [M, N] view of `value`, whose dims are the M dims then the N dims of
/// `shape` (identity layout): `value` itself when it is 2-D already.
Value collapseTo2D(OpBuilder &b, Location loc, Value value, unsigned mDims) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() == 2 && mDims == 1)
    return value;
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t d = 0; d < type.getRank(); ++d)
    groups[d < mDims ? 0 : 1].push_back(d);
  return memref::CollapseShapeOp::create(b, loc, value, groups);
}

/// The 1-D view of an identity-layout buffer.
Value collapseTo1D(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() == 1)
    return value;
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return memref::CollapseShapeOp::create(b, loc, value,
                                         ArrayRef<ReassociationIndices>{all});
}

/// The elementwise consumer of `gemm`'s result that can run on its
/// accumulators, with the views the tiles read through; builds the views
/// at `b`. None when anything else could observe C or the shapes differ.
std::optional<Epilogue> findEpilogue(OpBuilder &b, linalg::LinalgOp gemm,
                                     DominanceInfo &dominance) {
  Value c = gemm.getDpsInitOperand(0)->get();
  if (!c.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  auto cShape = cast<MemRefType>(c.getType()).getShape();
  // The next op that touches memory.
  Operation *next = gemm->getNextNode();
  while (next && isMemoryEffectFree(next))
    next = next->getNextNode();
  auto op = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!op || !op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.hasIndexSemantics())
    return std::nullopt;
  // C is read by the op, directly or through one expand_shape, and by
  // nothing else but the GEMM and a fill before it.
  Value read;
  unsigned mDims = 1;
  for (Operation *user : c.getUsers()) {
    if (user == gemm.getOperation() || isa<linalg::FillOp>(user))
      continue;
    if (user == op.getOperation() && !read) {
      read = c;
      continue;
    }
    auto expand = dyn_cast<memref::ExpandShapeOp>(user);
    if (!expand || read || !expand->hasOneUse() ||
        *expand->getUsers().begin() != op.getOperation() ||
        expand.getReassociationIndices().size() != 2)
      return std::nullopt;
    read = expand.getResult();
    mDims = expand.getReassociationIndices()[0].size();
  }
  if (!read)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.size() < 2 || mDims >= ranges.size())
    return std::nullopt;
  int64_t m = 1, n = 1;
  for (auto [d, size] : llvm::enumerate(ranges))
    (d < mDims ? m : n) *= size;
  if (m != cShape[0] || n != cShape[1])
    return std::nullopt;

  Epilogue epilogue;
  epilogue.op = op;
  epilogue.mDims = mDims;
  epilogue.mSizes.assign(ranges.begin(), ranges.begin() + mDims);
  Block &body = op.getRegion().front();
  if (!body.getArgument(op.getNumDpsInputs()).use_empty() ||
      !llvm::all_of(body.without_terminator(), isVectorizableScalarOp))
    return std::nullopt;

  // The output: identity map and layout, so that it has an [M, N] view.
  OpOperand *init = op.getDpsInitOperand(0);
  auto outType = dyn_cast<MemRefType>(init->get().getType());
  if (!outType || !outType.getLayout().isIdentity() ||
      !outType.getElementType().isF32() ||
      !op.getMatchingIndexingMap(init).isIdentity())
    return std::nullopt;
  Value out = init->get();
  if (!dominance.properlyDominates(out, gemm)) {
    // A buffer allocated for the result moves up to the GEMM.
    auto alloc = out.getDefiningOp<memref::AllocOp>();
    if (!alloc || alloc->getNumOperands() != 0 ||
        alloc->getBlock() != gemm->getBlock())
      return std::nullopt;
  }

  SmallVector<std::pair<Epilogue::Access, Value>> inputs;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    Value value = input->get();
    if (value == read) {
      if (!map.isIdentity())
        return std::nullopt;
      epilogue.resultInput = input->getOperandNumber();
      continue;
    }
    if (!dominance.properlyDominates(value, gemm))
      return std::nullopt;
    auto type = dyn_cast<MemRefType>(value.getType());
    if (!type) {
      inputs.push_back({Epilogue::Access::Scalar, value});
      continue;
    }
    if (!type.hasStaticShape() || !type.getElementType().isF32())
      return std::nullopt;
    if (type.getRank() == 0) {
      inputs.push_back({Epilogue::Access::Scalar, value});
      continue;
    }
    SmallVector<unsigned> dims;
    for (AffineExpr expr : map.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim)
        return std::nullopt;
      dims.push_back(dim.getPosition());
    }
    bool identityLayout = type.getLayout().isIdentity();
    if (map.isIdentity() && identityLayout) {
      inputs.push_back({Epilogue::Access::Full, value});
    } else if (llvm::all_of(dims, [&](unsigned d) { return d < mDims; })) {
      inputs.push_back({Epilogue::Access::Row, value});
    } else if (identityLayout && dims.size() == ranges.size() - mDims &&
               llvm::all_of(llvm::enumerate(dims), [&](auto entry) {
                 return entry.value() == mDims + entry.index();
               })) {
      inputs.push_back({Epilogue::Access::Column, value});
    } else {
      return std::nullopt;
    }
  }

  // Everything checks: move the output's buffer up and build the views.
  if (!dominance.properlyDominates(out, gemm))
    out.getDefiningOp()->moveBefore(gemm);
  Location loc = op.getLoc();
  epilogue.out = collapseTo2D(b, loc, out, mDims);
  for (auto [access, value] : inputs) {
    epilogue.access.push_back(access);
    if (access == Epilogue::Access::Full)
      value = collapseTo2D(b, loc, value, mDims);
    else if (access == Epilogue::Access::Column)
      value = collapseTo1D(b, loc, value);
    epilogue.views.push_back(value);
  }
  return epilogue;
}

struct GemmKernels : mlir::sinter::impl::GemmKernelsBase<GemmKernels> {
  using GemmKernelsBase::GemmKernelsBase;

  int64_t lanes() const { return std::max<int64_t>(4, vectorBits / 32); }

  Plan plan(int64_t m, int64_t n, bool batch, bool bUnitStride,
            bool allocOk) const {
    Plan p;
    p.lanes = lanes();
    // Accumulators fill about 3/4 of the register file (16 registers, or 32
    // with AVX-512), leaving room for the B row and the broadcast A element.
    int64_t budget = vectorBits >= 512 ? 24 : 12;
    p.rows = registerTile.size() == 2 ? registerTile[0] : budget / 2;
    p.vectors = registerTile.size() == 2 ? registerTile[1] : 2;
    // Channel counts are multiples of 8 and rarely of 6 or 12: rather than a
    // thin last tile (64 = 5 x 12 + 4), a tile shape that divides M, with the
    // same number of accumulators where the register file allows.
    if (registerTile.size() != 2 && m % p.rows != 0 && m > p.rows) {
      if (budget == 24 && m % 8 == 0) {
        p.rows = 8;
      } else if (budget == 12 && m % 4 == 0) {
        p.rows = 4;
        p.vectors = 3;
      }
    }
    if (registerTile.size() != 2 && m < p.rows) {
      // Few rows (a GEMV): wider tiles keep enough independent FMAs in flight.
      p.rows = m;
      p.vectors = std::clamp<int64_t>(budget / m, 1, 8);
    }
    p.vectors = std::max<int64_t>(
        1, std::min<int64_t>(p.vectors, llvm::divideCeil(n, p.lanes)));
    int64_t mcRows = cacheTile.size() == 2 ? cacheTile[0] : 96;
    p.mc = std::max<int64_t>(1, mcRows / p.rows) * p.rows;
    p.kc = cacheTile.size() == 2 ? cacheTile[1] : 256;
    // Packing pays for itself when each B element is reused by several row
    // tiles; a strided B is always packed. A batch element's B is small and
    // each batch runs on its own thread, so it is read in place.
    p.packB = allocOk && ((!batch && m >= 2 * p.rows) || !bUnitStride);
    // An A block is reused by every panel: worth packing from two panels on.
    p.packA = allocOk && !batch && m >= p.rows && n > p.nr();
    return p;
  }

  /// A private constant global holding `values` as `type`; returns a
  /// get_global of it at `b`'s insertion point.
  Value packedGlobal(OpBuilder &b, Location loc, StringRef name, MemRefType type,
                     ArrayRef<float> values) {
    ModuleOp module = getOperation();
    OpBuilder top(module.getBodyRegion());
    auto tensorType = RankedTensorType::get(type.getShape(), type.getElementType());
    auto global = memref::GlobalOp::create(
        top, loc, name, top.getStringAttr("private"), type,
        DenseElementsAttr::get(tensorType, values), /*constant=*/true,
        top.getI64IntegerAttr(64));
    symbols->insert(global); // renames it if the name is taken
    return memref::GetGlobalOp::create(b, loc, type, global.getSymName());
  }

  /// A constant A packed into [ceil(M/MR)][K][MR], the last tile zero-padded.
  Value packConstantA(OpBuilder &b, Location loc, DenseElementsAttr data,
                      int64_t m, int64_t k, const Plan &p) {
    std::vector<float> a = floats(data);
    int64_t tiles = llvm::divideCeil(m, p.rows);
    std::vector<float> packed(tiles * k * p.rows, 0.0f);
    for (int64_t row = 0; row < m; ++row)
      for (int64_t col = 0; col < k; ++col)
        packed[((row / p.rows) * k + col) * p.rows + row % p.rows] = a[row * k + col];
    return packedGlobal(b, loc, "__sinter_packed_a",
                        MemRefType::get({tiles, k, p.rows}, b.getF32Type()), packed);
  }

  /// A constant B packed into [ceil(N/NR)][K][NR], the last panel
  /// zero-padded; `transposed`: the data is B's transpose, [N][K].
  Value packConstantB(OpBuilder &b, Location loc, DenseElementsAttr data,
                      bool transposed, int64_t k, int64_t n, const Plan &p) {
    std::vector<float> values = floats(data);
    int64_t nr = p.nr(), panels = llvm::divideCeil(n, nr);
    std::vector<float> packed(panels * k * nr, 0.0f);
    for (int64_t row = 0; row < k; ++row)
      for (int64_t col = 0; col < n; ++col)
        packed[((col / nr) * k + row) * nr + col % nr] =
            transposed ? values[col * k + row] : values[row * n + col];
    return packedGlobal(b, loc, "__sinter_packed_b",
                        MemRefType::get({panels, k, nr}, b.getF32Type()), packed);
  }

  std::optional<SymbolTable> symbols;
  DominanceInfo *dominance = nullptr; // of the operation being run on

  void runOnOperation() override {
    symbols.emplace(getOperation());
    DominanceInfo info(getOperation());
    dominance = &info;
    SmallVector<linalg::LinalgOp> gemms;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isPlainGemm(op))
        gemms.push_back(op);
    });
    for (linalg::LinalgOp op : gemms)
      rewrite(op);
  }

  void eraseDeadConstant(Value value) {
    SmallVector<Operation *> chain;
    while (value && value.use_empty()) {
      Operation *def = value.getDefiningOp();
      if (!isa_and_nonnull<memref::CollapseShapeOp, memref::ExpandShapeOp,
                           memref::GetGlobalOp>(def))
        return;
      Value source = def->getNumOperands() ? def->getOperand(0) : Value();
      if (auto get = dyn_cast<memref::GetGlobalOp>(def)) {
        auto global = symbols->lookup<memref::GlobalOp>(get.getName());
        get->erase();
        if (global && global.isPrivate() &&
            SymbolTable::symbolKnownUseEmpty(global, getOperation()))
          symbols->erase(global);
        return;
      }
      def->erase();
      value = source;
    }
  }

  void rewrite(linalg::LinalgOp op) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    bool batch = isa<linalg::BatchMatmulOp>(op);
    Value a = op.getDpsInputOperand(0)->get(), bMat = op.getDpsInputOperand(1)->get(),
          c = op.getDpsInitOperand(0)->get();
    ArrayRef<int64_t> cShape = cast<MemRefType>(c.getType()).getShape();
    ArrayRef<int64_t> aShape = cast<MemRefType>(a.getType()).getShape();
    int64_t m = cShape[cShape.size() - 2], n = cShape.back(), k = aShape.back();
    if (m == 0 || n == 0) {
      op->erase();
      return;
    }
    // The memory plan places function-level buffers only, not ones in loops.
    bool allocOk = !op->getParentOfType<LoopLikeOpInterface>();
    bool bUnit = hasUnitInnerStride(bMat);
    if (!bUnit && !allocOk)
      return; // left to sinter-tile-and-vectorize
    Plan p = plan(m, n, batch, bUnit, allocOk && k > 0);

    linalg::FillOp fill = k > 0 ? zeroFillBefore(op) : nullptr;
    // Constant operands are packed here, once, over all of K.
    DenseElementsAttr constA = batch || !p.packA ? nullptr : constantData(a);
    bool packable = !batch && k > 0 && m >= p.rows;
    DenseElementsAttr constB = packable ? constantData(bMat) : nullptr;
    linalg::TransposeOp transposeB =
        packable && !constB ? constantTranspose(bMat, op) : nullptr;
    if (transposeB)
      constB = constantData(transposeB.getInput());
    // A constant A and a B of a few panels (a deep conv's small image): the
    // row tiles run on threads and read B in place, so that each thread
    // streams its own share of the (large) filter once.
    if (constA && !constB && bUnit && llvm::divideCeil(n, p.nr()) <= 4 &&
        m / p.rows >= 4)
      p.packB = false;
    Value bp;
    if (constB) {
      bp = packConstantB(b, loc, constB, transposeB != nullptr, k, n, p);
      p.packB = true;
    } else if (p.packB) {
      int64_t panels = llvm::divideCeil(n, p.nr());
      bp = memref::AllocOp::create(
          b, loc,
          MemRefType::get({panels, std::min(p.kc, k), p.nr()}, b.getF32Type()),
          b.getI64IntegerAttr(64));
    }
    Value ap;
    if (constA)
      ap = packConstantA(b, loc, constA, m, k, p);
    else if (p.packA)
      ap = memref::AllocOp::create(
          b, loc,
          MemRefType::get({p.mc / p.rows, std::min(p.kc, k), p.rows},
                          b.getF32Type()),
          b.getI64IntegerAttr(64));
    GemmEmitter emitter(b, loc, p);
    std::optional<Epilogue> epilogue;
    if (!batch && fuseEpilogues)
      epilogue = findEpilogue(b, op, *dominance);
    if (epilogue)
      emitter.setEpilogue(&*epilogue);
    if (!batch) {
      emitter.emit(a, bMat, c, bp, ap, fill != nullptr, constA != nullptr,
                   constB != nullptr);
    } else {
      int64_t batches = cShape[0];
      auto loop = scf::ForOp::create(
          b, loc, arith::ConstantIndexOp::create(b, loc, 0),
          arith::ConstantIndexOp::create(b, loc, batches),
          arith::ConstantIndexOp::create(b, loc, 1));
      // Shared panels would race: only batches without them run on threads.
      if (!bp)
        loop->setAttr(kParallel, b.getUnitAttr());
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(loop.getBody()->getTerminator());
      Value i = loop.getInductionVar();
      auto slice = [&](Value v) -> Value {
        auto type = cast<MemRefType>(v.getType());
        SmallVector<OpFoldResult> offsets{i, b.getIndexAttr(0), b.getIndexAttr(0)};
        SmallVector<OpFoldResult> sizes{b.getIndexAttr(1),
                                        b.getIndexAttr(type.getDimSize(1)),
                                        b.getIndexAttr(type.getDimSize(2))};
        SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
        auto result = memref::SubViewOp::inferRankReducedResultType(
            type.getShape().drop_front(), type, offsets, sizes, strides);
        return memref::SubViewOp::create(b, loc, cast<MemRefType>(result), v,
                                         offsets, sizes, strides);
      };
      emitter.emit(slice(a), slice(bMat), slice(c), bp, ap, fill != nullptr);
    }
    if (fill)
      fill->erase();
    op->erase();
    if (epilogue) {
      // The consumer ran on the accumulators; C may now be unused.
      SmallVector<Value> inputs = epilogue->op.getDpsInputs();
      epilogue->op->erase();
      for (Value input : inputs)
        if (auto expand = input.getDefiningOp<memref::ExpandShapeOp>();
            expand && expand->use_empty())
          expand->erase();
      if (c.use_empty())
        c.getDefiningOp()->erase();
    }
    // The unpacked constants are dead once nothing else reads them.
    if (transposeB) {
      Value source = transposeB.getInput();
      transposeB->erase();
      if (bMat.use_empty())
        bMat.getDefiningOp()->erase();
      eraseDeadConstant(source);
    }
    for (Value operand : {a, bMat})
      if (!transposeB || operand != bMat)
        eraseDeadConstant(operand);
  }
};

} // namespace
