"""python -m porta_shim [--device auto|cuda|rocm|npu|xpu|mps|cpu] (script.py | notebook.ipynb | -m module) [args...]"""

import json
import os
import runpy
import sys

from . import _verbose, finish, install

USAGE = __doc__.strip()
DEVICES = ("auto", "cuda", "rocm", "npu", "xpu", "mps", "cpu")


def _notebook_source(path):
    with open(path, encoding="utf-8") as handle:
        notebook = json.load(handle)
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        # IPython magics and shell escapes have no meaning outside Jupyter: keep line numbers, drop the command.
        lines = ["# " + line if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
        cells.append("\n".join(lines))
    return "\n\n".join(cells)


def main(argv):
    device = os.environ.get("PORTA_DEVICE", "auto").split(":")[0]  # the run harness may set "cuda:0"
    args = list(argv)
    while args and args[0].startswith("--"):
        option = args.pop(0)
        if option == "--device" and args:
            device = args.pop(0)
        elif option.startswith("--device="):
            device = option.split("=", 1)[1]
        elif option in ("--help", "-h"):
            print(USAGE)
            return 0
        else:
            sys.stderr.write("porta_shim: unknown option %s\n%s\n" % (option, USAGE))
            return 2
    if device not in DEVICES:
        sys.stderr.write("porta_shim: unknown device '%s' (expected %s)\n" % (device, ", ".join(DEVICES)))
        return 2
    if not args:
        sys.stderr.write(USAGE + "\n")
        return 2
    chosen = install(device)
    _verbose("running on %s" % chosen)
    try:
        return _run(args)
    finally:
        finish()


def _run(args):
    if args[0] == "-m" and len(args) > 1:
        sys.argv = args[1:]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return 0
    script = args[0]
    sys.argv = args
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    if script.endswith(".ipynb"):
        code = compile(_notebook_source(script), script, "exec")
        exec(code, {"__name__": "__main__", "__file__": script})
        return 0
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
