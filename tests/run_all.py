#!/usr/bin/env python3
"""run_all.py: runs every test suite of one or more meson build directories
and counts individual tests.

    python3 tests/run_all.py [--once NAME ...] build build-asan

`--once NAME` runs the test NAME (a meson test's name, such as `api`) in
the last build given only, not in each.

The tests are the ones meson knows (`meson introspect --tests`): the cmocka
unit tests (tests/unit/meson.build) and the API tests (tests/meson.build),
so a test added there is picked up here with no other change. Counting:

  - a suite that prints a line `RESULT passed=N failed=M` (tests/api/run.py
    does) is counted from that line;
  - a cmocka executable is counted from its summary lines
    ("[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s), listed below:");
    if it dies before its summary (a crash, a sanitizer stop) the tests
    that had not passed count as failed;
  - anything else counts as one test, passed when it exits with 0;
  - a suite that exits non-zero, or prints a sanitizer report, has at least
    one failure whatever it printed.

Prints a line per suite (and the `---- ` lines a suite prints about its
parts), the output of failing suites, a subtotal per build, and as its very last line `N passed, N failed` over everything.
Exits 1 when anything failed (or nothing ran).
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
TAIL_LINES = 200

RESULT_RE = re.compile(r"^RESULT passed=(\d+) failed=(\d+)\s*$", re.M)
CM_RUNNING = re.compile(r"^\[=+\] Running (\d+) test\(s\)\.", re.M)
CM_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test\(s\)\.", re.M)
CM_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test\(s\), listed below:", re.M)
CM_OK = re.compile(r"^\[       OK \] ", re.M)


def introspect(build):
    out = subprocess.run(["meson", "introspect", "--tests", build], capture_output=True,
                         text=True, check=True).stdout
    tests = json.loads(out)
    order = {"unit": 0, "api": 1}
    return sorted(tests, key=lambda t: (order.get((t.get("suite") or [""])[0].split(":")[-1], 2),
                                        t["name"]))


def count(text, rc):
    """(passed, failed, how) for one suite's output and exit status."""
    m = RESULT_RE.findall(text)
    if m:
        passed, failed = int(m[-1][0]), int(m[-1][1])
        how = "result"
    elif CM_RUNNING.search(text):
        total = sum(int(x) for x in CM_RUNNING.findall(text))
        passed = sum(int(x) for x in CM_PASSED.findall(text))
        failed = sum(int(x) for x in CM_FAILED.findall(text))
        if passed + failed < total:  # died before the summary
            passed = len(CM_OK.findall(text))
            failed = max(1, total - passed)
        how = "cmocka"
    else:
        passed, failed = (1, 0) if rc == 0 else (0, 1)
        how = "exit status"
    if (rc != 0 or any(s in text for s in SANITIZER_MARKERS)) and failed == 0:
        failed = 1
    return passed, failed, how


def run_one(build, t):
    env = dict(os.environ)
    env.update(t.get("env") or {})
    env["CMOCKA_MESSAGE_OUTPUT"] = "STDOUT"  # the format count() reads
    timeout = t.get("timeout") or 600
    if timeout <= 0:
        timeout = None
    t0 = time.monotonic()
    # Standard output and error are read apart and then put one after the
    # other: through one pipe a buffered stdout and an unbuffered stderr
    # (cmocka writes its summary to both) could interleave inside a line.
    p = subprocess.Popen(t["cmd"], cwd=t.get("workdir") or build, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        err += f"\n[run_all] killed after {timeout} s\n".encode()
        rc = -9
    text = out.decode("utf-8", "replace")
    if err:
        text = text.rstrip("\n") + "\n" + err.decode("utf-8", "replace")
    passed, failed, how = count(text, rc)
    return passed, failed, how, rc, text, time.monotonic() - t0


def main(argv):
    args = argv[1:]
    once = set()
    while len(args) >= 2 and args[0] == "--once":
        once.add(args[1])
        args = args[2:]
    builds = args
    if not builds:
        print(__doc__.split("\n\n")[1])
        return 2
    total_p = total_f = 0
    for i, build in enumerate(builds):
        if not os.path.isdir(build):
            print(f"{build}: no such build directory")
            total_f += 1
            continue
        tests = introspect(build)
        if i < len(builds) - 1:  # a --once test runs in the last build only
            skipped = [t["name"] for t in tests if t["name"] in once]
            tests = [t for t in tests if t["name"] not in once]
            if skipped:
                print(f"== {build}: {', '.join(skipped)} left to {builds[-1]} (--once)")
        print(f"== {build}: {len(tests)} suites")
        sys.stdout.flush()
        bp = bf = 0
        t_build = time.monotonic()
        for t in tests:
            suite = (t.get("suite") or ["?"])[0].split(":")[-1]
            passed, failed, how, rc, text, secs = run_one(build, t)
            bp += passed
            bf += failed
            mark = "ok  " if failed == 0 else "FAIL"
            print(f"{mark} {build:<16} {suite + '/' + t['name']:<34} {passed:5d} passed "
                  f"{failed:4d} failed {secs:7.1f}s")
            if not failed:  # a suite's own per-part lines (tests/api/run.py: per file)
                for line in text.splitlines():
                    if line.startswith("---- "):
                        print("     " + line)
            if failed:
                lines = text.rstrip("\n").splitlines()
                shown = lines[-TAIL_LINES:]
                if len(lines) > len(shown):
                    print(f"     ... ({len(lines) - len(shown)} earlier lines not shown)")
                for line in shown:
                    print("     | " + line)
                print(f"     (exit status {rc}; counted by {how})")
            sys.stdout.flush()
        print(f"== {build}: {bp} passed, {bf} failed in {time.monotonic() - t_build:.1f}s")
        total_p += bp
        total_f += bf
    sys.stdout.flush()
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f or not total_p else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
