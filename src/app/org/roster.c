/* roster.c: importing a program's people from a CSV roster.
 *
 * The file is read whole (domain/csv.h), its header mapped to columns,
 * and each row decided against the database: create (nobody has the
 * address: a new account, invited as enrolling invites), update (the
 * account exists and takes the role), unchanged (it has the role
 * already), or refused with a reason. Rows are matched by folded e-mail
 * address, so a second import of the same file is all "unchanged". A
 * name in the file never renames an existing account: a person's name is
 * theirs. The dry run decides in a read transaction; applying decides
 * again and acts in one write transaction, so what it reports is what it
 * did. A later row with an address already seen is refused, naming the
 * line that has it.
 *
 * Columns besides email, name and role fill the person's matching profile
 * in the program (roster_profile.h): manager_email, time zone, languages
 * and topics (";"-separated lists) and any other column as one of the
 * program's attributes, created when the program lacks it.
 */
#include "app/org/org.h"
#include "app/org/roster_profile.h"
#include "domain/csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROSTER_FIELDS_MAX 64
#define ROSTER_FIELD_LEN_MAX 1000
typedef struct columns {
  int email, name, role; /* -1 when absent */
  size_t n;
  roster_profile_cols pc;
} columns;

const char *app_roster_action_name(app_roster_action a) {
  switch (a) {
  case ROSTER_CREATE: return "create";
  case ROSTER_UPDATE: return "update";
  case ROSTER_UNCHANGED: return "unchanged";
  case ROSTER_REFUSED: return "refused";
  }
  return "refused";
}

/* A header cell trimmed of spaces and folded to lower case, spaces and
 * hyphens as underscores ("Time zone" is time_zone). */
static char *header_name(arena *a, const csv_field *f) {
  const char *s = f->s;
  size_t len = f->len;
  while (len && (*s == ' ' || *s == '\t')) s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
  char *out = arena_strndup(a, s, len);
  for (char *p = out; *p; p++) {
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    else if (*p == ' ' || *p == '-') *p = '_';
  }
  return out;
}

static rp_rc bad_columns(rp_err *e, const char *detail) {
  rp_fail(e, RP_ERR_INVALID, "roster_columns", "%s", detail);
  rp_field(e, "", "%s", detail);
  return RP_ERR_INVALID;
}

/* Maps the header; RP_ERR_INVALID "roster_columns" when a required column
 * is missing or a column repeats. */
static rp_rc read_header(app_ctx *c, const csv_row *h, columns *col, app_roster_report *out,
                         rp_err *e) {
  col->email = col->name = col->role = -1;
  col->n = h->n;
  memset(&col->pc, 0, sizeof col->pc);
  col->pc.manager = col->pc.time_zone = col->pc.languages = col->pc.topics = -1;
  out->columns = arena_zalloc(c->a, h->n * sizeof *out->columns);
  out->ncolumns = h->n;
  for (size_t i = 0; i < h->n; i++) {
    char *name = header_name(c->a, &h->f[i]);
    for (size_t k = 0; k < i; k++)
      if (strcmp(header_name(c->a, &h->f[k]), name) == 0)
        return bad_columns(
            e, arena_printf(c->a, "The column \"%s\" appears twice in the header.", name));
    int *slot = strcmp(name, "email") == 0  ? &col->email
                : strcmp(name, "name") == 0 ? &col->name
                : strcmp(name, "role") == 0 ? &col->role
                                            : NULL;
    if (slot) *slot = (int)i;
    out->columns[i].name = h->f[i].s;
    out->columns[i].status = "imported";
    size_t nattr = col->pc.nattr;
    if (!slot && !roster_profile_column(&col->pc, name, h->f[i].s, (int)i))
      out->columns[i].status = "not imported: too many attribute columns";
    else if (col->pc.nattr > nattr)
      out->columns[i].status = "imported as an attribute, where the person has declared none";
  }
  if (col->email < 0 || col->name < 0 || col->role < 0)
    return bad_columns(e,
                       "The first line must name the columns, with at least email, name and role.");
  return RP_OK;
}

/* For finding repeated addresses: the row index, sorted by address. */
typedef struct by_email {
  const char *email;
  size_t row;
} by_email;

static int cmp_email(const void *x, const void *y) {
  const by_email *a = x, *b = y;
  int d = strcmp(a->email, b->email);
  return d ? d : (a->row < b->row ? -1 : a->row > b->row);
}

static void refuse(app_roster_row *r, const char *code, const char *detail) {
  r->action = ROSTER_REFUSED;
  r->code = code;
  r->detail = detail;
}

/* The checks of a row that need no database. */
static void check_row(app_ctx *c, const csv_row *in, const columns *col, app_roster_row *r,
                      member_role *role, roster_profile *prof) {
  r->line = in->line;
  if ((size_t)col->email < in->n) r->email = in->f[col->email].s;
  if ((size_t)col->name < in->n) r->name = in->f[col->name].s;
  if ((size_t)col->role < in->n) r->role = in->f[col->role].s;
  if (in->n != col->n) {
    refuse(r, "wrong_field_count",
           arena_printf(c->a, "This row has %zu fields where the header has %zu.", in->n,
                        col->n));
    return;
  }
  const char *email = in->f[col->email].s;
  r->name = in->f[col->name].s;
  r->role = in->f[col->role].s;
  r->email = email;
  if (!person_email_valid(email)) {
    refuse(r, "invalid_email", "The e-mail address is not valid.");
    return;
  }
  r->email = person_email_fold(c->a, email);
  if (!person_name_valid(r->name)) {
    refuse(r, "invalid_name", "The name must be 1 to 200 characters without control characters.");
    return;
  }
  char *folded_role = person_email_fold(c->a, r->role); /* lower case */
  if (!member_role_parse(folded_role, role) ) {
    refuse(r, "invalid_role", "The role must be admin, guide or learner.");
    return;
  }
  r->role = member_role_name(*role);
  const char *why = NULL;
  const char *code = roster_profile_check(c, &col->pc, in, r->email, *role, prof, &why);
  if (code) {
    refuse(r, code, why);
    return;
  }
  r->action = ROSTER_CREATE; /* until the database says otherwise */
}

/* Refuses every row whose address an earlier row has. */
static void refuse_repeats(app_ctx *c, app_roster_row *rows, size_t n) {
  by_email *idx = arena_alloc(c->a, (n ? n : 1) * sizeof *idx);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (rows[i].action != ROSTER_REFUSED) idx[m++] = (by_email){rows[i].email, i};
  qsort(idx, m, sizeof *idx, cmp_email);
  for (size_t i = 1; i < m; i++) {
    if (strcmp(idx[i].email, idx[i - 1].email) != 0) continue;
    size_t first = i - 1;
    while (first > 0 && strcmp(idx[first - 1].email, idx[i].email) == 0) first--;
    refuse(&rows[idx[i].row], "duplicate_email",
           arena_printf(c->a, "Line %zu has the same e-mail address.", rows[idx[first].row].line));
  }
}

/* " Profile: manager x; time zone y." from the changes, "" for none. */
static const char *profile_words(app_ctx *c, const char *changes, bool attrs) {
  const char *s = "";
  if (*changes) {
    size_t n = strlen(changes);
    s = arena_printf(c->a, " Profile:%.*s.", (int)(n - 1), changes);
  }
  if (attrs) s = arena_printf(c->a, "%s Attributes are set where none was declared.", s);
  return s;
}

/* Decides a checked row against the database (in the open transaction). */
static rp_rc decide(app_ctx *c, const program *p, const columns *col, app_roster_row *r,
                    member_role role, const roster_profile *prof, rp_err *e) {
  person who;
  rp_err local = {0};
  bool attrs = false;
  for (size_t i = 0; i < col->pc.nattr; i++) attrs |= prof->attr_value[i] != NULL;
  const char *changes = "";
  rp_rc rc = store_person_by_email(c->st, r->email, c->a, &who, NULL, &local);
  if (rc == RP_ERR_NOT_FOUND) {
    rc = roster_profile_diff(c, p->id, 0, &col->pc, prof, &changes, e);
    r->action = ROSTER_CREATE;
    r->detail = arena_printf(c->a, "A new account, invited to join as %s.%s", r->role,
                             profile_words(c, changes, attrs));
    return rc;
  }
  if (rc) return rp_fail(e, rc, local.code, "%s", local.detail);
  r->person_id = who.id;
  bool has = false;
  rc = store_membership_has(c->st, p->id, who.id, role, &has, e);
  if (!rc) rc = roster_profile_diff(c, p->id, who.id, &col->pc, prof, &changes, e);
  if (rc) return rc;
  r->action = has && !*changes ? ROSTER_UNCHANGED : ROSTER_UPDATE;
  r->detail = arena_printf(c->a, "%s%s", has ? arena_printf(c->a, "Already a %s here.", r->role)
                                             : arena_printf(c->a, "An existing account, joins as %s.", r->role),
                           profile_words(c, changes, attrs));
  return RP_OK;
}

/* Does what a decided row says (in the open write transaction). */
static rp_rc act(app_ctx *c, const program *p, const columns *col, app_roster_row *r,
                 member_role role, const roster_profile *prof, rp_err *e) {
  if (r->action == ROSTER_REFUSED) return RP_OK;
  app_enrolled en;
  bool added = false;
  rp_rc rc = RP_OK;
  if (r->action != ROSTER_UNCHANGED) {
    rc = app_enroll_locked(c, p, r->email, r->name, role, &en, &added, e);
    if (!rc) r->person_id = en.person_id;
  }
  if (!rc && role != ROLE_ADMIN)
    rc = roster_profile_apply(c, p->id, r->person_id, &col->pc, prof, e);
  return rc;
}

static rp_rc read_file(app_ctx *c, const char *data, size_t len, csv_table *t, rp_err *e) {
  static const csv_limits lim = {APP_ROSTER_ROWS_MAX + 1, ROSTER_FIELDS_MAX,
                                 ROSTER_FIELD_LEN_MAX};
  if (len > APP_ROSTER_BYTES_MAX)
    return rp_fail(e, RP_ERR_TOO_LARGE, "body_too_large", "The file is larger than %u bytes.",
                   APP_ROSTER_BYTES_MAX);
  rp_rc rc = csv_parse(data, len, &lim, c->a, t, e);
  if (rc) return rc;
  if (t->nrows == 0)
    return bad_columns(e, "The file is empty: the first line must name the columns.");
  return RP_OK;
}

rp_rc app_roster_import(app_ctx *c, int64_t program_id, const char *data, size_t len, bool apply,
                        app_roster_report *out, rp_err *e) {
  memset(out, 0, sizeof *out);
  program p;
  rp_rc rc = store_begin_read(c->st, e);
  if (rc) return rc;
  rc = app_program_admin_load(c, program_id, &p, e);
  store_rollback(c->st);
  if (rc) return rc;
  if (!data)
    return rp_fail(e, RP_ERR_UNSUPPORTED, "unsupported_media_type",
                   "Send the file as text/csv (UTF-8).");
  csv_table t;
  columns col;
  rc = read_file(c, data, len, &t, e);
  if (!rc) rc = read_header(c, &t.rows[0], &col, out, e);
  if (rc) return rc;
  out->nrows = t.nrows - 1;
  out->rows = arena_zalloc(c->a, (out->nrows ? out->nrows : 1) * sizeof *out->rows);
  member_role *roles = arena_zalloc(c->a, (out->nrows ? out->nrows : 1) * sizeof *roles);
  roster_profile *profs = arena_zalloc(c->a, (out->nrows ? out->nrows : 1) * sizeof *profs);
  for (size_t i = 0; i < out->nrows; i++)
    check_row(c, &t.rows[i + 1], &col, &out->rows[i], &roles[i], &profs[i]);
  refuse_repeats(c, out->rows, out->nrows);
  rc = apply ? store_begin_write(c->st, e) : store_begin_read(c->st, e);
  if (rc) return rc;
  for (size_t i = 0; i < out->nrows && !rc; i++) {
    app_roster_row *r = &out->rows[i];
    if (r->action == ROSTER_REFUSED) continue;
    rc = decide(c, &p, &col, r, roles[i], &profs[i], e);
    if (!rc && apply) rc = act(c, &p, &col, r, roles[i], &profs[i], e);
  }
  if (apply) {
    rc = app_finish(c, rc, e);
  } else {
    store_rollback(c->st);
  }
  if (rc) return rc;
  out->applied = apply;
  for (size_t i = 0; i < out->nrows; i++) out->counts[out->rows[i].action]++;
  return RP_OK;
}
