/* SPDX-License-Identifier: Apache-2.0 */
/* eligibility/record.h: the record internals (values per field of one policy). */
#ifndef CPW_ELIGIBILITY_RECORD_H
#define CPW_ELIGIBILITY_RECORD_H

#include "policy/policy_int.h"

struct cpw_record {
  cpw_ctx *ctx;
  const cpw_policy *policy;
  uint32_t n;                /* fields */
  int64_t *vals;             /* per field; text fields hold a pointer to texts[f] */
  uint64_t *known;           /* per field: 1 when set (the VM's lane mask for one lane) */
  uint64_t mask;             /* the same marks as bits, for the fields below 64 (set by mark()
                              * in record.c with known[]; read by the test graphs' fast run) */
  const int64_t **cols;      /* per field: &vals[f] (the VM input) */
  char **texts;              /* per field: owned text copy or NULL */
};

/* Parse `text` as a value of field f's type (CSV cells, JSON strings). On success *value is
 * set; text fields are not handled here. CPW_EINVALID with a message naming the field. */
int cpw__record_parse(cpw_ctx *ctx, const cpw_policy *pol, uint32_t f, const char *text,
                      size_t len, int64_t *value);

#endif
