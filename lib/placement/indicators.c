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
#include "policy/labels.h"

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

/* spaces, then s, to `width` characters */
static int pad_left(cpw__buf *b, const char *s, size_t width)
{
  size_t chars = 0;
  const unsigned char *p;
  int rc = CPW_OK;
  for (p = (const unsigned char *)s; *p != '\0'; p++)
    chars += (*p & 0xC0) != 0x80;
  for (; rc == CPW_OK && chars < width; chars++)
    rc = cpw__buf_addc(b, ' ');
  return rc == CPW_OK ? cpw__buf_adds(b, s) : rc;
}

/* The table in a language: the policy's names and English words (the default), or labels and
 * the catalogue's words (setting labels, exit reasons, dates as the language writes them). */
static int fmt_table(const cpw_indicators *ind, cpw__buf *b, const cpw__lang *lang)
{
  const cpw_indicator_summary *s = &ind->sum;
  const cpw__placement_policy *pp = ind->policy->placement;
  const char *const *m = lang->msg;
  char a[80], z[80], region[300], t[600];
  const char *args[3];
  uint32_t k;
  int r, rc;
  static const struct { int msg, indent; } rows[] = {
    { MSG_IND_AT_END, 2 }, { MSG_CAT_FAMILY, 4 }, { MSG_CAT_FAMILY_TYPE, 4 },
    { MSG_CAT_RESIDENTIAL, 4 }, { MSG_IND_SHARE, 2 }, { MSG_IND_ENTRIES, 2 },
    { MSG_IND_EXITS, 2 }, { MSG_IND_MOVES, 2 }, { MSG_IND_CHILDREN, 2 },
    { MSG_IND_MOVES_PER_CHILD, 2 }, { MSG_IND_MEDIAN_STAY, 2 }, { MSG_IND_LEFT_CARE, 2 },
    { MSG_IND_MOVED_WITHIN, 2 }, { MSG_IND_OWN_FAMILY, 2 },
  };
  if (!lang->labels) { /* the table as it always was (scripts read it) */
    cpw_date_format(a, sizeof a, s->from);
    cpw_date_format(z, sizeof z, s->to);
    rc = cpw__buf_printf(b, "Deinstitutionalization indicators, %s to %s%s%s\n\n", a, z,
                         ind->region[0] ? ", region " : "", ind->region);
  } else {
    const char *rl = ind->region[0] ? cpw__label(ind->policy, lang, "region", ind->region,
                                                 strlen(ind->region)) : NULL;
    cpw__lang_date(a, sizeof a, lang->style, s->from);
    cpw__lang_date(z, sizeof z, lang->style, s->to);
    region[0] = '\0';
    if (ind->region[0]) {
      args[0] = rl != NULL ? rl : ind->region;
      cpw__lang_fill(region, sizeof region, m[MSG_IND_REGION], args, 1);
    }
    args[0] = a;
    args[1] = z;
    args[2] = region;
    cpw__lang_fill(t, sizeof t, m[MSG_IND_TITLE], args, 3);
    rc = cpw__buf_printf(b, "%s\n\n", t);
  }
  for (k = 0; rc == CPW_OK && k < CPW__ARRAY_LEN(rows); k++) {
    static const char *const names_en[] = {
      "children in care at the end", "family-based care", "family-type care",
      "residential care", "share in family-based care", "placements started (entries)",
      "placements ended (exits)", "moves", "children in care in the period", "moves per child",
      "median stay of ended placements", "ended: the child left care",
      "ended: moved within care", "with own family (not in care)",
    };
    char v[64];
    const char *label = lang->labels ? m[rows[k].msg] : names_en[k];
    switch (k) {
    case 0: snprintf(v, sizeof v, "%8lld", (long long)s->placed_at_end); break;
    case 1: snprintf(v, sizeof v, "%8lld", (long long)s->family_at_end); break;
    case 2: snprintf(v, sizeof v, "%8lld", (long long)s->family_type_at_end); break;
    case 3: snprintf(v, sizeof v, "%8lld", (long long)s->residential_at_end); break;
    case 4: snprintf(v, sizeof v, "%7.1f%%", 100.0 * s->family_share); break;
    case 5: snprintf(v, sizeof v, "%8lld", (long long)s->entries); break;
    case 6: snprintf(v, sizeof v, "%8lld", (long long)s->exits); break;
    case 7: snprintf(v, sizeof v, "%8lld", (long long)s->moves); break;
    case 8: snprintf(v, sizeof v, "%8lld", (long long)s->children); break;
    case 9: snprintf(v, sizeof v, "%8.2f", s->moves_per_child); break;
    case 11: snprintf(v, sizeof v, "%8lld", (long long)ind->care.left_care); break;
    case 12: snprintf(v, sizeof v, "%8lld", (long long)ind->care.moved_within_care); break;
    case 13: snprintf(v, sizeof v, "%8lld", (long long)ind->care.own_family_at_end); break;
    default:
      if (lang->labels)
        snprintf(v, sizeof v, "%8.1f", s->median_stay_days);
      else
        snprintf(v, sizeof v, "%8.1f days", s->median_stay_days);
      break;
    }
    if (lang->labels) /* the number first: labels in a language may be long */
      rc = cpw__buf_printf(b, "  %s  %s%s%s%s%s\n", v, rows[k].indent == 4 ? "  " : "", label,
                           k == 10 ? " (" : "", k == 10 ? m[MSG_IND_DAYS] : "", k == 10 ? ")" : "");
    else
      rc = cpw__buf_printf(b, "%*s%-*s%s\n", rows[k].indent, "", rows[k].indent == 4 ? 30 : 32,
                           label, v);
  }
  if (rc == CPW_OK)
    rc = cpw__buf_addc(b, '\n');
  if (rc == CPW_OK && !lang->labels)
    rc = cpw__buf_printf(b, "  %-24s %6s %7s %6s  exits by reason\n", "setting", "at end",
                         "entries", "exits");
  if (rc == CPW_OK && lang->labels) {
    rc = cpw__buf_adds(b, "  ");
    if (rc == CPW_OK)
      rc = pad_left(b, m[MSG_IND_COL_AT_END], 6);
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, ' ');
    if (rc == CPW_OK)
      rc = pad_left(b, m[MSG_IND_COL_ENTRIES], 7);
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, ' ');
    if (rc == CPW_OK)
      rc = pad_left(b, m[MSG_IND_COL_EXITS], 6);
    if (rc == CPW_OK)
      rc = cpw__buf_printf(b, "  %s: %s\n", m[MSG_IND_COL_SETTING], m[MSG_IND_COL_REASONS]);
  }
  for (k = 0; rc == CPW_OK && k < ind->nsettings; k++) {
    int64_t ex = 0;
    int first = 1;
    const char *id = pp->settings[k].id, *name = id;
    if (lang->labels) {
      const char *l = cpw__label(ind->policy, lang, "setting", id, strlen(id));
      if (l != NULL)
        name = l;
    }
    for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
      ex += ind->exits[k * CPW_EXIT_REASON_COUNT + (size_t)r];
    if (lang->labels)
      rc = cpw__buf_printf(b, "  %6lld %7lld %6lld  %s%s", (long long)ind->at_end[k],
                           (long long)ind->entries[k], (long long)ex, name, ex > 0 ? ": " : "");
    else
      rc = cpw__buf_printf(b, "  %-24s %6lld %7lld %6lld  ", name, (long long)ind->at_end[k],
                           (long long)ind->entries[k], (long long)ex);
    for (r = 0; rc == CPW_OK && r < CPW_EXIT_REASON_COUNT; r++) {
      int64_t v = ind->exits[k * CPW_EXIT_REASON_COUNT + (size_t)r];
      if (v == 0)
        continue;
      rc = cpw__buf_printf(b, "%s%s %lld", first ? "" : ", ",
                           lang->labels ? m[MSG_EXIT_REUNIFIED + r] : cpw_exit_reason_name(r),
                           (long long)v);
      first = 0;
    }
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, '\n');
  }
  if (rc == CPW_OK)
    rc = cpw__buf_printf(b, "\n  %s\n", lang->labels ? m[MSG_IND_SERIES]
                                                    : "residential care at month end");
  for (k = 0; rc == CPW_OK && k < ind->nseries; k++) {
    if (lang->labels)
      cpw__lang_date(a, sizeof a, lang->style, ind->series_date[k]);
    else
      cpw_date_format(a, sizeof a, ind->series_date[k]);
    if (lang->labels)
      rc = cpw__buf_printf(b, "    %8lld  %s\n", (long long)ind->series_value[k], a);
    else
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

static int indicators_format(const cpw_indicators *ind, cpw_ctx *ctx, int format,
                             const cpw_text_options *opts, char **out, size_t *len)
{
  cpw__buf b;
  const cpw__lang *lang;
  const char *tag;
  int rc;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (ind == NULL || out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_indicators_format: NULL argument");
  if (opts != NULL && (opts->version == 0 || opts->version > CPW_TEXT_OPTIONS_VERSION))
    return cpw__set_error(ctx, CPW_EVERSION, "cpw_text_options version %u is not supported",
                          opts->version);
  tag = opts != NULL && opts->lang != NULL ? opts->lang : ctx->lang;
  lang = cpw__policy_lang(ind->policy, tag);
  if (lang == NULL)
    return cpw__set_error(ctx, CPW_ENOTFOUND, "no language '%.40s' in the library or the policy",
                          tag);
  cpw__buf_init(&b, ctx);
  switch (format) {
  case CPW_INDICATORS_TABLE: rc = fmt_table(ind, &b, lang); break;
  case CPW_INDICATORS_CSV: rc = fmt_csv(ind, &b); break;
  case CPW_INDICATORS_JSON: rc = fmt_json(ind, &b); break;
  default: rc = cpw__set_error(ctx, CPW_EINVALID, "unknown indicator format %d", format); break;
  }
  if (rc == CPW_OK)
    rc = cpw__buf_export(&b, out, len);
  cpw__buf_free(&b);
  return rc;
}

int cpw_indicators_format(const cpw_indicators *ind, cpw_ctx *ctx, int format, char **out,
                          size_t *len)
{
  return indicators_format(ind, ctx, format, NULL, out, len);
}

int cpw_indicators_format_with(const cpw_indicators *ind, cpw_ctx *ctx, int format,
                               const cpw_text_options *opts, char **out, size_t *len)
{
  return indicators_format(ind, ctx, format, opts, out, len);
}
