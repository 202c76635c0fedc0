/* goals.h: store operations for goals (declared by their slice). */
#ifndef RAPPORT_STORE_GOALS_H
#define RAPPORT_STORE_GOALS_H

#endif
