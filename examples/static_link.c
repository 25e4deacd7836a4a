/* SPDX-License-Identifier: Apache-2.0 */
/* examples/static_link.c: a program linked statically against libcpw.a (built with CPW_STATIC
 * defined: no import/export decoration). Everything works the same, with nothing to install. */
#include "common.h"

int main(void)
{
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_date d, due;
  char a[CPW_DATE_BUFSIZE], b[CPW_DATE_BUFSIZE];
  CHECK(cpw_ctx_new(&ctx, NULL), NULL);
  CHECK(cpw_policy_default(&pol, ctx), ctx);
  CHECK(cpw_date_parse(&d, ctx, "2025-12-31", 10), ctx);
  CHECK(cpw_calendar_add_working_days(cpw_policy_calendar(pol, NULL), &due, d, 3), ctx);
  cpw_date_format(a, sizeof a, d);
  cpw_date_format(b, sizeof b, due);
  printf("libcpw %s, statically linked: 3 working days after %s is %s (New Year holidays, "
         "days off and Christmas)\n",
         cpw_version_string(), a, b);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return 0;
}
