/* checkin.h: domain rules for checkin. */
#ifndef RAPPORT_DOMAIN_CHECKIN_H
#define RAPPORT_DOMAIN_CHECKIN_H

#include "domain/relationship.h"

#endif
