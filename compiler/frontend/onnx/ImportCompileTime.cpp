// ONNX ops the sinter dialect has no runtime form for, evaluated when their inputs are compile-time constants: Floor/Ceil/Round, Mod and Trilu.
#include "frontend/onnx/Importer.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace sinter::onnx_import {

namespace {

/// Inputs `0..count-1`, each a small compile-time constant, or an error that
/// says so (shape computations are where these ops occur).
FailureOr<SmallVector<DenseElementsAttr>> constantInputs(NodeContext &node,
                                                         unsigned count) {
  if (node.numInputs() < count)
    return node.emitError() << node.opType() << " expects " << count
                            << " inputs";
  SmallVector<DenseElementsAttr> inputs;
  for (unsigned i = 0; i < count; ++i) {
    DenseElementsAttr known = node.constantInput(i);
    if (!isFoldable(known)) {
      if (failed(node.inputType(i)))
        return failure();
      return node.emitError()
             << node.opType()
             << " is supported on small compile-time constants only (the "
                "sinter dialect has no runtime form of it)";
    }
    inputs.push_back(known);
  }
  return inputs;
}

/// Floor, Ceil and Round (half to even) of float constants.
LogicalResult importRounding(NodeContext &node) {
  FailureOr<SmallVector<DenseElementsAttr>> inputs = constantInputs(node, 1);
  if (failed(inputs))
    return failure();
  DenseElementsAttr input = inputs->front();
  auto type = dyn_cast<FloatType>(input.getElementType());
  if (!type)
    return node.emitError() << node.opType() << " needs a float tensor";
  APFloat::roundingMode mode = node.opType() == "Floor"
                                   ? APFloat::rmTowardNegative
                               : node.opType() == "Ceil"
                                   ? APFloat::rmTowardPositive
                                   : APFloat::rmNearestTiesToEven;
  SmallVector<APFloat> values;
  for (APFloat value : input.getValues<APFloat>()) {
    value.roundToIntegral(mode);
    values.push_back(value);
  }
  node.setConstantOutput(0, DenseElementsAttr::get(input.getType(), values));
  return success();
}

/// Mod: the result takes the divisor's sign unless fmod=1 asks for C's.
LogicalResult importMod(NodeContext &node) {
  bool fmod = node.intAttr("fmod", 0) != 0;
  FailureOr<SmallVector<DenseElementsAttr>> inputs = constantInputs(node, 2);
  if (failed(inputs) || node.hadError())
    return failure();
  Type element = (*inputs)[0].getElementType();
  if ((*inputs)[1].getElementType() != element)
    return node.emitError() << "Mod's inputs differ in element type";
  bool floats = isa<FloatType>(element);
  if (floats && !fmod)
    return node.emitError() << "Mod of floats needs fmod=1";
  bool divisionByZero = false;
  DenseElementsAttr folded = foldElementwise(
      *inputs, element, [&](ArrayRef<Attribute> v) -> Attribute {
        ElementNumber a = numberOf(v[0]), b = numberOf(v[1]);
        if (floats)
          return FloatAttr::get(element, std::fmod(a.f, b.f));
        if (b.i == 0 || (a.i == INT64_MIN && b.i == -1)) {
          divisionByZero = true;
          return {};
        }
        int64_t r = a.i % b.i;
        if (!fmod && r != 0 && (r < 0) != (b.i < 0))
          r += b.i;
        return IntegerAttr::get(
            element, APInt(cast<IntegerType>(element).getWidth(),
                           static_cast<uint64_t>(r), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
      });
  if (divisionByZero)
    return node.emitError() << "integer Mod by zero in a compile-time constant";
  if (!folded)
    return node.emitError() << "cannot fold Mod: its inputs do not broadcast";
  node.setConstantOutput(0, folded);
  return success();
}

/// Trilu of a constant (typically a causal mask), which may be large: the
/// elements are copied as bytes rather than as attributes.
LogicalResult importTrilu(NodeContext &node) {
  bool upper = node.intAttr("upper", 1) != 0;
  int64_t k = 0;
  if (node.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = node.constantInts(1, "k");
    if (failed(given))
      return failure();
    if (given->size() != 1)
      return node.emitError() << "k must be a single value";
    k = given->front();
  }
  FailureOr<DenseElementsAttr> input = node.requiredConstant(0, "input");
  if (failed(input) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getRank() < 2)
    return node.emitError() << "Trilu needs a tensor of rank 2 or more";
  int64_t n = type.getNumElements();
  if (n > (int64_t(1) << 26))
    return node.emitError() << "Trilu of " << n << " elements is too large";
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  auto keep = [&](int64_t index) {
    int64_t i = (index / cols) % rows, j = index % cols;
    return upper ? j - i >= k : j - i <= k;
  };
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> values(input->getValues<bool>());
    for (int64_t index = 0; index < n; ++index)
      values[index] = values[index] && keep(index);
    node.setConstantOutput(0, DenseElementsAttr::get(type, values));
    return success();
  }
  size_t bytes = type.getElementTypeBitWidth() / 8;
  ArrayRef<char> raw = input->getRawData();
  std::vector<char> buffer(n * bytes);
  for (int64_t index = 0; index < n; ++index) {
    char *slot = buffer.data() + index * bytes;
    if (!keep(index))
      std::memset(slot, 0, bytes); // +0 and integer 0 alike
    else
      std::memcpy(slot, raw.data() + (input->isSplat() ? 0 : index * bytes),
                  bytes);
  }
  node.setConstantOutput(0, DenseElementsAttr::getFromRawBuffer(
                                type, ArrayRef<char>(buffer.data(),
                                                     buffer.size())));
  return success();
}

} // namespace

void registerCompileTimeImporters(ImporterTable &table) {
  for (StringRef op : {"Floor", "Ceil"})
    table[op] = {importRounding, 6};
  table["Round"] = {importRounding, 11};
  table["Mod"] = {importMod, 10};
  table["Trilu"] = {importTrilu, 14};
}

} // namespace sinter::onnx_import
