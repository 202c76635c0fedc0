/* routes_dev.c: routes that exist only for development and benchmarks.
 *
 * /api/v1/dev/... answer only when the server runs with --dev (else 404):
 * setting the fixed clock and running the time-driven jobs at once, so
 * tests can move time forward, and capping the database's size to simulate
 * a full disk. /api/v1/bench/fixed is compiled in only for
 * bench builds (-Dbench_routes=true): the same server answering a small
 * fixed JSON from memory, the baseline the benchmarks compare against.
 */
#include "http/http.h"

static rp_rc dev_only(http_req *r, rp_err *e) {
  if (!r->app.env->dev)
    return rp_fail(e, RP_ERR_NOT_FOUND, "not_found", "There is nothing at %s.", r->path);
  return RP_OK;
}

static rp_rc dev_clock(http_req *r, rp_err *e) {
  static const char *const fields[] = {"now", NULL};
  rp_rc rc = dev_only(r, e);
  if (rc) return rc;
  jin j;
  rp_time t = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_time(&j, "now", true, &t);
  if (e->rc) return e->rc;
  app_clock_fix(t);
  r->out = json_pack("{s:o}", "now", jt_time(app_clock_now()));
  return RP_OK;
}

static rp_rc dev_jobs(http_req *r, rp_err *e) {
  rp_rc rc = dev_only(r, e);
  if (rc) return rc;
  app_ctx c = r->app;
  c.actor = 0;
  c.site_admin = false;
  c.now = app_clock_now();
  int changed = 0;
  rc = app_jobs_run(&c, &changed, e);
  if (rc) return rc;
  r->out = json_pack("{s:i}", "changed", changed);
  return RP_OK;
}

/* Simulates a full disk: caps the database at `pages` pages (0 lifts the
 * cap) on every connection of the server, from each one's next write on.
 * A cap below the current size holds the database at its current size.
 * A test switch, not a use case, so it goes to the store directly. */
static rp_rc dev_storage_limit(http_req *r, rp_err *e) {
  static const char *const fields[] = {"pages", NULL};
  rp_rc rc = dev_only(r, e);
  if (rc) return rc;
  jin j;
  int64_t pages = 0;
  jin_start(&j, r->body, "", fields, r->app.a, e);
  jin_int(&j, "pages", true, 0, 4294967294LL, &pages);
  if (e->rc) return e->rc;
  store_limit_pages_all(pages);
  r->out = json_pack("{s:I}", "pages", (json_int_t)pages);
  return RP_OK;
}

#ifdef RAPPORT_BENCH_ROUTES
static rp_rc bench_fixed(http_req *r, rp_err *e) {
  (void)e;
  r->out = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)1, "state", "active", "name",
                     "baseline");
  return RP_OK;
}
#endif

/* clang-format off */
const http_route http_routes_dev[] = {
    {"POST", "/api/v1/dev/clock", dev_clock, HTTP_SIGNED_IN,
     {.summary = "Sets the server's clock (--dev only).",
      .body = "{now:time}",
      .status = 200, .answer = "{now:time}", .problems = "404"}},
    {"POST", "/api/v1/dev/jobs", dev_jobs, HTTP_SIGNED_IN,
     {.summary = "Runs the time-driven jobs now (--dev only).",
      .status = 200, .answer = "{changed:int}", .problems = "404"}},
    {"POST", "/api/v1/dev/storage-limit", dev_storage_limit, HTTP_SIGNED_IN,
     {.summary = "Caps the database's size in pages (--dev only).",
      .body = "{pages:int}",
      .status = 200, .answer = "{pages:int}", .problems = "404"}},
#ifdef RAPPORT_BENCH_ROUTES
    {"GET", "/api/v1/bench/fixed", bench_fixed, HTTP_PUBLIC,
     {.summary = "A fixed answer for benchmarks (bench builds only).",
      .status = 200, .answer = "obj"}},
#endif
    {0}, /* the end */
};
/* clang-format on */
