// Every --emit phase of `sinter compile` on a sinter-dialect module.
// RUN: %sinter compile %s --name tiny --emit=sinter | FileCheck %s --check-prefix=SINTER
// RUN: %sinter compile %s --name tiny --emit=linalg | FileCheck %s --check-prefix=LINALG
// RUN: %sinter compile %s --name tiny --emit=llvm-mlir | FileCheck %s --check-prefix=LLVMMLIR
// RUN: %sinter compile %s --name tiny --emit=llvm | FileCheck %s --check-prefix=LLVM
// RUN: %sinter compile %s --name tiny --emit=asm --target=x86_64-linux-gnu --cpu=haswell | FileCheck %s --check-prefix=ASM
// RUN: %sinter compile %s --name tiny --emit=asm --target=aarch64-linux-gnu --cpu=generic | FileCheck %s --check-prefix=ARM
// RUN: rm -rf %t && mkdir -p %t
// RUN: %sinter compile %s --name tiny -o %t/tiny.o
// RUN: llvm-nm %t/tiny.o | FileCheck %s --check-prefix=NM
// RUN: FileCheck %s --check-prefix=HEADER < %t/tiny.h
// RUN: %sinter compile %s --name tiny --emit=lib -o %t/libtiny.a
// RUN: llvm-nm %t/libtiny.a | FileCheck %s --check-prefix=NM
// RUN: %sinter compile %s --name tiny --emit=so -o %t/libtiny.so
// RUN: llvm-nm -D --defined-only %t/libtiny.so | FileCheck %s --check-prefix=SO

// SINTER-LABEL: func.func @main
// SINTER: sinter.matmul
// SINTER: sinter.relu

// LINALG-LABEL: func.func @main
// LINALG-NOT: = sinter.
// LINALG: linalg.matmul

// LLVMMLIR: llvm.func @__sinter_tiny_forward(%{{.*}}: !llvm.ptr {sinter.name = "x"}, %{{.*}}: !llvm.ptr {sinter.name = "y"}, %{{.*}}: !llvm.ptr)
// LLVMMLIR-NOT: memref.alloc
// LLVMMLIR-NOT: llvm.call @malloc

// LLVM: @__sinter_tiny_model = private unnamed_addr constant
// LLVM: define {{.*}}ptr @tiny_model()
// LLVM-NOT: malloc

// ASM: tiny_model:
// ARM: tiny_model:

// NM: T tiny_model
// NM-NOT: U malloc
// NM-NOT: T main

// HEADER: #0 "x": f32 [4, 8]
// HEADER: #0 "y": f32 [4, 16]
// HEADER: #include "sinter/sinter.h"
// HEADER: const sinter_model *tiny_model(void);

// SO-DAG: T sinter_loadable_model
// SO-DAG: T tiny_model

func.func @main(%x: tensor<4x8xf32> {sinter.name = "x"}) -> (tensor<4x16xf32> {sinter.name = "y"}) {
  %w = sinter.constant dense<0.5> : tensor<8x16xf32>
  %m = sinter.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %r = sinter.relu %m : tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
