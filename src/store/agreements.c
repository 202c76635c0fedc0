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
