"""nginx_front.py: Debian's nginx in front of two Rapport instances, with the
configuration Rapport ships (dist/nginx-rapport.conf) and only its
addresses and its access log's path changed, so that what the tests prove
is what docs/operations.md tells operators to install. (The kill test
turns off leaving a failed instance out for 2 s, max_fails=0, so that the
instance it kills fifty times is taking writes again at once after each
restart: fifty real kills in seconds, not two minutes. nginx takes whole
seconds there, 1 s at the least.)

    front = Front(folder, "127.0.0.1:A", "127.0.0.1:B")  # nginx on a free port
    Front(..., never_leave_out=True)   # max_fails=0: no 2 s out after a failure
    front.base            # "http://127.0.0.1:PORT"
    front.access_log()    # [{upstreams: ["127.0.0.1:A", ...], status, request_id, ...}]
    front.stop()

or from another language (tests/browser/journeys_nginx.mjs):

    python3 tests/api/nginx_front.py FOLDER HOST:PORT HOST:PORT

prints one JSON line {"base", "access_log"} once nginx listens, and stops
nginx when its standard input closes.

nginx runs in the foreground (daemon off) with everything it writes (its
pid, error log, temporary files, access log) in FOLDER; as root its
workers run as root too, so that they can write there.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, "..", "..", "dist", "nginx-rapport.conf")

# What the shipped file says, and what a test puts in its place.
SHIPPED_A = "server 127.0.0.1:8081 "
SHIPPED_B = "server 127.0.0.1:8082 "
SHIPPED_LISTEN = "listen 127.0.0.1:8080;"
SHIPPED_LOG = "/var/log/nginx/rapport.access.log"

# nginx's own top level (Debian's /etc/nginx/nginx.conf in a deployment),
# here with every file in the test's folder.
MAIN = """worker_processes 1;
{user}error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/rapport.conf;
}}
"""

LOG_LINE = re.compile(r'^(?P<time>\S+) (?P<client>\S+) "(?P<method>\S+) (?P<path>[^"]*)" '
                      r'(?P<status>\d+) upstream=(?P<upstream>.*?) upstream_status=(?P<ustatus>.*?) '
                      r'request_id=(?P<request_id>\S*) time=(?P<took>\S+)$')


def _replace_once(text, old, new):
    if text.count(old) != 1:
        raise RuntimeError(f"{SHIPPED} should hold {old!r} once; it holds it {text.count(old)} times")
    return text.replace(old, new)


SHIPPED_LEAVE_OUT = " max_fails=1 fail_timeout=2s;"


def shipped_conf(port, a, b, access_log, never_leave_out=False):
    """dist/nginx-rapport.conf with the test's addresses and log path (and,
    with never_leave_out, max_fails=0: a failed instance is tried again at
    its next turn, not left out for 2 s)."""
    with open(SHIPPED) as f:
        text = f.read()
    if never_leave_out:
        if text.count(SHIPPED_LEAVE_OUT) != 2:
            raise RuntimeError(f"{SHIPPED} should hold {SHIPPED_LEAVE_OUT!r} twice")
        text = text.replace(SHIPPED_LEAVE_OUT, " max_fails=0;")
    text = _replace_once(text, SHIPPED_A, f"server {a} ")
    text = _replace_once(text, SHIPPED_B, f"server {b} ")
    text = _replace_once(text, SHIPPED_LISTEN, f"listen 127.0.0.1:{port};")
    return _replace_once(text, SHIPPED_LOG, access_log)


def nginx_bin():
    """Debian's nginx (in /usr/sbin, which a user's PATH may lack)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        raise RuntimeError("nginx is not installed: apt-get install nginx (tools/deps.sh --browser)")
    return found


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_access_log(path):
    """The access log's lines as dicts; upstreams is the list of instances
    tried, in order (several when one failed and nginx went on)."""
    out = []
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return out
    for line in lines:
        m = LOG_LINE.match(line)
        if not m:
            raise AssertionError(f"an access log line not in rapport_upstream's format: {line!r}")
        d = m.groupdict()
        d["upstreams"] = [u.strip() for u in d["upstream"].split(",") if u.strip() not in ("", "-")]
        d["status"] = int(d["status"])
        out.append(d)
    return out


class Front:
    def __init__(self, folder, a, b, never_leave_out=False):
        self.prefix = os.path.abspath(folder)
        os.makedirs(self.prefix, exist_ok=True)
        self.port = free_port()
        self.log_path = os.path.join(self.prefix, "access.log")
        with open(os.path.join(self.prefix, "rapport.conf"), "w") as f:
            f.write(shipped_conf(self.port, a, b, self.log_path, never_leave_out))
        user = "user root;\n" if os.geteuid() == 0 else ""
        with open(os.path.join(self.prefix, "nginx.conf"), "w") as f:
            f.write(MAIN.format(prefix=self.prefix, user=user))
        self.proc = subprocess.Popen([nginx_bin(), "-p", self.prefix, "-c", "nginx.conf",
                                      "-g", "daemon off;"], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 10
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited {self.proc.returncode}: "
                                   f"{self.proc.stderr.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx does not listen on {self.base}")
                time.sleep(0.05)

    def access_log(self):
        return parse_access_log(self.log_path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def main(argv):
    if len(argv) != 4:
        print("usage: nginx_front.py FOLDER HOST:PORT HOST:PORT", file=sys.stderr)
        return 2
    front = Front(argv[1], argv[2], argv[3])
    try:
        print(json.dumps({"base": front.base, "access_log": front.log_path}), flush=True)
        sys.stdin.read()  # until the caller closes it (or is gone)
    finally:
        front.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
