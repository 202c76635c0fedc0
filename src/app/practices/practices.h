/* practices.h: the practices room of app/: what a guide and a learner do
 * together, one .c/.h pair per practice.
 *
 *   agreements.h   the agreement, versioned and acknowledged by both
 *   checkins.h     check-ins and their outcomes
 *   commitments.h  commitments, their outcomes and the break job
 *   goals.h        SMART goals and their reviews
 *   exchanges.h    requests and replies, feedback
 *   notes.h        shared and private notes
 *   pulses.h       pulse surveys (pulses.c), incidents and repair plans
 *                  (incidents.c)
 *
 * Each action records its event through the core (app_event), whose
 * moments derive the trust evidence; confidential text goes through the
 * privacy room. It may call the core, privacy, people and trust rooms
 * (app/core, app/privacy, app/people, app/trust), never yourdata/ or the
 * top of app/.
 */
#ifndef RAPPORT_APP_PRACTICES_PRACTICES_H
#define RAPPORT_APP_PRACTICES_PRACTICES_H

#include "app/practices/agreements.h"
#include "app/practices/checkins.h"
#include "app/practices/commitments.h"
#include "app/practices/exchanges.h"
#include "app/practices/goals.h"
#include "app/practices/notes.h"
#include "app/practices/pulses.h"

#endif
