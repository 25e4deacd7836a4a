/* examples/cpw/check.c: `cpw check POLICY...`: compile and statically check policy files. */
#include "cpw.h"

#include <string.h>

int cpw_cmd_check(int argc, char **argv)
{
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  int rc, i;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    FILE *f = argc < 2 ? stderr : stdout;
    fprintf(f, "usage: cpw check POLICY...\n\n"
               "Compile the policy files together as one policy and run the static checks.\n"
               "Diagnostics are printed as FILE:LINE:COLUMN: error|warning: MESSAGE.\n"
               "Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage, 3 I/O.\n");
    return argc < 2 ? CPW_EXIT_USAGE : CPW_EXIT_OK;
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
    printf("%s: policy '%s' version '%s': %zu fields, %zu programmes, %zu workflows, %zu care "
           "settings; hash %s\n", argc == 2 ? argv[1] : "policy", cpw_policy_name(pol),
           cpw_policy_version(pol), cpw_policy_field_count(pol), cpw_policy_program_count(pol),
           cpw_policy_workflow_count(pol), cpw_policy_setting_count(pol), cpw_policy_hash(pol));
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
  return rc;
}
