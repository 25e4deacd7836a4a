/* examples/cpw/report.c: `cpw report --journal FILE --from DATE --to DATE`: DI indicators. */
#include "cpw.h"

#include <string.h>

int cpw_cmd_report(int argc, char **argv)
{
  const char *files[64], *path = NULL, *from_text = NULL, *to_text = NULL, *region = NULL;
  size_t nfiles = 0;
  int i, rc, format = CPW_INDICATORS_TABLE, r, notifications = 0;
  cpw_date from, to;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_journal *j = NULL;
  cpw_registry *reg = NULL;
  cpw_indicators *ind = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  char *text;
  for (i = 1; i < argc; i++) {
    if (cpw_tool_is_help(argv[i])) {
      printf("usage: cpw report --journal FILE --from DATE --to DATE [--region NAME]\n"
             "                  [--format table|csv|json] [--notifications] [--policy FILE]...\n\n"
             "Replay the placements of a journal and print the deinstitutionalization\n"
             "indicators of the period (both days included): children in care at the end by\n"
             "setting and category, entries, exits by reason, share in family-based care,\n"
             "median stay, moves per child, children who left care and moves within care,\n"
             "residential care at each month end. \"In care\" is formal alternative care: a\n"
             "child with their own family with support is counted apart (docs/indicators.md).\n"
             "--notifications: instead, the notifications its referral cases registered in\n"
             "each year of the period, by reporter type, case type and channel (table or\n"
             "csv).\n"
             "Exit status: 0, 1 the journal cannot be replayed, 2 usage, 3 I/O error.\n");
      return CPW_EXIT_OK;
    } else if (strcmp(argv[i], "--journal") == 0 && i + 1 < argc) {
      path = argv[++i];
    } else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
      from_text = argv[++i];
    } else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
      to_text = argv[++i];
    } else if (strcmp(argv[i], "--notifications") == 0) {
      notifications = 1;
    } else if (strcmp(argv[i], "--region") == 0 && i + 1 < argc) {
      region = argv[++i];
    } else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc && nfiles < 64) {
      files[nfiles++] = argv[++i];
    } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
      i++;
      if (strcmp(argv[i], "table") == 0)
        format = CPW_INDICATORS_TABLE;
      else if (strcmp(argv[i], "csv") == 0)
        format = CPW_INDICATORS_CSV;
      else if (strcmp(argv[i], "json") == 0)
        format = CPW_INDICATORS_JSON;
      else {
        fprintf(stderr, "cpw report: --format is table, csv or json\n");
        return CPW_EXIT_USAGE;
      }
    } else {
      fprintf(stderr, "cpw report: unexpected '%s' (see cpw report --help)\n", argv[i]);
      return CPW_EXIT_USAGE;
    }
  }
  if (path == NULL || from_text == NULL || to_text == NULL) {
    fprintf(stderr, "usage: cpw report --journal FILE --from DATE --to DATE\n");
    return CPW_EXIT_USAGE;
  }
  if (cpw_tool_date(from_text, &from) != CPW_EXIT_OK || cpw_tool_date(to_text, &to) != CPW_EXIT_OK)
    return CPW_EXIT_USAGE;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc != CPW_EXIT_OK) {
    cpw_ctx_free(ctx);
    return rc;
  }
  o.flags = CPW_JOURNAL_READONLY;
  r = cpw_journal_open(&j, ctx, path, pol, &o);
  if (r == CPW_OK && notifications) {
    rc = format == CPW_INDICATORS_JSON
           ? (fprintf(stderr, "cpw report: --notifications is a table or csv\n"), CPW_EXIT_USAGE)
           : cpw_tool_notifications(ctx, pol, j, from, to, format == CPW_INDICATORS_CSV);
    cpw_journal_close(j);
    cpw_policy_free(pol);
    cpw_ctx_free(ctx);
    return rc;
  }
  if (r == CPW_OK)
    r = cpw_registry_new(&reg, ctx, pol);
  if (r == CPW_OK)
    r = cpw_journal_replay_registry(j, reg);
  if (r == CPW_OK)
    r = cpw_registry_indicators(reg, ctx, from, to, region, &ind);
  if (r == CPW_OK)
    r = cpw_indicators_format(ind, ctx, format, &text, NULL);
  if (r != CPW_OK) {
    cpw_tool_fail(ctx, r, "report");
    rc = r == CPW_ECORRUPT || r == CPW_EINVALID || r == CPW_EVERSION ? CPW_EXIT_FAILURE
                                                                     : CPW_EXIT_ERROR;
  } else {
    fputs(text, stdout);
    cpw_free(ctx, text);
  }
  cpw_indicators_free(ind);
  cpw_registry_free(reg);
  cpw_journal_close(j);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}
