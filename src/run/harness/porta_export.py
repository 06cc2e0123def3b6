#!/usr/bin/env python3
"""Exports a PyTorch nn.Module to ONNX (torch.onnx.export, opset 13), checks it, and saves reference data.

Usage: python porta_export.py --source FILE.py --class NAME --out MODEL.onnx
                              [--input-shape 1x3x224x224 ...] [--init-args JSON] [--opset 13] [--no-dynamic-batch]

Writes MODEL.onnx, the example inputs (MODEL.input<i>.npy) and PyTorch's outputs (MODEL.output<i>.npy), so that
any ONNX Runtime (onnxruntime-node here, or Python onnxruntime on a target) can be compared with PyTorch.
If Python's onnxruntime is importable, the comparison is also done here.
Last line on stdout: `PORTA_EXPORT <json>`; errors: `PORTA_ERROR <json>` and exit 2.
Works on torch 1.13 and current torch.
"""
import argparse
import importlib.util
import json
import os
import sys


def _emit(kind, payload):
    sys.stdout.write("PORTA_%s %s\n" % (kind, json.dumps(payload, sort_keys=True)))
    sys.stdout.flush()


def _fail(message):
    _emit("ERROR", {"kind": "export-failed", "message": message})
    sys.exit(2)


def _load_class(source, name):
    if not os.path.isfile(source):
        _fail("%s does not exist" % source)
    sys.path.insert(0, os.path.dirname(os.path.abspath(source)))
    spec = importlib.util.spec_from_file_location("_porta_export_target", source)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's module failed to import: say so, with its own words
        _fail("importing %s failed: %s: %s" % (source, type(error).__name__, error))
    cls = getattr(module, name, None)
    if cls is None:
        _fail("%s has no class %s" % (source, name))
    return cls


def _guess_inputs(torch, model):
    """Example inputs from the first layer when no --input-shape is given (documented heuristics)."""
    for attr in ("porta_input_shape", "example_input_shape"):
        shape = getattr(model, attr, None)
        if shape:
            return [torch.randn(*shape)]
    nn = torch.nn
    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            return [torch.randn(1, layer.in_features)]
        if isinstance(layer, nn.Conv2d):
            return [torch.randn(1, layer.in_channels, 64, 64)]
        if isinstance(layer, nn.Conv1d):
            return [torch.randn(1, layer.in_channels, 128)]
        if isinstance(layer, nn.Embedding):
            return [torch.randint(0, layer.num_embeddings, (1, 16))]
    _fail("cannot guess the input shape of %s: pass --input-shape (e.g. 1x3x224x224) or set porta_input_shape on the class" % type(model).__name__)


def _as_tuple(outputs):
    if isinstance(outputs, (tuple, list)):
        return tuple(outputs)
    return (outputs,)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--class", dest="class_name", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--input-shape", action="append", default=[])
    parser.add_argument("--init-args", default="[]", help="JSON list (positional) or object (keyword) for the constructor")
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--no-dynamic-batch", action="store_true")
    args = parser.parse_args(argv)

    try:
        import numpy as np
        import torch
    except ImportError as error:
        _fail("this interpreter (%s) lacks %s" % (sys.executable, error.name))
    try:
        import onnx
    except ImportError:
        onnx = None

    cls = _load_class(args.source, args.class_name)
    init = json.loads(args.init_args)
    torch.manual_seed(0)
    try:
        model = cls(**init) if isinstance(init, dict) else cls(*init)
    except Exception as error:
        _fail("constructing %s failed: %s: %s (pass --init-args)" % (args.class_name, type(error).__name__, error))
    model.eval()

    if args.input_shape:
        try:
            shapes = [[int(d) for d in s.replace(",", "x").split("x")] for s in args.input_shape]
        except ValueError:
            _fail("--input-shape takes dimensions like 1x3x224x224, got %s" % args.input_shape)
        inputs = [torch.randn(*shape) for shape in shapes]
    else:
        inputs = _guess_inputs(torch, model)

    with torch.no_grad():
        try:
            expected = _as_tuple(model(*inputs))
        except Exception as error:
            _fail("running %s on inputs %s failed: %s: %s" % (args.class_name, [list(t.shape) for t in inputs], type(error).__name__, error))

    input_names = ["input%d" % i for i in range(len(inputs))]
    output_names = ["output%d" % i for i in range(len(expected))]
    dynamic = None if args.no_dynamic_batch else {name: {0: "batch"} for name in input_names + output_names}
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    try:
        torch.onnx.export(model, tuple(inputs), args.out, opset_version=args.opset, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic, do_constant_folding=True)
    except Exception as error:
        _fail("torch.onnx.export failed: %s: %s" % (type(error).__name__, str(error).strip().splitlines()[0] if str(error).strip() else ""))

    checker = "skipped (no onnx module)"
    if onnx is not None:
        try:
            onnx.checker.check_model(onnx.load(args.out))
            checker = "ok"
        except Exception as error:
            _fail("onnx.checker rejected the export: %s" % error)

    stem = os.path.splitext(os.path.abspath(args.out))[0]
    described_inputs, described_outputs = [], []
    for name, tensor, i in zip(input_names, inputs, range(len(inputs))):
        path = "%s.input%d.npy" % (stem, i)
        np.save(path, tensor.numpy())
        described_inputs.append({"name": name, "shape": list(tensor.shape), "dtype": str(tensor.numpy().dtype), "file": path})
    for name, tensor, i in zip(output_names, expected, range(len(expected))):
        path = "%s.output%d.npy" % (stem, i)
        np.save(path, tensor.detach().numpy())
        described_outputs.append({"name": name, "shape": list(tensor.shape), "file": path})

    ort_result = {"available": False, "reason": "Python onnxruntime is not installed for %s" % sys.executable}
    try:
        import onnxruntime as ort
    except ImportError:
        ort = None
    if ort is not None:
        session = ort.InferenceSession(args.out, providers=["CPUExecutionProvider"])
        got = session.run(None, {n: t.numpy() for n, t in zip(input_names, inputs)})
        parity = []
        for name, want, have in zip(output_names, expected, got):
            want = want.detach().numpy().astype(np.float64).ravel()
            have = np.asarray(have, dtype=np.float64).ravel()
            diff = np.abs(have - want)
            denom = np.linalg.norm(have) * np.linalg.norm(want)
            parity.append({"name": name, "maxAbsError": float(diff.max(initial=0)),
                           "maxRelError": float((diff / np.maximum(np.abs(want), np.finfo(np.float64).eps)).max(initial=0)),
                           "cosine": float(np.dot(have, want) / denom) if denom else 1.0,
                           "withinTolerance": bool(np.allclose(have, want, rtol=1e-3, atol=1e-4))})
        ort_result = {"available": True, "version": ort.__version__, "parity": parity}

    _emit("EXPORT", {"onnx": os.path.abspath(args.out), "opset": args.opset, "torch": torch.__version__, "checker": checker,
                     "class": args.class_name, "inputs": described_inputs, "outputs": described_outputs, "pythonOrt": ort_result})


if __name__ == "__main__":
    main()
