// Image and geometry ops: GridSample, AffineGrid, RoiAlign, Col2Im, CenterCropPad, MaxUnpool, DeformConv, Det, and NonMaxSuppression of compile-time boxes.
#include "frontend/onnx/Compose.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

Type i64Type(NodeContext &node) { return IntegerType::get(node.context(), 64); }

/// The row-major position of `index` in `shape`.
SmallVector<int64_t> unflatten(int64_t index, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> position(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    position[d] = index % shape[d];
    index /= shape[d];
  }
  return position;
}

//===----------------------------------------------------------------------===//
// GridSample and AffineGrid
//===----------------------------------------------------------------------===//

LogicalResult importGridSample(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<Value> grid = node.input(1);
  // Opset 16 names the modes bilinear and bicubic; 20 linear and cubic.
  std::string mode =
      node.stringAttr("mode", node.opset() < 20 ? "bilinear" : "linear");
  std::string padding = node.stringAttr("padding_mode", "zeros");
  bool alignCorners = node.intAttr("align_corners", 0) != 0;
  if (failed(input) || failed(grid) || node.hadError())
    return failure();
  if (mode == "bilinear")
    mode = "linear";
  else if (mode == "bicubic")
    mode = "cubic";
  Compose c(node);
  // The grid may be another float type than the image (opset 20 allows it).
  Type element = Compose::elementOf(*input);
  Value g = *grid;
  if (isa<FloatType>(element) && Compose::elementOf(g) != element)
    g = c.convert(g, element);
  if (c.failed())
    return failure();
  return node.setOutput(
      0, node.create<sd::GridSampleOp>(
             *input, g, node.builder().getStringAttr(mode),
             node.builder().getStringAttr(padding),
             node.builder().getBoolAttr(alignCorners)));
}

/// The sampling grid of an affine transform: theta [N, r, r + 1] times the
/// homogeneous coordinates of every output position, a compile-time
/// [positions, r + 1] matrix (x first, then y, z, then 1).
LogicalResult importAffineGrid(NodeContext &node) {
  FailureOr<Value> theta = node.input(0);
  FailureOr<SmallVector<int64_t>> size = node.constantInts(1, "size");
  bool alignCorners = node.intAttr("align_corners", 0) != 0;
  if (failed(theta) || failed(size) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(theta->getType());
  int64_t r = static_cast<int64_t>(size->size()) - 2;
  if (r != 2 && r != 3)
    return node.emitError() << "size must be [N, C, H, W] or [N, C, D, H, W]";
  if (!isa<FloatType>(type.getElementType()) || type.getRank() != 3 ||
      type.getDimSize(0) != (*size)[0] || type.getDimSize(1) != r ||
      type.getDimSize(2) != r + 1)
    return node.emitError() << "theta must be a float [" << (*size)[0] << ", "
                            << r << ", " << r + 1 << "] tensor, got " << type;
  SmallVector<int64_t> spatial(size->begin() + 2, size->end());
  for (int64_t s : spatial)
    if (s < 1 || s > kMaxWindowValue)
      return node.emitError() << "size [" << *size << "] is not valid";
  int64_t positions = product(spatial);
  if (positions * (r + 1) > kMaxTensorElements / 1024)
    return node.emitError() << "the grid is too large";
  auto coordinate = [&](int64_t i, int64_t s) {
    if (alignCorners)
      return s == 1 ? -1.0 : -1.0 + 2.0 * i / (s - 1);
    return -1.0 + (2.0 * i + 1.0) / s;
  };
  SmallVector<double> base;
  base.reserve(positions * (r + 1));
  for (int64_t p = 0; p < positions; ++p) {
    // Row-major position; the innermost axis is x.
    SmallVector<double> coords;
    int64_t rest = p;
    for (int64_t d = r - 1; d >= 0; --d) {
      coords.push_back(coordinate(rest % spatial[d], spatial[d]));
      rest /= spatial[d];
    }
    base.append(coords.begin(), coords.end());
    base.push_back(1.0);
  }
  Compose c(node);
  Value homogeneous = c.constant(type.getElementType(), {positions, r + 1}, base);
  // [positions, r + 1] x [N, r + 1, r] -> [N, positions, r].
  Value grid = c.matmul(homogeneous, c.transpose(*theta, {0, 2, 1}));
  SmallVector<int64_t> shape{(*size)[0]};
  shape.append(spatial.begin(), spatial.end());
  shape.push_back(r);
  grid = c.reshape(grid, shape);
  return c.setOutput(0, grid);
}

//===----------------------------------------------------------------------===//
// DeformConv
//===----------------------------------------------------------------------===//

/// Deformable convolution as the specification defines it: every kernel tap
/// reads the input bilinearly (zeros outside) at its regular position plus a
/// learned offset, scaled by the mask; then an ordinary grouped convolution
/// of those samples, a matrix product. The samples come from one grid_sample
/// (pixel positions p become normalized (2p + 1) / size - 1, exact for any
/// size, also 1).
LogicalResult importDeformConv(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<Value> weight = node.input(1);
  FailureOr<Value> offset = node.input(2);
  FailureOr<Value> bias = node.optionalInput(3);
  FailureOr<Value> mask = node.optionalInput(4);
  SmallVector<int64_t> dilations = node.intsAttr("dilations");
  SmallVector<int64_t> kernelAttr = node.intsAttr("kernel_shape");
  SmallVector<int64_t> pads = node.intsAttr("pads");
  SmallVector<int64_t> strides = node.intsAttr("strides");
  int64_t group = node.intAttr("group", 1);
  int64_t offsetGroup = node.intAttr("offset_group", 1);
  if (failed(input) || failed(weight) || failed(offset) || failed(bias) ||
      failed(mask) || node.hadError())
    return failure();
  auto xType = cast<RankedTensorType>(input->getType());
  auto wType = cast<RankedTensorType>(weight->getType());
  auto oType = cast<RankedTensorType>(offset->getType());
  Type element = xType.getElementType();
  int64_t r = xType.getRank() - 2;
  if (!isa<FloatType>(element) || r < 1 || wType.getRank() != r + 2 ||
      oType.getRank() != r + 2 || wType.getElementType() != element ||
      oType.getElementType() != element)
    return node.emitError() << "X, W and offset must be float tensors "
                               "[N, C, spatial...] of one type and rank";
  SmallVector<int64_t> kernel(wType.getShape().drop_front(2));
  if (failed(checkKernelShape(node, kernelAttr, kernel)))
    return failure();
  if (dilations.empty())
    dilations.assign(r, 1);
  if (strides.empty())
    strides.assign(r, 1);
  if (pads.empty())
    pads.assign(2 * r, 0);
  if (static_cast<int64_t>(dilations.size()) != r ||
      static_cast<int64_t>(strides.size()) != r ||
      static_cast<int64_t>(pads.size()) != 2 * r)
    return node.emitError() << "expected " << r << " dilations and strides and "
                            << 2 * r << " pads";
  int64_t n = xType.getDimSize(0), channels = xType.getDimSize(1);
  int64_t outChannels = wType.getDimSize(0);
  if (group < 1 || offsetGroup < 1 || channels % group != 0 ||
      channels % offsetGroup != 0 || outChannels % group != 0 ||
      wType.getDimSize(1) * group != channels)
    return node.emitError() << "group " << group << " and offset_group "
                            << offsetGroup << " do not divide the channels of "
                            << xType << " and " << wType;
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < r; ++d) {
    if (dilations[d] < 1 || strides[d] < 1 || pads[d] < 0 || pads[d + r] < 0 ||
        dilations[d] > kMaxWindowValue || strides[d] > kMaxWindowValue ||
        pads[d] > kMaxWindowValue || pads[d + r] > kMaxWindowValue)
      return node.emitError() << "dilations and strides must be positive, "
                                 "pads non-negative";
    int64_t span = xType.getDimSize(d + 2) + pads[d] + pads[d + r] -
                   dilations[d] * (kernel[d] - 1) - 1;
    if (span < 0 || xType.getDimSize(d + 2) < 1)
      return node.emitError() << "the kernel does not fit the padded input";
    out.push_back(span / strides[d] + 1);
  }
  int64_t taps = product(kernel), positions = product(out);
  SmallVector<int64_t> offsetShape{n, offsetGroup * taps * r};
  offsetShape.append(out);
  if (oType.getShape() != ArrayRef<int64_t>(offsetShape))
    return node.emitError() << "offset must be " << RankedTensorType::get(offsetShape, element)
                            << ", got " << oType;
  if (taps * positions > kMaxTensorElements / 1024)
    return node.emitError() << "the convolution is too large";

  Compose c(node);
  int64_t groups = n * offsetGroup;
  // Per axis d: normalized sampling coordinates [N * G, K, P].
  Value parts = c.reshape(*offset, {groups, taps, r, positions});
  SmallVector<Value> coords(r);
  for (int64_t d = 0; d < r; ++d) {
    double size = static_cast<double>(xType.getDimSize(d + 2));
    SmallVector<double> base;
    base.reserve(taps * positions);
    for (int64_t k = 0; k < taps; ++k) {
      int64_t tap = unflatten(k, kernel)[d];
      for (int64_t p = 0; p < positions; ++p) {
        int64_t o = unflatten(p, out)[d];
        base.push_back(static_cast<double>(o * strides[d] - pads[d] +
                                           tap * dilations[d]));
      }
    }
    Value shift = c.reshape(c.slice(parts, 2, d, 1), {groups, taps, positions});
    Value position = c.add(shift, c.constant(element, {taps, positions}, base));
    coords[d] = c.add(c.mul(position, c.scalar(element, 2.0 / size)),
                      c.scalar(element, 1.0 / size - 1.0));
  }
  // The grid lists x (the innermost axis) first; its spatial shape is
  // [K, P] padded with 1s to r dimensions ([K * P] when r is 1).
  SmallVector<int64_t> gridShape{groups};
  if (r == 1)
    gridShape.push_back(taps * positions);
  else {
    gridShape.append({taps, positions});
    gridShape.append(r - 2, 1);
  }
  gridShape.push_back(1);
  SmallVector<Value> columns;
  for (int64_t d = r - 1; d >= 0; --d)
    columns.push_back(c.reshape(coords[d], gridShape));
  Value grid = c.concat(columns, gridShape.size() - 1);
  SmallVector<int64_t> imageShape{groups, channels / offsetGroup};
  imageShape.append(xType.getShape().begin() + 2, xType.getShape().end());
  Value images = c.reshape(*input, imageShape);
  if (c.failed())
    return failure();
  Builder &b = node.builder();
  Value sampled = c.take(node.create<sd::GridSampleOp>(
      images, grid, b.getStringAttr("linear"), b.getStringAttr("zeros"),
      b.getBoolAttr(false)));
  // [N, G, C / G, K, P], scaled by the mask of each group's taps.
  sampled = c.reshape(sampled, {n, offsetGroup, channels / offsetGroup, taps,
                                positions});
  if (*mask) {
    SmallVector<int64_t> maskShape{n, offsetGroup * taps};
    maskShape.append(out);
    if (Compose::shapeOf(*mask) != ArrayRef<int64_t>(maskShape))
      return node.emitError() << "mask must be "
                              << RankedTensorType::get(maskShape, element)
                              << ", got " << mask->getType();
    sampled = c.mul(sampled,
                    c.reshape(*mask, {n, offsetGroup, 1, taps, positions}));
  }
  // The grouped convolution: [group, OC / group, C / group * K] times
  // [N, group, C / group * K, P].
  int64_t perGroup = channels / group * taps;
  Value cols = c.reshape(sampled, {n, group, perGroup, positions});
  Value filters = c.reshape(*weight, {group, outChannels / group, perGroup});
  Value result = c.matmul(filters, cols);
  SmallVector<int64_t> resultShape{n, outChannels};
  resultShape.append(out);
  result = c.reshape(result, resultShape);
  if (*bias) {
    SmallVector<int64_t> biasShape(r + 1, 1);
    biasShape[0] = outChannels;
    if (Compose::shapeOf(*bias) != ArrayRef<int64_t>{outChannels})
      return node.emitError() << "B must be [" << outChannels << "], got "
                              << bias->getType();
    result = c.add(result, c.reshape(*bias, biasShape));
  }
  return c.setOutput(0, result);
}

//===----------------------------------------------------------------------===//
// RoiAlign
//===----------------------------------------------------------------------===//

LogicalResult importRoiAlign(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<Value> rois = node.input(1);
  FailureOr<Value> indices = node.input(2);
  std::string mode = node.stringAttr("mode", "avg");
  // Opset 10 had no shift (what opset 16 calls output_half_pixel).
  std::string transform = node.stringAttr(
      "coordinate_transformation_mode",
      node.opset() < 16 ? "output_half_pixel" : "half_pixel");
  int64_t height = node.intAttr("output_height", 1);
  int64_t width = node.intAttr("output_width", 1);
  int64_t ratio = node.intAttr("sampling_ratio", 0);
  float scale = node.floatAttr("spatial_scale", 1.0f);
  if (failed(input) || failed(rois) || failed(indices) || node.hadError())
    return failure();
  if (transform != "half_pixel" && transform != "output_half_pixel")
    return node.emitError() << "unknown coordinate_transformation_mode '"
                            << transform << "'";
  if (height > kMaxWindowValue || width > kMaxWindowValue ||
      ratio > kMaxWindowValue)
    return node.emitError() << "output sizes and sampling_ratio are too large";
  Builder &b = node.builder();
  return node.setOutput(
      0, node.create<sd::RoiAlignOp>(
             *input, *rois, *indices, b.getStringAttr(mode),
             b.getI64IntegerAttr(height), b.getI64IntegerAttr(width),
             b.getI64IntegerAttr(ratio), b.getF32FloatAttr(scale),
             b.getBoolAttr(transform == "half_pixel")));
}

//===----------------------------------------------------------------------===//
// Col2Im and MaxUnpool: scatter-adds and scatters into zeros
//===----------------------------------------------------------------------===//

/// Each column element is added to the image element its block covers:
/// a scatter-add whose compile-time indices send padding to an index past
/// the end, which the scatter drops.
LogicalResult importCol2Im(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<SmallVector<int64_t>> image = node.constantInts(1, "image_shape");
  FailureOr<SmallVector<int64_t>> block = node.constantInts(2, "block_shape");
  SmallVector<int64_t> dilations = node.intsAttr("dilations");
  SmallVector<int64_t> pads = node.intsAttr("pads");
  SmallVector<int64_t> strides = node.intsAttr("strides");
  if (failed(input) || failed(image) || failed(block) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  size_t r = image->size();
  if (r < 1 || block->size() != r)
    return node.emitError() << "image_shape and block_shape must have the "
                               "same positive length";
  if (dilations.empty())
    dilations.assign(r, 1);
  if (strides.empty())
    strides.assign(r, 1);
  if (pads.empty())
    pads.assign(2 * r, 0);
  if (dilations.size() != r || strides.size() != r || pads.size() != 2 * r)
    return node.emitError() << "expected " << r << " dilations and strides and "
                            << 2 * r << " pads";
  SmallVector<int64_t> blocks;
  for (size_t d = 0; d < r; ++d) {
    int64_t i = (*image)[d], k = (*block)[d];
    if (i < 1 || k < 1 || dilations[d] < 1 || strides[d] < 1 || pads[d] < 0 ||
        pads[d + r] < 0 || i > kMaxWindowValue || k > kMaxWindowValue ||
        dilations[d] > kMaxWindowValue || strides[d] > kMaxWindowValue ||
        pads[d] > kMaxWindowValue || pads[d + r] > kMaxWindowValue)
      return node.emitError() << "image_shape, block_shape, dilations, "
                                 "strides and pads must be positive (pads "
                                 "non-negative) and not too large";
    int64_t span = i + pads[d] + pads[d + r] - dilations[d] * (k - 1) - 1;
    if (span < 0)
      return node.emitError() << "the block does not fit the padded image in "
                                 "dimension "
                              << d;
    blocks.push_back(span / strides[d] + 1);
  }
  int64_t kernel = product(*block), length = product(blocks);
  int64_t pixels = product(*image);
  if (type.getRank() != 3 || type.getDimSize(1) % kernel != 0 ||
      type.getDimSize(2) != length)
    return node.emitError() << "input must be [N, C * " << kernel << ", "
                            << length << "], got " << type;
  int64_t n = type.getDimSize(0), channels = type.getDimSize(1) / kernel;
  if (n * channels * kernel * length > kMaxTensorElements / 1024)
    return node.emitError() << "the input is too large";
  // Per (kernel offset, block): the image element, or `pixels` for padding.
  SmallVector<int64_t> target;
  target.reserve(kernel * length);
  for (int64_t k = 0; k < kernel; ++k) {
    SmallVector<int64_t> offset = unflatten(k, *block);
    for (int64_t l = 0; l < length; ++l) {
      SmallVector<int64_t> at = unflatten(l, blocks);
      int64_t flat = 0;
      bool inside = true;
      for (size_t d = 0; d < r; ++d) {
        int64_t p = at[d] * strides[d] - pads[d] + offset[d] * dilations[d];
        inside &= p >= 0 && p < (*image)[d];
        flat = flat * (*image)[d] + p;
      }
      target.push_back(inside ? flat : pixels);
    }
  }
  SmallVector<int64_t> indices;
  indices.reserve(n * channels * kernel * length);
  for (int64_t i = 0; i < n * channels; ++i)
    indices.append(target.begin(), target.end());
  Compose c(node);
  Type element = type.getElementType();
  Value updates = c.reshape(*input, {n, channels, kernel * length});
  Value zeros = node.constant(DenseElementsAttr::get(
      RankedTensorType::get({n, channels, pixels}, element),
      scalarAttr(element, 0)));
  Value index = node.constant(makeIntAttr(
      indices, {n, channels, kernel * length}, i64Type(node)));
  if (c.failed())
    return failure();
  FailureOr<Value> summed = node.create<sd::ScatterElementsOp>(
      zeros, index, updates, node.builder().getI64IntegerAttr(2),
      node.builder().getStringAttr("add"));
  if (failed(summed))
    return failure();
  SmallVector<int64_t> shape{n, channels};
  shape.append(image->begin(), image->end());
  Value result = c.reshape(*summed, shape);
  return c.setOutput(0, result);
}

/// Scatters X into zeros of the shape MaxPool came from (indices address
/// that whole tensor, flattened), then pads at the end up to output_shape.
LogicalResult importMaxUnpool(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<Value> indices = node.input(1);
  FailureOr<SmallVector<int64_t>> kernel = node.requiredIntsAttr("kernel_shape");
  SmallVector<int64_t> pads = node.intsAttr("pads");
  SmallVector<int64_t> strides = node.intsAttr("strides");
  if (failed(input) || failed(indices) || failed(kernel) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  auto indexType = cast<RankedTensorType>(indices->getType());
  size_t r = kernel->size();
  if (type.getRank() != static_cast<int64_t>(r) + 2 || r < 1)
    return node.emitError() << "input must be [N, C, spatial...] with "
                            << r << " spatial dimensions, got " << type;
  if (indexType.getShape() != type.getShape() ||
      !isa<IntegerType>(indexType.getElementType()))
    return node.emitError() << "indices " << indexType
                            << " must be integers of the input's shape";
  if (strides.empty())
    strides.assign(r, 1);
  if (pads.empty())
    pads.assign(2 * r, 0);
  if (strides.size() != r || pads.size() != 2 * r)
    return node.emitError() << "expected " << r << " strides and " << 2 * r
                            << " pads";
  SmallVector<int64_t> inferred(type.getShape().take_front(2));
  for (size_t d = 0; d < r; ++d) {
    int64_t k = (*kernel)[d];
    if (k < 1 || strides[d] < 1 || k > kMaxWindowValue ||
        strides[d] > kMaxWindowValue || std::abs(pads[d]) > kMaxWindowValue ||
        std::abs(pads[d + r]) > kMaxWindowValue)
      return node.emitError() << "kernel_shape, strides and pads are not valid";
    int64_t size = (type.getDimSize(d + 2) - 1) * strides[d] -
                   (pads[d] + pads[d + r]) + k;
    if (size < 0)
      return node.emitError() << "the unpooled size of dimension " << d + 2
                              << " is negative";
    inferred.push_back(size);
  }
  SmallVector<int64_t> shape = inferred;
  if (node.hasInput(2)) {
    FailureOr<SmallVector<int64_t>> given =
        node.constantInts(2, "output_shape");
    if (failed(given))
      return failure();
    if (given->size() != inferred.size())
      return node.emitError() << "output_shape [" << *given << "] must have "
                              << inferred.size() << " dimensions";
    for (size_t d = 0; d < inferred.size(); ++d)
      if ((*given)[d] < inferred[d] || (*given)[d] > kMaxTensorElements ||
          (d < 2 && (*given)[d] != inferred[d]))
        return node.emitError()
               << "output_shape [" << *given << "] must keep N and C and be "
               << "at least the unpooled shape [" << inferred << "]";
    shape = *given;
  }
  int64_t total = product(inferred);
  if (total > kMaxTensorElements / 16 || product(shape) > kMaxTensorElements / 16)
    return node.emitError() << "the output is too large";
  Compose c(node);
  Type element = type.getElementType();
  int64_t count = type.getNumElements();
  Value zeros = node.constant(DenseElementsAttr::get(
      RankedTensorType::get({total}, element), scalarAttr(element, 0)));
  Value flatIndices = c.reshape(*indices, {count});
  Value flatValues = c.reshape(*input, {count});
  if (c.failed())
    return failure();
  FailureOr<Value> scattered = node.create<sd::ScatterElementsOp>(
      zeros, flatIndices, flatValues, node.builder().getI64IntegerAttr(0),
      node.builder().getStringAttr("none"));
  if (failed(scattered))
    return failure();
  Value result = c.reshape(*scattered, inferred);
  for (size_t d = 2; d < shape.size(); ++d) {
    if (shape[d] == inferred[d])
      continue;
    SmallVector<int64_t> padShape(Compose::shapeOf(result));
    padShape[d] = shape[d] - inferred[d];
    Value pad = node.constant(DenseElementsAttr::get(
        RankedTensorType::get(padShape, element), scalarAttr(element, 0)));
    result = c.concat({result, pad}, d);
  }
  return c.setOutput(0, result);
}

//===----------------------------------------------------------------------===//
// CenterCropPad
//===----------------------------------------------------------------------===//

LogicalResult importCenterCropPad(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<SmallVector<int64_t>> shape = node.constantInts(1, "shape");
  SmallVector<int64_t> axes = node.intsAttr("axes");
  if (failed(input) || failed(shape) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  if (shape->size() != axes.size())
    return node.emitError() << "shape [" << *shape << "] must have one size "
                            << "per axis (" << axes.size() << ")";
  Compose c(node);
  Value result = *input;
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    FailureOr<int64_t> axis = normalizeAxisAt(node, axes[i], rank, "axis");
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return node.emitError() << "axes [" << axes << "] repeat an axis";
    seen[*axis] = true;
    int64_t dim = type.getDimSize(*axis), want = (*shape)[i];
    if (want < 0 || want > kMaxTensorElements)
      return node.emitError() << "size " << want << " is not valid";
    if (want < dim) {
      // The extra element of an odd difference is cropped at the end.
      result = c.slice(result, *axis, (dim - want) / 2, want);
    } else if (want > dim) {
      int64_t before = (want - dim) / 2, after = want - dim - before;
      SmallVector<Value> parts;
      SmallVector<int64_t> padShape(Compose::shapeOf(result));
      for (int64_t count : {before, after}) {
        padShape[*axis] = count;
        parts.push_back(count == 0 ? Value()
                                   : node.constant(DenseElementsAttr::get(
                                         type.clone(padShape),
                                         scalarAttr(type.getElementType(),
                                                    0))));
      }
      SmallVector<Value> joined;
      if (parts[0])
        joined.push_back(parts[0]);
      joined.push_back(result);
      if (parts[1])
        joined.push_back(parts[1]);
      result = c.concat(joined, *axis);
    }
  }
  return c.setOutput(0, result);
}

//===----------------------------------------------------------------------===//
// Det
//===----------------------------------------------------------------------===//

LogicalResult importDet(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  if (!isa<FloatType>(cast<RankedTensorType>(input->getType()).getElementType()))
    return node.emitError() << "Det needs a float tensor, got "
                            << input->getType();
  return node.setOutput(0, node.create<sd::DetOp>(*input));
}

//===----------------------------------------------------------------------===//
// NonMaxSuppression: its output size depends on the data, so only
// compile-time boxes and scores are accepted; the selection is computed here.
//===----------------------------------------------------------------------===//

struct Box {
  float xMin, yMin, xMax, yMax;
};

Box boxAt(ArrayRef<float> data, bool centerPoint) {
  float a = data[0], b = data[1], c = data[2], d = data[3];
  if (centerPoint) // [x_center, y_center, width, height]
    return {a - c / 2, b - d / 2, a + c / 2, b + d / 2};
  // [y1, x1, y2, x2], either corner pair.
  return {std::min(b, d), std::min(a, c), std::max(b, d), std::max(a, c)};
}

/// Whether `b` overlaps `a` by more than `threshold` (intersection over union).
bool suppresses(const Box &a, const Box &b, float threshold) {
  float left = std::max(a.xMin, b.xMin), right = std::min(a.xMax, b.xMax);
  float top = std::max(a.yMin, b.yMin), bottom = std::min(a.yMax, b.yMax);
  if (right <= left || bottom <= top)
    return false;
  float intersection = (right - left) * (bottom - top);
  float areaA = (a.xMax - a.xMin) * (a.yMax - a.yMin);
  float areaB = (b.xMax - b.xMin) * (b.yMax - b.yMin);
  float unionArea = areaA + areaB - intersection;
  if (intersection <= 0 || areaA <= 0 || areaB <= 0 || unionArea <= 0)
    return false;
  return intersection / unionArea > threshold;
}

SmallVector<float> floatsOf(DenseElementsAttr attr) {
  SmallVector<float> values;
  for (Attribute element : attr.getValues<Attribute>()) {
    ElementNumber n = numberOf(element);
    values.push_back(static_cast<float>(n.isFloat ? n.f : n.i));
  }
  return values;
}

LogicalResult importNonMaxSuppression(NodeContext &node) {
  bool centerPoint = node.intAttr("center_point_box", 0) != 0;
  if (node.hadError())
    return failure();
  // The output's size depends on the data, so every input must be known.
  auto known = [&](unsigned i, StringRef what) {
    return node.requiredConstant(
        i, (what + ": the output size of NonMaxSuppression depends on it").str());
  };
  FailureOr<DenseElementsAttr> boxes = known(0, "boxes");
  if (failed(boxes))
    return failure();
  FailureOr<DenseElementsAttr> scores = known(1, "scores");
  if (failed(scores))
    return failure();
  int64_t maxPerClass = 0;
  float iouThreshold = 0, scoreThreshold = 0;
  bool hasScoreThreshold = false;
  for (unsigned i = 2; i < 5; ++i) {
    if (!node.hasInput(i))
      continue;
    FailureOr<DenseElementsAttr> value = known(i, "threshold");
    if (failed(value))
      return failure();
    if (value->getNumElements() == 0)
      continue;
    SmallVector<float> v = floatsOf(*value);
    if (i == 2)
      maxPerClass = std::max<int64_t>(toInt64s(*value).front(), 0);
    else if (i == 3)
      iouThreshold = v.front();
    else {
      scoreThreshold = v.front();
      hasScoreThreshold = true;
    }
  }
  auto boxType = cast<RankedTensorType>(boxes->getType());
  auto scoreType = cast<RankedTensorType>(scores->getType());
  if (boxType.getRank() != 3 || boxType.getDimSize(2) != 4 ||
      scoreType.getRank() != 3 ||
      scoreType.getDimSize(0) != boxType.getDimSize(0) ||
      scoreType.getDimSize(2) != boxType.getDimSize(1))
    return node.emitError() << "boxes must be [batches, boxes, 4] and scores "
                               "[batches, classes, boxes], got "
                            << boxType << " and " << scoreType;
  if (!(iouThreshold >= 0 && iouThreshold <= 1))
    return node.emitError() << "iou_threshold " << iouThreshold
                            << " must be in [0, 1]";
  int64_t batches = boxType.getDimSize(0), count = boxType.getDimSize(1);
  int64_t classes = scoreType.getDimSize(1);
  SmallVector<float> boxData = floatsOf(*boxes), scoreData = floatsOf(*scores);
  SmallVector<int64_t> selected;
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t k = 0; k < classes; ++k) {
      const float *score = &scoreData[(b * classes + k) * count];
      SmallVector<int64_t> candidates;
      for (int64_t i = 0; i < count; ++i)
        if (!hasScoreThreshold || score[i] > scoreThreshold)
          candidates.push_back(i);
      // Highest score first; ties keep the lower index first.
      std::stable_sort(candidates.begin(), candidates.end(),
                       [&](int64_t x, int64_t y) { return score[x] > score[y]; });
      SmallVector<Box> kept;
      for (int64_t i : candidates) {
        if (static_cast<int64_t>(kept.size()) >= maxPerClass)
          break;
        Box box = boxAt(ArrayRef<float>(boxData).slice((b * count + i) * 4, 4),
                        centerPoint);
        if (llvm::any_of(kept, [&](const Box &other) {
              return suppresses(box, other, iouThreshold);
            }))
          continue;
        kept.push_back(box);
        selected.append({b, k, i});
      }
    }
  int64_t rows = selected.size() / 3;
  node.setConstantOutput(0, makeIntAttr(selected, {rows, 3}, i64Type(node)));
  return success();
}

//===----------------------------------------------------------------------===//
// ImageDecoder
//===----------------------------------------------------------------------===//

LogicalResult importImageDecoder(NodeContext &node) {
  return node.emitError() << "ImageDecoder is not supported: decoding encoded "
                             "images needs image codecs in the runtime, which "
                             "Sinter does not link; decode before inference";
}

} // namespace

void registerVisionImporters(ImporterTable &table) {
  table["GridSample"] = {importGridSample, 16};
  table["AffineGrid"] = {importAffineGrid, 20};
  table["RoiAlign"] = {importRoiAlign, 10};
  table["Col2Im"] = {importCol2Im, 18};
  table["MaxUnpool"] = {importMaxUnpool, 9};
  table["CenterCropPad"] = {importCenterCropPad, 18};
  table["DeformConv"] = {importDeformConv, 19};
  table["Det"] = {importDet, 11};
  table["NonMaxSuppression"] = {importNonMaxSuppression, 10};
  table["ImageDecoder"] = {importImageDecoder, 20};
}

} // namespace sinter::onnx_import
