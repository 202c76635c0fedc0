"""pgcluster.py: a private PostgreSQL cluster for the tests, on loopback.

    cluster = Cluster()        # initdb into a temporary folder, start on a free port
    cluster.base               # "postgresql://rapport@127.0.0.1:PORT"
    cluster.socket_base        # the same cluster through its Unix socket
    cluster.stop()             # stop it and remove the folder

or from a shell (bench/postgres.sh):

    python3 tests/api/pgcluster.py start [--fsync] [--socket] [--dir DIR]   # prints BASE and DIR
    python3 tests/api/pgcluster.py stop DIR [--keep]

--dir DIR keeps the cluster in DIR (made if missing; a cluster already
there is started again as it was, on a new port) and `stop --keep` stops
it cleanly without removing it: bench/trust_recompute.sh keeps its large
store that way between runs.

PostgreSQL's own binaries from Debian's postgresql-15 (tools/deps.sh
installs it). PostgreSQL refuses to run as root, so as root the cluster
runs as the unprivileged `postgres` user that the Debian package makes.
Authentication is `trust`, on 127.0.0.1 and a socket in the cluster's own
folder only: nothing outside this machine reaches it, and it lives only
as long as the test run. fsync is off for the tests, which check what
Rapport commits, not the disk under PostgreSQL; the benchmarks turn it on.
shared_buffers is 128MB (PostgreSQL's default), or PG_SHARED_BUFFERS: a
benchmark on a store of many gigabytes runs as an operator would size it.
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
    def __init__(self, max_connections=300, fsync=False, keep_dir=None):
        if keep_dir:
            os.makedirs(keep_dir, exist_ok=True)
        self.dir = os.path.abspath(keep_dir) if keep_dir else tempfile.mkdtemp(prefix="rapport-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres", "postgres")
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            self._run(pg_bin("initdb"), "-D", self.data, "-U", USER, "-A", "trust", "--no-sync",
                      "-E", "UTF8", "--locale", "C")
        self._run(pg_bin("pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w",
                  "-o", f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1"
                  f" -c max_connections={max_connections}"
                  f" -c fsync={'on' if fsync else 'off'}"
                  f" -c full_page_writes={'on' if fsync else 'off'}"
                  f" -c shared_buffers={os.environ.get('PG_SHARED_BUFFERS', '128MB')}", "start")
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

    def stop(self, keep=False):
        if keep:  # a clean shutdown: the next start finds it as it was
            self._run(pg_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")
            return
        try:
            self._run(pg_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def main(argv):
    opts = argv[2:]
    if len(argv) >= 2 and argv[1] == "start":
        keep_dir = opts[opts.index("--dir") + 1] if "--dir" in opts[:-1] else None
        c = Cluster(fsync="--fsync" in opts, keep_dir=keep_dir)
        print(c.socket_base if "--socket" in opts else c.base, c.dir)
        return 0
    if len(argv) in (3, 4) and argv[1] == "stop" and opts[1:] in ([], ["--keep"]):
        c = Cluster.__new__(Cluster)
        c.dir = argv[2]
        c.data = os.path.join(c.dir, "data")
        c.as_root = os.geteuid() == 0
        c.stop(keep="--keep" in opts)
        return 0
    print("usage: pgcluster.py start [--fsync] [--socket] [--dir DIR] | stop DIR [--keep]",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
