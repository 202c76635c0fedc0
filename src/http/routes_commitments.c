/* routes_commitments.c: the HTTP routes for commitments. */
#include "http/http.h"

const http_route http_routes_commitments[] = {
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
