/* agreements.h: use cases for agreements (declared by their slice). */
#ifndef RAPPORT_APP_AGREEMENTS_H
#define RAPPORT_APP_AGREEMENTS_H

#include "app/app.h"

#endif
