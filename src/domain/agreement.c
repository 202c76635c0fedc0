/* agreement.c: domain rules (filled by its slice). */
#include "domain/agreement.h"
