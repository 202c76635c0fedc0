/* exchange.c: domain rules (filled by its slice). */
#include "domain/exchange.h"
