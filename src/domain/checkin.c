/* checkin.c: domain rules (filled by its slice). */
#include "domain/checkin.h"
