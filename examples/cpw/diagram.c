/* examples/cpw/diagram.c: `cpw diagram [--format dot|mermaid] [--lang L] [--policy FILE]
 * WORKFLOW`. */
#include "cpw.h"

#include <string.h>

int cpw_cmd_diagram(int argc, char **argv)
{
  const char *files[64], *name = NULL, *lang = NULL;
  size_t nfiles = 0;
  int format = CPW_DIAGRAM_MERMAID, i, rc;
  cpw_ctx *ctx;
  cpw_policy *pol;
  const cpw_workflow *wf;
  char *text;
  for (i = 1; i < argc; i++) {
    if (cpw_tool_is_help(argv[i])) {
      printf("usage: cpw diagram [--format dot|mermaid] [--lang en|ka] [--policy FILE]...\n"
             "                   WORKFLOW\n\n"
             "Print a workflow of the policy (the embedded Georgian one by default) as a\n"
             "Graphviz DOT graph or a Mermaid stateDiagram-v2, with roles and guards on the\n"
             "edges and deadlines as notes. --lang draws states, events, roles and guards by\n"
             "their labels in that language (ka: Georgian). Exit status: 0, 2 usage, 3 error.\n");
      return CPW_EXIT_OK;
    } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
      i++;
      if (strcmp(argv[i], "dot") == 0)
        format = CPW_DIAGRAM_DOT;
      else if (strcmp(argv[i], "mermaid") == 0)
        format = CPW_DIAGRAM_MERMAID;
      else {
        fprintf(stderr, "cpw diagram: --format is dot or mermaid\n");
        return CPW_EXIT_USAGE;
      }
    } else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc && nfiles < 64) {
      files[nfiles++] = argv[++i];
    } else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
      lang = argv[++i];
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
  if (name == NULL) {
    fprintf(stderr, "usage: cpw diagram [--format dot|mermaid] [--policy FILE] WORKFLOW\n");
    return CPW_EXIT_USAGE;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc != CPW_EXIT_OK) {
    cpw_ctx_free(ctx);
    return rc;
  }
  wf = cpw_policy_workflow(pol, name);
  if ((rc = cpw_tool_set_lang(ctx, pol, "diagram", lang)) != CPW_EXIT_OK) {
    /* the message is printed */
  } else if (wf == NULL) {
    size_t k;
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
    rc = CPW_EXIT_OK;
  }
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}
