/* goal.c: domain rules (filled by its slice). */
#include "domain/goal.h"
