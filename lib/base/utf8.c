/* SPDX-License-Identifier: Apache-2.0 */
/* base/utf8.c: see utf8.h. The ranges follow the table in RFC 3629, section 4. */
#include "base/utf8.h"

#include <string.h>

size_t cpw__utf8_seq(const unsigned char *s, size_t avail)
{
  unsigned c = s[0];
  unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
  size_t n, i;
  if (c < 0xC2)
    return 0; /* ASCII (not a sequence), a continuation byte, or overlong C0/C1 */
  if (c < 0xE0) {
    n = 2;
  } else if (c < 0xF0) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0;       /* overlong below U+0800 */
    else if (c == 0xED)
      hi = 0x9F;       /* surrogates U+D800..U+DFFF */
  } else if (c < 0xF5) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;       /* overlong below U+10000 */
    else if (c == 0xF4)
      hi = 0x8F;       /* above U+10FFFF */
  } else {
    return 0;
  }
  if (avail < n || s[1] < lo || s[1] > hi)
    return 0;
  for (i = 2; i < n; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  return n;
}

int cpw__utf8_valid(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *end;
  if (len == 0)
    return 1;
  end = p + len;
  while (p < end) {
    /* ASCII fast path, eight bytes at a time */
    while (end - p >= 8) {
      uint64_t w;
      memcpy(&w, p, 8);
      if ((w & UINT64_C(0x8080808080808080)) != 0)
        break;
      p += 8;
    }
    while (p < end && *p < 0x80)
      p++;
    if (p < end) {
      size_t n = cpw__utf8_seq(p, (size_t)(end - p));
      if (n == 0)
        return 0;
      p += n;
    }
  }
  return 1;
}

size_t cpw__utf8_encode(char out[4], uint32_t cp)
{
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      return 0;
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp <= 0x10FFFF) {
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
  }
  return 0;
}

void cpw__utf8_sanitize(char *s)
{
  unsigned char *p = (unsigned char *)s;
  size_t len = strlen(s), i = 0;
  for (; i + 8 <= len; i += 8) { /* most messages are ASCII: eight bytes at a time */
    uint64_t w;
    memcpy(&w, p + i, 8);
    if (w & UINT64_C(0x8080808080808080))
      break;
  }
  while (i < len) {
    size_t n = p[i] < 0x80 ? 1 : cpw__utf8_seq(p + i, len - i);
    if (n == 0) {
      p[i] = '?';
      n = 1;
    }
    i += n;
  }
}

const char *cpw__id_problem(const char *s, size_t max)
{
  size_t n, i;
  if (s == NULL || s[0] == '\0')
    return "is empty";
  /* most ids are printable ASCII: one pass finds their end, the checks below are for the rest */
  for (n = 0; n <= max && (unsigned char)(s[n] - 0x20) < 0x5F; n++)
    ;
  if (n <= max && s[n] == '\0')
    return s[0] == ' ' || s[n - 1] == ' ' ? "begins or ends with a space" : NULL;
  n = strlen(s);
  if (n > max)
    return max == 256 ? "is longer than 256 bytes" : "is too long";
  if (!cpw__utf8_valid(s, n))
    return "is not valid UTF-8";
  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
      return "holds a control character (a line break?)";
  if (s[0] == ' ' || s[n - 1] == ' ')
    return "begins or ends with a space";
  return NULL;
}
