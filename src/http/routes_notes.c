/* routes_notes.c: the HTTP routes for notes. */
#include "http/http.h"

const http_route http_routes_notes[] = {
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
