// Signal ops: DFT and STFT as matrix products with compile-time DFT matrices, window functions and MelWeightMatrix as constants, TfIdfVectorizer as n-gram matches.
#include "frontend/onnx/Compose.h"

#include <cmath>
#include <map>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// The largest DFT matrix (rows x columns) built; beyond it a fast transform
/// would be needed, which Sinter does not have.
constexpr int64_t kMaxDftMatrix = int64_t(1) << 24;

/// Every element of a constant as a double.
SmallVector<double> doublesOf(DenseElementsAttr attr) {
  SmallVector<double> values;
  for (Attribute element : attr.getValues<Attribute>()) {
    ElementNumber n = numberOf(element);
    values.push_back(n.isFloat ? n.f : static_cast<double>(n.i));
  }
  return values;
}

/// A scalar (or one-element) compile-time input as a double.
FailureOr<double> scalarInput(NodeContext &node, unsigned i, StringRef what) {
  FailureOr<DenseElementsAttr> known = node.requiredConstant(i, what);
  if (failed(known))
    return failure();
  if (known->getNumElements() != 1)
    return node.emitError() << what << " must be a scalar, got "
                            << known->getType();
  return doublesOf(*known).front();
}

FailureOr<int64_t> scalarIntInput(NodeContext &node, unsigned i,
                                  StringRef what) {
  FailureOr<SmallVector<int64_t>> known = node.constantInts(i, what);
  if (failed(known))
    return failure();
  if (known->size() != 1)
    return node.emitError() << what << " must be a scalar";
  return known->front();
}

/// The element type `output_datatype` names (default float).
FailureOr<Type> outputDatatype(NodeContext &node) {
  int64_t code = node.intAttr("output_datatype", 1);
  if (node.hadError())
    return failure();
  Type type = convertElementType(node.context(), static_cast<int32_t>(code));
  if (!type)
    return node.emitError() << "output_datatype " << dataTypeName(code)
                            << " is not supported";
  return type;
}

DenseElementsAttr makeAttr(Type element, ArrayRef<int64_t> shape,
                           ArrayRef<double> values) {
  SmallVector<Attribute> elements;
  elements.reserve(values.size());
  for (double v : values)
    elements.push_back(scalarAttr(element, v));
  return DenseElementsAttr::get(RankedTensorType::get(shape, element),
                                elements);
}

//===----------------------------------------------------------------------===//
// Window functions and MelWeightMatrix: compile-time constants
//===----------------------------------------------------------------------===//

enum class Window { Hann, Hamming, Blackman };

template <Window W> LogicalResult importWindow(NodeContext &node) {
  FailureOr<int64_t> size = scalarIntInput(node, 0, "size");
  FailureOr<Type> element = outputDatatype(node);
  bool periodic = node.intAttr("periodic", 1) != 0;
  if (failed(size) || failed(element) || node.hadError())
    return failure();
  if (*size < 0 || *size > kMaxTensorElements / 64)
    return node.emitError() << "window size " << *size << " is not valid";
  // N: the period; the symmetric window ends where the periodic one would
  // start again.
  double n = static_cast<double>(periodic ? *size : *size - 1);
  SmallVector<double> values;
  for (int64_t i = 0; i < *size; ++i) {
    // A one-point symmetric window has no period (0 / 0); it is 1, as in
    // PyTorch and SciPy.
    if (n == 0) {
      values.push_back(1.0);
      continue;
    }
    double x = M_PI * static_cast<double>(i) / n;
    double v = 0;
    if (W == Window::Hann)
      v = std::sin(x) * std::sin(x);
    else if (W == Window::Hamming)
      v = 25.0 / 46.0 - (21.0 / 46.0) * std::cos(2 * x);
    else
      v = 0.42 - 0.5 * std::cos(2 * x) + 0.08 * std::cos(4 * x);
    values.push_back(v);
  }
  node.setConstantOutput(0, makeAttr(*element, {*size}, values));
  return success();
}

/// Triangular filters between mel-spaced frequencies, as the specification's
/// reference computes them (bin edges rounded down to DFT bins).
LogicalResult importMelWeightMatrix(NodeContext &node) {
  FailureOr<int64_t> bins = scalarIntInput(node, 0, "num_mel_bins");
  FailureOr<int64_t> dftLength = scalarIntInput(node, 1, "dft_length");
  FailureOr<int64_t> rate = scalarIntInput(node, 2, "sample_rate");
  FailureOr<double> lower = scalarInput(node, 3, "lower_edge_hertz");
  FailureOr<double> upper = scalarInput(node, 4, "upper_edge_hertz");
  FailureOr<Type> element = outputDatatype(node);
  if (failed(bins) || failed(dftLength) || failed(rate) || failed(lower) ||
      failed(upper) || failed(element))
    return failure();
  if (*bins < 1 || *dftLength < 1 || *rate < 1 ||
      *bins * (*dftLength / 2 + 1) > kMaxDftMatrix)
    return node.emitError() << "num_mel_bins, dft_length and sample_rate must "
                               "be positive and not too large";
  if (!(*lower >= 0) || !(*upper > *lower))
    return node.emitError() << "the edges must satisfy 0 <= lower < upper";
  int64_t spectrogramBins = *dftLength / 2 + 1;
  // The edges in mel, in single precision like the reference's inputs.
  auto toMel = [](double hz) {
    return static_cast<double>(static_cast<float>(
        2595.0f * std::log1p(static_cast<float>(hz) / 700.0f) /
        static_cast<float>(std::log(10.0))));
  };
  double lowMel = toMel(*lower), highMel = toMel(*upper);
  double step = (highMel - lowMel) / static_cast<double>(*bins + 2);
  SmallVector<int64_t> edges;
  for (int64_t i = 0; i < *bins + 2; ++i) {
    double mel = static_cast<double>(i) * step + lowMel;
    double hz = 700.0 * std::expm1(mel / 2595.0 * std::log(10.0));
    double bin = std::floor(static_cast<double>(*dftLength + 1) * hz /
                            static_cast<double>(*rate));
    edges.push_back(std::clamp<int64_t>(static_cast<int64_t>(bin), 0,
                                        spectrogramBins - 1));
  }
  SmallVector<double> values(spectrogramBins * *bins, 0.0);
  auto at = [&](int64_t j, int64_t i) -> double & {
    return values[j * *bins + i];
  };
  for (int64_t i = 0; i < *bins; ++i) {
    int64_t left = edges[i], center = edges[i + 1], right = edges[i + 2];
    if (center == left)
      at(center, i) = 1;
    else
      for (int64_t j = left; j <= center; ++j)
        at(j, i) = static_cast<double>(j - left) / (center - left);
    for (int64_t j = center; j < right; ++j)
      at(j, i) = static_cast<double>(right - j) / (right - center);
  }
  node.setConstantOutput(0,
                         makeAttr(*element, {spectrogramBins, *bins}, values));
  return success();
}

//===----------------------------------------------------------------------===//
// DFT and STFT
//===----------------------------------------------------------------------===//

/// The transform of signals along the last axis of `real` (and `imag`, null
/// for a real signal), both [..., L]: `length` points (the signal truncated
/// or zero-padded), the first `bins` outputs. `halfSpectrum` marks an inverse
/// transform from a one-sided spectrum: the hidden conjugate half doubles the
/// inner bins and only the real part comes out. Returns (real, imag).
struct Spectrum {
  Value real, imag;
};

FailureOr<Spectrum> transformLastAxis(Compose &c, Value real, Value imag,
                                      int64_t length, int64_t bins,
                                      bool inverse, bool halfSpectrum) {
  NodeContext &node = c.context();
  ArrayRef<int64_t> shape = Compose::shapeOf(real);
  Type element = Compose::elementOf(real);
  int64_t available = shape.back();
  int64_t used = std::min(available, length);
  if (used * bins > kMaxDftMatrix || length < 1)
    return node.emitError() << "a DFT of length " << length
                            << " is not supported (the largest is "
                            << static_cast<int64_t>(std::sqrt(kMaxDftMatrix))
                            << " points)";
  // Truncation drops samples; zero padding adds nothing to the sums.
  if (used < available) {
    real = c.slice(real, shape.size() - 1, 0, used);
    if (imag)
      imag = c.slice(imag, shape.size() - 1, 0, used);
  }
  SmallVector<int64_t> batchShape(shape.drop_back());
  int64_t rows = product(batchShape);
  SmallVector<double> cosines(used * bins), sines(used * bins);
  double scale = inverse ? 1.0 / static_cast<double>(length) : 1.0;
  for (int64_t t = 0; t < used; ++t)
    for (int64_t k = 0; k < bins; ++k) {
      // (t * k) mod length keeps the angle exact for long transforms.
      double angle = 2 * M_PI *
                     static_cast<double>((t * k) % length) /
                     static_cast<double>(length);
      double weight = scale;
      if (halfSpectrum && t != 0 && !(length % 2 == 0 && t == length / 2))
        weight *= 2;
      cosines[t * bins + k] = weight * std::cos(angle);
      // Forward: e^{-i angle}; inverse: e^{+i angle}.
      sines[t * bins + k] = (inverse ? weight : -weight) * std::sin(angle);
    }
  Value cosMatrix = c.constant(element, {used, bins}, cosines);
  Value sinMatrix = c.constant(element, {used, bins}, sines);
  Value r2 = c.reshape(real, {rows, used});
  Value i2 = imag ? c.reshape(imag, {rows, used}) : Value();
  // (a + ib)(cos + i sin) = (a cos - b sin) + i (a sin + b cos).
  Value outReal = c.matmul(r2, cosMatrix);
  Value outImag = c.matmul(r2, sinMatrix);
  if (i2) {
    outReal = c.sub(outReal, c.matmul(i2, sinMatrix));
    outImag = c.add(outImag, c.matmul(i2, cosMatrix));
  }
  SmallVector<int64_t> outShape(batchShape);
  outShape.push_back(bins);
  if (c.failed())
    return failure();
  return Spectrum{c.reshape(outReal, outShape), c.reshape(outImag, outShape)};
}

/// [..., 1] or [..., 2] split into its real and imaginary parts (imag null
/// for a real signal), each [...].
std::pair<Value, Value> splitComplex(Compose &c, Value x) {
  ArrayRef<int64_t> shape = Compose::shapeOf(x);
  SmallVector<int64_t> parts(shape.drop_back());
  int64_t last = shape.size() - 1;
  Value real = c.reshape(c.slice(x, last, 0, 1), parts);
  if (shape.back() == 1)
    return {real, Value()};
  return {real, c.reshape(c.slice(x, last, 1, 1), parts)};
}

/// Real and imaginary parts [...] stacked into [..., 2] (or [..., 1] for
/// `realOnly`).
Value joinComplex(Compose &c, Spectrum s, bool realOnly) {
  SmallVector<int64_t> shape(Compose::shapeOf(s.real));
  shape.push_back(1);
  Value real = c.reshape(s.real, shape);
  if (realOnly)
    return real;
  return c.concat({real, c.reshape(s.imag, shape)}, shape.size() - 1);
}

LogicalResult importDFT(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  bool inverse = node.intAttr("inverse", 0) != 0;
  bool onesided = node.intAttr("onesided", 0) != 0;
  int64_t axis = node.opset() < 20 ? node.intAttr("axis", 1) : -2;
  if (node.hadError())
    return failure();
  if (!isa<FloatType>(type.getElementType()))
    return node.emitError() << "DFT needs a float signal, got " << type;
  if (rank < 2 || (type.getShape().back() != 1 && type.getShape().back() != 2))
    return node.emitError() << "the signal must be [..., 1] (real) or "
                               "[..., 2] (complex), got "
                            << type;
  if (node.opset() >= 20 && node.hasInput(2)) {
    FailureOr<int64_t> given = scalarIntInput(node, 2, "axis");
    if (failed(given))
      return failure();
    axis = *given;
  }
  FailureOr<int64_t> normalized = normalizeAxisAt(node, axis, rank, "axis");
  if (failed(normalized))
    return failure();
  if (*normalized == rank - 1)
    return node.emitError() << "axis " << axis
                            << " is the real/imaginary dimension";
  int64_t n = type.getDimSize(*normalized);
  int64_t length = inverse && onesided ? 2 * (n - 1) : n;
  if (node.hasInput(1)) {
    FailureOr<int64_t> given = scalarIntInput(node, 1, "dft_length");
    if (failed(given))
      return failure();
    length = *given;
  }
  if (length < 1)
    return node.emitError() << "dft_length " << length << " must be positive";

  Compose c(node);
  // Move the transformed axis last: [others..., n].
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != *normalized)
      perm.push_back(d);
  perm.push_back(*normalized);
  auto [real, imag] = splitComplex(c, *input);
  real = c.transpose(real, perm);
  if (imag)
    imag = c.transpose(imag, perm);
  if (c.failed())
    return failure();
  // A one-sided inverse reads only the first length / 2 + 1 bins.
  if (inverse && onesided) {
    int64_t half = length / 2 + 1;
    int64_t last = Compose::shapeOf(real).size() - 1;
    if (n > half) {
      real = c.slice(real, last, 0, half);
      if (imag)
        imag = c.slice(imag, last, 0, half);
    }
  }
  int64_t bins = onesided && !inverse ? length / 2 + 1 : length;
  FailureOr<Spectrum> spectrum =
      transformLastAxis(c, real, imag, length, bins, inverse,
                        /*halfSpectrum=*/inverse && onesided);
  if (failed(spectrum))
    return failure();
  Value result = joinComplex(c, *spectrum, /*realOnly=*/inverse && onesided);
  // Back to the input's order: the transformed axis returns to its place.
  SmallVector<int64_t> back(rank);
  for (int64_t i = 0; i < rank - 1; ++i)
    back[perm[i]] = i;
  back[rank - 1] = rank - 1;
  result = c.transpose(result, back);
  return c.setOutput(0, result);
}

LogicalResult importSTFT(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> step = scalarIntInput(node, 1, "frame_step");
  FailureOr<Value> window = node.optionalInput(2);
  bool onesided = node.intAttr("onesided", 1) != 0;
  if (failed(input) || failed(step) || failed(window) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (!isa<FloatType>(type.getElementType()) || type.getRank() != 3 ||
      (type.getDimSize(2) != 1 && type.getDimSize(2) != 2))
    return node.emitError() << "the signal must be a float [batch, length, 1] "
                               "or [batch, length, 2], got "
                            << type;
  int64_t signalLength = type.getDimSize(1);
  int64_t frameLength = signalLength;
  if (*window) {
    auto windowType = cast<RankedTensorType>(window->getType());
    if (windowType.getRank() != 1 ||
        windowType.getElementType() != type.getElementType())
      return node.emitError() << "window must be a 1-D "
                              << type.getElementType() << " tensor, got "
                              << windowType;
    frameLength = windowType.getDimSize(0);
  }
  if (node.hasInput(3)) {
    FailureOr<int64_t> given = scalarIntInput(node, 3, "frame_length");
    if (failed(given))
      return failure();
    if (*window && *given != frameLength)
      return node.emitError() << "frame_length " << *given
                              << " differs from the window's length "
                              << frameLength;
    frameLength = *given;
  }
  if (*step < 1 || frameLength < 1 || frameLength > signalLength)
    return node.emitError() << "frame_step must be positive and frame_length "
                               "between 1 and the signal length "
                            << signalLength;
  int64_t frames = 1 + (signalLength - frameLength) / *step;

  Compose c(node);
  // Frames by one gather of compile-time positions: [batch, frames, L, c].
  SmallVector<int64_t> positions;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t t = 0; t < frameLength; ++t)
      positions.push_back(f * *step + t);
  Value indices = node.constant(makeIntAttr(
      positions, {frames, frameLength}, IntegerType::get(node.context(), 64)));
  Value framed = c.gather(*input, indices, 1);
  if (c.failed())
    return failure();
  auto [real, imag] = splitComplex(c, framed);
  if (*window) {
    real = c.mul(real, *window);
    if (imag)
      imag = c.mul(imag, *window);
  }
  if (c.failed())
    return failure();
  int64_t bins = onesided ? frameLength / 2 + 1 : frameLength;
  FailureOr<Spectrum> spectrum =
      transformLastAxis(c, real, imag, frameLength, bins, /*inverse=*/false,
                        /*halfSpectrum=*/false);
  if (failed(spectrum))
    return failure();
  Value result = joinComplex(c, *spectrum, /*realOnly=*/false);
  return c.setOutput(0, result);
}

//===----------------------------------------------------------------------===//
// TfIdfVectorizer
//===----------------------------------------------------------------------===//

/// Counts every pool n-gram in each row: for each n-gram length n and skip
/// distance d, the rows' windows x[s], x[s+d], ... are compared with all pool
/// n-grams of that length at once; a 0/1 matrix then sums the counts into
/// the output slots. Unigrams count at skip distance 1 only, as in the
/// specification's reference.
LogicalResult importTfIdfVectorizer(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  std::string mode = node.stringAttr("mode", "");
  int64_t minLength = node.intAttr("min_gram_length", 0);
  int64_t maxLength = node.intAttr("max_gram_length", 0);
  int64_t maxSkip = node.intAttr("max_skip_count", 0);
  SmallVector<int64_t> counts = node.intsAttr("ngram_counts");
  SmallVector<int64_t> indexes = node.intsAttr("ngram_indexes");
  SmallVector<int64_t> pool = node.intsAttr("pool_int64s");
  const onnx::AttributeProto *weightsAttr = node.attr("weights");
  if (node.hadError())
    return failure();
  if (node.hasAttr("pool_strings"))
    return node.emitError() << "string n-grams are not supported";
  if (!(type.getElementType().isSignlessInteger(32) ||
        type.getElementType().isSignlessInteger(64)) ||
      (type.getRank() != 1 && type.getRank() != 2))
    return node.emitError() << "the input must be a [C] or [B, C] int32 or "
                               "int64 tensor, got "
                            << type;
  if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
    return node.emitError() << "unknown mode '" << mode << "'";
  if (minLength < 1 || maxLength < minLength || maxSkip < 0 ||
      maxLength > 64 || maxSkip > 1024)
    return node.emitError() << "need 1 <= min_gram_length <= max_gram_length "
                               "and max_skip_count >= 0";
  if (indexes.empty())
    return node.emitError() << "ngram_indexes must not be empty";
  SmallVector<double> weights;
  if (weightsAttr)
    weights.assign(weightsAttr->floats().begin(), weightsAttr->floats().end());
  int64_t outputSize = 0;
  for (int64_t i : indexes) {
    if (i < 0 || i > kMaxWindowValue)
      return node.emitError() << "ngram_indexes holds " << i;
    outputSize = std::max(outputSize, i + 1);
  }
  if (!weights.empty() && static_cast<int64_t>(weights.size()) < outputSize)
    return node.emitError() << "weights has " << weights.size()
                            << " values for " << outputSize << " outputs";

  // The pool's n-grams by length, in pool order; a repeated n-gram counts
  // only for its last slot (the reference's trie keeps the last id).
  std::map<SmallVector<int64_t>, int64_t> slotOf;
  int64_t id = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    int64_t n = static_cast<int64_t>(i) + 1;
    int64_t start = counts[i];
    int64_t end = i + 1 < counts.size() ? counts[i + 1]
                                        : static_cast<int64_t>(pool.size());
    if (start < 0 || end < start || end > static_cast<int64_t>(pool.size()))
      return node.emitError() << "ngram_counts [" << counts
                              << "] do not fit pool_int64s";
    for (int64_t at = start; at + n <= end; at += n, ++id) {
      if (id >= static_cast<int64_t>(indexes.size()))
        return node.emitError() << "ngram_indexes has fewer entries than "
                                   "the pool has n-grams";
      // An n-gram holding a value the input's type cannot hold never
      // matches; it is left out rather than wrapped into a false match.
      auto itemBits = cast<IntegerType>(type.getElementType()).getWidth();
      bool representable = llvm::all_of(
          ArrayRef<int64_t>(pool).slice(at, n), [&](int64_t v) {
            return itemBits >= 64 || (v >= -(int64_t(1) << (itemBits - 1)) &&
                                      v < (int64_t(1) << (itemBits - 1)));
          });
      if (n >= minLength && n <= maxLength && representable)
        slotOf[SmallVector<int64_t>(pool.begin() + at,
                                    pool.begin() + at + n)] = indexes[id];
    }
  }

  Compose c(node);
  Type f32 = Float32Type::get(node.context());
  Value x = type.getRank() == 1 ? c.reshape(*input, {1, type.getDimSize(0)})
                                : *input;
  int64_t rows = Compose::shapeOf(x)[0], width = Compose::shapeOf(x)[1];
  Value total; // [rows, outputSize]
  for (int64_t n = minLength; n <= maxLength; ++n) {
    SmallVector<SmallVector<int64_t>> grams;
    SmallVector<int64_t> slots;
    for (const auto &[gram, slot] : slotOf)
      if (static_cast<int64_t>(gram.size()) == n) {
        grams.push_back(gram);
        slots.push_back(slot);
      }
    if (grams.empty())
      continue;
    int64_t g = grams.size();
    Value perGram; // [rows, g]
    for (int64_t d = 1; d <= (n == 1 ? 1 : maxSkip + 1); ++d) {
      int64_t windows = width - (n - 1) * d;
      if (windows < 1)
        break;
      Value match; // [rows, g, windows], 1.0 where all n items match
      for (int64_t j = 0; j < n; ++j) {
        SmallVector<int64_t> column;
        for (const SmallVector<int64_t> &gram : grams)
          column.push_back(gram[j]);
        Value items = c.reshape(c.slice(x, 1, j * d, windows),
                                {rows, 1, windows});
        Value wanted = node.constant(makeIntAttr(column, {g, 1},
                                                 type.getElementType()));
        Value equal = c.convert(c.compare(items, "eq", wanted), f32);
        match = match ? c.mul(match, equal) : equal;
      }
      Value found = c.reduceSum(match, {2}, /*keep=*/false);
      perGram = perGram ? c.add(perGram, found) : found;
    }
    if (!perGram)
      continue;
    // Route each n-gram's count to its output slot.
    SmallVector<double> routing(g * outputSize, 0.0);
    for (int64_t i = 0; i < g; ++i)
      routing[i * outputSize + slots[i]] = 1.0;
    Value routed =
        c.matmul(perGram, c.constant(f32, {g, outputSize}, routing));
    total = total ? c.add(total, routed) : routed;
  }
  if (c.failed())
    return failure();
  if (!total)
    total = c.constant(f32, {rows, outputSize},
                       SmallVector<double>(rows * outputSize, 0.0));
  Value result = total;
  if (mode == "IDF" || (mode == "TFIDF" && !weights.empty())) {
    Value scale = weights.empty()
                      ? c.scalar(f32, 1.0)
                      : c.constant(f32, {outputSize},
                                   ArrayRef<double>(weights).take_front(
                                       outputSize));
    if (mode == "IDF")
      result = c.select(c.compare(total, "gt", c.scalar(f32, 0.0)),
                        c.add(c.mul(total, c.scalar(f32, 0.0)), scale),
                        c.mul(total, c.scalar(f32, 0.0)));
    else
      result = c.mul(total, scale);
  }
  if (type.getRank() == 1)
    result = c.reshape(result, {outputSize});
  return c.setOutput(0, result);
}

} // namespace

void registerSignalImporters(ImporterTable &table) {
  table["HannWindow"] = {importWindow<Window::Hann>, 17};
  table["HammingWindow"] = {importWindow<Window::Hamming>, 17};
  table["BlackmanWindow"] = {importWindow<Window::Blackman>, 17};
  table["MelWeightMatrix"] = {importMelWeightMatrix, 17};
  table["DFT"] = {importDFT, 17};
  table["STFT"] = {importSTFT, 17};
  table["TfIdfVectorizer"] = {importTfIdfVectorizer, 9};
}

} // namespace sinter::onnx_import
