/* clock.c: the one place the server reads the time (see core.h). The dev
 * clock is a single atomic so request threads need no lock. */
#include "app/core/core.h"

#include <stdatomic.h>

static _Atomic rp_time g_fixed = 0;

rp_time app_clock_now(void) {
  rp_time t = atomic_load_explicit(&g_fixed, memory_order_relaxed);
  return t ? t : rp_time_now_real();
}

void app_clock_fix(rp_time t) { atomic_store(&g_fixed, t); }

bool app_clock_is_fixed(void) { return atomic_load(&g_fixed) != 0; }
