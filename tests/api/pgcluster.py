"""pgcluster.py: a private PostgreSQL cluster for the tests, on loopback.

    cluster = Cluster()        # initdb into a temporary folder, start on a free port
    cluster.base               # "postgresql://rapport@127.0.0.1:PORT"
    cluster.stop()             # stop it and remove the folder

PostgreSQL's own binaries from Debian's postgresql-15 (tools/deps.sh
installs it). PostgreSQL refuses to run as root, so as root the cluster
runs as the unprivileged `postgres` user that the Debian package makes.
Authentication is `trust`, on 127.0.0.1 and a socket in the cluster's own
folder only: nothing outside this machine reaches it, and it lives only
as long as the test run. fsync is off: the tests check what Rapport
commits, not the disk under PostgreSQL.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile

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
    def __init__(self, max_connections=300):
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
                  f" -c max_connections={max_connections} -c fsync=off"
                  " -c full_page_writes=off -c shared_buffers=64MB", "start")
        self.base = f"postgresql://{USER}@127.0.0.1:{self.port}"

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
