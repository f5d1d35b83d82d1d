// Einsum of one or two operands as diagonals, transposes, reductions, reshapes and one batched matmul.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// The subscripts of each operand and of the result, with every `...`
/// replaced by letters the equation does not use.
struct Equation {
  SmallVector<std::string, 2> inputs;
  std::string output;
};

FailureOr<Equation> parseEquation(NodeContext &node, StringRef text,
                                  ArrayRef<int64_t> ranks) {
  std::string compact;
  for (char c : text)
    if (c != ' ')
      compact.push_back(c);
  StringRef rest = compact;
  Equation eq;
  bool explicitOutput = rest.contains("->");
  auto [lhs, rhs] = rest.split("->");
  SmallVector<StringRef> parts;
  lhs.split(parts, ',');
  if (parts.size() != ranks.size())
    return node.emitError() << "equation '" << text << "' names "
                            << parts.size() << " operands, the node has "
                            << ranks.size();
  // Letters the equation does not use stand for the ellipsis dimensions.
  std::string spare;
  for (char c = 'A'; c <= 'Z'; ++c)
    if (!StringRef(compact).contains(c))
      spare.push_back(c);
  int64_t ellipsisRank = -1;
  for (auto [part, rank] : llvm::zip(parts, ranks)) {
    std::string subscripts;
    size_t dots = part.find("...");
    int64_t letters = static_cast<int64_t>(part.size()) -
                      (dots == StringRef::npos ? 0 : 3);
    if (dots != StringRef::npos) {
      int64_t count = rank - letters;
      if (count < 0 || count > static_cast<int64_t>(spare.size()) ||
          (ellipsisRank >= 0 && ellipsisRank != count))
        return node.emitError() << "equation '" << text
                                << "' does not match the operand ranks";
      ellipsisRank = count;
      subscripts = (part.take_front(dots) + spare.substr(0, count) +
                    part.drop_front(dots + 3))
                       .str();
    } else {
      subscripts = part.str();
    }
    if (static_cast<int64_t>(subscripts.size()) != rank ||
        !llvm::all_of(subscripts, isLetter))
      return node.emitError() << "equation '" << text
                              << "' does not match the operand ranks";
    eq.inputs.push_back(subscripts);
  }
  std::string ellipsis = spare.substr(0, std::max<int64_t>(ellipsisRank, 0));
  if (explicitOutput) {
    size_t dots = rhs.find("...");
    eq.output = dots == StringRef::npos
                    ? rhs.str()
                    : (rhs.take_front(dots) + ellipsis + rhs.drop_front(dots + 3))
                          .str();
  } else {
    // Implicit output: the ellipsis, then the letters used once, in ASCII
    // order (numpy's rule).
    std::string once;
    for (char c : StringRef("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")) {
      int count = 0;
      for (const std::string &in : eq.inputs)
        count += llvm::count(in, c);
      if (count == 1 && !StringRef(ellipsis).contains(c))
        once.push_back(c);
    }
    eq.output = ellipsis + once;
  }
  return eq;
}

/// Dimension sizes by letter, checked for agreement across operands.
class Sizes {
public:
  int64_t &of(char c) { return sizes[static_cast<unsigned char>(c)]; }
  bool &seen(char c) { return known[static_cast<unsigned char>(c)]; }

private:
  int64_t sizes[256] = {};
  bool known[256] = {};
};

/// One operand reduced to the letters in `keep` (summing the others), then
/// transposed so its letters come in the order of `order`.
FailureOr<Value> arrange(NodeContext &node, Value value, std::string &letters,
                         StringRef keep, StringRef order) {
  SmallVector<int64_t> axes;
  std::string kept;
  for (auto [i, c] : llvm::enumerate(letters)) {
    if (keep.contains(c))
      kept.push_back(c);
    else
      axes.push_back(i);
  }
  if (!axes.empty()) {
    FailureOr<Value> summed =
        node.create<sd::ReduceSumOp>(value, axes, /*keepdims=*/false);
    if (failed(summed))
      return failure();
    value = *summed;
  }
  SmallVector<int64_t> perm;
  for (char c : order)
    if (size_t at = kept.find(c); at != std::string::npos)
      perm.push_back(at);
  letters.clear();
  for (int64_t p : perm)
    letters.push_back(kept[p]);
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return value;
  return node.create<sd::TransposeOp>(value, perm);
}

/// Takes the diagonal of each letter repeated in one operand's subscripts
/// (x[i, i] becomes y[i]), so that every letter names one dimension: the two
/// dimensions go last, merge into one of n * n elements, and a slice with
/// step n + 1 picks the diagonal, which takes the letter's place at the end.
FailureOr<Value> takeDiagonals(NodeContext &node, Value value,
                               std::string &letters) {
  for (size_t p = 0; p < letters.size();) {
    size_t q = letters.find(letters[p], p + 1);
    if (q == std::string::npos) {
      ++p;
      continue;
    }
    char c = letters[p];
    auto type = cast<RankedTensorType>(value.getType());
    int64_t n = type.getDimSize(p);
    if (type.getDimSize(q) != n)
      return node.emitError() << "subscript '" << c << "' has sizes " << n
                              << " and " << type.getDimSize(q);
    SmallVector<int64_t> perm, shape;
    std::string order;
    for (size_t i = 0; i < letters.size(); ++i) {
      if (i == p || i == q)
        continue;
      perm.push_back(i);
      shape.push_back(type.getDimSize(i));
      order.push_back(letters[i]);
    }
    perm.append({static_cast<int64_t>(p), static_cast<int64_t>(q)});
    if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
      FailureOr<Value> moved = node.create<sd::TransposeOp>(value, perm);
      if (failed(moved))
        return failure();
      value = *moved;
    }
    SmallVector<int64_t> starts(shape.size() + 1, 0);
    SmallVector<int64_t> steps(shape.size() + 1, 1);
    steps.back() = n + 1;
    shape.push_back(n * n);
    FailureOr<Value> merged = node.reshape(value, shape);
    if (failed(merged))
      return failure();
    shape.back() = n;
    FailureOr<Value> diagonal =
        node.create<sd::SliceOp>(*merged, starts, shape, steps);
    if (failed(diagonal))
      return failure();
    value = *diagonal;
    letters = order + c;
    p = 0;
  }
  return value;
}

LogicalResult importEinsum(NodeContext &node) {
  std::string text = node.stringAttr("equation", "");
  if (node.hadError())
    return failure();
  if (node.numInputs() < 1 || node.numInputs() > 2)
    return node.emitError() << "Einsum of " << node.numInputs()
                            << " operands is not supported (one or two are)";
  SmallVector<Value, 2> values;
  SmallVector<int64_t, 2> ranks;
  for (unsigned i = 0; i < node.numInputs(); ++i) {
    FailureOr<Value> value = node.input(i);
    if (failed(value))
      return failure();
    values.push_back(*value);
    ranks.push_back(cast<RankedTensorType>(value->getType()).getRank());
  }
  FailureOr<Equation> eq = parseEquation(node, text, ranks);
  if (failed(eq))
    return failure();

  for (auto [value, letters] : llvm::zip(values, eq->inputs)) {
    FailureOr<Value> diagonal = takeDiagonals(node, value, letters);
    if (failed(diagonal))
      return failure();
    value = *diagonal;
  }

  Sizes sizes;
  for (auto [value, letters] : llvm::zip(values, eq->inputs)) {
    auto shape = cast<RankedTensorType>(value.getType()).getShape();
    for (auto [c, dim] : llvm::zip(letters, shape)) {
      if (sizes.seen(c) && sizes.of(c) != dim)
        return node.emitError() << "subscript '" << c << "' has sizes "
                                << sizes.of(c) << " and " << dim;
      sizes.seen(c) = true;
      sizes.of(c) = dim;
    }
  }
  for (char c : eq->output)
    if (!isLetter(c) || !sizes.seen(c) || llvm::count(eq->output, c) > 1)
      return node.emitError() << "output subscript '" << c
                              << "' is unknown or repeated";

  auto shapeOf = [&](StringRef letters) {
    SmallVector<int64_t> shape;
    for (char c : letters)
      shape.push_back(sizes.of(c));
    return shape;
  };
  auto product = [&](StringRef letters) {
    int64_t n = 1;
    for (char c : letters)
      n *= sizes.of(c);
    return n;
  };

  std::string result;
  Value value;
  if (values.size() == 1) {
    result = eq->inputs[0];
    FailureOr<Value> arranged =
        arrange(node, values[0], result, eq->output, eq->output);
    if (failed(arranged))
      return failure();
    value = *arranged;
  } else {
    // Letters of both operands are batch (kept) or contracted (summed by the
    // matmul); letters of one operand are free (kept) or summed first.
    StringRef a = eq->inputs[0], b = eq->inputs[1];
    std::string batch, contract, freeA, freeB;
    for (char c : a) {
      bool inB = b.contains(c), out = StringRef(eq->output).contains(c);
      if (inB)
        (out ? batch : contract).push_back(c);
      else if (out)
        freeA.push_back(c);
    }
    for (char c : b)
      if (!a.contains(c) && StringRef(eq->output).contains(c))
        freeB.push_back(c);
    std::string lettersA = eq->inputs[0], lettersB = eq->inputs[1];
    FailureOr<Value> lhs = arrange(node, values[0], lettersA,
                                   batch + freeA + contract,
                                   batch + freeA + contract);
    if (failed(lhs))
      return failure();
    FailureOr<Value> rhs = arrange(node, values[1], lettersB,
                                   batch + contract + freeB,
                                   batch + contract + freeB);
    if (failed(rhs))
      return failure();
    // The matmul keeps the batch dimensions as they are and sees the free and
    // contracted letters of each side as one dimension each.
    auto matrixShape = [&](int64_t rows, int64_t cols) {
      SmallVector<int64_t> shape = shapeOf(batch);
      shape.append({rows, cols});
      return shape;
    };
    lhs = node.reshape(*lhs, matrixShape(product(freeA), product(contract)));
    if (succeeded(lhs))
      rhs = node.reshape(*rhs, matrixShape(product(contract), product(freeB)));
    if (failed(lhs) || failed(rhs))
      return failure();
    FailureOr<Value> product3 = node.create<sd::MatMulOp>(*lhs, *rhs);
    if (failed(product3))
      return failure();
    result = batch + freeA + freeB;
    FailureOr<Value> unflat = node.reshape(*product3, shapeOf(result));
    if (failed(unflat))
      return failure();
    FailureOr<Value> arranged =
        arrange(node, *unflat, result, eq->output, eq->output);
    if (failed(arranged))
      return failure();
    value = *arranged;
  }
  node.setOutput(0, value);
  return success();
}

} // namespace

void registerEinsumImporters(ImporterTable &table) {
  table["Einsum"] = {importEinsum, 12};
}

} // namespace sinter::onnx_import
