/* exchanges.h: use cases for exchanges (declared by their slice). */
#ifndef RAPPORT_APP_EXCHANGES_H
#define RAPPORT_APP_EXCHANGES_H

#include "app/app.h"

#endif
