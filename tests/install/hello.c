/* SPDX-License-Identifier: Apache-2.0 */
/* Built against the installed library (shared via pkg-config, static via libcpw.a). */
#include <cpw.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
  cpw_ctx *ctx = NULL;
  cpw_date d;
  char buf[CPW_DATE_BUFSIZE];
  if (strcmp(cpw_version_string(), CPW_VERSION_STRING) != 0) {
    fprintf(stderr, "header %s but library %s\n", CPW_VERSION_STRING, cpw_version_string());
    return 1;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return 1;
  if (cpw_date_parse(&d, ctx, "2024-02-29", 10) != CPW_OK)
    return 1;
  cpw_date_format(buf, sizeof buf, d);
  printf("libcpw %s: %s\n", cpw_version_string(), buf);
  cpw_ctx_free(ctx);
  return strcmp(buf, "2024-02-29") != 0;
}
