/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/check.c: `cpw check POLICY...`: compile and statically check policy files. */
#include "cpw.h"

#include <string.h>

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw check [--strict] POLICY...\n\n"
             "Compile the policy files together as one policy and run the static checks. A\n"
             "POLICY is a file, a directory (its .cpw files, in name order), or '-' for\n"
             "standard input. Diagnostics are printed as FILE:LINE:COLUMN: error|warning:\n"
             "MESSAGE, with the line and a caret under the column. A policy without errors\n"
             "gets a summary: its name, version, counts, programmes and content hash.\n"
             "--strict also warns about every rule that states no basis (law, regulation,\n"
             "agency_default or proposal, with its sources) and fails when there is one.\n"
             "Exit status: 0 no errors (warnings allowed; with --strict, no rule without a\n"
             "basis), 1 errors, 2 usage, 3 I/O.\n");
}

/* --strict: a warning for every rule that states no basis (nor inherits one). */
static size_t warn_unsourced(const cpw_policy *pol)
{
  size_t i, n = 0;
  for (i = 0; i < cpw_policy_rule_count(pol); i++) {
    const cpw_rule *r = cpw_policy_rule_at(pol, i);
    int line;
    const char *file = cpw_rule_file(r, &line);
    if (cpw_rule_status(r) != CPW_BASIS_NONE)
      continue;
    fprintf(stderr, "%s:%d:1: warning: %s '%s' has no basis: add 'basis law|regulation|"
            "agency_default|proposal (SOURCE)'\n", file, line,
            cpw_rule_kind_name(cpw_rule_kind_of(r)), cpw_rule_name(r));
    n++;
  }
  return n;
}

int cpw_cmd_check(int argc, char **argv)
{
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  const char *files[64];
  size_t nfiles = 0, k, n;
  int rc, i, strict = 0;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : cpw_tool_finish("check", stdout, CPW_EXIT_OK);
  }
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--strict") == 0) {
      strict = 1;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "cpw check: unknown option '%s'\n", argv[i]);
      return CPW_EXIT_USAGE;
    } else if (nfiles < 64) {
      files[nfiles++] = argv[i];
    } else {
      fprintf(stderr, "cpw check: at most 64 policy files (give a directory)\n");
      return CPW_EXIT_USAGE;
    }
  }
  if (nfiles == 0) {
    fprintf(stderr, "cpw check: POLICY is required (see cpw check --help)\n");
    return CPW_EXIT_USAGE;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc == CPW_EXIT_OK) {
    size_t unsourced = strict ? warn_unsourced(pol) : 0;
    n = cpw_policy_program_count(pol);
    printf("%s: policy '%s' version '%s': %zu field%s, %zu programme%s, %zu workflow%s, %zu "
           "care setting%s; hash %s\n",
           nfiles == 1 ? files[0] : "policy", cpw_policy_name(pol),
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
    if (strict)
      printf("%zu rules, %zu without a basis\n", cpw_policy_rule_count(pol), unsourced);
    if (unsourced > 0)
      rc = CPW_EXIT_FAILURE;
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
  return cpw_tool_finish("check", stdout, rc);
}
