/* checkins.h: use cases for checkins (declared by their slice). */
#ifndef RAPPORT_APP_CHECKINS_H
#define RAPPORT_APP_CHECKINS_H

#include "app/app.h"

#endif
