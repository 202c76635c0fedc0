/* kanon.c: k-anonymous release over a partition (see kanon.h). */
#include "domain/kanon.h"

const char *kanon_reason_text(kanon_reason r) {
  switch (r) {
  case KANON_FEWER_THAN_K: return "fewer than k";
  case KANON_COMPLEMENTARY: return "complementary";
  case KANON_SHOWN: return NULL;
  }
  return NULL;
}

bool kanon_hide(kanon_cell *cell, size_t k) {
  if (cell->hidden != KANON_SHOWN) return false;
  cell->hidden = cell->units < k ? KANON_FEWER_THAN_K : KANON_COMPLEMENTARY;
  return true;
}

#define CELL(c, ncol, i, j) (&(c)[(i) * (ncol) + (j)])

/* One column across the partition: hides parts (or the whole) until the
 * hidden remainder cannot be told apart. Returns whether it hid any. */
static bool complement_column(kanon_cell *c, size_t nrow, size_t ncol, size_t k, size_t j) {
  bool changed = false;
  if (CELL(c, ncol, 0, j)->hidden != KANON_SHOWN) {
    for (size_t i = 1; i < nrow; i++) changed |= kanon_hide(CELL(c, ncol, i, j), k);
    return changed;
  }
  for (;;) {
    size_t nhidden = 0, hidden_units = 0, pick = 0;
    for (size_t i = 1; i < nrow; i++) {
      const kanon_cell *x = CELL(c, ncol, i, j);
      if (x->hidden != KANON_SHOWN && x->units > 0) {
        nhidden++;
        hidden_units += x->units;
      } else if (x->hidden == KANON_SHOWN &&
                 (!pick || x->units < CELL(c, ncol, pick, j)->units)) {
        pick = i;
      }
    }
    if (nhidden == 0 || (nhidden >= 2 && hidden_units >= k)) return changed;
    if (!pick) return kanon_hide(CELL(c, ncol, 0, j), k) || changed;
    CELL(c, ncol, pick, j)->hidden = KANON_COMPLEMENTARY;
    changed = true;
  }
}

void kanon_suppress(kanon_cell *cells, size_t nrow, size_t ncol, size_t k,
                    kanon_together_fn together, void *ctx) {
  for (size_t i = 0; i < nrow * ncol; i++)
    if (cells[i].hidden == KANON_SHOWN && cells[i].units < k) cells[i].hidden = KANON_FEWER_THAN_K;
  bool changed;
  do {
    changed = false;
    for (size_t i = 0; together && i < nrow; i++)
      changed |= together(CELL(cells, ncol, i, 0), ncol, k, ctx);
    for (size_t j = 0; j < ncol && nrow > 1; j++)
      changed |= complement_column(cells, nrow, ncol, k, j);
  } while (changed);
}
