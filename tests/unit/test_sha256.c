/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of SHA-256 and hex (base/sha256.c). The hashing tests run twice: on the portable
 * code (forced), then on the x86 SHA extensions when this processor has them (skipped when not:
 * other processors, other compilers, valgrind, whose CPUID does not report them). */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "base/sha256.h"

static void expect_digest(const void *data, size_t len, const char *hex)
{
  uint8_t d[32];
  char h[65];
  cpw__sha256(data, len, d);
  cpw__hex(h, d, 32);
  assert_string_equal(h, hex);
}

/* FIPS 180-2 appendix B and the NIST example values. */
static void test_sha256__nist_vectors(void **state)
{
  static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                             "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  (void)state;
  expect_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect_digest(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  expect_digest(m448, sizeof m448 - 1,
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  expect_digest(m896, sizeof m896 - 1,
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_sha256__million_a(void **state)
{
  static const char expect[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  char *a = malloc(1000000);
  cpw__sha256_ctx c;
  uint8_t d[32];
  char h[65];
  int i;
  (void)state;
  assert_non_null(a);
  memset(a, 'a', 1000000);
  expect_digest(a, 1000000, expect);
  /* in uneven pieces */
  cpw__sha256_init(&c);
  for (i = 0; i < 1000000;) {
    int n = 1 + (i % 1000);
    if (n > 1000000 - i)
      n = 1000000 - i;
    cpw__sha256_update(&c, a + i, (size_t)n);
    i += n;
  }
  cpw__sha256_final(&c, d);
  cpw__hex(h, d, 32);
  assert_string_equal(h, expect);
  free(a);
}

/* A 200-byte message hashed in two pieces split at every point, and byte by byte; the digests
 * of every prefix length 0..200 (all the padding cases) against values from Python's hashlib:
 * the digest of their concatenation. */
static void test_sha256__splits(void **state)
{
  unsigned char msg[200];
  uint8_t whole[32], d[32], all[201 * 32];
  char h[65];
  cpw__sha256_ctx c;
  size_t i, k;
  (void)state;
  for (i = 0; i < sizeof msg; i++)
    msg[i] = (unsigned char)(i * 7 + 3);
  cpw__sha256(msg, sizeof msg, whole);
  cpw__hex(h, whole, 32);
  assert_string_equal(h, "2c7e18c942ef065b526a2d4e5546283749cd3ddfb51d8fc71f42717363685f46");
  for (k = 0; k <= sizeof msg; k++) {
    cpw__sha256_init(&c);
    cpw__sha256_update(&c, msg, k);
    cpw__sha256_update(&c, NULL, 0);
    cpw__sha256_update(&c, msg + k, sizeof msg - k);
    cpw__sha256_final(&c, d);
    assert_memory_equal(d, whole, 32);
  }
  cpw__sha256_init(&c);
  for (i = 0; i < sizeof msg; i++)
    cpw__sha256_update(&c, msg + i, 1);
  cpw__sha256_final(&c, d);
  assert_memory_equal(d, whole, 32);
  for (k = 0; k <= sizeof msg; k++)
    cpw__sha256(msg, k, all + 32 * k);
  expect_digest(all, sizeof all,
                "3275febb4612d86d586eb9f11cd21e648a9fc7d95e0f6b8d362786e28c9c5b79");
}

/* xorshift32: the same sequence as the Python that computed the expected value below */
static uint32_t next_rand(uint32_t *x)
{
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

/* 1000 messages of random lengths 0..2000 and random bytes, each hashed in one piece and in up
 * to five pieces cut at random points (empty pieces included), and on the hardware path also by
 * the portable code: all must agree. The digest of the 1000 digests concatenated is checked
 * against Python's hashlib:
 *   x = 0x2545f491; rand: x ^= x << 13; x ^= x >> 17; x ^= x << 5 (32 bits)
 *   per message: n = rand() % 2001, then n bytes rand() >> 24. */
static void test_sha256__differential(void **state)
{
  unsigned char msg[2000];
  uint8_t one[32], split[32], ref[32], all[32];
  char h[65];
  cpw__sha256_ctx c, a;
  uint32_t x = 0x2545f491u, y = 0x9e3779b9u; /* message stream; cut stream */
  int hardware = strcmp(cpw__sha256_impl(), "portable") != 0, i;
  (void)state;
  cpw__sha256_init(&a);
  for (i = 0; i < 1000; i++) {
    size_t n = next_rand(&x) % 2001, j, k, cuts[6], ncuts = next_rand(&y) % 5;
    for (j = 0; j < n; j++)
      msg[j] = (unsigned char)(next_rand(&x) >> 24);
    cpw__sha256(msg, n, one);
    /* cuts[0] = 0, ncuts sorted random points, then n */
    cuts[0] = 0;
    for (k = 1; k <= ncuts; k++) {
      size_t at = next_rand(&y) % (n + 1), m = k;
      while (m > 1 && cuts[m - 1] > at) {
        cuts[m] = cuts[m - 1];
        m--;
      }
      cuts[m] = at;
    }
    cuts[ncuts + 1] = n;
    cpw__sha256_init(&c);
    for (k = 0; k <= ncuts; k++)
      cpw__sha256_update(&c, msg + cuts[k], cuts[k + 1] - cuts[k]);
    cpw__sha256_final(&c, split);
    assert_memory_equal(one, split, 32);
    if (hardware) {
      cpw__sha256_force_portable(1);
      cpw__sha256(msg, n, ref);
      cpw__sha256_force_portable(0);
      assert_memory_equal(one, ref, 32);
    }
    cpw__sha256_update(&a, one, 32);
  }
  cpw__sha256_final(&a, all);
  cpw__hex(h, all, 32);
  assert_string_equal(h, "edbbea0954b355ff336db52c9583e8dea65523dfb88ba07cab929fdda148a041");
}

static void test_sha256__hex(void **state)
{
  static const uint8_t bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
  char h[13];
  (void)state;
  cpw__hex(h, bytes, sizeof bytes);
  assert_string_equal(h, "00017f80abff");
  cpw__hex(h, bytes, 0);
  assert_string_equal(h, "");
}

static double seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Not a pass/fail test: prints the throughput (meaningful in an optimised build only). */
static void test_sha256__speed(void **state)
{
  enum { BIG = 8 << 20, SMALL = 100, COUNT = 100000 };
  unsigned char *buf = malloc(BIG);
  uint8_t d[32], chain[32] = { 0 };
  double t0, t1, t2;
  int i;
  (void)state;
  assert_non_null(buf);
  for (i = 0; i < BIG; i++)
    buf[i] = (unsigned char)i;
  t0 = seconds();
  cpw__sha256(buf, BIG, d);
  t1 = seconds();
  /* a hash chain as the journal builds it: SHA-256(previous hash || 100-byte entry) */
  for (i = 0; i < COUNT; i++) {
    cpw__sha256_ctx c;
    cpw__sha256_init(&c);
    cpw__sha256_update(&c, chain, 32);
    cpw__sha256_update(&c, buf + (i % 1000), SMALL);
    cpw__sha256_final(&c, chain);
  }
  t2 = seconds();
  print_message("sha256 (%s): %.0f MB/s bulk, %.2f million chained 100-byte entries/s\n",
                cpw__sha256_impl(), BIG / (t1 - t0) / 1e6, COUNT / (t2 - t1) / 1e6);
  free(buf);
}

/* Group fixtures of the two passes: state is NULL when the pass can run. */
static int on_portable(void **state)
{
  cpw__sha256_force_portable(1);
  *state = NULL;
  print_message("sha256: testing the %s code\n", cpw__sha256_impl());
  return 0;
}

static int on_hardware(void **state)
{
  static int absent;
  cpw__sha256_force_portable(0);
  *state = strcmp(cpw__sha256_impl(), "portable") == 0 ? &absent : NULL;
  print_message("sha256: testing the %s code\n",
                *state == NULL ? cpw__sha256_impl() : "hardware (absent: skipped)");
  return 0;
}

static int automatic(void **state)
{
  (void)state;
  cpw__sha256_force_portable(0);
  return 0;
}

/* a hashing test that needs its pass (skipped when the hardware is absent) */
#define PASS(f) cmocka_unit_test(f##_pass)
#define DEFINE_PASS(f)                                                         \
  static void f##_pass(void **state)                                           \
  {                                                                            \
    if (*state != NULL)                                                        \
      skip();                                                                  \
    f(state);                                                                  \
  }
DEFINE_PASS(test_sha256__nist_vectors)
DEFINE_PASS(test_sha256__million_a)
DEFINE_PASS(test_sha256__splits)
DEFINE_PASS(test_sha256__differential)

int main(void)
{
  const struct CMUnitTest hashing[] = {
    PASS(test_sha256__nist_vectors),
    PASS(test_sha256__million_a),
    PASS(test_sha256__splits),
    PASS(test_sha256__differential),
  };
  const struct CMUnitTest others[] = {
    cmocka_unit_test(test_sha256__hex),
    cmocka_unit_test(test_sha256__speed),
  };
  int failed = cmocka_run_group_tests_name("sha256 portable", hashing, on_portable, automatic);
  failed += cmocka_run_group_tests_name("sha256 hardware", hashing, on_hardware, automatic);
  return failed + cmocka_run_group_tests_name("sha256", others, NULL, NULL);
}
