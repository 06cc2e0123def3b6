"""What the shim did in this run: the CUDA calls it translated and the ones that fell back to something else.

Fallbacks are said once, when they first happen (a script that silences ``warnings`` still sees them); ``finish()``
prints the whole summary once at the end of the run and returns it for the run record (``PORTA_SHIM_REPORT``).
"""

import sys

_translated = {}  # "tensor.cuda()" -> how many times
_fallbacks = []  # "autocast float16 → bfloat16 on cpu", in the order they first happened
_state = {"device": None, "finished": False}


def start(device):
    _state["device"] = str(device)


def translated(call):
    _translated[call] = _translated.get(call, 0) + 1


def translated_for_caller(call):
    """Counts ``call`` when the script asked for it, not torch itself (torch.manual_seed asks torch.cuda.manual_seed_all)."""
    caller = sys._getframe(2).f_globals.get("__name__", "")
    if caller.split(".")[0] not in ("torch", "porta_shim"):
        translated(call)


def fell_back(change):
    if change in _fallbacks:
        return
    _fallbacks.append(change)
    sys.stderr.write("porta_shim: %s\n" % change)
    sys.stderr.flush()


def summary():
    return {"device": _state["device"], "translated": dict(_translated), "fallbacks": list(_fallbacks)}


def finish(stream=None):
    """Prints the summary once per run (later calls print nothing) and returns it."""
    report = summary()
    if _state["finished"] or _state["device"] is None:
        return report
    _state["finished"] = True
    stream = stream or sys.stderr
    calls = ", ".join("%s ×%d" % (name, count) for name, count in sorted(_translated.items())) or "nothing"
    stream.write("porta_shim: on %s, translated %s\n" % (report["device"], calls))
    stream.write("porta_shim: fell back: %s\n" % ("; ".join(_fallbacks) or "nothing"))
    stream.flush()
    return report
