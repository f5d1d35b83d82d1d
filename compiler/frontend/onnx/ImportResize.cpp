// Pad, Resize and Upsample, built from slices, concats and gathers whose indices and weights are computed at compile time.
#include "frontend/onnx/Importer.h"

#include <cmath>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// `shape` with dimension `axis` replaced.
SmallVector<int64_t> withDim(ArrayRef<int64_t> shape, int64_t axis,
                             int64_t size) {
  SmallVector<int64_t> result(shape);
  result[axis] = size;
  return result;
}

/// A slice of `value` along one axis.
FailureOr<Value> sliceAxis(NodeContext &node, Value value, int64_t axis,
                           int64_t start, int64_t size, int64_t step) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> starts(type.getRank(), 0), steps(type.getRank(), 1);
  SmallVector<int64_t> sizes = withDim(type.getShape(), axis, size);
  starts[axis] = start;
  steps[axis] = step;
  return node.create<sd::SliceOp>(value, starts, sizes, steps);
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// The padding of one side of one axis in `mode`, or failure.
/// The value padding fills with: known (a splat) or computed (added to zeros).
struct PadFill {
  Attribute known;
  Value runtime;
};

FailureOr<Value> padPart(NodeContext &node, Value value, int64_t axis,
                         int64_t count, bool before, StringRef mode,
                         const PadFill &fill) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t dim = type.getDimSize(axis);
  SmallVector<int64_t> shape = withDim(type.getShape(), axis, count);
  if (mode == "constant") {
    Value splat = node.constant(
        DenseElementsAttr::get(type.clone(shape), fill.known));
    return fill.runtime ? node.create<sd::AddOp>(splat, fill.runtime) : splat;
  }
  if (mode == "edge") {
    if (dim < 1)
      return node.emitError() << "cannot edge-pad an empty dimension";
    FailureOr<Value> edge =
        sliceAxis(node, value, axis, before ? 0 : dim - 1, 1, 1);
    if (failed(edge))
      return failure();
    Attribute one = scalarAttr(type.getElementType(), 1.0);
    return node.create<sd::MulOp>(
        *edge, node.constant(DenseElementsAttr::get(type.clone(shape), one)));
  }
  if (mode == "reflect") {
    // The mirror image excludes the edge element itself.
    if (count > dim - 1)
      return node.emitError() << "reflect padding of " << count
                              << " needs a dimension larger than " << dim;
    return sliceAxis(node, value, axis, before ? count : dim - 2, count, -1);
  }
  if (mode == "wrap") {
    if (count > dim)
      return node.emitError() << "wrap padding of " << count
                              << " exceeds the dimension " << dim;
    return sliceAxis(node, value, axis, before ? dim - count : 0, count, 1);
  }
  return node.emitError() << "unknown pad mode '" << mode << "'";
}

LogicalResult importPad(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  std::string mode = node.stringAttr("mode", "constant");
  SmallVector<int64_t> pads, axes;
  Type element = type.getElementType();
  PadFill fill{scalarAttr(element, 0), Value()};
  if (node.opset() < 11) {
    FailureOr<SmallVector<int64_t>> given = node.requiredIntsAttr("pads");
    if (failed(given))
      return failure();
    pads = *given;
    fill.known = scalarAttr(element, node.floatAttr("value", 0.0f));
  } else {
    FailureOr<SmallVector<int64_t>> given = node.constantInts(1, "pads");
    if (failed(given))
      return failure();
    pads = *given;
    // The fill is a scalar, possibly written as a one-element vector.
    if (DenseElementsAttr known = node.constantInput(2)) {
      if (known.getNumElements() != 1 || known.getElementType() != element)
        return node.emitError() << "constant_value must be one " << element
                                << " value, got " << known.getType();
      fill.known = *known.getValues<Attribute>().begin();
    } else if (node.hasInput(2)) {
      FailureOr<Value> value = node.input(2);
      if (failed(value))
        return failure();
      FailureOr<Value> scalar = node.reshape(*value, {});
      if (failed(scalar))
        return failure();
      fill.runtime = *scalar;
    }
    if (node.hasInput(3)) {
      FailureOr<SmallVector<int64_t>> given = node.constantInts(3, "axes");
      if (failed(given))
        return failure();
      axes = *given;
    }
  }
  if (node.hadError())
    return failure();
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  size_t count = axes.size();
  if (pads.size() != 2 * count)
    return node.emitError() << "expected " << 2 * count
                            << " pads (begins, then ends), got " << pads.size();

  Value result = *input;
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < count; ++i) {
    FailureOr<int64_t> axis = normalizeAxisAt(node, axes[i], rank, "axis");
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return node.emitError() << "axes [" << axes << "] repeat an axis";
    seen[*axis] = true;
    int64_t begin = pads[i], end = pads[i + count];
    int64_t dim = cast<RankedTensorType>(result.getType()).getDimSize(*axis);
    if (std::abs(begin) > kMaxTensorElements ||
        std::abs(end) > kMaxTensorElements)
      return node.emitError() << "pads [" << pads << "] are too large";
    // Negative pads crop.
    int64_t cropBegin = std::max<int64_t>(-begin, 0);
    int64_t cropEnd = std::max<int64_t>(-end, 0);
    if (cropBegin + cropEnd > dim)
      return node.emitError() << "pads [" << pads << "] remove more than the "
                              << dim << " elements of axis " << *axis;
    if (cropBegin + cropEnd > 0) {
      FailureOr<Value> cropped = sliceAxis(node, result, *axis, cropBegin,
                                           dim - cropBegin - cropEnd, 1);
      if (failed(cropped))
        return failure();
      result = *cropped;
    }
    SmallVector<Value> parts;
    if (begin > 0) {
      FailureOr<Value> part =
          padPart(node, result, *axis, begin, /*before=*/true, mode, fill);
      if (failed(part))
        return failure();
      parts.push_back(*part);
    }
    parts.push_back(result);
    if (end > 0) {
      FailureOr<Value> part =
          padPart(node, result, *axis, end, /*before=*/false, mode, fill);
      if (failed(part))
        return failure();
      parts.push_back(*part);
    }
    if (parts.size() > 1) {
      FailureOr<Value> joined = node.create<sd::ConcatOp>(parts, *axis);
      if (failed(joined))
        return failure();
      result = *joined;
    }
  }
  node.setOutput(0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

/// How Resize maps output coordinates to input ones and samples there.
struct ResizeMode {
  std::string mode;           // nearest, linear, cubic
  std::string transformation; // coordinate_transformation_mode
  std::string nearest;        // nearest_mode
  double cubicA = -0.75;
  bool excludeOutside = false;
  /// Linear and cubic kernels widen by 1 / scale when shrinking.
  bool antialias = false;
};

/// tf_crop_and_resize's region of one axis, as fractions of the input.
struct Region {
  double start = 0.0, end = 1.0;
};

/// One output element along an axis: a weighted sum of input elements, or
/// (`extrapolated`) the extrapolation value.
struct Taps {
  SmallVector<int64_t, 4> index;
  SmallVector<double, 4> weight;
  bool extrapolated = false;
};

FailureOr<double> sourceCoordinate(NodeContext &node, const ResizeMode &m,
                                   int64_t o, int64_t in, int64_t out,
                                   double scale, Region roi) {
  double x = static_cast<double>(o);
  const std::string &t = m.transformation;
  if (t == "tf_crop_and_resize") {
    double length = scale * in, span = (roi.end - roi.start) * (in - 1);
    double offset = roi.start * (in - 1);
    return length == 1.0 ? span / 2 + offset
                         : x * span / (length - 1) + offset;
  }
  if (t == "half_pixel")
    return (x + 0.5) / scale - 0.5;
  if (t == "half_pixel_symmetric") {
    double adjustment = out / (scale * in);
    double offset = in / 2.0 * (1 - adjustment);
    return offset + (x + 0.5) / scale - 0.5;
  }
  // The specification's resized length is in * scale, not rounded (where
  // onnxruntime rounds it, the two disagree on fractional output sizes).
  double length = scale * in;
  if (t == "pytorch_half_pixel")
    return length == 1.0 ? -0.5 : (x + 0.5) / scale - 0.5;
  if (t == "align_corners")
    return length == 1.0 ? 0.0 : x * (in - 1) / (length - 1);
  if (t == "asymmetric")
    return x / scale;
  if (t == "tf_half_pixel_for_nn")
    return (x + 0.5) / scale;
  return node.emitError() << "coordinate_transformation_mode '" << t
                          << "' is not supported";
}

std::array<double, 4> cubicWeights(double r, double a) {
  auto near = [&](double x) { return ((a + 2) * x - (a + 3)) * x * x + 1; };
  auto far = [&](double x) { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a; };
  return {far(r + 1), near(r), near(1 - r), far(2 - r)};
}

/// The antialiasing kernel at distance `d` (in output pixels).
double antialiasKernel(const ResizeMode &m, double d) {
  d = std::abs(d);
  if (m.mode == "linear")
    return std::max(0.0, 1.0 - d);
  double a = m.cubicA;
  if (d <= 1)
    return ((a + 2) * d - (a + 3)) * d * d + 1;
  if (d < 2)
    return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  return 0.0;
}

/// Antialiased taps around `x`: the kernel stretched by 1 / scale when
/// shrinking, over the window the specification's reference uses, weights
/// normalized to sum 1.
Taps antialiasTaps(const ResizeMode &m, double x, int64_t in, double scale) {
  double s = std::min(scale, 1.0);
  double support = m.mode == "linear" ? 1.0 : 2.0;
  int64_t start = static_cast<int64_t>(std::floor(-support / s)) + 1;
  int64_t width = 2 - 2 * start;
  double floor = std::floor(x);
  // An integral coordinate puts its window one element lower.
  int64_t first = static_cast<int64_t>(floor) + start - (x == floor ? 1 : 0);
  Taps t;
  double sum = 0;
  for (int64_t k = 0; k < width; ++k) {
    int64_t j = first + k;
    double w = antialiasKernel(m, s * (static_cast<double>(j) - x));
    if (m.excludeOutside && (j < 0 || j >= in))
      w = 0;
    t.index.push_back(std::clamp<int64_t>(j, 0, in - 1));
    t.weight.push_back(w);
    sum += w;
  }
  if (sum != 0)
    for (double &w : t.weight)
      w /= sum;
  return t;
}

/// The taps of every output element along an axis of size `in`.
FailureOr<SmallVector<Taps>> computeTaps(NodeContext &node,
                                         const ResizeMode &m, int64_t in,
                                         int64_t out, double scale,
                                         Region roi) {
  SmallVector<Taps> taps;
  auto clampIndex = [&](int64_t i) { return std::clamp<int64_t>(i, 0, in - 1); };
  for (int64_t o = 0; o < out; ++o) {
    FailureOr<double> x = sourceCoordinate(node, m, o, in, out, scale, roi);
    if (failed(x))
      return failure();
    if (m.transformation == "tf_crop_and_resize" &&
        !(*x >= 0 && *x <= static_cast<double>(in - 1))) {
      // No input element there: every tap reads index 0 with weight 0.
      Taps t;
      size_t width =
          m.mode == "nearest" ? 1 : m.mode == "linear" ? 2 : 4;
      if (m.antialias && m.mode != "nearest")
        width = antialiasTaps(m, 0.0, in, scale).index.size();
      t.index.assign(width, 0);
      t.weight.assign(width, 0.0);
      t.extrapolated = true;
      taps.push_back(t);
      continue;
    }
    // Far outside the input every tap clamps to an edge anyway; keep the
    // index arithmetic in range.
    *x = std::clamp(*x, -2.0 * in - 4, 2.0 * in + 4);
    double floor = std::floor(*x);
    double r = *x - floor;
    int64_t base = static_cast<int64_t>(floor);
    Taps t;
    if (m.antialias && m.mode != "nearest") {
      t = antialiasTaps(m, *x, in, scale);
    } else if (m.mode == "nearest") {
      bool up;
      if (r == 0.0)
        up = false;
      else if (m.nearest == "round_prefer_floor")
        up = r > 0.5;
      else if (m.nearest == "round_prefer_ceil")
        up = r >= 0.5;
      else if (m.nearest == "floor")
        up = false;
      else if (m.nearest == "ceil")
        up = true;
      else if (m.nearest == "legacy")
        up = scale < 1.0;
      else
        return node.emitError() << "unknown nearest_mode '" << m.nearest << "'";
      t.index.push_back(clampIndex(base + (up ? 1 : 0)));
      t.weight.push_back(1.0);
    } else if (m.mode == "linear") {
      t.index = {clampIndex(base), clampIndex(base + 1)};
      t.weight = {1 - r, r};
    } else {
      std::array<double, 4> w = cubicWeights(r, m.cubicA);
      double sum = 0;
      for (int k = 0; k < 4; ++k) {
        int64_t i = base - 1 + k;
        if (m.excludeOutside && (i < 0 || i >= in))
          w[k] = 0;
        sum += w[k];
        t.index.push_back(clampIndex(i));
      }
      for (int k = 0; k < 4; ++k)
        t.weight.push_back(m.excludeOutside && sum != 0 ? w[k] / sum : w[k]);
    }
    taps.push_back(t);
  }
  return taps;
}

/// Resamples `value` along `axis` to `out` elements: one gather per tap with
/// compile-time indices, weighted and summed.
FailureOr<Value> resampleAxis(NodeContext &node, Value value, int64_t axis,
                              ArrayRef<Taps> taps, double extrapolation) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t out = taps.size();
  size_t width = taps.empty() ? 0 : taps.front().index.size();
  Type i64 = IntegerType::get(node.context(), 64);
  // The weights broadcast along `axis`: [out, 1, ..., 1].
  SmallVector<int64_t> weightShape(type.getRank() - axis, 1);
  weightShape[0] = out;
  Value sum;
  for (size_t k = 0; k < width; ++k) {
    SmallVector<int64_t> indices;
    SmallVector<Attribute> weights;
    bool zero = true, one = true;
    for (const Taps &t : taps) {
      indices.push_back(t.index[k]);
      zero &= t.weight[k] == 0.0;
      one &= t.weight[k] == 1.0;
      weights.push_back(scalarAttr(type.getElementType(), t.weight[k]));
    }
    if (zero)
      continue;
    FailureOr<Value> gathered = node.create<sd::GatherOp>(
        value, node.constant(makeIntAttr(indices, {out}, i64)), axis);
    if (failed(gathered))
      return failure();
    Value term = *gathered;
    if (!one) {
      Value w = node.constant(DenseElementsAttr::get(
          RankedTensorType::get(weightShape, type.getElementType()), weights));
      FailureOr<Value> weighted = node.create<sd::MulOp>(term, w);
      if (failed(weighted))
        return failure();
      term = *weighted;
    }
    if (!sum) {
      sum = term;
      continue;
    }
    FailureOr<Value> added = node.create<sd::AddOp>(sum, term);
    if (failed(added))
      return failure();
    sum = *added;
  }
  // Extrapolated outputs have only zero weights; their value is added.
  if (llvm::any_of(taps, [](const Taps &t) { return t.extrapolated; })) {
    SmallVector<Attribute> fill;
    for (const Taps &t : taps)
      fill.push_back(scalarAttr(type.getElementType(),
                                t.extrapolated ? extrapolation : 0.0));
    Value w = node.constant(DenseElementsAttr::get(
        RankedTensorType::get(weightShape, type.getElementType()), fill));
    if (!sum) {
      SmallVector<int64_t> shape(type.getShape());
      shape[axis] = out;
      sum = node.constant(DenseElementsAttr::get(
          type.clone(shape), scalarAttr(type.getElementType(), 0.0)));
    }
    FailureOr<Value> added = node.create<sd::AddOp>(sum, w);
    if (failed(added))
      return failure();
    sum = *added;
  }
  if (!sum) // every weight zero: only an all-zero cubic kernel gets here
    return node.emitError() << "the resize weights are all zero";
  return sum;
}

/// Resize (opset 10+) and Upsample (opset 7-9): the output size and per-axis
/// scales, then one resampling per axis that changes.
LogicalResult importResize(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  bool legacy = node.opType() == "Upsample" || node.opset() < 11;
  ResizeMode m;
  m.mode = node.stringAttr("mode", "nearest");
  m.transformation = legacy ? "asymmetric"
                            : node.stringAttr("coordinate_transformation_mode",
                                              "half_pixel");
  // Upsample and Resize-10 round down when enlarging and up when shrinking
  // (what onnxruntime does; the specification left it open).
  m.nearest = legacy ? "legacy"
                     : node.stringAttr("nearest_mode", "round_prefer_floor");
  m.cubicA = node.floatAttr("cubic_coeff_a", -0.75f);
  m.excludeOutside = node.intAttr("exclude_outside", 0) != 0;
  std::string policy = node.stringAttr("keep_aspect_ratio_policy", "stretch");
  SmallVector<int64_t> axes = node.intsAttr("axes");
  m.antialias = node.intAttr("antialias", 0) != 0;
  double extrapolation = node.floatAttr("extrapolation_value", 0.0f);
  if (node.hadError())
    return failure();
  if (m.mode == "bilinear" || m.mode == "trilinear")
    m.mode = "linear"; // Upsample-7's names
  if (m.mode != "nearest" && m.mode != "linear" && m.mode != "cubic")
    return node.emitError() << "unknown mode '" << m.mode << "'";
  if (m.mode != "nearest" && !isa<FloatType>(type.getElementType()))
    return node.emitError() << m.mode << " resizing needs a float tensor";

  // Scales and sizes: Upsample-7 has a scales attribute, Upsample-9 and
  // Resize-10 a scales input, Resize-11+ scales or sizes inputs.
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
  auto readScales = [&](unsigned i) -> LogicalResult {
    FailureOr<DenseElementsAttr> known = node.requiredConstant(i, "scales");
    if (failed(known))
      return failure();
    if (!isa<FloatType>(known->getElementType()))
      return node.emitError() << "scales must be a float tensor";
    for (const APFloat &v : known->getValues<APFloat>()) {
      APFloat d = v;
      bool lost;
      d.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      scales.push_back(d.convertToDouble());
    }
    return success();
  };
  if (node.opType() == "Upsample" && node.opset() < 9) {
    const onnx::AttributeProto *a = node.attr("scales");
    if (!a)
      return node.emitError() << "missing required attribute 'scales'";
    scales.assign(a->floats().begin(), a->floats().end());
  } else if (legacy) {
    if (failed(readScales(1)))
      return failure();
  } else {
    DenseElementsAttr scaleInput = node.constantInput(2);
    if (node.hasInput(2) && !(scaleInput && scaleInput.getNumElements() == 0)) {
      if (failed(readScales(2)))
        return failure();
    } else if (node.hasInput(3)) {
      FailureOr<SmallVector<int64_t>> given = node.constantInts(3, "sizes");
      if (failed(given))
        return failure();
      sizes = *given;
    } else {
      return node.emitError() << "Resize needs scales or sizes";
    }
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  size_t given = scales.empty() ? sizes.size() : scales.size();
  if (given != axes.size())
    return node.emitError() << "expected " << axes.size()
                            << " scales or sizes, got " << given;

  // Per-dimension output size and scale; untouched dimensions keep scale 1.
  SmallVector<int64_t> outShape(type.getShape());
  SmallVector<double> axisScale(rank, 1.0);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    FailureOr<int64_t> d = normalizeAxisAt(node, axes[i], rank, "axis");
    if (failed(d))
      return failure();
    if (seen[*d])
      return node.emitError() << "axes [" << axes << "] repeat an axis";
    seen[*d] = true;
    int64_t in = type.getDimSize(*d);
    if (!scales.empty()) {
      if (!(scales[i] > 0) || in * scales[i] > kMaxTensorElements)
        return node.emitError() << "scale " << scales[i] << " is not valid";
      axisScale[*d] = scales[i];
      outShape[*d] = static_cast<int64_t>(std::floor(in * scales[i]));
    } else {
      if (sizes[i] < 0 || sizes[i] > kMaxTensorElements || in == 0)
        return node.emitError() << "size " << sizes[i] << " is not valid";
      axisScale[*d] = static_cast<double>(sizes[i]) / in;
      outShape[*d] = sizes[i];
    }
  }
  if (!sizes.empty() && policy != "stretch") {
    if (policy != "not_larger" && policy != "not_smaller")
      return node.emitError() << "unknown keep_aspect_ratio_policy '" << policy
                              << "'";
    double scale = policy == "not_larger" ? INFINITY : 0.0;
    for (int64_t d = 0; d < rank; ++d)
      if (seen[d])
        scale = policy == "not_larger" ? std::min(scale, axisScale[d])
                                       : std::max(scale, axisScale[d]);
    for (int64_t d = 0; d < rank; ++d)
      if (seen[d]) {
        double size = scale * type.getDimSize(d) + 0.5;
        if (!(size < kMaxTensorElements))
          return node.emitError() << "the resized shape is too large";
        axisScale[d] = scale;
        outShape[d] = static_cast<int64_t>(size);
      }
  }

  // tf_crop_and_resize's region: starts, then ends, one per axis.
  SmallVector<Region> regions(rank);
  bool cropping = m.transformation == "tf_crop_and_resize";
  if (cropping) {
    FailureOr<DenseElementsAttr> roi = node.requiredConstant(1, "roi");
    if (failed(roi))
      return failure();
    if (!isa<FloatType>(roi->getElementType()) ||
        roi->getNumElements() != static_cast<int64_t>(2 * axes.size()))
      return node.emitError() << "roi must hold " << 2 * axes.size()
                              << " floats (starts, then ends), got "
                              << roi->getType();
    SmallVector<double> values;
    for (Attribute v : roi->getValues<Attribute>())
      values.push_back(numberOf(v).f);
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t d = *sd::normalizeAxis(axes[i], rank);
      regions[d] = {values[i], values[i + axes.size()]};
      if (!std::isfinite(values[i]) || !std::isfinite(values[i + axes.size()]))
        return node.emitError() << "roi must be finite";
    }
  }

  Value result = *input;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t in = type.getDimSize(d), out = outShape[d];
    if (in == out && axisScale[d] == 1.0 &&
        (!cropping || (regions[d].start == 0.0 && regions[d].end == 1.0)))
      continue;
    if (in == 0 || out == 0)
      return node.emitError() << "cannot resize dimension " << d << " from "
                              << in << " to " << out;
    FailureOr<SmallVector<Taps>> taps =
        computeTaps(node, m, in, out, axisScale[d], regions[d]);
    if (failed(taps))
      return failure();
    FailureOr<Value> resampled =
        resampleAxis(node, result, d, *taps, extrapolation);
    if (failed(resampled))
      return failure();
    result = *resampled;
  }
  node.setOutput(0, result);
  return success();
}

} // namespace

void registerResizeImporters(ImporterTable &table) {
  table["Pad"] = {importPad, 2};
  table["Resize"] = {importResize, 10};
  table["Upsample"] = {importResize, 7};
}

} // namespace sinter::onnx_import
