/* goals.h: use cases for goals (declared by their slice). */
#ifndef RAPPORT_APP_GOALS_H
#define RAPPORT_APP_GOALS_H

#include "app/app.h"

#endif
