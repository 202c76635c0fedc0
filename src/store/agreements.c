/* agreements.c: versioned agreements and their acknowledgements. */
#include "store/store_internal.h"

rp_rc store_agreement_versions(store *s, int64_t relationship_id, int *latest, int *in_force,
                               rp_err *e) {
  STORE_PREP(s,
             "SELECT COALESCE(MAX(a.version), 0),"
             " COALESCE(MAX(CASE WHEN (SELECT COUNT(*) FROM agreement_acks k"
             "   WHERE k.agreement_id = a.id) >= 2 THEN a.version END), 0)"
             " FROM agreements a WHERE a.relationship_id = $1",
             e);
  db_bind_i64(st, 1, relationship_id);
  rp_rc rc = store_row(st, "agreement", e);
  if (rc) return rc;
  *latest = (int)db_col_i64(st, 0);
  *in_force = (int)db_col_i64(st, 1);
  db_done(st);
  return RP_OK;
}

rp_rc store_agreement_terms(store *s, int64_t relationship_id, bool *found, int *cadence_days,
                            int *reply_window_hours, rp_err *e) {
  STORE_PREP(s,
             "SELECT a.cadence_days, a.reply_window_hours FROM agreements a"
             " WHERE a.relationship_id = $1"
             " AND (SELECT COUNT(*) FROM agreement_acks k WHERE k.agreement_id = a.id) >= 2"
             " ORDER BY a.version DESC LIMIT 1",
             e);
  db_bind_i64(st, 1, relationship_id);
  int r = db_step(st, e);
  *found = r == 1;
  if (r == 1) {
    *cadence_days = (int)db_col_i64(st, 0);
    *reply_window_hours = (int)db_col_i64(st, 1);
  }
  db_done(st);
  return r < 0 ? e->rc : RP_OK;
}
