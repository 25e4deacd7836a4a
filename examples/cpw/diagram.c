/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/diagram.c: `cpw diagram [--format dot|mermaid] [--lang L] [--policy FILE]
 * WORKFLOW`. */
#include "cpw.h"

#include <string.h>

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw diagram [--format dot|mermaid] [--lang en|ka] [--policy FILE|DIR]...\n"
             "                   WORKFLOW\n\n"
             "Print a workflow of the policy (the embedded Georgian one by default) as a\n"
             "Mermaid stateDiagram-v2 (the default: mermaid) or a Graphviz DOT graph\n"
             "(--format dot), with roles and guards on the edges and deadlines as notes.\n"
             "--lang draws states, events, roles and guards by their labels in that language\n"
             "(ka: Georgian).\n"
             "Without WORKFLOW the policy's workflows are listed.\n"
             "Exit status: 0, 2 usage (an unknown workflow), 3 error.\n");
}

int cpw_cmd_diagram(int argc, char **argv)
{
  const char *files[64], *name = NULL, *lang = NULL;
  size_t nfiles = 0;
  int format = CPW_DIAGRAM_MERMAID, i, rc, m;
  cpw_ctx *ctx;
  cpw_policy *pol;
  const cpw_workflow *wf;
  char *text;
  for (i = 1; i < argc; i++) {
    const char *v;
    if (cpw_tool_is_help(argv[i])) {
      usage(stdout);
      return cpw_tool_finish("diagram", stdout, CPW_EXIT_OK);
    } else if ((m = cpw_tool_opt("diagram", argc, argv, &i, "--format", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (strcmp(v, "dot") == 0)
        format = CPW_DIAGRAM_DOT;
      else if (strcmp(v, "mermaid") == 0)
        format = CPW_DIAGRAM_MERMAID;
      else {
        fprintf(stderr, "cpw diagram: --format is dot or mermaid\n");
        return CPW_EXIT_USAGE;
      }
    } else if ((m = cpw_tool_opt("diagram", argc, argv, &i, "--policy", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (nfiles == 64) {
        fprintf(stderr, "cpw diagram: at most 64 --policy options (give a directory)\n");
        return CPW_EXIT_USAGE;
      }
      files[nfiles++] = v;
    } else if ((m = cpw_tool_opt("diagram", argc, argv, &i, "--lang", &lang)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "cpw diagram: unknown option '%s'\n", argv[i]);
      return CPW_EXIT_USAGE;
    } else if (name == NULL) {
      name = argv[i];
    } else {
      fprintf(stderr, "cpw diagram: one workflow at a time\n");
      return CPW_EXIT_USAGE;
    }
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc != CPW_EXIT_OK) {
    cpw_ctx_free(ctx);
    return rc;
  }
  wf = name != NULL ? cpw_policy_workflow(pol, name) : NULL;
  if ((rc = cpw_tool_set_lang(ctx, pol, "diagram", lang)) != CPW_EXIT_OK) {
    /* the message is printed */
  } else if (wf == NULL) {
    size_t k;
    if (name == NULL)
      fprintf(stderr, "cpw diagram: WORKFLOW is required; the policy has:");
    else
      fprintf(stderr, "cpw diagram: no workflow '%s'; the policy has:", name);
    for (k = 0; k < cpw_policy_workflow_count(pol); k++)
      fprintf(stderr, " %s", cpw_workflow_name(cpw_policy_workflow_at(pol, k)));
    fprintf(stderr, "\n");
    rc = CPW_EXIT_USAGE;
  } else if ((rc = cpw_workflow_diagram(wf, ctx, format, &text, NULL)) != CPW_OK) {
    rc = cpw_tool_fail(ctx, rc, "drawing the workflow");
  } else {
    fputs(text, stdout);
    cpw_free(ctx, text);
    rc = cpw_tool_finish("diagram", stdout, CPW_EXIT_OK);
  }
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}
