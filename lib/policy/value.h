/* SPDX-License-Identifier: Apache-2.0 */
/* policy/value.h: reading a field value from text by the field's type. */
#ifndef CPW_POLICY_VALUE_H
#define CPW_POLICY_VALUE_H

#include "policy/policy_int.h"

/* Parse text as a value of field fd's type: bool true/false/yes/no/1/0, int, money in GEL
 * ("1000", "12.50"), date, datetime, enum value name, set of names separated by '|' or ';'.
 * Text fields are not handled here. CPW_EINVALID with a message naming the field (never the
 * value). */
int cpw__value_parse(cpw_ctx *ctx, const cpw_policy *pol, const cpw__field *fd, const char *s,
                     size_t len, int64_t *value);
/* Whole numbers with an optional sign; 0 or -1. */
int cpw__parse_int(const char *s, size_t len, int64_t *out);
/* Amounts in GEL with up to two decimals, into tetri; 0 or -1. */
int cpw__parse_money(const char *s, size_t len, int64_t *out);

#endif
