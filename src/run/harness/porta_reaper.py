"""Starts a local run and stays its processes' ancestor until all of them are gone (Linux).

Usage: python -I porta_reaper.py [--cgroup DIR] -- PROGRAM ARGS...

It becomes a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so a process of the run that double-forks, calls
setsid and clears its environment still reparents here instead of to init: the run's processes are exactly this
process's descendants, which Porta finds through /proc ppid links. With --cgroup it first moves itself into that
(freshly made, empty) cgroup v2 folder, so cgroup.kill stops the run as a unit.

Porta reads fd 3: `cgroup ok|failed ...`, `subreaper ok|failed ...`, then `exit N` or `signal N` when PROGRAM ends
(or `error ...` when it cannot start). The program never sees fd 3, so it cannot forge these lines. This process
kills nothing itself: it only reaps, and exits with PROGRAM's status once it has no descendants left. TERM, INT and
HUP do not end it early (that would orphan the tree to init); Porta stops the tree first.
"""

import ctypes
import os
import signal
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36


def report(line):
    try:
        os.write(3, (line + "\n").encode("utf-8", "replace"))
    except OSError:
        pass


def join_cgroup(folder):
    try:
        with open(os.path.join(folder, "cgroup.procs"), "w") as procs:
            procs.write(str(os.getpid()))
        report("cgroup ok")
    except OSError as error:
        report("cgroup failed %s" % error)


def become_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            report("subreaper failed errno %d" % ctypes.get_errno())
            return
        report("subreaper ok")
    except (OSError, AttributeError) as error:
        report("subreaper failed %s" % error)


def main(argv):
    cgroup = None
    if argv[:1] == ["--cgroup"]:
        cgroup, argv = argv[1], argv[2:]
    if argv[:1] != ["--"] or len(argv) < 2:
        report("error usage: porta_reaper.py [--cgroup DIR] -- PROGRAM ARGS...")
        return 2
    program = argv[1:]
    if cgroup:
        join_cgroup(cgroup)
    become_subreaper()
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        # A Python handler, not SIG_IGN: handlers reset to the default on exec, so the program is signalled normally.
        signal.signal(getattr(signal, name), lambda *_: None)
    try:
        child = subprocess.Popen(program, close_fds=True)
    except OSError as error:
        report("error %s" % error)
        return 127
    status = child.wait()
    report("signal %d" % -status if status < 0 else "exit %d" % status)
    try:
        os.close(3)
    except OSError:
        pass
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
