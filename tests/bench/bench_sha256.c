/* SPDX-License-Identifier: Apache-2.0 */
/* tests/bench/bench_sha256.c: SHA-256 (lib/base/sha256.c), the portable code against the x86 SHA
 * extensions (when this processor has them).
 *
 *   bench_sha256 [--reps 5] [--seconds 0.2]
 *
 * One JSON line per implementation and message: one-shot hashes of 100-byte and 4096-byte
 * messages, and journal chain links, SHA-256(32-byte previous hash || 100-byte entry) fed in
 * two update() calls, each link hashing the previous digest. Each rep hashes for about
 * --seconds of this thread's CPU time (not wall time: the figures are per core even on a busy
 * machine); hashes per second and MB/s (message bytes) of the median and of the best rep. */
#include "base/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU seconds of this thread (bench_common.h's helpers would be unused here) */
static double bench_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

enum { LINK = 0 };

/* hash `size`-byte messages (or chain links when size is LINK) for about `seconds`: returns the
 * hashes per second */
static double run(const unsigned char *buf, size_t size, double seconds, uint8_t chain[32])
{
  double t0 = bench_now(), t;
  long n = 0;
  do {
    int i;
    for (i = 0; i < 1000; i++) {
      if (size == LINK) {
        cpw__sha256_ctx c;
        cpw__sha256_init(&c);
        cpw__sha256_update(&c, chain, 32);
        cpw__sha256_update(&c, buf + (i & 255), 100);
        cpw__sha256_final(&c, chain);
      } else {
        cpw__sha256(buf + (i & 255), size, chain);
      }
    }
    n += 1000;
    t = bench_now() - t0;
  } while (t < seconds);
  return (double)n / t;
}

int main(int argc, char **argv)
{
  static const size_t sizes[] = { 100, 4096, LINK };
  unsigned char *buf = malloc(4096 + 256);
  uint8_t chain[32] = { 0 };
  double seconds = 0.2;
  int reps = 5, pass, i;
  size_t s;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
      seconds = atof(argv[++i]);
    else {
      fprintf(stderr, "usage: bench_sha256 [--reps N] [--seconds S]\n");
      return 2;
    }
  }
  if (reps < 1 || reps > 16)
    reps = 5;
  if (buf == NULL)
    return 1;
  for (i = 0; i < 4096 + 256; i++)
    buf[i] = (unsigned char)(i * 131 + 7);
  for (pass = 0; pass < 2; pass++) {
    cpw__sha256_force_portable(pass == 0);
    if (pass == 1 && strcmp(cpw__sha256_impl(), "portable") == 0) {
      printf("{\"what\":\"sha256\",\"impl\":\"hardware\",\"absent\":true}\n");
      break;
    }
    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
      double rate[16], med, best = 0;
      size_t bytes = sizes[s] == LINK ? 132 : sizes[s];
      run(buf, sizes[s], seconds / 4, chain); /* warm-up */
      for (i = 0; i < reps; i++) {
        rate[i] = run(buf, sizes[s], seconds, chain);
        if (rate[i] > best)
          best = rate[i];
      }
      qsort(rate, (size_t)reps, sizeof rate[0], cmp_double);
      med = rate[reps / 2];
      printf("{\"what\":\"sha256\",\"impl\":\"%s\",\"message\":\"%s\",\"bytes\":%zu,"
             "\"hashes_per_second\":%.0f,\"best_hashes_per_second\":%.0f,"
             "\"mb_per_second\":%.1f,\"best_mb_per_second\":%.1f}\n",
             cpw__sha256_impl(), sizes[s] == LINK ? "chain_link" : "one_shot", bytes, med, best,
             med * (double)bytes / 1e6, best * (double)bytes / 1e6);
      fflush(stdout);
    }
  }
  cpw__sha256_force_portable(0);
  free(buf);
  return 0;
}
