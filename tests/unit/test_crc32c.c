/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of CRC-32C (base/crc32c.c). */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "base/crc32c.h"

/* The checksum bit by bit, straight from the definition: the reference for the tables. */
static uint32_t crc_bitwise(uint32_t crc, const unsigned char *p, size_t len)
{
  size_t i;
  int k;
  crc = ~crc;
  for (i = 0; i < len; i++) {
    crc ^= p[i];
    for (k = 0; k < 8; k++)
      crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return ~crc;
}

/* A small deterministic generator (xorshift32) so failures are reproducible. */
static uint32_t next_rand(uint32_t *s)
{
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

static void test_crc32c__check_value(void **state)
{
  (void)state;
  assert_int_equal(cpw__crc32c(0, "123456789", 9), 0xE3069283u);
  assert_int_equal(cpw__crc32c(0, NULL, 0), 0);
  assert_int_equal(cpw__crc32c(0x12345678u, NULL, 0), 0x12345678u);
  assert_int_equal(cpw__crc32c(0, "a", 1), 0xC1D04330u);
}

/* RFC 3720 (iSCSI), appendix B.4. */
static void test_crc32c__iscsi_vectors(void **state)
{
  unsigned char buf[48];
  /* the SCSI read command of B.4 */
  static const unsigned char read_cmd[48] = {
    0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
    0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
  };
  int i;
  (void)state;
  memset(buf, 0, 32);
  assert_int_equal(cpw__crc32c(0, buf, 32), 0x8A9136AAu);
  memset(buf, 0xFF, 32);
  assert_int_equal(cpw__crc32c(0, buf, 32), 0x62A8AB43u);
  for (i = 0; i < 32; i++)
    buf[i] = (unsigned char)i;
  assert_int_equal(cpw__crc32c(0, buf, 32), 0x46DD794Eu);
  for (i = 0; i < 32; i++)
    buf[i] = (unsigned char)(31 - i);
  assert_int_equal(cpw__crc32c(0, buf, 32), 0x113FDB5Cu);
  assert_int_equal(cpw__crc32c(0, read_cmd, 48), 0xD9963A56u);
}

/* Every length 0..300 at every alignment 0..7 against the bit-by-bit definition: this checks
 * all eight written-out tables and the head and tail loops. */
static void test_crc32c__matches_bitwise(void **state)
{
  static unsigned char data[512];
  uint32_t seed = 0x9E3779B9u;
  size_t len, off;
  (void)state;
  for (len = 0; len < sizeof data; len++)
    data[len] = (unsigned char)next_rand(&seed);
  for (off = 0; off < 8; off++)
    for (len = 0; len <= 300; len++)
      assert_int_equal(cpw__crc32c(0, data + off, len), crc_bitwise(0, data + off, len));
  /* every single byte value: the first table entry by entry */
  for (len = 0; len < 256; len++) {
    unsigned char b = (unsigned char)len;
    assert_int_equal(cpw__crc32c(0, &b, 1), crc_bitwise(0, &b, 1));
  }
}

static void test_crc32c__incremental(void **state)
{
  static unsigned char data[4096];
  uint32_t seed = 12345;
  size_t i;
  int round;
  uint32_t whole;
  (void)state;
  for (i = 0; i < sizeof data; i++)
    data[i] = (unsigned char)next_rand(&seed);
  whole = cpw__crc32c(0, data, sizeof data);
  assert_int_equal(whole, crc_bitwise(0, data, sizeof data));
  for (round = 0; round < 200; round++) {
    /* random pieces, including empty ones */
    uint32_t crc = 0;
    size_t pos = 0;
    while (pos < sizeof data) {
      size_t n = next_rand(&seed) % 97;
      if (n > sizeof data - pos)
        n = sizeof data - pos;
      crc = cpw__crc32c(crc, data + pos, n);
      pos += n;
    }
    assert_int_equal(crc, whole);
  }
  /* one split at every point of a short message */
  for (i = 0; i <= 100; i++)
    assert_int_equal(cpw__crc32c(cpw__crc32c(0, data, i), data + i, 100 - i),
                     cpw__crc32c(0, data, 100));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_crc32c__check_value),
    cmocka_unit_test(test_crc32c__iscsi_vectors),
    cmocka_unit_test(test_crc32c__matches_bitwise),
    cmocka_unit_test(test_crc32c__incremental),
  };
  return cmocka_run_group_tests_name("crc32c", tests, NULL, NULL);
}
