/* app_activity.h: the per-area use-case headers, one per concern. */
#ifndef RAPPORT_APP_ACTIVITY_H
#define RAPPORT_APP_ACTIVITY_H

#include "app/agreements.h"
#include "app/checkins.h"
#include "app/commitments.h"
#include "app/goals.h"
#include "app/exchanges.h"
#include "app/notes.h"
#include "app/jobs.h"

#endif
