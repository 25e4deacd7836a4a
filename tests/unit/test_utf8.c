/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of UTF-8 validation and encoding (base/utf8.c). */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

#define VALID(lit) assert_int_equal(cpw__utf8_valid(lit, sizeof(lit) - 1), 1)
#define INVALID(lit) assert_int_equal(cpw__utf8_valid(lit, sizeof(lit) - 1), 0)

static void test_utf8__valid(void **state)
{
  (void)state;
  assert_int_equal(cpw__utf8_valid(NULL, 0), 1);
  VALID("");
  VALID("plain ASCII text that is longer than eight bytes");
  VALID("\x00");                       /* U+0000 is a character */
  VALID("\xC2\x80");                   /* U+0080 */
  VALID("\xDF\xBF");                   /* U+07FF */
  VALID("\xE0\xA0\x80");               /* U+0800 */
  VALID("\xED\x9F\xBF");               /* U+D7FF, just below the surrogates */
  VALID("\xEE\x80\x80");               /* U+E000, just above */
  VALID("\xEF\xBF\xBF");               /* U+FFFF */
  VALID("\xF0\x90\x80\x80");           /* U+10000 */
  VALID("\xF4\x8F\xBF\xBF");           /* U+10FFFF, the last code point */
  VALID("Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80 ok");
}

static void test_utf8__invalid(void **state)
{
  (void)state;
  /* overlong forms */
  INVALID("\xC0\x80");
  INVALID("\xC1\xBF");
  INVALID("\xE0\x80\x80");
  INVALID("\xE0\x9F\xBF");
  INVALID("\xF0\x80\x80\x80");
  INVALID("\xF0\x8F\xBF\xBF");
  /* surrogates */
  INVALID("\xED\xA0\x80");             /* U+D800 */
  INVALID("\xED\xBF\xBF");             /* U+DFFF */
  INVALID("\xED\xA0\xBD\xED\xB8\x80"); /* a CESU-8 pair */
  /* above U+10FFFF and impossible lead bytes */
  INVALID("\xF4\x90\x80\x80");
  INVALID("\xF5\x80\x80\x80");
  INVALID("\xF8\x88\x80\x80\x80");
  INVALID("\xFE");
  INVALID("\xFF");
  /* continuation bytes alone, bad continuation */
  INVALID("\x80");
  INVALID("\xBF");
  INVALID("\xC3\x28");
  INVALID("\xE2\x82\x28");
  INVALID("\xF0\x9F\x98\x28");
  /* truncated sequences, alone and at the end of longer text (past the ASCII fast path) */
  INVALID("\xC3");
  INVALID("\xE2\x82");
  INVALID("\xF0\x9F\x98");
  INVALID("0123456789abcdef\xC3");
  INVALID("0123456789abcdef\xF0\x9F\x98");
  INVALID("0123456789abcdef\xE2\x82" "0123456789abcdef");
}

/* The code point of a 1 to 4 byte sequence the naive way, or -1 for a malformed one. */
static long reference_decode(const unsigned char *s, size_t n)
{
  long cp;
  size_t i, want;
  if (s[0] < 0x80)
    return n == 1 ? s[0] : -1;
  if ((s[0] & 0xE0) == 0xC0) {
    want = 2;
    cp = s[0] & 0x1F;
  } else if ((s[0] & 0xF0) == 0xE0) {
    want = 3;
    cp = s[0] & 0x0F;
  } else if ((s[0] & 0xF8) == 0xF0) {
    want = 4;
    cp = s[0] & 0x07;
  } else {
    return -1;
  }
  if (n != want)
    return -1;
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return -1;
    cp = cp << 6 | (s[i] & 0x3F);
  }
  if ((want == 2 && cp < 0x80) || (want == 3 && cp < 0x800) || (want == 4 && cp < 0x10000))
    return -1; /* overlong */
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return -1;
  return cp;
}

/* Every sequence of one, two and three bytes, and a sweep of four-byte ones, against the naive
 * definition. */
static void test_utf8__exhaustive(void **state)
{
  unsigned char s[4];
  unsigned a, b, c, d;
  (void)state;
  for (a = 0; a < 256; a++) {
    s[0] = (unsigned char)a;
    assert_int_equal(cpw__utf8_valid((const char *)s, 1), reference_decode(s, 1) >= 0);
    for (b = 0; b < 256; b++) {
      s[1] = (unsigned char)b;
      assert_int_equal(cpw__utf8_valid((const char *)s, 2),
                       reference_decode(s, 2) >= 0 ||
                         (reference_decode(s, 1) >= 0 && reference_decode(s + 1, 1) >= 0));
      if (a < 0xE0 || a > 0xEF)
        continue; /* three-byte leads only: the rest is covered by the shorter checks */
      for (c = 0; c < 256; c++) {
        s[2] = (unsigned char)c;
        assert_int_equal(cpw__utf8_valid((const char *)s, 3), reference_decode(s, 3) >= 0);
      }
    }
  }
  for (a = 0xF0; a < 0x100; a++)
    for (b = 0x70; b < 0xD0; b++)
      for (c = 0x70; c < 0xD0; c += 0x0F)
        for (d = 0x70; d < 0xD0; d += 0x0F) {
          s[0] = (unsigned char)a;
          s[1] = (unsigned char)b;
          s[2] = (unsigned char)c;
          s[3] = (unsigned char)d;
          assert_int_equal(cpw__utf8_valid((const char *)s, 4), reference_decode(s, 4) >= 0);
        }
}

static void test_utf8__encode(void **state)
{
  char out[4];
  uint32_t cp;
  (void)state;
  assert_int_equal(cpw__utf8_encode(out, 0), 1);
  assert_int_equal(out[0], 0);
  assert_int_equal(cpw__utf8_encode(out, 0x7F), 1);
  assert_int_equal(cpw__utf8_encode(out, 0xE9), 2);
  assert_memory_equal(out, "\xC3\xA9", 2);
  assert_int_equal(cpw__utf8_encode(out, 0x20AC), 3);
  assert_memory_equal(out, "\xE2\x82\xAC", 3);
  assert_int_equal(cpw__utf8_encode(out, 0x1F600), 4);
  assert_memory_equal(out, "\xF0\x9F\x98\x80", 4);
  assert_int_equal(cpw__utf8_encode(out, 0x10FFFF), 4);
  assert_memory_equal(out, "\xF4\x8F\xBF\xBF", 4);
  assert_int_equal(cpw__utf8_encode(out, 0xD800), 0);
  assert_int_equal(cpw__utf8_encode(out, 0xDFFF), 0);
  assert_int_equal(cpw__utf8_encode(out, 0x110000), 0);
  assert_int_equal(cpw__utf8_encode(out, 0xFFFFFFFFu), 0);
  /* every code point encodes to a valid sequence that decodes back, with the shortest length */
  for (cp = 0; cp <= 0x10FFFF; cp++) {
    size_t n = cpw__utf8_encode(out, cp);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      assert_int_equal(n, 0);
      continue;
    }
    assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
    assert_int_equal(cpw__utf8_valid(out, n), 1);
    assert_int_equal(reference_decode((const unsigned char *)out, n), (long)cp);
  }
}

/* cpw__utf8_sanitize checks ASCII eight bytes at a time: a bad byte, a good character or a
 * cut character at every position of a message, before, across and after a word boundary,
 * each replaced (or kept) exactly as a byte-by-byte pass would. */
static void test_utf8__sanitize(void **state)
{
  static const struct {
    const char *piece, *want;
  } cases[] = {
    { "\xC3\xA9", "\xC3\xA9" },         /* é: kept */
    { "\xE1\x83\x91", "\xE1\x83\x91" }, /* Georgian ბ: kept */
    { "\xFF", "?" },                     /* never valid */
    { "\xC3", "?" },                     /* a lead byte with no continuation */
    { "\x80", "?" },                     /* a continuation byte alone */
    { "\xE1\x83", "??" },               /* a character cut short */
  };
  size_t c, pos;
  (void)state;
  for (c = 0; c < sizeof cases / sizeof cases[0]; c++)
    for (pos = 0; pos <= 20; pos++) {
      char buf[64], want[64];
      memset(buf, 'a', pos);
      memset(want, 'a', pos);
      snprintf(buf + pos, sizeof buf - pos, "%s-tail", cases[c].piece);
      snprintf(want + pos, sizeof want - pos, "%s-tail", cases[c].want);
      cpw__utf8_sanitize(buf);
      if (strcmp(buf, want) != 0)
        fail_msg("case %zu at %zu: got '%s'", c, pos, buf);
    }
  {
    char ascii[] = "0123456789abcdefghijklmnopqrstuvwxyz", empty[] = "";
    cpw__utf8_sanitize(ascii);
    assert_string_equal(ascii, "0123456789abcdefghijklmnopqrstuvwxyz");
    cpw__utf8_sanitize(empty);
    assert_string_equal(empty, "");
  }
}

/* Ids (case, placement, person): 1 to max bytes of UTF-8, no control character, no space at
 * either end. Printable ASCII takes a shorter road than the rest: both at every length around
 * the limit, and a problem at the first, a middle and the last byte. */
static void test_utf8__id_problem(void **state)
{
  char id[300];
  size_t n, at;
  (void)state;
  assert_string_equal(cpw__id_problem(NULL, 256), "is empty");
  assert_string_equal(cpw__id_problem("", 256), "is empty");
  for (n = 1; n <= 258; n++) {
    memset(id, 'k', n);
    id[n] = '\0';
    if (n <= 256)
      assert_null(cpw__id_problem(id, 256));
    else
      assert_string_equal(cpw__id_problem(id, 256), "is longer than 256 bytes");
    if (n < 3 || n > 256)
      continue;
    for (at = 0; at < n; at += n - 1 > 2 ? (n - 1) / 2 : 1) {
      id[at] = ' ';
      if (at == 0 || at == n - 1)
        assert_string_equal(cpw__id_problem(id, 256), "begins or ends with a space");
      else
        assert_null(cpw__id_problem(id, 256));
      id[at] = '\n';
      assert_string_equal(cpw__id_problem(id, 256), "holds a control character (a line break?)");
      id[at] = 0x7F;
      assert_string_equal(cpw__id_problem(id, 256), "holds a control character (a line break?)");
      id[at] = (char)0xC3; /* a lead byte alone */
      assert_string_equal(cpw__id_problem(id, 256), "is not valid UTF-8");
      id[at] = 'k';
    }
  }
  /* UTF-8 letters (U+00E9, 2 bytes each): 128 of them are 256 bytes */
  for (n = 0; n < 128; n++) {
    id[2 * n] = (char)0xC3;
    id[2 * n + 1] = (char)0xA9;
  }
  id[256] = '\0';
  assert_null(cpw__id_problem(id, 256));
  id[256] = 'k';
  id[257] = '\0';
  assert_string_equal(cpw__id_problem(id, 256), "is longer than 256 bytes");
  assert_null(cpw__id_problem("case-12 \xe1\x83\x90", 256));
  assert_string_equal(cpw__id_problem("\xe1\x83\x90 ", 256), "begins or ends with a space");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_utf8__valid),
    cmocka_unit_test(test_utf8__invalid),
    cmocka_unit_test(test_utf8__exhaustive),
    cmocka_unit_test(test_utf8__encode),
    cmocka_unit_test(test_utf8__sanitize),
    cmocka_unit_test(test_utf8__id_problem),
  };
  return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
