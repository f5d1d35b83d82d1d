/* Runs a compiled model through the public C API only: sinter.h and the generated header.
 *
 * usage: run_model OUT_DIR IN0.bin [IN1.bin ...]
 * Reads each input as raw little-endian data of the model's input type, runs the
 * model twice in one session, checks both runs agree bit for bit, writes each
 * output to OUT_DIR/<index>.bin, then checks that the API refuses a wrong shape,
 * a wrong dtype and a missing input with SINTER_INVALID_ARGUMENT and a message. */
#include MODEL_HEADER

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TENSORS 16

static size_t tensor_bytes(sinter_tensor t) {
  size_t n = sinter_dtype_size(t.dtype);
  for (int32_t d = 0; d < t.rank; ++d)
    n *= (size_t)t.dims[d];
  return n;
}

static int expect_refusal(sinter_session *s, sinter_tensor *in, int32_t n_in,
                          sinter_tensor *out, int32_t n_out, const char *what,
                          const char *needle) {
  sinter_status st = sinter_session_run(s, in, n_in, out, n_out);
  const char *msg = sinter_session_error(s);
  if (st != SINTER_INVALID_ARGUMENT || !msg || !strstr(msg, needle)) {
    fprintf(stderr, "%s: expected SINTER_INVALID_ARGUMENT mentioning '%s', got %s: %s\n",
            what, needle, sinter_status_string(st), msg ? msg : "(null)");
    return 1;
  }
  printf("refused %s: %s\n", what, msg);
  return 0;
}

int main(int argc, char **argv) {
  const sinter_model *m = MODEL_FN();
  int32_t n_in = sinter_model_num_inputs(m), n_out = sinter_model_num_outputs(m);
  if (argc != 2 + n_in || n_in > MAX_TENSORS || n_out > MAX_TENSORS) {
    fprintf(stderr, "usage: %s OUT_DIR and %d input files\n", argv[0], n_in);
    return 2;
  }
  sinter_tensor in[MAX_TENSORS], out[MAX_TENSORS], again[MAX_TENSORS];
  for (int32_t i = 0; i < n_in; ++i) {
    in[i] = sinter_model_input(m, i);
    size_t bytes = tensor_bytes(in[i]);
    in[i].data = malloc(bytes);
    FILE *f = fopen(argv[2 + i], "rb");
    if (!f || fread(in[i].data, 1, bytes, f) != bytes) {
      fprintf(stderr, "cannot read %zu bytes from %s\n", bytes, argv[2 + i]);
      return 2;
    }
    fclose(f);
  }
  for (int32_t i = 0; i < n_out; ++i) {
    out[i] = sinter_model_output(m, i);
    again[i] = out[i];
    out[i].data = calloc(1, tensor_bytes(out[i]));
    again[i].data = calloc(1, tensor_bytes(again[i]));
  }

  sinter_session *s = NULL;
  sinter_status st = sinter_session_create(m, NULL, &s);
  if (st != SINTER_OK) {
    fprintf(stderr, "session_create: %s\n", sinter_status_string(st));
    return 1;
  }
  if (sinter_session_run(s, in, n_in, out, n_out) != SINTER_OK ||
      sinter_session_run(s, in, n_in, again, n_out) != SINTER_OK) {
    fprintf(stderr, "run failed: %s\n", sinter_session_error(s));
    return 1;
  }
  for (int32_t i = 0; i < n_out; ++i) {
    if (memcmp(out[i].data, again[i].data, tensor_bytes(out[i])) != 0) {
      fprintf(stderr, "output %d differs between two runs\n", i);
      return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.bin", argv[1], i);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(out[i].data, 1, tensor_bytes(out[i]), f) != tensor_bytes(out[i]))
      return 2;
    fclose(f);
  }
  printf("two runs agree\n");

  int failures = 0;
  /* A wrong dimension. */
  int64_t dims[8];
  sinter_tensor bad = in[0];
  memcpy(dims, in[0].dims, sizeof(int64_t) * (size_t)in[0].rank);
  dims[in[0].rank - 1] += 1;
  bad.dims = dims;
  sinter_tensor saved = in[0];
  in[0] = bad;
  failures += expect_refusal(s, in, n_in, out, n_out, "wrong shape",
                             sinter_model_input_name(m, 0));
  /* A wrong dtype. */
  in[0] = saved;
  in[0].dtype = in[0].dtype == SINTER_F32 ? SINTER_I32 : SINTER_F32;
  failures += expect_refusal(s, in, n_in, out, n_out, "wrong dtype",
                             sinter_model_input_name(m, 0));
  /* A missing input. */
  in[0] = saved;
  failures += expect_refusal(s, in, n_in - 1, out, n_out, "missing input", "input");
  /* A wrong rank. */
  bad = saved;
  bad.rank = saved.rank + 1;
  int64_t longer[9] = {1};
  memcpy(longer + 1, saved.dims, sizeof(int64_t) * (size_t)saved.rank);
  bad.dims = longer;
  in[0] = bad;
  failures += expect_refusal(s, in, n_in, out, n_out, "wrong rank",
                             sinter_model_input_name(m, 0));
  in[0] = saved;

  sinter_session_destroy(s);
  for (int32_t i = 0; i < n_in; ++i)
    free(in[i].data);
  for (int32_t i = 0; i < n_out; ++i) {
    free(out[i].data);
    free(again[i].data);
  }
  return failures ? 1 : 0;
}
