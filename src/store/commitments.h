/* commitments.h: store operations for commitments (declared by their slice). */
#ifndef RAPPORT_STORE_COMMITMENTS_H
#define RAPPORT_STORE_COMMITMENTS_H

#endif
