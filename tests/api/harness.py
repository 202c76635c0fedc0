"""harness.py: black-box API tests of a running `rapport serve`.

Python 3 standard library only. Each test class gets its own server on a
fresh database in a temporary directory:

    rapport init  --db DIR/t.db --admin-email admin@rapport.test ...
    rapport serve --db DIR/t.db --listen 127.0.0.1:0 --dev --clock 2026-03-01T09:00:00Z

The binary comes from $RAPPORT_TEST_BIN (set by `make test` and by
`meson test`, so the AddressSanitizer build runs the same tests); without
it, build/src/rapport under the repository root. The server's standard
error is checked after every test for sanitizer reports, and when the class
ends the server is stopped with SIGTERM and must exit with status 0.

On PostgreSQL (RAPPORT_TEST_PG holds a cluster's base URI; `run.py
--postgres` starts a private cluster and sets it) each server gets its own
database in that cluster instead, and the key file in its directory
(RAPPORT_KEY). Tests that look at SQLite's own files are marked
sqlite_only. Reading the database directly then needs psycopg2 (Debian's
python3-psycopg2).

Write a test file per area (test_<area>.py) with classes derived from
ApiTestCase; see README.md in this folder for the helpers.
"""

import datetime as _dt
import hashlib
import itertools
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from contextlib import contextmanager

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

START_CLOCK = "2026-03-01T09:00:00Z"
ADMIN_EMAIL = "admin@rapport.test"
ADMIN_PASSWORD = "site admin password"
PASSWORD = "a long test password"  # every person made by the harness has it

# Lines in the server's standard error that fail the test that caused them.
SANITIZER_MARKERS = (
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "runtime error:",
    "WARNING: ThreadSanitizer",
)

# The PostgreSQL cluster the servers use (run.py --postgres), or None for SQLite.
PG_BASE = os.environ.get("RAPPORT_TEST_PG") or None
_pg_names = itertools.count(1)


def sqlite_only(why):
    """Marks a test (or class) that looks at what only SQLite has: its
    files, its page cap, its backup file."""
    return unittest.skipIf(PG_BASE is not None, f"SQLite only: {why}")


def pg_connect(uri):
    """A connection to a test database on PostgreSQL; its search path takes
    the schema `audit` too, as SQLite finds the attached audit database's
    tables by their names alone."""
    import psycopg2  # Debian's python3-psycopg2; only the PostgreSQL runs need it
    con = psycopg2.connect(uri, options="-c search_path=public,audit")
    con.autocommit = True
    return con


def pg_rows(cur):
    """The rows of cur as tuples, bytea as bytes (as sqlite3 gives them)."""
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in cur.fetchall()]


def pg_query(uri, sql, args=()):
    """Runs one statement written for sqlite3 (? parameters) on the
    PostgreSQL database at uri; its rows, if it has any."""
    con = pg_connect(uri)
    try:
        cur = con.cursor()
        cur.execute(sql.replace("%", "%%").replace("?", "%s"), args)
        return pg_rows(cur) if cur.description else []
    finally:
        con.close()


# Tables left out of the database fingerprint: sessions change on every
# sign-in and on use (last_seen_at), which is not what "unchanged" means,
# and so do the devices signed in from (last_seen_at).
# Security bookkeeping that a refused request is allowed to change.
FINGERPRINT_SKIP = {"sessions", "login_failures", "devices"}

BODY_MAX = 64 * 1024


def rapport_bin():
    """The rapport binary under test."""
    path = os.environ.get("RAPPORT_TEST_BIN") or os.path.join(REPO, "build", "src", "rapport")
    if not os.access(path, os.X_OK):
        raise RuntimeError(
            f"no rapport binary at {path}: build it, or set RAPPORT_TEST_BIN")
    return path


def child_env():
    """The environment for rapport processes: every flag --foo may also come
    from RAPPORT_FOO, so stray RAPPORT_* variables are removed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    env.setdefault("ASAN_OPTIONS", "halt_on_error=1:detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    return env


def audit_path(db):
    """The access log's own database beside db (store_audit_path)."""
    return db[:-3] + ".audit.db" if db.endswith(".db") else db + ".audit"


def parse_time(s):
    """An RFC 3339 string from the API as an aware datetime."""
    return _dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def fmt_time(t):
    """An aware datetime as the API writes it: 2026-03-01T09:00:00Z."""
    return t.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


REQUEST_LINE_KEYS = {"time", "level", "msg", "request_id", "method", "route", "status",
                     "duration_ms", "actor"}


def json_log_problems(text):
    """What is wrong with a JSON log (--log-format json): every line one
    object with time, level and msg; a request line has exactly its fields,
    a route pattern (never a raw path with ids) and a request id. Sanitizer
    reports are left to the sanitizer checks."""
    out = []
    sanitized = any(m in text for m in SANITIZER_MARKERS)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if not line.startswith("{"):
            if not sanitized:
                out.append(f"log line {n} is not JSON: {line[:200]}")
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            out.append(f"log line {n} is not JSON: {line[:200]}")
            continue
        if not {"time", "level", "msg"} <= set(obj):
            out.append(f"log line {n} lacks time, level or msg: {line[:200]}")
        if obj.get("msg") == "request":
            if set(obj) != REQUEST_LINE_KEYS or not obj["request_id"] or \
                    re.search(r"/\d", obj["route"]) or not isinstance(obj["status"], int):
                out.append(f"log line {n} is not a well-formed request line: {line[:200]}")
    return "".join(f"{p}\n" for p in out[:5])


class OpenApiChecker:
    """Checks every answer the suite receives against the server's own
    OpenAPI document (GET /api/v1/openapi.json), through one long-lived
    `node openapi_check.mjs` per test process that compiled the schemas
    once (ajv). check() returns "" or what is wrong."""

    def __init__(self, server):
        with server._opener.open(server.base + "/api/v1/openapi.json", timeout=60) as resp:
            text = resp.read()
        json.loads(text)  # the document must be JSON
        fd, self.doc_path = tempfile.mkstemp(prefix="rapport-openapi-", suffix=".json")
        with os.fdopen(fd, "wb") as f:
            f.write(text)
        self.proc = subprocess.Popen(
            ["node", os.path.join(HERE, "openapi_check.mjs"), self.doc_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
        self.lock = threading.Lock()

    def check(self, method, path, r):
        line = json.dumps({"method": method, "path": path, "status": r.status,
                           "type": r.content_type, "body": r.json, "empty": not r.body})
        with self.lock:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
            out = self.proc.stdout.readline().strip()
        if not out:
            return f"the OpenAPI checker stopped (exit {self.proc.poll()})"
        return "" if out == "ok" else out


_checker = None
_checker_lock = threading.Lock()


def openapi_checker(server):
    """The process's checker, started on the first answer."""
    global _checker
    with _checker_lock:
        if _checker is None:
            _checker = OpenApiChecker(server)
    return _checker


class Response:
    """An HTTP answer. Unpacks as (status, json, headers)."""

    def __init__(self, status, body, headers):
        self.status = status
        self.body = body  # bytes
        self.headers = headers  # an http.client.HTTPMessage (case-insensitive)
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __iter__(self):
        return iter((self.status, self.json, self.headers))

    @property
    def content_type(self):
        return self.headers.get("Content-Type", "")

    def __repr__(self):
        text = self.body[:600].decode("utf-8", "replace")
        return f"<{self.status} {self.content_type} {text}>"


def device_cookie(response):
    """The device cookie a sign-in's answer sets, or None."""
    for v in response.headers.get_all("Set-Cookie") or []:
        m = re.match(r"(?:__Host-)?rapport_device=([^;]*)", v)
        if m:
            return m.group(1)
    return None


class Person:
    """Someone who can sign in: id, email, name, password, and the token and
    CSRF token of their current session."""

    def __init__(self, pid, email, name, password):
        self.id = pid
        self.email = email
        self.name = name
        self.password = password
        self.device = None  # the device cookie their sign-ins keep, as a browser would
        self.token = None
        self.csrf = None

    def __repr__(self):
        return f"<Person {self.id} {self.email}>"


class Pair:
    """A program with a guide and a learner enrolled, and optionally their
    relationship (rel_id) once proposed."""

    def __init__(self, program_id, guide, learner):
        self.program_id = program_id
        self.guide = guide
        self.learner = learner
        self.rel_id = None

    def __repr__(self):
        return f"<Pair program {self.program_id} rel {self.rel_id} {self.guide} {self.learner}>"


class Server:
    """One `rapport serve --dev` process on a fresh database. dev=False
    leaves out --dev (and the fixed clock, which needs it); serve_args are
    more flags for `rapport serve`. Every server serves metrics and logs
    JSON (log_format="text" for the plain lines), and stop() checks both:
    promtool over a scrape, every log line parsed."""

    def __init__(self, clock=START_CLOCK, threads=2, dev=True, serve_args=(), log_format="json"):
        self.bin = rapport_bin()
        self.log_format = log_format
        self.clock = parse_time(clock)
        self.threads = threads
        self.dev = dev
        self.serve_args = tuple(serve_args)
        self.dir = tempfile.mkdtemp(prefix="rapport-api-")
        self.env = child_env()
        if PG_BASE:
            name = f"rt_{os.getpid()}_{next(_pg_names)}"
            con = pg_connect(f"{PG_BASE}/postgres")
            try:
                con.cursor().execute(f'CREATE DATABASE "{name}"')
            finally:
                con.close()
            self.db = f"{PG_BASE}/{name}"
            self.env["RAPPORT_KEY"] = os.path.join(self.dir, "t.key")
        else:
            self.db = os.path.join(self.dir, "t.db")
        self.err_path = os.path.join(self.dir, "stderr.log")
        self.err_seen = 0  # bytes of stderr already checked
        self.proc = None
        self.base = None
        self._ids = itertools.count(1)
        self._stdout = []
        self.owns_db = True
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._opener = opener

    # ---- processes ----

    def cli(self, *args, check=True):
        """Runs `rapport ARGS...`; returns (status, stdout, stderr)."""
        p = subprocess.run([self.bin, *args], capture_output=True, text=True, env=self.env,
                           stdin=subprocess.DEVNULL, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError(f"rapport {' '.join(args)} exited {p.returncode}: "
                                 f"{p.stdout}{p.stderr}")
        for marker in SANITIZER_MARKERS:
            if marker in p.stderr:
                raise AssertionError(f"rapport {args[0]}: {marker}\n{p.stderr}")
        return p.returncode, p.stdout, p.stderr

    def start(self):
        """Makes the database (`rapport init`) and starts the server on it."""
        self.cli("init", "--db", self.db, "--admin-email", ADMIN_EMAIL, "--admin-password",
                 ADMIN_PASSWORD, "--admin-name", "Site Admin")
        self.launch()

    def launch(self, append=False, same_port=False):
        """Starts `rapport serve` on the existing database and waits for its
        address. append=True (a restart) adds to the stderr file and leaves
        what the earlier process wrote there out of new_problems();
        same_port=True listens where the earlier process did (a restart
        behind a load balancer that knows the address)."""
        err = open(self.err_path, "ab" if append else "wb")
        flags = ["--dev", "--clock", fmt_time(self.clock)] if self.dev else []
        # Every server logs JSON and serves metrics, which stop() checks.
        ops = ["--log-format", self.log_format, "--metrics", "127.0.0.1:0"]
        listen = self.base.split("//", 1)[1] if same_port else "127.0.0.1:0"
        self.proc = subprocess.Popen(
            [self.bin, "serve", "--db", self.db, "--listen", listen, "--threads",
             str(self.threads), *ops, *flags, *self.serve_args],
            stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=self.env)
        err.close()
        self._stdout = []
        first = []
        reader = threading.Thread(target=self._read_stdout, args=(first,), daemon=True)
        reader.start()
        deadline = time.monotonic() + 30
        while not first and time.monotonic() < deadline and self.proc.poll() is None:
            time.sleep(0.01)
        m = re.match(r"^Rapport is serving (http://127\.0\.0\.1:\d+)$", first[0] if first else "")
        if not m:
            self.kill()
            raise RuntimeError(f"the server did not start: stdout {first!r}, stderr:\n"
                               f"{self.stderr_text()}")
        self.base = m.group(1)
        if append:
            self.err_seen = len(self.stderr_text())

    def metrics_url(self):
        """The metrics listener's address (the second line serve prints)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for line in list(self._stdout):
                m = re.match(r"^Metrics at (http://127\.0\.0\.1:\d+/metrics)$", line)
                if m:
                    return m.group(1)
            time.sleep(0.01)
        raise AssertionError(f"no metrics address among {self._stdout!r}")

    def scrape(self):
        """The metrics text (Prometheus's format)."""
        with self._opener.open(self.metrics_url(), timeout=30) as resp:
            return resp.read().decode()

    def ops_problems(self):
        """What is wrong with the metrics (promtool check metrics on a
        scrape) and with the log so far (every line one JSON object, each
        request line with its fields), as text ("" when all is well)."""
        out = ""
        if self.proc and self.proc.poll() is None:
            try:
                text = self.scrape()
                p = subprocess.run(["promtool", "check", "metrics"], input=text,
                                   capture_output=True, text=True, timeout=60)
                if p.returncode != 0:
                    out += f"promtool check metrics: {p.stdout}{p.stderr}\n"
            except (OSError, AssertionError) as err:
                out += f"no metrics scrape: {err}\n"
        return out

    def _read_stdout(self, first):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not first:
                first.append(line)
            self._stdout.append(line)

    def stderr_text(self):
        try:
            with open(self.err_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def new_problems(self):
        """Sanitizer reports and an unexpected exit since the last call, as
        text ("" when all is well)."""
        text = self.stderr_text()
        fresh = text[self.err_seen:]
        self.err_seen = len(text)
        found = [m for m in SANITIZER_MARKERS if m in fresh]
        out = ""
        if found:
            out += f"the server reported {', '.join(found)}:\n{fresh[-6000:]}\n"
        if self.proc and self.proc.poll() is not None:
            out += f"the server exited with status {self.proc.returncode}\n"
        return out

    def stop(self):
        """SIGTERM, then the exit status must be 0 and stderr clean. Returns
        a description of what went wrong, or ""."""
        if not self.proc:
            return ""
        problems = ""
        if self.proc.poll() is None:
            problems += self.ops_problems()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                problems += "the server did not stop within 60 s of SIGTERM\n"
        if self.proc.returncode != 0:
            problems += f"the server exited with status {self.proc.returncode}\n"
        if self.log_format == "json":
            problems += json_log_problems(self.stderr_text())
        text = self.stderr_text()
        found = [m for m in SANITIZER_MARKERS if m in text]
        if found:
            problems += f"the server reported {', '.join(found)}:\n{text[-8000:]}\n"
        if problems and not os.environ.get("RAPPORT_TEST_KEEP"):
            problems += f"(stderr kept in {self.err_path})\n"
        return problems

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def cleanup(self, keep=False):
        if keep or os.environ.get("RAPPORT_TEST_KEEP"):
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        if PG_BASE and self.owns_db:
            con = pg_connect(f"{PG_BASE}/postgres")
            try:
                con.cursor().execute(
                    f'DROP DATABASE IF EXISTS "{self.db.rsplit("/", 1)[1]}" WITH (FORCE)')
            finally:
                con.close()

    def twin(self, *serve_args):
        """A second `rapport serve` on this server's database and key, with
        a directory of its own for its standard error: several instances on
        one PostgreSQL. Not started (launch() it); its cleanup leaves the
        database to this server's."""
        other = Server.__new__(Server)
        other.__dict__.update(self.__dict__)
        other.dir = tempfile.mkdtemp(prefix="rapport-api-")
        other.err_path = os.path.join(other.dir, "stderr.log")
        other.err_seen = 0
        other.proc = None
        other.base = None
        other._stdout = []
        other.env = dict(self.env)
        other.serve_args = self.serve_args + tuple(serve_args)
        other.owns_db = False
        return other

    # ---- HTTP ----

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                content_type="application/json", cookie=None, csrf=None):
        """Sends one request and returns a Response (never raises on HTTP
        errors). body is JSON-encoded; raw (bytes or str) is sent as is.
        token goes in Authorization: Bearer; cookie (a session token) in the
        session cookie; csrf in X-CSRF-Token. content_type=None leaves the
        choice to urllib (application/x-www-form-urlencoded for a body)."""
        data = None
        if raw is not None:
            data = raw.encode() if isinstance(raw, str) else raw
        elif body is not None:
            data = json.dumps(body).encode()
        h = {}
        if data is not None and content_type is not None:
            h["Content-Type"] = content_type
        if token:
            h["Authorization"] = f"Bearer {token}"
        if cookie:
            h["Cookie"] = f"rapport_session={cookie}"
        if csrf:
            h["X-CSRF-Token"] = csrf
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with self._opener.open(req, timeout=60) as resp:
                r = Response(resp.status, resp.read(), resp.headers)
        except urllib.error.HTTPError as err:
            with err:
                r = Response(err.code, err.read(), err.headers)
        problem = openapi_checker(self).check(method, path, r)
        if problem:
            raise AssertionError(f"the answer to {method} {path} does not match the OpenAPI "
                                 f"document: {problem}\n{r!r}")
        return r

    # ---- the database, read directly ----

    def snapshot(self):
        """{table: (row count, digest of all rows)} for every table but
        FINGERPRINT_SKIP, read with a read-only connection."""
        if PG_BASE:
            names = [r[0] for r in self.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                " AND table_type = 'BASE TABLE' ORDER BY table_name")]
        else:
            names = [r[0] for r in self.query(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for name in names:
            if name in FINGERPRINT_SKIP:
                continue
            rows = sorted(repr(r) for r in self.query(f'SELECT * FROM "{name}"'))
            h = hashlib.sha256()
            for r in rows:
                h.update(r.encode())
                h.update(b"\n")
            out[name] = (len(rows), h.hexdigest())
        return out

    def fingerprint(self):
        """One hash over snapshot()."""
        return hashlib.sha256(repr(sorted(self.snapshot().items())).encode()).hexdigest()

    def query(self, sql, *args):
        """Rows of a read-only query, for tests that must look at what is
        stored (for instance that text is sealed)."""
        if PG_BASE:
            return pg_query(self.db, sql, args)
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        audit = audit_path(self.db)
        if os.path.exists(audit):
            con.execute("ATTACH DATABASE ? AS audit", (f"file:{audit}?mode=ro",))
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def execute(self, sql, *args):
        """A direct write to the database (the server keeps running), for
        setting up what no route makes: what only an older release could
        have left, a second site admin."""
        if PG_BASE:
            pg_query(self.db, sql, args)
            return
        con = sqlite3.connect(self.db, timeout=10)
        try:
            with con:
                con.execute(sql, args)
        finally:
            con.close()

    def tables(self):
        """The names of the main database's tables."""
        if PG_BASE:
            return {r[0] for r in self.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
        return {r[0] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def file_bytes(self, **more):
        """The database file ("db"), its write-ahead log ("wal") and the
        files in more (name=path) as they are on disk: {name: bytes} of
        those that exist, in that order."""
        if PG_BASE:
            raise unittest.SkipTest("SQLite only: the database's own files")
        out = {}
        for name, path in (("db", self.db), ("wal", self.db + "-wal"), *more.items()):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    out[name] = f.read()
        return out

    def next_id(self):
        return next(self._ids)


class ApiTestCase(unittest.TestCase):
    """Base class: one server per class (cls.server), the site admin
    signed in (cls.admin, a Person), and helpers."""

    server = None
    admin = None
    maxDiff = None
    server_args = {}  # keyword arguments for Server, e.g. {"dev": False}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(**cls.server_args)
        try:
            cls.server.start()
            cls.admin = Person(1, ADMIN_EMAIL, "Site Admin", ADMIN_PASSWORD)
            cls._sign_in(cls.admin)
        except BaseException:
            cls.server.kill()
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        server = cls.server
        cls.server = None
        problems = server.stop()
        server.cleanup(keep=bool(problems))
        super().tearDownClass()
        if problems:
            raise AssertionError(problems)

    @classmethod
    def helper(cls):
        """An instance whose helpers setUpClass may use to build fixtures
        shared by the class: cls.pair = cls.helper().active_relationship()."""
        return cls()

    def tearDown(self):
        problems = self.server.new_problems()
        if problems:
            self.fail(problems)

    @classmethod
    def _sign_in(cls, who):
        device = getattr(who, "device", None)
        r = cls.server.request("POST", "/api/v1/session",
                               {"email": who.email, "password": who.password},
                               headers={"Cookie": f"rapport_device={device}"} if device else None)
        if r.status != 201:
            raise AssertionError(f"sign-in of {who.email} failed: {r!r}")
        who.device = device_cookie(r) or device
        who.token = r.json["token"]
        who.csrf = r.json["csrf_token"]
        return who

    # ---- requests ----

    def request(self, method, path, body=None, token=None, **kw):
        """See Server.request. token may be a Person (their token is used)."""
        if isinstance(token, Person):
            token = token.token
        return self.server.request(method, path, body, token, **kw)

    def get(self, path, who=None, **kw):
        return self.request("GET", path, None, who, **kw)

    def post(self, path, body=None, who=None, **kw):
        return self.request("POST", path, body if body is not None else {}, who, **kw)

    def put(self, path, body=None, who=None, **kw):
        return self.request("PUT", path, body if body is not None else {}, who, **kw)

    def delete(self, path, who=None, **kw):
        return self.request("DELETE", path, None, who, **kw)

    def confirm(self, who, password=None):
        """The password re-check (POST /api/v1/session/confirm) for who's
        session: who is a Person (their own password unless given) or a
        token; returns the Response."""
        if password is None:
            password = who.password
        return self.post("/api/v1/session/confirm", {"password": password}, who)

    def ok(self, r, status=200):
        """Asserts r has `status` and a JSON body; returns the body."""
        self.assertEqual(r.status, status, r)
        if status != 204:
            self.assertTrue(r.content_type.startswith("application/json"), r)
        return r.json

    # ---- people and programs ----

    def sign_in(self, who):
        """Signs who in again (a fresh session); returns who."""
        return self._sign_in(who)

    def person(self, name=None, sign_in=True):
        """A new person made with `rapport user add`, signed in."""
        n = self.server.next_id()
        name = name or f"Person {n}"
        slug = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") or "p"
        email = f"{slug}.{n}@rapport.test"
        _, out, _ = self.server.cli("user", "add", "--db", self.server.db, "--email", email,
                                    "--password", PASSWORD, "--name", name)
        m = re.search(r"\(id (\d+)\)", out)
        if not m:
            raise AssertionError(f"user add printed no id: {out!r}")
        who = Person(int(m.group(1)), email, name, PASSWORD)
        return self.sign_in(who) if sign_in else who

    def program(self, kind="coaching", name=None, settings=None, who=None):
        """A new program created by who (default the site admin); its id."""
        body = {"name": name or f"Program {self.server.next_id()}", "kind": kind}
        if settings is not None:
            body["settings"] = settings
        return self.ok(self.post("/api/v1/programs", body, who or self.admin), 201)["id"]

    def enroll(self, program_id, who, role, by=None):
        """Enrolls a Person with role in program_id; returns the person id."""
        r = self.post(f"/api/v1/programs/{program_id}/members",
                      {"email": who.email, "name": who.name, "role": role}, by or self.admin)
        return self.ok(r, 201)["person_id"]

    def pair(self, kind="coaching", program_id=None):
        """A program (new unless given) with a new guide and learner."""
        if program_id is None:
            program_id = self.program(kind)
        guide = self.person("Guide")
        learner = self.person("Learner")
        self.enroll(program_id, guide, "guide")
        self.enroll(program_id, learner, "learner")
        return Pair(program_id, guide, learner)

    def propose(self, pair, by=None, at=None):
        """Proposes pair's relationship (by the site admin unless given);
        sets pair.rel_id and returns the relationship JSON."""
        body = {"program_id": pair.program_id, "guide_id": pair.guide.id,
                "learner_id": pair.learner.id}
        if at is not None:
            body["at"] = at
        rel = self.ok(self.post("/api/v1/relationships", body, by or self.admin), 201)
        pair.rel_id = rel["id"]
        return rel

    def transition(self, rel_id, who, to, reason=None, at=None):
        """POST /relationships/{id}/transition; returns the Response."""
        body = {"to": to}
        if reason is not None:
            body["reason"] = reason
        if at is not None:
            body["at"] = at
        return self.post(f"/api/v1/relationships/{rel_id}/transition", body, who)

    def active_relationship(self, kind="coaching", program_id=None):
        """A Pair whose relationship the admin proposed and both accepted."""
        pair = self.pair(kind, program_id)
        self.propose(pair)
        self.ok(self.transition(pair.rel_id, pair.guide, "active"))
        rel = self.ok(self.transition(pair.rel_id, pair.learner, "active"))
        self.assertEqual(rel["state"], "active")
        return pair

    def events(self, rel_id, who):
        """Every event of a relationship, following the pages."""
        items, after = [], None
        while True:
            q = f"?after={after}" if after else ""
            page = self.ok(self.get(f"/api/v1/relationships/{rel_id}/events{q}", who))
            items += page["items"]
            after = page["next"]
            if after is None:
                return items

    # ---- the clock ----

    def now(self):
        """The server's fixed clock, as the harness last set it."""
        return self.server.clock

    def set_clock(self, when, who=None):
        """Moves the dev clock to `when` (a datetime or RFC 3339 string).
        Sessions idle for 30 minutes expire: callers sign in again."""
        if isinstance(when, str):
            when = parse_time(when)
        who = who or self.admin
        r = self.post("/api/v1/dev/clock", {"now": fmt_time(when)}, who)
        if r.status == 401:
            self.sign_in(who)
            r = self.post("/api/v1/dev/clock", {"now": fmt_time(when)}, who)
        self.assertEqual(r.status, 200, r)
        self.server.clock = parse_time(r.json["now"])
        return self.server.clock

    def advance(self, who=None, **delta):
        """Moves the dev clock forward by datetime.timedelta(**delta)."""
        return self.set_clock(self.server.clock + _dt.timedelta(**delta), who)

    def at(self, **delta):
        """An RFC 3339 time relative to the server's clock, e.g.
        self.at(minutes=-5)."""
        return fmt_time(self.server.clock + _dt.timedelta(**delta))

    # ---- assertions ----

    @contextmanager
    def unchanged(self):
        """Asserts that the block leaves the database as it found it
        (sessions aside)."""
        before = self.server.snapshot()
        yield
        after = self.server.snapshot()
        changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
        if changed:
            self.fail("the database changed: " + ", ".join(
                f"{t} rows {before.get(t, (0,))[0]} -> {after.get(t, (0,))[0]}" for t in changed))

    def assertProblem(self, r, status, code=None, pointer=None, detail=None):
        """Asserts r is an RFC 9457 problem with `status` (and `code`, and an
        error at `pointer` whose detail contains `detail`). Returns the
        problem JSON."""
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.content_type, "application/problem+json", r)
        p = r.json
        self.assertIsInstance(p, dict, r)
        for key in ("type", "title", "detail", "code"):
            self.assertIsInstance(p.get(key), str, f"{key} missing in {r!r}")
            self.assertNotEqual(p[key], "", f"{key} empty in {r!r}")
        self.assertEqual(p.get("status"), status, r)
        self.assertEqual(p["type"], "urn:rapport:problem:" + p["code"], r)
        if code is not None:
            self.assertEqual(p["code"], code, r)
        if status == 422:
            self.assertIsInstance(p.get("errors"), list, r)
            self.assertGreater(len(p["errors"]), 0, r)
            for err in p["errors"]:
                self.assertEqual(sorted(err), ["detail", "pointer"], r)
                self.assertIsInstance(err["pointer"], str, r)
                self.assertIsInstance(err["detail"], str, r)
        else:
            self.assertNotIn("errors", p, r)
        if pointer is not None:
            found = [e for e in p.get("errors", []) if e["pointer"] == pointer]
            self.assertTrue(found, f"no error at {pointer} in {r!r}")
            if detail is not None:
                self.assertTrue(any(detail in e["detail"] for e in found),
                                f"no error at {pointer} saying {detail!r} in {r!r}")
        return p

    def pointers(self, r):
        """The JSON pointers of a 422 problem, sorted."""
        return sorted(e["pointer"] for e in (r.json or {}).get("errors", []))
