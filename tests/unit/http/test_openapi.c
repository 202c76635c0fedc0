/* test_openapi.c: the schema notation of the route tables and renderers
 * (src/http/openapi.c) becomes exactly the JSON Schema it says, and what
 * does not parse is refused with where. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"

/* The notation's schema, as compact JSON text with sorted keys. */
static char *schema(const char *notation) {
  char err[200];
  json_t *v = http_schema_parse(notation, NULL, err, sizeof err);
  if (!v) return NULL;
  char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(v);
  return text;
}

static void assert_schema(const char *notation, const char *want) {
  char *got = schema(notation);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void notation_object_members_required_unless_marked(void **state) {
  (void)state;
  assert_schema("{id:id title?:str}",
                "{\"additionalProperties\":false,\"properties\":{\"id\":{\"minimum\":1,\"type\":"
                "\"integer\"},\"title\":{\"type\":\"string\"}},\"required\":[\"id\"],\"type\":"
                "\"object\"}");
}

static void notation_nullable_enum_array_map_and_reference(void **state) {
  (void)state;
  assert_schema("time?", "{\"format\":\"date-time\",\"type\":[\"string\",\"null\"]}");
  assert_schema("=a,b?", "{\"enum\":[\"a\",\"b\",null],\"type\":[\"string\",\"null\"]}");
  assert_schema("[int]", "{\"items\":{\"type\":\"integer\"},\"type\":\"array\"}");
  assert_schema("<num?>",
                "{\"additionalProperties\":{\"type\":[\"number\",\"null\"]},\"type\":\"object\"}");
  assert_schema("Goal?", "{\"anyOf\":[{\"$ref\":\"#/components/schemas/Goal\"},{\"type\":\"null\"}]}");
  assert_schema("Suppressed|num",
                "{\"anyOf\":[{\"$ref\":\"#/components/schemas/Suppressed\"},{\"type\":\"number\"}]}");
}

static void notation_refuses_what_does_not_parse(void **state) {
  (void)state;
  char err[200];
  json_t *known = json_object();
  assert_null(http_schema_parse("{id id}", NULL, err, sizeof err));
  assert_non_null(strstr(err, "':' was expected"));
  assert_null(http_schema_parse("[int", NULL, err, sizeof err));
  assert_null(http_schema_parse("integer", NULL, err, sizeof err));
  assert_non_null(strstr(err, "unknown type"));
  assert_null(http_schema_parse("Missing", known, err, sizeof err));
  assert_non_null(strstr(err, "does not exist"));
  assert_null(http_schema_parse("{a:int} extra", NULL, err, sizeof err));
  json_decref(known);
}

static void every_route_is_described_and_the_document_builds(void **state) {
  (void)state;
  const char *why = NULL;
  const char *text = http_openapi_text(&why);
  assert_null(why);
  assert_non_null(text);
  json_t *doc = json_loads(text, 0, NULL);
  assert_non_null(doc);
  size_t ntables, nroutes = 0, nops = 0;
  const http_route_table *t = http_route_tables(&ntables);
  for (size_t i = 0; i < ntables; i++)
    for (const http_route *r = t[i].routes; r->method; r++) nroutes++;
  const char *path;
  json_t *item;
  json_object_foreach(json_object_get(doc, "paths"), path, item) nops += json_object_size(item);
  assert_int_equal(nops, nroutes + 1); /* and the document's own path */
  json_decref(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(notation_object_members_required_unless_marked),
      cmocka_unit_test(notation_nullable_enum_array_map_and_reference),
      cmocka_unit_test(notation_refuses_what_does_not_parse),
      cmocka_unit_test(every_route_is_described_and_the_document_builds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
