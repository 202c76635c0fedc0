/* note.h: domain rules for notes. */
#ifndef RAPPORT_DOMAIN_NOTE_H
#define RAPPORT_DOMAIN_NOTE_H

#include "domain/relationship.h"

#endif
