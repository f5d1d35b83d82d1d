// Compile-time evaluation of the elementwise ops, comparisons, select and cast, with the semantics of their lowering to linalg.
#include "transforms/ConstantData.h"
#include "transforms/Evaluate.h"

#include "sinter/Dialect/SinterOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

using namespace mlir;

namespace mlir::sinter::fold {

namespace {

/// Writes result element `i` from the operands' elements at `at`; false when
/// that element is undefined.
using ElementFn = function_ref<bool(ArrayRef<ElementReader> in,
                                    ArrayRef<int64_t> at, ElementWriter &out,
                                    int64_t i)>;

/// Evaluates `fn` for every element of `type`, the operands broadcast to it.
/// When every operand is a splat so is the result, and one element is
/// computed.
DenseElementsAttr mapElements(ArrayRef<DenseElementsAttr> operands,
                              RankedTensorType type, ElementFn fn) {
  SmallVector<ElementReader> readers;
  for (DenseElementsAttr operand : operands)
    readers.emplace_back(operand);
  if (llvm::all_of(operands, [](DenseElementsAttr a) { return a.isSplat(); }) &&
      type.getNumElements() > 0) {
    ElementWriter one(RankedTensorType::get({}, type.getElementType()));
    SmallVector<int64_t> at(operands.size(), 0);
    if (!fn(readers, at, one, 0))
      return {};
    return one.finish().resizeSplat(type);
  }
  SmallVector<SmallVector<int64_t>> strides;
  for (DenseElementsAttr operand : operands)
    strides.push_back(
        broadcastStrides(operand.getType().getShape(), type.getShape()));
  ElementWriter out(type);
  int64_t i = 0;
  if (!walk(type.getShape(), strides, [&](ArrayRef<int64_t> at) {
        return fn(readers, at, out, i++);
      }))
    return {};
  return out.finish();
}

/// `value` rounded to the float type `element`, as a constant of that type in
/// the lowered code would be.
double roundTo(Type element, double value) {
  APFloat rounded(value);
  bool lost;
  rounded.convert(cast<FloatType>(element).getFloatSemantics(),
                  APFloat::rmNearestTiesToEven, &lost);
  return rounded.convertToDouble();
}

//===----------------------------------------------------------------------===//
// Unary float ops
//===----------------------------------------------------------------------===//

std::function<double(double)> unaryFunction(Operation *op, Type element) {
  using Fn = std::function<double(double)>;
  return llvm::TypeSwitch<Operation *, Fn>(op)
      .Case([](ReluOp) { return [](double x) { return maximumF(x, 0.0); }; })
      .Case([](SigmoidOp) {
        return [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
      })
      .Case([](TanhOp) { return [](double x) { return std::tanh(x); }; })
      .Case([](ExpOp) { return [](double x) { return std::exp(x); }; })
      .Case([](LogOp) { return [](double x) { return std::log(x); }; })
      .Case([](SqrtOp) { return [](double x) { return std::sqrt(x); }; })
      .Case([](ErfOp) { return [](double x) { return std::erf(x); }; })
      .Case([](NegOp) { return [](double x) { return -x; }; })
      .Case([](AbsOp) { return [](double x) { return std::fabs(x); }; })
      .Case([](ReciprocalOp) { return [](double x) { return 1.0 / x; }; })
      .Case([&](LeakyReluOp leaky) -> Fn {
        double alpha = roundTo(element, leaky.getAlpha().convertToDouble());
        return [alpha](double x) { return x >= 0.0 ? x : alpha * x; };
      })
      .Case([](GeluOp gelu) -> Fn {
        if (gelu.getApproximate() == "tanh")
          return [](double x) {
            double inner = std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x);
            return 0.5 * x * (1.0 + std::tanh(inner));
          };
        return [](double x) { return 0.5 * x * (1.0 + std::erf(x * M_SQRT1_2)); };
      })
      .Default([](Operation *) { return Fn(); });
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

struct BinaryFunctions {
  std::function<double(double, double)> onFloats;
  /// nullopt: the element is undefined (the op is then not folded).
  std::function<std::optional<int64_t>(int64_t, int64_t)> onInts;
};

/// The smallest value of a signed integer type; for unsigned types and i1,
/// whose elements read as non-negative, a value no element can have.
int64_t signedMinimum(Type element) {
  auto integer = cast<IntegerType>(element);
  if (integer.isUnsigned() || integer.getWidth() == 1)
    return std::numeric_limits<int64_t>::max();
  return integer.getWidth() == 64
             ? std::numeric_limits<int64_t>::min()
             : -(int64_t(1) << (integer.getWidth() - 1));
}

uint64_t u(int64_t v) { return static_cast<uint64_t>(v); }
int64_t s(uint64_t v) { return static_cast<int64_t>(v); }

BinaryFunctions binaryFunctions(Operation *op, Type element) {
  using F = BinaryFunctions;
  return llvm::TypeSwitch<Operation *, F>(op)
      .Case([](AddOp) {
        return F{[](double a, double b) { return a + b; },
                 [](int64_t a, int64_t b) { return s(u(a) + u(b)); }};
      })
      .Case([](SubOp) {
        return F{[](double a, double b) { return a - b; },
                 [](int64_t a, int64_t b) { return s(u(a) - u(b)); }};
      })
      .Case([](MulOp) {
        return F{[](double a, double b) { return a * b; },
                 [](int64_t a, int64_t b) { return s(u(a) * u(b)); }};
      })
      .Case([&](DivOp) {
        int64_t lowest = signedMinimum(element);
        return F{[](double a, double b) { return a / b; },
                 [lowest](int64_t a, int64_t b) -> std::optional<int64_t> {
                   // Truncating division, as arith.divsi; x / 0 and
                   // MIN / -1 are undefined there.
                   if (b == 0 || (b == -1 && a == lowest))
                     return std::nullopt;
                   if (b == -1)
                     return s(0 - u(a));
                   return a / b;
                 }};
      })
      .Case([](PowOp) {
        return F{[](double a, double b) { return std::pow(a, b); },
                 [](int64_t a, int64_t b) -> std::optional<int64_t> {
                   if (b < 0)
                     return std::nullopt;
                   uint64_t result = 1, base = u(a);
                   for (uint64_t e = u(b); e; e >>= 1, base *= base)
                     if (e & 1)
                       result *= base;
                   return s(result);
                 }};
      })
      .Case([](MaxOp) {
        return F{maximumF, [](int64_t a, int64_t b) { return std::max(a, b); }};
      })
      .Case([](MinOp) {
        return F{minimumF, [](int64_t a, int64_t b) { return std::min(a, b); }};
      })
      .Default([](Operation *) { return F(); });
}

//===----------------------------------------------------------------------===//
// compare, select, cast
//===----------------------------------------------------------------------===//

/// Floats compare ordered (false against NaN) except `ne`; integers as read
/// (signed, or zero-extended for unsigned types and i1).
template <typename T> std::optional<bool> compare(StringRef predicate, T a, T b) {
  if (predicate == "eq")
    return a == b;
  if (predicate == "ne")
    return !(a == b);
  if (predicate == "lt")
    return a < b;
  if (predicate == "le")
    return a <= b;
  if (predicate == "gt")
    return a > b;
  if (predicate == "ge")
    return a >= b;
  return std::nullopt;
}

DenseElementsAttr evaluateCompare(CompareOp op,
                                  ArrayRef<DenseElementsAttr> operands,
                                  RankedTensorType type) {
  StringRef predicate = op.getPredicate();
  bool floating = isa<FloatType>(operands[0].getElementType());
  return mapElements(operands, type,
                     [&](ArrayRef<ElementReader> in, ArrayRef<int64_t> at,
                         ElementWriter &out, int64_t i) {
                       std::optional<bool> result =
                           floating ? compare(predicate, in[0].getFloat(at[0]),
                                              in[1].getFloat(at[1]))
                                    : compare(predicate, in[0].getInt(at[0]),
                                              in[1].getInt(at[1]));
                       if (!result)
                         return false;
                       out.setInt(i, *result);
                       return true;
                     });
}

DenseElementsAttr evaluateSelect(ArrayRef<DenseElementsAttr> operands,
                                 RankedTensorType type) {
  bool floating = isa<FloatType>(type.getElementType());
  return mapElements(operands, type,
                     [&](ArrayRef<ElementReader> in, ArrayRef<int64_t> at,
                         ElementWriter &out, int64_t i) {
                       unsigned pick = in[0].getInt(at[0]) ? 1 : 2;
                       if (floating)
                         out.setFloat(i, in[pick].getFloat(at[pick]));
                       else
                         out.setInt(i, in[pick].getInt(at[pick]));
                       return true;
                     });
}

/// ONNX Cast as the lowering does it: to i1 is "not zero" (NaN included),
/// floats to integers truncate toward zero (NaN and out-of-range values are
/// undefined there; here NaN gives 0 and the rest saturates at 64 bits, then
/// wraps), integers to integers wrap or extend by the source's signedness.
DenseElementsAttr evaluateCast(ArrayRef<DenseElementsAttr> operands,
                               RankedTensorType type) {
  Type to = type.getElementType();
  bool fromFloat = isa<FloatType>(operands[0].getElementType());
  bool toFloat = isa<FloatType>(to), toBool = to.isInteger(1);
  return mapElements(
      operands, type,
      [&](ArrayRef<ElementReader> in, ArrayRef<int64_t> at, ElementWriter &out,
          int64_t i) {
        if (fromFloat) {
          double x = in[0].getFloat(at[0]);
          if (toFloat)
            out.setFloat(i, x);
          else if (toBool)
            out.setInt(i, x != 0.0);
          else if (std::isnan(x))
            out.setInt(i, 0);
          else
            out.setInt(i, static_cast<int64_t>(
                              std::trunc(std::clamp(x, -9.2e18, 9.2e18))));
          return true;
        }
        int64_t x = in[0].getInt(at[0]);
        if (toFloat)
          out.setFloatFromInt(i, x);
        else
          out.setInt(i, toBool ? x != 0 : x);
        return true;
      });
}

} // namespace

DenseElementsAttr evaluateElementwise(Operation *op,
                                      ArrayRef<DenseElementsAttr> operands,
                                      RankedTensorType type) {
  Type element = type.getElementType();
  if (auto compareOp = dyn_cast<CompareOp>(op))
    return evaluateCompare(compareOp, operands, type);
  if (isa<SelectOp>(op))
    return evaluateSelect(operands, type);
  if (isa<CastOp>(op))
    return evaluateCast(operands, type);
  if (operands.size() == 1 && isa<FloatType>(element)) {
    std::function<double(double)> fn = unaryFunction(op, element);
    if (!fn)
      return {};
    return mapElements(operands, type,
                       [&](ArrayRef<ElementReader> in, ArrayRef<int64_t> at,
                           ElementWriter &out, int64_t i) {
                         out.setFloat(i, fn(in[0].getFloat(at[0])));
                         return true;
                       });
  }
  if (operands.size() != 2)
    return {};
  BinaryFunctions fns = binaryFunctions(op, element);
  if (!fns.onFloats)
    return {};
  if (isa<FloatType>(element))
    return mapElements(operands, type,
                       [&](ArrayRef<ElementReader> in, ArrayRef<int64_t> at,
                           ElementWriter &out, int64_t i) {
                         out.setFloat(i, fns.onFloats(in[0].getFloat(at[0]),
                                                      in[1].getFloat(at[1])));
                         return true;
                       });
  return mapElements(operands, type,
                     [&](ArrayRef<ElementReader> in, ArrayRef<int64_t> at,
                         ElementWriter &out, int64_t i) {
                       std::optional<int64_t> value = fns.onInts(
                           in[0].getInt(at[0]), in[1].getInt(at[1]));
                       if (!value)
                         return false;
                       out.setInt(i, *value);
                       return true;
                     });
}

} // namespace mlir::sinter::fold
