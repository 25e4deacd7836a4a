/* examples/cpw/check.c: `cpw check POLICY...`: compile and statically check policy files. */
#include "cpw.h"

#include <string.h>

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw check POLICY...\n\n"
             "Compile the policy files together as one policy and run the static checks. A\n"
             "POLICY is a file, a directory (its .cpw files, in name order), or '-' for\n"
             "standard input. Diagnostics are printed as FILE:LINE:COLUMN: error|warning:\n"
             "MESSAGE, with the line and a caret under the column. A policy without errors\n"
             "gets a summary: its name, version, counts, programmes and content hash.\n"
             "Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage, 3 I/O.\n");
}

int cpw_cmd_check(int argc, char **argv)
{
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  int rc, i;
  size_t k, n;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : cpw_tool_finish("check", stdout, CPW_EXIT_OK);
  }
  for (i = 1; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "cpw check: unknown option '%s'\n", argv[i]);
      return CPW_EXIT_USAGE;
    }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, (const char *const *)(argv + 1), (size_t)(argc - 1), &pol);
  if (rc == CPW_EXIT_OK) {
    n = cpw_policy_program_count(pol);
    printf("%s: policy '%s' version '%s': %zu field%s, %zu programme%s, %zu workflow%s, %zu "
           "care setting%s; hash %s\n",
           argc == 2 ? argv[1] : "policy", cpw_policy_name(pol),
           cpw_policy_version(pol), cpw_policy_field_count(pol),
           cpw_policy_field_count(pol) == 1 ? "" : "s", n, n == 1 ? "" : "s",
           cpw_policy_workflow_count(pol), cpw_policy_workflow_count(pol) == 1 ? "" : "s",
           cpw_policy_setting_count(pol), cpw_policy_setting_count(pol) == 1 ? "" : "s",
           cpw_policy_hash(pol));
    if (n > 0) {
      printf("programmes: ");
      for (k = 0; k < n; k++)
        printf("%s%s", k ? ", " : "", cpw_program_id(cpw_policy_program_at(pol, k)));
      putchar('\n');
    }
    if (cpw_policy_workflow_count(pol) > 0) {
      printf("workflows: ");
      for (k = 0; k < cpw_policy_workflow_count(pol); k++)
        printf("%s%s", k ? ", " : "", cpw_workflow_name(cpw_policy_workflow_at(pol, k)));
      putchar('\n');
    }
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
  return cpw_tool_finish("check", stdout, rc);
}
