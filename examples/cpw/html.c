/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/html.c: the report page (`cpw report --format html`, `cpw demo --keep DIR`):
 * one self-contained HTML file, readable without network or script: the DI charts as inline
 * SVG with the tables of their numbers, the caseload at the end of the period (cases by
 * state, overdue deadlines by age, days to the start of the assessment), and the policy's
 * name, version and hash. The caseload is the journal's case entries replayed up to the end
 * of the period. */
#include "pictures.h"

#include <stdlib.h>
#include <string.h>

#define ASSESSMENT_EVENT "start_assessment" /* the referral workflow's; see T_ASSESS_DEF */

/* ------------------------------------------------------------------ the caseload */

/* case id -> the time it was opened (open addressing) */
typedef struct opened_map {
  char **ids;
  cpw_time *at;
  size_t cap, n;
} opened_map;

static size_t hash_id(const char *s)
{
  size_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static int map_put(opened_map *m, const char *id, cpw_time at)
{
  size_t i;
  if ((m->n + 1) * 2 > m->cap) {
    opened_map g = { NULL, NULL, m->cap ? m->cap * 2 : 1024, 0 };
    g.ids = calloc(g.cap, sizeof *g.ids);
    g.at = calloc(g.cap, sizeof *g.at);
    if (g.ids == NULL || g.at == NULL) {
      free(g.ids);
      free(g.at);
      return CPW_ENOMEM;
    }
    for (i = 0; i < m->cap; i++)
      if (m->ids[i] != NULL) {
        size_t j = hash_id(m->ids[i]) & (g.cap - 1);
        while (g.ids[j] != NULL)
          j = (j + 1) & (g.cap - 1);
        g.ids[j] = m->ids[i];
        g.at[j] = m->at[i];
      }
    g.n = m->n;
    free(m->ids);
    free(m->at);
    *m = g;
  }
  i = hash_id(id) & (m->cap - 1);
  while (m->ids[i] != NULL)
    i = (i + 1) & (m->cap - 1);
  m->ids[i] = malloc(strlen(id) + 1);
  if (m->ids[i] == NULL)
    return CPW_ENOMEM;
  memcpy(m->ids[i], id, strlen(id) + 1);
  m->at[i] = at;
  m->n++;
  return CPW_OK;
}

static int map_get(const opened_map *m, const char *id, cpw_time *at)
{
  size_t i;
  if (m->cap == 0)
    return 0;
  for (i = hash_id(id) & (m->cap - 1); m->ids[i] != NULL; i = (i + 1) & (m->cap - 1))
    if (strcmp(m->ids[i], id) == 0) {
      *at = m->at[i];
      return 1;
    }
  return 0;
}

static void map_free(opened_map *m)
{
  size_t i;
  for (i = 0; i < m->cap; i++)
    free(m->ids[i]);
  free(m->ids);
  free(m->at);
}

typedef struct replay {
  cpw_tool_caseload *cs;
  cpw_ctx *ctx;
  cpw_time from;          /* the start of the period */
  opened_map opened;
  double *days;           /* days to assessment */
  size_t ndays, cap;
  int rc;
  uint64_t seq;           /* the entry that could not be replayed */
} replay;

static int assessed(replay *rp, cpw_case *c, const cpw_journal_entry *e)
{
  cpw_deadline dl[16];
  cpw_time t0;
  size_t k, n = cpw_case_deadlines(c, dl, 16);
  if (e->at < rp->from || !map_get(&rp->opened, e->subject, &t0))
    return CPW_OK;
  for (k = 0; k < n && k < 16; k++)
    if (strcmp(dl[k].event, ASSESSMENT_EVENT) == 0 && e->at <= dl[k].due) {
      rp->cs->assessed_on_time++;
      break;
    }
  if (rp->ndays == rp->cap) {
    size_t cap = rp->cap ? rp->cap * 2 : 256;
    double *p = realloc(rp->days, cap * sizeof *p);
    if (p == NULL)
      return CPW_ENOMEM;
    rp->days = p;
    rp->cap = cap;
  }
  rp->days[rp->ndays++] = (double)(e->at - t0) / 86400.0;
  return CPW_OK;
}

static int replay_entry(const cpw_journal_entry *e, void *payload)
{
  replay *rp = payload;
  cpw_caseload *cl = rp->cs->cl;
  int rc = CPW_OK;
  if (e->at > rp->cs->at)
    return 0; /* after the period */
  if (e->kind == CPW_JOURNAL_CASE_OPEN) {
    rc = cpw_caseload_open(cl, NULL, e->subject, e->name, e->fields, e->nfields, e->at,
                           e->actor, e->role);
    if (rc == CPW_OK)
      rc = map_put(&rp->opened, e->subject, e->at);
  } else if (e->kind == CPW_JOURNAL_CASE_EVENT) {
    cpw_case *c = cpw_caseload_find(cl, e->subject);
    if (c == NULL)
      rc = CPW_ECORRUPT;
    else if (strcmp(e->name, ASSESSMENT_EVENT) == 0 && (rc = assessed(rp, c, e)) != CPW_OK)
      ;
    else
      rc = cpw_case_apply(c, e->name, e->actor, e->role, e->at, e->fields, e->nfields);
  }
  if (rc != CPW_OK) {
    rp->rc = rc == CPW_ENOMEM ? CPW_ENOMEM : CPW_ECORRUPT;
    rp->seq = e->seq;
    return 1;
  }
  return 0;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int cpw_tool_caseload_new(cpw_tool_caseload *cs, cpw_ctx *ctx, cpw_journal *j,
                          const cpw_policy *pol, cpw_date from, cpw_date to)
{
  replay rp;
  cpw_deadline *od = NULL;
  size_t k, w;
  int rc, tz = cpw_policy_timezone(pol);
  memset(cs, 0, sizeof *cs);
  memset(&rp, 0, sizeof rp);
  rp.cs = cs;
  rp.ctx = ctx;
  cpw_time_from_date(&rp.from, from, 0, 0, 0, tz);
  cpw_time_from_date(&cs->at, to, 23, 59, 59, tz);
  for (w = 0; w < cpw_policy_workflow_count(pol); w++)
    if (cpw_workflow_event_index(cpw_policy_workflow_at(pol, w), ASSESSMENT_EVENT) >= 0)
      cs->has_assessment = 1;
  rc = cpw_caseload_new(&cs->cl, ctx, pol);
  if (rc == CPW_OK) {
    rc = cpw_journal_foreach(j, ctx, replay_entry, &rp);
    if (rc == CPW_EUSER && rp.rc == CPW_ENOMEM)
      rc = CPW_ENOMEM;
    else if (rc == CPW_EUSER) {
      char msg[160];
      snprintf(msg, sizeof msg, "journal entry %llu cannot be replayed",
               (unsigned long long)rp.seq);
      fprintf(stderr, "cpw: the caseload: %s\n", msg);
      rc = CPW_ECORRUPT;
    }
  }
  if (rc == CPW_OK) {
    cs->overdue = cpw_caseload_overdue(cs->cl, cs->at, NULL, 0);
    od = calloc(cs->overdue + 1, sizeof *od);
    if (od == NULL)
      rc = CPW_ENOMEM;
  }
  if (rc == CPW_OK) {
    size_t n = cpw_caseload_overdue(cs->cl, cs->at, od, cs->overdue);
    for (k = 0; k < n && k < cs->overdue; k++) {
      long long days = (long long)((cs->at - od[k].due) / 86400);
      cs->overdue_by_age[days < 1 ? 0 : days <= 7 ? 1 : days <= 30 ? 2 : days <= 90 ? 3 : 4]++;
    }
    cs->assessed = rp.ndays;
    for (k = 0; k < rp.ndays; k++) {
      double d = rp.days[k];
      cs->assessed_by_days[d < 1 ? 0 : d < 3 ? 1 : d < 7 ? 2 : d < 14 ? 3 : 4]++;
    }
    if (rp.ndays > 0) {
      qsort(rp.days, rp.ndays, sizeof *rp.days, cmp_double);
      cs->assess_median_days = rp.ndays % 2 ? rp.days[rp.ndays / 2]
                                            : (rp.days[rp.ndays / 2 - 1] +
                                               rp.days[rp.ndays / 2]) / 2;
    }
  }
  free(od);
  free(rp.days);
  map_free(&rp.opened);
  if (rc != CPW_OK)
    cpw_tool_caseload_free(cs);
  return rc;
}

void cpw_tool_caseload_free(cpw_tool_caseload *cs)
{
  cpw_caseload_free(cs->cl);
  cs->cl = NULL;
}

/* ------------------------------------------------------------------ the page */

static const char style_sheet[] =
  "body{font-family:'DejaVu Sans',Verdana,Arial,Helvetica,sans-serif;color:#000;"
  "background:#fff;max-width:680px;margin:0 auto;padding:16px;line-height:1.4}\n"
  "h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:32px 0 8px}"
  "h3{font-size:15px;margin:20px 0 4px}\n"
  "figure{margin:24px 0 8px}svg.chart{display:block;max-width:100%;height:auto}\n"
  "table{border-collapse:collapse;font-size:12px;margin:4px 0 24px}"
  "caption{text-align:left;font-weight:bold;padding:4px 0}\n"
  "th,td{border-bottom:1px solid #999;padding:2px 6px;text-align:right;"
  "vertical-align:bottom}th[scope=row]{text-align:left;font-weight:normal}\n"
  "thead th:first-child,#cases-by-state thead th:nth-child(2),td.list,th.list"
  "{text-align:left}\n"
  "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:14px}"
  "dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere}\n"
  "p.def{font-size:12px;color:#222;margin:0 0 4px}\n"
  "@page{size:A4;margin:15mm}@media print{body{max-width:none;padding:0}"
  "section,figure,table{break-inside:avoid}}\n";

static void esc(FILE *f, const char *s)
{
  cpw_tool_xml(f, s);
}

/* "<p class=def>Definition: ...</p>" */
static void definition(FILE *f, const char *const *t, int id)
{
  fputs("<p class=\"def\">", f);
  esc(f, t[T_DEFINITION]);
  fputs(": ", f);
  esc(f, t[id]);
  fputs("</p>\n", f);
}

static void caseload_section(FILE *f, const cpw_tool_di *di, const cpw_tool_caseload *cs)
{
  const char *const *t = di->text;
  static const int ages[CPW_TOOL_AGES] = { T_AGE_DAY, T_AGE_WEEK, T_AGE_MONTH, T_AGE_QUARTER,
                                           T_AGE_LONGER };
  static const int days[CPW_TOOL_AGES] = { T_DAYS_0, T_DAYS_1, T_DAYS_3, T_DAYS_7, T_DAYS_14 };
  size_t w, s, k;
  fputs("<section id=\"caseload\">\n<h2>", f);
  esc(f, t[T_CASELOAD_TITLE]);
  fputs("</h2>\n<h3>", f);
  esc(f, t[T_STATES_TITLE]);
  fputs("</h3>\n", f);
  definition(f, t, T_STATES_DEF);
  if (cpw_caseload_case_count(cs->cl) == 0) {
    fputs("<p>", f);
    esc(f, t[T_NO_CASES]);
    fputs("</p>\n", f);
  }
  fputs("<table id=\"cases-by-state\">\n<thead><tr><th scope=\"col\">", f);
  esc(f, t[T_WORKFLOW]);
  fputs("</th><th scope=\"col\">", f);
  esc(f, t[T_STATE]);
  fputs("</th><th scope=\"col\">", f);
  esc(f, t[T_CASES]);
  fputs("</th></tr></thead>\n<tbody>\n", f);
  for (w = 0; w < cpw_policy_workflow_count(di->pol); w++) {
    const cpw_workflow *wf = cpw_policy_workflow_at(di->pol, w);
    int64_t total = 0;
    for (s = 0; s < cpw_workflow_state_count(wf); s++)
      total += cpw_caseload_count(cs->cl, cpw_workflow_name(wf), cpw_workflow_state(wf, s));
    if (total <= 0)
      continue;
    for (s = 0; s < cpw_workflow_state_count(wf); s++) {
      char name[300], label[300];
      fputs("<tr><th scope=\"row\">", f);
      cpw_tool_label(di->pol, di->lang, "workflow", cpw_workflow_name(wf), label, sizeof label);
      esc(f, label);
      fputs("</th><th scope=\"row\" data-state=\"", f);
      esc(f, cpw_workflow_state(wf, s));
      fputs("\">", f);
      snprintf(name, sizeof name, "%s.%s", cpw_workflow_name(wf), cpw_workflow_state(wf, s));
      cpw_tool_label(di->pol, di->lang, "state", name, label, sizeof label);
      esc(f, label);
      if (cpw_workflow_state_is_final(wf, s) == 1) {
        fputs(" (", f);
        esc(f, t[T_FINAL]);
        fputs(")", f);
      }
      fprintf(f, "</th><td>%lld</td></tr>\n",
              (long long)cpw_caseload_count(cs->cl, cpw_workflow_name(wf),
                                            cpw_workflow_state(wf, s)));
    }
  }
  fputs("</tbody>\n</table>\n<h3>", f);
  esc(f, t[T_OVERDUE_TITLE]);
  fputs("</h3>\n", f);
  definition(f, t, T_OVERDUE_DEF);
  fputs("<table id=\"overdue-by-age\">\n<thead><tr><th scope=\"col\">", f);
  esc(f, t[T_OVERDUE_BY]);
  fputs("</th><th scope=\"col\">", f);
  esc(f, t[T_DEADLINES]);
  fputs("</th></tr></thead>\n<tbody>\n", f);
  for (k = 0; k < CPW_TOOL_AGES; k++) {
    fputs("<tr><th scope=\"row\">", f);
    esc(f, t[ages[k]]);
    fprintf(f, "</th><td>%zu</td></tr>\n", cs->overdue_by_age[k]);
  }
  fputs("<tr><th scope=\"row\">", f);
  esc(f, t[T_TOTAL]);
  fprintf(f, "</th><td>%zu</td></tr>\n</tbody>\n</table>\n<h3>", cs->overdue);
  esc(f, t[T_ASSESS_TITLE]);
  fputs("</h3>\n", f);
  definition(f, t, T_ASSESS_DEF);
  if (!cs->has_assessment) {
    fputs("<p id=\"days-to-assessment\">", f);
    esc(f, t[T_ASSESS_NONE]);
    fputs("</p>\n</section>\n", f);
    return;
  }
  fputs("<table id=\"days-to-assessment\">\n<thead><tr><th scope=\"col\">", f);
  esc(f, t[T_ASSESS_DAYS]);
  fputs("</th><th scope=\"col\">", f);
  esc(f, t[T_CASES]);
  fputs("</th></tr></thead>\n<tbody>\n", f);
  for (k = 0; k < CPW_TOOL_AGES; k++) {
    fputs("<tr><th scope=\"row\">", f);
    esc(f, t[days[k]]);
    fprintf(f, "</th><td>%zu</td></tr>\n", cs->assessed_by_days[k]);
  }
  fputs("<tr><th scope=\"row\">", f);
  esc(f, t[T_ASSESS_STARTED]);
  fprintf(f, "</th><td>%zu</td></tr>\n<tr><th scope=\"row\">", cs->assessed);
  esc(f, t[T_ASSESS_ON_TIME]);
  fprintf(f, "</th><td>%zu (%.1f%%)</td></tr>\n<tr><th scope=\"row\">", cs->assessed_on_time,
          cs->assessed > 0 ? 100.0 * (double)cs->assessed_on_time / (double)cs->assessed : 0.0);
  esc(f, t[T_ASSESS_MEDIAN]);
  fprintf(f, "</th><td>%.1f</td></tr>\n</tbody>\n</table>\n</section>\n",
          cs->assess_median_days);
}

void cpw_tool_html(FILE *f, const cpw_tool_di *di, const cpw_tool_caseload *cs)
{
  const char *const *t = di->text;
  const cpw_indicator_summary *s = cpw_indicators_summary(di->whole);
  char a[CPW_TOOL_DATE_SIZE], z[CPW_TOOL_DATE_SIZE], region[160];
  cpw_tool_date_text(a, s->from, di->lang);
  cpw_tool_date_text(z, s->to, di->lang);
  if (di->region != NULL)
    cpw_tool_label(di->pol, di->lang, "region", di->region, region, sizeof region);
  fputs("<!DOCTYPE html>\n<html lang=\"", f);
  esc(f, t[T_LANG]);
  fputs("\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\"/>\n<title>", f);
  esc(f, t[T_PAGE_TITLE]);
  fputs(": ", f);
  esc(f, a);
  fputs(" ", f);
  esc(f, t[T_TO]);
  fputs(" ", f);
  esc(f, z);
  fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header id=\"page-header\">\n"
             "<h1>", style_sheet);
  esc(f, t[T_PAGE_TITLE]);
  fputs("</h1>\n<p>", f);
  esc(f, t[T_PAGE_INTRO]);
  fputs("</p>\n<dl id=\"policy\">\n<dt>", f);
  esc(f, t[T_PERIOD]);
  fputs("</dt><dd>", f);
  esc(f, a);
  fputs(" ", f);
  esc(f, t[T_TO]);
  fputs(" ", f);
  esc(f, z);
  fputs("</dd>\n<dt>", f);
  esc(f, t[T_REGION]);
  fputs("</dt><dd>", f);
  esc(f, di->region != NULL ? region : t[T_ALL_REGIONS]);
  fputs("</dd>\n<dt>", f);
  esc(f, t[T_POLICY]);
  fputs("</dt><dd><span id=\"policy-name\">", f);
  esc(f, cpw_policy_name(di->pol));
  fputs("</span>", f);
  if (di->lang != NULL && cpw_policy_label(di->pol, di->lang, "policy", "") != NULL) {
    fputs(" (", f);
    esc(f, cpw_policy_label(di->pol, di->lang, "policy", ""));
    fputs(")", f);
  }
  fputs(", ", f);
  esc(f, t[T_VERSION]);
  fputs(" <span id=\"policy-version\">", f);
  esc(f, cpw_policy_version(di->pol));
  fputs("</span>, ", f);
  esc(f, t[T_HASH]);
  fputs(" <code id=\"policy-hash\">", f);
  esc(f, cpw_policy_hash(di->pol));
  fputs("</code></dd>\n", f);
  if (di->source != NULL) {
    fputs("<dt>", f);
    esc(f, t[T_JOURNAL]);
    fputs("</dt><dd>", f);
    esc(f, di->source);
    fputs("</dd>\n", f);
  }
  fputs("</dl>\n</header>\n<main>\n", f);
  cpw_tool_svg(f, di, NULL, 0);
  caseload_section(f, di, cs);
  fputs("</main>\n</body>\n</html>\n", f);
}

int cpw_tool_page(FILE *f, cpw_ctx *ctx, cpw_journal *j, const cpw_registry *reg,
                  const cpw_policy *pol, const char *lang, cpw_date from, cpw_date to,
                  const char *region, const char *journal_path)
{
  cpw_tool_di di;
  cpw_tool_caseload cs;
  const char *base = strrchr(journal_path, '/');
  int rc = cpw_tool_di_new(&di, ctx, reg, pol, lang, from, to, region,
                           base != NULL ? base + 1 : journal_path);
  if (rc != CPW_OK)
    return rc;
  rc = cpw_tool_caseload_new(&cs, ctx, j, pol, from, to);
  if (rc == CPW_OK) {
    cpw_tool_html(f, &di, &cs);
    cpw_tool_caseload_free(&cs);
  }
  cpw_tool_di_free(&di);
  return rc;
}
