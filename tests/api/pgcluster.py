"""pgcluster.py: a private PostgreSQL cluster for the tests, on loopback.

    cluster = Cluster()        # initdb into a temporary folder, start on a free port
    cluster.base               # "postgresql://rapport@127.0.0.1:PORT"
    cluster.socket_base        # the same cluster through its Unix socket
    cluster.stop()             # stop it and remove the folder

or from a shell (bench/postgres.sh):

    python3 tests/api/pgcluster.py start [--fsync] [--socket]   # prints BASE and DIR
    python3 tests/api/pgcluster.py stop DIR

PostgreSQL's own binaries from Debian's postgresql-15 (tools/deps.sh
installs it). PostgreSQL refuses to run as root, so as root the cluster
runs as the unprivileged `postgres` user that the Debian package makes.
Authentication is `trust`, on 127.0.0.1 and a socket in the cluster's own
folder only: nothing outside this machine reaches it, and it lives only
as long as the test run. fsync is off for the tests, which check what
Rapport commits, not the disk under PostgreSQL; the benchmarks turn it on.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse

USER = "rapport"


def pg_bin(name):
    """The path of PostgreSQL program `name` (the newest installed)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: apt-get install postgresql-15")
    return found[-1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, max_connections=300, fsync=False):
        self.dir = tempfile.mkdtemp(prefix="rapport-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(pg_bin("initdb"), "-D", self.data, "-U", USER, "-A", "trust", "--no-sync",
                  "-E", "UTF8", "--locale", "C")
        self._run(pg_bin("pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w",
                  "-o", f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1"
                  f" -c max_connections={max_connections}"
                  f" -c fsync={'on' if fsync else 'off'}"
                  f" -c full_page_writes={'on' if fsync else 'off'}"
                  " -c shared_buffers=128MB", "start")
        self.base = f"postgresql://{USER}@127.0.0.1:{self.port}"
        # libpq takes a host that is a folder (percent-encoded in a URI) as
        # the folder of a Unix socket.
        self.socket_base = (f"postgresql://{USER}@{urllib.parse.quote(self.dir, safe='')}"
                            f":{self.port}")

    def _run(self, *cmd):
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           timeout=120)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stdout}{p.stderr}")

    def stop(self):
        try:
            self._run(pg_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def main(argv):
    if len(argv) >= 2 and argv[1] == "start":
        c = Cluster(fsync="--fsync" in argv[2:])
        print(c.socket_base if "--socket" in argv[2:] else c.base, c.dir)
        return 0
    if len(argv) == 3 and argv[1] == "stop":
        c = Cluster.__new__(Cluster)
        c.dir = argv[2]
        c.data = os.path.join(c.dir, "data")
        c.as_root = os.geteuid() == 0
        c.stop()
        return 0
    print("usage: pgcluster.py start [--fsync] [--socket] | stop DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
