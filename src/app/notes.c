/* notes.c: use cases (filled by its slice). */
#include "app/app.h"
