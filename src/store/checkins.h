/* checkins.h: store operations for checkins (declared by their slice). */
#ifndef RAPPORT_STORE_CHECKINS_H
#define RAPPORT_STORE_CHECKINS_H

#endif
