/* notes.c: store operations (filled by its slice). */
#include "store/store_internal.h"
