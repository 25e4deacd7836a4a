/* SPDX-License-Identifier: Apache-2.0 */
/* policy/value.h: reading a field value from text by the field's type. */
#ifndef CPW_POLICY_VALUE_H
#define CPW_POLICY_VALUE_H

#include "policy/policy_int.h"

/* the slot of a name (len >= 1) in an enum's perfect hash with multiplier mul */
CPW__ALWAYS_INLINE uint32_t cpw__enum_slot(uint32_t mul, const char *s, size_t len)
{
  uint32_t key = (uint32_t)(unsigned char)s[0] | (uint32_t)(unsigned char)s[len - 1] << 8 |
                 (uint32_t)(len & 0xFFFF) << 16;
  return (key * mul) >> 26; /* 0 .. CPW__ENUM_SLOTS - 1 */
}

/* Parse text as a value of field fd's type: bool true/false/yes/no/1/0, int, money in GEL
 * ("1000", "12.50"), date, datetime, enum value name, set of names separated by '|' or ';'.
 * Text fields are not handled here. CPW_EINVALID with a message naming the field (never the
 * value). */
int cpw__value_parse(cpw_ctx *ctx, const cpw_policy *pol, const cpw__field *fd, const char *s,
                     size_t len, int64_t *value);
/* An enum's member by name (any bytes, len of them): 1 with *v, or 0. A perfect hash of the
 * first byte, the last and the length picks the one member the name can be, then the bytes are
 * compared; an enum with no such hash (cpw__enum_hash found none) uses its index. */
CPW__ALWAYS_INLINE int cpw__enum_find(const cpw__enum *e, const char *s, size_t len, uint32_t *v)
{
  uint32_t m;
  const char *name;
  size_t i;
  if (e->mul == 0)
    return cpw__map_get(&e->index, s, len, v);
  if (len == 0)
    return 0;
  m = e->slot[cpw__enum_slot(e->mul, s, len)];
  if (m == 0 || e->lens[m - 1] != len)
    return 0;
  name = e->members[m - 1];
  for (i = 0; i < len; i++) /* inline: names are a few bytes; a call to memcmp costs more */
    if (name[i] != s[i])
      return 0;
  *v = m - 1;
  return 1;
}
/* Build e's perfect hash (e->mul, e->slot) when one of a few multipliers gives one; else
 * e->mul is 0. */
void cpw__enum_hash(cpw__enum *e);
/* Whole numbers with an optional sign; 0 or -1. */
int cpw__parse_int(const char *s, size_t len, int64_t *out);
/* Amounts in GEL with up to two decimals, into tetri; 0 or -1. */
int cpw__parse_money(const char *s, size_t len, int64_t *out);

#endif
