/* replay.c: runs a fuzz target over saved inputs, without libFuzzer.
 *
 *     fuzz_json_body tests/fuzz/corpus/json_body [more dirs or files]
 *
 * Every regular file of each directory (in name order, so a failure
 * repeats) is read into a buffer of exactly its size and passed to
 * LLVMFuzzerTestOneInput, as libFuzzer would. A broken property or a
 * sanitizer report stops the run with a non-zero status; an empty or
 * missing corpus fails too, so a test that replays nothing cannot pass.
 * Prints which input it is at before running it, so a crash names it.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

/* Reads path whole into a malloc'd buffer of exactly its size. */
static uint8_t *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      cap *= 2;
      uint8_t *grown = realloc(buf, cap);
      if (!grown) free(buf);
      buf = grown;
    }
  }
  bool bad = ferror(f) != 0;
  fclose(f);
  if (!buf || bad) {
    free(buf);
    return NULL;
  }
  uint8_t *exact = malloc(n ? n : 1);
  if (exact && n) memcpy(exact, buf, n);
  free(buf);
  *size = n;
  return exact;
}

static int run_file(const char *path) {
  size_t size = 0;
  uint8_t *data = read_all(path, &size);
  if (!data) {
    fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
    return -1;
  }
  fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file in dir; returns how many, or -1. */
static int run_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *ent;
  while ((ent = readdir(d))) {
    if (ent->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **grown = realloc(names, cap * sizeof *names);
      if (!grown) abort();
      names = grown;
    }
    size_t len = strlen(dir) + 1 + strlen(ent->d_name) + 1;
    names[n] = malloc(len);
    if (!names[n]) abort();
    snprintf(names[n++], len, "%s/%s", dir, ent->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
      if (run_file(names[i]) < 0) count = -1;
      else if (count >= 0) count++;
    }
    free(names[i]);
  }
  free(names);
  return count;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  int total = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no such corpus: %s\n", argv[i]);
      return 1;
    }
    int n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : (run_file(argv[i]) < 0 ? -1 : 1);
    if (n < 0) return 1;
    if (n == 0) {
      fprintf(stderr, "replay: %s holds no inputs\n", argv[i]);
      return 1;
    }
    total += n;
  }
  printf("replayed %d inputs through %s\n", total, argv[0]);
  return 0;
}
