// RNN, GRU and LSTM, unrolled over the static sequence length into matmuls and activations, and CausalConvWithState.
#include "frontend/onnx/Compose.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// One of the activation functions ONNX's recurrent ops accept, with its
/// alpha and beta.
struct Activation {
  std::string name;
  float alpha = 0.0f, beta = 0.0f;
};

Value applyActivation(Compose &c, const Activation &act, Value x) {
  if (!x)
    return x;
  Type element = Compose::elementOf(x);
  auto k = [&](double v) { return c.scalar(element, v); };
  StringRef name = act.name;
  if (name == "Sigmoid")
    return c.sigmoid(x);
  if (name == "Tanh")
    return c.tanh(x);
  if (name == "Relu")
    return c.relu(x);
  if (name == "Affine")
    return c.add(c.mul(x, k(act.alpha)), k(act.beta));
  if (name == "LeakyRelu")
    return c.select(c.compare(x, "ge", k(0.0)), x, c.mul(x, k(act.alpha)));
  if (name == "ThresholdedRelu")
    return c.select(c.compare(x, "gt", k(act.alpha)), x, k(0.0));
  if (name == "ScaledTanh")
    return c.mul(c.tanh(c.mul(x, k(act.beta))), k(act.alpha));
  if (name == "HardSigmoid")
    return c.max(c.min(c.add(c.mul(x, k(act.alpha)), k(act.beta)), k(1.0)),
                 k(0.0));
  if (name == "Elu")
    return c.select(c.compare(x, "ge", k(0.0)), x,
                    c.mul(c.sub(c.exp(x), k(1.0)), k(act.alpha)));
  if (name == "Softsign")
    return c.div(x, c.add(c.abs(x), k(1.0)));
  // Softplus: log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)), which
  // does not overflow.
  return c.add(c.relu(x), c.log(c.add(c.exp(c.neg(c.abs(x))), k(1.0))));
}

/// The recurrent op's kind: how many gates, and its default activations.
struct CellKind {
  int64_t gates;
  SmallVector<StringRef, 3> defaults;
};

CellKind cellKind(StringRef opType) {
  if (opType == "LSTM")
    return {4, {"Sigmoid", "Tanh", "Tanh"}};
  if (opType == "GRU")
    return {3, {"Sigmoid", "Tanh"}};
  return {1, {"Tanh"}};
}

/// Reads `activations`, `activation_alpha` and `activation_beta`: one set
/// per direction, alphas and betas handed out in order to the functions
/// that take them (as onnxruntime reads them).
FailureOr<SmallVector<Activation>> readActivations(NodeContext &node,
                                                   const CellKind &kind,
                                                   int64_t directions) {
  SmallVector<std::string> names;
  if (const onnx::AttributeProto *a = node.attr("activations"))
    for (const std::string &s : a->strings())
      names.push_back(s);
  SmallVector<float> alphas, betas;
  if (const onnx::AttributeProto *a = node.attr("activation_alpha"))
    alphas.assign(a->floats().begin(), a->floats().end());
  if (const onnx::AttributeProto *a = node.attr("activation_beta"))
    betas.assign(a->floats().begin(), a->floats().end());
  size_t perDirection = kind.defaults.size();
  if (names.empty())
    for (int64_t d = 0; d < directions; ++d)
      for (StringRef name : kind.defaults)
        names.push_back(name.str());
  if (names.size() != perDirection * directions)
    return node.emitError() << node.opType() << " with " << directions
                            << " direction(s) needs "
                            << perDirection * directions
                            << " activations, got " << names.size();
  SmallVector<Activation> result;
  size_t nextAlpha = 0, nextBeta = 0;
  for (const std::string &name : names) {
    Activation act{name};
    auto defaults = llvm::StringSwitch<std::pair<float, float>>(name)
                        .Case("Affine", {1.0f, 0.0f})
                        .Case("LeakyRelu", {0.01f, 0.0f})
                        .Case("ThresholdedRelu", {1.0f, 0.0f})
                        .Case("ScaledTanh", {1.0f, 1.0f})
                        .Case("HardSigmoid", {0.2f, 0.5f})
                        .Case("Elu", {1.0f, 0.0f})
                        .Default({0.0f, 0.0f});
    bool takesAlpha = llvm::is_contained(
        {"Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid",
         "Elu"},
        name);
    bool takesBeta =
        llvm::is_contained({"Affine", "ScaledTanh", "HardSigmoid"}, name);
    bool known = takesAlpha || llvm::is_contained(
                                   {"Relu", "Tanh", "Sigmoid", "Softsign",
                                    "Softplus"},
                                   name);
    if (!known)
      return node.emitError() << "unsupported activation '" << name << "'";
    act.alpha = takesAlpha && nextAlpha < alphas.size() ? alphas[nextAlpha++]
                                                        : defaults.first;
    act.beta = takesBeta && nextBeta < betas.size() ? betas[nextBeta++]
                                                    : defaults.second;
    result.push_back(act);
  }
  return result;
}

/// Everything one direction's unrolled loop reads.
struct Direction {
  Value xw;       // [seq, batch, gates * hidden]: x @ W^T + Wb
  Value rt;       // [hidden, gates * hidden]: R^T
  Value rb;       // [gates * hidden]: Rb, or null
  Value peephole; // [3 * hidden] (LSTM), or null
  Value h, cell;  // [batch, hidden] initial states
  ArrayRef<Activation> acts;
  bool reverse;
};

struct Recurrence {
  StringRef op;
  int64_t seq, batch, hidden;
  std::optional<float> clip;
  bool linearBeforeReset, inputForget;
  Value lengths; // [batch, 1] sequence_lens, or null
};

/// The activation input clipped to [-clip, clip] when asked.
Value clipped(Compose &c, const Recurrence &r, Value x) {
  if (!r.clip || !x)
    return x;
  Type element = Compose::elementOf(x);
  return c.max(c.min(x, c.scalar(element, *r.clip)),
               c.scalar(element, -*r.clip));
}

Value gate(Compose &c, Value gates, int64_t index, int64_t hidden) {
  return c.slice(gates, 1, index * hidden, hidden);
}

/// Runs one direction; returns Y as [seq, 1, batch, hidden] and the final
/// hidden (and cell) state as [1, batch, hidden].
struct DirectionResult {
  Value y, h, cell;
};

DirectionResult runDirection(Compose &c, const Recurrence &r,
                             const Direction &d) {
  if (!d.xw || !d.rt || !d.h) {
    c.fail();
    return {};
  }
  Type element = Compose::elementOf(d.xw);
  int64_t H = r.hidden;
  Value one = c.scalar(element, 1.0), zero = c.scalar(element, 0.0);
  Value h = d.h, cell = d.cell;
  SmallVector<Value> ys(r.seq);
  // GRU without linear_before_reset multiplies the reset gate into H
  // before the recurrence of the candidate, so that part of R^T is apart.
  bool splitCandidate = r.op == "GRU" && !r.linearBeforeReset;
  Value rtGates = d.rt, rbGates = d.rb, rtCandidate, rbCandidate;
  if (splitCandidate) {
    rtGates = c.slice(d.rt, 1, 0, 2 * H);
    rtCandidate = c.slice(d.rt, 1, 2 * H, H);
    if (d.rb) {
      rbGates = c.slice(d.rb, 0, 0, 2 * H);
      rbCandidate = c.slice(d.rb, 0, 2 * H, H);
    }
  }
  auto act = [&](unsigned i, Value x) {
    return applyActivation(c, d.acts[i], clipped(c, r, x));
  };
  for (int64_t step = 0; step < r.seq; ++step) {
    int64_t t = d.reverse ? r.seq - 1 - step : step;
    Value x = c.reshape(c.slice(d.xw, 0, t, 1),
                        {r.batch, Compose::shapeOf(d.xw)[2]});
    Value recur = c.matmul(h, rtGates);
    if (rbGates)
      recur = c.add(recur, rbGates);
    Value newH, newCell;
    if (r.op == "RNN") {
      newH = act(0, c.add(x, recur));
    } else if (r.op == "GRU") {
      Value z = act(0, c.add(gate(c, x, 0, H), gate(c, recur, 0, H)));
      Value reset = act(0, c.add(gate(c, x, 1, H), gate(c, recur, 1, H)));
      Value candidateRecur;
      if (splitCandidate) {
        candidateRecur = c.matmul(c.mul(reset, h), rtCandidate);
        if (rbCandidate)
          candidateRecur = c.add(candidateRecur, rbCandidate);
      } else {
        candidateRecur = c.mul(reset, gate(c, recur, 2, H));
      }
      Value candidate = act(1, c.add(gate(c, x, 2, H), candidateRecur));
      newH = c.add(c.mul(c.sub(one, z), candidate), c.mul(z, h));
    } else {
      // LSTM gates in ONNX's order: input, output, forget, cell.
      Value all = c.add(x, recur);
      Value pi, po, pf;
      if (d.peephole) {
        pi = c.slice(d.peephole, 0, 0, H);
        po = c.slice(d.peephole, 0, H, H);
        pf = c.slice(d.peephole, 0, 2 * H, H);
      }
      Value iIn = gate(c, all, 0, H), fIn = gate(c, all, 2, H);
      if (d.peephole) {
        iIn = c.add(iIn, c.mul(pi, cell));
        fIn = c.add(fIn, c.mul(pf, cell));
      }
      Value i = act(0, iIn);
      Value f = r.inputForget ? c.sub(one, i) : act(0, fIn);
      Value g = act(1, gate(c, all, 3, H));
      newCell = c.add(c.mul(f, cell), c.mul(i, g));
      Value oIn = gate(c, all, 1, H);
      if (d.peephole)
        oIn = c.add(oIn, c.mul(po, newCell));
      Value o = act(0, oIn);
      // onnxruntime clips the gates' inputs but not the cell state that
      // the output activation reads.
      newH = c.mul(o, applyActivation(c, d.acts[2], newCell));
    }
    Value y = newH;
    if (r.lengths) {
      // Past a batch entry's length the state holds and Y is zero.
      Value live = c.compare(r.lengths, "gt",
                             c.scalar(Compose::elementOf(r.lengths), t));
      y = c.select(live, newH, zero);
      newH = c.select(live, newH, h);
      if (newCell)
        newCell = c.select(live, newCell, cell);
    }
    ys[t] = c.reshape(y, {1, 1, r.batch, H});
    h = newH;
    cell = newCell;
  }
  DirectionResult result;
  result.y = c.concat(ys, 0);
  result.h = c.reshape(h, {1, r.batch, H});
  if (cell)
    result.cell = c.reshape(cell, {1, r.batch, H});
  return result;
}

/// Input `i` as [directions, batch, hidden], or zeros when absent.
Value initialState(Compose &c, NodeContext &node, unsigned i, bool batchFirst,
                   ArrayRef<int64_t> want, Type element, bool &bad) {
  FailureOr<Value> given = node.optionalInput(i);
  if (failed(given))
    return c.fail();
  if (!*given)
    return c.constant(element, want,
                      SmallVector<double>(product(want), 0.0));
  Value state = batchFirst ? c.transpose(*given, {1, 0, 2}) : *given;
  if (state && Compose::shapeOf(state) != want) {
    bad = true;
    node.emitError() << "initial state #" << i << " has type "
                     << given->getType() << ", expected "
                     << (batchFirst ? "[batch, directions, hidden]"
                                    : "[directions, batch, hidden]");
    return c.fail();
  }
  return state;
}

LogicalResult importRecurrent(NodeContext &node) {
  CellKind kind = cellKind(node.opType());
  std::string direction = node.stringAttr("direction", "forward");
  int64_t layout = node.intAttr("layout", 0);
  FailureOr<int64_t> hiddenAttr = node.requiredIntAttr("hidden_size");
  bool hasClip = node.hasAttr("clip");
  float clip = node.floatAttr("clip", 0.0f);
  int64_t linearBeforeReset = node.intAttr("linear_before_reset", 0);
  int64_t inputForget = node.intAttr("input_forget", 0);
  FailureOr<Value> x = node.input(0), w = node.input(1), rw = node.input(2);
  FailureOr<Value> b = node.optionalInput(3), lens = node.optionalInput(4);
  if (failed(hiddenAttr) || failed(x) || failed(w) || failed(rw) ||
      failed(b) || failed(lens) || node.hadError())
    return failure();
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return node.emitError() << "direction must be forward, reverse or "
                               "bidirectional, got '"
                            << direction << "'";
  if (layout != 0 && layout != 1)
    return node.emitError() << "layout must be 0 or 1, got " << layout;
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t H = *hiddenAttr, G = kind.gates;
  auto xType = Compose::typeOf(*x);
  Type element = xType.getElementType();
  if (xType.getRank() != 3 || !isa<FloatType>(element))
    return node.emitError() << "X must be a 3-D float tensor, got " << xType;
  int64_t seq = xType.getDimSize(layout ? 1 : 0);
  int64_t batch = xType.getDimSize(layout ? 0 : 1);
  int64_t inputSize = xType.getDimSize(2);
  if (H <= 0)
    return node.emitError() << "hidden_size must be positive, got " << H;
  auto expect = [&](Value v, ArrayRef<int64_t> shape,
                    StringRef name) -> LogicalResult {
    auto type = Compose::typeOf(v);
    if (type.getShape() != shape || type.getElementType() != element)
      return node.emitError()
             << name << " has type " << type << ", expected [" << shape
             << "] of X's element type";
    return success();
  };
  if (failed(expect(*w, {dirs, G * H, inputSize}, "W")) ||
      failed(expect(*rw, {dirs, G * H, H}, "R")) ||
      (*b && failed(expect(*b, {dirs, 2 * G * H}, "B"))))
    return failure();
  if (*lens) {
    auto type = Compose::typeOf(*lens);
    if (type.getShape() != ArrayRef<int64_t>{batch} ||
        !type.getElementType().isInteger(32))
      return node.emitError() << "sequence_lens must be int32 [" << batch
                              << "], got " << type;
  }
  FailureOr<SmallVector<Activation>> acts = readActivations(node, kind, dirs);
  if (failed(acts))
    return failure();
  FailureOr<Value> peepholes = node.optionalInput(7);
  if (failed(peepholes))
    return failure();
  if (node.opType() == "LSTM" && *peepholes &&
      failed(expect(*peepholes, {dirs, 3 * H}, "P")))
    return failure();

  Compose c(node);
  Recurrence r{node.opType(), seq,         batch,
               H,             std::nullopt, linearBeforeReset != 0,
               inputForget != 0, Value()};
  if (hasClip)
    r.clip = clip;
  if (*lens)
    r.lengths = c.reshape(*lens, {batch, 1});
  Value xs = layout ? c.transpose(*x, {1, 0, 2}) : *x;
  SmallVector<int64_t> stateShape = {dirs, batch, H};
  bool bad = false;
  Value h0 = initialState(c, node, 5, layout, stateShape, element, bad);
  Value c0 = node.opType() == "LSTM"
                 ? initialState(c, node, 6, layout, stateShape, element, bad)
                 : Value();
  if (bad || c.failed())
    return failure();

  SmallVector<Value> ys, hs, cells;
  for (int64_t d = 0; d < dirs; ++d) {
    auto take = [&](Value v, ArrayRef<int64_t> shape) {
      return c.reshape(c.slice(v, 0, d, 1), shape);
    };
    Direction dir;
    Value wt = c.transpose(take(*w, {G * H, inputSize}), {1, 0});
    dir.xw = c.matmul(xs, wt);
    if (*b) {
      Value bias = take(*b, {2 * G * H});
      dir.xw = c.add(dir.xw, c.slice(bias, 0, 0, G * H));
      dir.rb = c.slice(bias, 0, G * H, G * H);
    }
    dir.rt = c.transpose(take(*rw, {G * H, H}), {1, 0});
    if (*peepholes)
      dir.peephole = take(*peepholes, {3 * H});
    dir.h = take(h0, {batch, H});
    if (c0)
      dir.cell = take(c0, {batch, H});
    dir.acts = ArrayRef<Activation>(*acts).slice(d * kind.defaults.size(),
                                                  kind.defaults.size());
    dir.reverse = direction == "reverse" || d == 1;
    DirectionResult result = runDirection(c, r, dir);
    ys.push_back(result.y);
    hs.push_back(result.h);
    cells.push_back(result.cell);
  }
  Value y = c.concat(ys, 1);
  Value yh = c.concat(hs, 0);
  Value yc = node.opType() == "LSTM" ? c.concat(cells, 0) : Value();
  if (layout) {
    y = c.transpose(y, {2, 0, 1, 3});
    yh = c.transpose(yh, {1, 0, 2});
    if (yc)
      yc = c.transpose(yc, {1, 0, 2});
  }
  if (c.failed())
    return failure();
  node.setOutput(0, y);
  node.setOutput(1, yh);
  if (yc)
    node.setOutput(2, yc);
  return success();
}

/// CausalConvWithState (opset 27): a depthwise 1-D convolution over the
/// past state followed by the input, so each output sees only earlier
/// steps; the last kernel-1 steps become the present state.
LogicalResult importCausalConvWithState(NodeContext &node) {
  std::string activation = node.stringAttr("activation", "none");
  FailureOr<Value> input = node.input(0), weight = node.input(1);
  FailureOr<Value> bias = node.optionalInput(2), past = node.optionalInput(3);
  if (failed(input) || failed(weight) || failed(bias) || failed(past) ||
      node.hadError())
    return failure();
  if (activation != "none" && activation != "silu" && activation != "swish")
    return node.emitError() << "activation must be none, silu or swish, got '"
                            << activation << "'";
  auto type = Compose::typeOf(*input);
  auto wType = Compose::typeOf(*weight);
  if (type.getRank() != 3 || !isa<FloatType>(type.getElementType()))
    return node.emitError() << "input must be a float [batch, channels, "
                               "length] tensor, got "
                            << type;
  int64_t batch = type.getDimSize(0), channels = type.getDimSize(1);
  int64_t k = wType.getRank() == 3 ? wType.getDimSize(2) : 0;
  if (wType.getRank() != 3 || wType.getDimSize(0) != channels ||
      wType.getDimSize(1) != 1 || k < 1 ||
      wType.getElementType() != type.getElementType())
    return node.emitError() << "weight must be [" << channels
                            << ", 1, kernel] of the input's type, got "
                            << wType;
  SmallVector<int64_t> stateShape = {batch, channels, k - 1};
  if (*past && Compose::typeOf(*past) != type.clone(stateShape))
    return node.emitError() << "past_state must be " << type.clone(stateShape)
                            << ", got " << past->getType();
  if (k == 1 && node.outputUsed(1))
    return node.emitError() << "a kernel of size 1 leaves an empty "
                               "present_state, and Sinter has no empty "
                               "tensors";
  Compose c(node);
  Type element = type.getElementType();
  Value state = *past;
  if (!state && k > 1)
    state = c.constant(element, stateShape,
                       SmallVector<double>(product(stateShape), 0.0));
  Value padded = k > 1 ? c.concat({state, *input}, 2) : *input;
  if (!padded)
    return failure();
  int64_t length = Compose::shapeOf(padded)[2];
  Value y = c.take(node.create<sd::ConvOp>(
      padded, *weight, *bias, ArrayRef<int64_t>{1}, ArrayRef<int64_t>{1},
      ArrayRef<int64_t>{0, 0}, channels));
  if (activation != "none") {
    // SiLU in f32 for f16 and bf16 inputs, as the reference computes it.
    Value wide = c.convert(y, Float32Type::get(node.context()));
    y = c.convert(c.mul(wide, c.sigmoid(wide)), element);
  }
  Value present = k > 1 ? c.slice(padded, 2, length - (k - 1), k - 1) : Value();
  if (c.failed())
    return failure();
  node.setOutput(0, y);
  if (present)
    node.setOutput(1, present);
  return success();
}

} // namespace

void registerRecurrentImporters(ImporterTable &table) {
  table["CausalConvWithState"] = {importCausalConvWithState, 27};
  table["RNN"] = {importRecurrent, 7};
  table["GRU"] = {importRecurrent, 7};
  table["LSTM"] = {importRecurrent, 7};
}

} // namespace sinter::onnx_import
