/* SPDX-License-Identifier: Apache-2.0 */
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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"
#include "placement/registry.h"
#include "policy/labels.h"

#define CPW_EXPERIMENTAL
#include "cpw/experimental.h"

struct cpw_indicators {
  cpw_ctx *ctx;
  const cpw_policy *policy;
  cpw_indicator_summary sum;
  cpw_indicator_care care;
  struct {                   /* the headline figures after 1.1's (read by key only) */
    int64_t residential_under3_at_end;
  } more;
  uint32_t nsettings;
  int64_t *at_end;           /* per setting */
  int64_t *entries;          /* per setting */
  int64_t *exits;            /* per setting x reason */
  cpw_date *series_date;
  int64_t *series_value;
  size_t nseries;
  char region[128];
};

/* ------------------------------------------------------------------ the headline indicators
 *
 * One row per headline indicator, in the order of the table, CSV and JSON formats: its key (the
 * CSV and JSON name, the key of cpw_indicators_value), another key it answers to, its kind
 * (how it is stored and written), where it is stored, how the plain table names it (the
 * catalogue's word in a language, the English words of the default table, the indent: 4 under
 * the row above) and its one-line definition (docs/indicators.md gives each with its
 * source). A new indicator is a row here, its field in cpw_indicators and its computation in
 * cpw_registry_indicators; the formats, cpw_indicator_key, cpw_indicators_value, Python and
 * the charts read the table (docs/conventions.md, "Add an indicator"). */
typedef struct ind_row {
  const char *key;
  const char *alias;           /* another key it answers to, or NULL */
  uint8_t kind;                /* CPW_XP_INDICATOR_*: COUNT an int64_t, the others a double */
  uint8_t indent;
  uint16_t msg;
  size_t offset;               /* in struct cpw_indicators */
  const char *en;
  const char *definition;
} ind_row;

#define SUM(f) offsetof(struct cpw_indicators, sum.f)
#define CARE(f) offsetof(struct cpw_indicators, care.f)
#define MORE(f) offsetof(struct cpw_indicators, more.f)
static const ind_row ind_rows[] = {
  { "placed_at_end", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_AT_END, SUM(placed_at_end),
    "children in care at the end", "children in formal alternative care at the end of the "
    "period (family-based, family-type and residential care; not the own family)" },
  { "family_at_end", NULL, CPW_XP_INDICATOR_COUNT, 4, MSG_CAT_FAMILY, SUM(family_at_end),
    "family-based care", "children in family-based care (kinship and foster care) at the end" },
  { "family_type_at_end", NULL, CPW_XP_INDICATOR_COUNT, 4, MSG_CAT_FAMILY_TYPE,
    SUM(family_type_at_end), "family-type care",
    "children in family-type care (small family-type homes) at the end" },
  { "residential_at_end", NULL, CPW_XP_INDICATOR_COUNT, 4, MSG_CAT_RESIDENTIAL,
    SUM(residential_at_end), "residential care", "children in residential care at the end" },
  { "family_share", "family_based_share", CPW_XP_INDICATOR_SHARE, 2, MSG_IND_SHARE,
    SUM(family_share), "share in family-based care", "family_at_end / placed_at_end: "
    "family-based care against all formal care (0 when nobody is placed)" },
  { "entries", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_ENTRIES, SUM(entries),
    "placements started (entries)", "formal-care placements that started in the period" },
  { "exits", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_EXITS, SUM(exits),
    "placements ended (exits)", "formal-care placements that ended in the period (left_care + "
    "moved_within_care)" },
  { "moves", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_MOVES, SUM(moves), "moves",
    "exits with the reason moved" },
  { "children", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_CHILDREN, SUM(children),
    "children in care in the period", "distinct children in formal care at some time in the "
    "period" },
  { "moves_per_child", NULL, CPW_XP_INDICATOR_RATIO, 2, MSG_IND_MOVES_PER_CHILD,
    SUM(moves_per_child), "moves per child", "moves / children (0 when none)" },
  { "median_stay_days", NULL, CPW_XP_INDICATOR_DAYS, 2, MSG_IND_MEDIAN_STAY,
    SUM(median_stay_days), "median stay of ended placements", "the median length in days of "
    "the formal-care placements that ended in the period (0 when none)" },
  { "left_care", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_LEFT_CARE, CARE(left_care),
    "ended: the child left care", "placements that ended with the child leaving formal care" },
  { "moved_within_care", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_MOVED_WITHIN,
    CARE(moved_within_care), "ended: moved within care",
    "placements that ended with the child staying in formal care" },
  { "own_family_at_end", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_OWN_FAMILY,
    CARE(own_family_at_end), "with own family (not in care)",
    "children living with their own family with support at the end (not in care)" },
  { "residential_under3_at_end", NULL, CPW_XP_INDICATOR_COUNT, 2, MSG_IND_RESIDENTIAL_UNDER3,
    MORE(residential_under3_at_end), "children under 3 in residential care",
    "children in residential care at the end who are not yet 3 years old on the period's last "
    "day (children whose birth date is not known are not counted)" },
};
#undef SUM
#undef CARE
#undef MORE

static int64_t row_count(const cpw_indicators *ind, const ind_row *r)
{
  int64_t v;
  memcpy(&v, (const char *)ind + r->offset, sizeof v);
  return v;
}

static double row_real(const cpw_indicators *ind, const ind_row *r)
{
  double v;
  memcpy(&v, (const char *)ind + r->offset, sizeof v);
  return v;
}

static double row_value(const cpw_indicators *ind, const ind_row *r)
{
  return r->kind == CPW_XP_INDICATOR_COUNT ? (double)row_count(ind, r) : row_real(ind, r);
}

/* a short name of lower-case letters, digits and '_' (safe to quote in a message) */
static int is_key_like(const char *s)
{
  size_t n;
  for (n = 0; s[n] != '\0'; n++)
    if (n >= 40 || !((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
      return 0;
  return n > 0;
}

/* The row of `key` (or of its other name), or NULL. */
static const ind_row *row_find(const char *key)
{
  size_t i;
  for (i = 0; key != NULL && i < CPW__ARRAY_LEN(ind_rows); i++)
    if (strcmp(ind_rows[i].key, key) == 0 ||
        (ind_rows[i].alias != NULL && strcmp(ind_rows[i].alias, key) == 0))
      return &ind_rows[i];
  return NULL;
}

const char *cpw_indicator_key(size_t i)
{
  return i < CPW__ARRAY_LEN(ind_rows) ? ind_rows[i].key : NULL;
}

int cpw_indicators_value(const cpw_indicators *ind, const char *key, double *value)
{
  const ind_row *r;
  if (value != NULL)
    *value = 0;
  if (ind == NULL || key == NULL || value == NULL)
    return CPW_EINVALID;
  r = row_find(key);
  if (r == NULL) {
    char known[600];
    size_t i, n = 0;
    known[0] = '\0';
    for (i = 0; i < CPW__ARRAY_LEN(ind_rows) && n < sizeof known; i++)
      n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", ind_rows[i].key);
    /* the key is the caller's text: quoted only when it is a short identifier */
    if (is_key_like(key))
      return cpw__set_error(ind->ctx, CPW_ENOTFOUND, "no indicator '%s' (known: %s)", key,
                            known);
    return cpw__set_error(ind->ctx, CPW_ENOTFOUND, "no such indicator (known: %s)", known);
  }
  *value = row_value(ind, r);
  return CPW_OK;
}

int cpw_xp_indicator_describe(const char *key, cpw_xp_indicator_info *info)
{
  const ind_row *r;
  unsigned int version;
  if (info == NULL || key == NULL)
    return CPW_EINVALID;
  version = info->version;
  if (version == 0 || version > CPW_XP_INDICATOR_INFO_VERSION)
    return CPW_EVERSION;
  r = row_find(key);
  if (r == NULL)
    return CPW_ENOTFOUND;
  memset(info, 0, sizeof *info);
  info->version = version;
  info->key = r->key;
  info->kind = r->kind;
  info->name = r->en;
  info->definition = r->definition;
  return CPW_OK;
}

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
      else {
        int years;
        int64_t birth = reg->children[e->child].birth;
        ind->sum.residential_at_end++;
        if (birth != CPW_DATE_MIN && cpw_date_age(&years, (cpw_date)birth, to) == CPW_OK &&
            years < 3)
          ind->more.residential_under3_at_end++;
      }
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
  for (k = 0; rc == CPW_OK && k < CPW__ARRAY_LEN(ind_rows); k++) {
    const ind_row *row = &ind_rows[k];
    const char *label = lang->labels ? m[row->msg] : row->en;
    const int days = row->kind == CPW_XP_INDICATOR_DAYS;
    char v[64];
    switch (row->kind) {
    case CPW_XP_INDICATOR_SHARE: snprintf(v, sizeof v, "%7.1f%%", 100.0 * row_real(ind, row)); break;
    case CPW_XP_INDICATOR_RATIO: snprintf(v, sizeof v, "%8.2f", row_real(ind, row)); break;
    case CPW_XP_INDICATOR_DAYS:
      snprintf(v, sizeof v, lang->labels ? "%8.1f" : "%8.1f days", row_real(ind, row));
      break;
    default: snprintf(v, sizeof v, "%8lld", (long long)row_count(ind, row)); break;
    }
    if (lang->labels) /* the number first: labels in a language may be long */
      rc = cpw__buf_printf(b, "  %s  %s%s%s%s%s\n", v, row->indent == 4 ? "  " : "", label,
                           days ? " (" : "", days ? m[MSG_IND_DAYS] : "", days ? ")" : "");
    else
      rc = cpw__buf_printf(b, "%*s%-*s%s\n", row->indent, "", row->indent == 4 ? 30 : 32, label,
                           v);
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

/* A headline value as CSV and JSON write it: counts whole, shares and ratios to 4 places,
 * days to 1. */
static int write_value(cpw__buf *b, const cpw_indicators *ind, const ind_row *row)
{
  switch (row->kind) {
  case CPW_XP_INDICATOR_COUNT: return cpw__buf_printf(b, "%lld", (long long)row_count(ind, row));
  case CPW_XP_INDICATOR_DAYS: return cpw__buf_printf(b, "%.1f", row_real(ind, row));
  default: return cpw__buf_printf(b, "%.4f", row_real(ind, row));
  }
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
                          "period_from,,,%s,\nperiod_to,,,%s,\n", a, z);
  for (k = 0; rc == CPW_OK && k < CPW__ARRAY_LEN(ind_rows); k++) {
    rc = cpw__buf_printf(b, "%s,,,,", ind_rows[k].key);
    if (rc == CPW_OK)
      rc = write_value(b, ind, &ind_rows[k]);
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, '\n');
  }
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
  for (k = 0; rc == CPW_OK && k < CPW__ARRAY_LEN(ind_rows); k++) {
    rc = cpw__buf_printf(b, ",\"%s\":", ind_rows[k].key);
    if (rc == CPW_OK)
      rc = write_value(b, ind, &ind_rows[k]);
  }
  if (rc == CPW_OK)
    rc = cpw__buf_adds(b, ",\"settings\":{");
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
