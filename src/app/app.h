/* app.h: Rapport's use cases, one function per action, for the faces
 * (http/ and cli/): this header brings every room of app/.
 *
 * app/ is in rooms, each a folder with one header that says what it owns
 * and which rooms it may call; every arrow runs down this list:
 *
 *   yourdata/   a person's data across every room: export, deletion
 *   alumni/     the alumni network, its directory, paying it forward,
 *               long-term check-ins of former partners
 *   feedback360/ 360-degree feedback: requests, raters, sealed reports
 *   circles/    peer circles: members, states, their practices, sealed with
 *               the circle's key, their trust and warnings; the matcher's
 *               proposals of circles
 *   org/        bringing an organisation in: single sign-on, roster
 *               imports, program exports for admins
 *   matching/   profiles, the score and the optimiser's runs, self-match,
 *               rematch, which matches built trust
 *   reach/      mail: the outbox, the words of each mail, the SMTP sender
 *   practices/  what a pair does: agreements, check-ins, commitments, goals,
 *               requests and feedback, notes, pulses, incidents and repair
 *   trust/      evidence, the trust state and view, their facts and words,
 *               history, warnings, program health
 *   people/     accounts, sessions, programs, relationships
 *   privacy/    sealing and opening text, the key cache, the access log
 *   core/       the request's context, the clock, transactions and their
 *               moments, who may see what, events
 *
 * The top of app/ (this header, app.c and jobs.c) composes them: app.c
 * fills the moments of the core's transactions in one written order, and
 * jobs.c runs each room's time job. Conventions of every action are in
 * app/core/core.h.
 */
#ifndef RAPPORT_APP_APP_H
#define RAPPORT_APP_APP_H

#include "app/core/core.h"
#include "app/org/org.h"
#include "app/matching/matching.h"
#include "app/alumni/alumni.h"
#include "app/feedback360/feedback360.h"
#include "app/people/people.h"
#include "app/practices/practices.h"
#include "app/privacy/privacy.h"
#include "app/reach/reach.h"
#include "app/trust/trust.h"
#include "app/circles/circles.h"
#include "app/circles/practice.h"
#include "app/yourdata/yourdata.h"
#include "app/jobs.h"

/* The moments every app_env carries (app.c): in an event, the reason is
 * sealed and then the evidence derived; before a commit, the warnings of
 * the touched relationships are refreshed and then the access-log rows
 * written; after the end, the request's data keys are wiped; a notice
 * becomes its mail in the outbox (reach/). */
extern const app_moments app_moments_all;

/* An app_env with Rapport's defaults: keys k (NULL where no text is read),
 * sessions of 30 minutes idle and 12 hours at most, app_moments_all, no
 * dev mode, no key cache, plain http. */
app_env app_env_default(const keys *k);

#endif
