/* notes.h: use cases for notes. */
#ifndef RAPPORT_APP_NOTES_H
#define RAPPORT_APP_NOTES_H

#include "app/app.h"

#endif
