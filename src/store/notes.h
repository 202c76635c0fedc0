/* notes.h: store operations for notes. */
#ifndef RAPPORT_STORE_NOTES_H
#define RAPPORT_STORE_NOTES_H

#endif
