/* agreement.h: domain rules for agreement. */
#ifndef RAPPORT_DOMAIN_AGREEMENT_H
#define RAPPORT_DOMAIN_AGREEMENT_H

#include "domain/relationship.h"

#endif
