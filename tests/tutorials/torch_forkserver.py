"""Runs many scripts under the real PyTorch, importing torch once and forking a child per script.

    python torch_forkserver.py WORKERS TIMEOUT_S SCRIPT...   ->  one JSON object {script: [stdout, stderr, rc]}

A forked child inherits the imported torch, so each script costs its own run time rather than
PyTorch's import time; the child runs the script as ``__main__`` in a fresh temporary directory.
"""
import json
import os
import runpy
import signal
import sys
import tempfile
import traceback

import numpy  # noqa: F401  (imported once, before forking)
import torch  # noqa: F401


def _child(script, out_path, err_path, timeout_s):
    signal.alarm(timeout_s)  # a hung script dies of SIGALRM rather than stalling the server
    os.chdir(tempfile.mkdtemp(prefix="tg-tutorial-torch-"))
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err_fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    sys.argv = [script]
    sys.path[0] = os.path.dirname(script)
    code = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(workers, timeout_s, scripts):
    results = {}
    pending = list(scripts)
    running = {}
    scratch = tempfile.mkdtemp(prefix="tg-tutorial-forkserver-")
    while pending or running:
        while pending and len(running) < workers:
            script = pending.pop(0)
            base = os.path.join(scratch, str(len(results) + len(running)) + "-" + os.path.basename(script))
            paths = (base + ".out", base + ".err")
            pid = os.fork()
            if pid == 0:
                _child(script, *paths, timeout_s)
            running[pid] = (script, paths)
        pid, status = os.wait()
        script, (out_path, err_path) = running.pop(pid)
        with open(out_path, encoding="utf-8", errors="replace") as f:
            out = f.read()
        with open(err_path, encoding="utf-8", errors="replace") as f:
            err = f.read()
        results[script] = [out, err, os.waitstatus_to_exitcode(status)]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
