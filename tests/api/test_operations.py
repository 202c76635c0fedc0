"""Operating Rapport: health checks, request ids and the JSON log, the
metrics listener, the configuration file, the systemd unit's score, a
graceful stop under load, and readiness while PostgreSQL goes away and
comes back.

Every server of the suite also serves metrics and logs JSON, and the
harness checks both when it stops it (promtool over a scrape, every log
line parsed): see harness.Server.ops_problems and json_log_problems."""

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import unittest
import urllib.request

from harness import (ADMIN_EMAIL, ADMIN_PASSWORD, PG_BASE, REPO, ApiTestCase, Server,
                     child_env, json_log_problems, rapport_bin)

API = "/api/v1"


def log_lines(server):
    return [json.loads(line) for line in server.stderr_text().splitlines()
            if line.startswith("{")]


class HealthAndRequests(ApiTestCase):

    def test_healthz_and_readyz_answer_and_are_not_logged_at_info(self):
        r = self.request("GET", "/healthz")
        self.assertEqual((r.status, r.json), (200, {"status": "alive"}))
        r = self.request("GET", "/readyz")
        self.assertEqual((r.status, r.json), (200, {"status": "ready"}))
        self.assertTrue(r.headers["X-Request-Id"])
        r = self.request("POST", "/readyz", {})
        self.assertEqual(r.status, 405)
        self.assertFalse([x for x in log_lines(self.server)
                          if x.get("route") in ("/healthz", "/readyz")])

    def test_request_id_is_taken_when_well_formed_else_made(self):
        r = self.request("GET", API, headers={"X-Request-Id": "lb-7f3a.42"})
        self.assertEqual(r.headers["X-Request-Id"], "lb-7f3a.42")
        r = self.request("GET", API, headers={"X-Request-Id": "no spaces\tor tabs"})
        made = r.headers["X-Request-Id"]
        self.assertRegex(made, r"^[0-9a-f]{16}$")
        other = self.request("GET", API).headers["X-Request-Id"]
        self.assertNotEqual(made, other)

    def test_request_line_has_route_pattern_status_duration_and_actor(self):
        p = self.active_relationship()
        goal = self.ok(self.post(f"{API}/relationships/{p.rel_id}/goals", {"title": "A goal"},
                                 p.guide), 201)
        rid = f"trace-{goal['id']}"
        self.ok(self.get(f"{API}/goals/{goal['id']}", p.guide, headers={"X-Request-Id": rid}))
        deadline = time.monotonic() + 5
        found = []
        while not found and time.monotonic() < deadline:
            found = [x for x in log_lines(self.server) if x.get("request_id") == rid]
            time.sleep(0.02)
        self.assertEqual(len(found), 1, found)
        line = found[0]
        self.assertEqual((line["msg"], line["method"], line["route"], line["status"],
                          line["actor"], line["level"]),
                         ("request", "GET", "/api/v1/goals/{id}", 200, p.guide.id, "info"))
        self.assertGreater(line["duration_ms"], 0)
        self.assertEqual(json_log_problems(self.server.stderr_text()), "")


class SecretsNeverLogged(ApiTestCase):
    """Known secret texts go through the API (confidential text of every
    kind the World writes, passwords right and wrong, tokens); none of them
    is in the log, at debug level too."""

    server_args = {"serve_args": ("--log-level", "debug")}

    def test_no_secret_text_reaches_the_log(self):
        marker = "SECRET-7c1e-LOGCHECK"
        p = self.active_relationship()
        R = f"{API}/relationships/{p.rel_id}"
        self.ok(self.post(f"{R}/notes", {"visibility": "shared", "text": f"{marker} note"},
                          p.guide), 201)
        self.ok(self.post(f"{R}/goals", {"title": f"{marker} goal", "specific": f"{marker} s"},
                          p.learner), 201)
        self.ok(self.post(f"{R}/requests", {"text": f"{marker} request"}, p.learner), 201)
        self.ok(self.post(f"{R}/feedback", {"kind": "recognition", "focus": "task", "text": f"{marker} fb"},
                          p.guide), 201)
        self.ok(self.get(f"{R}/notes", p.learner))
        self.ok(self.get(f"{R}/goals", p.guide))
        wrong = "wrong-password-SECRET-99"
        r = self.post(f"{API}/session", {"email": p.guide.email, "password": wrong})
        self.assertEqual(r.status, 401)
        self.assertEqual(self.confirm(p.guide).status, 200)
        self.ok(self.get(f"{API}/me/export", p.guide))
        self.server.request("GET", f"{API}/relationships/{p.rel_id}?token={p.guide.token}")
        self.request("GET", "/healthz")  # logged at debug level
        log = self.server.stderr_text()
        self.assertIn('"msg":"request"', log)
        self.assertIn('"level":"debug"', log)
        for secret in (marker, wrong, p.guide.password, p.guide.token, p.learner.token,
                       p.guide.csrf, ADMIN_PASSWORD, self.admin.token):
            self.assertNotIn(secret, log)


class Metrics(ApiTestCase):

    def test_metrics_are_on_their_own_address_only(self):
        public = self.request("GET", "/metrics")
        self.assertEqual(public.status, 404)
        self.assertNotEqual(self.server.metrics_url().split("/metrics")[0], self.server.base)

    def test_scrape_counts_routes_by_pattern_and_the_figures_below(self):
        p = self.active_relationship()
        note = self.ok(self.post(f"{API}/relationships/{p.rel_id}/notes",
                                 {"visibility": "shared", "text": "counted"}, p.guide), 201)
        self.ok(self.get(f"{API}/notes/{note['id']}", p.learner))
        self.request("GET", "/healthz")
        text = self.server.scrape()
        self.assertRegex(text, r'rapport_http_requests_total\{route="/api/v1/notes/\{id\}",'
                               r'method="GET",status="200"\} [1-9]')
        self.assertRegex(text, r'rapport_http_requests_total\{route="/api/v1/session",'
                               r'method="POST",status="201"\} [1-9]')
        self.assertRegex(text, r'rapport_http_request_duration_seconds_count\{route='
                               r'"/api/v1/notes/\{id\}",method="GET"\} [1-9]')
        self.assertNotRegex(text, r'route="[^"]*/\d')  # never a raw path with ids
        self.assertRegex(text, r"rapport_write_lock_wait_seconds_count [1-9]")
        self.assertRegex(text, r"rapport_access_log_batch_rows_count [1-9]")
        self.assertRegex(text, r"rapport_access_log_commit_seconds_count [1-9]")
        self.assertRegex(text, r"rapport_job_runs_total [1-9]")
        self.assertRegex(text, r"rapport_job_failures_total 0")
        self.assertRegex(text, r"rapport_sessions_active [1-9]")
        self.assertRegex(text, r"rapport_database_size_bytes [1-9]\d{3,}")
        self.assertRegex(text, r'rapport_build_info\{version="[^"]+",backend="(sqlite|postgresql)"\} 1')
        self.assertIn("rapport_database_up 1", text)
        p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


class Configuration(unittest.TestCase):
    """serve --config: the file, then the environment, then flags win;
    `rapport config check` prints the result with secrets masked."""

    def run_cli(self, *args, env=None):
        e = child_env()
        e.update(env or {})
        return subprocess.run([rapport_bin(), *args], capture_output=True, text=True, env=e,
                              timeout=60)

    def setUp(self):
        self.dir = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"rapport-conf-{os.getpid()}")
        os.makedirs(self.dir, exist_ok=True)
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.path = os.path.join(self.dir, "rapport.conf")
        with open(self.path, "w") as f:
            f.write("# a comment\n[serve]\ndb = postgresql://rapport:hunter2-SECRET@db.internal/rp\n"
                    "listen = 127.0.0.1:8181\nthreads = 3\nlog-format = json\ndev = false\n"
                    "metrics = 127.0.0.1:9464\n")

    def test_file_then_environment_then_flags(self):
        p = self.run_cli("config", "check", "--config", self.path, "--threads", "5",
                         env={"RAPPORT_LISTEN": "127.0.0.1:9999", "RAPPORT_THREADS": "4"})
        self.assertEqual(p.returncode, 0, p.stderr)
        got = dict(line.split(" = ", 1) for line in p.stdout.splitlines())
        self.assertEqual(got["listen"], "127.0.0.1:9999")   # environment over file
        self.assertEqual(got["threads"], "5")               # flag over environment
        self.assertEqual(got["log-format"], "json")         # file
        self.assertEqual(got["metrics"], "127.0.0.1:9464")
        self.assertEqual(got["dev"], "(default)")
        self.assertEqual(got["db"], "postgresql://rapport:****@db.internal/rp")
        self.assertNotIn("hunter2", p.stdout + p.stderr)

    def test_unknown_setting_is_refused(self):
        with open(self.path, "a") as f:
            f.write("lisen = 127.0.0.1:1\n")
        p = self.run_cli("config", "check", "--config", self.path)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown setting 'lisen'", p.stderr)

    def test_every_serve_flag_is_settable_in_the_file(self):
        help_text = self.run_cli("serve", "--help").stdout
        names = re.findall(r"^  --([a-z-]+)", help_text, re.M)
        self.assertIn("metrics", names)
        with open(self.path, "w") as f:
            for n in names:
                if n not in ("help", "config"):
                    f.write(f"{n} = {'true' if n == 'dev' else '1'}\n")
        p = self.run_cli("config", "check", "--config", self.path)
        self.assertEqual(p.returncode, 0, p.stderr)


class SystemdUnit(unittest.TestCase):

    def test_unit_scores_2_0_or_lower(self):
        systemd_analyze = shutil.which("systemd-analyze")
        if not systemd_analyze:
            self.fail("systemd-analyze is missing (Debian's systemd; tools/deps.sh --browser)")
        unit = os.path.join(REPO, "dist", "rapport.service")
        p = subprocess.run([systemd_analyze, "security", "--offline=yes", unit],
                           capture_output=True, text=True, timeout=120)
        m = re.search(r"Overall exposure level for rapport\.service: (\d+\.\d+)", p.stdout)
        self.assertTrue(m, p.stdout[-2000:] + p.stderr)
        self.assertLessEqual(float(m.group(1)), 2.0, p.stdout)
        with open(unit) as f:
            text = f.read()
        for line in ("Type=notify", "ProtectSystem=strict", "PrivateTmp=yes",
                     "NoNewPrivileges=yes", "MemoryDenyWriteExecute=yes", "SystemCallFilter="):
            self.assertIn(line, text)


class SystemdNotify(unittest.TestCase):
    """Under systemd (Type=notify, NOTIFY_SOCKET set) serve says READY=1
    once it listens and STOPPING=1 when SIGTERM comes."""

    def test_ready_and_stopping_are_told(self):
        import socket
        server = Server()
        self.addCleanup(server.cleanup)
        self.addCleanup(server.kill)
        path = os.path.join(server.dir, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.bind(path)
        sock.settimeout(30)
        server.env["NOTIFY_SOCKET"] = path
        server.start()
        self.assertIn("READY=1", sock.recv(4096).decode())
        self.assertEqual(server.request("GET", "/readyz").status, 200)
        self.assertEqual(server.stop(), "")
        self.assertIn("STOPPING=1", sock.recv(4096).decode())


class LogReopen(unittest.TestCase):
    """--log-file with SIGHUP: after logrotate moved the file, the next
    lines go to a new file of the same name."""

    def test_sighup_reopens_the_log_file(self):
        server = Server()
        self.addCleanup(server.cleanup)
        self.addCleanup(server.kill)
        log = os.path.join(server.dir, "rapport.log")
        server.serve_args = ("--log-file", log)
        server.start()
        server.request("GET", API, headers={"X-Request-Id": "before-rotate"})
        os.rename(log, log + ".1")
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while not os.path.exists(log) and time.monotonic() < deadline:
            time.sleep(0.02)
        server.request("GET", API, headers={"X-Request-Id": "after-rotate"})
        self.assertIn("rapport_log_reopens_total 1", server.scrape())
        self.assertEqual(server.stop(), "")
        with open(log + ".1") as f:
            old = f.read()
        with open(log) as f:
            new = f.read()
        self.assertIn("before-rotate", old)
        self.assertNotIn("after-rotate", old)
        self.assertIn("after-rotate", new)
        self.assertIn("the log file was opened again", new)
        self.assertEqual(json_log_problems(old + new), "")


class StopUnderLoad(ApiTestCase):
    """SIGTERM while writes and text-opening reads run: the server drains
    and exits 0, every write it acknowledged is in the database, and the
    access log verifies."""

    def test_sigterm_under_load_loses_nothing_acknowledged(self):
        p = self.active_relationship()
        R = f"{API}/relationships/{p.rel_id}"
        acked, errors, stop = [], [], threading.Event()
        lock = threading.Lock()

        def writer(who):
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    r = self.server.request("POST", f"{R}/notes",
                                            {"visibility": "shared", "text": f"load {n}"},
                                            token=who.token)
                except Exception as err:  # the server went away: expected
                    errors.append(err)
                    return
                if r.status == 201:
                    with lock:
                        acked.append(r.json["id"])
                elif r.status != 503:
                    errors.append(r)
                    return

        def reader(who):
            while not stop.is_set():
                try:
                    self.server.request("GET", f"{R}/notes", token=who.token)
                except Exception:
                    return

        # The harness's answer checks share one checker; these threads do
        # not need it (their answers were checked elsewhere).
        threads = [threading.Thread(target=writer, args=(w,)) for w in (p.guide, p.learner)]
        threads += [threading.Thread(target=reader, args=(p.learner,))]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while len(acked) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        self.server.proc.send_signal(signal.SIGTERM)
        self.server.proc.wait(timeout=60)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(self.server.proc.returncode, 0)
        self.assertGreaterEqual(len(acked), 30)
        self.assertFalse([e for e in errors if not isinstance(e, Exception)], errors)
        stored = {row[0] for row in self.server.query(
            "SELECT id FROM notes WHERE relationship_id = ?", p.rel_id)}
        self.assertFalse(set(acked) - stored, "acknowledged notes missing after SIGTERM")
        args = ["audit", "verify", "--db", self.server.db]
        rc, out, err = self.server.cli(*args, check=False)
        self.assertEqual(rc, 0, out + err)
        log = log_lines(self.server)
        self.assertTrue([x for x in log if "finishing the requests in flight" in x["msg"]])
        self.server.launch(append=True)  # for the class's own stop


@unittest.skipIf(PG_BASE is not None, "runs its own cluster, once, in the SQLite run")
class ReadinessWithPostgres(unittest.TestCase):
    """/readyz on PostgreSQL: 503 while the cluster is stopped, 200 again
    once it is back, and requests work again (the lost connections are
    opened anew)."""

    def test_readiness_follows_the_database(self):
        import pgcluster
        cluster = pgcluster.Cluster(max_connections=40)
        self.addCleanup(cluster.stop)
        cluster._run(pgcluster.pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port),
                     "-U", pgcluster.USER, "ready")
        srv = PgServer(f"{cluster.base}/ready")
        self.addCleanup(srv.cleanup)
        srv.start()
        self.addCleanup(srv.kill)
        self.assertEqual(srv.request("GET", "/readyz").status, 200)
        self.assertEqual(srv.request("GET", API + "/me").status, 401)
        cluster._run(pgcluster.pg_bin("pg_ctl"), "-D", cluster.data, "-m", "fast", "-w", "stop")
        r = srv.request("GET", "/readyz")
        self.assertEqual(r.status, 503, r)
        self.assertEqual(r.json["code"], "database_unreachable")
        self.assertEqual(srv.request("GET", "/healthz").status, 200)
        cluster._run(pgcluster.pg_bin("pg_ctl"), "-D", cluster.data, "-l",
                     os.path.join(cluster.dir, "log"), "-w", "-o",
                     f"-k {cluster.dir} -p {cluster.port} -c listen_addresses=127.0.0.1"
                     " -c max_connections=40 -c fsync=off", "start")
        self.assertEqual(srv.request("GET", "/readyz").status, 200)
        # The workers' connections were lost with the cluster: the first
        # request on each may fail, then they are opened again.
        ok = False
        for _ in range(10):
            r = srv.request("POST", API + "/session",
                            {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
            if r.status == 201:
                ok = True
                break
        self.assertTrue(ok, r)
        self.assertIn("rapport_database_up 1", srv.scrape())
        self.assertEqual(srv.stop(), "")


class PgServer(Server):
    """A Server on a database of a private cluster (not the run's)."""

    def __init__(self, uri):
        super().__init__()
        self.db = uri
        self.env["RAPPORT_KEY"] = os.path.join(self.dir, "t.key")
        self.owns_db = False

    def cleanup(self, keep=False):
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
