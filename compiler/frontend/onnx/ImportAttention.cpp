// Attention (opsets 23-25), RotaryEmbedding and LinearAttention, decomposed into matmuls, softmax and masks built from index vectors and selects.
#include "frontend/onnx/Compose.h"

#include <cmath>
#include <limits>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// f16 and bf16 attention runs in f32 and rounds once at the end: products
/// and softmax sums rounded to 8 bits at every step drift far from what the
/// model's author computed in training.
Type workType(Type element) {
  if (element.isF16() || element.isBF16())
    return Float32Type::get(element.getContext());
  return element;
}

/// The attributes and shapes of one Attention node, checked.
struct AttentionShape {
  bool threeD = false;
  int64_t batch = 0, qHeads = 0, kvHeads = 0, qLen = 0, kvLen = 0,
          pastLen = 0, headSize = 0, vHeadSize = 0;
};

/// [B, S, H*D] -> [B, H, S, D].
Value splitHeads(Compose &c, Value x, int64_t heads) {
  if (!x)
    return c.fail();
  ArrayRef<int64_t> s = Compose::shapeOf(x);
  Value split = c.reshape(x, {s[0], s[1], heads, s[2] / heads});
  return c.transpose(split, {0, 2, 1, 3});
}

/// 0 where `allowed`, -inf elsewhere.
Value allowedToBias(Compose &c, Value allowed, Type work) {
  return c.select(allowed, c.scalar(work, 0.0), c.scalar(work, kNegInf));
}

/// An i64 constant [0, 1, ..., n-1] + `offset` of `shape` (n elements).
Value iota(Compose &c, ArrayRef<int64_t> shape, int64_t offset) {
  SmallVector<double> values;
  for (int64_t i = 0; i < product(shape); ++i)
    values.push_back(static_cast<double>(i + offset));
  return c.constant(IntegerType::get(c.context().context(), 64), shape,
                    values);
}

/// The additive bias of the causal and sliding-window masks. `position`
/// holds each query's absolute position p as [..., q, 1] (i64); key j is
/// allowed when j <= p (causal), j >= p - left and j <= p + right (window,
/// each side only when non-negative). The bias is built from the index
/// vectors at run time, so no [q, kv] table is stored in the model.
Value frontierBias(Compose &c, Value position, int64_t kvLen, bool causal,
                   int64_t left, int64_t right, Type work) {
  Value keys = iota(c, {kvLen}, 0);
  Type i64 = IntegerType::get(c.context().context(), 64);
  Value bias;
  auto limit = [&](StringRef predicate, int64_t shift) {
    Value bound = shift == 0 ? position
                             : c.add(position, c.scalar(i64, double(shift)));
    Value piece = allowedToBias(c, c.compare(keys, predicate, bound), work);
    bias = bias ? c.add(bias, piece) : piece;
  };
  if (causal)
    limit("le", 0);
  if (left >= 0)
    limit("ge", -left);
  if (right >= 0)
    limit("le", right);
  return bias;
}

/// Whether query i (absolute position i + offset) has no allowed key among
/// `kvLen` under the causal and window limits, for each i.
SmallVector<double> emptyRows(int64_t qLen, int64_t kvLen, int64_t offset,
                              bool causal, int64_t left, int64_t right) {
  SmallVector<double> rows;
  for (int64_t i = 0; i < qLen; ++i) {
    int64_t p = i + offset, lo = 0, hi = kvLen - 1;
    if (causal)
      hi = std::min(hi, p);
    if (left >= 0)
      lo = std::max(lo, p - left);
    if (right >= 0)
      hi = std::min(hi, p + right);
    rows.push_back(lo > hi ? 1.0 : 0.0);
  }
  return rows;
}

/// The additive bias of the external-cache masks (opset 24's
/// nonpad_kv_seqlen), whose frontier is per batch: key j is valid when
/// j < n[b], and query i sits at position n[b] - q + i.
Value perBatchBias(Compose &c, Value nonpad, const AttentionShape &s,
                   bool causal, int64_t left, int64_t right, Type work) {
  Value n = c.reshape(nonpad, {s.batch, 1, 1, 1});
  Value padding =
      allowedToBias(c, c.compare(iota(c, {s.kvLen}, 0), "lt", n), work);
  if (!causal && left < 0 && right < 0)
    return padding;
  Value position = c.add(n, iota(c, {s.qLen, 1}, -s.qLen));
  return c.add(padding, frontierBias(c, position, s.kvLen, causal, left,
                                     right, work));
}

/// attn_mask as an additive bias in `work`: booleans select 0 or -inf, and a
/// mask shorter than the keys is padded with -inf (keys it does not cover
/// are masked, as the reference pads it).
Value maskBias(Compose &c, Value mask, int64_t kvLen, Type work) {
  Value bias = Compose::elementOf(mask).isInteger(1)
                   ? allowedToBias(c, mask, work)
                   : c.convert(mask, work);
  if (!bias)
    return bias;
  SmallVector<int64_t> shape(Compose::shapeOf(bias));
  int64_t missing = kvLen - shape.back();
  if (missing == 0)
    return bias;
  shape.back() = missing;
  Value pad = c.constant(work, shape,
                         SmallVector<double>(product(shape), kNegInf));
  return c.concat({bias, pad}, shape.size() - 1);
}

LogicalResult checkAttentionShapes(NodeContext &node, Value q, Value k,
                                   Value v, Value pastKey, Value pastValue,
                                   AttentionShape &s) {
  auto qType = cast<RankedTensorType>(q.getType());
  auto kType = cast<RankedTensorType>(k.getType());
  auto vType = cast<RankedTensorType>(v.getType());
  int64_t rank = qType.getRank();
  if ((rank != 3 && rank != 4) || kType.getRank() != rank ||
      vType.getRank() != rank)
    return node.emitError() << "Q, K and V must all be 3-D or all 4-D, got "
                            << qType << ", " << kType << " and " << vType;
  if (!isa<FloatType>(qType.getElementType()) ||
      kType.getElementType() != qType.getElementType() ||
      vType.getElementType() != qType.getElementType())
    return node.emitError() << "Q, K and V must share a float element type, got "
                            << qType << ", " << kType << " and " << vType;
  s.batch = qType.getDimSize(0);
  if (kType.getDimSize(0) != s.batch || vType.getDimSize(0) != s.batch)
    return node.emitError() << "Q, K and V disagree on the batch size";
  bool hasQHeads = node.hasAttr("q_num_heads"),
       hasKvHeads = node.hasAttr("kv_num_heads");
  int64_t qHeads = node.intAttr("q_num_heads", 0);
  int64_t kvHeads = node.intAttr("kv_num_heads", 0);
  if (node.hadError())
    return failure();
  s.threeD = rank == 3;
  if (s.threeD) {
    if (!hasQHeads || !hasKvHeads || qHeads <= 0 || kvHeads <= 0)
      return node.emitError() << "3-D Q, K and V need positive q_num_heads "
                                 "and kv_num_heads attributes";
    if (qType.getDimSize(2) % qHeads != 0 ||
        kType.getDimSize(2) % kvHeads != 0 ||
        vType.getDimSize(2) % kvHeads != 0)
      return node.emitError()
             << "hidden sizes " << qType.getDimSize(2) << ", "
             << kType.getDimSize(2) << " and " << vType.getDimSize(2)
             << " do not divide into " << qHeads << " query and " << kvHeads
             << " key/value heads";
    s.qHeads = qHeads;
    s.kvHeads = kvHeads;
    s.qLen = qType.getDimSize(1);
    s.kvLen = kType.getDimSize(1);
    s.headSize = qType.getDimSize(2) / qHeads;
    s.vHeadSize = vType.getDimSize(2) / kvHeads;
    if (kType.getDimSize(2) / kvHeads != s.headSize)
      return node.emitError() << "query head size " << s.headSize
                              << " differs from key head size "
                              << kType.getDimSize(2) / kvHeads;
    if (vType.getDimSize(1) != s.kvLen)
      return node.emitError() << "K and V disagree on the sequence length";
  } else {
    if ((hasQHeads || hasKvHeads) && node.opset() >= 25)
      return node.emitError() << "q_num_heads and kv_num_heads must not be "
                                 "given for 4-D inputs";
    s.qHeads = qType.getDimSize(1);
    s.kvHeads = kType.getDimSize(1);
    if ((hasQHeads && qHeads != s.qHeads) ||
        (hasKvHeads && kvHeads != s.kvHeads))
      return node.emitError() << "q_num_heads/kv_num_heads disagree with the "
                                 "4-D inputs' head counts "
                              << s.qHeads << " and " << s.kvHeads;
    s.qLen = qType.getDimSize(2);
    s.kvLen = kType.getDimSize(2);
    s.headSize = qType.getDimSize(3);
    s.vHeadSize = vType.getDimSize(3);
    if (kType.getDimSize(3) != s.headSize)
      return node.emitError() << "Q and K head sizes differ: " << qType
                              << " and " << kType;
    if (vType.getDimSize(1) != s.kvHeads || vType.getDimSize(2) != s.kvLen)
      return node.emitError() << "K and V disagree on heads or sequence "
                                 "length: "
                              << kType << " and " << vType;
  }
  if (s.kvHeads <= 0 || s.qHeads % s.kvHeads != 0)
    return node.emitError() << s.qHeads << " query heads cannot share "
                            << s.kvHeads << " key/value heads";
  if (!pastKey != !pastValue)
    return node.emitError() << "past_key and past_value must be given together";
  if (pastKey) {
    auto pk = cast<RankedTensorType>(pastKey.getType());
    auto pv = cast<RankedTensorType>(pastValue.getType());
    SmallVector<int64_t> wantK = {s.batch, s.kvHeads, pk.getRank() == 4
                                                          ? pk.getDimSize(2)
                                                          : 0,
                                  s.headSize};
    SmallVector<int64_t> wantV = {s.batch, s.kvHeads, wantK[2], s.vHeadSize};
    if (pk.getRank() != 4 || pk.getShape() != ArrayRef<int64_t>(wantK) ||
        pv.getShape() != ArrayRef<int64_t>(wantV) ||
        pk.getElementType() != qType.getElementType() ||
        pv.getElementType() != qType.getElementType())
      return node.emitError() << "past_key " << pk << " and past_value " << pv
                              << " must be [" << s.batch << ", " << s.kvHeads
                              << ", past, " << s.headSize << "] and [...,"
                              << s.vHeadSize << "] of Q's element type";
    s.pastLen = wantK[2];
  }
  return success();
}

LogicalResult importAttention(NodeContext &node) {
  bool causal = node.intAttr("is_causal", 0) != 0;
  int64_t mode = node.intAttr("qk_matmul_output_mode", 0);
  float softcap = node.floatAttr("softcap", 0.0f);
  int64_t precision = node.intAttr("softmax_precision", 0);
  int64_t left = node.intAttr("left_window_size", -1);
  int64_t right = node.intAttr("right_window_size", -1);
  float scaleAttr = node.floatAttr("scale", 0.0f);
  bool hasScale = node.hasAttr("scale");
  FailureOr<Value> q = node.input(0), k = node.input(1), v = node.input(2);
  FailureOr<Value> mask = node.optionalInput(3);
  FailureOr<Value> pastKey = node.optionalInput(4),
                   pastValue = node.optionalInput(5);
  FailureOr<Value> nonpad = node.optionalInput(6);
  if (failed(q) || failed(k) || failed(v) || failed(mask) ||
      failed(pastKey) || failed(pastValue) || failed(nonpad) ||
      node.hadError())
    return failure();
  if (mode < 0 || mode > 3)
    return node.emitError() << "qk_matmul_output_mode must be 0 to 3, got "
                            << mode;
  if (left < -1 || right < -1)
    return node.emitError() << "left_window_size and right_window_size must "
                               "be -1 or non-negative";
  AttentionShape s;
  if (failed(checkAttentionShapes(node, *q, *k, *v, *pastKey, *pastValue, s)))
    return failure();
  Type element = Compose::elementOf(*q);
  Type work = workType(element);
  Type softmaxType = work;
  if (precision != 0) {
    softmaxType = convertElementType(node.context(), precision);
    if (!softmaxType || !isa<FloatType>(softmaxType))
      return node.emitError() << "softmax_precision must name a float type, "
                                 "got "
                              << dataTypeName(precision);
  }
  if (*nonpad) {
    if (*pastKey)
      return node.emitError() << "nonpad_kv_seqlen cannot be combined with "
                                 "past_key and past_value";
    auto type = Compose::typeOf(*nonpad);
    if (type.getShape() != ArrayRef<int64_t>{s.batch} ||
        !type.getElementType().isInteger(64))
      return node.emitError() << "nonpad_kv_seqlen must be an int64 ["
                              << s.batch << "] tensor, got " << type;
  }
  int64_t totalLen = s.pastLen + s.kvLen;
  if (*mask) {
    auto type = Compose::typeOf(*mask);
    Type maskElement = type.getElementType();
    if (type.getRank() < 1 || type.getRank() > 4 ||
        type.getShape().back() > totalLen ||
        !(maskElement.isInteger(1) || isa<FloatType>(maskElement)))
      return node.emitError()
             << "attn_mask must be a bool or float tensor of rank 1 to 4 "
                "whose last dimension is at most the "
             << totalLen << " keys, got " << type;
    // The mask broadcasts to the scores [batch, q_heads, q, keys]; one that
    // would widen them is an error, not a larger result.
    SmallVector<int64_t> scores = {s.batch, s.qHeads, s.qLen, totalLen};
    ArrayRef<int64_t> dims = type.getShape();
    for (size_t i = 0; i + 1 < dims.size(); ++i) {
      int64_t want = scores[4 - dims.size() + i];
      if (dims[i] != 1 && dims[i] != want)
        return node.emitError() << "attn_mask " << type
                                << " does not broadcast to the scores ["
                                << scores << "]";
    }
  }

  Compose c(node);
  Value query = c.convert(*q, work), key = *k, value = *v;
  if (s.threeD) {
    query = splitHeads(c, query, s.qHeads);
    key = splitHeads(c, key, s.kvHeads);
    value = splitHeads(c, value, s.kvHeads);
  }
  if (*pastKey) {
    key = c.concat({*pastKey, key}, 2);
    value = c.concat({*pastValue, value}, 2);
  }
  Value presentKey = key, presentValue = value;
  key = c.convert(key, work);
  value = c.convert(value, work);

  // The additive bias: the mask, the structural masks and the external
  // cache's padding, each 0 or -inf where it allows or forbids a key.
  Value bias;
  bool runtimeBias = false;
  if (*mask) {
    bias = maskBias(c, *mask, totalLen, work);
    runtimeBias = true;
  }
  bool perBatch = *nonpad && !*pastKey;
  bool structural = causal || left >= 0 || right >= 0;
  if (perBatch) {
    Value piece = perBatchBias(c, *nonpad, s, causal, left, right, work);
    bias = bias ? c.add(bias, piece) : piece;
    runtimeBias = true;
  } else if (structural) {
    Value piece = frontierBias(c, iota(c, {s.qLen, 1}, s.pastLen), totalLen,
                               causal, left, right, work);
    bias = bias ? c.add(bias, piece) : piece;
  }

  // Grouped-query attention: query head h reads key/value head h / group, so
  // the query heads are viewed as [kvHeads, group] and the keys broadcast
  // over the group instead of being copied.
  int64_t group = s.qHeads / s.kvHeads;
  double scale = hasScale ? scaleAttr : 1.0 / std::sqrt(double(s.headSize));
  Value scaled = c.mul(query, c.scalar(work, scale));
  Value grouped = c.reshape(scaled, {s.batch, s.kvHeads, group, s.qLen,
                                     s.headSize});
  Value keyT = c.reshape(c.transpose(key, {0, 1, 3, 2}),
                         {s.batch, s.kvHeads, 1, s.headSize, totalLen});
  Value scores = c.reshape(c.matmul(grouped, keyT),
                           {s.batch, s.qHeads, s.qLen, totalLen});
  if (softcap > 0.0f)
    scores = c.mul(c.tanh(c.div(scores, c.scalar(work, softcap))),
                   c.scalar(work, softcap));
  Value qkOutput = scores;
  Value withBias = bias ? c.add(scores, bias) : scores;
  if (mode == 2)
    qkOutput = withBias;
  Value probs = c.convert(c.softmax(c.convert(withBias, softmaxType), 3),
                          work);

  // A query whose bias forbids every key softmaxes to 0/0; ONNX defines its
  // probabilities, and so its output row, as zeros.
  Value rowMasked;
  if (runtimeBias && bias) {
    rowMasked = c.compare(
        c.reduceMax(bias, {Compose::typeOf(bias).getRank() - 1}, true), "eq",
        c.scalar(work, kNegInf));
  } else if (structural) {
    SmallVector<double> rows =
        emptyRows(s.qLen, totalLen, s.pastLen, causal, left, right);
    if (llvm::is_contained(rows, 1.0))
      rowMasked = c.constant(IntegerType::get(node.context(), 1),
                             {s.qLen, 1}, rows);
  }
  if (rowMasked)
    probs = c.select(rowMasked, c.scalar(work, 0.0), probs);
  if (mode == 3)
    qkOutput = probs;

  Value groupedProbs =
      c.reshape(probs, {s.batch, s.kvHeads, group, s.qLen, totalLen});
  Value values = c.reshape(value, {s.batch, s.kvHeads, 1, totalLen,
                                   s.vHeadSize});
  Value y = c.reshape(c.matmul(groupedProbs, values),
                      {s.batch, s.qHeads, s.qLen, s.vHeadSize});
  if (s.threeD)
    y = c.reshape(c.transpose(y, {0, 2, 1, 3}),
                  {s.batch, s.qLen, s.qHeads * s.vHeadSize});
  y = c.convert(y, element);
  if (node.outputUsed(3))
    qkOutput = c.convert(qkOutput, element);
  if (c.failed())
    return failure();
  node.setOutput(0, y);
  node.setOutput(1, presentKey);
  node.setOutput(2, presentValue);
  if (node.outputUsed(3))
    node.setOutput(3, qkOutput);
  return success();
}

/// RotaryEmbedding: rotates pairs of each head's first rotary_embedding_dim
/// features by the cached angles of their position. Pairs are the two halves
/// of the rotated part, or neighbours when `interleaved`.
LogicalResult importRotaryEmbedding(NodeContext &node) {
  bool interleaved = node.intAttr("interleaved", 0) != 0;
  int64_t rotaryDim = node.intAttr("rotary_embedding_dim", 0);
  int64_t numHeads = node.intAttr("num_heads", 0);
  FailureOr<Value> input = node.input(0), cosCache = node.input(1),
                   sinCache = node.input(2);
  FailureOr<Value> positions = node.optionalInput(3);
  if (failed(input) || failed(cosCache) || failed(sinCache) ||
      failed(positions) || node.hadError())
    return failure();
  auto type = Compose::typeOf(*input);
  if (type.getRank() != 3 && type.getRank() != 4)
    return node.emitError() << "input must be [batch, seq, hidden] or "
                               "[batch, heads, seq, head_size], got "
                            << type;
  if (!isa<FloatType>(type.getElementType()))
    return node.emitError() << "input must be a float tensor, got " << type;
  int64_t batch = type.getDimSize(0);
  bool threeD = type.getRank() == 3;
  int64_t seq = type.getDimSize(threeD ? 1 : 2);
  int64_t heads = threeD ? numHeads : type.getDimSize(1);
  if (threeD && (numHeads <= 0 || type.getDimSize(2) % numHeads != 0))
    return node.emitError() << "3-D input needs a num_heads attribute that "
                               "divides its hidden size "
                            << type.getDimSize(2);
  int64_t headSize = threeD ? type.getDimSize(2) / heads : type.getDimSize(3);
  if (rotaryDim == 0)
    rotaryDim = headSize;
  if (rotaryDim < 0 || rotaryDim > headSize || rotaryDim % 2 != 0)
    return node.emitError() << "rotary_embedding_dim " << rotaryDim
                            << " must be even and at most the head size "
                            << headSize;
  int64_t half = rotaryDim / 2;
  // The caches are [max_position, half] indexed by position_ids [batch, seq],
  // or already [batch, seq, half].
  SmallVector<int64_t> wantCache = {batch, seq, half};
  auto cosType = Compose::typeOf(*cosCache);
  if (Compose::typeOf(*sinCache) != cosType ||
      cosType.getElementType() != type.getElementType())
    return node.emitError() << "cos_cache and sin_cache must have one type, "
                               "with the input's element type";
  if (*positions) {
    auto posType = Compose::typeOf(*positions);
    if (posType.getShape() != ArrayRef<int64_t>{batch, seq} ||
        cosType.getRank() != 2 || cosType.getDimSize(1) != half)
      return node.emitError() << "with position_ids " << posType
                              << ", the caches must be [max_position, "
                              << half << "], got " << cosType;
  } else if (cosType.getShape() != ArrayRef<int64_t>(wantCache)) {
    return node.emitError() << "without position_ids the caches must be ["
                            << batch << ", " << seq << ", " << half
                            << "], got " << cosType;
  }

  Compose c(node);
  Value cos = *cosCache, sin = *sinCache;
  if (*positions) {
    cos = c.gather(cos, *positions, 0);
    sin = c.gather(sin, *positions, 0);
  }
  // Work on [batch, seq, heads, head] (3-D) or [batch, heads, seq, head]
  // (4-D), with the angles broadcast over the heads.
  SmallVector<int64_t> angleShape = threeD
                                        ? SmallVector<int64_t>{batch, seq, 1,
                                                               half}
                                        : SmallVector<int64_t>{batch, 1, seq,
                                                               half};
  cos = c.reshape(cos, angleShape);
  sin = c.reshape(sin, angleShape);
  Value x = threeD ? c.reshape(*input, {batch, seq, heads, headSize})
                   : *input;
  if (c.failed())
    return failure();
  Value rotated = c.slice(x, 3, 0, rotaryDim);
  Value x1 = interleaved ? c.slice(rotated, 3, 0, half, 2)
                         : c.slice(rotated, 3, 0, half);
  Value x2 = interleaved ? c.slice(rotated, 3, 1, half, 2)
                         : c.slice(rotated, 3, half, half);
  Value real = c.sub(c.mul(cos, x1), c.mul(sin, x2));
  Value imag = c.add(c.mul(sin, x1), c.mul(cos, x2));
  if (c.failed())
    return failure();
  if (interleaved) {
    SmallVector<int64_t> pairShape(Compose::shapeOf(x1));
    pairShape.push_back(1);
    rotated = c.concat({c.reshape(real, pairShape), c.reshape(imag, pairShape)},
                       4);
    SmallVector<int64_t> rotatedShape(Compose::shapeOf(x));
    rotatedShape[3] = rotaryDim;
    rotated = c.reshape(rotated, rotatedShape);
  } else {
    rotated = c.concat({real, imag}, 3);
  }
  Value result = rotaryDim == headSize
                     ? rotated
                     : c.concat({rotated, c.slice(x, 3, rotaryDim,
                                                  headSize - rotaryDim)},
                                3);
  result = c.reshape(result, type.getShape());
  return c.setOutput(0, result);
}

/// LinearAttention (opset 27): a recurrence over the sequence on a
/// [batch, kv_heads, d_k, d_v] state, unrolled over the static length. Per
/// step the state decays by exp(decay) (gated rules), the value is replaced
/// by beta * (v - state^T k) (delta rules), k v^T is added, and each query
/// head reads q^T state of its key/value head. Computed in f32.
LogicalResult importLinearAttention(NodeContext &node) {
  std::string rule = node.stringAttr("update_rule", "gated_delta");
  int64_t qHeads = node.intAttr("q_num_heads", 0);
  int64_t kvHeads = node.intAttr("kv_num_heads", 0);
  float scaleAttr = node.floatAttr("scale", 0.0f);
  FailureOr<Value> q = node.input(0), k = node.input(1), v = node.input(2);
  FailureOr<Value> past = node.optionalInput(3), decay = node.optionalInput(4),
                   beta = node.optionalInput(5);
  if (failed(q) || failed(k) || failed(v) || failed(past) || failed(decay) ||
      failed(beta) || node.hadError())
    return failure();
  if (rule != "linear" && rule != "gated" && rule != "delta" &&
      rule != "gated_delta")
    return node.emitError() << "update_rule must be linear, gated, delta or "
                               "gated_delta, got '"
                            << rule << "'";
  bool gating = rule == "gated" || rule == "gated_delta";
  bool delta = rule == "delta" || rule == "gated_delta";
  if (gating != bool(*decay) || delta != bool(*beta))
    return node.emitError() << "update_rule '" << rule << "' "
                            << (gating ? "needs" : "takes no")
                            << " decay and " << (delta ? "needs" : "takes no")
                            << " beta";
  if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads != 0)
    return node.emitError() << "q_num_heads " << qHeads
                            << " must be a positive multiple of kv_num_heads "
                            << kvHeads;
  auto qType = Compose::typeOf(*q), kType = Compose::typeOf(*k),
       vType = Compose::typeOf(*v);
  Type element = qType.getElementType();
  if (qType.getRank() != 3 || kType.getRank() != 3 || vType.getRank() != 3 ||
      !isa<FloatType>(element) || kType.getElementType() != element ||
      vType.getElementType() != element)
    return node.emitError() << "query, key and value must be 3-D tensors of "
                               "one float type";
  int64_t b = qType.getDimSize(0), t = qType.getDimSize(1);
  if (kType.getDimSize(0) != b || vType.getDimSize(0) != b ||
      kType.getDimSize(1) != t || vType.getDimSize(1) != t ||
      qType.getDimSize(2) % qHeads != 0 ||
      kType.getDimSize(2) != kvHeads * (qType.getDimSize(2) / qHeads) ||
      vType.getDimSize(2) % kvHeads != 0)
    return node.emitError() << "query " << qType << ", key " << kType
                            << " and value " << vType << " do not split into "
                            << qHeads << " and " << kvHeads
                            << " heads of one batch and length";
  int64_t dk = qType.getDimSize(2) / qHeads;
  int64_t dv = vType.getDimSize(2) / kvHeads, group = qHeads / kvHeads;
  SmallVector<int64_t> stateShape = {b, kvHeads, dk, dv};
  if (*past && Compose::shapeOf(*past) != ArrayRef<int64_t>(stateShape))
    return node.emitError() << "past_state must be [" << stateShape
                            << "], got " << past->getType();
  if (*decay) {
    auto type = Compose::typeOf(*decay);
    if (type.getRank() != 3 || type.getDimSize(0) != b ||
        type.getDimSize(1) != t ||
        (type.getDimSize(2) != kvHeads && type.getDimSize(2) != kvHeads * dk))
      return node.emitError() << "decay must be [" << b << ", " << t << ", "
                              << kvHeads << " or " << kvHeads * dk
                              << "], got " << type;
  }
  if (*beta) {
    auto type = Compose::typeOf(*beta);
    if (type.getRank() != 3 || type.getDimSize(0) != b ||
        type.getDimSize(1) != t ||
        (type.getDimSize(2) != kvHeads && type.getDimSize(2) != 1))
      return node.emitError() << "beta must be [" << b << ", " << t << ", "
                              << kvHeads << " or 1], got " << type;
  }
  Compose c(node);
  Type f32 = Float32Type::get(node.context());
  Value qs = splitHeads(c, c.convert(*q, f32), qHeads);
  Value ks = splitHeads(c, c.convert(*k, f32), kvHeads);
  Value vs = splitHeads(c, c.convert(*v, f32), kvHeads);
  // decay [B, T, H or H*dk] as [B, H, T, 1 or dk]; beta as [B, H or 1, T, 1].
  Value decays, betas;
  if (*decay) {
    int64_t last = Compose::shapeOf(*decay)[2];
    decays = last == kvHeads
                 ? c.transpose(c.reshape(c.convert(*decay, f32),
                                         {b, t, kvHeads, 1}),
                               {0, 2, 1, 3})
                 : splitHeads(c, c.convert(*decay, f32), kvHeads);
  }
  if (*beta) {
    int64_t last = Compose::shapeOf(*beta)[2];
    betas = c.transpose(c.reshape(c.convert(*beta, f32), {b, t, last, 1}),
                        {0, 2, 1, 3});
  }
  Type stateElement = *past ? Compose::elementOf(*past) : element;
  Value state = *past ? c.convert(*past, f32)
                      : c.constant(f32, stateShape,
                                   SmallVector<double>(product(stateShape),
                                                       0.0));
  double scale = scaleAttr != 0.0f ? scaleAttr : 1.0 / std::sqrt(double(dk));
  auto step = [&](Value x, int64_t i, ArrayRef<int64_t> shape) {
    return c.reshape(c.slice(x, 2, i, 1), shape);
  };
  SmallVector<Value> outputs;
  for (int64_t i = 0; i < t; ++i) {
    Value kRow = step(ks, i, {b, kvHeads, 1, dk});
    Value vRow = step(vs, i, {b, kvHeads, 1, dv});
    if (gating) {
      int64_t width = Compose::shapeOf(decays)[3];
      state = c.mul(state, c.exp(step(decays, i, {b, kvHeads, width, 1})));
    }
    if (delta) {
      int64_t heads = Compose::shapeOf(betas)[1];
      Value retrieved = c.matmul(kRow, state);
      vRow = c.mul(step(betas, i, {b, heads, 1, 1}), c.sub(vRow, retrieved));
    }
    state = c.add(state, c.mul(c.reshape(kRow, {b, kvHeads, dk, 1}), vRow));
    Value qRow = step(qs, i, {b, kvHeads, group, 1, dk});
    Value read = c.matmul(qRow, c.reshape(state, {b, kvHeads, 1, dk, dv}));
    outputs.push_back(c.reshape(c.mul(read, c.scalar(f32, scale)),
                                {b, qHeads, 1, dv}));
    if (c.failed())
      return failure();
  }
  Value y = c.reshape(c.transpose(c.concat(outputs, 2), {0, 2, 1, 3}),
                      {b, t, qHeads * dv});
  y = c.convert(y, element);
  Value present = c.convert(state, stateElement);
  if (c.failed())
    return failure();
  node.setOutput(0, y);
  node.setOutput(1, present);
  return success();
}

} // namespace

void registerAttentionImporters(ImporterTable &table) {
  table["LinearAttention"] = {importLinearAttention, 27};
  table["Attention"] = {importAttention, 23};
  table["RotaryEmbedding"] = {importRotaryEmbedding, 23};
}

} // namespace sinter::onnx_import
