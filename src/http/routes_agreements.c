/* routes_agreements.c: the HTTP routes for agreements. */
#include "http/http.h"

const http_route http_routes_agreements[] = {
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
