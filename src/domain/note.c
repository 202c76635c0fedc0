/* note.c: domain rules (filled by its slice). */
#include "domain/note.h"
