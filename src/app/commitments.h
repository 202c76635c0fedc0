/* commitments.h: use cases for commitments (declared by their slice). */
#ifndef RAPPORT_APP_COMMITMENTS_H
#define RAPPORT_APP_COMMITMENTS_H

#include "app/app.h"

#endif
