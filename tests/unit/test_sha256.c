/* Unit tests of SHA-256 and hex (base/sha256.c). */
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
  print_message("sha256: %.0f MB/s bulk, %.2f million chained 100-byte entries/s\n",
                BIG / (t1 - t0) / 1e6, COUNT / (t2 - t1) / 1e6);
  free(buf);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sha256__nist_vectors),
    cmocka_unit_test(test_sha256__million_a),
    cmocka_unit_test(test_sha256__splits),
    cmocka_unit_test(test_sha256__hex),
    cmocka_unit_test(test_sha256__speed),
  };
  return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
