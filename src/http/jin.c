/* jin.c: reading JSON request bodies field by field (see http.h). */
#include "http/http.h"

#include <math.h>
#include <string.h>

/* RFC 6901: '~' becomes "~0" and '/' becomes "~1". */
const char *jin_pointer(jin *j, const char *key) {
  size_t n = strlen(j->prefix) + 1 + 2 * strlen(key) + 1;
  char *p = arena_alloc(j->a, n), *q = p;
  size_t pn = strlen(j->prefix);
  memcpy(q, j->prefix, pn);
  q += pn;
  *q++ = '/';
  for (const char *k = key; *k; k++) {
    if (*k == '~' || *k == '/') {
      *q++ = '~';
      *q++ = *k == '~' ? '0' : '1';
    } else {
      *q++ = *k;
    }
  }
  *q = '\0';
  return p;
}

void jin_start(jin *j, json_t *obj, const char *prefix, const char *const *allowed, arena *a,
               rp_err *e) {
  j->obj = obj;
  j->e = e;
  j->a = a;
  j->prefix = prefix;
  if (!json_is_object(obj)) {
    rp_field(e, *prefix ? prefix : "", "Must be an object.");
    j->obj = NULL;
    return;
  }
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    bool known = false;
    for (const char *const *k = allowed; *k && !known; k++) known = strcmp(*k, key) == 0;
    if (!known) rp_field(e, jin_pointer(j, key), "Unknown field.");
  }
}

/* The member, or NULL; records "Required." when it must be there. null
 * counts as absent. */
static json_t *member(jin *j, const char *key, bool required) {
  json_t *v = j->obj ? json_object_get(j->obj, key) : NULL;
  if (v && json_is_null(v)) v = NULL;
  if (!v && required && j->obj) rp_field(j->e, jin_pointer(j, key), "Required.");
  return v;
}

static void bad(jin *j, const char *key, const char *what) {
  rp_field(j->e, jin_pointer(j, key), "%s", what);
}

const char *jin_text(jin *j, const char *key, bool required, size_t max) {
  json_t *v = member(j, key, required);
  if (!v) return NULL;
  if (!json_is_string(v)) return bad(j, key, "Must be a string."), NULL;
  size_t n = json_string_length(v);
  const char *s = json_string_value(v);
  if (memchr(s, '\0', n)) return bad(j, key, "Must not contain NUL characters."), NULL;
  if (required && n == 0) return bad(j, key, "Must not be empty."), NULL;
  if (n > max) {
    rp_field(j->e, jin_pointer(j, key), "Must be at most %zu bytes.", max);
    return NULL;
  }
  return s;
}

bool jin_int(jin *j, const char *key, bool required, int64_t lo, int64_t hi, int64_t *out) {
  json_t *v = member(j, key, required);
  if (!v) return false;
  if (!json_is_integer(v)) return bad(j, key, "Must be an integer."), false;
  json_int_t x = json_integer_value(v);
  if (x < lo || x > hi) {
    rp_field(j->e, jin_pointer(j, key), "Must be between %lld and %lld.", (long long)lo,
             (long long)hi);
    return false;
  }
  *out = (int64_t)x;
  return true;
}

bool jin_id(jin *j, const char *key, bool required, int64_t *out) {
  json_t *v = member(j, key, required);
  if (!v) return false;
  if (!json_is_integer(v) || json_integer_value(v) < 1)
    return bad(j, key, "Must be a positive integer id."), false;
  *out = (int64_t)json_integer_value(v);
  return true;
}

bool jin_number(jin *j, const char *key, bool required, double lo, double hi, double *out) {
  json_t *v = member(j, key, required);
  if (!v) return false;
  if (!json_is_number(v)) return bad(j, key, "Must be a number."), false;
  double x = json_number_value(v);
  if (!isfinite(x) || x < lo || x > hi) {
    rp_field(j->e, jin_pointer(j, key), "Must be between %g and %g.", lo, hi);
    return false;
  }
  *out = x;
  return true;
}

bool jin_time(jin *j, const char *key, bool required, rp_time *out) {
  json_t *v = member(j, key, required);
  if (!v) return false;
  if (!json_is_string(v) || !rp_time_parse(json_string_value(v), out))
    return bad(j, key, "Must be an RFC 3339 date-time such as 2026-03-01T09:00:00Z."), false;
  return true;
}

bool jin_date(jin *j, const char *key, bool required, int32_t *out) {
  json_t *v = member(j, key, required);
  if (!v) return false;
  if (!json_is_string(v) || !rp_date_parse(json_string_value(v), out))
    return bad(j, key, "Must be a date such as 2026-06-30."), false;
  return true;
}

int jin_enum(jin *j, const char *key, bool required, const char *const *names) {
  json_t *v = member(j, key, required);
  if (!v) return -1;
  if (json_is_string(v)) {
    for (int i = 0; names[i]; i++)
      if (strcmp(names[i], json_string_value(v)) == 0) return i;
  }
  char list[256] = "";
  for (int i = 0; names[i]; i++) {
    size_t n = strlen(list);
    snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", names[i]);
  }
  rp_field(j->e, jin_pointer(j, key), "Must be one of %s.", list);
  return -1;
}

bool jin_bool(jin *j, const char *key, bool required, bool *out) {
  json_t *v = member(j, key, required);
  if (!v) return false;
  if (!json_is_boolean(v)) return bad(j, key, "Must be true or false."), false;
  *out = json_is_true(v);
  return true;
}

json_t *jin_object(jin *j, const char *key, bool required) {
  json_t *v = member(j, key, required);
  if (v && !json_is_object(v)) return bad(j, key, "Must be an object."), NULL;
  return v;
}

json_t *jin_array(jin *j, const char *key, bool required, size_t max_items) {
  json_t *v = member(j, key, required);
  if (!v) return NULL;
  if (!json_is_array(v)) return bad(j, key, "Must be an array."), NULL;
  if (json_array_size(v) > max_items) {
    rp_field(j->e, jin_pointer(j, key), "Must have at most %zu items.", max_items);
    return NULL;
  }
  return v;
}
