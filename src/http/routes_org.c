/* routes_org.c: single sign-on, roster imports and program exports.
 *
 *   GET  /api/v1/sso/providers               -> {items: [{id, name}], next: null}
 *   POST /api/v1/sso/providers               {name, issuer, client_id, client_secret?,
 *                                             redirect_uri, domains: [..]} -> 201 provider
 *   GET  /api/v1/sso/providers/{id}          -> provider (site admins; never its secret)
 *   DELETE /api/v1/sso/providers/{id}        -> 204 (site admins; its links go with it)
 *   POST /api/v1/sso/providers/{id}/begin    -> {authorization_url}; sets the rapport_sso cookie
 *   POST /api/v1/sso/providers/{id}/confirm  {back?} -> {authorization_url}; sets the rapport_sso cookie
 *                                            (signed in: the password re-check through the
 *                                            provider, prompt=login and max_age=0)
 *   POST /api/v1/sso/callback                {code, state} (+ the rapport_sso cookie)
 *                                            -> 201 {token, csrf_token, person}, or
 *                                               202 {link_required: true, link_token, email},
 *                                               or, for a re-check (with its session),
 *                                               200 {confirmed_until, back}
 *   POST /api/v1/sso/link                    {link_token, password} -> 201 session
 *   PUT  /api/v1/me/sso-only                 {sso_only} -> {sso_only}
 *   GET  /api/v1/me/sso                      -> {password, sso_only, providers: [{id, name,
 *                                               linked_at}]}
 *   POST /api/v1/programs/{id}/roster        text/csv; ?apply=true to apply, else a dry run
 *   GET  /api/v1/programs/{id}/exports/members.csv        (and relationships.csv,
 *                                                          counts.csv, health.csv)
 *
 * Exports are CSV (RFC 4180, UTF-8, CRLF) with a header line. A text cell
 * that a spreadsheet would run as a formula (starting with =, +, -, @, a
 * tab or a CR) is written with a leading apostrophe (OWASP "CSV
 * injection"); names are the only such cells.
 */
#include "http/http.h"
#include "domain/csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SSO_COOKIE "rapport_sso"
#define EXPORT_MAX (64u << 20)

/* ---- single sign-on ---- */

static rp_rc providers_list(http_req *r, rp_err *e) {
  store_oidc_provider *items;
  size_t n;
  rp_rc rc = app_sso_providers(&r->app, &items, &n, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(arr, json_pack("{s:I, s:s}", "id", (json_int_t)items[i].id, "name",
                                         items[i].name));
  r->out = jt_page(arr, 0);
  return RP_OK;
}

static json_t *render_provider(arena *a, const store_oidc_provider *p) {
  json_t *domains = json_array();
  char *d = arena_strdup(a, p->domains);
  for (char *save = NULL, *t = d; t; t = save) {
    save = strchr(t, ',');
    if (save) *save++ = '\0';
    json_array_append_new(domains, json_string(t));
  }
  return json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:o, s:o}", "id", (json_int_t)p->id, "name",
                   p->name, "issuer", p->issuer, "client_id", p->client_id, "confidential",
                   p->client_secret_ct.len > 0, "redirect_uri", p->redirect_uri, "domains", domains,
                   "created_at", jt_time(p->created_at));
}

static rp_rc provider_add(http_req *r, rp_err *e) {
  static const char *const fields[] = {"name",         "issuer",  "client_id", "client_secret",
                                       "redirect_uri", "domains", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  app_sso_provider_in in = {0};
  in.name = jin_text(&j, "name", true, 100);
  in.issuer = jin_text(&j, "issuer", true, 500);
  in.client_id = jin_text(&j, "client_id", true, 200);
  in.client_secret = jin_text(&j, "client_secret", false, 500);
  in.redirect_uri = jin_text(&j, "redirect_uri", true, 500);
  json_t *domains = jin_array(&j, "domains", true, 32);
  if (domains) {
    in.domains = arena_zalloc(r->app.a, (json_array_size(domains) + 1) * sizeof *in.domains);
    size_t i;
    json_t *v;
    json_array_foreach(domains, i, v) {
      const char *s = json_string_value(v);
      if (!s || strlen(s) > 253)
        rp_field(e, arena_printf(r->app.a, "/domains/%zu", i), "Give a domain such as example.org.");
      else
        in.domains[in.ndomains++] = s;
    }
  }
  if (e->rc) return e->rc;
  store_oidc_provider p;
  rp_rc rc = app_sso_provider_add(&r->app, &in, &p, e);
  if (rc) return rc;
  r->status = 201;
  r->out = render_provider(r->app.a, &p);
  return RP_OK;
}

static rp_rc provider_get(http_req *r, rp_err *e) {
  store_oidc_provider p;
  rp_rc rc = app_sso_provider_get(&r->app, r->id[0], &p, e);
  if (!rc) r->out = render_provider(r->app.a, &p);
  return rc;
}

static rp_rc provider_delete(http_req *r, rp_err *e) {
  return app_sso_provider_delete(&r->app, r->id[0], e);
}

/* The authorization URL, and the state in a cookie for the callback. */
static rp_rc flow_begun(http_req *r, const char *url, const char *state) {
  bool https = r->app.env && r->app.env->https;
  r->set_cookie = arena_printf(r->app.a,
                               SSO_COOKIE "=%s; Path=/api/v1/sso/callback; Max-Age=600;%s HttpOnly;"
                                          " SameSite=Lax",
                               state, https ? " Secure;" : "");
  r->out = json_pack("{s:s}", "authorization_url", url);
  return RP_OK;
}

static rp_rc sso_begin(http_req *r, rp_err *e) {
  const char *url, *state;
  rp_rc rc = app_sso_begin(&r->app, r->id[0], &url, &state, e);
  return rc ? rc : flow_begun(r, url, state);
}

static rp_rc sso_confirm(http_req *r, rp_err *e) {
  static const char *const fields[] = {"back", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *back = jin_text(&j, "back", false, 200);
  if (e->rc) return e->rc;
  const char *url, *state;
  rp_rc rc = app_sso_recheck_begin(&r->app, r->id[0], back, &url, &state, e);
  return rc ? rc : flow_begun(r, url, state);
}

static rp_rc me_sso_get(http_req *r, rp_err *e) {
  app_sso_me_info m;
  rp_rc rc = app_sso_me(&r->app, &m, e);
  if (rc) return rc;
  json_t *providers = json_array();
  for (size_t i = 0; i < m.nlinks; i++)
    json_array_append_new(providers, json_pack("{s:I, s:s, s:o}", "id",
                                               (json_int_t)m.links[i].provider_id, "name",
                                               m.links[i].provider_name, "linked_at",
                                               jt_time(m.links[i].linked_at)));
  r->out = json_pack("{s:b, s:b, s:o}", "password", m.password, "sso_only", m.sso_only,
                     "providers", providers);
  return RP_OK;
}

static rp_rc sso_callback(http_req *r, rp_err *e) {
  static const char *const fields[] = {"code", "state", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *code = jin_text(&j, "code", true, 2048);
  const char *state = jin_text(&j, "state", true, 64);
  if (e->rc == RP_ERR_INVALID && (!code || !state)) { /* a missing state is a refused sign-in */
    memset(e, 0, sizeof *e);
    return rp_fail(e, RP_ERR_AUTH, "sso_state",
                   "This sign-in was not begun in this browser, or has been used; start again.");
  }
  if (e->rc) return e->rc;
  app_sso_result res;
  app_device dev = http_device(r);
  rp_rc rc = app_sso_callback(&r->app, code, state, http_cookie(r, SSO_COOKIE),
                              http_client_address(r), r->token, &dev, &res, e);
  if (rc) return rc;
  if (res.rechecked) { /* the session is confirmed; nobody new is signed in */
    r->out = json_pack("{s:o, s:o}", "confirmed_until", jt_time(res.confirmed_until), "back",
                       jt_str(res.back));
    return RP_OK;
  }
  if (!res.signed_in) {
    r->status = 202;
    r->out = json_pack("{s:b, s:s, s:s}", "link_required", 1, "link_token", res.link_token,
                       "email", res.email);
    return RP_OK;
  }
  http_signed_in(r, &res.session);
  return RP_OK;
}

static rp_rc sso_link(http_req *r, rp_err *e) {
  static const char *const fields[] = {"link_token", "password", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  const char *token = jin_text(&j, "link_token", true, 64);
  const char *password = jin_text(&j, "password", true, 1024);
  if (e->rc) return e->rc;
  app_session s;
  app_device dev = http_device(r);
  rp_rc rc =
      app_sso_link(&r->app, token, password, http_client_address(r), r->token, &dev, &s, e);
  if (rc) return rc;
  http_signed_in(r, &s);
  return RP_OK;
}

static rp_rc sso_only_put(http_req *r, rp_err *e) {
  static const char *const fields[] = {"sso_only", NULL};
  jin j;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  bool on = false;
  jin_bool(&j, "sso_only", true, &on);
  if (e->rc) return e->rc;
  rp_rc rc = app_sso_only_set(&r->app, on, e);
  if (rc) return rc;
  r->out = json_pack("{s:b}", "sso_only", on);
  return RP_OK;
}

/* ---- roster ---- */

static rp_rc roster_import(http_req *r, rp_err *e) {
  const char *apply = http_query(r, "apply");
  if (apply && strcmp(apply, "true") != 0 && strcmp(apply, "false") != 0)
    return rp_fail(e, RP_ERR_MALFORMED, "bad_query", "apply is true or false.");
  bool doit = apply && strcmp(apply, "true") == 0;
  app_roster_report rep;
  rp_rc rc = app_roster_import(&r->app, r->id[0], r->upload, r->upload_len, doit, &rep, e);
  if (rc) return rc;
  json_t *counts = json_object();
  for (int a = 0; a < ROSTER_NACTION; a++)
    json_object_set_new(counts, app_roster_action_name((app_roster_action)a),
                        json_integer((json_int_t)rep.counts[a]));
  json_t *cols = json_array(), *rows = json_array();
  for (size_t i = 0; i < rep.ncolumns; i++)
    json_array_append_new(cols, json_pack("{s:s, s:s}", "name", rep.columns[i].name, "status",
                                          rep.columns[i].status));
  for (size_t i = 0; i < rep.nrows; i++) {
    const app_roster_row *x = &rep.rows[i];
    json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:s, s:o}", "line", (json_int_t)x->line,
                          "email", jt_str(x->email), "name", jt_str(x->name), "role",
                          jt_str(x->role), "action", app_roster_action_name(x->action), "code",
                          jt_str(x->code), "detail", x->detail ? x->detail : "", "person_id",
                          jt_id(x->person_id));
    json_array_append_new(rows, o);
  }
  r->out = json_pack("{s:I, s:b, s:o, s:o, s:o}", "program_id", (json_int_t)r->id[0], "applied",
                     rep.applied, "counts", counts, "columns", cols, "rows", rows);
  return RP_OK;
}

/* ---- exports ---- */

/* A text cell, defused for spreadsheets (see the top of this file). */
static void put_text(strbuf *b, bool first, const char *s) {
  if (!s) s = "";
  if (strchr("=+-@\t\r", s[0]) && s[0]) {
    size_t n = strlen(s);
    char *x = malloc(n + 2);
    if (!x) abort();
    x[0] = '\'';
    memcpy(x + 1, s, n + 1);
    csv_put(b, first, x, n + 1);
    free(x);
    return;
  }
  csv_put(b, first, s, strlen(s));
}

static void put_int(strbuf *b, int64_t v) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
  csv_put(b, false, buf, (size_t)n);
}

static void put_time(strbuf *b, rp_time t) {
  char buf[40];
  if (t == 0) {
    csv_put(b, false, "", 0);
    return;
  }
  rp_time_format(t, buf);
  csv_put(b, false, buf, strlen(buf));
}

static void put_header(strbuf *b, const char *const *names) {
  for (size_t i = 0; names[i]; i++) csv_put(b, i == 0, names[i], strlen(names[i]));
  csv_end_row(b);
}

static void export_members(strbuf *b, const app_program_export *x) {
  static const char *const h[] = {"person_id", "email", "name", "role", "since", NULL};
  put_header(b, h);
  for (size_t i = 0; i < x->nmembers; i++) {
    const store_member *m = &x->members[i];
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)m->who.id);
    csv_put(b, true, id, strlen(id));
    put_text(b, false, m->who.email);
    put_text(b, false, m->who.name);
    put_text(b, false, member_role_name(m->role));
    put_time(b, m->since);
    csv_end_row(b);
  }
}

static void export_relationships(strbuf *b, const app_program_export *x) {
  static const char *const h[] = {"relationship_id", "guide_id", "learner_id", "state",
                                  "proposed_at", "state_since", NULL};
  put_header(b, h);
  for (size_t i = 0; i < x->nrels; i++) {
    const relationship *rel = &x->rels[i];
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)rel->id);
    csv_put(b, true, id, strlen(id));
    put_int(b, rel->guide_id);
    put_int(b, rel->learner_id);
    put_text(b, false, rel_state_name(rel->state));
    put_time(b, rel->proposed_at);
    put_time(b, rel->state_since);
    csv_end_row(b);
  }
}

static void export_counts(strbuf *b, const app_program_export *x) {
  static const char *const h[] = {"what", "group", "count", NULL};
  put_header(b, h);
  for (size_t i = 0; i < x->ncounts; i++) {
    put_text(b, true, x->counts[i].what);
    put_text(b, false, x->counts[i].group);
    put_int(b, x->counts[i].n);
    csv_end_row(b);
  }
}

/* One figure of the health export: shown with its value and units, or
 * empty with the reason it is suppressed. */
static void health_row(strbuf *b, const app_health_group *g, const char *figure,
                       const app_health_cell *c, double value, double unit) {
  char id[24], v[40];
  snprintf(id, sizeof id, "%lld", (long long)g->id);
  put_text(b, true, g->is_program ? "program" : "guide");
  csv_put(b, false, id, strlen(id));
  put_text(b, false, g->name);
  put_text(b, false, figure);
  if (c->hidden) {
    csv_put(b, false, "", 0);
    csv_put(b, false, "", 0);
    put_text(b, false, app_health_reason_text(c->hidden));
  } else {
    int n = snprintf(v, sizeof v, "%.2f", round(value / unit) * unit);
    csv_put(b, false, v, (size_t)n);
    put_int(b, (int64_t)c->units);
    put_text(b, false, "shown");
  }
  csv_end_row(b);
}

static void export_health(strbuf *b, const app_program_export *x) {
  static const char *const h[] = {"group", "group_id", "group_name", "figure", "value", "units",
                                  "status", NULL};
  put_header(b, h);
  for (size_t i = 0; i < x->health.ngroups; i++) {
    const app_health_group *g = &x->health.groups[i];
    const app_health_cell *c = g->cell;
    health_row(b, g, "trust_index_mean", &c[HEALTH_TRUST_INDEX], c[HEALTH_TRUST_INDEX].value, 0.1);
    health_row(b, g, "trust_index_median", &c[HEALTH_TRUST_INDEX], g->index_median, 0.1);
    for (int k = 0; k < TRUST_W_COUNT; k++) {
      char figure[64];
      snprintf(figure, sizeof figure, "warning_share_%s", trust_warn_name((trust_warn_code)k));
      health_row(b, g, figure, &c[HEALTH_WARNINGS], g->warning_share[k], 0.01);
    }
    health_row(b, g, "cadence_adherence", &c[HEALTH_CADENCE], c[HEALTH_CADENCE].value, 0.01);
    health_row(b, g, "follow_through", &c[HEALTH_FOLLOW], c[HEALTH_FOLLOW].value, 0.01);
    health_row(b, g, "pulse_mean", &c[HEALTH_PULSE], c[HEALTH_PULSE].value, 0.01);
    for (int k = 0; k < APP_HEALTH_NITEM; k++)
      health_row(b, g, trust_pulse_item_name((trust_pulse_item)k), &c[HEALTH_ITEM0 + k],
                 c[HEALTH_ITEM0 + k].value, 0.01);
  }
}

static rp_rc export_kind(http_req *r, app_export_kind kind, rp_err *e) {
  app_program_export x;
  rp_rc rc = app_program_export_take(&r->app, r->id[0], kind, &x, e);
  if (rc) return rc;
  strbuf b;
  sb_init(&b, EXPORT_MAX);
  switch (kind) {
  case EXPORT_MEMBERS: export_members(&b, &x); break;
  case EXPORT_RELATIONSHIPS: export_relationships(&b, &x); break;
  case EXPORT_COUNTS: export_counts(&b, &x); break;
  case EXPORT_HEALTH: export_health(&b, &x); break;
  }
  if (b.failed || !b.data) {
    sb_free(&b);
    return rp_fail(e, RP_ERR_TOO_LARGE, "export_too_large", "The export is too large.");
  }
  char day[40];
  rp_time_format(x.at, day);
  day[10] = '\0';
  r->out_text = b.data; /* the server frees it */
  r->out_type = "text/csv; charset=utf-8";
  r->disposition = arena_printf(r->app.a, "attachment; filename=\"program-%lld-%s-%s.csv\"",
                                (long long)r->id[0], app_export_kind_name(kind), day);
  return RP_OK;
}

static rp_rc export_members_get(http_req *r, rp_err *e) { return export_kind(r, EXPORT_MEMBERS, e); }
static rp_rc export_rels_get(http_req *r, rp_err *e) { return export_kind(r, EXPORT_RELATIONSHIPS, e); }
static rp_rc export_counts_get(http_req *r, rp_err *e) { return export_kind(r, EXPORT_COUNTS, e); }
static rp_rc export_health_get(http_req *r, rp_err *e) { return export_kind(r, EXPORT_HEALTH, e); }

const http_route http_routes_org[] = {
    {"GET", "/api/v1/sso/providers", providers_list, HTTP_PUBLIC,
     {.summary = "The single sign-on providers people may sign in with.", .status = 200, .answer = HTTP_PAGE_OF("{id:id name:str}")}},
    {"POST", "/api/v1/sso/providers", provider_add, HTTP_SIGNED_IN,
     {.summary = "Adds a single sign-on provider (site admins).", .body = "{name:str issuer:str client_id:str client_secret?:str redirect_uri:str domains:[str]}", .status = 201, .answer = "{id:id name:str issuer:str client_id:str confidential:bool redirect_uri:str domains:[str] created_at:time?}", .problems = "409"}},
    {"GET", "/api/v1/sso/providers/{id}", provider_get, HTTP_SIGNED_IN,
     {.summary = "A single sign-on provider (site admins).", .status = 200, .answer = "{id:id name:str issuer:str client_id:str confidential:bool redirect_uri:str domains:[str] created_at:time?}"}},
    {"DELETE", "/api/v1/sso/providers/{id}", provider_delete, HTTP_SIGNED_IN,
     {.summary = "Removes a single sign-on provider and its sign-ins (site admins).", .status = 204}},
    {"POST", "/api/v1/sso/providers/{id}/begin", sso_begin, HTTP_PUBLIC,
     {.summary = "Begins a sign-in through a provider: the address to send the browser to, with PKCE, state and nonce.", .status = 200, .answer = "{authorization_url:str}", .problems = "503"}},
    {"POST", "/api/v1/sso/callback", sso_callback, HTTP_PUBLIC,
     {.summary = "Completes a sign-in with the provider's code and state: a session, or (202) a link to make with the account's password once; or (200) completes a re-check begun by the session that sends it, which is then confirmed as by its password.", .body = "{code:str state:str}", .status = 201, .answer = "Session", .also = 202, .also_answer = "{link_required:bool link_token:str email:str}", .also2 = 200, .also2_answer = "{confirmed_until:time back:str?}", .problems = "401 429 503"}},
    {"POST", "/api/v1/sso/providers/{id}/confirm", sso_confirm, HTTP_SIGNED_IN,
     {.summary = "Begins the password re-check through a provider the caller's account is linked to: the address to send the browser to, asking the provider to sign the person in again (prompt=login, max_age=0); the callback then confirms this session for five minutes and hands back `back`, the client's page to return to (404 for a provider the caller is not linked to).", .body = "{back?:str}", .status = 200, .answer = "{authorization_url:str}", .problems = "503"}},
    {"GET", "/api/v1/me/sso", me_sso_get, HTTP_SIGNED_IN,
     {.summary = "How the caller signs in: with a password or not, only through single sign-on or not, and the providers their account is linked to (for the re-check).", .status = 200, .answer = "{password:bool sso_only:bool providers:[{id:id name:str linked_at:time}]}"}},
    {"POST", "/api/v1/sso/link", sso_link, HTTP_PUBLIC,
     {.summary = "Links a provider's sign-in to an account that has a password, with that password once.", .body = "{link_token:str password:str}", .status = 201, .answer = "Session", .problems = "401 429"}},
    {"PUT", "/api/v1/me/sso-only", sso_only_put, HTTP_SIGNED_IN,
     {.summary = "Sets whether the caller's account signs in only through its provider.", .body = "{sso_only:bool}", .status = 200, .answer = "{sso_only:bool}", .problems = "409"}},
    {"POST", "/api/v1/programs/{id}/roster", roster_import, HTTP_SIGNED_IN,
     {.summary = "Imports a roster (an RFC 4180 CSV body, text/csv): a dry run row by row, or with ?apply=true the import itself.", .problems = "422", .query = "{apply?:str}", .status = 200, .answer = "{program_id:id applied:bool counts:<int> columns:[{name:str status:str}] rows:[{line:int email:str? name:str? role:str? action:str code:str? detail:str person_id:id?}]}"}},
    {"GET", "/api/v1/programs/{id}/exports/members.csv", export_members_get, HTTP_EXPORTS_TEXT,
     {.summary = "A program export as CSV (program admins; an entry in their access log).", .status = 200, .answer = "str", .media = "text/csv"}},
    {"GET", "/api/v1/programs/{id}/exports/relationships.csv", export_rels_get, HTTP_EXPORTS_TEXT,
     {.summary = "A program export as CSV (program admins; an entry in their access log).", .status = 200, .answer = "str", .media = "text/csv"}},
    {"GET", "/api/v1/programs/{id}/exports/counts.csv", export_counts_get, HTTP_EXPORTS_TEXT,
     {.summary = "A program export as CSV (program admins; an entry in their access log).", .status = 200, .answer = "str", .media = "text/csv"}},
    {"GET", "/api/v1/programs/{id}/exports/health.csv", export_health_get, HTTP_EXPORTS_TEXT,
     {.summary = "A program export as CSV (program admins; an entry in their access log).", .status = 200, .answer = "str", .media = "text/csv"}},
    {0},
};

const http_upload_route http_uploads[] = {
    {"POST", "/api/v1/programs/{id}/roster", APP_ROSTER_BYTES_MAX},
    {NULL, NULL, 0},
};
