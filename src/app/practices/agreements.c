/* agreements.c: writing, acknowledging and reading agreement versions.
 *
 * The free text of a version is sealed as one JSON document with author id
 * 0, so that either party can open it whoever wrote the version; the plain
 * columns (cadence, reply window, planned end) feed the trust engine.
 */
#include "app/practices/agreements.h"
#include "app/privacy/privacy.h"

#include <string.h>

static rp_rc check_state(const relationship *r, rp_err *e) {
  if (rel_allows_agreement(r->state)) return RP_OK;
  return rp_fail(e, RP_ERR_CONFLICT, "relationship_state",
                 "The agreement of a relationship that is %s cannot change.",
                 rel_state_name(r->state));
}

/* The day (since 1970-01-01) that contains t. */
static int32_t day_of(rp_time t) {
  rp_time d = t / RP_DAY;
  if (t % RP_DAY < 0) d--;
  return (int32_t)d;
}

/* Opens a stored version into out; in_force is the version in force (0 if
 * none). */
static rp_rc view(app_ctx *c, const store_agreement *ag, int in_force, app_agreement *out,
                  rp_err *e) {
  memset(out, 0, sizeof *out);
  out->version = ag->version;
  out->author_id = ag->author_id;
  out->created_at = ag->created_at;
  out->terms.cadence_days = ag->cadence_days;
  out->terms.reply_window_hours = ag->reply_window_hours;
  out->terms.ends_on = ag->ends_on;
  out->terms.has_quiet_hours = ag->quiet_from >= 0 && ag->quiet_to >= 0;
  out->terms.quiet_from = ag->quiet_from;
  out->terms.quiet_to = ag->quiet_to;
  memcpy(out->acked_by, ag->acked_by, sizeof out->acked_by);
  out->nacked = ag->nacked;
  out->in_force = ag->version == in_force;
  seal_ad ad = {SEAL_AGREEMENT, ag->relationship_id, ag->id, 0, false};
  const char *doc;
  rp_rc rc = app_open(c, &ad, ag->body, &doc, e);
  if (!rc && !agreement_body_decode(doc, c->a, &out->terms))
    rc = rp_fail(e, RP_ERR_INTERNAL, "sealed_text_damaged", "Stored agreement text cannot be read.");
  return rc;
}

/* Reads and opens version `version` of rel_id, in_force being the version
 * in force. */
static rp_rc open_version(app_ctx *c, int64_t rel_id, int version, int in_force,
                          app_agreement *out, rp_err *e) {
  store_agreement ag;
  rp_rc rc = store_agreement_get(c->st, rel_id, version, c->a, &ag, e);
  if (!rc) rc = view(c, &ag, in_force, out, e);
  return rc;
}

/* open_version as things stand after a change. */
static rp_rc reload(app_ctx *c, int64_t rel_id, int version, app_agreement *out, rp_err *e) {
  int latest = 0, in_force = 0;
  rp_rc rc = store_agreement_versions(c->st, rel_id, &latest, &in_force, e);
  if (!rc) rc = open_version(c, rel_id, version, in_force, out, e);
  return rc;
}

/* Encodes the free text of t into *doc (in the arena). */
static rp_rc encode_terms(app_ctx *c, const agreement_terms *t, const char **doc, rp_err *e) {
  *doc = agreement_body_encode(t, c->a);
  if (!*doc) {
    rp_field(e, "", "Agreement text must be valid UTF-8.");
    return RP_ERR_INVALID;
  }
  return RP_OK;
}

rp_rc app_agreement_put(app_ctx *c, int64_t rel_id, const agreement_terms *t, const rp_time *at,
                        app_agreement *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  app_seal_ahead(c, &(seal_ad){.relationship_id = rel_id}); /* its key: no trip of its own */
  relationship r;
  rel_role role;
  rp_time when = c->now;
  int latest = 0, in_force = 0;
  store_agreement ag = {0};
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = check_state(&r, e);
  if (!rc) rc = store_agreement_versions(c->st, rel_id, &latest, &in_force, e);
  store_agreement prev = {0};
  if (!rc && latest) rc = store_agreement_get(c->st, rel_id, latest, c->a, &prev, e);
  if (!rc)
    rc = app_event_time_since(c, &r, at, prev.created_at, "the previous version was written",
                              &when, e);
  if (!rc) rc = agreement_terms_check(t, day_of(when), e);
  const char *doc = NULL;
  if (!rc) rc = encode_terms(c, t, &doc, e);
  if (!rc) {
    ag.body = APP_SEAL_PENDING; /* sealed into the row once it has its id */
    ag.relationship_id = rel_id;
    ag.version = latest + 1;
    ag.author_id = c->actor;
    ag.created_at = when;
    ag.cadence_days = t->cadence_days;
    ag.reply_window_hours = t->reply_window_hours;
    ag.ends_on = t->ends_on;
    ag.quiet_from = t->has_quiet_hours ? t->quiet_from : -1;
    ag.quiet_to = t->has_quiet_hours ? t->quiet_to : -1;
    rc = store_agreement_insert(c->st, &ag, e);
  }
  if (!rc) {
    seal_ad ad = {SEAL_AGREEMENT, rel_id, ag.id, 0, false};
    rc = app_seal_row(c, &ad, doc, strlen(doc), &ag.body, e);
  }
  if (!rc) rc = store_agreement_ack(c->st, ag.id, c->actor, when, e);
  if (!rc) rc = app_event(c, rel_id, "agreement_version", ag.id, when, NULL, NULL, NULL, e);
  if (!rc) rc = reload(c, rel_id, ag.version, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_agreement_acknowledge(app_ctx *c, int64_t rel_id, int version, const rp_time *at,
                                app_agreement *out, rp_err *e) {
  rp_rc rc = store_begin_write_rel(c->st, rel_id, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  rp_time when = c->now;
  int latest = 0, in_force = 0;
  bool puts_in_force = false;
  store_agreement ag = {0};
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = check_state(&r, e);
  if (!rc) rc = app_event_time(c, &r, at, &when, e);
  if (!rc) rc = store_agreement_versions(c->st, rel_id, &latest, &in_force, e);
  if (!rc && version >= 1 && version <= latest)
    rc = store_agreement_get(c->st, rel_id, version, c->a, &ag, e);
  if (!rc)
    rc = agreement_ack_check(&r, c->actor, version, latest, ag.acked_by, ag.nacked,
                             &puts_in_force, e);
  if (!rc)
    rc = app_event_time_since(c, &r, at, ag.created_at, "the version was written", &when, e);
  if (!rc) rc = store_agreement_ack(c->st, ag.id, c->actor, when, e);
  if (!rc) rc = app_event(c, rel_id, "agreement_acknowledged", ag.id, when, NULL, NULL, NULL, e);
  if (!rc && puts_in_force)
    rc = app_event(c, rel_id, "agreement_in_force", ag.id, when, NULL, NULL, NULL, e);
  if (!rc) rc = reload(c, rel_id, version, out, e);
  return app_finish(c, rc, e);
}

rp_rc app_agreement_get(app_ctx *c, int64_t rel_id, app_agreement_state *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  int latest = 0, in_force = 0;
  app_agreement *v = arena_zalloc(c->a, 2 * sizeof *v);
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = store_agreement_versions(c->st, rel_id, &latest, &in_force, e);
  if (!rc && latest) rc = open_version(c, rel_id, latest, in_force, &v[0], e);
  if (!rc && in_force && in_force != latest)
    rc = open_version(c, rel_id, in_force, in_force, &v[1], e);
  if (!rc) {
    out->latest = latest ? &v[0] : NULL;
    out->in_force = !in_force ? NULL : in_force == latest ? &v[0] : &v[1];
  }
  store_rollback(c->st); /* a read: nothing to commit */
  return rc;
}

rp_rc app_agreement_versions(app_ctx *c, int64_t rel_id, int64_t after, int limit,
                             app_agreement **items, size_t *n, int64_t *next, rp_err *e) {
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  relationship r;
  rel_role role;
  int latest = 0, in_force = 0;
  store_agreement *rows = NULL;
  *n = 0;
  rc = app_rel_load(c, rel_id, APP_NEED_PARTY, &r, &role, e);
  if (!rc) rc = store_agreement_versions(c->st, rel_id, &latest, &in_force, e);
  if (!rc)
    rc = store_agreements_list(c->st, rel_id, after, app_page_limit(limit), c->a, &rows, n, next,
                               e);
  app_agreement *v = arena_zalloc(c->a, sizeof *v * (*n ? *n : 1));
  for (size_t i = 0; !rc && i < *n; i++) rc = view(c, &rows[i], in_force, &v[i], e);
  *items = v;
  store_rollback(c->st);
  return rc;
}
