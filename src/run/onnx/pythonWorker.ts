/**
 * The benchmark worker for targets that have Python's onnxruntime instead of Node's: same request, same
 * `PORTA_BENCH_RESULT <json>` answer as worker.ts. Shipped as a string and run with `python -c`, so nothing needs
 * copying. Python 3.6+, numpy and onnxruntime on the target.
 */
export const PYTHON_WORKER = String.raw`
import json, resource, sys, time
req = json.loads(sys.argv[1])
NAMES = {"cpu": "CPUExecutionProvider", "cuda": "CUDAExecutionProvider", "tensorrt": "TensorrtExecutionProvider",
         "rocm": "ROCMExecutionProvider", "migraphx": "MIGraphXExecutionProvider", "openvino": "OpenVINOExecutionProvider",
         "dml": "DmlExecutionProvider", "coreml": "CoreMLExecutionProvider", "qnn": "QNNExecutionProvider",
         "cann": "CANNExecutionProvider", "webgpu": "WebGpuExecutionProvider", "xnnpack": "XnnpackExecutionProvider"}
TYPES = {"tensor(float)": "float32", "tensor(double)": "float64", "tensor(int8)": "int8", "tensor(uint8)": "uint8",
         "tensor(int16)": "int16", "tensor(uint16)": "uint16", "tensor(int32)": "int32", "tensor(int64)": "int64", "tensor(bool)": "bool"}

def out(payload):
    sys.stdout.write("PORTA_BENCH_RESULT " + json.dumps(payload) + "\n")
    sys.exit(0)

def fail(stage, message, create=None):
    payload = {"ok": False, "stage": stage, "message": str(message).strip()}
    if create is not None:
        payload["sessionCreateMs"] = create
    out(payload)

import numpy as np
import onnxruntime as ort

def mulberry(seed):
    state = [seed & 0xFFFFFFFF]
    def nxt():
        state[0] = (state[0] + 0x6D2B79F5) & 0xFFFFFFFF
        t = state[0]
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0
    return nxt

def default_dim(sym):
    s = (sym or "").lower()
    if any(k in s for k in ("seq", "len", "token", "time", "step")):
        return 128
    if s in ("h", "w") or any(k in s for k in ("height", "width", "size")):
        return 224
    return 1

name = NAMES.get(req["provider"], req["provider"])
available = ort.get_available_providers()
if name not in available:
    fail("session", "%s is not in this onnxruntime %s build (available: %s)" % (name, ort.__version__, ", ".join(available)))
opts = ort.SessionOptions()
opts.log_severity_level = 4
if req.get("threads"):
    opts.intra_op_num_threads = int(req["threads"])
t0 = time.perf_counter()
try:
    sess = ort.InferenceSession(req["model"], sess_options=opts, providers=[name])
except Exception as e:
    fail("session", e)
create = (time.perf_counter() - t0) * 1000
if name not in sess.get_providers():
    fail("session", "%s failed to initialise (ONNX Runtime fell back to %s)" % (name, ", ".join(sess.get_providers())), create)

feeds, described = {}, []
sources = {s["name"]: s for s in req["inputs"]}
known = [i.name for i in sess.get_inputs()]
for s in req["inputs"]:
    if s["name"] not in known:
        fail("inputs", "the model has no input '%s' (inputs: %s)" % (s["name"], ", ".join(known)), create)
for index, meta in enumerate(sess.get_inputs()):
    kind = TYPES.get(meta.type)
    if kind is None:
        fail("inputs", "input '%s' has element type %s, which cannot be synthesised or loaded" % (meta.name, meta.type), create)
    src = sources.get(meta.name, {})
    if "file" in src:
        arr = np.load(src["file"]) if src["file"].endswith(".npy") else np.array(json.load(open(src["file"])))
        arr = arr.astype(kind if kind != "bool" else np.bool_)
    else:
        dims = [d if isinstance(d, int) and d >= 0 else default_dim(d if isinstance(d, str) else None) for d in meta.shape]
        if "shape" in src:
            if len(src["shape"]) != len(dims):
                fail("inputs", "input '%s' has rank %d, but the given shape has rank %d" % (meta.name, len(dims), len(src["shape"])), create)
            dims = src["shape"]
        rnd = mulberry(req["seed"] + index)
        count = int(np.prod(dims)) if dims else 1
        raw = [rnd() for _ in range(count)]
        if kind.startswith("float"):
            arr = (np.array(raw) * 2 - 1).astype(kind)
        elif kind == "bool":
            arr = np.array([r >= 0.5 for r in raw])
        else:
            arr = np.floor(np.array(raw) * 10).astype(kind)
        arr = arr.reshape(dims)
    feeds[meta.name] = arr
    described.append({"name": meta.name, "type": kind, "dims": list(arr.shape)})

try:
    last = None
    for _ in range(req["warmup"]):
        last = sess.run(None, feeds)
    lat = []
    iterations = req.get("iterations") or 10 ** 12
    deadline = time.perf_counter() + req["durationMs"] / 1000.0 if req.get("durationMs") is not None else float("inf")
    start = time.perf_counter()
    while len(lat) < iterations:
        a = time.perf_counter()
        last = sess.run(None, feeds)
        b = time.perf_counter()
        lat.append((b - a) * 1000)
        if b >= deadline:
            break
    loop = (time.perf_counter() - start) * 1000
except Exception as e:
    fail("run", e, create)

outputs = []
if req.get("returnOutputs"):
    for meta, value in zip(sess.get_outputs(), last):
        value = np.asarray(value)
        outputs.append({"name": meta.name, "type": TYPES.get(meta.type, meta.type), "dims": list(value.shape),
                        "data": value.astype(np.float64).ravel().tolist()})
out({"ok": True, "provider": req["provider"], "sessionCreateMs": create, "latenciesMs": lat, "loopMs": loop,
     "peakMemoryBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "inputs": described, "outputs": outputs})
`;
