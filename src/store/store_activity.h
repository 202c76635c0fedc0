/* store_activity.h: the per-area store headers, one per concern. */
#ifndef RAPPORT_STORE_ACTIVITY_H
#define RAPPORT_STORE_ACTIVITY_H

#include "store/accounts.h"
#include "store/agreements.h"
#include "store/checkins.h"
#include "store/commitments.h"
#include "store/goals.h"
#include "store/exchanges.h"
#include "store/notes.h"
#include "store/evidence.h"

#endif
