/* pulses.c: pulses, incidents and repair plans (see pulses.h). */
#include "app/pulses.h"
