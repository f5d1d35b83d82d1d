// `sinter run` and `sinter bench`: load a compiled model, feed it tensors, check or time it.
#include "Tool.h"
#include "TensorIO.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "sinter/sinter.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>

namespace sinter {

namespace {

struct RunRequest {
  std::string model;
  CompileOptions options;
  std::vector<std::pair<std::string, std::string>> inputs, expects;
  std::string outputDir;
  double atol = 1e-4, rtol = 1e-4;
  int32_t threads = 0;
  int32_t device = -1;
  int64_t iterations = 100;
};

/// Splits NAME=FILE; a bare FILE gets an empty name.
std::pair<std::string, std::string> splitBinding(llvm::StringRef text) {
  if (!text.contains('='))
    return {"", text.str()};
  auto [name, file] = text.split('=');
  return {name.str(), file.str()};
}

bool parseNumber(llvm::StringRef text, double &value) {
  return !text.getAsDouble(value) && value >= 0;
}

/// A model input or output as a HostTensor of the expected type, zero filled.
HostTensor allocateLike(const sinter_tensor &expected) {
  HostTensor t;
  t.dtype = expected.dtype;
  t.dims.assign(expected.dims, expected.dims + expected.rank);
  t.bytes.assign(t.numElements() * sinter_dtype_size(expected.dtype), 0);
  return t;
}

/// Matches NAME=FILE bindings to `count` model tensors. Bare FILE bindings
/// (all of them, not mixed with named ones) bind by position, in the model's
/// order, as the ONNX test data names its input_K.pb and output_K.pb files.
bool bindTensors(const sinter_model *m, bool outputs,
                 const std::vector<std::pair<std::string, std::string>> &bindings,
                 std::map<int32_t, std::string> &files, std::string &error) {
  int32_t count = outputs ? sinter_model_num_outputs(m) : sinter_model_num_inputs(m);
  const char *kind = outputs ? "output" : "input";
  size_t bare = llvm::count_if(bindings, [](const auto &b) { return b.first.empty(); });
  if (bare && bare != bindings.size()) {
    error = std::string("give every ") + kind + " as NAME=FILE or every one as a bare FILE, not both";
    return false;
  }
  if (bare > static_cast<size_t>(count)) {
    error = std::string("the model has ") + std::to_string(count) + " " + kind +
            (count == 1 ? "" : "s") + " but " + std::to_string(bare) + " files were given";
    return false;
  }
  for (const auto &[name, file] : bindings) {
    int32_t index = -1;
    if (name.empty())
      index = static_cast<int32_t>(files.size());
    for (int32_t i = 0; i < count && index < 0; ++i) {
      const char *have = outputs ? sinter_model_output_name(m, i)
                                 : sinter_model_input_name(m, i);
      if (name == have)
        index = i;
    }
    if (index < 0) {
      std::string names;
      for (int32_t i = 0; i < count; ++i)
        names += std::string(i ? ", " : "") + "'" +
                 (outputs ? sinter_model_output_name(m, i)
                          : sinter_model_input_name(m, i)) + "'";
      error = name.empty()
                  ? std::string("give ") + kind + "s as NAME=FILE; the model has " + names
                  : std::string("the model has no ") + kind + " '" + name +
                        "' (it has " + names + ")";
      return false;
    }
    if (files.count(index)) {
      error = std::string(kind) + " '" + name + "' given twice";
      return false;
    }
    files[index] = file;
  }
  return true;
}

int parseRunArguments(Arguments &args, RunRequest &request) {
  std::string error;
  while (!args.empty()) {
    std::string value;
    if (args.takeValue("--input", value, error)) {
      request.inputs.push_back(splitBinding(value));
    } else if (args.takeValue("--expect", value, error)) {
      request.expects.push_back(splitBinding(value));
    } else if (args.takeValue("--output-dir", value, error)) {
      request.outputDir = value;
    } else if (args.takeValue("--atol", value, error)) {
      if (error.empty() && !parseNumber(value, request.atol))
        error = "--atol expects a non-negative number, got '" + value + "'";
    } else if (args.takeValue("--rtol", value, error)) {
      if (error.empty() && !parseNumber(value, request.rtol))
        error = "--rtol expects a non-negative number, got '" + value + "'";
    } else if (args.takeValue("--threads", value, error)) {
      if (error.empty() && (llvm::StringRef(value).getAsInteger(10, request.threads) ||
                            request.threads < 0))
        error = "--threads expects a count >= 0, got '" + value + "'";
    } else if (args.takeValue("--iterations", value, error)) {
      if (error.empty() &&
          (llvm::StringRef(value).getAsInteger(10, request.iterations) ||
           request.iterations < 1))
        error = "--iterations expects a count >= 1, got '" + value + "'";
    } else if (args.takeValue("--device", value, error)) {
      if (value == "cpu")
        request.device = -1;
      else if (value == "cuda")
        request.device = 0;
      else if (llvm::StringRef(value).starts_with("cuda:") &&
               !llvm::StringRef(value).drop_front(5).getAsInteger(10, request.device) &&
               request.device >= 0)
        ;
      else if (error.empty())
        error = "--device expects cpu or cuda, got '" + value + "'";
    } else if (takeCompileOption(args, request.options, error)) {
    } else if (args.peek().starts_with("-")) {
      error = "unknown option '" + args.peek().str() + "'";
    } else if (request.model.empty()) {
      request.model = args.take().str();
    } else {
      error = "more than one model given";
    }
    if (!error.empty())
      return fail(error);
  }
  if (request.model.empty())
    return fail("no model given");
  if (!llvm::sys::fs::exists(request.model))
    return fail(request.model + ": no such file");
  return 0;
}

void printSummary(llvm::raw_ostream &os, const char *name, const HostTensor &t) {
  os << name << ": " << sinter_dtype_name(t.dtype) << " " << formatDims(t.dims);
  int64_t n = t.numElements();
  os << " [";
  for (int64_t i = 0; i < std::min<int64_t>(n, 8); ++i)
    os << (i ? ", " : "") << llvm::format("%.6g", elementAsDouble(t, i));
  os << (n > 8 ? ", ...]\n" : "]\n");
}

/// Random inputs for benchmarking: values in [-1, 1], valid 0 indices.
void fillRandom(HostTensor &t, std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  if (t.dtype == SINTER_F32) {
    auto *data = reinterpret_cast<float *>(t.bytes.data());
    for (int64_t i = 0; i < t.numElements(); ++i)
      data[i] = dist(rng);
  }
}

/// The ONNX TensorProto.DataType code of a sinter dtype, 0 if none.
int32_t onnxDataType(sinter_dtype dtype) {
  switch (dtype) {
  case SINTER_F32: return 1;
  case SINTER_U8: return 2;
  case SINTER_I8: return 3;
  case SINTER_I16: return 5;
  case SINTER_I32: return 6;
  case SINTER_I64: return 7;
  case SINTER_BOOL: return 9;
  case SINTER_F16: return 10;
  case SINTER_F64: return 11;
  case SINTER_BF16: return 16;
  case SINTER_U16: return 4;
  case SINTER_U32: return 12;
  case SINTER_U64: return 13;
  case SINTER_F8E4M3FN: return 17;
  case SINTER_F8E4M3FNUZ: return 18;
  case SINTER_F8E5M2: return 19;
  case SINTER_F8E5M2FNUZ: return 20;
  case SINTER_F8E8M0: return 24;
  default: return 0;
  }
}

/// Offers the input files to the compiler, which compiles one in where an op
/// needs that operand at compile time (a Reshape's shape given as an input);
/// the library is built for this run only, so that is exact. Files that do
/// not read are left for the binding step to report.
void offerInputValues(RunRequest &request) {
  for (const auto &[name, file] : request.inputs) {
    HostTensor t;
    std::string ignored;
    OnnxInputValue value;
    value.name = name;
    // A file that does not read keeps its place (bare files bind by
    // position) with no value.
    if (!readTensorFile(file, t, ignored) || !onnxDataType(t.dtype)) {
      request.options.inputValues.push_back(std::move(value));
      continue;
    }
    value.dataType = onnxDataType(t.dtype);
    value.dims = t.dims;
    value.bytes.assign(t.bytes.begin(), t.bytes.end());
    request.options.inputValues.push_back(std::move(value));
  }
}

} // namespace

int runCommand(Arguments &args, bool benchmark) {
  RunRequest request;
  if (int status = parseRunArguments(args, request))
    return status;
  if (llvm::sys::path::extension(request.model) != ".so")
    offerInputValues(request);

  auto loaded = LoadedModel::load(request.model, request.options);
  if (!loaded)
    return fail(llvm::toString(loaded.takeError()));
  const sinter_model *m = (*loaded)->model();

  std::string error;
  std::map<int32_t, std::string> inputFiles, expectFiles;
  if (!bindTensors(m, false, request.inputs, inputFiles, error) ||
      !bindTensors(m, true, request.expects, expectFiles, error))
    return fail(request.model + ": " + error);

  std::vector<HostTensor> inputs, outputs;
  std::mt19937 rng(1234);
  for (int32_t i = 0; i < sinter_model_num_inputs(m); ++i) {
    auto it = inputFiles.find(i);
    if (it == inputFiles.end()) {
      if (!benchmark)
        return fail(request.model + ": missing --input for input '" +
                    sinter_model_input_name(m, i) + "'");
      inputs.push_back(allocateLike(sinter_model_input(m, i)));
      fillRandom(inputs.back(), rng);
      continue;
    }
    HostTensor t;
    if (!readTensorFile(it->second, t, error))
      return fail(error);
    inputs.push_back(std::move(t));
  }
  for (int32_t i = 0; i < sinter_model_num_outputs(m); ++i)
    outputs.push_back(allocateLike(sinter_model_output(m, i)));

  sinter_session_options options;
  sinter_session_options_init(&options);
  options.num_threads = request.threads;
  options.device = request.device;
  char createError[512] = "";
  options.error = createError;
  options.error_size = sizeof createError;
  sinter_session *session = nullptr;
  sinter_status status = sinter_session_create(m, &options, &session);
  if (status != SINTER_OK)
    return fail(request.model + ": cannot create a session (" +
                sinter_status_string(status) + "): " + createError);
  auto destroy = llvm::make_scope_exit([&] { sinter_session_destroy(session); });

  std::vector<sinter_tensor> inputViews, outputViews;
  for (HostTensor &t : inputs)
    inputViews.push_back(t.view());
  for (HostTensor &t : outputs)
    outputViews.push_back(t.view());
  auto runOnce = [&] {
    return sinter_session_run(session, inputViews.data(), inputViews.size(),
                              outputViews.data(), outputViews.size());
  };

  if (benchmark) {
    for (int i = 0; i < 5; ++i)
      if (runOnce() != SINTER_OK)
        return fail(request.model + ": " + sinter_session_error(session));
    std::vector<double> times;
    for (int64_t i = 0; i < request.iterations; ++i) {
      auto start = std::chrono::steady_clock::now();
      runOnce();
      std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      times.push_back(took.count());
    }
    std::sort(times.begin(), times.end());
    auto at = [&](double q) { return times[std::min<size_t>(times.size() - 1, q * times.size())]; };
    std::string threads = request.threads == 0
                              ? std::string("all cores")
                              : std::to_string(request.threads) + " threads";
    llvm::outs() << llvm::format("%s: %lld iterations, %s: min %.3f ms, "
                                 "median %.3f ms, p90 %.3f ms\n",
                                 request.model.c_str(), (long long)request.iterations,
                                 threads.c_str(), times.front(), at(0.5), at(0.9));
    return 0;
  }

  if (runOnce() != SINTER_OK)
    return fail(request.model + ": " + sinter_session_error(session));

  if (!request.outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(request.outputDir))
      return fail("cannot create " + request.outputDir + ": " + ec.message());
  }
  bool allClose = true;
  for (int32_t i = 0; i < sinter_model_num_outputs(m); ++i) {
    const char *name = sinter_model_output_name(m, i);
    if (!request.outputDir.empty()) {
      llvm::SmallString<128> path(request.outputDir);
      std::string file;
      for (const char *c = name; *c; ++c)
        file.push_back(*c == '/' || *c == '\\' ? '_' : *c);
      llvm::sys::path::append(path, file + ".npy");
      if (!writeNpy(path.str().str(), outputs[i], error))
        return fail(error);
    } else if (expectFiles.empty()) {
      printSummary(llvm::outs(), name, outputs[i]);
    }
    auto it = expectFiles.find(i);
    if (it == expectFiles.end())
      continue;
    HostTensor expected;
    if (!readTensorFile(it->second, expected, error))
      return fail(error);
    CompareResult result =
        compareTensors(expected, outputs[i], request.atol, request.rtol);
    if (!result.error.empty())
      return fail(std::string("output '") + name + "': " + result.error);
    llvm::outs() << llvm::format(
        "output '%s': max abs error %.3g, max rel error %.3g (atol %g, rtol %g): %s\n",
        name, result.maxAbsError, result.maxRelError, request.atol, request.rtol,
        result.allClose ? "ok" : "MISMATCH");
    if (!result.allClose) {
      llvm::outs() << llvm::format(
          "  %lld of %lld elements differ; worst at flat index %lld: expected %.9g, got %.9g\n",
          (long long)result.numMismatches, (long long)outputs[i].numElements(),
          (long long)result.worstIndex,
          elementAsDouble(expected, result.worstIndex),
          elementAsDouble(outputs[i], result.worstIndex));
      allClose = false;
    }
  }
  return allClose ? 0 : 1;
}

} // namespace sinter
