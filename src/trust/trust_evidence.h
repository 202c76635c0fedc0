/* trust_evidence.h: evidence items and their decayed sums (TRUST-MODEL.md 2).
 *
 * An evidence item says something about one party: value v in [0,1]
 * (1 = a fully trustworthy act), weight w > 0, time t, the component it
 * bears on (REL, INT, COM, EMP) and its source (behaviour observed by the
 * product, or a pulse answer by the other party). Per party, component and
 * source the engine keeps two exponentially decayed sums
 *
 *     r = sum( w * v * d(t) )
 *     s = sum( w * wneg * (1 - v) * d(t) )      d(t) = 2^(-(now - t) / H)
 *
 * stored as (r, s, t_ref): the sums as of time t_ref. Adding an item is O(1)
 * and never re-reads history; an item older than t_ref (arriving out of
 * order) is added already decayed to t_ref. Because the decay is linear,
 * the sums of several sources read at the same `now` simply add, and a full
 * recompute from the stored items (trust_recompute) gives the same numbers
 * to rounding (about 1e-14 relative for hundreds of items).
 *
 * A direction is named by the party it rates: the sums "about the guide"
 * hold trust(learner -> guide), the sums "about the learner" hold
 * trust(guide -> learner).
 *
 * Times are int64 seconds UTC (rp_time) and must be >= 0: a zeroed
 * trust_sums / trust_state is empty and valid, with t_ref = 0. Half-lives
 * are in days (double). Pure arithmetic: no I/O, no clock, no allocation.
 */
#ifndef RAPPORT_TRUST_EVIDENCE_H
#define RAPPORT_TRUST_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The party an item is about, which is also the direction it feeds. */
typedef enum trust_party { TRUST_GUIDE = 0, TRUST_LEARNER = 1 } trust_party;
#define TRUST_NPARTY 2

typedef enum trust_comp { TRUST_REL = 0, TRUST_INT = 1, TRUST_COM = 2, TRUST_EMP = 3 } trust_comp;
#define TRUST_NCOMP 4

/* Behavioural evidence is weighed with wneg (default 2), pulse answers with
 * wneg 1: an answer is already the rater's own weighing. */
typedef enum trust_source { TRUST_SRC_BEHAVIOUR = 0, TRUST_SRC_PULSE = 1 } trust_source;
#define TRUST_NSOURCE 2
#define TRUST_SRC_MASK_ALL 3u /* (1u << TRUST_SRC_BEHAVIOUR) | (1u << TRUST_SRC_PULSE) */

#define TRUST_DAY_S 86400.0

/* The program's settings for the arithmetic. Defaults from
 * trust_settings_default(); every number may be overridden per program. */
typedef struct trust_settings {
  double half_life_days[TRUST_NCOMP]; /* H: 90, 180, 90, 90 (REL, INT, COM, EMP) */
  double wneg[TRUST_NSOURCE];         /* 2 behaviour, 1 pulse */
  double prior_weight;                /* W = 2 */
  double base_rate[TRUST_NCOMP];      /* a = 0.5 until the program has a mean (trust_base_rate) */
  double trend_divisor;               /* the trend compares half-life H / 3 with H: 3 */
  bool trend_scale_prior;             /* the short half-life's P uses W / trend_divisor: true
                                         (see trust_index.h; false = W for both) */
  double int_cap;                     /* P_INT cap after a confirmed confidentiality breach: 0.85 */
  double int_cap_days;                /* ... for 180 days */
} trust_settings;

/* The defaults of TRUST-MODEL.md. Cannot fail. */
trust_settings trust_settings_default(void);

/* One evidence item, as the store keeps it. 40 bytes. */
typedef struct trust_item {
  int64_t source_id; /* the event that caused it */
  int64_t t;         /* seconds UTC, >= 0 */
  double v;          /* [0, 1] */
  double w;          /* > 0 */
  uint8_t about;     /* trust_party */
  uint8_t comp;      /* trust_comp */
  uint8_t source;    /* trust_source */
  uint8_t reason;    /* trust_reason (trust_values.h), for the explanation */
} trust_item;

/* Decayed sums as of t_ref. 24 bytes; zeroed = empty. */
typedef struct trust_sums {
  double r, s;
  int64_t t_ref;
} trust_sums;

/* A pair of sums read at some time. */
typedef struct trust_rs {
  double r, s;
} trust_rs;

/* The increments an item makes before decay: r += w v, s += w wneg (1 - v). */
trust_rs trust_item_increment(const trust_item *it, const trust_settings *cfg);

/* 2^(-age_s / (half_life_days days)): the weight now of something age_s
 * seconds old. age_s < 0 is treated as 0 (never amplifies). */
double trust_decay(double age_s, double half_life_days);

/* Adds increments (dr, ds) made at time t to x, decaying with half-life
 * half_life_days. O(1), no branch on the data path beyond two selects.
 * t >= x->t_ref: x is first decayed to t, then t_ref = t.
 * t <  x->t_ref: the increments are decayed to t_ref before adding. */
void trust_sums_add(trust_sums *x, double half_life_days, int64_t t, double dr, double ds);

/* The sums of x as of `now`. A now before x->t_ref reads the sums as of
 * t_ref (the engine never amplifies evidence; callers read at now >= t_ref). */
trust_rs trust_sums_at(const trust_sums *x, double half_life_days, int64_t now);

/* Everything the engine keeps for one relationship: per party, component
 * and source the sums with half-life H, and per party and component the
 * sums of both sources with half-life H / trend_divisor (for the trend).
 * Plus the time of the latest confirmed confidentiality breach per party
 * (for the P_INT cap). 600 bytes; zeroed = empty. */
typedef struct trust_state {
  trust_sums main[TRUST_NPARTY][TRUST_NCOMP][TRUST_NSOURCE];
  trust_sums fast[TRUST_NPARTY][TRUST_NCOMP];
  int64_t breach_at[TRUST_NPARTY]; /* meaningful when has_breach */
  bool has_breach[TRUST_NPARTY];
} trust_state;

/* Adds one item to st. O(1): two exp2 calls. Returns false, leaving st
 * unchanged, when the item is not valid (trust_item_valid): stored rows
 * are checked, not trusted. */
bool trust_state_add(trust_state *st, const trust_settings *cfg, const trust_item *it);

/* Records a confirmed confidentiality breach by party `about` at time t
 * (the latest one counts). The breach's INT evidence is a separate item. */
void trust_state_breach(trust_state *st, trust_party about, int64_t t);

/* The sums about `about` for component c at `now`, over the sources in
 * src_mask (bit 1u << trust_source; TRUST_SRC_MASK_ALL for both), with
 * half-life H. */
trust_rs trust_state_rs(const trust_state *st, const trust_settings *cfg, trust_party about,
                        trust_comp c, unsigned src_mask, int64_t now);

/* The same for the trend's short half-life H / trend_divisor (both sources). */
trust_rs trust_state_rs_fast(const trust_state *st, const trust_settings *cfg, trust_party about,
                             trust_comp c, int64_t now);

/* Rebuilds st from items[0..n) in any order (equivalent to zeroing st and
 * adding each item). Breach times are kept. Returns the number of items
 * skipped as invalid. */
size_t trust_state_rebuild(trust_state *st, const trust_settings *cfg, const trust_item *items,
                         size_t n);

/* The definition, for checking and for one-off reads: r and s about
 * `about` for component c at `now` from items[0..n), summing
 * d(t) = 2^(-(now - t)/H) directly over the valid items with t <= now
 * whose source is in src_mask, with half-life half_life_days. */
trust_rs trust_recompute(const trust_item *items, size_t n, const trust_settings *cfg,
                         trust_party about, trust_comp c, unsigned src_mask,
                         double half_life_days, int64_t now);

/* Whether it is an item the engine accepts: v in [0,1], w > 0 and finite,
 * t >= 0, enums in range. */
bool trust_item_valid(const trust_item *it);

/* "REL", "INT", "COM", "EMP"; "?" when out of range. */
const char *trust_comp_name(trust_comp c);
/* Returns true and sets *out when name is a component id. */
bool trust_comp_parse(const char *name, trust_comp *out);
/* "guide", "learner". */
const char *trust_party_name(trust_party p);

#endif
