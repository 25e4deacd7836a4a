/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_placement: random operation sequences against the placement registry of Georgia's
 * default policy, with invariant checks after every operation.
 *
 * The input is a list of operations (see decode below): register a child or a facility, place,
 * move, end, review, options, indicators (and their formats), reviews due, aging out, current.
 * Ids, dates, roles and flags come from small pools so that operations meet each other. After
 * each operation:
 * - every facility's occupancy equals the number of open episodes in it;
 * - a child has at most one open episode, and it is the child's current one;
 * - a refused operation changed nothing (episodes, occupancies, every child's placement), and
 *   an accepted one changed exactly what it should (one episode more for place and move, ...);
 * - the answers agree with a small model (CPW_ESTATE for placing a placed child or moving an
 *   unplaced one, CPW_EINVALID for dates before the current placement's start);
 * - indicators agree with a brute-force count over the episodes (children at the end by
 *   category and setting, entries, exits by reason, moves, children, median stay, the month-end
 *   series), placed_at_end = family + family_type + residential (the own family apart),
 *   left_care + moved_within_care = exits, and the JSON output parses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "placement/registry.h"

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NCHILDREN 16
#define MAX_OPS 300

static cpw_ctx *g_ctx;
static cpw_policy *g_pol;
static int g_trace; /* FUZZ_PLACEMENT_TRACE set: print each placement operation's outcome */

static const char *const fac_pool[] = { "kojori", "tbilisi_infant_house", "x0", "x1", "x2",
                                        "x3", "nowhere" };
#define NFAC_POOL 7
static const char *const region_pool[] = { NULL, "Tbilisi", "Kutaisi", "Gori", "", "Nowhere" };
static const char *const role_pool[] = { "social_worker", "supervisor", "court", "teacher",
                                         NULL };

typedef struct input {
  const uint8_t *p;
  size_t n;
} input;

static unsigned u8(input *in)
{
  if (in->n == 0)
    return 0;
  in->n--;
  return *in->p++;
}

static unsigned u16(input *in)
{
  unsigned a = u8(in);
  return a | (u8(in) << 8);
}

static cpw_date day(int y, int m, int d)
{
  cpw_date r = 0;
  cpw_date_from_ymd(&r, y, m, d);
  return r;
}

static cpw_date any_date(input *in)
{
  unsigned v = u16(in);
  if (v == 0xffff)
    return CPW_DATE_MAX + 1;
  return day(2015, 1, 1) + (cpw_date)(v % 4096);
}

/* ------------------------------------------------------------------ the model */

typedef struct model {
  int registered[NCHILDREN];
  int placed[NCHILDREN];
  int64_t start[NCHILDREN];
  int64_t last_end[NCHILDREN];
  size_t episodes;
} model;

/* ------------------------------------------------------------------ snapshots */

typedef struct snap {
  size_t episodes, nfacilities, nchildren;
  int64_t occupancy[64];
  uint32_t current[NCHILDREN];
  int64_t last_review[NCHILDREN], last_end[NCHILDREN];
  cpw__episode last_episode;
} snap;

static void take(const cpw_registry *reg, snap *s)
{
  size_t i;
  memset(s, 0, sizeof *s);
  s->episodes = reg->nepisodes;
  s->nfacilities = reg->nfacilities;
  s->nchildren = reg->nchildren;
  for (i = 0; i < reg->nfacilities && i < 64; i++)
    s->occupancy[i] = reg->facilities[i].occupancy;
  for (i = 0; i < NCHILDREN; i++)
    s->current[i] = CPW__PL_NONE;
  for (i = 0; i < reg->nchildren && i < NCHILDREN; i++) {
    s->current[i] = reg->children[i].current;
    s->last_review[i] = reg->children[i].last_review;
    s->last_end[i] = reg->children[i].last_end;
  }
  if (reg->nepisodes > 0)
    s->last_episode = reg->episodes[reg->nepisodes - 1];
  /* the open episodes' ends are part of the state: a refused move must not end one */
}

static void same(const cpw_registry *reg, const snap *a)
{
  snap b;
  size_t i;
  take(reg, &b);
  CHECK(a->episodes == b.episodes);
  CHECK(a->nfacilities == b.nfacilities);
  CHECK(a->nchildren == b.nchildren);
  for (i = 0; i < 64; i++)
    CHECK(a->occupancy[i] == b.occupancy[i]);
  for (i = 0; i < NCHILDREN; i++) {
    CHECK(a->current[i] == b.current[i]);
    CHECK(a->last_review[i] == b.last_review[i]);
    CHECK(a->last_end[i] == b.last_end[i]);
    if (a->current[i] != CPW__PL_NONE)
      CHECK(reg->episodes[a->current[i]].end == CPW_DATE_MAX);
  }
  CHECK(memcmp(&a->last_episode, &b.last_episode, sizeof a->last_episode) == 0);
}

/* occupancy = open episodes per facility; one open episode per child, its current one */
static void invariants(const cpw_registry *reg)
{
  size_t i, f;
  static int64_t open_per_facility[64];
  static uint32_t open_of_child[NCHILDREN];
  CHECK(reg->nfacilities <= 64 && reg->nchildren <= NCHILDREN);
  memset(open_per_facility, 0, sizeof open_per_facility);
  for (i = 0; i < NCHILDREN; i++)
    open_of_child[i] = CPW__PL_NONE;
  for (i = 0; i < reg->nepisodes; i++) {
    const cpw__episode *e = &reg->episodes[i];
    CHECK(e->child < reg->nchildren);
    CHECK(e->start <= e->end);
    CHECK(e->setting < reg->pp->nsettings);
    CHECK(e->category == reg->pp->settings[e->setting].category);
    CHECK(e->region < reg->nregions);
    if (e->facility != CPW__PL_NONE) {
      CHECK(e->facility < reg->nfacilities);
      CHECK(reg->facilities[e->facility].setting == e->setting);
      CHECK(e->region == reg->facilities[e->facility].region);
    }
    if (e->end == CPW_DATE_MAX) {
      CHECK(open_of_child[e->child] == CPW__PL_NONE); /* at most one open episode */
      open_of_child[e->child] = (uint32_t)i;
      if (e->facility != CPW__PL_NONE)
        open_per_facility[e->facility]++;
    } else {
      CHECK(e->exit_reason < CPW_EXIT_REASON_COUNT);
    }
  }
  for (i = 0; i < reg->nchildren; i++) {
    const cpw__child *c = &reg->children[i];
    cpw_placement_info info;
    int rc = cpw_registry_current(reg, c->id, &info);
    CHECK(c->current == open_of_child[i]);
    CHECK(rc == (c->current == CPW__PL_NONE ? CPW_ESTATE : CPW_OK));
    if (rc == CPW_OK) {
      CHECK(info.start == reg->episodes[c->current].start);
      CHECK(info.review_due >= info.start);
      CHECK(c->last_review >= info.start);
    }
  }
  for (f = 0; f < reg->nfacilities; f++) {
    CHECK(reg->facilities[f].occupancy == open_per_facility[f]);
    CHECK(cpw_registry_occupancy(reg, reg->facilities[f].id) == open_per_facility[f]);
  }
}

/* ------------------------------------------------------------------ indicators, by brute force */

static int cmp_i64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static void check_json(cpw_ctx *ctx, const char *text, size_t len)
{
  cpw__json_reader r;
  cpw__json_token t;
  int rc;
  cpw__json_reader_init(&r, ctx, text, len);
  while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF)
    ;
  CHECK(rc == CPW_OK || rc == CPW_ENOMEM);
  cpw__json_reader_free(&r);
}

static void check_indicators(const cpw_registry *reg, cpw_ctx *ctx, cpw_date from, cpw_date to,
                             const char *region, const cpw_indicators *ind)
{
  const cpw_indicator_summary *s = cpw_indicators_summary(ind);
  int64_t at_end = 0, by_cat[4] = { 0, 0, 0, 0 }, entries = 0, exits = 0, moves = 0;
  int64_t children = 0;
  int64_t at_end_s[CPW__MAX_ENUM_MEMBERS] = { 0 }, entries_s[CPW__MAX_ENUM_MEMBERS] = { 0 };
  int64_t exits_sr[CPW__MAX_ENUM_MEMBERS][CPW_EXIT_REASON_COUNT];
  int64_t *stays = malloc((reg->nepisodes + 1) * sizeof *stays);
  uint8_t seen[NCHILDREN] = { 0 };
  size_t nstays = 0, i, k, nser;
  uint32_t want_region = CPW__PL_NONE;
  int r, filter = region != NULL;
  double median = 0;
  (void)ctx;
  CHECK(stays != NULL);
  memset(exits_sr, 0, sizeof exits_sr);
  if (filter) {
    /* a region nobody was placed in, and "", select nothing */
    for (i = 1; i < reg->nregions; i++)
      if (strcmp(reg->regions[i], region) == 0)
        want_region = (uint32_t)i;
  }
  for (i = 0; i < reg->nepisodes; i++) {
    const cpw__episode *e = &reg->episodes[i];
    int open = e->end == CPW_DATE_MAX;
    if (filter && e->region != want_region)
      continue;
    if (e->category == CPW__CAT_OWN_FAMILY) {
      /* not alternative care: by setting only, and apart in the summary */
      if (e->start <= to && (open || e->end > to)) {
        by_cat[3]++;
        at_end_s[e->setting]++;
      }
      if (e->start >= from && e->start <= to)
        entries_s[e->setting]++;
      if (!open && e->end >= from && e->end <= to)
        exits_sr[e->setting][e->exit_reason]++;
      continue;
    }
    if (e->start <= to && (open || e->end > to)) {
      at_end++;
      by_cat[e->category]++;
      at_end_s[e->setting]++;
    }
    if (e->start >= from && e->start <= to) {
      entries++;
      entries_s[e->setting]++;
    }
    if (!open && e->end >= from && e->end <= to) {
      exits++;
      exits_sr[e->setting][e->exit_reason]++;
      moves += e->exit_reason == CPW_EXIT_MOVED;
      stays[nstays++] = e->end - e->start;
    }
    if (e->start <= to && (open || e->end > from) && !seen[e->child]) {
      seen[e->child] = 1;
      children++;
    }
  }
  if (nstays > 0) {
    qsort(stays, nstays, sizeof *stays, cmp_i64);
    median = nstays % 2 ? (double)stays[nstays / 2]
                        : ((double)stays[nstays / 2 - 1] + (double)stays[nstays / 2]) / 2.0;
  }
  free(stays);
  CHECK(s->from == from && s->to == to);
  CHECK(s->placed_at_end == at_end);
  CHECK(s->placed_at_end == s->family_at_end + s->family_type_at_end + s->residential_at_end);
  CHECK(s->family_at_end == by_cat[0]);
  CHECK(s->family_type_at_end == by_cat[1]);
  CHECK(s->residential_at_end == by_cat[2]);
  CHECK(cpw_indicators_care(ind)->own_family_at_end == by_cat[3]);
  CHECK(cpw_indicators_care(ind)->left_care + cpw_indicators_care(ind)->moved_within_care ==
        s->exits);
  CHECK(s->entries == entries);
  CHECK(s->exits == exits);
  CHECK(s->moves == moves);
  CHECK(s->children == children);
  CHECK(s->placed_at_end <= s->children);
  CHECK(s->median_stay_days == median);
  CHECK(s->family_share == (at_end > 0 ? (double)by_cat[0] / (double)at_end : 0.0));
  CHECK(s->moves_per_child == (children > 0 ? (double)moves / (double)children : 0.0));
  for (k = 0; k < reg->pp->nsettings; k++) {
    CHECK(cpw_indicators_at_end(ind, k) == at_end_s[k]);
    CHECK(cpw_indicators_entries(ind, k) == entries_s[k]);
    for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
      CHECK(cpw_indicators_exits(ind, k, r) == exits_sr[k][r]);
  }
  /* the series: every month end before `to`, then `to` */
  nser = cpw_indicators_series_count(ind);
  CHECK(nser >= 1);
  for (k = 0; k < nser; k++) {
    cpw_date d;
    int64_t v, want = 0;
    int y, m, dd;
    CHECK(cpw_indicators_series(ind, k, &d, &v) == CPW_OK);
    cpw_date_to_ymd(d, &y, &m, &dd);
    if (k + 1 < nser) {
      CHECK(dd == cpw_date_days_in_month(y, m));
      CHECK(d >= from && d < to);
    } else {
      CHECK(d == to);
    }
    if (k == 0) {
      /* the first month end is that of from's month */
      int fy, fm, fd;
      cpw_date_to_ymd(from, &fy, &fm, &fd);
      if (nser > 1)
        CHECK(y == fy && m == fm);
    }
    for (i = 0; i < reg->nepisodes; i++) {
      const cpw__episode *e = &reg->episodes[i];
      if (filter && e->region != want_region)
        continue;
      if (e->category == CPW__CAT_RESIDENTIAL && e->start <= d &&
          (e->end == CPW_DATE_MAX || e->end > d))
        want++;
    }
    CHECK(v == want);
  }
}

static void indicators(cpw_registry *reg, cpw_ctx *ctx, input *in)
{
  cpw_date from = day(2014, 1, 1) + (cpw_date)(u16(in) % 4096);
  int len = (int)(u16(in) % 3000) - 100;
  cpw_date to = from + len;
  const char *region = region_pool[u8(in) % 6];
  unsigned fmt = u8(in) % 4;
  cpw_indicators *ind = NULL;
  int rc = cpw_registry_indicators(reg, ctx, from, to, region, &ind);
  if (len < 0) {
    CHECK(rc == CPW_EINVALID && ind == NULL);
    return;
  }
  CHECK(rc == CPW_OK && ind != NULL);
  check_indicators(reg, ctx, from, to, region, ind);
  {
    int f;
    for (f = 0; f < 3; f++) {
      char *text = NULL;
      size_t n = 0;
      if (fmt != 3 && (unsigned)f != fmt)
        continue;
      CHECK(cpw_indicators_format(ind, ctx, f, &text, &n) == CPW_OK);
      CHECK(text != NULL && strlen(text) == n);
      if (f == CPW_INDICATORS_JSON)
        check_json(ctx, text, n);
      if (f == CPW_INDICATORS_CSV)
        CHECK(strncmp(text, "indicator,setting,reason,date,value\n", 36) == 0);
      cpw_free(ctx, text);
    }
  }
  cpw_indicators_free(ind);
}

/* ------------------------------------------------------------------ operations */

static void place_or_move(cpw_registry *reg, model *m, input *in, int move)
{
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  char id[8];
  unsigned ci = u8(in) % (NCHILDREN + 1), t = u8(in), fl;
  int k = ci < NCHILDREN ? (int)ci : -1, rc;
  size_t nsettings = reg->pp->nsettings;
  snap before;
  snprintf(id, sizeof id, ci < NCHILDREN ? "c%u" : "nobody", ci);
  req.child = id;
  if (t & 1) {
    req.facility = fac_pool[(t >> 1) % NFAC_POOL];
    if ((t >> 4) == 15)
      req.setting = cpw_policy_setting(g_pol, t % nsettings); /* maybe not the facility's */
  } else {
    size_t s = (t >> 1) % (nsettings + 1);
    req.setting = s < nsettings ? cpw_policy_setting(g_pol, s) : "nope";
  }
  req.region = region_pool[u8(in) % 6];
  req.date = any_date(in);
  req.actor = "fuzz";
  req.role = role_pool[u8(in) % 5];
  fl = u8(in);
  req.emergency = fl & 1;
  req.keep_siblings_together = (fl >> 1) & 1;
  req.flags = (fl >> 2) & 1 ? CPW_PLACE_EXISTING : 0;
  take(reg, &before);
  rc = move ? cpw_registry_move(reg, &req) : cpw_registry_place(reg, &req);
  if (g_trace)
    fprintf(stderr, "%s %s %s %d: %d %s\n", move ? "move" : "place", id,
            req.facility ? req.facility : req.setting, (int)req.date, rc,
            rc == CPW_OK ? cpw_registry_explain(reg) : cpw_ctx_last_error(g_ctx)->message);
  if (rc != CPW_OK) {
    CHECK(rc == CPW_EDENIED || rc == CPW_ENOTFOUND || rc == CPW_ESTATE || rc == CPW_EINVALID);
    same(reg, &before);
    if (rc == CPW_EDENIED) {
      CHECK(strncmp(cpw_registry_explain(reg), "denied: ", 8) == 0);
      CHECK(!(req.flags & CPW_PLACE_EXISTING));
    }
  }
  /* the model: who is registered, placed, since when */
  if (k < 0 || !m->registered[k]) {
    CHECK(rc == CPW_ENOTFOUND);
    return;
  }
  if (req.date > CPW_DATE_MAX) {
    CHECK(rc == CPW_EINVALID);
    return;
  }
  if (!move && m->placed[k]) {
    CHECK(rc == CPW_ESTATE);
    return;
  }
  if (move && !m->placed[k]) {
    CHECK(rc == CPW_ESTATE);
    return;
  }
  if (move && req.date < m->start[k]) {
    CHECK(rc == CPW_EINVALID);
    return;
  }
  if (!move && req.date < m->last_end[k]) {
    CHECK(rc == CPW_EINVALID);
    return;
  }
  if (rc != CPW_OK)
    return;
  /* accepted: one more episode, the child's, open, from the date */
  CHECK(reg->nepisodes == m->episodes + 1);
  {
    const cpw__episode *e = &reg->episodes[reg->nepisodes - 1];
    const cpw__child *c = &reg->children[e->child];
    CHECK(strcmp(c->id, id) == 0);
    CHECK(c->current == reg->nepisodes - 1);
    CHECK(e->start == req.date && e->end == CPW_DATE_MAX);
    CHECK(c->last_review == req.date);
    if (move) {
      const cpw__episode *old = &reg->episodes[before.current[e->child]];
      CHECK(old->end == req.date && old->exit_reason == CPW_EXIT_MOVED);
    }
    if (req.facility != NULL)
      CHECK(strcmp(reg->facilities[e->facility].id, req.facility) == 0);
    else
      CHECK(e->facility == CPW__PL_NONE);
    /* accepted: no explanation, or warnings only (and none for a recorded placement) */
    if (req.flags & CPW_PLACE_EXISTING)
      CHECK(cpw_registry_explain(reg)[0] == '\0');
    else
      CHECK(cpw_registry_explain(reg)[0] == '\0' ||
            (strncmp(cpw_registry_explain(reg), "warning: ", 9) == 0 &&
             strstr(cpw_registry_explain(reg), "denied: ") == NULL));
  }
  m->episodes++;
  m->placed[k] = 1;
  m->start[k] = req.date;
}

static size_t registry_child(const cpw_registry *reg, const char *id)
{
  size_t i;
  for (i = 0; i < reg->nchildren; i++)
    if (strcmp(reg->children[i].id, id) == 0)
      return i;
  abort();
}

static void end_or_review(cpw_registry *reg, model *m, input *in, int review)
{
  char id[8];
  unsigned ci = u8(in) % (NCHILDREN + 1);
  int k = ci < NCHILDREN ? (int)ci : -1, rc;
  cpw_date date = any_date(in);
  int reason = (int)(u8(in) % 10) - 1;
  snap before;
  snprintf(id, sizeof id, ci < NCHILDREN ? "c%u" : "nobody", ci);
  take(reg, &before);
  rc = review ? cpw_registry_review(reg, id, date, "fuzz", "social_worker")
              : cpw_registry_end(reg, id, date, reason, "fuzz", "social_worker");
  if (g_trace)
    fprintf(stderr, "%s %s %d: %d\n", review ? "review" : "end", id, (int)date, rc);
  if (rc != CPW_OK)
    same(reg, &before);
  if (k < 0 || !m->registered[k]) {
    CHECK(rc == CPW_ENOTFOUND);
    return;
  }
  if (!m->placed[k]) {
    CHECK(rc == CPW_ESTATE);
    return;
  }
  if (date < m->start[k] || date > CPW_DATE_MAX) {
    CHECK(rc == CPW_EINVALID);
    return;
  }
  if (!review && (reason < 0 || reason >= CPW_EXIT_REASON_COUNT)) {
    CHECK(rc == CPW_EINVALID);
    return;
  }
  CHECK(rc == CPW_OK);
  CHECK(reg->nepisodes == m->episodes);
  {
    size_t c = registry_child(reg, id);
    const cpw__episode *e = &reg->episodes[before.current[c]];
    if (review) {
      /* the latest review counts */
      CHECK(reg->children[c].current == before.current[c]);
      CHECK(reg->children[c].last_review ==
            (date > before.last_review[c] ? date : before.last_review[c]));
      return;
    }
    CHECK(reg->children[c].current == CPW__PL_NONE);
    CHECK(e->end == date && e->exit_reason == reason);
    if (e->facility != CPW__PL_NONE)
      CHECK(reg->facilities[e->facility].occupancy == before.occupancy[e->facility] - 1);
  }
  m->placed[k] = 0;
  m->last_end[k] = date;
}

static void add_child(cpw_registry *reg, model *m, input *in)
{
  unsigned ci = u8(in) % NCHILDREN, b = u8(in), g = u8(in);
  char id[8], group[8];
  cpw_date birth = b % 8 == 0 ? CPW_DATE_MIN : day(2000, 1, 1) + (cpw_date)(u16(in) % 8192);
  int rc;
  snap before;
  snprintf(id, sizeof id, "c%u", ci);
  snprintf(group, sizeof group, "g%u", g % 3);
  take(reg, &before);
  rc = cpw_registry_add_child(reg, id, birth, g % 4 == 0 ? NULL : group);
  if (m->registered[ci]) {
    CHECK(rc == CPW_EEXISTS);
    same(reg, &before);
    return;
  }
  CHECK(rc == CPW_OK);
  m->registered[ci] = 1;
  m->last_end[ci] = CPW_DATE_MIN;
}

static void add_facility(cpw_registry *reg, input *in)
{
  unsigned fi = u8(in) % 4, s = u8(in), r = u8(in), c = u8(in), lo = u8(in), hi = u8(in);
  size_t nsettings = reg->pp->nsettings;
  char id[8];
  int rc;
  snap before;
  snprintf(id, sizeof id, "x%u", fi);
  take(reg, &before);
  rc = cpw_registry_add_facility(reg, id, s % (nsettings + 1) < nsettings
                                            ? cpw_policy_setting(g_pol, s % (nsettings + 1))
                                            : "nope",
                                 "X", region_pool[r % 6], (int)(c % 6) - 1, (int)(lo % 20) - 1,
                                 (int)(hi % 20) - 1);
  if (rc != CPW_OK) {
    CHECK(rc == CPW_EEXISTS || rc == CPW_ENOTFOUND || rc == CPW_EINVALID);
    same(reg, &before);
  }
}

static void options(cpw_registry *reg, input *in)
{
  unsigned ci = u8(in) % (NCHILDREN + 1), fl = u8(in), max = u8(in) % 12;
  const char *got[16];
  char id[8];
  cpw_date date = any_date(in);
  size_t n, i, j, all;
  snap before;
  snprintf(id, sizeof id, ci < NCHILDREN ? "c%u" : "nobody", ci);
  take(reg, &before);
  n = cpw_registry_options(reg, id, date, fl & 1, (fl >> 1) & 1, got, max);
  all = cpw_registry_options(reg, id, date, fl & 1, (fl >> 1) & 1, NULL, 0);
  same(reg, &before);
  CHECK(n == all && n <= reg->pp->npreference);
  /* in the policy's preference order */
  for (i = 0, j = 0; i < n && i < max; i++) {
    while (j < reg->pp->npreference &&
           strcmp(reg->pp->settings[reg->pp->preference[j]].id, got[i]) != 0)
      j++;
    CHECK(j < reg->pp->npreference);
    j++;
  }
}

static void due_lists(cpw_registry *reg, input *in)
{
  cpw_placement_info out[20];
  cpw_date date = any_date(in);
  size_t max = u8(in) % 20, n, all, i;
  int adult;
  for (adult = 0; adult < 2; adult++) {
    n = adult ? cpw_registry_aging_out(reg, date, out, max)
              : cpw_registry_reviews_due(reg, date, out, max);
    all = adult ? cpw_registry_aging_out(reg, date, NULL, 0)
                : cpw_registry_reviews_due(reg, date, NULL, 0);
    CHECK(n == all);
    for (i = 0; i < n && i < max; i++) {
      cpw_date key = adult ? out[i].turns_adult : out[i].review_due;
      CHECK(key <= date);
      if (i > 0)
        CHECK((adult ? out[i - 1].turns_adult : out[i - 1].review_due) <= key);
    }
    /* the earliest are kept: none of the others is earlier than the last one written */
    if (n > max && max > 0) {
      cpw_placement_info *every = malloc(n * sizeof *every);
      CHECK(every != NULL);
      CHECK((adult ? cpw_registry_aging_out(reg, date, every, n)
                   : cpw_registry_reviews_due(reg, date, every, n)) == n);
      for (i = 0; i < max; i++)
        CHECK(strcmp(every[i].child, out[i].child) == 0);
      free(every);
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cpw_registry *reg;
  model m;
  input in;
  int ops = 0;
  if (g_pol == NULL) {
    if (cpw_ctx_new(&g_ctx, NULL) != CPW_OK || cpw_policy_default(&g_pol, g_ctx) != CPW_OK)
      abort();
    g_trace = getenv("FUZZ_PLACEMENT_TRACE") != NULL;
  }
  CHECK(cpw_registry_new(&reg, g_ctx, g_pol) == CPW_OK);
  memset(&m, 0, sizeof m);
  in.p = data;
  in.n = size;
  while (in.n > 0 && ops++ < MAX_OPS) {
    switch (u8(&in) % 11) {
    case 0: add_child(reg, &m, &in); break;
    case 1: add_facility(reg, &in); break;
    case 2: place_or_move(reg, &m, &in, 0); break;
    case 3: place_or_move(reg, &m, &in, 1); break;
    case 4: end_or_review(reg, &m, &in, 0); break;
    case 5: end_or_review(reg, &m, &in, 1); break;
    case 6: options(reg, &in); break;
    case 7: indicators(reg, g_ctx, &in); break;
    case 8: due_lists(reg, &in); break;
    case 9: {
      cpw_placement_info info;
      char id[8];
      unsigned ci = u8(&in) % NCHILDREN;
      snprintf(id, sizeof id, "c%u", ci);
      CHECK(cpw_registry_current(reg, id, &info) ==
            (!m.registered[ci] ? CPW_ENOTFOUND : m.placed[ci] ? CPW_OK : CPW_ESTATE));
      break;
    }
    default: {
      /* the whole history so far */
      cpw_indicators *ind;
      cpw_date from = day(2014, 1, 1), to = day(2027, 12, 31);
      CHECK(cpw_registry_indicators(reg, g_ctx, from, to, NULL, &ind) == CPW_OK);
      check_indicators(reg, g_ctx, from, to, NULL, ind);
      cpw_indicators_free(ind);
      break;
    }
    }
    invariants(reg);
    CHECK(reg->nepisodes == m.episodes);
  }
  cpw_registry_free(reg);
  return 0;
}
