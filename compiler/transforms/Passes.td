// Graph-level passes on the sinter dialect, run between import and lowering.
#ifndef SINTER_TRANSFORMS_PASSES_TD
#define SINTER_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldConstants : Pass<"sinter-fold-constants"> {
  let summary = "Evaluates sinter ops whose operands are all constants";
  let description = [{
    Replaces an op whose operands are all `sinter.constant` by a constant:
    elementwise arithmetic with broadcasting (floats computed in f64 and
    rounded once to the element type, integers wrapping at their width),
    comparisons, select, casts, reductions and the data-movement ops
    (reshape, flatten, squeeze, unsqueeze, transpose, concat, slice, gather).
    This resolves shape arithmetic that reaches the graph (a chain of gathers
    and concats on a constant shape) and does weight preprocessing
    (`transpose(W)`, `cast(W)`, dequantization of constant weights) once, at
    compile time.

    So that a large weight is never duplicated, a result of more than
    `max-elements` elements is only computed when it is a splat or when the
    constants it reads die with it (they have no other user) and hold at least
    as many elements. An op whose result would not be defined (an integer
    division by zero, a negative integer power) is left alone.

    Example: `sinter.transpose %w` with `%w = sinter.constant` becomes one
    `sinter.constant` holding the transposed weight.
  }];
  let options = [
    Option<"maxElements", "max-elements", "int64_t", /*default=*/"65536",
           "Largest result, in elements, that may be folded while its "
           "operands stay alive">
  ];
  let dependentDialects = ["mlir::sinter::SinterDialect"];
}

def Simplify : Pass<"sinter-simplify"> {
  let summary = "Removes no-op arithmetic, cast and transpose chains, dead ops";
  let description = [{
    Algebraic simplifications that keep results bit for bit (beyond the
    dialect's own folds of `x + 0`, `x * 1`, identity transposes, reshapes and
    casts, which run here too):
      - `x - 0` and `x / 1` (when the constant does not broadcast `x`) are `x`;
      - `neg(neg(x))` is `x`; `x + neg(y)` is `x - y`; `x - neg(y)` is `x + y`;
      - `cast(cast(x))` is one cast when the inner cast loses nothing;
      - a transpose that only moves dimensions of size 1 is a reshape, so that
        it merges with neighbouring reshapes;
    and erases every op whose result is unused (all sinter ops are pure).
    The sinter dialect has no Identity or Dropout: the ONNX importer forwards
    their inputs, so none survive import.

    Example: `sinter.transpose %x {perm = array<i64: 0, 2, 3, 1>}` on
    `tensor<1x8x1x1xf32>` becomes `sinter.reshape %x : ... -> tensor<1x1x1x8xf32>`.
  }];
  let dependentDialects = ["mlir::sinter::SinterDialect"];
}

def FoldBatchNorm : Pass<"sinter-fold-batchnorm"> {
  let summary = "Folds BatchNorm and per-channel scales into constant weights";
  let description = [{
    With every weight constant and the producer used only once:
      - `batch_norm(conv(x, W, b))` becomes `conv(x, W', b')` with
        `W'[f] = W[f] * s[f]`, `b'[f] = (b[f] - mean[f]) * s[f] + bias[f]` and
        `s = scale / sqrt(var + epsilon)`;
      - `batch_norm(matmul(x, W))` and `batch_norm(add(matmul(x, W), c))` on a
        `[M, N]` product become `add(matmul(x, W'), c')`, scaling W's columns;
      - `mul`, `div`, `add` or `sub` of a conv by a per-channel constant (one
        value per output channel, or one value) move into the conv's filter
        and bias; `mul` or `div` of a matmul by a per-column constant moves into
        its constant right operand.
    The new weights are computed in f64 and rounded once to the element type
    (f16, bf16, f32 or f64). Division by a constant that holds a zero is not
    folded.

    Example: `sinter.batch_norm (sinter.conv %x, %w, %b), %s, %t, %m, %v`
    becomes `sinter.conv %x, %w2, %b2` with two new constants.
  }];
  let dependentDialects = ["mlir::sinter::SinterDialect"];
}

#endif // SINTER_TRANSFORMS_PASSES_TD
