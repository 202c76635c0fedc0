/* useragent.c: a browser's family from its User-Agent (useragent.h). */
#include "domain/useragent.h"

#include <stdio.h>
#include <string.h>

typedef struct ua_word {
  const char *token; /* looked for in the header */
  const char *name;  /* what the mail says */
} ua_word;

/* The first that matches wins: the order matters (Edge and Opera say
 * Chrome too, Chrome says Safari, Android says Linux). */
static const ua_word g_browsers[] = {
    {"Edg/", "Edge"},         {"EdgA/", "Edge"},       {"OPR/", "Opera"},
    {"SamsungBrowser/", "Samsung Internet"},           {"Firefox/", "Firefox"},
    {"FxiOS/", "Firefox"},    {"CriOS/", "Chrome"},    {"Chromium/", "Chromium"},
    {"Chrome/", "Chrome"},    {"Safari/", "Safari"},   {"curl/", "curl"},
    {"python-requests/", "a Python program"},          {"Python-urllib/", "a Python program"},
};

static const ua_word g_systems[] = {
    {"Android", "Android"}, {"iPhone", "iOS"},  {"iPad", "iPadOS"},      {"CrOS", "ChromeOS"},
    {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
    {"FreeBSD", "FreeBSD"},
};

static const char *first_match(const char *ua, const ua_word *words, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strstr(ua, words[i].token)) return words[i].name;
  return NULL;
}

const char *ua_family(const char *ua, char *out, size_t cap) {
  const char *browser = NULL, *system = NULL;
  if (ua) {
    browser = first_match(ua, g_browsers, sizeof g_browsers / sizeof g_browsers[0]);
    system = first_match(ua, g_systems, sizeof g_systems / sizeof g_systems[0]);
  }
  if (!browser) snprintf(out, cap, "an unknown browser%s%s", system ? " on " : "", system ? system : "");
  else snprintf(out, cap, "%s%s%s", browser, system ? " on " : "", system ? system : "");
  return out;
}
