/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_csv: the cpw tool's input readers over arbitrary bytes: records (CSV with quotes that
 * span lines, and JSON Lines), CSV field splitting, the id scan of a JSON object, and each
 * line read into a record of the default policy (cpw_record_set_json, cpw_record_set_string).
 * The first byte picks CSV or JSON Lines and the record size limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../examples/cpw/csv.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cpw_ctx *ctx;
static cpw_policy *pol;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  FILE *f;
  cpw_tool_reader r;
  cpw_record *rec = NULL;
  char err[256], id[64];
  int csv, st, n = 0;
  if (ctx == NULL) {
    if (cpw_ctx_new(&ctx, NULL) != CPW_OK || cpw_policy_default(&pol, ctx) != CPW_OK)
      abort();
  }
  if (size < 1)
    return 0;
  csv = data[0] & 1;
  f = fmemopen((void *)(data + 1), size - 1, "rb");
  if (f == NULL)
    return 0;
  if (cpw_record_new(&rec, ctx, pol) != CPW_OK)
    abort();
  cpw_tool_reader_init(&r, f, csv, (data[0] & 2) ? 64 : 1 << 20);
  while ((st = cpw_tool_read_record(&r, err, sizeof err)) != 0 && n++ < 10000) {
    char *fields[64];
    int k, nf;
    if (st < 0) {
      if (strstr(err, "line ") == NULL)
        abort(); /* every reader error names its line */
      if (strstr(err, "not closed") != NULL || strstr(err, "read error") != NULL)
        break;
      continue;
    }
    if (strlen(r.buf) > r.len)
      abort();
    if (csv) {
      nf = cpw_tool_csv_split(r.buf, fields, 64, err, sizeof err);
      for (k = 0; k < nf; k++) {
        size_t idx;
        const char *name = cpw_policy_field_name(pol, (size_t)k % cpw_policy_field_count(pol));
        (void)idx;
        cpw_record_set_string(rec, name, fields[k], strlen(fields[k]));
      }
    } else {
      cpw_tool_json_scalar(r.buf, "id", id, sizeof id);
      cpw_record_set_json_except(rec, r.buf, r.len, (data[0] & 4) ? CPW_RECORD_IGNORE_UNKNOWN : 0,
                                 "id");
    }
  }
  cpw_tool_reader_free(&r);
  cpw_record_free(rec);
  fclose(f);
  return 0;
}
