/* One core's FMA peak: independent chains of FMAs, more than latency x throughput
 * of them so that the FMA units never wait. Prints GFLOP/s. 256-bit FMAs; built
 * with -mavx512f, 512-bit ones (some CPUs have twice the 256-bit throughput). */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Twelve named accumulators, not an array: at -O2 an array loop stays in memory. */
#define CHAINS 12
#ifdef __AVX512F__
#define LANES 16
typedef __m512 vec;
#define SET1 _mm512_set1_ps
#define FMADD _mm512_fmadd_ps
#define ADDV _mm512_add_ps
#define ZERO _mm512_setzero_ps
#define STORE _mm512_storeu_ps
#else
#define LANES 8
typedef __m256 vec;
#define SET1 _mm256_set1_ps
#define FMADD _mm256_fmadd_ps
#define ADDV _mm256_add_ps
#define ZERO _mm256_setzero_ps
#define STORE _mm256_storeu_ps
#endif
#define EACH(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

static double run(long iterations) {
#define INIT(c) vec a##c = SET1((float)(c));
  EACH(INIT)
  const vec scale = SET1(0.999999f), shift = SET1(1e-7f);
  double start = seconds();
  for (long i = 0; i < iterations; ++i) {
#define STEP(c) a##c = FMADD(a##c, scale, shift);
    EACH(STEP)
    /* Keeps the compiler from collapsing the iterations. */
    __asm__ volatile("" : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3), "+x"(a4), "+x"(a5),
                     "+x"(a6), "+x"(a7), "+x"(a8), "+x"(a9), "+x"(a10), "+x"(a11));
  }
  double elapsed = seconds() - start;
  vec sum = ZERO();
#define ADD(c) sum = ADDV(sum, a##c);
  EACH(ADD)
  float sink[LANES];
  STORE(sink, sum);
  if (sink[0] == 42.0f)
    puts("");
  return 2.0 * LANES * CHAINS * (double)iterations / elapsed * 1e-9;
}

int main(void) {
  /* Many short trials, the best of them: on a shared machine some trial runs
   * with the core to itself, while a long one would average in the others. */
  double best = 0;
  for (int trial = 0; trial < 200; ++trial) {
    double g = run(1000 * 1000);
    if (g > best)
      best = g;
  }
  printf("%.2f\n", best);
  return 0;
}
