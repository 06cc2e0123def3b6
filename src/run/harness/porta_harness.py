#!/usr/bin/env python3
"""Porta's run harness: picks the accelerator, runs a script as __main__, times it, and reports metrics.

Usage: python porta_harness.py [--run-id ID] [--backend auto|cuda|rocm|npu|xpu|mps|cpu] [--shim] -- SCRIPT [ARGS...]

Works on torch 1.13 and current torch: every capability is feature-detected, nothing is assumed.
Output protocol (docs/run-protocol.md): lines `PORTA_<KIND> <json>` on stdout; scripts may print
`PORTA_METRIC {"name": ..., "value": ...}` too, or call `porta_harness.metric(name, value)`.
"""
import json
import os
import sys
import time

_T0 = time.time()
BACKENDS = ("cuda", "rocm", "npu", "xpu", "mps", "cpu")
EXIT_BAD_USAGE = 2
EXIT_BACKEND_UNAVAILABLE = 3


def _emit(kind, payload):
    sys.stdout.write("PORTA_%s %s\n" % (kind, json.dumps(payload, sort_keys=True)))
    sys.stdout.flush()


def metric(name, value, unit=None):
    """Reports one numeric metric through the protocol (usable from the script: `from porta_harness import metric`)."""
    payload = {"name": str(name), "value": float(value)}
    if unit:
        payload["unit"] = unit
    _emit("METRIC", payload)


def _process_start_time():
    """When the interpreter process started (Linux /proc), to report Python start-up separately."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])
        hz = os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return time.time() - uptime + ticks / float(hz)
    except Exception:
        return None


def _import_torch():
    try:
        import torch  # noqa: F401
        return torch, None
    except Exception as error:  # ImportError, or a broken install raising anything
        return None, "%s: %s" % (type(error).__name__, error)


def _cuda_like(torch):
    cuda = getattr(torch, "cuda", None)
    try:
        return bool(cuda and cuda.is_available())
    except Exception:
        return False


def _is_hip(torch):
    return bool(getattr(getattr(torch, "version", None), "hip", None))


def _has_xpu(torch):
    xpu = getattr(torch, "xpu", None)  # torch >= 2.4 (or intel_extension_for_pytorch)
    if xpu is None:
        try:
            import intel_extension_for_pytorch  # noqa: F401
            xpu = getattr(torch, "xpu", None)
        except Exception:
            return False
    try:
        return bool(xpu and xpu.is_available())
    except Exception:
        return False


def _has_npu(torch):
    try:
        import torch_npu  # noqa: F401  (registers torch.npu)
    except Exception:
        return False
    npu = getattr(torch, "npu", None)
    try:
        return bool(npu and npu.is_available())
    except Exception:
        return False


def _has_mps(torch):
    mps = getattr(getattr(torch, "backends", None), "mps", None)
    try:
        return bool(mps and mps.is_available())
    except Exception:
        return False


def available_backends(torch):
    """Backends usable from this interpreter, best first."""
    if torch is None:
        return ["cpu"]
    found = []
    if _cuda_like(torch):
        found.append("rocm" if _is_hip(torch) else "cuda")
    if _has_npu(torch):
        found.append("npu")
    if _has_xpu(torch):
        found.append("xpu")
    if _has_mps(torch):
        found.append("mps")
    found.append("cpu")
    return found


DEVICE_OF = {"cuda": "cuda", "rocm": "cuda", "npu": "npu", "xpu": "xpu", "mps": "mps", "cpu": "cpu"}


def select_backend(requested, torch):
    """Returns (backend, device string) or raises RuntimeError with a readable reason."""
    found = available_backends(torch)
    if requested == "auto":
        backend = found[0]
    elif requested in found:
        backend = requested
    else:
        why = "torch is not importable" if torch is None else "torch %s reports it unavailable" % torch.__version__
        raise RuntimeError("backend '%s' is not available here (%s; available: %s)" % (requested, why, ", ".join(found)))
    return backend, DEVICE_OF[backend]


def _peak_memory(torch, backend):
    """Peak memory in bytes: the accelerator's allocator when it has one, else the process's max RSS."""
    if torch is not None:
        try:
            if backend in ("cuda", "rocm"):
                return int(torch.cuda.max_memory_allocated())
            if backend == "xpu":
                return int(torch.xpu.max_memory_allocated())
            if backend == "npu":
                return int(torch.npu.max_memory_allocated())
            if backend == "mps" and hasattr(torch.mps, "driver_allocated_memory"):
                return int(torch.mps.driver_allocated_memory())
        except Exception:
            pass
    try:
        import resource
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(rss if sys.platform == "darwin" else rss * 1024)
    except Exception:
        return None


def _synchronize(torch, backend):
    try:
        if backend in ("cuda", "rocm"):
            torch.cuda.synchronize()
        elif backend == "xpu":
            torch.xpu.synchronize()
        elif backend == "npu":
            torch.npu.synchronize()
        elif backend == "mps" and hasattr(torch, "mps"):
            torch.mps.synchronize()
    except Exception:
        pass


def _parse(argv):
    opts = {"run_id": None, "backend": "auto", "shim": False}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg == "--shim":
            opts["shim"] = True
        elif arg in ("--backend", "--run-id") and i + 1 < len(argv):
            opts[arg[2:].replace("-", "_")] = argv[i + 1]
            i += 1
        elif arg.startswith("-"):
            raise SystemExit("porta_harness: unknown option %r" % arg)
        else:
            break
        i += 1
    rest = argv[i:]
    if not rest:
        raise SystemExit("porta_harness: no script given")
    if opts["backend"] != "auto" and opts["backend"] not in BACKENDS:
        raise SystemExit("porta_harness: --backend must be auto or one of %s" % ", ".join(BACKENDS))
    return opts, rest[0], rest[1:]


def _apply_shim(backend, device):
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    import porta_shim  # the fix engineer's package, shipped beside this file
    # install(device) patches CUDA references to mean the chosen backend (a no-op on CUDA/ROCm).
    return porta_shim.install(backend)


def main(argv):
    try:
        opts, script, script_args = _parse(argv)
    except SystemExit as error:
        sys.stderr.write("%s\n" % error)
        return EXIT_BAD_USAGE
    started = _process_start_time()
    if started is not None:
        metric("startup_ms", max(0.0, (_T0 - started) * 1000.0), "ms")
    # An explicit cpu run needs no probe: torch is imported only if the script (or the shim) does it.
    lazy = opts["backend"] == "cpu" and not opts["shim"]
    torch, torch_error = None, None
    if not lazy:
        t_import = time.time()
        torch, torch_error = _import_torch()
        if torch is not None:
            metric("import_torch_ms", (time.time() - t_import) * 1000.0, "ms")
    try:
        backend, device = select_backend(opts["backend"], torch)
    except RuntimeError as error:
        if torch is None:
            sys.stderr.write("porta: torch cannot be imported by %s (%s)\n" % (sys.executable, torch_error))
        sys.stderr.write("porta: %s\n" % error)
        _emit("ERROR", {"kind": "backend-unavailable", "message": str(error)})
        return EXIT_BACKEND_UNAVAILABLE
    info = {"backend": backend, "device": device, "python": sys.executable,
            "python_version": sys.version.split()[0], "torch": getattr(torch, "__version__", None)}
    if torch is None and not lazy:
        info["torch_error"] = torch_error
        sys.stderr.write("porta: warning: torch cannot be imported by %s (%s); running on cpu\n" % (sys.executable, torch_error))
    _emit("DEVICE", info)
    os.environ["PORTA_BACKEND"] = backend
    os.environ["PORTA_DEVICE"] = device
    if opts["run_id"]:
        os.environ["PORTA_RUN_ID"] = opts["run_id"]
    if opts["shim"]:
        try:
            shim_device = _apply_shim(backend, device)
            _emit("SHIM", {"enabled": True, "device": str(shim_device)})
        except Exception as error:
            sys.stderr.write("porta: the runtime shim could not be applied: %s: %s\n" % (type(error).__name__, error))
            return EXIT_BACKEND_UNAVAILABLE
    script_path = os.path.abspath(script)
    if not os.path.isfile(script_path):
        sys.stderr.write("porta: script not found: %s\n" % script)
        return EXIT_BAD_USAGE
    sys.argv = [script] + list(script_args)
    sys.path.insert(0, os.path.dirname(script_path))
    import runpy
    import traceback
    exit_code = 0
    t_script = time.time()
    try:
        runpy.run_path(script_path, run_name="__main__")
    except SystemExit as error:
        code = error.code
        exit_code = code if isinstance(code, int) else (0 if code is None else 1)
        if code is not None and not isinstance(code, int):
            sys.stderr.write("%s\n" % code)
    except KeyboardInterrupt:
        exit_code = 130
    except BaseException:
        # Show the script's frames, not the harness's runpy plumbing.
        etype, value, tb = sys.exc_info()
        first = tb
        while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) != script_path:
            tb = tb.tb_next
        traceback.print_exception(etype, value, tb or first)
        exit_code = 1
    torch = torch or sys.modules.get("torch")
    if torch is not None:
        _synchronize(torch, backend)
    if opts["shim"]:
        sys.stderr.flush()
        _emit("SHIM_REPORT", sys.modules["porta_shim"].finish())  # also printed once, readable, on stderr
    wall_ms = (time.time() - t_script) * 1000.0
    sys.stderr.flush()
    metric("wall_ms", wall_ms, "ms")
    peak = _peak_memory(torch, backend)
    if peak is not None:
        metric("peak_memory_bytes", peak, "bytes")
    _emit("RESULT", {"exit_code": exit_code, "backend": backend, "wall_ms": wall_ms, "peak_memory_bytes": peak})
    return exit_code


if __name__ == "__main__":
    sys.stdout.flush()
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)
