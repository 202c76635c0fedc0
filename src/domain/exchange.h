/* exchange.h: domain rules for exchange. */
#ifndef RAPPORT_DOMAIN_EXCHANGE_H
#define RAPPORT_DOMAIN_EXCHANGE_H

#include "domain/relationship.h"

#endif
