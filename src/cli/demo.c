/* demo.c: `rapport demo`, a realistic sample of Rapport in use.
 *
 * Two programs (mentoring every two weeks, coaching every week), ten guides,
 * thirty learners, and twenty relationships in every state with six months
 * of history entered through the same app/ actions the API uses (each with
 * `at` in the past). Active pairs follow one of six profiles, so the demo
 * shows both what healthy looks like and what slipping trust looks like:
 *
 *   healthy          on-time check-ins, commitments kept or renegotiated early,
 *                    prompt replies, balanced feedback both ways, goals rising,
 *                    complete SMART goals (the others leave gaps in theirs)
 *   late_canceller   the guide cancels late and misses check-ins lately
 *   silent_misser    the learner lets commitments lapse without a word
 *   critic           the guide's feedback is criticism aimed at the person
 *   one_way          slow replies from the guide, feedback from the guide only
 *   fading           no check-in for the last eight weeks
 *
 * Healthy pairs show no early warning at all; each struggling profile shows
 * its own (tests/api/test_demo_warnings.py). Two peer circles, twelve weeks
 * old: "Thesis Writers" (mentoring) thrives, and in "New Managers"
 * (coaching) one member has missed the last four check-ins, so a drift
 * warning is shown to them and, without their name, to the facilitator.
 * After it: Tomás Herrera and Ravi Patel, whose relationship completed, are
 * alumni in the mentoring directory with long-term check-ins every 60 days
 * (their own cadence) and one held; Maya Cohen, a former learner of the
 * coaching program, pays it forward as a guide there; and Leo Martin has
 * two 360 feedback requests, one closed with its report and one open with
 * two answers in and an outside rater mailed a link. A pseudo-random generator with
 * a fixed seed makes the history the same shape on every run (the times
 * follow the day it runs). Every demo person signs in with the password
 * DEMO_PASSWORD; running the command again on a demo database only prints
 * the sign-in details.
 */
#include "cli/cli.h"
#include "app/alumni/alumni.h"
#include "app/circles/circles.h"
#include "app/feedback360/feedback360.h"
#include "app/practices/practices.h"
#include "app/trust/trust.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO_PASSWORD "rapport-demo"
#define DEMO_ADMIN "admin@rapport.demo"
#define NGUIDES 10
#define NLEARNERS 30
#define HISTORY_DAYS 182

typedef enum profile {
  P_HEALTHY,
  P_LATE_CANCELLER,
  P_SILENT_MISSER,
  P_CRITIC,
  P_ONE_WAY,
  P_FADING
} profile;

/* How a relationship's story ends, relative to the demo's "now". */
typedef enum ending {
  END_ACTIVE,
  END_PAUSED,
  END_COMPLETED,
  END_ALUMNI,
  END_ENDED
} ending;

typedef struct demo {
  app_env env;
  app_ctx c;
  rp_err e;
  uint64_t rng;
  int64_t admin;
  int64_t guides[NGUIDES], learners[NLEARNERS];
  int64_t mentoring, coaching;
} demo;

/* The people of the demo (fictional). */
static const char *const guide_names[NGUIDES] = {
    "Amara Okafor", "Daniel Weiss",  "Priya Raman",  "Tomás Herrera", "Mei Chen",
    "Jonas Berg",   "Fatima Haddad", "Grace Mensah", "Lukas Novak",   "Sofia Rossi"};
static const char *const learner_names[NLEARNERS] = {
    "Leo Martin",    "Nadia Karim",   "Sam Porter",     "Yuki Tanaka",   "Ines Duarte",
    "Omar Farouk",   "Hannah Lee",    "Ravi Patel",     "Chloe Dubois",  "Ethan Brooks",
    "Zara Ahmed",    "Mateo Silva",   "Aisha Bello",    "Noah Fischer",  "Lina Haddad",
    "Kofi Asante",   "Emma Larsen",   "Diego Morales",  "Sara Lindqvist", "Ivan Petrov",
    "Maya Cohen",    "Lucas Moreau",  "Amelia Wright",  "Arjun Mehta",   "Elif Yilmaz",
    "Jack Murphy",   "Nora Jensen",   "Tariq Hussain",  "Clara Vogel",   "Ben Adeyemi"};

/* ---- small helpers ---- */

static uint64_t rnd(demo *d) {
  d->rng ^= d->rng << 13;
  d->rng ^= d->rng >> 7;
  d->rng ^= d->rng << 17;
  return d->rng;
}

/* True with probability pct / 100. */
static bool chance(demo *d, int pct) { return (int)(rnd(d) % 100) < pct; }
static int64_t upto(demo *d, int64_t n) { return n > 0 ? (int64_t)(rnd(d) % (uint64_t)n) : 0; }

static void as(demo *d, int64_t who) {
  d->c.actor = who;
  d->c.site_admin = who == d->admin;
  arena_reset(d->c.a);
}

/* Stops the demo on the first failure: a demo that half-worked is not one. */
static void need(demo *d, rp_rc rc, const char *what) {
  if (!rc) return;
  cli_fail(what, &d->e);
  exit(1);
}

static char *email_of(const char *name, char *buf, size_t n) {
  size_t k = 0;
  for (const char *p = name; *p && k + 1 < n; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch == ' ') buf[k++] = '.';
    else if (ch >= 'A' && ch <= 'Z') buf[k++] = (char)(ch - 'A' + 'a');
    else if ((ch >= 'a' && ch <= 'z')) buf[k++] = (char)ch;
    else if (ch >= 0x80 && (ch & 0xC0) == 0xC0) buf[k++] = 'a'; /* é, á: plain letter */
  }
  snprintf(buf + k, n - k, "@rapport.demo");
  return buf;
}

static int64_t add_person(demo *d, const char *name, bool site_admin) {
  char email[96];
  int64_t id = 0;
  as(d, 0);
  need(d, app_user_add(&d->c, site_admin ? DEMO_ADMIN : email_of(name, email, sizeof email), name,
                       DEMO_PASSWORD, site_admin, &id, &d->e),
       "cannot add a demo person");
  return id;
}

static void enroll(demo *d, int64_t program_id, int64_t who, const char *name, member_role role) {
  char email[96];
  app_enrolled out;
  as(d, d->admin);
  need(d, app_program_enroll(&d->c, program_id, email_of(name, email, sizeof email), name, role,
                             &out, &d->e),
       "cannot enroll a demo person");
  (void)who;
}

/* ---- the story of one relationship ---- */

typedef struct story {
  int64_t rel, guide, learner;
  int cadence;        /* days */
  rp_time start, end; /* the history runs from start to end */
  profile prof;
  int bad_meetings; /* meetings in the late canceller's bad phase so far */
  int64_t goals[3];
  int ngoals;
} story;

static void transition(demo *d, story *s, int64_t who, rel_state to, const char *reason,
                       rp_time at) {
  relationship r;
  as(d, who);
  need(d, app_relationship_transition(&d->c, s->rel, to, reason, &at, &r, &d->e),
       "cannot move a demo relationship");
}

static void agree(demo *d, story *s, bool learner_acknowledges) {
  static const char *const channels[] = {"video call", "chat"};
  agreement_terms t = {
      .purpose = "Grow as a people leader over the next six months: delegation, hard "
                 "conversations, and a clear plan for the next role.",
      .cadence_days = s->cadence,
      .channels = channels,
      .nchannels = 2,
      .reply_window_hours = 48,
      .confidentiality = "What we discuss stays between us. Exceptions: risk of harm to "
                         "anyone, or something the law requires us to report.",
      .boundaries = "No contact at weekends; either of us may pause the relationship.",
      .feedback_preferences = "Direct and specific, about the work, with an example.",
      .ends_on = AGREEMENT_NO_END};
  app_agreement ag;
  rp_time at = s->start + 3 * RP_DAY;
  as(d, s->guide);
  need(d, app_agreement_put(&d->c, s->rel, &t, &at, &ag, &d->e), "cannot write an agreement");
  if (!learner_acknowledges) return;
  at += RP_DAY;
  as(d, s->learner);
  need(d, app_agreement_acknowledge(&d->c, s->rel, ag.version, &at, &ag, &d->e),
       "cannot acknowledge an agreement");
}

static void set_goals(demo *d, story *s) {
  static const goal_text texts[] = {
      {.title = "Delegate the weekly reporting",
       .specific = "Hand the weekly report to two team members and coach them through it.",
       .measurable = "Reports go out on time for four weeks without my edits.",
       .achievable = "Both have asked for more responsibility.",
       .relevant = "Frees four hours a week for planning.",
       .levels = {"I still write the report", "I edit every report heavily",
                  "Reports on time with light edits", "No edits for four weeks",
                  "They improved the format themselves"}},
      {.title = "Hold one difficult conversation a month",
       .specific = "Raise performance concerns early, with examples, in a 1:1.",
       .measurable = "One conversation a month, prepared with the model we agreed.",
       .achievable = NULL,
       .relevant = "Avoided conversations are costing the team.",
       .levels = {"Avoided them all", "Held one, unprepared", "One a month, prepared",
                  "Two a month, prepared", "The team raises issues with me first"}},
      {.title = "Write a development plan for the next role",
       .specific = "A one-page plan with three skills and how to show them.",
       .measurable = NULL,
       .achievable = "With input from my manager.",
       .relevant = "Promotion round in the autumn.",
       .levels = {NULL, NULL, "A plan agreed with my manager", NULL, NULL}},
  };
  rp_time at = s->start + 7 * RP_DAY;
  as(d, s->learner);
  s->ngoals = 3;
  for (int i = 0; i < 3; i++) {
    app_goal_view gv;
    goal_text t = texts[i];
    if (s->prof == P_HEALTHY) { /* healthy pairs finish their SMART goals; others leave gaps */
      if (!t.achievable) t.achievable = "Two hours a week are set aside for it.";
      if (!t.measurable) t.measurable = "The plan is signed off by my manager by the end of June.";
    }
    need(d,
         app_goal_add(&d->c, s->rel, &t, (int32_t)((s->start / RP_DAY) + HISTORY_DAYS),
                      i == 0 ? 2.0 : 1.0, &at, &gv, &d->e),
         "cannot add a goal");
    s->goals[i] = gv.g.id;
  }
  as(d, s->guide);
  app_milestone_view mv;
  need(d, app_milestone_add(&d->c, s->goals[0], "First report delegated", &at, &mv, &d->e),
       "cannot add a milestone");
  if (s->prof == P_HEALTHY) {
    rp_time reached = s->start + 40 * RP_DAY;
    as(d, s->learner);
    need(d, app_milestone_reached(&d->c, mv.m.id, &reached, &mv, &d->e),
         "cannot reach a milestone");
  }
}

/* Whether `t` falls in the last `days` days of the story. */
static bool recent(const story *s, rp_time t, int days) { return s->end - t <= days * RP_DAY; }

static void checkin_at(demo *d, story *s, rp_time when) {
  checkin ck;
  rp_time created = when - 4 * RP_DAY;
  if (created < s->start + 2 * RP_DAY) created = s->start + 2 * RP_DAY;
  if (created > when) created = when;
  if (created > s->end) created = s->end;
  as(d, s->learner);
  need(d, app_checkin_schedule(&d->c, s->rel, when, &created, &ck, &d->e),
       "cannot schedule a check-in");
  if (when > s->end) return; /* the next check-in: still to come */
  app_checkin_report rep = {.outcome = CHECKIN_HELD};
  rp_time at = when + upto(d, 2) * RP_HOUR;
  bool bad_phase = recent(s, when, 56);
  if (s->prof == P_LATE_CANCELLER && bad_phase) {
    /* Lately the guide calls off every other meeting at short notice, and
     * once does not show up at all. */
    if (s->bad_meetings++ % 2 == 0) {
      rep.outcome = s->bad_meetings == 3 ? CHECKIN_NO_SHOW : CHECKIN_CANCELLED;
      rep.caused_by = s->guide;
      at = rep.outcome == CHECKIN_NO_SHOW ? when + RP_HOUR : when - (2 + upto(d, 10)) * RP_HOUR;
    }
  } else if (!(s->prof == P_HEALTHY && recent(s, when, 2 * s->cadence)) && chance(d, 6)) {
    rep.outcome = CHECKIN_MUTUAL_CANCEL; /* (a healthy pair keeps its last meetings) */
    at = when - 3 * RP_DAY;
  } else if (chance(d, 6)) {
    rep.outcome = CHECKIN_RESCHEDULED;
    rep.caused_by = chance(d, 50) ? s->guide : s->learner;
    rep.has_new_scheduled_at = true;
    rep.new_scheduled_at = when + 2 * RP_DAY;
    at = when - 3 * RP_DAY;
  } else if (chance(d, s->prof == P_HEALTHY ? 3 : 10)) {
    rep.caused_by = chance(d, 50) ? s->guide : s->learner; /* held, but days late */
    at = when + (int64_t)(s->cadence / 5 + 2) * RP_DAY;
  }
  if (at > s->end) at = s->end;
  if (at < created) at = created;
  rep.at = &at;
  as(d, s->guide);
  need(d, app_checkin_outcome(&d->c, ck.id, &rep, &ck, &d->e), "cannot record a check-in");
  if (rep.outcome == CHECKIN_RESCHEDULED && ck.rescheduled_to && rep.new_scheduled_at <= s->end) {
    app_checkin_report held = {.outcome = CHECKIN_HELD, .at = &rep.new_scheduled_at};
    need(d, app_checkin_outcome(&d->c, ck.rescheduled_to, &held, &ck, &d->e),
         "cannot record a rescheduled check-in");
  }
}

static const char *const commitment_texts[] = {
    "Send the draft delegation plan",      "Book the 1:1 with the new team lead",
    "Read the chapter on feedback models", "Share the agenda two days ahead",
    "Prepare examples for the hard conversation", "Ask the manager for the promotion criteria",
    "Send the article on coaching questions",     "Introduce Leo to the finance mentor"};

static void commitment_at(demo *d, story *s, rp_time made, int64_t owner) {
  app_commitment_view cv;
  rp_time due = made + (s->cadence - 1) * RP_DAY;
  as(d, owner);
  need(d,
       app_commitment_add(&d->c, s->rel, owner,
                          commitment_texts[upto(d, sizeof commitment_texts /
                                                       sizeof commitment_texts[0])],
                          due, &made, &cv, &d->e),
       "cannot add a commitment");
  if (due + RP_DAY > s->end) return; /* still open */
  bool lapses = s->prof == P_SILENT_MISSER && owner == s->learner && chance(d, 70);
  if (lapses) return; /* the server's job marks it broken, 24 h past due */
  rp_time at = due - upto(d, 3) * RP_DAY;
  if (at < made) at = made;
  if (s->prof == P_HEALTHY && chance(d, 12)) {
    rp_time new_due = due + 4 * RP_DAY, when = due - RP_DAY;
    if (when < made) when = made;
    need(d,
         app_commitment_outcome(&d->c, cv.cm.id, COMMITMENT_OUT_RENEGOTIATED, &new_due, &when,
                                &cv, &d->e),
         "cannot renegotiate a commitment");
    at = new_due - RP_DAY;
    if (at > s->end) return;
  } else if (chance(d, s->prof == P_SILENT_MISSER && owner == s->learner ? 15 : 4)) {
    at = due + (1 + upto(d, 3)) * RP_DAY; /* kept late */
    if (at > s->end) at = s->end;
  }
  commitment_outcome o = chance(d, 3) ? COMMITMENT_OUT_DROPPED : COMMITMENT_OUT_KEPT;
  need(d, app_commitment_outcome(&d->c, cv.cm.id, o, NULL, &at, &cv, &d->e),
       "cannot close a commitment");
}

static void request_at(demo *d, story *s, rp_time asked, bool learner_asks) {
  static const char *const texts[] = {
      "Could you look at my draft plan before Thursday?",
      "Do you have a template for the delegation conversation?",
      "Can we move next week's session to Wednesday?",
      "Could you send the reading you mentioned?"};
  app_request_view rv;
  int64_t asker = learner_asks ? s->learner : s->guide;
  int64_t replier = learner_asks ? s->guide : s->learner;
  as(d, asker);
  need(d, app_request_make(&d->c, s->rel, texts[upto(d, 4)], &asked, &rv, &d->e),
       "cannot make a request");
  int64_t hours = 2 + upto(d, 30);
  if (s->prof == P_ONE_WAY && !learner_asks) hours = 6;
  if (s->prof == P_ONE_WAY && learner_asks) hours = 60 + upto(d, 90);
  if (s->prof != P_HEALTHY && chance(d, 10)) hours = 100;
  rp_time at = asked + hours * RP_HOUR;
  if (at > s->end) return; /* not answered yet */
  as(d, replier);
  need(d, app_request_reply(&d->c, rv.q.id, "Yes, done. See the shared folder.", &at, &rv, &d->e),
       "cannot reply to a request");
}

static void feedback_at(demo *d, story *s, rp_time at, int64_t giver) {
  static const char *const recognition = "The way you prepared the team meeting was clear and "
                                         "calm; the agenda made the decision easy.";
  static const char *const constructive_task = "The plan would be stronger with dates for each "
                                               "step; right now it reads as intentions.";
  static const char *const constructive_person = "You come across as unprepared and you "
                                                 "never listen.";
  app_feedback_view fv;
  as(d, giver);
  if (s->prof == P_CRITIC && giver == s->guide) {
    need(d, app_feedback_give(&d->c, s->rel, FEEDBACK_CONSTRUCTIVE,
                              chance(d, 75) ? FOCUS_PERSON : FOCUS_TASK,
                              chance(d, 75) ? constructive_person : constructive_task, &at, &fv,
                              &d->e),
         "cannot give feedback");
    return;
  }
  if (giver == s->guide && chance(d, 20)) {
    need(d, app_feedback_give(&d->c, s->rel, FEEDBACK_ASK, FOCUS_NONE,
                              "How are our sessions working for you? What should I change?", &at,
                              &fv, &d->e),
         "cannot ask for feedback");
    return;
  }
  bool recog = chance(d, 55);
  need(d, app_feedback_give(&d->c, s->rel, recog ? FEEDBACK_RECOGNITION : FEEDBACK_CONSTRUCTIVE,
                            FOCUS_TASK, recog ? recognition : constructive_task, &at, &fv, &d->e),
       "cannot give feedback");
}

static void review_at(demo *d, story *s, rp_time at, int step) {
  goal_review_level lv[3];
  for (int i = 0; i < s->ngoals; i++) {
    /* Healthy pairs do better than expected, then much better; the others hover
     * at or below what they expected. */
    int level = s->prof == P_HEALTHY ? (step >= 2 ? 2 : 1) : (s->prof == P_FADING ? -1 : step % 2 - 1);
    lv[i].goal_id = s->goals[i];
    lv[i].level = level < -2 ? -2 : level > 2 ? 2 : level;
  }
  store_goal_review out;
  as(d, s->learner);
  need(d, app_goal_review_add(&d->c, s->rel, lv, (size_t)s->ngoals, &at, &out, &d->e),
       "cannot review goals");
}

/* One answer: `base`, sometimes one point higher (a rater is not a machine). */
static int answer(demo *d, int base) {
  int x = base + (chance(d, 30) ? 1 : 0);
  return x > 5 ? 5 : x < 1 ? 1 : x;
}

/* Both parties answer the pulse (TRUST-MODEL 3.7): items REL1, REL2, INT1,
 * INT2, COM1, EMP1, EMP2. Healthy pairs answer 4 and 5; each struggling
 * profile lowers the items its trouble touches, as the other party sees it. */
static void pulse_round(demo *d, story *s, rp_time at) {
  int about_guide[PULSE_NITEM] = {5, 4, 4, 5, 4, 4, 4};
  int about_learner[PULSE_NITEM] = {4, 4, 4, 5, 4, 4, 4};
  bool bad_phase = recent(s, at, 60);
  switch (s->prof) {
  case P_HEALTHY: break;
  case P_LATE_CANCELLER:
    if (bad_phase) about_guide[0] = about_guide[1] = 2;
    break;
  case P_SILENT_MISSER: about_learner[0] = 2; break;
  case P_CRITIC:
    if (bad_phase) about_guide[5] = about_guide[6] = 1;
    about_guide[2] = 3;
    break;
  case P_ONE_WAY: about_guide[1] = 2; about_guide[5] = 3; break;
  case P_FADING: about_guide[0] = about_learner[0] = 3; break;
  }
  pulse p;
  int answers[PULSE_NITEM];
  for (int i = 0; i < PULSE_NITEM; i++) answers[i] = answer(d, about_guide[i]);
  as(d, s->learner);
  need(d, app_pulse_answer(&d->c, s->rel, answers, s->prof == P_HEALTHY ? 8 : 6, &at, &p, &d->e),
       "cannot answer a pulse");
  rp_time later = at + 6 * RP_HOUR;
  for (int i = 0; i < PULSE_NITEM; i++) answers[i] = answer(d, about_learner[i]);
  as(d, s->guide);
  need(d, app_pulse_answer(&d->c, s->rel, answers, 8, &later, &p, &d->e),
       "cannot answer a pulse");
}

static void note_at(demo *d, story *s, rp_time at, int64_t author, bool shared) {
  app_note nv;
  const char *text = shared ? "Summary: we agreed to try the delegation script this week and "
                              "review how it went next session."
                            : "Private reflection: I notice I rush to advise. Ask one more "
                              "question before offering an answer.";
  as(d, author);
  need(d, app_note_add(&d->c, s->rel, shared ? NOTE_SHARED : NOTE_PRIVATE, text, &at, &nv, &d->e),
       "cannot add a note");
}

/* Six months (or until s->end) of a relationship lived by its profile;
 * a pair still meeting has its next check-in on the calendar. */
static void live(demo *d, story *s, bool upcoming) {
  agree(d, s, s->prof != P_CRITIC);
  set_goals(d, s);
  rp_time last_meeting = s->prof == P_FADING ? s->end - 56 * RP_DAY : s->end;
  int step = 0;
  for (rp_time t = s->start + 6 * RP_DAY; t + 3 * RP_DAY <= last_meeting;
       t += s->cadence * RP_DAY, step++) {
    checkin_at(d, s, t);
    commitment_at(d, s, t + RP_HOUR, s->learner);
    if (step % 2 == 0) commitment_at(d, s, t + 2 * RP_HOUR, s->guide);
    if (step % 2 == 1) request_at(d, s, t + RP_DAY, true);
    if (step % 4 == 2) request_at(d, s, t + 2 * RP_DAY, false);
    bool criticism_phase = s->prof == P_CRITIC && recent(s, t, 60);
    bool one_way_phase = s->prof == P_ONE_WAY && recent(s, t, 90); /* the guide talks, alone */
    if (step % 3 == 0 || criticism_phase || one_way_phase)
      feedback_at(d, s, t + 3 * RP_HOUR, s->guide);
    if (one_way_phase) { /* and more: ONE_WAY_FEEDBACK needs ten items in 90 days */
      feedback_at(d, s, t + RP_DAY + 3 * RP_HOUR, s->guide);
      feedback_at(d, s, t + 2 * RP_DAY + 3 * RP_HOUR, s->guide);
    }
    if (step % 3 == 1 && s->prof != P_ONE_WAY && s->prof != P_CRITIC)
      feedback_at(d, s, t + 4 * RP_HOUR, s->learner);
    if (step % 4 == 3) review_at(d, s, t + 5 * RP_HOUR, step / 4);
    if (step % (28 / s->cadence) == 1) pulse_round(d, s, t + RP_DAY + 2 * RP_HOUR);
    if (step % 5 == 0) note_at(d, s, t + 6 * RP_HOUR, s->guide, step % 10 == 0);
    if (step % 5 == 2) note_at(d, s, t + 6 * RP_HOUR, s->learner, step % 10 != 2);
  }
  if (upcoming && s->prof != P_FADING) checkin_at(d, s, s->end + 3 * RP_DAY);
}

/* Proposes, accepts and lives a relationship, then ends it as `ending` says. */
/* Matching in the mentoring program: five topics, a department attribute,
 * profiles for its guides (room for five learners each) and for the four
 * learners still without a guide (learners 11-14), so that the matcher,
 * suggestions and requests have something to work on. */
static void matching_profiles(demo *d) {
  static const char *const topics[] = {"Leadership", "Career growth", "Public speaking",
                                       "Data skills", "Negotiation"};
  static const char *const depts[] = {"Sales", "Engineering", "Finance", "Operations"};
  int64_t t[5], dept;
  as(d, d->admin);
  for (int i = 0; i < 5; i++)
    need(d, app_match_list_add(&d->c, d->mentoring, APP_MATCH_TOPICS, topics[i], &t[i], &d->e),
         "cannot add a topic");
  need(d, app_match_list_add(&d->c, d->mentoring, APP_MATCH_ATTRIBUTES, "department", &dept,
                             &d->e),
       "cannot add an attribute");
  static const char *en[] = {"en"};
  /* weekdays 9:00-12:00 UTC */
  store_match_window week[5];
  for (int k = 0; k < 5; k++) week[k] = (store_match_window){k * 1440 + 540, k * 1440 + 720};
  app_match_profile out;
  for (int i = 0; i < 5; i++) {
    int64_t offers[3] = {t[i], t[(i + 1) % 5], t[(i + 3) % 5]};
    store_match_attr_value v = {.attribute_id = dept, .value = depts[i % 4], .wish = "none"};
    app_match_profile_in in = {.has_languages = true, .languages = en, .nlanguages = 1,
                               .has_windows = true, .windows = week, .nwindows = 5,
                               .has_offers = true, .offers = offers, .noffers = 3,
                               .has_capacity = true, .capacity = 5, .has_attrs = true,
                               .attrs = &v, .nattrs = 1, .has_about = true,
                               .about = "Happy to help you find your own way."};
    as(d, d->guides[i]);
    need(d, app_match_profile_put(&d->c, d->mentoring, &in, &out, &d->e),
         "cannot write a guide's profile");
  }
  for (int i = 11; i < 15; i++) {
    int64_t wants[3] = {t[i % 5], t[(i + 2) % 5], t[(i + 4) % 5]};
    store_match_attr_value v = {.attribute_id = dept, .value = depts[i % 4],
                                .wish = i % 2 ? "different" : "none"};
    app_match_profile_in in = {.has_languages = true, .languages = en, .nlanguages = 1,
                               .has_windows = true, .windows = week, .nwindows = 5,
                               .has_wants = true, .wants = wants, .nwants = 3,
                               .has_attrs = true, .attrs = &v, .nattrs = 1};
    as(d, d->learners[i]);
    need(d, app_match_profile_put(&d->c, d->mentoring, &in, &out, &d->e),
         "cannot write a learner's profile");
  }
}

/* Former partners both in the program's alumni directory who both want
 * long-term check-ins from `at` (the relationship becomes alumni), agree a
 * cadence of 60 days (the learner proposes it) and hold the first one a
 * day later. */
static void long_term(demo *d, int64_t program_id, story *s, rp_time at) {
  rp_time was = d->c.now;
  app_long_term lt;
  app_alumnus_view av;
  static const char *const topics[2] = {"Finding a first research position; writing grant "
                                        "proposals",
                                        "Moving from engineering into product management"};
  int64_t who[2] = {s->guide, s->learner};
  d->c.now = at;
  for (int i = 0; i < 2; i++) {
    as(d, who[i]);
    need(d, app_long_term_want(&d->c, s->rel, true, &lt, &d->e),
         "cannot want long-term check-ins");
    app_alumni_consent consent = {true, true, i == 0, topics[i]};
    need(d, app_alumni_join(&d->c, program_id, &consent, &av, &d->e), "cannot join the alumni");
  }
  need(d, app_long_term_propose(&d->c, s->rel, 60, &lt, &d->e), "cannot propose a cadence");
  as(d, s->guide);
  need(d, app_long_term_agree(&d->c, s->rel, 60, &lt, &d->e), "cannot agree a cadence");
  d->c.now = at + RP_DAY;
  for (int i = 0; i < 2; i++) {
    int answers[PULSE_NITEM] = {0};
    int idx;
    static const char *const short_items[] = {"REL1", "INT1", "COM1", "EMP1"};
    for (int k = 0; k < 4; k++)
      if (pulse_item_parse(short_items[k], &idx)) answers[idx] = answer(d, 4);
    pulse out;
    as(d, who[i]);
    need(d, app_long_term_checkin(&d->c, s->rel, answers, 8, &out, &d->e),
         "cannot hold a long-term check-in");
  }
  d->c.now = was;
}

static void relationship_story(demo *d, int64_t program_id, int cadence, int g, int l,
                               profile prof, ending how, rp_time start, rp_time end) {
  story s = {.guide = d->guides[g], .learner = d->learners[l], .cadence = cadence,
             .start = start, .end = end, .prof = prof};
  relationship r;
  as(d, d->admin);
  need(d, app_relationship_propose(&d->c, program_id, s.guide, s.learner, &start, &r, &d->e),
       "cannot propose a demo relationship");
  s.rel = r.id;
  transition(d, &s, s.guide, REL_ACTIVE, NULL, start + RP_DAY);
  transition(d, &s, s.learner, REL_ACTIVE, NULL, start + 2 * RP_DAY);
  live(d, &s, how == END_ACTIVE);
  switch (how) {
  case END_ACTIVE: break;
  case END_PAUSED:
    transition(d, &s, s.learner, REL_PAUSED, "Parental leave for a month.", end + RP_HOUR);
    break;
  case END_COMPLETED:
    transition(d, &s, s.guide, REL_COMPLETED, "We reached the goals we set.", end + RP_DAY);
    break;
  case END_ALUMNI:
    transition(d, &s, s.guide, REL_COMPLETED, "We reached the goals we set.", end + RP_DAY);
    long_term(d, program_id, &s, end + 30 * RP_DAY);
    break;
  case END_ENDED:
    transition(d, &s, s.learner, REL_ENDED, "A new role leaves no time for the sessions.",
               end + RP_DAY);
    break;
  }
}


/* ---- circles ---- */

static const char *const circle_feedback_texts[] = {
    "Your summary of the chapter made the argument easy to follow.",
    "The plan you shared was clear; a date for each step would make it easier to track.",
    "Thank you for the reading list, it saved me a week.",
    "You asked exactly the question the rest of us were avoiding."};
static const char *const circle_request_texts[] = {
    "How do you keep writing time free when meetings pile up?",
    "Has anyone had a difficult conversation about workload that went well?",
    "Which tool do you use to keep track of sources?",
    "How do you prepare for a one-to-one with someone who is struggling?"};

/* One member's attendance in week k of a circle whose drifter (an index
 * into the members, -1 for none) stopped coming after week 8. */
static circle_attendance attendance_of_week(demo *d, int member, int drifter, int k) {
  if (member == drifter && k > 8) return CIRCLE_ABSENT_WITHOUT_NOTICE;
  return chance(d, 8) ? CIRCLE_LATE : CIRCLE_PRESENT;
}

/* A circle of the program's learners (indices) with a facilitator (a guide
 * index), twelve weeks of weekly check-ins ending a day before `now`,
 * played at their times (the circle's actions take the time of c.now). */
static void circle_story(demo *d, int64_t program_id, const char *name, const int *learners,
                         int n, int facilitator, int drifter, rp_time now) {
  rp_time start = now - 85 * RP_DAY;
  int64_t ids[CIRCLE_MAX_MEMBERS];
  for (int i = 0; i < n; i++) ids[i] = d->learners[learners[i]];
  int64_t fac = d->guides[facilitator];
  app_circle ci;
  d->c.now = start;
  as(d, d->admin);
  app_circle_form_in in = {program_id, name, 7, ids, (size_t)n, fac};
  need(d, app_circle_form(&d->c, &in, &ci, &d->e), "cannot form a circle");
  int64_t id = ci.c.id;
  for (int i = 0; i <= n; i++) {
    as(d, i < n ? ids[i] : fac);
    need(d, app_circle_accept(&d->c, id, &ci, &d->e), "cannot accept a circle");
  }
  app_circle_agreement ag;
  d->c.now = start + RP_DAY;
  as(d, fac);
  need(d, app_circle_agreement_put(&d->c, id,
                                   "We meet every week for an hour. What is said in the circle "
                                   "stays in the circle. Everyone speaks; nobody has to.",
                                   7, &ag, &d->e),
       "cannot write a circle agreement");
  for (int i = 0; i < n; i++) {
    as(d, ids[i]);
    need(d, app_circle_agreement_ack(&d->c, id, ag.version, &ag, &d->e),
         "cannot acknowledge a circle agreement");
  }
  for (int k = 1; k <= 12; k++) {
    rp_time t = start + k * 7 * RP_DAY;
    d->c.now = t + 2 * 3600;
    app_circle_mark marks[CIRCLE_MAX_MEMBERS];
    for (int i = 0; i < n; i++) marks[i] = (app_circle_mark){ids[i], attendance_of_week(d, i, drifter, k)};
    app_circle_checkin ck;
    as(d, fac);
    need(d, app_circle_checkin_add(&d->c, id, &t, marks, (size_t)n, &ck, &d->e),
         "cannot record a circle check-in");
    for (int i = 0; i < n; i++) {
      if (i == drifter && k > 8) continue;
      int to = (i + k) % n == i ? (i + 1) % n : (i + k) % n;
      app_circle_item_in fb = {CIRCLE_FEEDBACK, circle_feedback_texts[(i + k) % 4], ids[to], 0,
                               true, (k + i) % 3 ? "recognition" : "constructive", "task", 0, NULL};
      app_circle_item out;
      as(d, ids[i]);
      need(d, app_circle_item_add(&d->c, id, &fb, &out, &d->e), "cannot give circle feedback");
    }
    int asker = k % n;
    if (asker == drifter && k > 8) asker = (asker + 1) % n;
    app_circle_item_in q = {CIRCLE_REQUEST, circle_request_texts[k % 4], 0, 0, true, NULL, NULL,
                            0, NULL};
    app_circle_item req;
    as(d, ids[asker]);
    need(d, app_circle_item_add(&d->c, id, &q, &req, &d->e), "cannot ask the circle");
    d->c.now += 3600;
    for (int r = 1; r <= 2; r++) {
      int who = (asker + r) % n;
      if (who == drifter && k > 8) continue;
      app_circle_item_in rep = {CIRCLE_REPLY, "What helped me was blocking the time first and "
                                              "telling my team why.",
                                0, req.it.id, true, NULL, NULL, 0, NULL};
      app_circle_item out;
      as(d, ids[who]);
      need(d, app_circle_item_add(&d->c, 0, &rep, &out, &d->e), "cannot reply in a circle");
    }
    if (k % 4 == 0) {
      for (int i = 0; i < n; i++) {
        if (i == drifter && k > 8) continue;
        int answers[7];
        for (int a = 0; a < 7; a++) answers[a] = answer(d, 4);
        app_circle_pulse_view pv;
        as(d, ids[i]);
        need(d, app_circle_pulse_add(&d->c, id, answers, &pv, &d->e), "cannot rate a circle");
      }
    }
  }
  d->c.now = now;
}

/* ---- alumni paying it forward, and 360 feedback ---- */

/* A former learner of the coaching program joins its alumni network and
 * volunteers as a guide there. */
static void pay_it_forward(demo *d, int learner, rp_time at) {
  rp_time was = d->c.now;
  app_alumnus_view av;
  app_alumni_consent consent = {true, true, true, "Leading a team through a reorganisation"};
  d->c.now = at;
  as(d, d->learners[learner]);
  need(d, app_alumni_join(&d->c, d->coaching, &consent, &av, &d->e), "cannot join the alumni");
  need(d, app_alumni_volunteer(&d->c, d->coaching, &av, &d->e), "cannot pay it forward");
  d->c.now = was;
}

static const char *const f360_keep[] = {
    "You prepare every session and send the agenda beforehand.",
    "You follow up on what we agreed, every time.",
    "You listen before you suggest anything.",
    "You give credit to the team in public.",
    "You say clearly when you cannot take something on."};
static const char *const f360_change[] = {
    "Let others speak first in meetings.",
    "Ask for help earlier when a deadline slips.",
    "Share your reasoning, not only the decision.",
    "Say no to some requests instead of taking them all.",
    "Write down decisions so the team can find them."};

/* The demo learner's 360 requests in the mentoring program: one closed
 * with its report (five peers and a colleague answered), and one open,
 * with two answers in and an outside rater mailed a link. Their raters
 * are none of those the browser journeys ask. */
static void feedback360(demo *d, rp_time now) {
  rp_time was = d->c.now;
  int64_t leo = d->learners[0];
  static const int self[F360_NITEM] = {4, 3, 4, 5, 4, 3, 3};
  app_f360_view v;
  /* closed: learners 6-10 as peers, the guide Daniel Weiss as a colleague */
  app_f360_rater_in closed_raters[6] = {{0}};
  for (int i = 0; i < 5; i++) closed_raters[i] = (app_f360_rater_in){d->learners[6 + i], NULL, 0, true, F360_PEER};
  closed_raters[5] = (app_f360_rater_in){d->guides[1], NULL, 0, true, F360_COLLEAGUE};
  app_f360_new first = {d->mentoring, "Before my team lead interview: how do I come across "
                                      "when I work with others?",
                        now - 31 * RP_DAY, {0}, closed_raters, 6, NULL, 0};
  memcpy(first.self, self, sizeof self);
  d->c.now = now - 45 * RP_DAY;
  as(d, leo);
  need(d, app_f360_create(&d->c, &first, &v, &d->e), "cannot ask for 360 feedback");
  int64_t closed_id = v.row.id;
  for (int i = 0; i < 6; i++) {
    app_f360_answer_in a = {{0}, f360_keep[i % 5], f360_change[(i + 2) % 5], false};
    for (int k = 0; k < F360_NITEM; k++) a.ratings[k] = 2 + (int)upto(d, 4);
    d->c.now = now - (44 - 2 * i) * RP_DAY;
    as(d, closed_raters[i].person_id);
    need(d, app_f360_answer(&d->c, closed_id, &a, &d->e), "cannot answer a 360 request");
  }
  d->c.now = now - 32 * RP_DAY;
  as(d, leo);
  need(d, app_f360_close(&d->c, closed_id, &v, &d->e), "cannot close a 360 request");
  /* open: two learners and two guides of the program, and an outside rater */
  app_f360_rater_in open_raters[4] = {{d->learners[13], NULL, 0, true, F360_PEER},
                                      {d->learners[14], NULL, 0, true, F360_PEER},
                                      {d->guides[3], NULL, 0, true, F360_COLLEAGUE},
                                      {d->guides[4], NULL, 0, true, F360_COLLEAGUE}};
  app_f360_outside_in outside[1] = {{"former.manager@example.org", F360_COLLEAGUE}};
  app_f360_new second = {d->mentoring, "Six months into leading the team: what should I keep, "
                                       "and what should I change?",
                         now + 11 * RP_DAY, {0}, open_raters, 4, outside, 1};
  memcpy(second.self, self, sizeof self);
  d->c.now = now - 3 * RP_DAY;
  as(d, leo);
  need(d, app_f360_create(&d->c, &second, &v, &d->e), "cannot ask for 360 feedback");
  int64_t open_id = v.row.id;
  for (int i = 0; i < 2; i++) {
    app_f360_answer_in a = {{4, 4, 3, 5, 4, 3, 4}, f360_keep[(i + 3) % 5], f360_change[i], false};
    d->c.now = now - (2 - i) * RP_DAY;
    as(d, open_raters[i * 3].person_id);
    need(d, app_f360_answer(&d->c, open_id, &a, &d->e), "cannot answer a 360 request");
  }
  d->c.now = was;
}

static void fill(demo *d, rp_time now) {
  rp_time t0 = now - HISTORY_DAYS * RP_DAY;
  program p;
  program_settings ps;
  d->admin = add_person(d, "Rapport Administrator", true);
  for (int i = 0; i < NGUIDES; i++) d->guides[i] = add_person(d, guide_names[i], false);
  for (int i = 0; i < NLEARNERS; i++) d->learners[i] = add_person(d, learner_names[i], false);

  as(d, d->admin);
  program_settings_default(PROGRAM_MENTORING, &ps);
  rp_time founded = t0 - 14 * RP_DAY;
  need(d, app_program_create(&d->c, "Northwind Mentoring", PROGRAM_MENTORING, &ps, &founded, &p,
                             &d->e),
       "cannot create a program");
  d->mentoring = p.id;
  program_settings_default(PROGRAM_COACHING, &ps);
  need(d, app_program_create(&d->c, "Summit Leadership Coaching", PROGRAM_COACHING, &ps, &founded,
                             &p, &d->e),
       "cannot create a program");
  d->coaching = p.id;
  for (int i = 0; i < NGUIDES; i++)
    enroll(d, i < 5 ? d->mentoring : d->coaching, d->guides[i], guide_names[i], ROLE_GUIDE);
  for (int i = 0; i < NLEARNERS; i++)
    enroll(d, i < 15 ? d->mentoring : d->coaching, d->learners[i], learner_names[i],
           ROLE_LEARNER);

  /* Mentoring (guides 0-4, learners 0-14), every two weeks. */
  int64_t m = d->mentoring, c = d->coaching;
  relationship_story(d, m, 14, 0, 0, P_HEALTHY, END_ACTIVE, t0, now);
  relationship_story(d, m, 14, 0, 1, P_SILENT_MISSER, END_ACTIVE, t0 + 3 * RP_DAY, now);
  relationship_story(d, m, 14, 0, 2, P_FADING, END_ACTIVE, t0 + 5 * RP_DAY, now);
  relationship_story(d, m, 14, 1, 3, P_HEALTHY, END_ACTIVE, t0 + 8 * RP_DAY, now);
  relationship_story(d, m, 14, 1, 4, P_ONE_WAY, END_ACTIVE, t0 + 2 * RP_DAY, now);
  relationship_story(d, m, 14, 2, 5, P_HEALTHY, END_COMPLETED, t0, now - 20 * RP_DAY);
  relationship_story(d, m, 14, 2, 6, P_HEALTHY, END_PAUSED, t0 + 10 * RP_DAY, now - 25 * RP_DAY);
  relationship_story(d, m, 14, 3, 7, P_HEALTHY, END_ALUMNI, t0, now - 70 * RP_DAY);
  relationship_story(d, m, 14, 4, 8, P_HEALTHY, END_ENDED, t0 + 30 * RP_DAY, now - 90 * RP_DAY);

  /* Coaching (guides 5-9, learners 15-29), every week. */
  relationship_story(d, c, 7, 5, 15, P_HEALTHY, END_ACTIVE, t0, now);
  relationship_story(d, c, 7, 5, 16, P_LATE_CANCELLER, END_ACTIVE, t0 + 4 * RP_DAY, now);
  relationship_story(d, c, 7, 6, 17, P_CRITIC, END_ACTIVE, t0 + 6 * RP_DAY, now);
  relationship_story(d, c, 7, 6, 18, P_HEALTHY, END_ACTIVE, t0 + 9 * RP_DAY, now);
  relationship_story(d, c, 7, 7, 19, P_HEALTHY, END_ACTIVE, t0 + 1 * RP_DAY, now);
  relationship_story(d, c, 7, 8, 20, P_HEALTHY, END_COMPLETED, t0, now - 14 * RP_DAY);
  relationship_story(d, c, 7, 9, 21, P_HEALTHY, END_PAUSED, t0 + 12 * RP_DAY, now - 21 * RP_DAY);

  matching_profiles(d);
  /* Two circles: one thriving, one with a member drifting away. */
  static const int writers[] = {11, 12, 13, 14};
  static const int managers[] = {23, 24, 25, 26, 27};
  circle_story(d, m, "Thesis Writers", writers, 4, 4, -1, now);
  circle_story(d, c, "New Managers", managers, 5, 9, 4, now);
  pay_it_forward(d, 20, now - 10 * RP_DAY);
  feedback360(d, now);

  /* Proposals still open, and one declined. */
  relationship r;
  rp_time at = now - 3 * RP_DAY;
  as(d, d->admin);
  need(d, app_relationship_propose(&d->c, m, d->guides[3], d->learners[9], &at, &r, &d->e),
       "cannot propose");
  need(d, app_relationship_propose(&d->c, c, d->guides[7], d->learners[22], &at, &r, &d->e),
       "cannot propose");
  at += RP_DAY;
  as(d, d->guides[7]);
  need(d, app_relationship_transition(&d->c, r.id, REL_ACTIVE, NULL, &at, &r, &d->e),
       "cannot accept");
  at = now - 60 * RP_DAY;
  as(d, d->admin);
  need(d, app_relationship_propose(&d->c, m, d->guides[4], d->learners[10], &at, &r, &d->e),
       "cannot propose");
  at += 2 * RP_DAY;
  as(d, d->learners[10]);
  need(d, app_relationship_transition(&d->c, r.id, REL_DECLINED,
                                      "I would prefer a mentor outside my department.", &at, &r,
                                      &d->e),
       "cannot decline");

  /* Commitments left to lapse become broken the way the server does it. */
  int changed = 0;
  as(d, 0);
  need(d, app_jobs_run(&d->c, &changed, &d->e), "cannot run the jobs");
  /* Each event refreshed its relationship's warnings as it was recorded,
   * but against an unfinished history; now that the whole history is in,
   * every relationship is looked at once more (the daily job would). */
  need(d, app_warnings_refresh_all(&d->c, &changed, &d->e), "cannot refresh the warnings");
}

static void print_sign_in(const char *db) {
  char g[96], l[96];
  printf("\nRapport demo: %s\n"
         "  Sign in at http://127.0.0.1:8080 (or POST /api/v1/session) with password '%s':\n"
         "    program admin  %s\n"
         "    guide          %s  (one healthy, one struggling and one fading relationship)\n"
         "    learner        %s  (a healthy mentoring relationship)\n"
         "  Every demo person uses the same password; their addresses are first.last@rapport.demo.\n"
         "  Circles: %s facilitates a thriving one; %s facilitates one where %s has\n"
         "  stopped coming.\n"
         "  360 feedback: the learner has a report and an open request. Alumni: %s and %s\n"
         "  check in long-term; %s pays it forward as a guide.\n",
         db, DEMO_PASSWORD, DEMO_ADMIN, email_of(guide_names[0], g, sizeof g),
         email_of(learner_names[0], l, sizeof l), guide_names[4], guide_names[9],
         learner_names[27], guide_names[3], learner_names[7], learner_names[20]);
}

int cli_demo(int argc, char **argv) {
  cli_flag flags[] = {{"db", true, true, "the database file to create and fill", NULL},
                      {"key", true, false, "the key file (default: beside the database, .key)",
                       NULL},
                      {NULL, false, false, NULL, NULL}};
  bool help;
  if (!cli_parse("rapport demo --db FILE [--key FILE]", flags, argc, argv, &help))
    return help ? 0 : 2;
  const char *db = cli_get(flags, "db");
  bool existed = false;
  if (cli_db_exists(db, &existed)) return 1;
  keys *k = NULL;
  store *s = NULL;
  int rc = cli_load_keys(db, cli_get(flags, "key"), !existed, &k);
  if (!rc) rc = cli_open_store(db, k, &s);
  if (rc) {
    keys_free(k);
    return rc;
  }
  demo *d = rp_xcalloc(1, sizeof *d);
  d->env = app_env_default(k);
  d->c.env = &d->env;
  d->c.st = s;
  d->c.a = arena_new(65536);
  d->c.now = app_clock_now();
  d->rng = 0x9E3779B97F4A7C15ull;
  person who;
  rp_err probe = {0};
  bool has_demo = store_person_by_email(s, DEMO_ADMIN, d->c.a, &who, NULL, &probe) == RP_OK;
  if (existed && !has_demo) {
    fprintf(stderr, "rapport: %s already holds other data; the demo needs a new file\n", db);
    rc = 1;
  } else if (!has_demo) {
    printf("Creating the demo (about %d people, six months of history)...\n",
           1 + NGUIDES + NLEARNERS);
    fflush(stdout);
    fill(d, d->c.now);
  }
  if (!rc) print_sign_in(db);
  arena_free(d->c.a);
  free(d);
  store_close(s);
  keys_free(k);
  return rc;
}
