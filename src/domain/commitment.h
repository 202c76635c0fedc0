/* commitment.h: domain rules for commitment. */
#ifndef RAPPORT_DOMAIN_COMMITMENT_H
#define RAPPORT_DOMAIN_COMMITMENT_H

#include "domain/relationship.h"

#endif
