/* placement/indicators.c: deinstitutionalization indicators for a period and region: children
 * in care at the end by setting and category, entries, exits by reason, family share, median
 * length of stay, moves per child, children who left care and moves within care, and
 * residential care's population month by month.
 *
 * The definitions (docs/indicators.md gives each with its source): "in care" is formal
 * alternative care (family-based: kinship and foster care; family-type homes; residential
 * care); a child living with their own family with support (category own_family) is not in
 * alternative care and is counted apart; the family-based share is family-based care against
 * all formal care; a placement that ends with the child in formal care the same day (a move,
 * `fostered`, or a new formal placement starting that day) is a move within care, any other
 * end is the child leaving care. */
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/utf8.h"
#include "placement/registry.h"

struct cpw_indicators {
  cpw_ctx *ctx;
  const cpw_policy *policy;
  cpw_indicator_summary sum;
  cpw_indicator_care care;
  uint32_t nsettings;
  int64_t *at_end;           /* per setting */
  int64_t *entries;          /* per setting */
  int64_t *exits;            /* per setting x reason */
  cpw_date *series_date;
  int64_t *series_value;
  size_t nseries;
  char region[128];
};

void cpw_indicators_free(cpw_indicators *ind)
{
  if (ind == NULL)
    return;
  cpw__free(ind->ctx, ind->at_end, (ind->nsettings + 1) * sizeof *ind->at_end);
  cpw__free(ind->ctx, ind->entries, (ind->nsettings + 1) * sizeof *ind->entries);
  cpw__free(ind->ctx, ind->exits,
            (ind->nsettings + 1) * CPW_EXIT_REASON_COUNT * sizeof *ind->exits);
  cpw__free(ind->ctx, ind->series_date, (ind->nseries + 1) * sizeof *ind->series_date);
  cpw__free(ind->ctx, ind->series_value, (ind->nseries + 1) * sizeof *ind->series_value);
  cpw__free(ind->ctx, ind, sizeof *ind);
}

static int cmp_i64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* how many of the sorted values are <= v */
static size_t count_le(const int64_t *v, size_t n, int64_t x)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] <= x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* the month ends in [from, to], and `to` itself */
static size_t month_ends(cpw_date from, cpw_date to, cpw_date *out, size_t max)
{
  int y, m, d;
  size_t n = 0;
  cpw_date e;
  cpw_date_to_ymd(from, &y, &m, &d);
  for (;;) {
    if (cpw_date_from_ymd(&e, y, m, cpw_date_days_in_month(y, m)) != CPW_OK || e >= to)
      break;
    if (out != NULL && n < max)
      out[n] = e;
    n++;
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  if (out != NULL && n < max)
    out[n] = to;
  return n + 1;
}

int cpw_registry_indicators(const cpw_registry *reg, cpw_ctx *ctx, cpw_date from, cpw_date to,
                            const char *region, cpw_indicators **out)
{
  cpw_indicators *ind;
  uint8_t *seen = NULL;
  int64_t *stays = NULL, *starts = NULL, *ends = NULL;
  uint32_t *next = NULL, *last = NULL;
  size_t nstays = 0, nres = 0, i, nres_end = 0;
  uint32_t ns, region_filter = CPW__PL_NONE;
  int rc = CPW_OK;

  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (reg == NULL || out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_registry_indicators: NULL argument");
  if (from > to || from < CPW_DATE_MIN || to > CPW_DATE_MAX)
    return cpw__set_error(ctx, CPW_EINVALID, "the period is empty or out of range");
  if (region != NULL && !cpw__utf8_valid(region, strlen(region)))
    return cpw__set_error(ctx, CPW_EINVALID, "the region is not valid UTF-8");
  if (region != NULL) {
    uint32_t v;
    if (cpw__map_get(&reg->region_index, region, strlen(region), &v))
      region_filter = v;
    else
      region_filter = CPW__PL_NONE - 1; /* a region nobody is placed in: all zeros */
  }
  ns = reg->pp->nsettings;
  ind = cpw__calloc(ctx, 1, sizeof *ind);
  if (ind == NULL)
    return CPW_ENOMEM;
  ind->ctx = ctx;
  ind->policy = reg->policy;
  ind->nsettings = ns;
  if (region != NULL) { /* kept for the formats: a long one is cut between characters */
    size_t n = strlen(region);
    if (n >= sizeof ind->region)
      for (n = sizeof ind->region - 1; n > 0 && ((unsigned char)region[n] & 0xC0) == 0x80; n--)
        ;
    memcpy(ind->region, region, n);
    ind->region[n] = '\0';
  }
  ind->at_end = cpw__calloc(ctx, ns + 1, sizeof *ind->at_end);
  ind->entries = cpw__calloc(ctx, ns + 1, sizeof *ind->entries);
  ind->exits = cpw__calloc(ctx, (ns + 1) * CPW_EXIT_REASON_COUNT, sizeof *ind->exits);
  ind->nseries = month_ends(from, to, NULL, 0);
  ind->series_date = cpw__calloc(ctx, ind->nseries + 1, sizeof *ind->series_date);
  ind->series_value = cpw__calloc(ctx, ind->nseries + 1, sizeof *ind->series_value);
  seen = cpw__calloc(ctx, reg->nchildren + 1, 1);
  stays = cpw__calloc(ctx, reg->nepisodes + 1, sizeof *stays);
  starts = cpw__calloc(ctx, reg->nepisodes + 1, sizeof *starts);
  ends = cpw__calloc(ctx, reg->nepisodes + 1, sizeof *ends);
  next = cpw__calloc(ctx, reg->nepisodes + 1, sizeof *next);
  last = cpw__calloc(ctx, reg->nchildren + 1, sizeof *last);
  if (ind->at_end == NULL || ind->entries == NULL || ind->exits == NULL ||
      ind->series_date == NULL || ind->series_value == NULL || seen == NULL || stays == NULL ||
      starts == NULL || ends == NULL || next == NULL || last == NULL) {
    rc = CPW_ENOMEM;
    goto done;
  }
  /* each episode's next one for the same child (a child's episodes are in date order) */
  for (i = 0; i < reg->nchildren; i++)
    last[i] = CPW__PL_NONE;
  for (i = 0; i < reg->nepisodes; i++) {
    uint32_t c = reg->episodes[i].child;
    next[i] = CPW__PL_NONE;
    if (last[c] != CPW__PL_NONE)
      next[last[c]] = (uint32_t)i;
    last[c] = (uint32_t)i;
  }
  month_ends(from, to, ind->series_date, ind->nseries);
  ind->sum.from = from;
  ind->sum.to = to;
  for (i = 0; i < reg->nepisodes; i++) {
    const cpw__episode *e = &reg->episodes[i];
    /* an open placement has end CPW_DATE_MAX: it has not ended even when `to` is that day */
    int open = e->end == CPW_DATE_MAX;
    if (region_filter != CPW__PL_NONE && e->region != region_filter)
      continue;
    if (e->category == CPW__CAT_OWN_FAMILY) {
      /* not alternative care: by setting, and apart in the summary */
      if (e->start <= to && (open || e->end > to)) {
        ind->at_end[e->setting]++;
        ind->care.own_family_at_end++;
      }
      if (e->start >= from && e->start <= to)
        ind->entries[e->setting]++;
      if (!open && e->end >= from && e->end <= to)
        ind->exits[(size_t)e->setting * CPW_EXIT_REASON_COUNT + e->exit_reason]++;
      continue;
    }
    if (e->start <= to && (open || e->end > to)) {
      ind->at_end[e->setting]++;
      ind->sum.placed_at_end++;
      if (e->category == CPW__CAT_FAMILY)
        ind->sum.family_at_end++;
      else if (e->category == CPW__CAT_FAMILY_TYPE)
        ind->sum.family_type_at_end++;
      else
        ind->sum.residential_at_end++;
    }
    if (e->start >= from && e->start <= to) {
      ind->entries[e->setting]++;
      ind->sum.entries++;
    }
    if (!open && e->end >= from && e->end <= to) {
      ind->exits[(size_t)e->setting * CPW_EXIT_REASON_COUNT + e->exit_reason]++;
      ind->sum.exits++;
      if (e->exit_reason == CPW_EXIT_MOVED)
        ind->sum.moves++;
      stays[nstays++] = e->end - e->start;
      {
        /* did the child stay in formal care? */
        const cpw__episode *n = next[i] != CPW__PL_NONE ? &reg->episodes[next[i]] : NULL;
        int within = n != NULL && n->start == e->end
                       ? n->category != CPW__CAT_OWN_FAMILY
                       : e->exit_reason == CPW_EXIT_MOVED || e->exit_reason == CPW_EXIT_FOSTERED;
        if (within)
          ind->care.moved_within_care++;
        else
          ind->care.left_care++;
      }
    }
    if (e->start <= to && (open || e->end > from) && !seen[e->child]) {
      seen[e->child] = 1;
      ind->sum.children++;
    }
    if (e->category == CPW__CAT_RESIDENTIAL) {
      starts[nres++] = e->start;
      if (!open)
        ends[nres_end++] = e->end;
    }
  }
  ind->sum.family_share =
    ind->sum.placed_at_end > 0 ? (double)ind->sum.family_at_end / (double)ind->sum.placed_at_end
                               : 0.0;
  ind->sum.moves_per_child =
    ind->sum.children > 0 ? (double)ind->sum.moves / (double)ind->sum.children : 0.0;
  if (nstays > 0) {
    size_t mid = nstays / 2;
    qsort(stays, nstays, sizeof *stays, cmp_i64);
    ind->sum.median_stay_days = nstays % 2 ? (double)stays[mid]
                                           : ((double)stays[mid - 1] + (double)stays[mid]) / 2.0;
  }
  /* residential care over time: placed on day t when start <= t < end (open: no end) */
  qsort(starts, nres, sizeof *starts, cmp_i64);
  qsort(ends, nres_end, sizeof *ends, cmp_i64);
  for (i = 0; i < ind->nseries; i++) {
    int64_t t = ind->series_date[i];
    ind->series_value[i] =
      (int64_t)count_le(starts, nres, t) - (int64_t)count_le(ends, nres_end, t);
  }
done:
  cpw__free(ctx, seen, reg->nchildren + 1);
  cpw__free(ctx, stays, (reg->nepisodes + 1) * sizeof *stays);
  cpw__free(ctx, starts, (reg->nepisodes + 1) * sizeof *starts);
  cpw__free(ctx, ends, (reg->nepisodes + 1) * sizeof *ends);
  cpw__free(ctx, next, (reg->nepisodes + 1) * sizeof *next);
  cpw__free(ctx, last, (reg->nchildren + 1) * sizeof *last);
  if (rc != CPW_OK) {
    cpw_indicators_free(ind);
    return rc;
  }
  *out = ind;
  return CPW_OK;
}

const cpw_indicator_summary *cpw_indicators_summary(const cpw_indicators *ind)
{
  return ind != NULL ? &ind->sum : NULL;
}

const cpw_indicator_care *cpw_indicators_care(const cpw_indicators *ind)
{
  return ind != NULL ? &ind->care : NULL;
}

int64_t cpw_indicators_at_end(const cpw_indicators *ind, size_t s)
{
  return ind != NULL && s < ind->nsettings ? ind->at_end[s] : 0;
}

int64_t cpw_indicators_entries(const cpw_indicators *ind, size_t s)
{
  return ind != NULL && s < ind->nsettings ? ind->entries[s] : 0;
}

int64_t cpw_indicators_exits(const cpw_indicators *ind, size_t s, int reason)
{
  if (ind == NULL || s >= ind->nsettings || reason < 0 || reason >= CPW_EXIT_REASON_COUNT)
    return 0;
  return ind->exits[s * CPW_EXIT_REASON_COUNT + (size_t)reason];
}

size_t cpw_indicators_series_count(const cpw_indicators *ind)
{
  return ind != NULL ? ind->nseries : 0;
}

int cpw_indicators_series(const cpw_indicators *ind, size_t i, cpw_date *date,
                          int64_t *residential)
{
  if (ind == NULL || i >= ind->nseries)
    return CPW_EINVALID;
  if (date != NULL)
    *date = ind->series_date[i];
  if (residential != NULL)
    *residential = ind->series_value[i];
  return CPW_OK;
}

/* ------------------------------------------------------------------ formats */

static int fmt_table(const cpw_indicators *ind, cpw__buf *b)
{
  const cpw_indicator_summary *s = &ind->sum;
  char a[CPW_DATE_BUFSIZE], z[CPW_DATE_BUFSIZE];
  uint32_t k;
  int r, rc;
  cpw_date_format(a, sizeof a, s->from);
  cpw_date_format(z, sizeof z, s->to);
  rc = cpw__buf_printf(b, "Deinstitutionalization indicators, %s to %s%s%s\n\n", a, z,
                       ind->region[0] ? ", region " : "", ind->region);
  if (rc == CPW_OK)
    rc = cpw__buf_printf(b,
                         "  children in care at the end     %8lld\n"
                         "    family-based care             %8lld\n"
                         "    family-type care              %8lld\n"
                         "    residential care              %8lld\n"
                         "  share in family-based care      %7.1f%%\n"
                         "  placements started (entries)    %8lld\n"
                         "  placements ended (exits)        %8lld\n"
                         "  moves                           %8lld\n"
                         "  children in care in the period  %8lld\n"
                         "  moves per child                 %8.2f\n"
                         "  median stay of ended placements %8.1f days\n"
                         "  ended: the child left care      %8lld\n"
                         "  ended: moved within care        %8lld\n"
                         "  with own family (not in care)   %8lld\n\n",
                         (long long)s->placed_at_end, (long long)s->family_at_end,
                         (long long)s->family_type_at_end, (long long)s->residential_at_end,
                         100.0 * s->family_share, (long long)s->entries, (long long)s->exits,
                         (long long)s->moves, (long long)s->children, s->moves_per_child,
                         s->median_stay_days, (long long)ind->care.left_care,
                         (long long)ind->care.moved_within_care,
                         (long long)ind->care.own_family_at_end);
  if (rc == CPW_OK)
    rc = cpw__buf_printf(b, "  %-24s %6s %7s %6s  exits by reason\n", "setting", "at end",
                         "entries", "exits");
  for (k = 0; rc == CPW_OK && k < ind->nsettings; k++) {
    int64_t ex = 0;
    int first = 1;
    for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
      ex += ind->exits[k * CPW_EXIT_REASON_COUNT + (size_t)r];
    rc = cpw__buf_printf(b, "  %-24s %6lld %7lld %6lld  ", ind->policy->placement->settings[k].id,
                         (long long)ind->at_end[k], (long long)ind->entries[k], (long long)ex);
    for (r = 0; rc == CPW_OK && r < CPW_EXIT_REASON_COUNT; r++) {
      int64_t v = ind->exits[k * CPW_EXIT_REASON_COUNT + (size_t)r];
      if (v == 0)
        continue;
      rc = cpw__buf_printf(b, "%s%s %lld", first ? "" : ", ", cpw_exit_reason_name(r),
                           (long long)v);
      first = 0;
    }
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, '\n');
  }
  if (rc == CPW_OK)
    rc = cpw__buf_adds(b, "\n  residential care at month end\n");
  for (k = 0; rc == CPW_OK && k < ind->nseries; k++) {
    cpw_date_format(a, sizeof a, ind->series_date[k]);
    rc = cpw__buf_printf(b, "    %s %8lld\n", a, (long long)ind->series_value[k]);
  }
  return rc;
}

static int fmt_csv(const cpw_indicators *ind, cpw__buf *b)
{
  const cpw_indicator_summary *s = &ind->sum;
  char a[CPW_DATE_BUFSIZE], z[CPW_DATE_BUFSIZE];
  uint32_t k;
  int r, rc;
  cpw_date_format(a, sizeof a, s->from);
  cpw_date_format(z, sizeof z, s->to);
  rc = cpw__buf_printf(b, "indicator,setting,reason,date,value\n"
                          "period_from,,,%s,\nperiod_to,,,%s,\n"
                          "placed_at_end,,,,%lld\nfamily_at_end,,,,%lld\n"
                          "family_type_at_end,,,,%lld\nresidential_at_end,,,,%lld\n"
                          "family_share,,,,%.4f\nentries,,,,%lld\nexits,,,,%lld\nmoves,,,,%lld\n"
                          "children,,,,%lld\nmoves_per_child,,,,%.4f\nmedian_stay_days,,,,%.1f\n"
                          "left_care,,,,%lld\nmoved_within_care,,,,%lld\n"
                          "own_family_at_end,,,,%lld\n",
                       a, z, (long long)s->placed_at_end, (long long)s->family_at_end,
                       (long long)s->family_type_at_end, (long long)s->residential_at_end,
                       s->family_share, (long long)s->entries, (long long)s->exits,
                       (long long)s->moves, (long long)s->children, s->moves_per_child,
                       s->median_stay_days, (long long)ind->care.left_care,
                       (long long)ind->care.moved_within_care,
                       (long long)ind->care.own_family_at_end);
  for (k = 0; rc == CPW_OK && k < ind->nsettings; k++) {
    const char *id = ind->policy->placement->settings[k].id;
    rc = cpw__buf_printf(b, "at_end,%s,,,%lld\nentries,%s,,,%lld\n", id,
                         (long long)ind->at_end[k], id, (long long)ind->entries[k]);
    for (r = 0; rc == CPW_OK && r < CPW_EXIT_REASON_COUNT; r++)
      rc = cpw__buf_printf(b, "exits,%s,%s,,%lld\n", id, cpw_exit_reason_name(r),
                           (long long)ind->exits[k * CPW_EXIT_REASON_COUNT + (size_t)r]);
  }
  for (k = 0; rc == CPW_OK && k < ind->nseries; k++) {
    cpw_date_format(a, sizeof a, ind->series_date[k]);
    rc = cpw__buf_printf(b, "residential,,,%s,%lld\n", a, (long long)ind->series_value[k]);
  }
  return rc;
}

static int fmt_json(const cpw_indicators *ind, cpw__buf *b)
{
  const cpw_indicator_summary *s = &ind->sum;
  char a[CPW_DATE_BUFSIZE], z[CPW_DATE_BUFSIZE];
  uint32_t k;
  int r, rc;
  cpw_date_format(a, sizeof a, s->from);
  cpw_date_format(z, sizeof z, s->to);
  rc = cpw__buf_printf(b, "{\"from\":\"%s\",\"to\":\"%s\",\"region\":", a, z);
  if (rc == CPW_OK)
    rc = ind->region[0] ? cpw__json_write_string(b, ind->region, strlen(ind->region))
                        : cpw__buf_adds(b, "null");
  if (rc == CPW_OK)
    rc = cpw__buf_printf(b, ",\"placed_at_end\":%lld,\"family_at_end\":%lld,"
                            "\"family_type_at_end\":%lld,\"residential_at_end\":%lld,"
                            "\"family_share\":%.4f,\"entries\":%lld,\"exits\":%lld,"
                            "\"moves\":%lld,\"children\":%lld,\"moves_per_child\":%.4f,"
                            "\"median_stay_days\":%.1f,\"left_care\":%lld,"
                            "\"moved_within_care\":%lld,\"own_family_at_end\":%lld,"
                            "\"settings\":{",
                         (long long)s->placed_at_end, (long long)s->family_at_end,
                         (long long)s->family_type_at_end, (long long)s->residential_at_end,
                         s->family_share, (long long)s->entries, (long long)s->exits,
                         (long long)s->moves, (long long)s->children, s->moves_per_child,
                         s->median_stay_days, (long long)ind->care.left_care,
                         (long long)ind->care.moved_within_care,
                         (long long)ind->care.own_family_at_end);
  for (k = 0; rc == CPW_OK && k < ind->nsettings; k++) {
    rc = cpw__buf_printf(b, "%s\"%s\":{\"at_end\":%lld,\"entries\":%lld,\"exits\":{",
                         k ? "," : "", ind->policy->placement->settings[k].id,
                         (long long)ind->at_end[k], (long long)ind->entries[k]);
    for (r = 0; rc == CPW_OK && r < CPW_EXIT_REASON_COUNT; r++)
      rc = cpw__buf_printf(b, "%s\"%s\":%lld", r ? "," : "", cpw_exit_reason_name(r),
                           (long long)ind->exits[k * CPW_EXIT_REASON_COUNT + (size_t)r]);
    if (rc == CPW_OK)
      rc = cpw__buf_adds(b, "}}");
  }
  if (rc == CPW_OK)
    rc = cpw__buf_adds(b, "},\"residential_by_month\":[");
  for (k = 0; rc == CPW_OK && k < ind->nseries; k++) {
    cpw_date_format(a, sizeof a, ind->series_date[k]);
    rc = cpw__buf_printf(b, "%s{\"date\":\"%s\",\"residential\":%lld}", k ? "," : "", a,
                         (long long)ind->series_value[k]);
  }
  if (rc == CPW_OK)
    rc = cpw__buf_adds(b, "]}\n");
  return rc;
}

int cpw_indicators_format(const cpw_indicators *ind, cpw_ctx *ctx, int format, char **out,
                          size_t *len)
{
  cpw__buf b;
  int rc;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (ind == NULL || out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_indicators_format: NULL argument");
  cpw__buf_init(&b, ctx);
  switch (format) {
  case CPW_INDICATORS_TABLE: rc = fmt_table(ind, &b); break;
  case CPW_INDICATORS_CSV: rc = fmt_csv(ind, &b); break;
  case CPW_INDICATORS_JSON: rc = fmt_json(ind, &b); break;
  default: rc = cpw__set_error(ctx, CPW_EINVALID, "unknown indicator format %d", format); break;
  }
  if (rc == CPW_OK)
    rc = cpw__buf_export(&b, out, len);
  cpw__buf_free(&b);
  return rc;
}
