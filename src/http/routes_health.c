/* routes_health.c: a relationship's early warnings (for its parties) and
 * a program's k-anonymous health (for its administrators).
 *
 *   GET /api/v1/relationships/{id}/warnings  -> {items: [warning], next: null}
 *   GET /api/v1/programs/{id}/health         -> see render_health
 */
#include "http/http.h"
#include "app/trust/trust.h"
#include "app/trust/trust.h"

#include <math.h>

/* ---- warnings ---- */

static rp_rc warnings_list(http_req *r, rp_err *e) {
  app_warning *items;
  size_t n;
  rp_rc rc = app_warnings_list(&r->app, r->id[0], &items, &n, e);
  if (rc) return rc;
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(arr, render_warning(&items[i]));
  r->out = jt_page(arr, 0);
  return RP_OK;
}

/* ---- health ---- */

static json_t *suppressed(const app_health_cell *c) {
  return json_pack("{s:b, s:s}", "suppressed", 1, "reason", app_health_reason_text(c->hidden));
}

/* A share, mean or rate, rounded for display. */
static json_t *fig(double x, double unit) { return json_real(round(x / unit) * unit); }

static json_t *render_trend(const app_health_cell *t, double unit) {
  if (t->hidden) return suppressed(t);
  return json_pack("{s:o, s:o}", "previous", fig(t->previous, unit), "change",
                   fig(t->value - t->previous, unit));
}

/* {value, <units_name>: n, trend} for a figure with a trend. */
static json_t *render_rate(const app_health_cell *c, const app_health_cell *trend,
                           const char *units_name) {
  if (c->hidden) return suppressed(c);
  return json_pack("{s:o, s:I, s:o}", "value", fig(c->value, 0.01), units_name,
                   (json_int_t)c->units, "trend", render_trend(trend, 0.01));
}

static json_t *render_group(const app_health_group *g) {
  const app_health_cell *c = g->cell;
  json_t *index = c[HEALTH_TRUST_INDEX].hidden
                      ? suppressed(&c[HEALTH_TRUST_INDEX])
                      : json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "relationships",
                                  (json_int_t)c[HEALTH_TRUST_INDEX].units, "directions",
                                  (json_int_t)g->directions, "mean",
                                  fig(c[HEALTH_TRUST_INDEX].value, 0.1), "p25",
                                  fig(g->index_p25, 0.1), "median", fig(g->index_median, 0.1),
                                  "p75", fig(g->index_p75, 0.1));
  json_t *warnings;
  if (c[HEALTH_WARNINGS].hidden) {
    warnings = suppressed(&c[HEALTH_WARNINGS]);
  } else {
    warnings = json_object();
    for (int k = 0; k < TRUST_W_COUNT; k++)
      json_object_set_new(warnings, trust_warn_name((trust_warn_code)k),
                          fig(g->warning_share[k], 0.01));
  }
  json_t *pulse_out;
  if (c[HEALTH_PULSE].hidden) {
    pulse_out = suppressed(&c[HEALTH_PULSE]);
  } else {
    json_t *items = json_object();
    for (int i = 0; i < APP_HEALTH_NITEM; i++) {
      const app_health_cell *x = &c[HEALTH_ITEM0 + i];
      json_object_set_new(items, trust_pulse_item_name((trust_pulse_item)i),
                          x->hidden ? suppressed(x) : fig(x->value, 0.01));
    }
    pulse_out = json_pack("{s:o, s:I, s:o, s:o}", "mean", fig(c[HEALTH_PULSE].value, 0.01),
                          "raters", (json_int_t)c[HEALTH_PULSE].units, "trend",
                          render_trend(&c[HEALTH_PULSE_TREND], 0.01), "items", items);
  }
  return json_pack("{s:s, s:I, s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "kind",
                   g->is_program ? "program" : "guide", "id", (json_int_t)g->id, "name",
                   jt_str(g->name), "relationships", (json_int_t)g->relationships, "trust_index",
                   index, "warnings", warnings, "cadence_adherence",
                   render_rate(&c[HEALTH_CADENCE], &c[HEALTH_CADENCE_TREND], "relationships"),
                   "follow_through",
                   render_rate(&c[HEALTH_FOLLOW], &c[HEALTH_FOLLOW_TREND], "relationships"),
                   "pulse", pulse_out);
}

static rp_rc program_health(http_req *r, rp_err *e) {
  app_health h;
  rp_rc rc = app_program_health(&r->app, r->id[0], &h, e);
  if (rc) return rc;
  json_t *groups = json_array();
  for (size_t i = 0; i < h.ngroups; i++) json_array_append_new(groups, render_group(&h.groups[i]));
  const app_health_cell *ag = &h.alumni_guiding;
  json_t *circles = json_object();
  const app_health_cell *t = &h.circles.total;
  json_object_set_new(circles, "total", t->hidden ? suppressed(t) : json_integer((json_int_t)t->units));
  for (int i = 0; i < APP_HEALTH_CIRCLE_STATES; i++) {
    const app_health_cell *x = &h.circles.by_state[i];
    json_object_set_new(circles, rel_state_name(app_health_circle_states[i]),
                        x->hidden ? suppressed(x) : json_integer((json_int_t)x->units));
  }
  r->out = json_pack("{s:I, s:i, s:o, s:i, s:o, s:o, s:o}", "program_id", (json_int_t)h.program_id,
                     "k", h.k, "as_of", jt_time(h.as_of), "period_days", h.period_days, "groups",
                     groups, "circles", circles, "alumni_guiding",
                     ag->hidden ? suppressed(ag) : json_integer((json_int_t)ag->value));
  return RP_OK;
}

/* clang-format off */
const http_route http_routes_health[] = {
    {"GET", "/api/v1/relationships/{id}/warnings", warnings_list, HTTP_SIGNED_IN,
     {.summary = "A relationship's early warnings (its parties).",
      .status = 200, .answer = HTTP_PAGE_OF("Warning")}},
    {"GET", "/api/v1/programs/{id}/health", program_health, HTTP_SIGNED_IN,
     {.summary = "A program's k-anonymous health (its administrators).",
      .status = 200, .answer = "{program_id:id k:int as_of:time? period_days:int "
      "groups:[HealthGroup] alumni_guiding?:any}"}},
    {0}, /* the end */
};
/* clang-format on */
