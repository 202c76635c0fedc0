/* kanon.h: k-anonymous release of aggregate figures over a partition.
 *
 * A table of cells: row 0 is the whole (a program, every rater of a
 * report), rows 1..n-1 its parts (each guide's relationships, each rater
 * group); column j is one figure. Each cell rests on a count of distinct
 * units (raters, relationships) and is shown only when that count is at
 * least k. Then complementary suppression, per column: the parts add up to
 * the whole, so a hidden part could be recovered by subtracting the shown
 * ones from the whole; whenever exactly one part is hidden, or the hidden
 * parts together rest on fewer than k units, the shown part with the
 * fewest units is hidden too ("complementary"), and when no part is left
 * to hide, the whole is hidden. Program health and 360 reports use the
 * same rule. Pure: no I/O, no allocation.
 */
#ifndef RAPPORT_DOMAIN_KANON_H
#define RAPPORT_DOMAIN_KANON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum kanon_reason {
  KANON_SHOWN = 0,
  KANON_FEWER_THAN_K,
  KANON_COMPLEMENTARY
} kanon_reason;

typedef struct kanon_cell {
  size_t units;        /* distinct units behind the figure */
  kanon_reason hidden; /* KANON_SHOWN when shown */
} kanon_cell;

/* Figures of one row that give each other away: hides what must go with
 * what is hidden already; returns whether it hid any. */
typedef bool (*kanon_together_fn)(kanon_cell *row, size_t ncol, size_t k, void *ctx);

/* Hides a shown cell: "fewer than k" when its units are below k, else
 * "complementary". Returns whether it was shown before. */
bool kanon_hide(kanon_cell *cell, size_t k);

/* Applies the rules to cells[nrow][ncol] (row-major) for threshold k:
 * cells below k are hidden, then `together` (may be NULL) and the
 * complementary rule run until nothing changes. Cells already hidden stay
 * hidden. */
void kanon_suppress(kanon_cell *cells, size_t nrow, size_t ncol, size_t k,
                    kanon_together_fn together, void *ctx);

/* "fewer than k", "complementary"; NULL when shown. */
const char *kanon_reason_text(kanon_reason r);

#endif
