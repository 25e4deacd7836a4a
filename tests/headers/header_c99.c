/* SPDX-License-Identifier: Apache-2.0 */
/* The public header compiles as strict C99 with every warning as an error. */
#include <cpw.h>

int main(void)
{
  cpw_ctx *ctx = 0;
  int rc = cpw_ctx_new(&ctx, 0);
  cpw_ctx_free(ctx);
  return rc;
}
