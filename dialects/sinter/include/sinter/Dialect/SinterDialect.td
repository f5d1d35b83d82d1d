// The sinter dialect: a tensor graph with static shapes, the target of every frontend.
#ifndef SINTER_DIALECT_TD
#define SINTER_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Sinter_Dialect : Dialect {
  let name = "sinter";
  let summary = "Sinter's model graph: tensor operations with static shapes";
  let description = [{
    The `sinter` dialect holds a model as a graph of pure tensor operations,
    one op per model-level operation (ONNX's Conv, MatMul, Softmax, ...), with
    every shape known. Graph passes (shape checks, folding, simplification) run
    on it before it is lowered to linalg.
  }];
  let cppNamespace = "::mlir::sinter";
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
}

// Every sinter op is pure: a function of its operands and attributes.
class Sinter_Op<string mnemonic, list<Trait> traits = []>
    : Op<Sinter_Dialect, mnemonic, !listconcat(traits, [Pure])>;

// Element types the graph carries.
def Sinter_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def Sinter_Int : AnyTypeOf<[I1, I8, I16, I32, I64, UI8, UI16, UI32, UI64]>;
def Sinter_Element : AnyTypeOf<[F16, BF16, F32, F64, I1, I8, I16, I32, I64,
                                 UI8, UI16, UI32, UI64]>;

def Sinter_Tensor : StaticShapeTensorOf<[Sinter_Element]>;
// ONNX's 8-bit floats, which only sinter.cast reads or writes.
def Sinter_Float8 : AnyTypeOf<[F8E4M3FN, F8E4M3FNUZ, F8E5M2, F8E5M2FNUZ,
                               F8E8M0FNU]>;
def Sinter_CastTensor : StaticShapeTensorOf<[Sinter_Element, Sinter_Float8]>;
def Sinter_FloatTensor : StaticShapeTensorOf<[Sinter_Float]>;
def Sinter_IndexTensor : StaticShapeTensorOf<[I32, I64]>;

#endif // SINTER_DIALECT_TD
