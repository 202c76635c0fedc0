/* goal.h: domain rules for goal. */
#ifndef RAPPORT_DOMAIN_GOAL_H
#define RAPPORT_DOMAIN_GOAL_H

#include "domain/relationship.h"

#endif
