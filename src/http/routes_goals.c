/* routes_goals.c: the HTTP routes for goals. */
#include "http/http.h"

const http_route http_routes_goals[] = {
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
