// All sinter ops, one file per op family.
#ifndef SINTER_OPS_TD
#define SINTER_OPS_TD

include "sinter/Dialect/SinterDialect.td"
include "sinter/Dialect/ElementwiseOps.td"
include "sinter/Dialect/LinearOps.td"
include "sinter/Dialect/PoolOps.td"
include "sinter/Dialect/NormOps.td"
include "sinter/Dialect/ReduceOps.td"
include "sinter/Dialect/ShapeOps.td"
include "sinter/Dialect/IndexingOps.td"
include "sinter/Dialect/VisionOps.td"
include "sinter/Dialect/NarrowOps.td"

#endif // SINTER_OPS_TD
