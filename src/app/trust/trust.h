/* trust.h: the trust room of app/: turning what a pair does into trust
 * (TRUST-MODEL.md), showing it and warning early.
 *
 *   evidence.h  events into evidence, stored with the decayed sums; the
 *               request_unanswered job
 *   state.h     the state a viewer may see; rebuilding sums from evidence
 *   rules.h     moving relationships to the rules in force (trust recompute)
 *   view.h      the trust view and the timeline (view.c; their facts in
 *               facts.c, their words in text.c)
 *   history.h   the trust index over time
 *   warnings.h  early warnings, refreshed on events and by the time job
 *               (the pulse signals they read: signals.c)
 *   health.h    k-anonymous program health
 *   settings.h  a program's trust settings: its terms and the warnings it
 *               raises, changed by its administrators
 *   util.h      pure helpers the room and the practices share
 *
 * It may call the core, privacy and people rooms (app/core, app/privacy,
 * app/people), never practices/, yourdata/ or the top of app/: what it
 * needs of a practice it reads from the store. The core reaches it only
 * through the moments app/app.c fills.
 */
#ifndef RAPPORT_APP_TRUST_TRUST_H
#define RAPPORT_APP_TRUST_TRUST_H

#include "app/trust/evidence.h"
#include "app/trust/health.h"
#include "app/trust/history.h"
#include "app/trust/rules.h"
#include "app/trust/settings.h"
#include "app/trust/state.h"
#include "app/trust/util.h"
#include "app/trust/view.h"
#include "app/trust/warnings.h"

#endif
