// ConvTranspose as a stride-1 convolution of the input with zeros inserted between its elements, by the flipped, channel-swapped kernel.
#include "frontend/onnx/Importer.h"

#include <cstring>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// The transposed kernel of a grouped ConvTranspose: W [C, M/g, k...] becomes
/// W' [M, C/g, k...] with W'[g*M/g + m, c, i...] = W[g*C/g + c, m, k-1-i...],
/// rearranged byte by byte so that large weights cost no attribute per element.
DenseElementsAttr transposeKernel(DenseElementsAttr w, int64_t group) {
  auto type = cast<RankedTensorType>(w.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t c = shape[0], mg = shape[1], cg = c / group;
  ArrayRef<int64_t> kernel = shape.drop_front(2);
  SmallVector<int64_t> resultShape = {group * mg, cg};
  llvm::append_range(resultShape, kernel);
  auto resultType = type.clone(resultShape);
  if (w.isSplat())
    return DenseElementsAttr::get(resultType, w.getSplatValue<Attribute>());
  int64_t window = 1;
  for (int64_t k : kernel)
    window *= k;
  size_t bytes = type.getElementTypeBitWidth() / 8;
  ArrayRef<char> source = w.getRawData();
  std::vector<char> result(source.size());
  SmallVector<int64_t> index(kernel.size());
  for (int64_t g = 0; g < group; ++g)
    for (int64_t m = 0; m < mg; ++m)
      for (int64_t ci = 0; ci < cg; ++ci) {
        int64_t from = ((g * cg + ci) * mg + m) * window;
        int64_t to = ((g * mg + m) * cg + ci) * window;
        // Flipping every spatial axis reverses the window's row-major order.
        for (int64_t i = 0; i < window; ++i)
          std::memcpy(result.data() + (to + window - 1 - i) * bytes,
                      source.data() + (from + i) * bytes, bytes);
      }
  return DenseElementsAttr::getFromRawBuffer(
      resultType, ArrayRef<char>(result.data(), result.size()));
}

/// Inserts `stride - 1` zeros between neighbours along `axis`.
FailureOr<Value> insertZeros(NodeContext &node, Value x, int64_t axis,
                             int64_t stride) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t length = shape[axis];
  if (stride == 1 || length == 0)
    return x;
  SmallVector<int64_t> split(shape.take_front(axis + 1));
  split.push_back(1);
  llvm::append_range(split, shape.drop_front(axis + 1));
  FailureOr<Value> column = node.reshape(x, split);
  if (failed(column))
    return failure();
  SmallVector<int64_t> zerosShape(split);
  zerosShape[axis + 1] = stride - 1;
  Attribute zero = FloatAttr::get(type.getElementType(), 0.0);
  Value zeros =
      node.constant(DenseElementsAttr::get(type.clone(zerosShape), zero));
  FailureOr<Value> spread = node.create<sd::ConcatOp>(
      ValueRange{*column, zeros}, axis + 1);
  if (failed(spread))
    return failure();
  SmallVector<int64_t> merged(shape);
  merged[axis] = length * stride;
  FailureOr<Value> flat = node.reshape(*spread, merged);
  if (failed(flat))
    return failure();
  // The zeros after the last element are not part of the upsampled input.
  SmallVector<int64_t> starts(shape.size(), 0), steps(shape.size(), 1);
  SmallVector<int64_t> sizes(merged);
  sizes[axis] = (length - 1) * stride + 1;
  return node.create<sd::SliceOp>(*flat, starts, sizes, steps);
}

LogicalResult importConvTranspose(NodeContext &node) {
  FailureOr<Value> x = node.input(0);
  FailureOr<RankedTensorType> wType = node.inputType(1);
  FailureOr<Value> bias = node.optionalInput(2);
  if (failed(x) || failed(wType) || failed(bias))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  int64_t rank = xType.getRank(), spatial = rank - 2;
  if (rank < 3 || wType->getRank() != rank ||
      !isa<FloatType>(xType.getElementType()))
    return node.emitError() << "ConvTranspose expects float X [N, C, "
                               "spatial...] and W of the same rank, got "
                            << xType << " and " << *wType;
  ArrayRef<int64_t> kernel = wType->getShape().drop_front(2);
  int64_t group = node.intAttr("group", 1);
  SmallVector<int64_t> strides = node.intsAttr("strides");
  SmallVector<int64_t> dilations = node.intsAttr("dilations");
  SmallVector<int64_t> outputPadding = node.intsAttr("output_padding");
  SmallVector<int64_t> outputShape = node.intsAttr("output_shape");
  SmallVector<int64_t> kernelAttr = node.intsAttr("kernel_shape");
  std::string autoPad = node.stringAttr("auto_pad", "NOTSET");
  SmallVector<int64_t> pads = node.intsAttr("pads");
  if (node.hadError())
    return failure();
  if (failed(checkKernelShape(node, kernelAttr, kernel)))
    return failure();
  int64_t channels = xType.getDimSize(1);
  if (group < 1 || channels % group != 0 || wType->getDimSize(0) != channels)
    return node.emitError() << "W " << *wType << " and group " << group
                            << " do not fit " << channels
                            << " input channels";
  for (auto *values : {&strides, &dilations, &outputPadding})
    if (values->empty())
      values->assign(spatial, values == &outputPadding ? 0 : 1);
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(outputPadding.size()) != spatial ||
      (!outputShape.empty() &&
       static_cast<int64_t>(outputShape.size()) != spatial))
    return node.emitError() << "expected " << spatial
                            << " strides, dilations, output_padding and "
                               "output_shape entries";
  for (int64_t i = 0; i < spatial; ++i)
    if (strides[i] < 1 || dilations[i] < 1 || kernel[i] < 1 ||
        strides[i] > kMaxWindowValue || dilations[i] > kMaxWindowValue ||
        kernel[i] > kMaxWindowValue || outputPadding[i] < 0 ||
        outputPadding[i] > kMaxWindowValue ||
        (!outputShape.empty() &&
         (outputShape[i] < 1 || outputShape[i] > kMaxTensorElements)))
      return node.emitError() << "invalid strides, dilations, kernel, "
                                 "output_padding or output_shape";
  if (llvm::any_of(pads, [](int64_t pad) {
        return pad < 0 || pad > kMaxWindowValue;
      }))
    return node.emitError() << "pads [" << pads
                            << "] must be non-negative and at most "
                            << kMaxWindowValue;

  // Padding: explicit, or what output_shape / SAME need, split as the
  // specification says (the odd element at the end only for SAME_UPPER).
  if (!outputShape.empty() || autoPad == "SAME_UPPER" ||
      autoPad == "SAME_LOWER") {
    pads.assign(2 * spatial, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xType.getDimSize(i + 2);
      int64_t want = outputShape.empty() ? in * strides[i] : outputShape[i];
      int64_t total = strides[i] * (in - 1) + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - want;
      // Floor division, as the specification's reference: an output_shape
      // larger than the full output makes the total negative.
      int64_t small = llvm::divideFloorSigned(total, 2), large = total - small;
      pads[i] = autoPad == "SAME_UPPER" ? small : large;
      pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad == "VALID" || pads.empty()) {
    pads.assign(2 * spatial, 0);
  } else if (autoPad != "NOTSET") {
    return node.emitError() << "unknown auto_pad '" << autoPad << "'";
  }
  if (static_cast<int64_t>(pads.size()) != 2 * spatial)
    return node.emitError() << "expected " << 2 * spatial << " pads, got "
                            << pads.size();

  // The kernel is transposed at compile time.
  FailureOr<DenseElementsAttr> weight = node.requiredConstant(1, "weight");
  if (failed(weight))
    return failure();
  if (!isa<FloatType>(weight->getElementType()))
    return node.emitError() << "the weight must be a float tensor";
  Value filter = node.constant(transposeKernel(*weight, group));

  Value z = *x;
  for (int64_t i = 0; i < spatial; ++i) {
    FailureOr<Value> spread = insertZeros(node, z, i + 2, strides[i]);
    if (failed(spread))
      return failure();
    z = *spread;
  }
  // Each side gets the kernel's reach minus the transposed conv's padding;
  // a negative amount crops instead.
  SmallVector<int64_t> convPads(2 * spatial, 0), starts(rank, 0),
      steps(rank, 1);
  auto zType = cast<RankedTensorType>(z.getType());
  SmallVector<int64_t> sizes(zType.getShape());
  bool crop = false;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t reach = dilations[i] * (kernel[i] - 1);
    int64_t begin = reach - pads[i];
    int64_t end = reach - pads[i + spatial] + outputPadding[i];
    convPads[i] = std::max<int64_t>(begin, 0);
    convPads[i + spatial] = std::max<int64_t>(end, 0);
    starts[i + 2] = std::max<int64_t>(-begin, 0);
    sizes[i + 2] -= starts[i + 2] + std::max<int64_t>(-end, 0);
    if (sizes[i + 2] < 1)
      return node.emitError() << "pads leave no output in spatial dimension "
                              << i;
    crop |= begin < 0 || end < 0;
  }
  if (crop) {
    FailureOr<Value> cropped = node.create<sd::SliceOp>(z, starts, sizes, steps);
    if (failed(cropped))
      return failure();
    z = *cropped;
  }
  SmallVector<int64_t> ones(spatial, 1);
  FailureOr<Value> result = node.create<sd::ConvOp>(
      z, filter, *bias, ones, dilations, convPads, group);
  return node.setOutput(0, result);
}

} // namespace

void registerConvTransposeImporters(ImporterTable &table) {
  table["ConvTranspose"] = {importConvTranspose, 1};
}

} // namespace sinter::onnx_import
