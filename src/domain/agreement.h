/* agreement.h: the agreement a guide and a learner make, and its versions.
 *
 * An agreement is versioned 1, 2, 3... per relationship. A version is in
 * force only once BOTH the guide and the learner acknowledged that very
 * version; the author's writing a version counts as the author's
 * acknowledgement. Only the latest version may be acknowledged: an older
 * one is superseded. Of several versions acknowledged by both, the latest
 * is the one in force.
 *
 * The free text of a version (purpose, channels, confidentiality,
 * boundaries, feedback preferences) is confidential and travels as one JSON
 * document (agreement_body_encode / agreement_body_decode) that app/ seals;
 * cadence, reply window and planned end stay plain for the trust engine.
 * Pure rules: no I/O, no clock.
 */
#ifndef RAPPORT_DOMAIN_AGREEMENT_H
#define RAPPORT_DOMAIN_AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/relationship.h"

#define AGREEMENT_TEXT_MAX 4000     /* bytes of each free-text term */
#define AGREEMENT_CHANNELS_MAX 10   /* channels per version */
#define AGREEMENT_CHANNEL_MAX 100   /* bytes of one channel's name */
#define AGREEMENT_CADENCE_MIN 1     /* days between check-ins */
#define AGREEMENT_CADENCE_MAX 365
#define AGREEMENT_REPLY_MIN 1       /* hours to reply */
#define AGREEMENT_REPLY_MAX 720
#define AGREEMENT_NO_END INT32_MIN  /* ends_on when no end is planned */

/* The terms of one version. Optional texts are NULL when absent. */
typedef struct agreement_terms {
  const char *purpose;
  int cadence_days;
  const char *const *channels;
  size_t nchannels;
  int reply_window_hours;
  const char *confidentiality; /* the terms and their exceptions */
  const char *boundaries;
  const char *feedback_preferences;
  int32_t ends_on; /* days since 1970-01-01, or AGREEMENT_NO_END */
  /* Quiet hours (plain, not confidential): when mail about the
   * relationship waits, in each recipient's own time zone; minutes after
   * local midnight, from > to spanning midnight. */
  bool has_quiet_hours;
  int quiet_from, quiet_to;
} agreement_terms;

/* agreement_terms_check validates t for a version written on day `today`
 * (days since 1970-01-01 of the version's time). Adds one field error per
 * problem, with pointers /purpose, /cadence_days, /channels (or
 * /channels/<i>), /reply_window_hours, /confidentiality, /boundaries,
 * /feedback_preferences, /ends_on and /quiet_hours (both ends within a
 * day, and not the same), and returns RP_ERR_INVALID; else RP_OK. */
rp_rc agreement_terms_check(const agreement_terms *t, int32_t today, rp_err *e);

/* Whether the acknowledgements (person ids, any order) include both the
 * guide and the learner of r: the version is then in force. */
bool agreement_acked_by_both(const relationship *r, const int64_t *ackers, size_t nack);

/* agreement_ack_check decides whether `who` may acknowledge `version` when
 * `latest` is the relationship's latest version (0 if none) and `ackers`
 * acknowledged `version` so far. In that order it fails with
 * RP_ERR_INVALID at /version (no such version), RP_ERR_CONFLICT
 * "agreement_superseded" (an older version) or RP_ERR_CONFLICT
 * "already_acknowledged". On RP_OK, *puts_in_force says whether this
 * acknowledgement makes the version acknowledged by both parties. */
rp_rc agreement_ack_check(const relationship *r, int64_t who, int version, int latest,
                          const int64_t *ackers, size_t nack, bool *puts_in_force, rp_err *e);

/* The free text of t (not the plain columns) as one JSON document in the
 * arena, NUL-terminated; NULL when a text is not valid UTF-8. */
char *agreement_body_encode(const agreement_terms *t, arena *a);
/* Reads a document made by agreement_body_encode into the text fields of
 * out (strings in the arena); other fields are untouched. False when the
 * document is not such a document. */
bool agreement_body_decode(const char *doc, arena *a, agreement_terms *out);

#endif
