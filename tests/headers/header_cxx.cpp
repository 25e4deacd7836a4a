/* SPDX-License-Identifier: Apache-2.0 */
// The public header compiles as C++ (extern "C", no C-only constructs).
#include <cpw.h>

int main()
{
  cpw_ctx *ctx = nullptr;
  cpw_ctx_options opts = CPW_CTX_OPTIONS_INIT;
  int rc = cpw_ctx_new(&ctx, &opts);
  cpw_ctx_free(ctx);
  return rc;
}
