# Finds what Sinter uses from outside: MLIR/LLVM 22, ONNX and protobuf, from Debian's packages.
# Nothing is vendored; scripts/setup installs the packages.

# MLIR's package config accepts only an exact version, so check the major by hand.
find_package(MLIR REQUIRED CONFIG HINTS /usr/lib/llvm-22/lib/cmake/mlir)
if(NOT LLVM_VERSION_MAJOR EQUAL 22)
  message(FATAL_ERROR "Sinter needs MLIR/LLVM 22, found ${LLVM_PACKAGE_VERSION} at ${MLIR_DIR}")
endif()
message(STATUS "Using MLIR ${LLVM_PACKAGE_VERSION} from ${MLIR_DIR}")

list(APPEND CMAKE_MODULE_PATH "${MLIR_CMAKE_DIR}" "${LLVM_CMAKE_DIR}")
set(LLVM_RUNTIME_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/bin)
set(LLVM_LIBRARY_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/lib)
set(MLIR_BINARY_DIR ${CMAKE_BINARY_DIR})
include(TableGen)
include(AddLLVM)
include(AddMLIR)
include(HandleLLVMOptions)

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
link_directories(${LLVM_BUILD_LIBRARY_DIR})
separate_arguments(SINTER_LLVM_DEFINITIONS NATIVE_COMMAND ${LLVM_DEFINITIONS})
add_definitions(${SINTER_LLVM_DEFINITIONS})

find_package(ONNX REQUIRED CONFIG)
find_package(Protobuf REQUIRED)

# The LLVM tools used by the tests and by `sinter run` (to link a shared library).
set(SINTER_LLVM_TOOLS_DIR "${LLVM_TOOLS_BINARY_DIR}")
find_program(SINTER_LLD ld.lld HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)
