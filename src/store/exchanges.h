/* exchanges.h: store operations for exchanges (declared by their slice). */
#ifndef RAPPORT_STORE_EXCHANGES_H
#define RAPPORT_STORE_EXCHANGES_H

#endif
