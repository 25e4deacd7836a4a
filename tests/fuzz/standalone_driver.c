/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/standalone_driver.c: runs a libFuzzer target over files and folders given on the
 * command line (the seed corpus) without libFuzzer, so plain ctest replays every corpus. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf;
  long n;
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    return 1;
  }
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return 1;
  }
  buf = malloc((size_t)n + 1);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    fclose(f);
    return 1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
  return 0;
}

int main(int argc, char **argv)
{
  int i, failures = 0;
  size_t files = 0;
  for (i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "cannot stat %s\n", argv[i]);
      failures++;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      DIR *d = opendir(argv[i]);
      struct dirent *e;
      if (d == NULL) {
        failures++;
        continue;
      }
      while ((e = readdir(d)) != NULL) {
        char path[4096];
        if (e->d_name[0] == '.')
          continue;
        snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
        failures += run_file(path);
        files++;
      }
      closedir(d);
    } else {
      failures += run_file(argv[i]);
      files++;
    }
  }
  printf("replayed %zu inputs\n", files);
  return failures != 0;
}
