/* examples/cpw/demo.c: `cpw demo`, the README's main job. */
#include "cpw.h"

#include <string.h>

int cpw_cmd_demo(int argc, char **argv)
{
  cpw_ctx *ctx = NULL;
  cpw_calendar *cal = NULL;
  cpw_date start, due;
  char a[CPW_DATE_BUFSIZE], b[CPW_DATE_BUFSIZE];
  int rc;

  if (argc > 1 && cpw_tool_is_help(argv[1])) {
    printf("usage: cpw demo\n\nRun the built-in demonstration with the embedded Georgian "
           "policy; needs no file.\n");
    return CPW_EXIT_OK;
  }
  if (argc > 1) {
    fprintf(stderr, "cpw demo: unexpected argument '%s'\n", argv[1]);
    return CPW_EXIT_USAGE;
  }
  rc = cpw_ctx_new(&ctx, NULL);
  if (rc != CPW_OK)
    return cpw_tool_fail(NULL, rc, "creating a context");
  printf("libcpw %s\n", cpw_version_string());
  rc = cpw_calendar_new_georgia(&cal, ctx);
  if (rc == CPW_OK)
    rc = cpw_date_parse(&start, ctx, "2026-04-09", 10);
  if (rc == CPW_OK)
    rc = cpw_calendar_add_working_days(cal, &due, start, 3);
  if (rc != CPW_OK) {
    cpw_calendar_free(cal);
    rc = cpw_tool_fail(ctx, rc, "working days");
    cpw_ctx_free(ctx);
    return rc;
  }
  cpw_date_format(a, sizeof a, start);
  cpw_date_format(b, sizeof b, due);
  printf("A referral registered on %s (Day of National Unity, before Orthodox Easter 2026)\n"
         "must be assessed within 3 working days: by %s.\n", a, b);
  cpw_calendar_free(cal);
  cpw_ctx_free(ctx);
  return CPW_EXIT_OK;
}
