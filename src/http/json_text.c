/* json_text.c: the text of an answer's JSON, byte for byte what jansson's
 * json_dumps(v, HTTP_JSON_DUMP_FLAGS) writes, in a fraction of its time.
 *
 * json_dumps took a quarter of the instructions of a relationship GET: its
 * cycle check prints the address of every object and array with snprintf
 * and keeps it in a hash table, every integer goes through snprintf, and
 * strings are decoded code point by code point and appended through a
 * callback. Here objects are walked in jansson's own order
 * (json_object_iter: insertion order), integers are written by hand, and a
 * string of printable ASCII without '"' or '\\' is copied as it is. Reals
 * and every other string are written by jansson itself (json_dumps with
 * JSON_ENCODE_ANY), so the digits of reals, escaping and the refusal of
 * strings that are not UTF-8 stay exactly jansson's.
 * tests/unit/http/test_json_text.c and the json_body fuzz target compare
 * the two.
 *
 * jout writes one object member by member, as that text or as a jansson
 * value (http.h): a hot answer is written straight to text without a tree
 * in between, while each object keeps one renderer for both uses.
 */
#include "http/http.h"
#include "base/strbuf.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than any answer Rapport builds. A deeper value fails, and so does
 * a cyclic one, as json_dumps fails on a cycle. */
#define JSON_TEXT_DEPTH_MAX 2048
/* Far above any answer; passing it fails as running out of memory would. */
#define JSON_TEXT_MAX ((size_t)1 << 30)

static void put_value(jout *o, const json_t *v, int depth);

/* Small pieces of text are gathered in `buf` and go to `sb` a chunk at a
 * time. A failure sticks (sb.failed, or `bad` for what jansson refused)
 * and is looked at once, at the end. */
static void flush(jout *o) {
  if (o->n) (void)sb_append(&o->sb, o->buf, o->n);
  o->n = 0;
}

static void put_bytes(jout *o, const char *p, size_t n) {
  if (n > sizeof o->buf - o->n) {
    flush(o);
    if (n > sizeof o->buf) {
      (void)sb_append(&o->sb, p, n);
      return;
    }
  }
  memcpy(o->buf + o->n, p, n);
  o->n += n;
}

static void put_char(jout *o, char c) {
  if (o->n == sizeof o->buf) flush(o);
  o->buf[o->n++] = c;
}

/* Whether jansson writes s[0..n) as it is between the quotes. */
static bool plain_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

/* v as jansson writes it. */
static void put_by_jansson(jout *o, const json_t *v) {
  char *text = json_dumps(v, HTTP_JSON_DUMP_FLAGS | JSON_ENCODE_ANY);
  if (!text) {
    o->bad = true;
    return;
  }
  put_bytes(o, text, strlen(text)); /* jansson escapes a NUL inside a string */
  free(text);
}

/* The string s[0..n) with its quotes; v is its jansson value when there is
 * one (NULL for an object's key). */
static void put_string(jout *o, const char *s, size_t n, const json_t *v) {
  if (plain_ascii(s, n)) {
    put_char(o, '"');
    put_bytes(o, s, n);
    put_char(o, '"');
  } else if (v) {
    put_by_jansson(o, v);
  } else {
    /* Keys are UTF-8 (jansson's checked setters and its parser refuse
     * others); one that is not fails here, where json_dumps would write
     * broken text. */
    json_t *key = json_stringn_nocheck(s, n);
    if (key) put_by_jansson(o, key);
    else o->bad = true;
    json_decref(key);
  }
}

/* As "%" JSON_INTEGER_FORMAT prints it. */
static void put_integer(jout *o, json_int_t x) {
  char buf[24];
  char *p = buf + sizeof buf;
  unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (x < 0) *--p = '-';
  put_bytes(o, p, (size_t)(buf + sizeof buf - p));
}

static void put_array(jout *o, const json_t *v, int depth) {
  size_t n = json_array_size(v);
  put_char(o, '[');
  for (size_t i = 0; i < n; i++) {
    if (i) put_char(o, ',');
    put_value(o, json_array_get(v, i), depth + 1);
  }
  put_char(o, ']');
}

static void put_object(jout *o, const json_t *v, int depth) {
  json_t *obj = (json_t *)v; /* jansson's iterators take a non-const object and leave it alone */
  bool first = true;
  put_char(o, '{');
  for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it), first = false) {
    if (!first) put_char(o, ',');
    put_string(o, json_object_iter_key(it), json_object_iter_key_len(it), NULL);
    put_char(o, ':');
    put_value(o, json_object_iter_value(it), depth + 1);
  }
  put_char(o, '}');
}

static void put_value(jout *o, const json_t *v, int depth) {
  if (!v || depth > JSON_TEXT_DEPTH_MAX || o->bad) {
    o->bad = true;
    return;
  }
  switch (json_typeof(v)) {
  case JSON_OBJECT: put_object(o, v, depth); break;
  case JSON_ARRAY: put_array(o, v, depth); break;
  case JSON_STRING: put_string(o, json_string_value(v), json_string_length(v), v); break;
  case JSON_INTEGER: put_integer(o, json_integer_value(v)); break;
  case JSON_REAL: put_by_jansson(o, v); break;
  case JSON_TRUE: put_bytes(o, "true", 4); break;
  case JSON_FALSE: put_bytes(o, "false", 5); break;
  case JSON_NULL: put_bytes(o, "null", 4); break;
  default: o->bad = true;
  }
}

static void text_start(jout *o) {
  memset(o, 0, offsetof(jout, buf));
  sb_init(&o->sb, JSON_TEXT_MAX);
}

/* The text written, or NULL (and nothing kept) when anything failed. */
static char *text_end(jout *o) {
  flush(o);
  if (o->bad || o->sb.failed || o->depth != 0) {
    sb_free(&o->sb);
    return NULL;
  }
  if (!o->sb.data) (void)sb_append(&o->sb, "", 0);
  return o->sb.data;
}

char *http_json_text(const json_t *v) {
  if (!json_is_object(v) && !json_is_array(v)) return NULL; /* as json_dumps without ENCODE_ANY */
  jout o;
  text_start(&o);
  put_value(&o, v, 0);
  return text_end(&o);
}

/* ---- jout ---- */

void jout_text(jout *w) { text_start(w); }

void jout_tree(jout *w) {
  memset(w, 0, offsetof(jout, buf));
  w->as_tree = true;
}

char *jout_text_end(jout *w) { return text_end(w); }

json_t *jout_tree_end(jout *w) {
  json_t *v = w->root;
  if (w->bad || w->depth != 0) {
    json_decref(v);
    return NULL;
  }
  return v;
}

/* Text: the separator and key of a member (at the top level there is
 * neither). Tree: nothing to write yet. */
static void text_member(jout *w, const char *key) {
  if (w->depth == 0) return;
  if (!w->first[w->depth]) put_char(w, ',');
  w->first[w->depth] = false;
  put_string(w, key, strlen(key), NULL);
  put_char(w, ':');
}

/* Tree: v (stolen) becomes the member `key` of the open object, or the
 * root. Once anything failed nothing is touched again (open[] may then
 * name a freed object). */
static void tree_member(jout *w, const char *key, json_t *v) {
  if (w->bad || !v) {
    json_decref(v);
    w->bad = true;
  } else if (w->depth == 0) {
    if (w->root) w->bad = true;
    json_decref(w->root);
    w->root = v;
  } else if (json_object_set_new(w->open[w->depth], key, v)) {
    w->bad = true;
  }
}

void jout_object(jout *w, const char *key) {
  if (w->depth == JOUT_DEPTH_MAX) {
    w->bad = true;
    return;
  }
  if (w->as_tree) {
    json_t *o = json_object();
    w->open[w->depth + 1] = o; /* borrowed: the parent (or the root) holds it */
    tree_member(w, key, o);
  } else {
    text_member(w, key);
    put_char(w, '{');
  }
  w->depth++;
  w->first[w->depth] = true;
}

void jout_close(jout *w) {
  if (w->depth == 0) {
    w->bad = true;
    return;
  }
  w->depth--;
  if (!w->as_tree) put_char(w, '}');
}

void jout_int(jout *w, const char *key, int64_t v) {
  if (w->as_tree) {
    tree_member(w, key, json_integer((json_int_t)v));
  } else {
    text_member(w, key);
    put_integer(w, (json_int_t)v);
  }
}

void jout_bool(jout *w, const char *key, bool v) {
  if (w->as_tree) {
    tree_member(w, key, json_boolean(v));
  } else {
    text_member(w, key);
    if (v) put_bytes(w, "true", 4);
    else put_bytes(w, "false", 5);
  }
}

void jout_null(jout *w, const char *key) {
  if (w->as_tree) {
    tree_member(w, key, json_null());
  } else {
    text_member(w, key);
    put_bytes(w, "null", 4);
  }
}

void jout_str(jout *w, const char *key, const char *s) {
  if (!s) {
    jout_null(w, key);
  } else if (w->as_tree) {
    tree_member(w, key, json_string(s));
  } else {
    text_member(w, key);
    size_t n = strlen(s);
    if (plain_ascii(s, n)) {
      put_string(w, s, n, NULL);
    } else { /* checked as json_string checks it, and written by jansson */
      json_t *v = json_string(s);
      if (v) put_by_jansson(w, v);
      else w->bad = true;
      json_decref(v);
    }
  }
}

void jout_id(jout *w, const char *key, int64_t id) {
  if (id) jout_int(w, key, id);
  else jout_null(w, key);
}

void jout_time(jout *w, const char *key, rp_time t) {
  char buf[RP_TIME_BUFSZ];
  if (t) jout_str(w, key, rp_time_format(t, buf));
  else jout_null(w, key);
}
