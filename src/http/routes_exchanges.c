/* routes_exchanges.c: the HTTP routes for exchanges. */
#include "http/http.h"

const http_route http_routes_exchanges[] = {
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
