"""`scripts/models`: writes the zoo's ONNX files, and with --check compiles each
with Sinter and compares it with onnxruntime, printing a Markdown table."""
import argparse
import glob
import os
import sys
import tempfile

import numpy as np
import onnx

import cnn
import harness
import transformers

# Name -> builder(small). The order is the order of --list and of the table.
MODELS = {
    "mlp": cnn.mlp,
    "resnet50": cnn.resnet50,
    "mobilenetv2": cnn.mobilenetv2,
    "efficientnet_b0": cnn.efficientnet_b0,
    "bert_base": transformers.bert_base,
    "gpt2_small": transformers.gpt2_small,
    "vit_b16": transformers.vit_b16,
}

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def file_name(name, small):
    return f"{name}-small.onnx" if small else f"{name}.onnx"


def up_to_date(path):
    """A model is current when it is newer than every generator source file."""
    if not os.path.exists(path):
        return False
    newest = max(os.path.getmtime(f) for f in glob.glob(os.path.join(HERE, "*.py")))
    return os.path.getmtime(path) >= newest


def smoke_test(path):
    """Runs the written model once in onnxruntime and insists every output is
    finite and not degenerate, so the weights' scales are sane."""
    model = onnx.load(path, load_external_data=False)
    outputs = harness.reference(path, harness.make_inputs(model, batch=2))
    for key, value in outputs.items():
        if not np.isfinite(value).all():
            raise RuntimeError(f"{path}: output {key} is not finite in onnxruntime")
        if np.std(value) < 1e-3:
            raise RuntimeError(f"{path}: output {key} is nearly constant in onnxruntime")
    return float(np.std(next(iter(outputs.values()))))


def build(name, out_dir, small, force=False, quiet=False):
    """Writes OUT_DIR/NAME[-small].onnx unless it is up to date; returns its path."""
    path = os.path.join(out_dir, file_name(name, small))
    if not force and up_to_date(path):
        if not quiet:
            print(f"{path}: up to date")
        return path
    os.makedirs(out_dir, exist_ok=True)
    model = MODELS[name](small)
    # Written beside the target and renamed, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=out_dir)
    os.close(fd)
    try:
        onnx.save(model, tmp)
        std = smoke_test(tmp)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    if not quiet:
        params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
        print(f"{path}: {len(model.graph.node)} nodes, {params / 1e6:.2f}M parameters, "
              f"output std {std:.3g} in onnxruntime")
    return path


def check(names, out_dir, small, sinter, batch, timeout):
    """Compiles and compares each model; prints the table; 0 when all pass."""
    work = os.path.join(out_dir, "check")
    results = []
    for name in names:
        path = build(name, out_dir, small, quiet=True)
        feeds = harness.make_inputs(onnx.load(path), batch=batch)
        tag = name + ("-small" if small else "")
        outcome = harness.compare(sinter, path, feeds, work, tag, timeout=timeout)
        results.append(outcome)
        print(outcome.row(), file=sys.stderr, flush=True)  # progress
        if outcome.error:
            print(f"{tag}: {outcome.error.splitlines()[-1]}", file=sys.stderr)
    print(f"Batch {batch}; reference onnxruntime (CPU, graph rewrites off); pass means every "
          f"element has |sinter - ort| <= {harness.ATOL} + {harness.RTOL} * |ort|. The relative "
          f"error is over elements whose reference exceeds {harness.ATOL}. Compile is "
          f"`sinter compile --emit=so`; run once is `sinter run` on that library "
          f"(loading included).\n")
    print(harness.TABLE_HEADER)
    for outcome in results:
        print(outcome.row())
    failed = [o for o in results if not o.ok]
    for o in failed:
        if o.error:
            print(f"\n{o.name}: {o.error}")
    return 1 if failed else 0


def main(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/models",
        description="Writes the model zoo (ONNX, opset 17, seeded weights) as DIR/NAME.onnx.")
    parser.add_argument("names", nargs="*", metavar="NAME", help="models (default: all)")
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "models"),
                        metavar="DIR", help="output folder (default: build/models)")
    parser.add_argument("--small", action="store_true",
                        help="the small variants, written as NAME-small.onnx")
    parser.add_argument("--list", action="store_true", help="print the model names")
    parser.add_argument("--force", action="store_true", help="rewrite even if up to date")
    parser.add_argument("--check", action="store_true",
                        help="compile each with Sinter and compare with onnxruntime")
    parser.add_argument("--sinter", default=os.path.join(ROOT, "build", "bin", "sinter"),
                        help="the sinter binary for --check")
    parser.add_argument("--batch", type=int, default=1, help="batch size for --check")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds allowed per compile and per run in --check")
    args = parser.parse_args(argv)

    if args.list:
        print("\n".join(MODELS))
        return 0
    unknown = [n for n in args.names if n not in MODELS]
    if unknown:
        parser.error(f"unknown model {', '.join(unknown)} (known: {', '.join(MODELS)})")
    names = args.names or list(MODELS)
    if args.check:
        return check(names, args.out, args.small, args.sinter, args.batch, args.timeout)
    for name in names:
        build(name, args.out, args.small, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
