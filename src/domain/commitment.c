/* commitment.c: domain rules (filled by its slice). */
#include "domain/commitment.h"
