"""smtp_sink.py: a real SMTP server for the mail tests, on loopback.

Debian's python3-aiosmtpd with STARTTLS required (a self-signed
certificate made here with openssl, which the server under test is told to
trust with --smtp-ca) and AUTH required after it. Every message it accepts
is kept, parsed with Python's email package. It can refuse recipients with
a given reply (a 5xx, a 4xx), hold a DATA command for a while before
answering (so a test can kill the sender mid-send), and be stopped and
started again on the same port (the server down for a while).

Debian installs python3-aiosmtpd for its own python3; when the tests run
under another Python 3 (a pyenv one), its dist-packages are added to the
path, as the package is pure Python."""

import asyncio
import email
import email.policy
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import logging

try:
    import aiosmtpd  # noqa: F401
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
import icalendar  # noqa: E402,F401  Debian's python3-icalendar, for the tests that import it here
# aiosmtpd logs a deprecation of its own at every AUTH: not ours to hear.
logging.getLogger("mail.log").setLevel(logging.ERROR)
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402
import ssl  # noqa: E402

SMTP_USER = "rapport-relay"
SMTP_PASSWORD = "relay pass 42"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.sink.reject.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                               msg, session.authenticated))
        hold = max((self.sink.hold.get(r.lower(), 0) for r in envelope.rcpt_tos), default=0)
        if hold:
            await asyncio.sleep(hold)
        return "250 2.0.0 Accepted"


class Received:
    def __init__(self, mail_from, rcpt_tos, msg, authenticated):
        self.mail_from = mail_from
        self.rcpt_tos = rcpt_tos
        self.msg = msg
        self.authenticated = authenticated

    def part(self, content_type):
        """The decoded text of the first part of that type, or None."""
        for p in self.msg.walk():
            if p.get_content_type() == content_type:
                return p.get_content()
        return None

    def __repr__(self):
        return f"<mail to {self.rcpt_tos} {self.msg['Subject']!r} {self.msg['Message-ID']}>"


class Sink:
    """An SMTP server on 127.0.0.1 with STARTTLS and AUTH (see the top)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rapport-smtp-")
        self.cert = os.path.join(self.dir, "cert.pem")
        self.key = os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", self.key, "-out", self.cert],
                       check=True, capture_output=True)
        self.port = free_port()
        self.messages = []
        self.lock = threading.Lock()
        self.reject = {}  # address -> reply, e.g. "550 5.1.1 No such mailbox"
        self.hold = {}    # address -> seconds DATA waits before its 250
        self.controller = None

    def _auth(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode()
              and auth_data.password == SMTP_PASSWORD.encode())
        return AuthResult(success=ok)

    def start(self):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, tls_context=ctx,
            require_starttls=True, authenticator=self._auth, auth_required=True,
            auth_require_tls=True)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self):
        user = urllib.parse.quote(SMTP_USER, safe="")
        pw = urllib.parse.quote(SMTP_PASSWORD, safe="")
        return f"smtp://{user}:{pw}@127.0.0.1:{self.port}"

    def serve_args(self, mail_from="Rapport <rapport@rapport.test>"):
        return ("--smtp", self.url(), "--smtp-ca", self.cert, "--mail-from", mail_from,
                "--smtp-timeout", "10")

    def to(self, address):
        """The messages received so far for address."""
        with self.lock:
            return [m for m in self.messages if address.lower() in
                    [r.lower() for r in m.rcpt_tos]]

    def wait_for(self, address, count=1, timeout=20):
        """Waits until address has `count` messages; returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.to(address)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError(f"{address} received {len(self.to(address))} mails, "
                             f"not {count}, within {timeout} s")


class _Counting(_Handler):
    """For bench/mail.sh: accepts every message without parsing or keeping
    it (the stand-in for a relay elsewhere should cost what a relay costs
    to receive, not what the tests' checks cost) and counts messages,
    distinct Message-IDs and the connections they came over."""

    def __init__(self, sink):
        super().__init__(sink)
        self.received = 0
        self.ids = set()
        self.peers = set()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        head = data.split(b"\r\n\r\n", 1)[0]
        m = re.search(rb"(?im)^Message-ID:\s*(\S+)", head)
        self.received += 1
        self.ids.add(m.group(1) if m else None)
        self.peers.add(session.peer)
        return "250 2.0.0 Accepted"


class SinkServerMixin:
    """For a test case class (before its server base class): one Sink per
    class, and the class's server delivering its mail to it (cls.sink)."""

    sink = None

    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.sink.start()
        cls.server_args = {"serve_args": cls.sink.serve_args()}
        try:
            super().setUpClass()
        except BaseException:
            cls.sink.close()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.sink.close()


def _serve(out_dir):
    """`python3 smtp_sink.py DIR`: runs a Sink for the browser tests. Prints
    one JSON line (its serve_args), then writes each message it receives
    as DIR/NNNN.json ({to, from, subject, message_id, text, html}, the
    parts decoded), until its standard input closes. With DIR "-" it
    writes nothing, parses nothing (_Counting) and prints, when it ends,
    how many messages it received, how many distinct Message-IDs and
    connections, and the processor time it used (bench/mail.sh)."""
    import json
    sink = Sink()

    class Writing(_Handler):
        async def handle_DATA(self, server, session, envelope):
            reply = await super().handle_DATA(server, session, envelope)
            with sink.lock:
                m = sink.messages[-1]
                n = len(sink.messages)
            doc = {"to": m.rcpt_tos, "from": m.mail_from, "subject": str(m.msg["Subject"]),
                   "message_id": m.msg["Message-ID"], "text": m.part("text/plain"),
                   "html": m.part("text/html")}
            path = os.path.join(out_dir, f"{n:04d}.json")
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                json.dump(doc, f)
            os.rename(path + ".tmp", path)
            return reply

    handler = _Counting(sink) if out_dir == "-" else Writing(sink)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(sink.cert, sink.key)
    sink.controller = Controller(
        handler, hostname="127.0.0.1", port=sink.port, tls_context=ctx,
        require_starttls=True, authenticator=sink._auth, auth_required=True,
        auth_require_tls=True)
    sink.controller.start()
    print(json.dumps(list(sink.serve_args())), flush=True)
    try:
        sys.stdin.read()
    finally:
        sink.close()
        if out_dir == "-":
            print(json.dumps({"received": handler.received, "message_ids": len(handler.ids),
                              "connections": len(handler.peers),
                              "cpu_s": round(time.process_time(), 2)}), flush=True)


if __name__ == "__main__":
    _serve(sys.argv[1])
