/* SPDX-License-Identifier: Apache-2.0 */
/* policy/value.c: reading field values from text (CSV cells, form input, JSON strings, event
 * values), by the field's type. */
#include "policy/value.h"


int cpw__parse_int(const char *s, size_t len, int64_t *out)
{
  size_t i = 0;
  int neg = 0;
  uint64_t v = 0;
  if (len == 0)
    return -1;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == len)
    return -1;
  if (len - i <= 18) { /* at most 18 digits cannot overflow: no check per digit */
    for (; i < len; i++) {
      unsigned d = (unsigned)((unsigned char)s[i] - '0');
      if (d > 9)
        return -1;
      v = v * 10 + d;
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
  }
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    if (v > (UINT64_C(9223372036854775808) - (uint64_t)(s[i] - '0')) / 10)
      return -1;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (!neg && v > (uint64_t)INT64_MAX)
    return -1;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 0;
}

/* "1000", "12.5", "12.50", "-3.05" GEL -> tetri */
int cpw__parse_money(const char *s, size_t len, int64_t *out)
{
  const char *dot = memchr(s, '.', len);
  int64_t whole, frac = 0;
  size_t nf;
  if (dot == NULL) {
    if (cpw__parse_int(s, len, &whole) != 0 || whole > INT64_MAX / 100 || whole < INT64_MIN / 100)
      return -1;
    *out = whole * 100;
    return 0;
  }
  nf = len - (size_t)(dot - s) - 1;
  if (nf == 0 || nf > 2 || dot == s || (dot == s + 1 && (s[0] == '-' || s[0] == '+')))
    return -1;
  if (cpw__parse_int(s, (size_t)(dot - s), &whole) != 0 || whole > INT64_MAX / 100 - 1 ||
      whole < INT64_MIN / 100 + 1)
    return -1;
  if (dot[1] < '0' || dot[1] > '9' || (nf == 2 && (dot[2] < '0' || dot[2] > '9')))
    return -1;
  frac = (dot[1] - '0') * 10 + (nf == 2 ? dot[2] - '0' : 0);
  *out = s[0] == '-' ? whole * 100 - frac : whole * 100 + frac;
  return 0;
}

void cpw__enum_hash(cpw__enum *e)
{
  /* odd multipliers with well-mixed high bits; the first that separates every member wins */
  static const uint32_t muls[] = { 0x9E3779B1u, 0x85EBCA77u, 0xC2B2AE3Du, 0x27D4EB2Fu,
                                   0x165667B1u, 0xD3A2646Du, 0xFD7046C5u, 0xB55A4F09u };
  size_t k;
  uint32_t i;
  e->mul = 0;
  for (k = 0; k < sizeof muls / sizeof muls[0]; k++) {
    memset(e->slot, 0, sizeof e->slot);
    for (i = 0; i < e->nmembers; i++) {
      uint32_t h;
      if (e->lens[i] == 0)
        break;
      h = cpw__enum_slot(muls[k], e->members[i], e->lens[i]);
      if (e->slot[h] != 0)
        break; /* two members share a slot */
      e->slot[h] = (uint8_t)(i + 1);
    }
    if (i == e->nmembers) {
      e->mul = muls[k];
      return;
    }
  }
  memset(e->slot, 0, sizeof e->slot);
}

int cpw__value_parse(cpw_ctx *ctx, const cpw_policy *pol, const cpw__field *fd, const char *s,
                     size_t len, int64_t *value)
{
  switch (fd->type) {
  case T_BOOL:
    if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 3 && memcmp(s, "yes", 3) == 0) ||
        (len == 1 && s[0] == '1')) {
      *value = 1;
      return CPW_OK;
    }
    if ((len == 5 && memcmp(s, "false", 5) == 0) || (len == 2 && memcmp(s, "no", 2) == 0) ||
        (len == 1 && s[0] == '0')) {
      *value = 0;
      return CPW_OK;
    }
    return cpw__set_error(ctx, CPW_EINVALID,
                          "field '%s': expected true/false, yes/no or 1/0", fd->name);
  case T_INT:
    if (cpw__parse_int(s, len, value) != 0)
      return cpw__set_error(ctx, CPW_EINVALID, "field '%s': expected a whole number", fd->name);
    return CPW_OK;
  case T_MONEY:
    if (cpw__parse_money(s, len, value) != 0)
      return cpw__set_error(ctx, CPW_EINVALID,
                            "field '%s': expected an amount in GEL such as 1000 or 12.50",
                            fd->name);
    return CPW_OK;
  case T_DATE: {
    cpw_date d;
    if (cpw_date_parse(&d, NULL, s, len) != CPW_OK)
      return cpw__set_error(ctx, CPW_EINVALID, "field '%s': expected a date YYYY-MM-DD that "
                                               "exists", fd->name);
    *value = d;
    return CPW_OK;
  }
  case T_DATETIME: {
    cpw_time t;
    if (cpw_time_parse(&t, NULL, s, len) != CPW_OK)
      return cpw__set_error(ctx, CPW_EINVALID, "field '%s': expected a date-time such as "
                                               "2026-03-02T09:00:00+04:00", fd->name);
    *value = t;
    return CPW_OK;
  }
  case T_ENUM: {
    uint32_t v;
    if (!cpw__enum_find(&pol->enums[fd->enum_id], s, len, &v))
      return cpw__set_error(ctx, CPW_EINVALID, "field '%s': not one of its values", fd->name);
    *value = v;
    return CPW_OK;
  }
  case T_SET: {
    uint64_t mask = 0;
    size_t i = 0;
    while (i <= len) {
      size_t j = i;
      uint32_t v;
      while (j < len && s[j] != '|' && s[j] != ';')
        j++;
      if (j > i) {
        if (!cpw__enum_find(&pol->enums[fd->enum_id], s + i, j - i, &v))
          return cpw__set_error(ctx, CPW_EINVALID, "field '%s': not one of its values",
                                fd->name);
        mask |= UINT64_C(1) << v;
      }
      i = j + 1;
    }
    *value = (int64_t)mask;
    return CPW_OK;
  }
  default:
    return cpw__set_error(ctx, CPW_EINVALID, "field '%s': cannot be read from text", fd->name);
  }
}

