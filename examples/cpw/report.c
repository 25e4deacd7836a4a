/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/report.c: `cpw report --journal FILE --from DATE --to DATE`: DI indicators. */
#include "cpw.h"
#include "pictures.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The regions a report can be asked for: those of the policy's facilities and those the
 * journal's placement entries name (a region of a family setting, an added facility's). */
typedef struct regions {
  char **names;
  size_t n, cap;
} regions;

static int add_region(regions *r, const char *s, size_t len)
{
  size_t i;
  char *p;
  if (len == 0)
    return 0;
  for (i = 0; i < r->n; i++)
    if (strlen(r->names[i]) == len && memcmp(r->names[i], s, len) == 0)
      return 0;
  if (r->n == r->cap) {
    size_t ncap = r->cap ? r->cap * 2 : 16;
    char **nn = realloc(r->names, ncap * sizeof *nn);
    if (nn == NULL)
      return -1;
    r->names = nn;
    r->cap = ncap;
  }
  p = malloc(len + 1);
  if (p == NULL)
    return -1;
  memcpy(p, s, len);
  p[len] = '\0';
  r->names[r->n++] = p;
  return 0;
}

/* `region "NAME"` in a policy text (comments and other strings skipped). */
static int scan_policy(regions *r, const char *t)
{
  while (*t) {
    if (*t == '#') {
      while (*t && *t != '\n')
        t++;
    } else if (*t == '"') {
      for (t++; *t && *t != '"'; t++)
        if (*t == '\\' && t[1] != '\0')
          t++;
      if (*t)
        t++;
    } else if (strncmp(t, "region", 6) == 0 && !isalnum((unsigned char)t[6]) && t[6] != '_') {
      const char *s;
      t += 6;
      while (*t == ' ' || *t == '\t')
        t++;
      if (*t != '"')
        continue;
      s = ++t;
      while (*t && *t != '"' && *t != '\\')
        t++;
      if (*t == '"' && add_region(r, s, (size_t)(t - s)) != 0)
        return -1;
    } else if (isalnum((unsigned char)*t) || *t == '_') {
      while (isalnum((unsigned char)*t) || *t == '_')
        t++;
    } else {
      t++;
    }
  }
  return 0;
}

static int collect_entry(const cpw_journal_entry *e, void *payload)
{
  size_t i;
  if (e->kind != CPW_JOURNAL_PLACEMENT)
    return 0;
  for (i = 0; i < e->nfields; i++)
    if (strcmp(e->fields[i].field, "region") == 0 && e->fields[i].value != NULL &&
        add_region(payload, e->fields[i].value, strlen(e->fields[i].value)) != 0)
      return 1;
  return 0;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int same_ignoring_case(const char *a, const char *b)
{
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return 0;
  return *a == *b;
}

/* the picture formats, beside the library's cpw_indicator_format */
#define FORMAT_SVG 100
#define FORMAT_HTML 101

static int known_chart(const char *name)
{
  size_t i;
  for (i = 0; cpw_tool_chart_names[i] != NULL; i++)
    if (strcmp(cpw_tool_chart_names[i], name) == 0)
      return 1;
  return 0;
}

/* the charts (one, or all) as an SVG document on standard output */
static int svg(cpw_ctx *ctx, const cpw_registry *reg, const cpw_policy *pol,
               const char *lang, cpw_date from, cpw_date to, const char *region,
               const char *path, const char *chart)
{
  cpw_tool_di di;
  const char *base = strrchr(path, '/');
  int r = cpw_tool_di_new(&di, ctx, reg, pol, lang, from, to, region,
                          base != NULL ? base + 1 : path);
  if (r != CPW_OK)
    return r;
  cpw_tool_svg(stdout, &di, chart, 1);
  cpw_tool_di_free(&di);
  return CPW_OK;
}

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw report --journal FILE --from DATE --to DATE [--region NAME]\n"
             "                  [--format table|csv|json|svg|html] [--chart NAME]\n"
             "                  [--lang en|ka] [--policy FILE|DIR]... [--allow-policy-change]\n"
             "                  [--notifications]\n\n"
             "Replay the placements of a journal and print the deinstitutionalization\n"
             "indicators of the period (both days included): children in care at the end by\n"
             "setting and category, entries, exits by reason, share in family-based care,\n"
             "median stay, moves per child, children who left care and moves within care,\n"
             "residential care at each month end. \"In care\" is formal alternative care: a\n"
             "child with their own family with support is counted apart (docs/indicators.md).\n"
             "--notifications: instead, the notifications its referral cases registered in\n"
             "each year of the period, by reporter type, case type and channel (table or\n"
             "csv).\n"
             "--region limits them to one region, named as the policy's facilities and the\n"
             "journal's placements name it (in any case: tbilisi finds Tbilisi); an unknown\n"
             "region is refused with the list of known ones (or given by its label).\n"
             "--format svg draws the charts (children in care at each month end by type of\n"
             "care, the family-based share, entries and exits by setting and reason, length\n"
             "of stay; by year for periods over 36 months) as one SVG document; --chart\n"
             "in-care|share|flows|stay draws one. --format html writes one self-contained\n"
             "page: the charts, the tables of their numbers, the caseload at the end of the\n"
             "period (cases by state, overdue deadlines by age, days to assessment), and the\n"
             "policy's name, version and hash.\n"
             "--lang writes the table, the charts and the page in that language (ka:\n"
             "Georgian).\n"
             "Another policy than the journal's is refused unless --allow-policy-change\n"
             "(then standard error says so).\n"
             "Exit status: 0, 1 the journal cannot be replayed, 2 usage, 3 I/O error.\n");
}

int cpw_cmd_report(int argc, char **argv)
{
  const char *files[64], *path = NULL, *from_text = NULL, *to_text = NULL, *region = NULL;
  const char *chart = NULL, *lang = NULL;
  size_t nfiles = 0, k;
  int i, rc, format = CPW_INDICATORS_TABLE, r, m, allow_change = 0, notifications = 0;
  cpw_date from, to;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_journal *j = NULL;
  cpw_registry *reg = NULL;
  cpw_indicators *ind = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  regions known = { NULL, 0, 0 };
  char *text = NULL;
  for (i = 1; i < argc; i++) {
    const char *v;
    if (cpw_tool_is_help(argv[i])) {
      usage(stdout);
      return cpw_tool_finish("report", stdout, CPW_EXIT_OK);
    } else if ((m = cpw_tool_opt("report", argc, argv, &i, "--journal", &path)) != 0 ||
               (m = cpw_tool_opt("report", argc, argv, &i, "--from", &from_text)) != 0 ||
               (m = cpw_tool_opt("report", argc, argv, &i, "--to", &to_text)) != 0 ||
               (m = cpw_tool_opt("report", argc, argv, &i, "--region", &region)) != 0 ||
               (m = cpw_tool_opt("report", argc, argv, &i, "--chart", &chart)) != 0 ||
               (m = cpw_tool_opt("report", argc, argv, &i, "--lang", &lang)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
    } else if (strcmp(argv[i], "--allow-policy-change") == 0) {
      allow_change = 1;
    } else if (strcmp(argv[i], "--notifications") == 0) {
      notifications = 1;
    } else if ((m = cpw_tool_opt("report", argc, argv, &i, "--policy", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (nfiles == 64) {
        fprintf(stderr, "cpw report: at most 64 --policy options (give a directory)\n");
        return CPW_EXIT_USAGE;
      }
      files[nfiles++] = v;
    } else if ((m = cpw_tool_opt("report", argc, argv, &i, "--format", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (strcmp(v, "table") == 0)
        format = CPW_INDICATORS_TABLE;
      else if (strcmp(v, "csv") == 0)
        format = CPW_INDICATORS_CSV;
      else if (strcmp(v, "json") == 0)
        format = CPW_INDICATORS_JSON;
      else if (strcmp(v, "svg") == 0)
        format = FORMAT_SVG;
      else if (strcmp(v, "html") == 0)
        format = FORMAT_HTML;
      else {
        fprintf(stderr, "cpw report: --format is table, csv, json, svg or html\n");
        return CPW_EXIT_USAGE;
      }
    } else {
      fprintf(stderr, "cpw report: unexpected '%s' (see cpw report --help)\n", argv[i]);
      return CPW_EXIT_USAGE;
    }
  }
  if (path == NULL)
    return cpw_tool_required("report", "--journal FILE", NULL);
  if (from_text == NULL)
    return cpw_tool_required("report", "--from", "the first day of the period, YYYY-MM-DD");
  if (to_text == NULL)
    return cpw_tool_required("report", "--to", "the last day of the period, YYYY-MM-DD");
  if (cpw_tool_date(from_text, &from) != CPW_EXIT_OK || cpw_tool_date(to_text, &to) != CPW_EXIT_OK)
    return CPW_EXIT_USAGE;
  if (chart != NULL && (format != FORMAT_SVG || !known_chart(chart))) {
    fprintf(stderr, "cpw report: --chart goes with --format svg and is one of in-care, share, "
                    "flows, stay\n");
    return CPW_EXIT_USAGE;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc == CPW_EXIT_OK && (rc = cpw_tool_set_lang(ctx, pol, "report", lang)) != CPW_EXIT_OK)
    cpw_policy_free(pol);
  if (rc != CPW_EXIT_OK) {
    cpw_ctx_free(ctx);
    return rc;
  }
  if (region != NULL && cpw_policy_name_of_label(pol, NULL, "region", region) != NULL)
    region = cpw_policy_name_of_label(pol, NULL, "region", region); /* given by its label */
  o.flags = CPW_JOURNAL_READONLY | (allow_change ? CPW_JOURNAL_ALLOW_POLICY_CHANGE : 0u);
  r = cpw_journal_open(&j, ctx, path, pol, &o);
  if (r == CPW_OK && strcmp(cpw_journal_policy_hash(j), cpw_policy_hash(pol)) != 0)
    fprintf(stderr, "cpw report: %s: WARNING: reported under policy %s (%.16s...), not the "
            "journal's own policy (%.16s...): settings and categories follow the other "
            "policy\n", path, cpw_policy_name(pol), cpw_policy_hash(pol),
            cpw_journal_policy_hash(j));
  if (r == CPW_OK && notifications) {
    rc = format == CPW_INDICATORS_JSON
           ? (fprintf(stderr, "cpw report: --notifications is a table or csv\n"), CPW_EXIT_USAGE)
           : cpw_tool_notifications(ctx, pol, j, from, to, format == CPW_INDICATORS_CSV);
    cpw_journal_close(j);
    cpw_policy_free(pol);
    cpw_ctx_free(ctx);
    return cpw_tool_finish("report", stdout, rc);
  }
  if (r == CPW_OK && region != NULL) {
    /* the region as the policy and the journal spell it */
    char **names = NULL, **texts = NULL;
    size_t n = 0, hits = 0, match = 0;
    if (cpw_tool_policy_sources(files, nfiles, &names, &texts, &n) != CPW_EXIT_OK) {
      rc = CPW_EXIT_ERROR;
      goto done;
    }
    for (k = 0; k < n; k++)
      if (scan_policy(&known, texts[k]) != 0)
        r = CPW_ENOMEM;
    cpw_tool_free_sources(names, texts, n);
    if (r == CPW_OK && cpw_journal_foreach(j, ctx, collect_entry, &known) != CPW_OK)
      r = cpw_ctx_last_error(ctx)->code == CPW_EUSER ? CPW_ENOMEM : cpw_ctx_last_error(ctx)->code;
    if (r == CPW_OK) {
      for (k = 0; k < known.n; k++)
        if (strcmp(known.names[k], region) == 0) {
          hits = 1;
          match = k;
          break;
        }
      if (hits == 0)
        for (k = 0; k < known.n; k++)
          if (same_ignoring_case(known.names[k], region)) {
            hits++;
            match = k;
          }
      if (hits != 1) {
        qsort(known.names, known.n, sizeof *known.names, cmp_str);
        fprintf(stderr, "cpw report: no region '%s' in the journal or the policy (regions: ",
                region);
        for (k = 0; k < known.n; k++)
          fprintf(stderr, "%s%s", k ? ", " : "", known.names[k]);
        fprintf(stderr, "%s)\n", known.n == 0 ? "none" : "");
        rc = CPW_EXIT_USAGE;
        goto done;
      }
      region = known.names[match];
    }
  }
  if (r == CPW_OK)
    r = cpw_registry_new(&reg, ctx, pol);
  if (r == CPW_OK)
    r = cpw_journal_replay_registry(j, reg);
  if (r == CPW_OK && format == FORMAT_SVG)
    r = svg(ctx, reg, pol, lang, from, to, region, path, chart);
  else if (r == CPW_OK && format == FORMAT_HTML)
    r = cpw_tool_page(stdout, ctx, j, reg, pol, lang, from, to, region, path);
  else if (r == CPW_OK)
    r = cpw_registry_indicators(reg, ctx, from, to, region, &ind);
  if (r == CPW_OK && ind != NULL)
    r = cpw_indicators_format(ind, ctx, format, &text, NULL);
  if (r != CPW_OK) {
    cpw_tool_fail(ctx, r, "report");
    rc = r == CPW_ECORRUPT || r == CPW_EINVALID || r == CPW_EVERSION ? CPW_EXIT_FAILURE
                                                                     : CPW_EXIT_ERROR;
  } else {
    if (ind != NULL) {
      fputs(text, stdout);
      cpw_free(ctx, text);
    }
    rc = cpw_tool_finish("report", stdout, CPW_EXIT_OK);
  }
done:
  for (k = 0; k < known.n; k++)
    free(known.names[k]);
  free(known.names);
  cpw_indicators_free(ind);
  cpw_registry_free(reg);
  cpw_journal_close(j);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}
