/* SPDX-License-Identifier: Apache-2.0 */
/* tests/bench/bench_placement.c: the placement registry at national scale.
 *
 *   bench_placement [--children 400000] [--episodes 1000000] [--reps 5] [--seed 1]
 *
 * Builds a registry of Georgia's default policy with --episodes placement episodes of
 * --children children over 15 years (2010-2024): 300 facilities (small family-type homes,
 * specialised homes, 24-hour shelters, institutions, infant homes) in 10 regions besides the
 * policy's two, family placements (foster, kinship, biological family) in the child's region,
 * sibling groups, moves, exits with every reason, returns to care after a gap, and placements
 * still open at the end. Every operation goes through gatekeeping in date order (ends, then
 * moves, then placements of a day); a denied placement (a full home, an age range, a child
 * under 3 for residential care) falls back to kinship care, so the number of episodes is exact.
 *
 * Then times cpw_registry_indicators (median of --reps) for the last year and for the whole
 * span, for all regions and for one, and the JSON rendering of the whole span. Prints one JSON
 * line per measurement, with seconds. */
#include <cpw.h>

#include "bench_common.h"

#define NREGIONS 10
#define NFACILITIES 300
#define MAX_EPISODES 8

static const char *const regions[NREGIONS] = {
  "Tbilisi", "Imereti", "Kakheti", "Adjara", "Shida Kartli", "Kvemo Kartli", "Samegrelo",
  "Guria", "Mtskheta-Mtianeti", "Samtskhe-Javakheti"
};

/* facility types: setting, capacity, share (per mille) */
static const struct {
  const char *setting;
  int capacity, share;
} ftypes[] = {
  { "small_group_home", 10, 700 }, { "specialised_group_home", 7, 100 },
  { "shelter_24h", 20, 100 },      { "institution", 60, 60 },
  { "infant_home", 80, 40 },
};
#define NFTYPES (sizeof ftypes / sizeof ftypes[0])

static uint64_t rng_state;
static uint32_t rnd(void)
{
  /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}
static int rnd_in(int lo, int hi) /* both included */
{
  return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

typedef struct ev {
  int32_t date;
  uint8_t kind;        /* 0 end, 1 move, 2 place (the order within a day) */
  uint8_t reason;      /* end: exit reason */
  uint8_t where;       /* place/move: 0 foster, 1 kinship, 2 biological family, 3+ facility type */
  uint8_t pad;
  uint32_t child;
} ev;

static int cmp_ev(const void *a, const void *b)
{
  const ev *x = a, *y = b;
  if (x->date != y->date)
    return x->date < y->date ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return x->child < y->child ? -1 : x->child > y->child;
}

static int fail(cpw_ctx *ctx, const char *what)
{
  fprintf(stderr, "bench_placement: %s: %s\n", what, cpw_ctx_last_error(ctx)->message);
  return 1;
}

/* the child id of n */
static void child_id(char *buf, size_t size, uint32_t n)
{
  snprintf(buf, size, "CH-%07u", n);
}

/* facility ids by region and type */
static char fac_ids[NFACILITIES][16];
static int fac_count[NREGIONS][NFTYPES];
static int fac_index[NREGIONS][NFTYPES][64];

static double time_indicators(cpw_registry *reg, cpw_ctx *ctx, cpw_date from, cpw_date to,
                              const char *region, int reps, int64_t *placed, int64_t *entries)
{
  double t[16];
  int r;
  for (r = 0; r < reps; r++) {
    cpw_indicators *ind;
    double t0 = bench_now();
    if (cpw_registry_indicators(reg, ctx, from, to, region, &ind) != CPW_OK) {
      fail(ctx, "indicators");
      exit(1);
    }
    t[r] = bench_now() - t0;
    *placed = cpw_indicators_summary(ind)->placed_at_end;
    *entries = cpw_indicators_summary(ind)->entries;
    cpw_indicators_free(ind);
  }
  return bench_median(t, reps);
}

int main(int argc, char **argv)
{
  size_t nchildren = 400000, nepisodes = 1000000, nev = 0, cap_ev, i;
  int reps = 5, a;
  uint64_t seed = 1;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_registry *reg;
  ev *evs;
  uint8_t *home;          /* region of each child */
  cpw_date first, last, span_from, span_to, year_from;
  double t0, build;
  size_t placed_ok = 0, fallbacks = 0, warnings = 0, moves = 0, ends = 0;

  (void)bench_read_file;
  for (a = 1; a < argc; a++) {
    if (strcmp(argv[a], "--children") == 0 && a + 1 < argc)
      nchildren = (size_t)atol(argv[++a]);
    else if (strcmp(argv[a], "--episodes") == 0 && a + 1 < argc)
      nepisodes = (size_t)atol(argv[++a]);
    else if (strcmp(argv[a], "--reps") == 0 && a + 1 < argc)
      reps = atoi(argv[++a]);
    else if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc)
      seed = (uint64_t)atol(argv[++a]);
    else {
      fprintf(stderr, "usage: bench_placement [--children N] [--episodes N] [--reps N] "
                      "[--seed N]\n");
      return 2;
    }
  }
  if (nchildren == 0 || nepisodes < nchildren || nepisodes > nchildren * MAX_EPISODES ||
      reps < 1 || reps > 15) {
    fprintf(stderr, "bench_placement: need children <= episodes <= %d x children, reps 1-15\n",
            MAX_EPISODES);
    return 2;
  }
  rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return 1;
  if (cpw_policy_default(&pol, ctx) != CPW_OK)
    return fail(ctx, "policy");
  if (cpw_registry_new(&reg, ctx, pol) != CPW_OK)
    return fail(ctx, "registry");
  cpw_date_from_ymd(&first, 2010, 1, 1);
  cpw_date_from_ymd(&last, 2024, 12, 31);

  /* facilities: 30 per region, by type share */
  {
    int f = 0, r, k;
    for (r = 0; r < NREGIONS; r++) {
      for (k = 0; k < 30; k++, f++) {
        int pick = rnd_in(0, 999), acc = 0;
        size_t t;
        for (t = 0; t < NFTYPES; t++) {
          acc += ftypes[t].share;
          if (pick < acc)
            break;
        }
        if (t == NFTYPES)
          t = 0;
        snprintf(fac_ids[f], sizeof fac_ids[f], "F-%03d", f);
        if (cpw_registry_add_facility(reg, fac_ids[f], ftypes[t].setting, "A home", regions[r],
                                      ftypes[t].capacity, -1, -1) != CPW_OK)
          return fail(ctx, "facility");
        fac_index[r][t][fac_count[r][t]++] = f;
      }
    }
  }

  /* children and their plans: k episodes each, summing to nepisodes */
  cap_ev = nepisodes * 2 + nchildren + 16;
  evs = malloc(cap_ev * sizeof *evs);
  home = malloc(nchildren);
  if (evs == NULL || home == NULL)
    return 1;
  {
    size_t left = nepisodes;
    uint32_t c;
    char id[24], group[24];
    uint32_t group_left = 0, group_no = 0;
    for (c = 0; c < nchildren; c++) {
      size_t kids_left = nchildren - c;
      int k = 1 + (int)(rnd() % 4), e, len[MAX_EPISODES], gap[MAX_EPISODES], total = 0;
      int32_t start, birth;
      /* keep the sum exact: enough left for the others, no more than MAX each */
      if ((size_t)k > left - (kids_left - 1))
        k = (int)(left - (kids_left - 1));
      if (left - (size_t)k > (kids_left - 1) * MAX_EPISODES)
        k = (int)(left - (kids_left - 1) * MAX_EPISODES);
      left -= (size_t)k;
      for (e = 0; e < k; e++) {
        len[e] = rnd_in(30, 700);
        gap[e] = e > 0 && rnd() % 10 < 3 ? rnd_in(1, 90) : 0; /* 30%: out of care, then back */
        total += len[e] + gap[e];
      }
      /* the first placement any day of the 15 years; later ones may fall after them (not
       * happened yet at the end of 2024: the indicators stop there) */
      start = (int32_t)first + rnd_in(0, (int)(last - first));
      /* born so that the timeline ends before the 18th birthday */
      birth = start - rnd_in(0, 18 * 365 - total - 30);
      home[c] = (uint8_t)(rnd() % 100 < 35 ? 0 : rnd_in(1, NREGIONS - 1));
      /* siblings: 30% of children, in groups of 2-3 */
      if (group_left == 0 && rnd() % 100 < 15) {
        group_left = (uint32_t)rnd_in(2, 3);
        group_no++;
      }
      snprintf(group, sizeof group, "G-%u", group_no);
      child_id(id, sizeof id, c);
      if (cpw_registry_add_child(reg, id, birth, group_left > 0 ? group : NULL) != CPW_OK)
        return fail(ctx, "child");
      if (group_left > 0)
        group_left--;
      for (e = 0; e < k; e++) {
        ev *p = &evs[nev++];
        int r = rnd_in(0, 99);
        memset(p, 0, sizeof *p);
        p->child = c;
        p->date = start;
        p->kind = (uint8_t)(e > 0 && gap[e] == 0 ? 1 : 2);
        p->where = (uint8_t)(r < 35 ? 0 : r < 50 ? 1 : r < 58 ? 2 : 3 + (uint8_t)(rnd() % NFTYPES));
        start += len[e];
        if (e + 1 == k && (start > (int32_t)last || rnd() % 100 < 20))
          break; /* still in care */
        if (e + 1 == k || gap[e + 1] > 0) {
          ev *q = &evs[nev++];
          memset(q, 0, sizeof *q);
          q->child = c;
          q->date = start;
          q->kind = 0;
          q->reason = (uint8_t)(rnd() % 8);
          if (q->reason == CPW_EXIT_MOVED)
            q->reason = CPW_EXIT_REUNIFIED;
          start += e + 1 < k ? gap[e + 1] : 0;
        }
      }
    }
  }
  qsort(evs, nev, sizeof *evs, cmp_ev);

  /* apply in date order, through gatekeeping */
  t0 = bench_now();
  for (i = 0; i < nev; i++) {
    const ev *p = &evs[i];
    char id[24];
    int rc;
    child_id(id, sizeof id, p->child);
    if (p->kind == 0) {
      rc = cpw_registry_end(reg, id, p->date, p->reason, "sw", "social_worker");
      if (rc != CPW_OK)
        return fail(ctx, "end");
      ends++;
      continue;
    }
    {
      cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
      int r = home[p->child];
      req.child = id;
      req.date = p->date;
      req.actor = "sw";
      req.role = "social_worker";
      req.region = regions[r];
      if (p->where >= 3) {
        int t = p->where - 3;
        if (fac_count[r][t] > 0)
          req.facility = fac_ids[fac_index[r][t][rnd() % (uint32_t)fac_count[r][t]]];
        else
          req.setting = "foster_care";
      } else {
        req.setting = p->where == 0 ? "foster_care" : p->where == 1 ? "kinship"
                                                                    : "biological_family";
      }
      rc = p->kind == 1 ? cpw_registry_move(reg, &req) : cpw_registry_place(reg, &req);
      if (rc == CPW_EDENIED) {
        req.facility = NULL;
        req.setting = "kinship";
        fallbacks++;
        rc = p->kind == 1 ? cpw_registry_move(reg, &req) : cpw_registry_place(reg, &req);
      }
      if (rc != CPW_OK)
        return fail(ctx, p->kind == 1 ? "move" : "place");
      warnings += cpw_registry_explain(reg)[0] != '\0';
      if (p->kind == 1)
        moves++;
      else
        placed_ok++;
    }
  }
  build = bench_now() - t0;
  if (cpw_registry_episode_count(reg) != nepisodes) {
    fprintf(stderr, "bench_placement: %zu episodes, expected %zu\n",
            cpw_registry_episode_count(reg), nepisodes);
    return 1;
  }
  printf("{\"bench\":\"placement\",\"what\":\"build\",\"children\":%zu,\"episodes\":%zu,"
         "\"facilities\":%d,\"regions\":%d,\"places\":%zu,\"moves\":%zu,\"ends\":%zu,"
         "\"denied_then_kinship\":%zu,\"warnings\":%zu,\"seconds\":%.3f}\n",
         nchildren, nepisodes, NFACILITIES + 2, NREGIONS, placed_ok, moves, ends, fallbacks,
         warnings, build);

  /* indicators */
  span_from = first;
  span_to = last;
  cpw_date_from_ymd(&year_from, 2024, 1, 1);
  {
    static const struct {
      const char *period, *region;
    } runs[] = { { "year", NULL }, { "year", "Imereti" }, { "span", NULL },
                 { "span", "Imereti" } };
    size_t k;
    for (k = 0; k < sizeof runs / sizeof runs[0]; k++) {
      int64_t placed = 0, entries = 0;
      int year = strcmp(runs[k].period, "year") == 0;
      double s = time_indicators(reg, ctx, year ? year_from : span_from, span_to, runs[k].region,
                                 reps, &placed, &entries);
      printf("{\"bench\":\"placement\",\"what\":\"indicators\",\"period\":\"%s\",\"from\":\"%s\","
             "\"to\":\"2024-12-31\",\"region\":%s%s%s,\"episodes\":%zu,\"placed_at_end\":%lld,"
             "\"entries\":%lld,\"reps\":%d,\"seconds\":%.4f}\n",
             runs[k].period, year ? "2024-01-01" : "2010-01-01", runs[k].region ? "\"" : "",
             runs[k].region ? runs[k].region : "null", runs[k].region ? "\"" : "", nepisodes,
             (long long)placed, (long long)entries, reps, s);
    }
  }
  /* rendering */
  {
    cpw_indicators *ind;
    char *text;
    size_t len;
    double t[16];
    int r;
    if (cpw_registry_indicators(reg, ctx, span_from, span_to, NULL, &ind) != CPW_OK)
      return fail(ctx, "indicators");
    for (r = 0; r < reps; r++) {
      double s = bench_now();
      if (cpw_indicators_format(ind, ctx, CPW_INDICATORS_JSON, &text, &len) != CPW_OK)
        return fail(ctx, "format");
      t[r] = bench_now() - s;
      cpw_free(ctx, text);
    }
    if (cpw_indicators_format(ind, ctx, CPW_INDICATORS_JSON, &text, &len) != CPW_OK)
      return fail(ctx, "format");
    printf("{\"bench\":\"placement\",\"what\":\"format_json\",\"period\":\"span\",\"bytes\":%zu,"
           "\"fnv1a32\":\"%08x\",\"reps\":%d,\"seconds\":%.6f}\n", len,
           bench_fnv1a(0x811c9dc5u, text, len), reps, bench_median(t, reps));
    cpw_free(ctx, text);
    cpw_indicators_free(ind);
  }
  free(evs);
  free(home);
  cpw_registry_free(reg);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return 0;
}
