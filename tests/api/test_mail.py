"""Mail and calendars (app/reach/): the outbox written with the action that
causes it, delivered by the sender through a real SMTP server on loopback
(Debian's python3-aiosmtpd, STARTTLS and AUTH required,
tests/api/smtp_sink.py), with retries and backoff, 5xx marked failed, and a
stable Message-ID; check-in reminders with iCalendar invitations, and the
calendar feed.

The messages are parsed with Python's email package and checked: headers,
MIME structure, and the links, followed against the running server; the
calendars with Debian's python3-icalendar."""

import datetime as dt
import re
import time
import types
import urllib.parse

from flows import AGREEMENT, FlowTestCase
from harness import device_cookie, fmt_time
from smtp_sink import SinkServerMixin, icalendar

API = "/api/v1"
NEW_PASSWORD = "tangerine kite 42"
LEASE_S = 900  # APP_MAIL_LEASE_S (app/reach/reach.h)


class MailCase(SinkServerMixin, FlowTestCase):
    """A server whose sender delivers to cls.sink."""

    def setUp(self):
        super().setUp()
        self.sign_in(self.admin)  # tests move the clock past the session's idle time

    def invite(self, email, name="Invited Person", program_id=None):
        """Enrolls a new address (an invitation); returns the person id."""
        program_id = program_id or self.program()
        r = self.post(f"{API}/programs/{program_id}/members",
                      {"email": email, "name": name, "role": "learner"}, self.admin)
        body = self.ok(r, 201)
        self.assertIs(body["invited"], True)
        return body["person_id"]

    def outbox(self, email):
        """(state, attempts, message_id, last_error, next_at) of each mail to email."""
        return self.server.query(
            "SELECT state, attempts, message_id, last_error, next_at FROM outbox"
            " WHERE to_email = ? ORDER BY id", email)

    def wait_row(self, email, pred, timeout=20):
        deadline = time.monotonic() + timeout
        rows = []
        while time.monotonic() < deadline:
            rows = self.outbox(email)
            if rows and pred(rows):
                return rows
            time.sleep(0.05)
        self.fail(f"the outbox rows of {email} never got there: {rows!r}")

    def link_in(self, mail, path):
        """The one link to `path` in the plain-text part; checks the HTML
        part carries the same link."""
        text = mail.part("text/plain")
        links = re.findall(r"https?://\S+", text)
        mine = [u for u in links if urllib.parse.urlsplit(u).path == path]
        self.assertEqual(len(mine), 1, text)
        self.assertIn(f'href="{mine[0]}"', mail.part("text/html"))
        return mine[0]


class Delivery(MailCase):

    def check_headers(self, mail, to, subject):
        msg = mail.msg
        self.assertTrue(mail.authenticated, "the sender did not authenticate")
        self.assertEqual(mail.mail_from, "rapport@rapport.test")
        self.assertEqual(mail.rcpt_tos, [to])
        self.assertEqual(str(msg["From"]), "Rapport <rapport@rapport.test>")
        self.assertEqual(msg["To"].addresses[0].addr_spec, to)
        self.assertEqual(str(msg["Subject"]), subject)
        self.assertRegex(msg["Message-ID"], r"^<[A-Za-z0-9_-]{24}@rapport\.test>$")
        self.assertIsNotNone(msg["Date"].datetime)
        self.assertEqual(msg["Auto-Submitted"], "auto-generated")
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        self.assertEqual([p.get_content_type() for p in msg.iter_parts()],
                         ["text/plain", "text/html"])
        for p in msg.iter_parts():
            self.assertEqual(p.get_content_charset(), "utf-8")

    def test_an_invitation_arrives_and_its_link_sets_the_password(self):
        email = "mail.invitee@rapport.test"
        person_id = self.invite(email, "Amara Okafor")
        [mail] = self.sink.wait_for(email)
        self.check_headers(mail, email, "Your invitation to Rapport")
        self.assertIn("Hello Amara Okafor,", mail.part("text/plain"))
        link = self.link_in(mail, "/invitation")
        self.assertTrue(link.startswith(self.server.base + "/invitation#"), link)
        token = urllib.parse.urlsplit(link).fragment
        page = self.server.request("GET", "/invitation")
        self.assertEqual(page.status, 200, page)
        r = self.post(f"{API}/invitations/accept", {"token": token, "password": NEW_PASSWORD})
        self.assertEqual(self.ok(r, 201)["person"]["id"], person_id)
        # The browser that set the password signs in (its device cookie: no
        # mail of a new device).
        self.ok(self.post(f"{API}/session", {"email": email, "password": NEW_PASSWORD},
                          headers={"Cookie": f"rapport_device={device_cookie(r)}"}), 201)
        # Recorded as sent once, with the Message-ID it went out with; the
        # stored message is sealed: the token is not in it.
        rows = self.wait_row(email, lambda rs: rs[0][0] == "sent")
        self.assertEqual([(r[0], r[1], r[2]) for r in rows], [("sent", 1, mail.msg["Message-ID"])])
        [(sealed,)] = self.server.query("SELECT body_ct FROM outbox WHERE to_email = ?", email)
        self.assertNotIn(token.encode(), bytes(sealed))
        self.assertNotIn(b"Amara", bytes(sealed))

    def test_non_ascii_names_are_encoded_words(self):
        email = "zoe.unicode@rapport.test"
        self.invite(email, "Zoë Ångström")
        [mail] = self.sink.wait_for(email)
        raw = mail.msg.as_bytes().split(b"\r\n\r\n", 1)[0].decode("ascii")
        self.assertRegex(raw, r"(?m)^To: =\?UTF-8\?B\?")
        self.assertEqual(mail.msg["To"].addresses[0].display_name, "Zoë Ångström")
        self.assertIn("Hello Zoë Ångström,", mail.part("text/plain"))
        self.assertIn("Hello Zoë Ångström,", mail.part("text/html"))

    def test_password_reset_mails_a_link_and_tells_nobody_whether_an_account_exists(self):
        who = self.person("Reset Person")
        old_token = who.token
        known = self.post(f"{API}/password-reset", {"email": who.email.upper()})
        unknown = self.post(f"{API}/password-reset", {"email": "nobody.here@rapport.test"})
        self.assertEqual(known.status, 202, known)
        self.assertEqual((unknown.status, unknown.json), (known.status, known.json))
        self.assertProblem(self.post(f"{API}/password-reset", {"email": "not an address"}),
                           422, pointer="/email")
        [mail] = self.sink.wait_for(who.email)
        self.check_headers(mail, who.email, "Choose a new Rapport password")
        self.assertEqual(self.outbox("nobody.here@rapport.test"), [])
        link = self.link_in(mail, "/reset")
        self.assertEqual(self.server.request("GET", "/reset").status, 200)
        token = urllib.parse.urlsplit(link).fragment
        self.ok(self.post(f"{API}/invitations/accept", {"token": token, "password": NEW_PASSWORD}),
                201)
        # The old session ended; the new password signs in; the link is spent.
        self.assertEqual(self.get(f"{API}/me", old_token).status, 401)
        self.ok(self.post(f"{API}/session", {"email": who.email, "password": NEW_PASSWORD}), 201)
        self.assertProblem(self.post(f"{API}/invitations/accept",
                                     {"token": token, "password": "another pass 77"}),
                           404, "no_invitation")

    def test_password_resets_are_limited_to_three_an_hour(self):
        who = self.person("Many Resets")
        for _ in range(5):
            self.assertEqual(self.post(f"{API}/password-reset", {"email": who.email}).status, 202)
        self.sink.wait_for(who.email, 3)
        self.assertEqual(len(self.outbox(who.email)), 3)
        self.advance(minutes=61)
        self.assertEqual(self.post(f"{API}/password-reset", {"email": who.email}).status, 202)
        self.sink.wait_for(who.email, 4)
        self.assertEqual(len(self.outbox(who.email)), 4)


class Faults(MailCase):

    def test_mail_waits_while_the_server_is_down_and_goes_out_once_when_it_returns(self):
        self.sink.stop()
        try:
            addresses = [f"down.{i}@rapport.test" for i in range(3)]
            program_id = self.program()
            for a in addresses:
                self.invite(a, program_id=program_id)
            for a in addresses:
                rows = self.wait_row(a, lambda rs: rs[0][3] is not None)
                state, attempts, _, error, next_at = rows[0]
                self.assertEqual((state, attempts), ("waiting", 1))
                self.assertEqual(next_at, int(self.now().timestamp()) + 60)
                self.assertIn("connect", error.lower())
            _, out, _ = self.server.cli("mail", "status", "--db", self.server.db)
            self.assertRegex(out, r"waiting: [1-9]")
        finally:
            self.sink.start()
        time.sleep(0.6)  # the sender's passes meanwhile find nothing due
        self.assertEqual([self.sink.to(a) for a in addresses], [[], [], []])
        self.advance(seconds=61)
        for a in addresses:
            self.sink.wait_for(a)
            self.wait_row(a, lambda rs: rs[0][0] == "sent")
        time.sleep(0.6)
        for a in addresses:
            self.assertEqual(len(self.sink.to(a)), 1, a)
            self.assertEqual([r[:2] for r in self.outbox(a)], [("sent", 2)])

    def test_a_5xx_is_marked_failed_and_not_retried(self):
        email = "no.such.mailbox@rapport.test"
        self.sink.reject[email] = "550 5.1.1 No such mailbox"
        try:
            self.invite(email)
            rows = self.wait_row(email, lambda rs: rs[0][0] == "failed")
            self.assertEqual(rows[0][1], 1)
            self.assertIn("550", rows[0][3])
            self.advance(hours=5)
            time.sleep(0.6)
            self.assertEqual(self.outbox(email)[0][:2], ("failed", 1))
            _, out, _ = self.server.cli("mail", "list", "--db", self.server.db,
                                        "--state", "failed")
            self.assertIn(email, out)
            self.assertIn("550", out)
        finally:
            del self.sink.reject[email]

    def test_a_4xx_is_tried_again_after_a_minute(self):
        email = "mailbox.busy@rapport.test"
        self.sink.reject[email] = "451 4.3.0 Try again later"
        try:
            self.invite(email)
            rows = self.wait_row(email, lambda rs: rs[0][3] is not None)
            self.assertEqual(rows[0][:2], ("waiting", 1))
            self.assertIn("451", rows[0][3])
            self.assertEqual(rows[0][4], int(self.now().timestamp()) + 60)
        finally:
            del self.sink.reject[email]
        self.advance(seconds=61)
        [mail] = self.sink.wait_for(email)
        self.assertEqual(self.wait_row(email, lambda rs: rs[0][0] == "sent")[0][:3],
                         ("sent", 2, mail.msg["Message-ID"]))

    def test_kill_9_while_sending_repeats_at_most_one_mail_with_the_same_message_id(self):
        email = "killed.mid.send@rapport.test"
        self.sink.hold[email] = 5  # DATA is in; the 250 waits
        self.invite(email)
        [first] = self.sink.wait_for(email)
        self.server.kill()
        del self.sink.hold[email]
        self.server.launch(append=True)
        self.assertEqual(self.outbox(email)[0][:2], ("waiting", 1))
        # The dead sender's hold on the mail lasts its lease.
        time.sleep(0.6)
        self.assertEqual(len(self.sink.to(email)), 1)
        self.advance(seconds=LEASE_S + 1)
        second = self.sink.wait_for(email, 2)[1]
        self.assertEqual(second.msg["Message-ID"], first.msg["Message-ID"])
        self.wait_row(email, lambda rs: rs[0][0] == "sent")
        time.sleep(0.6)
        self.assertEqual(len(self.sink.to(email)), 2)


def ics_events(text):
    """(METHOD, [VEVENT components]) of an iCalendar text."""
    cal = icalendar.Calendar.from_ical(text)
    return cal.get("METHOD"), [c for c in cal.walk() if c.name == "VEVENT"]


class Calendars(MailCase):

    def invitation_of(self, mail):
        parts = [p for p in mail.msg.walk() if p.get_content_type() == "text/calendar"]
        self.assertEqual(len(parts), 1, mail)
        method, [ev] = ics_events(parts[0].get_content())
        self.assertEqual(parts[0].get_param("method"), method)
        return method, ev

    def calendar_mails(self, address, count=1, timeout=20):
        """The mails to address that carry a calendar part (a check-in's),
        once there are count of them: other mails (a pulse round, a
        warning) may reach the same people while the clock moves."""
        deadline = time.monotonic() + timeout
        while True:
            got = [m for m in self.sink.to(address)
                   if any(p.get_content_type() == "text/calendar" for p in m.msg.walk())]
            if len(got) >= count or time.monotonic() > deadline:
                return got
            time.sleep(0.05)

    def test_a_check_in_is_mailed_a_day_before_then_rescheduled_and_cancelled(self):
        pair = self.active_relationship()
        start = self.now()
        when = start + dt.timedelta(hours=30)
        ck = self.schedule(pair, pair.guide, fmt_time(when))
        self.run_jobs()
        time.sleep(0.3)
        self.assertEqual(self.calendar_mails(pair.guide.email, 0), [])
        self.move_clock(start + dt.timedelta(hours=7), pair.guide, pair.learner)
        self.run_jobs()
        [g] = self.calendar_mails(pair.guide.email)
        [l] = self.calendar_mails(pair.learner.email)
        self.assertEqual(str(g.msg["Subject"]), f"Check-in with {pair.learner.name}")
        self.assertEqual(str(l.msg["Subject"]), f"Check-in with {pair.guide.name}")
        method, ev = self.invitation_of(g)
        self.assertEqual(method, "REQUEST")
        uid = str(ev["UID"])
        self.assertEqual(int(ev["SEQUENCE"]), 0)
        self.assertEqual(ev.decoded("DTSTART"), when)
        self.assertEqual(str(ev["SUMMARY"]), f"Check-in with {pair.learner.name}")
        self.assertEqual(str(ev["ORGANIZER"]), "mailto:rapport@rapport.test")
        self.assertEqual(sorted(str(a) for a in ev["ATTENDEE"]),
                         sorted(f"mailto:{p.email}" for p in (pair.guide, pair.learner)))
        self.assertTrue(str(ev["URL"]).startswith(self.server.base + "/"), ev["URL"])
        _, lev = self.invitation_of(l)
        self.assertEqual((str(lev["UID"]), str(lev["SUMMARY"])),
                         (uid, f"Check-in with {pair.guide.name}"))
        # Once only.
        self.run_jobs()
        time.sleep(0.3)
        self.assertEqual(len(self.calendar_mails(pair.guide.email, 0)), 1)

        # Rescheduled: the same UID, a higher SEQUENCE, the new time, at once.
        later = when + dt.timedelta(days=2)
        got = self.checkin_outcome(ck["id"], pair.learner, "rescheduled", caused_by=pair.learner,
                                   new_scheduled_at=fmt_time(later))
        g2 = self.calendar_mails(pair.guide.email, 2)[1]
        method, ev = self.invitation_of(g2)
        self.assertEqual((method, str(ev["UID"]), int(ev["SEQUENCE"])), ("REQUEST", uid, 1))
        self.assertEqual(ev.decoded("DTSTART"), later)
        self.assertEqual(len(self.calendar_mails(pair.learner.email, 2)), 2)

        # Cancelled: METHOD:CANCEL for the same UID.
        self.checkin_outcome(got["rescheduled_to"], pair.guide, "cancelled", caused_by=pair.guide)
        g3 = self.calendar_mails(pair.guide.email, 3)[2]
        method, ev = self.invitation_of(g3)
        self.assertEqual((method, str(ev["UID"]), str(ev["STATUS"])), ("CANCEL", uid, "CANCELLED"))
        self.assertGreater(int(ev["SEQUENCE"]), 1)
        self.assertTrue(str(g3.msg["Subject"]).startswith("Cancelled: check-in with"))

    def feed(self, url, etag=None):
        headers = {"If-None-Match": etag} if etag else None
        return self.server.request("GET", url[len(self.server.base):], headers=headers)

    def test_the_calendar_feed_has_an_etag_a_secret_rotatable_url_and_stable_uids(self):
        pair = self.active_relationship()
        self.assertEqual(self.ok(self.get(f"{API}/me/calendar-feed", pair.learner)),
                         {"active": False})
        made = self.ok(self.post(f"{API}/me/calendar-feed", {}, pair.learner), 201)
        self.assertEqual(sorted(made), ["active", "created_at", "url"])
        url = made["url"]
        self.assertRegex(url, r"/api/v1/calendar\.ics\?key=[A-Za-z0-9_-]{43}$")
        when = self.now() + dt.timedelta(days=3)
        ck = self.schedule(pair, pair.guide, fmt_time(when))
        self.commit(pair, pair.guide, pair.learner, "QX-FEED-SECRET send the plan",
                    fmt_time(self.now() + dt.timedelta(days=5)))
        r = self.feed(url)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers["Content-Type"], "text/calendar; charset=utf-8")
        etag = r.headers["ETag"]
        self.assertRegex(etag, r'^"[0-9a-f]{32}"$')
        self.assertNotIn(b"QX-FEED-SECRET", r.body)
        method, events = ics_events(r.body)
        self.assertEqual(method, "PUBLISH")
        [cev] = [e for e in events if str(e["UID"]).startswith("checkin-")]
        self.assertEqual(str(cev["SUMMARY"]), f"Check-in with {pair.guide.name}")
        self.assertEqual((cev.decoded("DTSTART"), int(cev["SEQUENCE"])), (when, 0))
        [mev] = [e for e in events if str(e["UID"]).startswith("commitment-")]
        self.assertEqual(mev.decoded("DTSTART"), (self.now() + dt.timedelta(days=5)).date())
        self.assertEqual(str(mev["SUMMARY"]), f"Your commitment is due (with {pair.guide.name})")
        cal = icalendar.Calendar.from_ical(r.body)
        self.assertEqual(str(cal["X-WR-TIMEZONE"]), "UTC")
        # Unchanged: 304 without a body; the same ETag again.
        again = self.feed(url, etag)
        self.assertEqual((again.status, again.body), (304, b""))
        self.assertEqual(again.headers["ETag"], etag)
        # A reschedule: a new ETag, the same UID with a higher SEQUENCE.
        later = when + dt.timedelta(days=1)
        self.checkin_outcome(ck["id"], pair.guide, "rescheduled", caused_by=pair.guide,
                             new_scheduled_at=fmt_time(later))
        r2 = self.feed(url, etag)
        self.assertEqual(r2.status, 200)
        self.assertNotEqual(r2.headers["ETag"], etag)
        [cev2] = [e for e in ics_events(r2.body)[1] if str(e["UID"]).startswith("checkin-")]
        self.assertEqual((str(cev2["UID"]), int(cev2["SEQUENCE"])), (str(cev["UID"]), 1))
        self.assertEqual(cev2.decoded("DTSTART"), later)
        # Rotating makes a new URL and ends the old one; revoking ends it.
        url2 = self.ok(self.post(f"{API}/me/calendar-feed", {}, pair.learner), 201)["url"]
        self.assertNotEqual(url2, url)
        self.assertProblem(self.feed(url), 404, "no_feed")
        self.assertEqual(self.feed(url2).status, 200)
        self.assertEqual(self.delete(f"{API}/me/calendar-feed", pair.learner).status, 204)
        self.assertProblem(self.feed(url2), 404, "no_feed")
        self.assertProblem(self.delete(f"{API}/me/calendar-feed", pair.learner), 404, "no_feed")
        self.assertProblem(self.server.request("GET", f"{API}/calendar.ics?key=nonsense"),
                           404, "no_feed")
        self.assertProblem(self.server.request("GET", f"{API}/calendar.ics"), 404, "no_feed")


class Plaintext(MailCase):
    """No confidential text in any mail: a relationship with a marked text
    in every kind of confidential content (routes_table.World), then every
    mail Rapport writes about it and its people, each part decoded and
    searched for every marker. Building them opens no sealed text: the
    access log does not grow while the jobs write them."""

    def access_rows(self):
        return self.server.query("SELECT COUNT(*) FROM audit.access_log")[0][0]

    def jobs_opening_nothing(self):
        before = self.access_rows()
        self.run_jobs()
        self.assertEqual(self.access_rows(), before, "building mail opened sealed text")

    def test_no_mail_carries_any_confidential_text(self):
        from routes_table import World
        world = World(self, "MAILSECRET").build()
        pair = world.pair
        g, l = pair.guide, pair.learner
        start = self.now()
        ck = world.ids["checkin"][0]
        self.ok(self.put(f"{API}/me/mail-preferences",  # the guide's come in the digest
                         {"time_zone": "UTC", "off": [], "digest": True}, g))
        self.invite("plaintext.invitee@rapport.test", "Plain Invitee", pair.program_id)
        # former partners who both want long-term check-ins, none held yet:
        # their short pulse is due at the jobs' next run
        former = self.active_relationship(program_id=pair.program_id)
        self.ok(self.transition(former.rel_id, former.guide, "completed"))
        for who in (former.guide, former.learner):
            self.ok(self.put(f"{API}/relationships/{former.rel_id}/long-term", {"want": True},
                             who))
        self.assertEqual(self.post(f"{API}/password-reset", {"email": l.email}).status, 202)
        self.move_clock(start + dt.timedelta(hours=36), g, l)
        self.jobs_opening_nothing()  # the check-in's reminder
        self.sink.wait_for(l.email, 1)
        got = self.checkin_outcome(ck, g, "rescheduled", caused_by=g,
                                   new_scheduled_at=fmt_time(start + dt.timedelta(hours=60)))
        self.checkin_outcome(got["rescheduled_to"], l, "cancelled", caused_by=l)
        self.move_clock(start + dt.timedelta(hours=60), g, l)
        self.jobs_opening_nothing()  # the commitment due in 3 days
        self.move_clock(start + dt.timedelta(days=9, hours=12), g, l)
        self.jobs_opening_nothing()  # the amends due in 10 days, the open request
        monday = (self.now() + dt.timedelta(days=7 - self.now().weekday())).replace(
            hour=8, minute=0, second=0, microsecond=0)
        self.move_clock(monday, g, l)
        self.jobs_opening_nothing()  # the guide's weekly digest
        feed = self.ok(self.post(f"{API}/me/calendar-feed", {}, l), 201)["url"]
        feed_body = self.server.request("GET", feed[len(self.server.base):]).body
        kinds = {k for (k,) in self.server.query(
            "SELECT DISTINCT kind FROM outbox WHERE person_id IN (?, ?) OR to_email = ?",
            g.id, l.id, "plaintext.invitee@rapport.test")}
        self.assertLessEqual({"invitation", "password_reset", "checkin_reminder",
                              "commitment_due", "request_unanswered", "digest"}, kinds)
        # the 360 request's mails to its outside raters (World: its purpose
        # and the texts around it are marked), and the long-term check-in's
        kinds = {k for (k,) in self.server.query("SELECT DISTINCT kind FROM outbox")}
        self.assertLessEqual({"feedback360_request", "long_term_due"}, kinds)
        deadline = time.monotonic() + 20
        while self.server.query("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'")[0][0]:
            self.assertLess(time.monotonic(), deadline, "mail still waiting")
            time.sleep(0.1)
        markers = [t.split(" ")[2] for t in world.texts.values()]
        self.assertTrue(all(m.startswith("MAILSECRET-") for m in markers), markers)
        seen = 0
        for mail in self.sink.messages:
            texts = [str(v) for _, v in mail.msg.items()]
            for part in mail.msg.walk():
                if not part.is_multipart():
                    texts.append(part.get_content())
            blob = "\n".join(texts)
            for m in markers:
                self.assertNotIn(m, blob, f"{m} in {mail!r}")
            self.assertNotIn("MAILSECRET", blob, mail)
            seen += 1
        self.assertGreaterEqual(seen, 8)
        self.assertNotIn(b"MAILSECRET", feed_body)


class Wishes(MailCase):
    """Preferences, quiet hours in the person's time zone, and the one-click
    unsubscribe of RFC 8058, on the fixed clock."""

    PREFS = f"{API}/me/mail-preferences"

    def test_preferences_are_kept_and_checked(self):
        who = self.person("Prefs Person")
        self.assertEqual(self.ok(self.get(self.PREFS, who)), {
            "time_zone": "UTC", "quiet_from": None, "quiet_to": None, "off": [],
            "kinds": ["checkin_reminder", "commitment_due", "request_unanswered",
                      "warning_raised", "pulse_due", "long_term_due"], "digest": False})
        bad = [({"time_zone": "Mars/Olympus", "off": []}, "/time_zone"),
               ({"time_zone": "../../etc/passwd", "off": []}, "/time_zone"),
               ({"time_zone": "UTC", "quiet_from": "25:00", "quiet_to": "07:00", "off": []},
                "/quiet_from"),
               ({"time_zone": "UTC", "quiet_from": "21:00", "off": []}, "/quiet_to"),
               ({"time_zone": "UTC", "off": ["invitation"]}, "/off/0")]
        for body, pointer in bad:
            with self.subTest(pointer=pointer), self.unchanged():
                self.assertProblem(self.put(self.PREFS, body, who), 422, pointer=pointer)
        body = {"time_zone": "Europe/Paris", "quiet_from": "21:30", "quiet_to": "07:00",
                "off": ["warning_raised"]}
        self.ok(self.put(self.PREFS, body, who))
        got = self.ok(self.get(self.PREFS, who))
        self.assertEqual({k: got[k] for k in body}, body)

    def test_quiet_hours_hold_mail_until_they_end_in_the_persons_time_zone(self):
        pair = self.active_relationship()
        l = pair.learner
        self.ok(self.put(self.PREFS, {"time_zone": "Asia/Tokyo", "quiet_from": "21:00",
                                      "quiet_to": "07:00", "off": []}, l))
        day = (self.now() + dt.timedelta(days=1)).date()
        evening = dt.datetime(day.year, day.month, day.day, 14, 30, tzinfo=dt.timezone.utc)
        self.move_clock(evening, pair.guide, l)  # 23:30 in Tokyo
        self.commit(pair, pair.guide, l, "a thing to do", fmt_time(evening + dt.timedelta(hours=10)))
        self.commit(pair, l, pair.guide, "another thing", fmt_time(evening + dt.timedelta(hours=10)))
        self.run_jobs()
        self.sink.wait_for(pair.guide.email)  # no quiet hours: at once
        morning = evening + dt.timedelta(hours=7, minutes=30)  # 07:00 in Tokyo
        [(state, _, _, _, next_at)] = self.outbox(l.email)
        self.assertEqual((state, next_at), ("waiting", int(morning.timestamp())))
        time.sleep(0.6)
        self.assertEqual(self.sink.to(l.email), [])
        self.move_clock(morning - dt.timedelta(minutes=1), pair.guide, l)
        time.sleep(0.6)
        self.assertEqual(self.sink.to(l.email), [])
        self.move_clock(morning, pair.guide, l)
        [mail] = self.sink.wait_for(l.email)
        self.assertEqual(str(mail.msg["Subject"]), "A commitment of yours is due tomorrow")

    def test_one_click_unsubscribe_turns_a_kind_off(self):
        pair = self.active_relationship()
        l = pair.learner
        self.commit(pair, pair.guide, l, "first", self.at(hours=5))
        self.run_jobs()
        [mail] = self.sink.wait_for(l.email)
        self.assertEqual(mail.msg["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        url = re.fullmatch(r"<(.+)>", mail.msg["List-Unsubscribe"]).group(1)
        self.assertTrue(url.startswith(self.server.base + "/api/v1/unsubscribe?"), url)
        path = url[len(self.server.base):]
        with self.unchanged():
            r = self.server.request("POST", path[:-1] + ("0" if path[-1] != "0" else "1"),
                                    raw="List-Unsubscribe=One-Click",
                                    content_type="application/x-www-form-urlencoded")
        self.assertProblem(r, 404, "no_subscription")
        r = self.server.request("POST", path, raw="List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"kind": "commitment_due", "subscribed": False})
        self.assertEqual(self.ok(self.get(self.PREFS, l))["off"], ["commitment_due"])
        self.commit(pair, pair.guide, l, "second", self.at(hours=6))
        self.run_jobs()
        time.sleep(0.6)
        self.assertEqual(len(self.sink.to(l.email)), 1)
        self.assertEqual(len(self.outbox(l.email)), 1)
        # Mail about the account itself has no unsubscribe.
        self.assertEqual(self.post(f"{API}/password-reset", {"email": l.email}).status, 202)
        reset = self.sink.wait_for(l.email, 2)[1]
        self.assertIsNone(reset.msg["List-Unsubscribe"])


class AgreementQuietHours(MailCase):
    """An agreement's plain quiet hours: checked, shown, and honoured for
    mail about that relationship in each recipient's time zone, the later
    of theirs and the person's own."""

    def test_quiet_hours_are_checked_and_shown(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        bad = [({"from": "25:00", "to": "08:00"}, "/quiet_hours/from"),
               ({"from": "19:00", "to": "8:00"}, "/quiet_hours/to"),
               ({"from": "19:00"}, "/quiet_hours/to"),
               ({"from": "19:00", "to": "19:00"}, "/quiet_hours"),
               ({"from": "19:00", "to": "08:00", "tz": "UTC"}, "/quiet_hours/tz"),
               ("19:00-08:00", "/quiet_hours")]
        for q, pointer in bad:
            with self.subTest(pointer=pointer, q=q), self.unchanged():
                body = {**AGREEMENT, "quiet_hours": q}
                self.assertProblem(self.put(f"{API}/relationships/{pair.rel_id}/agreement", body, g),
                                   422, pointer=pointer)
        v = self.put_agreement(pair, g, quiet_hours={"from": "19:00", "to": "08:00"})
        self.assertEqual(v["quiet_hours"], {"from": "19:00", "to": "08:00"})
        v2 = self.put_agreement(pair, g, quiet_hours=None)
        self.assertIsNone(v2["quiet_hours"])
        got = self.ok(self.get(f"{API}/relationships/{pair.rel_id}/agreement", l))
        self.assertIsNone(got["latest"]["quiet_hours"])

    def test_mail_about_the_relationship_waits_for_the_later_end(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        v = self.put_agreement(pair, g, quiet_hours={"from": "19:00", "to": "08:00"})
        self.acknowledge(pair, l, v["version"])
        # The learner's own quiet hours end at 07:00 in Tokyo; the
        # agreement's at 08:00 there: the later wins.
        self.ok(self.put(f"{API}/me/mail-preferences", {"time_zone": "Asia/Tokyo",
                         "quiet_from": "21:00", "quiet_to": "07:00", "off": []}, l))
        day = (self.now() + dt.timedelta(days=1)).date()
        evening = dt.datetime(day.year, day.month, day.day, 14, 30, tzinfo=dt.timezone.utc)
        self.move_clock(evening, g, l)  # 23:30 in Tokyo
        self.commit(pair, g, l, "QX-QUIET-SECRET", fmt_time(evening + dt.timedelta(hours=10)))
        self.commit(pair, l, g, "QX-QUIET-SECRET", fmt_time(evening + dt.timedelta(hours=10)))
        self.run_jobs()
        eight_tokyo = evening + dt.timedelta(hours=8, minutes=30)
        rows = self.server.query("SELECT person_id, next_at FROM outbox WHERE kind ="
                                 " 'commitment_due' AND person_id IN (?, ?)", g.id, l.id)
        # The guide (UTC, no quiet hours of their own): 14:30 UTC is not in
        # 19:00-08:00 UTC, so at once.
        self.assertEqual(sorted(rows), sorted([(g.id, 0), (l.id, int(eight_tokyo.timestamp()))]))
        self.move_clock(eight_tokyo - dt.timedelta(minutes=1), g, l)
        time.sleep(0.6)
        self.assertEqual(self.sink.to(l.email), [])
        self.move_clock(eight_tokyo, g, l)
        [mail] = self.sink.wait_for(l.email)
        self.assertEqual(str(mail.msg["Subject"]), "A commitment of yours is due tomorrow")

    def test_a_guide_in_the_agreements_quiet_hours_is_held_in_their_own_zone(self):
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        v = self.put_agreement(pair, g, quiet_hours={"from": "19:00", "to": "08:00"})
        self.acknowledge(pair, l, v["version"])
        day = (self.now() + dt.timedelta(days=1)).date()
        late = dt.datetime(day.year, day.month, day.day, 22, 0, tzinfo=dt.timezone.utc)
        self.move_clock(late, g, l)  # 22:00 UTC, the guide's zone
        self.commit(pair, l, g, "QX-QUIET-SECRET", fmt_time(late + dt.timedelta(hours=10)))
        self.run_jobs()
        [(next_at,)] = self.server.query("SELECT next_at FROM outbox WHERE kind = 'commitment_due'"
                                         " AND person_id = ?", g.id)
        self.assertEqual(next_at, int((late + dt.timedelta(hours=10)).timestamp()))  # 08:00
        # Mail about the account itself is never held.
        self.assertEqual(self.post(f"{API}/password-reset", {"email": g.email}).status, 202)
        self.sink.wait_for(g.email)


class Digest(MailCase):
    """The weekly digest instead of a mail for each notice: Monday 08:00 in
    the person's time zone, held to the end of their quiet hours, once a
    week, listing only what happened since the last one."""

    PREFS = f"{API}/me/mail-preferences"

    def digests(self, who):
        """(state, next_at) of each digest mail to who; and whether any
        other optional mail went to them."""
        rows = self.server.query("SELECT kind, state, next_at FROM outbox WHERE person_id = ?"
                                 " AND kind NOT IN ('invitation', 'password_reset') ORDER BY id",
                                 who.id)
        self.assertEqual({k for k, _, _ in rows} - {"digest"}, set(), rows)
        return [(st, at) for _, st, at in rows]

    def monday(self, tz, hour, minute=0, weeks=0):
        """The next Monday hour:minute in zone tz after the clock, in UTC."""
        from zoneinfo import ZoneInfo
        local = self.now().astimezone(ZoneInfo(tz))
        day = local.date() + dt.timedelta(days=(7 - local.weekday()) % 7 or 7, weeks=weeks)
        return dt.datetime(day.year, day.month, day.day, hour, minute,
                           tzinfo=ZoneInfo(tz)).astimezone(dt.timezone.utc)

    def test_a_weekly_digest_lists_the_notices_instead_of_a_mail_for_each(self):
        pair = self.active_relationship()
        l, g = pair.learner, pair.guide
        tz = "America/New_York"
        body = {"time_zone": tz, "quiet_from": "07:00", "quiet_to": "09:00", "off": [],
                "digest": True}
        self.ok(self.put(self.PREFS, body, l))
        self.assertIs(self.ok(self.get(self.PREFS, l))["digest"], True)
        self.assertProblem(self.put(self.PREFS, {**body, "digest": "yes"}, l), 422,
                           pointer="/digest")
        self.commit(pair, g, l, "QX-DIGEST-SECRET one", self.at(hours=5))
        self.commit(pair, l, g, "QX-DIGEST-SECRET two", self.at(hours=6))
        self.run_jobs()
        self.sink.wait_for(g.email)  # no digest wished: at once
        self.assertEqual(self.digests(l), [])  # listed, not mailed
        self.assertEqual(self.ok(self.get(f"{API}/me/notifications", l))["unread"], 1)
        first = self.monday(tz, 8)
        self.move_clock(first - dt.timedelta(minutes=1), g, l)
        self.run_jobs()
        self.assertEqual(self.digests(l), [])
        self.move_clock(first, g, l)
        self.run_jobs()
        self.assertEqual(self.digests(l),
                         [("waiting", int((first + dt.timedelta(hours=1)).timestamp()))])
        self.run_jobs()
        self.assertEqual(len(self.digests(l)), 1)  # once a week
        self.move_clock(first + dt.timedelta(hours=1), g, l)
        [mail] = self.sink.wait_for(l.email)
        self.assertEqual(str(mail.msg["Subject"]), "Your week in Rapport")
        self.assertIsNotNone(mail.msg["List-Unsubscribe"])
        text = mail.part("text/plain")
        self.assertIn("A commitment of yours is due tomorrow", text)
        html = mail.part("text/html")
        for path in ("/#/me/mail", f"/#/relationships/{pair.rel_id}/commitments"):
            self.assertIn(f"{self.server.base}{path}\r\n", text)
            self.assertIn(f'href="{self.server.base}{path}"', html)
        listed = text.count("\r\n- ")
        notices = self.server.query(
            "SELECT COUNT(*) FROM notifications WHERE person_id = ?", l.id)[0][0]
        self.assertEqual(listed, notices)
        self.assertNotIn("QX-DIGEST-SECRET", mail.msg.as_string())
        # The next week lists only what happened since.
        self.commit(pair, g, l, "QX-DIGEST-SECRET three", self.at(hours=5))
        self.run_jobs()
        second = self.monday(tz, 9, minute=30)
        self.move_clock(second, g, l)
        self.run_jobs()
        mails = self.sink.wait_for(l.email, 2)
        text = mails[1].part("text/plain")
        after = self.server.query("SELECT COUNT(*) FROM notifications WHERE person_id = ?",
                                  l.id)[0][0] - notices
        self.assertEqual(text.count("\r\n- "), after)
        self.assertGreaterEqual(after, 1)
        # Its one-click unsubscribe turns the digest off: a mail for each again.
        url = re.fullmatch(r"<(.+)>", mails[1].msg["List-Unsubscribe"]).group(1)
        r = self.server.request("POST", url[len(self.server.base):], raw="List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
        self.assertEqual(r.status, 200, r)
        self.assertIs(self.ok(self.get(self.PREFS, l))["digest"], False)


class Pulses(MailCase):

    def schedule(self, pair, who):
        return self.ok(self.get(f"{API}/relationships/{pair.rel_id}/pulse-schedule", who))

    def pulse_mails(self, who):
        return self.server.query("SELECT state, next_at FROM outbox WHERE person_id = ?"
                                 " AND kind = 'pulse_due'", who.id)

    def test_a_pulse_round_open_is_mailed_once_a_round_to_whoever_owes_it(self):
        from harness import parse_time
        pair = self.active_relationship()
        g, l = pair.guide, pair.learner
        due = parse_time(self.schedule(pair, l)["due_at"])
        self.move_clock(due - dt.timedelta(minutes=1), g, l)
        self.run_jobs()
        self.assertEqual((self.pulse_mails(g), self.pulse_mails(l)), ([], []))
        self.move_clock(due, g, l)
        self.assertIs(self.schedule(pair, l)["due"], True)
        self.run_jobs()
        self.run_jobs()
        self.assertEqual((len(self.pulse_mails(g)), len(self.pulse_mails(l))), (1, 1))
        rows = self.wait_row(l.email, lambda rows: all(r[0] == "sent" for r in rows))
        mail = [m for m in self.sink.wait_for(l.email, len(rows))
                if str(m.msg["Subject"]) == "Time for a pulse"]
        self.assertEqual(len(mail), 1)
        self.link_in(mail[0], "/")
        self.assertIn(f"/#/relationships/{pair.rel_id}/pulse", mail[0].part("text/plain"))
        self.assertIn(g.name, mail[0].part("text/plain"))
        # The learner answers: their next round is mailed when it comes;
        # the guide, who has not answered, is not mailed again.
        answers = {k: 4 for k in ("REL1", "REL2", "INT1", "INT2", "COM1", "EMP1", "EMP2")}
        self.ok(self.post(f"{API}/relationships/{pair.rel_id}/pulses",
                          {"answers": answers, "overall": 8}, l), 201)
        self.assertIs(self.schedule(pair, l)["due"], False)
        self.run_jobs()
        self.assertEqual(len(self.pulse_mails(l)), 1)
        self.move_clock(parse_time(self.schedule(pair, l)["due_at"]), g, l)
        self.run_jobs()
        self.assertEqual((len(self.pulse_mails(g)), len(self.pulse_mails(l))), (1, 2))
        kinds = self.ok(self.get(f"{API}/me/mail-preferences", l))["kinds"]
        self.assertIn("pulse_due", kinds)


class Devices(MailCase):
    """A sign-in from a device the account has not signed in from before is
    mailed to the account; never its first sign-in."""

    FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

    def device_mails(self, who):
        return self.server.query("SELECT COUNT(*) FROM outbox WHERE person_id = ?"
                                 " AND kind = 'new_device'", who.id)[0][0]

    def sign_in_from(self, who, device=None, agent=FIREFOX):
        headers = {"User-Agent": agent}
        if device:
            headers["Cookie"] = f"rapport_device={device}"
        r = self.server.request("POST", f"{API}/session",
                                {"email": who.email, "password": who.password}, headers=headers)
        self.assertEqual(r.status, 201, r)
        return device_cookie(r)

    def test_a_new_device_is_mailed_and_a_known_one_or_a_first_sign_in_is_not(self):
        who = self.person("Device Person")  # the first sign-in: no mail
        self.assertIsNotNone(who.device)
        self.sign_in(who)  # the same browser again
        self.assertEqual(self.device_mails(who), 0)
        other = self.sign_in_from(who)
        self.assertNotEqual(other, who.device)
        self.assertEqual(self.device_mails(who), 1)
        [mail] = self.sink.wait_for(who.email)
        self.assertEqual(str(mail.msg["Subject"]), "A new sign-in to your Rapport account")
        self.assertIn("(Firefox on Linux)", mail.part("text/plain"))
        self.assertIsNone(mail.msg["List-Unsubscribe"])
        self.link_in(mail, "/")
        self.assertIn("/#/me/sessions", mail.part("text/plain"))
        # The same cookie again is that device: no mail; the cookie stays.
        self.assertEqual(self.sign_in_from(who, other), other)
        self.assertEqual(self.device_mails(who), 1)
        # A cookie that is not one of ours is a new device; nothing the
        # client sent reaches the mail.
        forged = self.sign_in_from(who, "not-a-token", agent="<b>EVILAGENT</b> Firefox/1 CrOS")
        self.assertNotIn(forged, (None, "not-a-token"))
        [_, mail] = self.sink.wait_for(who.email, 2)
        self.assertIn("(Firefox on ChromeOS)", mail.part("text/plain"))
        self.assertNotIn("EVILAGENT", mail.msg.as_string())
        # Kept as keyed hashes, never the cookie itself.
        hashes = [bytes(h) for (h,) in self.server.query(
            "SELECT token_hash FROM devices WHERE person_id = ?", who.id)]
        self.assertEqual(len(hashes), 3)
        for c in (who.device, other, forged):
            self.assertFalse(any(c.encode() in h for h in hashes))
        # A browser another account used is still the first sign-in of a
        # new account: no mail.
        fresh = self.person("Fresh Person", sign_in=False)
        self.sign_in_from(fresh, other)
        self.assertEqual(self.device_mails(fresh), 0)
        # A device unseen for over 400 days is forgotten: a sign-in from it
        # is mailed again.
        self.move_clock(self.now() + dt.timedelta(days=401), who)
        self.assertEqual(self.device_mails(who), 2)
        self.sign_in_from(who, other)
        self.assertEqual(self.device_mails(who), 3)


    def mail_with_subject(self, email, subject, n):
        """The n-th mail to email with that subject, once it arrived."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            got = [m for m in self.sink.to(email) if str(m.msg["Subject"]) == subject]
            if len(got) >= n:
                return got[n - 1]
            time.sleep(0.05)
        self.fail(f"{email} did not receive {n} mails {subject!r}")

    def test_an_invitation_link_and_a_reset_link_sign_in_through_the_same_device_record(self):
        email = "device.invitee@rapport.test"
        person_id = self.invite(email, "Device Invitee")
        [mail] = self.sink.wait_for(email)
        token = urllib.parse.urlsplit(self.link_in(mail, "/invitation")).fragment
        r = self.server.request("POST", f"{API}/invitations/accept",
                                {"token": token, "password": NEW_PASSWORD},
                                headers={"User-Agent": self.FIREFOX})
        self.assertEqual(r.status, 201, r)
        who = types.SimpleNamespace(id=person_id, email=email, password=NEW_PASSWORD)
        # Setting the password through the link is the account's first
        # sign-in: its browser is recorded, with a cookie, and not mailed.
        first = device_cookie(r)
        self.assertIsNotNone(first)
        self.assertEqual(self.device_mails(who), 0)
        self.assertEqual(self.server.query(
            "SELECT family FROM devices WHERE person_id = ?", person_id), [("Firefox on Linux",)])
        # The same browser signing in with the password is known...
        self.assertEqual(self.sign_in_from(who, first), first)
        self.assertEqual(self.device_mails(who), 0)
        # ...and another one is new.
        second = self.sign_in_from(who, agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) "
                                   "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
                                   "Safari/605.1.15")
        self.assertNotEqual(second, first)
        self.assertEqual(self.device_mails(who), 1)
        # A reset link followed in a browser the account never used is a
        # sign-in from a new device too; followed in a known one, it is not.
        for n, (device, mails) in enumerate(((None, 2), (second, 2)), 1):
            self.ok(self.post(f"{API}/password-reset", {"email": email}), 202)
            reset = self.mail_with_subject(email, "Choose a new Rapport password", n)
            token = urllib.parse.urlsplit(self.link_in(reset, "/reset")).fragment
            headers = {"User-Agent": self.FIREFOX}
            if device:
                headers["Cookie"] = f"rapport_device={device}"
            r = self.server.request("POST", f"{API}/invitations/accept",
                                    {"token": token, "password": NEW_PASSWORD}, headers=headers)
            self.assertEqual(r.status, 201, r)
            if device:
                self.assertEqual(device_cookie(r), device)
            self.assertEqual(self.device_mails(who), mails)
        self.assertEqual(self.server.query(
            "SELECT COUNT(*) FROM devices WHERE person_id = ?", person_id), [(3,)])


class Notifications(MailCase):

    def test_the_same_events_are_listed_in_rapport_with_an_unread_count(self):
        pair = self.active_relationship()
        l, g = pair.learner, pair.guide
        self.ok(self.put(f"{API}/me/mail-preferences",
                         {"time_zone": "UTC", "off": ["commitment_due"]}, l))
        self.commit(pair, g, l, "QX-NOTIFY-SECRET one", self.at(hours=5))
        self.commit(pair, g, l, "QX-NOTIFY-SECRET two", self.at(hours=6))
        self.run_jobs()
        page = self.ok(self.get(f"{API}/me/notifications", l))
        self.assertEqual(page["unread"], 2)
        self.assertEqual(len(page["items"]), 2)
        first = page["items"][0]
        self.assertEqual(sorted(first), ["at", "id", "kind", "link", "read", "title"])
        self.assertEqual((first["kind"], first["title"], first["read"]),
                         ("commitment_due", "A commitment of yours is due tomorrow", False))
        self.assertEqual(first["link"], f"/#/relationships/{pair.rel_id}/commitments")
        self.assertNotIn("QX-NOTIFY-SECRET", self.get(f"{API}/me/notifications", l).body.decode())
        self.assertEqual(self.outbox(l.email), [])  # mail turned off, the list kept
        # Another person's notification is not found; one's own is marked read.
        with self.unchanged():
            self.assertProblem(self.post(f"{API}/me/notifications/{first['id']}/read", {}, g), 404)
        self.assertEqual(self.post(f"{API}/me/notifications/{first['id']}/read", {}, l).status, 204)
        self.assertEqual(self.ok(self.get(f"{API}/me/notifications", l))["unread"], 1)
        self.assertEqual(self.ok(self.post(f"{API}/me/notifications/read", {}, l)), {"marked": 1})
        page = self.ok(self.get(f"{API}/me/notifications?limit=1", l))
        self.assertEqual((page["unread"], len(page["items"]), page["items"][0]["read"]), (0, 1, True))
        self.assertIsNotNone(page["next"])
