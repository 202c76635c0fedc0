/* routes_checkins.c: the HTTP routes for checkins. */
#include "http/http.h"

const http_route http_routes_checkins[] = {
    {NULL, NULL, NULL, HTTP_PUBLIC},
};
