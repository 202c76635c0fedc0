#!/usr/bin/env python3
"""run.py: runs the API tests and ends with one machine-readable line,

    RESULT passed=N failed=M

which tests/run_all.py adds into the totals. Usage:

    RAPPORT_TEST_BIN=build/src/rapport python3 tests/api/run.py [-j N] [-v] [--postgres] [NAME ...]

NAME is a module, class or test (test_relationships,
test_relationships.Lifecycle, test_relationships.Lifecycle.test_decline);
without names every test_*.py here runs. The files (or the names given,
when there are several) run in up to N parallel processes, the largest
files first (default: the number of CPUs, at most 4); each test class has
its own server, so files do not share state. --postgres runs them on
PostgreSQL instead of SQLite: a private cluster started here on loopback
(pgcluster.py) and stopped at the end, a database per server.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class Result(unittest.TextTestResult):
    """Counts per test: a failure or error in setUpClass/tearDownClass
    counts once as a failure of its own."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passed = 0
        self.started_at = {}

    def startTest(self, test):
        self.started_at[test.id()] = time.monotonic()
        super().startTest(test)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.passed += 1

    @property
    def failed(self):
        return len(self.failures) + len(self.errors) + len(self.unexpectedSuccesses)


def run_here(names, verbosity):
    """Runs tests in this process; returns (passed, failed)."""
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if names:
        suite = unittest.TestSuite(loader.loadTestsFromName(n) for n in names)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=verbosity, resultclass=Result,
                                     buffer=False)
    result = runner.run(suite)
    for test, reason in result.skipped:
        print(f"skipped (counted in neither total): {test.id()}: {reason}")
    return result.passed, result.failed


def modules():
    return sorted(f[:-3] for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py"))


def run_module(name, verbosity):
    """Runs one test module in a child process; returns (name, passed,
    failed, output, seconds)."""
    t0 = time.monotonic()
    cmd = [sys.executable, os.path.abspath(__file__), "--child"]
    if verbosity > 1:
        cmd.append("-v")
    p = subprocess.run(cmd + [name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL)
    text = p.stdout.decode("utf-8", "replace")
    got = None
    for line in text.splitlines():
        if line.startswith("RESULT "):
            kv = dict(x.split("=") for x in line.split()[1:])
            got = int(kv["passed"]), int(kv["failed"])
    if got is None:
        got = (0, 1)
        text += f"\n{name}: exited {p.returncode} without a RESULT line\n"
    body = "\n".join(l for l in text.splitlines() if not l.startswith("RESULT "))
    return name, got[0], got[1], body, time.monotonic() - t0


def longest_first(names):
    """The modules by size of their file, largest first: the long ones
    start early, so the last to end is a short one."""
    def size(name):
        path = os.path.join(HERE, name.split(".")[0] + ".py")
        return os.path.getsize(path) if os.path.exists(path) else 0
    return sorted(names, key=lambda n: (-size(n), n))


def run_parallel(names, jobs, verbosity):
    """Runs each test module of names in its own process, `jobs` at a
    time; prints each module's line (and its output when it failed) as it
    ends; returns (passed, failed)."""
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_module, m, verbosity) for m in longest_first(names)]
        for f in concurrent.futures.as_completed(futures):
            name, p, fl, body, secs = f.result()
            passed += p
            failed += fl
            print(f"---- {name}: {p} passed, {fl} failed ({secs:.1f}s)")
            if fl or verbosity > 1:
                print(body)
            sys.stdout.flush()
    return passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", "--jobs", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--postgres", action="store_true",
                    help="run on a private PostgreSQL cluster instead of SQLite")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    verbosity = 2 if args.verbose else 1
    cluster = None
    if args.postgres and not args.child:
        sys.path.insert(0, HERE)
        from pgcluster import Cluster
        cluster = Cluster()
        os.environ["RAPPORT_TEST_PG"] = cluster.base  # the children inherit it
    try:
        if args.jobs <= 1 or args.child or len(args.names) == 1:
            passed, failed = run_here(args.names, 2 if args.child or args.verbose else verbosity)
        else:
            passed, failed = run_parallel(args.names or modules(), args.jobs, verbosity)
    finally:
        if cluster:
            cluster.stop()
    sys.stdout.flush()
    print(f"RESULT passed={passed} failed={failed}")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
