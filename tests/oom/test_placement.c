/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation failures in the placement registry: every allocation of each scenario fails in
 * turn (once, then from there on), and the scenario must end with CPW_ENOMEM (or CPW_OK) and
 * free everything (cpw_oom_run). After each failure the call must have changed nothing (the
 * registry's episodes, occupancies, children and facilities are compared with a snapshot) and
 * the registry stays usable: the failed call is tried once more, which succeeds when only one
 * allocation fails, and the scenario goes on from there.
 *
 * Scenarios: compiling the default policy and creating a registry; adding facilities and
 * children (past the first growth of every array and map); placements allowed, allowed with a
 * warning and denied by each rule (with their explanations), moves, ends, reviews, options,
 * reviews due and aging out; indicators and their table, CSV and JSON; and the same operations
 * through a journal, then replayed. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpw.h"
#include "testalloc.h"

static cpw_policy *georgia; /* compiled once, outside the failing allocator */
static char journal_path[512];

typedef struct run {
  cpw_ctx *ctx;
  cpw_registry *reg;
  cpw_journal *j;
  int oom;
} run;

static cpw_date D(int y, int m, int d)
{
  cpw_date r = 0;
  cpw_date_from_ymd(&r, y, m, d);
  return r;
}

/* ------------------------------------------------------------------ snapshots */

#define NWATCH 8
static const char *const watch_children[NWATCH] = { "c000", "c001", "c002", "c003",
                                                    "c008", "c040", "c099", "new" };
static const char *const watch_facilities[] = { "kojori", "tbilisi_infant_house", "f00", "f07",
                                                "f15", "tiny", "new-f" };
#define NFAC (sizeof watch_facilities / sizeof watch_facilities[0])

typedef struct snap {
  size_t episodes;
  int64_t occupancy[NFAC];
  int rc[NWATCH];
  cpw_placement_info info[NWATCH];
  char explain[1024];
} snap;

static void take(const run *r, snap *s)
{
  size_t i;
  memset(s, 0, sizeof *s);
  s->episodes = cpw_registry_episode_count(r->reg);
  for (i = 0; i < NFAC; i++)
    s->occupancy[i] = cpw_registry_occupancy(r->reg, watch_facilities[i]);
  for (i = 0; i < NWATCH; i++)
    s->rc[i] = cpw_registry_current(r->reg, watch_children[i], &s->info[i]);
}

static void same(const snap *a, const snap *b)
{
  size_t i;
  assert_int_equal(a->episodes, b->episodes);
  for (i = 0; i < NFAC; i++)
    assert_int_equal(a->occupancy[i], b->occupancy[i]);
  for (i = 0; i < NWATCH; i++) {
    assert_int_equal(a->rc[i], b->rc[i]);
    if (a->rc[i] == CPW_OK) {
      assert_string_equal(a->info[i].setting, b->info[i].setting);
      assert_int_equal(a->info[i].start, b->info[i].start);
      assert_int_equal(a->info[i].review_due, b->info[i].review_due);
      assert_string_equal(a->info[i].region, b->info[i].region);
    }
  }
}

/* ------------------------------------------------------------------ steps
 * Each returns CPW_OK to go on, or CPW_ENOMEM when the call failed twice. */

/* a registry operation: `want` is CPW_OK, or a refusal whose explanation has `reason` */
typedef int (*op_fn)(run *r, const void *arg);

static int step(run *r, op_fn fn, const void *arg, int want, const char *reason)
{
  int k;
  for (k = 0; k < 2; k++) {
    snap before, after;
    int rc;
    take(r, &before);
    rc = fn(r, arg);
    if (rc == want) {
      if (reason != NULL && strstr(cpw_registry_explain(r->reg), reason) == NULL)
        fail_msg("rc %d: explanation '%s' lacks '%s'", rc, cpw_registry_explain(r->reg), reason);
      return CPW_OK;
    }
    if (rc != CPW_ENOMEM)
      fail_msg("expected %d or CPW_ENOMEM, got %d (%s)", want, rc,
               cpw_ctx_last_error(r->ctx)->message);
    assert_int_equal(cpw_ctx_last_error(r->ctx)->code, CPW_ENOMEM);
    take(r, &after);
    same(&before, &after);
    r->oom = 1;
  }
  return CPW_ENOMEM;
}

typedef struct fac_arg {
  const char *id, *setting, *region;
  int capacity;
} fac_arg;

static int op_facility(run *r, const void *p)
{
  const fac_arg *a = p;
  if (r->j != NULL)
    return cpw_journal_add_facility(r->j, r->reg, a->id, a->setting, "A home", a->region,
                                    a->capacity, -1, -1);
  return cpw_registry_add_facility(r->reg, a->id, a->setting, "A home", a->region, a->capacity,
                                   -1, -1);
}

typedef struct child_arg {
  const char *id;
  cpw_date birth;
  const char *group;
} child_arg;

static int op_child(run *r, const void *p)
{
  const child_arg *a = p;
  if (r->j != NULL)
    return cpw_journal_add_child(r->j, r->reg, a->id, a->birth, a->group);
  return cpw_registry_add_child(r->reg, a->id, a->birth, a->group);
}

typedef struct place_arg {
  cpw_placement_request req;
  int move;
} place_arg;

static int op_place(run *r, const void *p)
{
  const place_arg *a = p;
  if (r->j != NULL)
    return a->move ? cpw_journal_move(r->j, r->reg, &a->req)
                   : cpw_journal_place(r->j, r->reg, &a->req);
  return a->move ? cpw_registry_move(r->reg, &a->req) : cpw_registry_place(r->reg, &a->req);
}

typedef struct end_arg {
  const char *child;
  cpw_date date;
  int reason; /* -1: a review */
} end_arg;

static int op_end(run *r, const void *p)
{
  const end_arg *a = p;
  if (a->reason < 0)
    return r->j != NULL ? cpw_journal_review_placement(r->j, r->reg, a->child, a->date, "sw",
                                                       "social_worker")
                        : cpw_registry_review(r->reg, a->child, a->date, "sw", "social_worker");
  return r->j != NULL ? cpw_journal_end_placement(r->j, r->reg, a->child, a->date, a->reason,
                                                  "sw", "social_worker")
                      : cpw_registry_end(r->reg, a->child, a->date, a->reason, "sw",
                                         "social_worker");
}

static int add_facility(run *r, const char *id, const char *setting, const char *region, int cap)
{
  fac_arg a;
  a.id = id;
  a.setting = setting;
  a.region = region;
  a.capacity = cap;
  return step(r, op_facility, &a, CPW_OK, NULL);
}

static int add_child(run *r, const char *id, cpw_date birth, const char *group)
{
  child_arg a;
  a.id = id;
  a.birth = birth;
  a.group = group;
  return step(r, op_child, &a, CPW_OK, NULL);
}

static int place(run *r, int move, const char *child, const char *where, const char *region,
                 cpw_date date, unsigned flags, int want, const char *reason)
{
  place_arg a;
  memset(&a, 0, sizeof a);
  a.req.version = CPW_PLACEMENT_REQUEST_VERSION;
  a.req.child = child;
  if (cpw_registry_occupancy(r->reg, where) >= 0)
    a.req.facility = where;
  else
    a.req.setting = where;
  a.req.region = region;
  a.req.date = date;
  a.req.actor = "sw";
  a.req.role = flags & 2u ? "janitor" : "social_worker";
  a.req.emergency = (flags & 4u) != 0;
  a.req.keep_siblings_together = (flags & 8u) != 0;
  a.req.flags = flags & CPW_PLACE_EXISTING;
  a.move = move;
  return step(r, op_place, &a, want, reason);
}

static int end_or_review(run *r, const char *child, cpw_date date, int reason)
{
  end_arg a;
  a.child = child;
  a.date = date;
  a.reason = reason;
  return step(r, op_end, &a, CPW_OK, NULL);
}

static int new_registry(run *r)
{
  int k;
  for (k = 0; k < 2; k++) {
    int rc = cpw_registry_new(&r->reg, r->ctx, georgia);
    if (rc == CPW_OK)
      return CPW_OK;
    assert_int_equal(rc, CPW_ENOMEM);
    assert_null(r->reg);
    r->oom = 1;
  }
  return CPW_ENOMEM;
}

#define TRY(call)                                                                         \
  do {                                                                                    \
    if ((rc = (call)) != CPW_OK)                                                          \
      goto done;                                                                          \
  } while (0)

/* 16 facilities in 4 regions, 100 children (a few sibling groups, one birth date unknown) */
static int populate(run *r)
{
  static const char *const regions[] = { "Tbilisi", "Kutaisi", "Batumi", "Gori" };
  static const char *const settings[] = { "small_group_home", "shelter_24h", "institution",
                                          "specialised_group_home" };
  char id[16], group[16];
  int i, rc = CPW_OK;
  for (i = 0; i < 16; i++) {
    snprintf(id, sizeof id, "f%02d", i);
    TRY(add_facility(r, id, settings[i % 4], regions[i / 4], i % 4 == 0 ? 3 : -1));
  }
  TRY(add_facility(r, "tiny", "institution", "Gori", 1));
  for (i = 0; i < 100; i++) {
    snprintf(id, sizeof id, "c%03d", i);
    snprintf(group, sizeof group, "g%d", i / 3);
    TRY(add_child(r, id, i == 99 ? CPW_DATE_MIN : D(2005 + i % 17, 1 + i % 12, 1 + i % 28),
                  i % 10 < 3 ? group : NULL));
  }
done:
  return rc;
}

/* placements of every kind, allowed, warned and denied */
static int operations(run *r)
{
  static const char *const spots[] = { "foster_care", "kinship", "f01", "f02", "f00",
                                       "biological_family", "f05", "f09" };
  char id[16];
  int i, rc = CPW_OK;
  /* c000..c002 are siblings (g0): the second elsewhere gets a warning */
  TRY(place(r, 0, "c000", "f02", NULL, D(2020, 1, 1), 0, CPW_OK, NULL));
  TRY(place(r, 0, "c001", "foster_care", "Tbilisi", D(2020, 1, 1), 0, CPW_OK,
            "warning: siblings would be split"));
  TRY(place(r, 0, "c002", "foster_care", "Tbilisi", D(2020, 1, 1), 8u, CPW_OK, NULL));
  /* denials: role, age range, unknown birth date, under 3, full */
  TRY(place(r, 0, "c003", "foster_care", "Tbilisi", D(2020, 1, 1), 2u, CPW_EDENIED,
            "denied: role janitor may not place children"));
  TRY(place(r, 0, "c013", "f02", NULL, D(2022, 1, 1), 0, CPW_EDENIED,
            "denied: the child's age is outside the setting's age range"));
  TRY(place(r, 0, "c099", "f02", NULL, D(2022, 1, 1), 0, CPW_EDENIED, "(could not be checked)"));
  TRY(place(r, 0, "c016", "tbilisi_infant_house", NULL, D(2022, 1, 1), 0, CPW_EDENIED,
            "denied: UN Guidelines para. 22"));
  TRY(place(r, 0, "c016", "tbilisi_infant_house", NULL, D(2022, 1, 1), 4u, CPW_OK, NULL));
  TRY(place(r, 0, "c008", "tiny", NULL, D(2020, 1, 1), 0, CPW_OK, NULL));
  TRY(place(r, 0, "c007", "tiny", NULL, D(2020, 1, 1), 0, CPW_EDENIED,
            "denied: the facility is full (capacity is given; and occupancy is 1"));
  TRY(place(r, 0, "c007", "tiny", NULL, D(2020, 1, 1), CPW_PLACE_EXISTING, CPW_OK, NULL));
  /* many placements: the episode array grows */
  for (i = 20; i < 90; i++) {
    snprintf(id, sizeof id, "c%03d", i);
    TRY(place(r, 0, id, spots[i % 8], i % 2 ? "Kutaisi" : "Tbilisi", D(2020, 1 + i % 12, 1),
              CPW_PLACE_EXISTING, CPW_OK, NULL));
  }
  /* moves: allowed, warned, denied */
  TRY(place(r, 1, "c000", "f06", NULL, D(2020, 6, 1), 0, CPW_OK, "warning: siblings"));
  TRY(place(r, 1, "c001", "f06", NULL, D(2020, 6, 1), 0, CPW_OK, NULL));
  TRY(place(r, 1, "c040", "tiny", NULL, D(2021, 1, 1), 0, CPW_EDENIED, "the facility is full"));
  TRY(place(r, 1, "c040", "kinship", "Gori", D(2021, 1, 1), 0, CPW_OK, NULL));
  /* ends and reviews */
  TRY(end_or_review(r, "c008", D(2021, 1, 1), CPW_EXIT_REUNIFIED));
  TRY(end_or_review(r, "c002", D(2020, 3, 1), -1));
  TRY(end_or_review(r, "c040", D(2021, 2, 1), -1));
  for (i = 20; i < 90; i += 7) {
    snprintf(id, sizeof id, "c%03d", i);
    TRY(end_or_review(r, id, D(2021, 1, 1), i % 2 ? CPW_EXIT_ADOPTED : -1));
  }
done:
  return rc;
}

/* a few of each, for the journal without group commit (every call an fsync) */
static int operations_small(run *r)
{
  char id[16];
  int i, rc = CPW_OK;
  TRY(add_facility(r, "f00", "small_group_home", "Tbilisi", 3));
  for (i = 0; i < 4; i++) {
    snprintf(id, sizeof id, "c%03d", i);
    TRY(add_child(r, id, D(2005 + i, 1 + i, 1 + i), i < 3 ? "g0" : NULL));
  }
  TRY(place(r, 0, "c000", "foster_care", "Tbilisi", D(2020, 1, 1), 0, CPW_OK, NULL));
  TRY(place(r, 0, "c001", "f00", NULL, D(2020, 1, 1), 0, CPW_OK, "warning: siblings"));
  TRY(place(r, 0, "c003", "f00", NULL, D(2020, 1, 1), 2u, CPW_EDENIED, "role janitor"));
  TRY(place(r, 1, "c000", "f00", NULL, D(2020, 2, 1), 0, CPW_OK, NULL));
  TRY(end_or_review(r, "c001", D(2020, 3, 1), CPW_EXIT_KINSHIP));
  TRY(end_or_review(r, "c000", D(2020, 3, 1), -1));
done:
  return rc;
}

/* queries that must not allocate (or fail cleanly) */
static void queries(run *r)
{
  const char *opts[16];
  cpw_placement_info due[5];
  size_t n;
  n = cpw_registry_options(r->reg, "c003", D(2021, 1, 1), 0, 0, opts, 16);
  assert_true(n >= 3);
  assert_string_equal(opts[0], "biological_family");
  /* the specialised home needs the disability, which plain options do not give */
  assert_int_equal(cpw_registry_options(r->reg, "c017", D(2021, 1, 1), 1, 0, opts, 2), 6);
  {
    cpw_placement_request q = CPW_PLACEMENT_REQUEST_INIT;
    q.child = "c017";
    q.date = D(2021, 1, 1);
    q.emergency = 1;
    q.disability = "severe";
    assert_int_equal(cpw_registry_request_options(r->reg, &q, opts, 2), 7);
  }
  n = cpw_registry_reviews_due(r->reg, D(2021, 6, 1), due, 5);
  assert_true(n > 5);
  assert_true(due[0].review_due <= due[4].review_due);
  n = cpw_registry_aging_out(r->reg, D(2024, 1, 1), due, 5);
  assert_true(n > 0);
}

/* ------------------------------------------------------------------ scenarios */

static int scenario_policy(cpw_ctx *ctx, void *arg)
{
  cpw_policy *pol = NULL;
  cpw_registry *reg = NULL;
  int rc;
  (void)arg;
  rc = cpw_policy_default(&pol, ctx);
  if (rc == CPW_OK)
    rc = cpw_registry_new(&reg, ctx, pol);
  if (rc == CPW_OK)
    assert_int_equal(cpw_policy_setting_count(pol), 9);
  cpw_registry_free(reg);
  cpw_policy_free(pol);
  return rc;
}

static int scenario_registry(cpw_ctx *ctx, void *arg)
{
  run r;
  int rc;
  (void)arg;
  memset(&r, 0, sizeof r);
  r.ctx = ctx;
  rc = new_registry(&r);
  if (rc == CPW_OK)
    rc = populate(&r);
  if (rc == CPW_OK) {
    assert_int_equal(cpw_registry_occupancy(r.reg, "f15"), 0);
    assert_int_equal(cpw_registry_current(r.reg, "c099", &(cpw_placement_info){ 0 }),
                     CPW_ESTATE);
  }
  cpw_registry_free(r.reg);
  return rc != CPW_OK ? rc : r.oom ? CPW_ENOMEM : CPW_OK;
}

static int scenario_operations(cpw_ctx *ctx, void *arg)
{
  run r;
  int rc;
  (void)arg;
  memset(&r, 0, sizeof r);
  r.ctx = ctx;
  rc = new_registry(&r);
  if (rc == CPW_OK)
    rc = populate(&r);
  if (rc == CPW_OK)
    rc = operations(&r);
  if (rc == CPW_OK)
    queries(&r);
  cpw_registry_free(r.reg);
  return rc != CPW_OK ? rc : r.oom ? CPW_ENOMEM : CPW_OK;
}

static int indicators(run *r, const char *region)
{
  int k, f, rc = CPW_OK;
  cpw_indicators *ind = NULL;
  for (k = 0; k < 2; k++) {
    rc = cpw_registry_indicators(r->reg, r->ctx, D(2020, 1, 1), D(2021, 6, 30), region, &ind);
    if (rc == CPW_OK)
      break;
    assert_int_equal(rc, CPW_ENOMEM);
    assert_null(ind);
    r->oom = 1;
  }
  if (rc != CPW_OK)
    return rc;
  {
    const cpw_indicator_summary *s = cpw_indicators_summary(ind);
    assert_int_equal(s->placed_at_end,
                     s->family_at_end + s->family_type_at_end + s->residential_at_end);
    assert_int_equal(cpw_indicators_series_count(ind), 18);
  }
  for (f = CPW_INDICATORS_TABLE; f <= CPW_INDICATORS_JSON && rc == CPW_OK; f++) {
    for (k = 0; k < 2; k++) {
      char *text = NULL;
      size_t len = 0;
      rc = cpw_indicators_format(ind, r->ctx, f, &text, &len);
      if (rc == CPW_OK) {
        assert_non_null(text);
        assert_int_equal(strlen(text), len);
        assert_true(len > 500);
        cpw_free(r->ctx, text);
        break;
      }
      assert_int_equal(rc, CPW_ENOMEM);
      assert_null(text);
      r->oom = 1;
    }
  }
  cpw_indicators_free(ind);
  return rc;
}

static int scenario_indicators(cpw_ctx *ctx, void *arg)
{
  run r;
  int rc;
  (void)arg;
  memset(&r, 0, sizeof r);
  r.ctx = ctx;
  rc = new_registry(&r);
  if (rc == CPW_OK)
    rc = populate(&r);
  if (rc == CPW_OK)
    rc = operations(&r);
  if (rc == CPW_OK)
    rc = indicators(&r, NULL);
  if (rc == CPW_OK)
    rc = indicators(&r, "Kutaisi");
  if (rc == CPW_OK)
    rc = indicators(&r, "Nowhere");
  cpw_registry_free(r.reg);
  return rc != CPW_OK ? rc : r.oom ? CPW_ENOMEM : CPW_OK;
}

/* the same through a journal, then replayed into a second registry: all of it with group
 * commit (arg not NULL), a few operations with a commit each */
static int scenario_journal(cpw_ctx *ctx, void *arg)
{
  run r;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_registry *replayed = NULL;
  int rc;
  (void)arg;
  memset(&r, 0, sizeof r);
  r.ctx = ctx;
  unlink(journal_path);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = (size_t)(arg != NULL ? 16 : 0);
  rc = cpw_journal_open(&r.j, ctx, journal_path, georgia, &o);
  if (rc == CPW_OK)
    rc = new_registry(&r);
  if (rc == CPW_OK && arg != NULL)
    rc = populate(&r);
  if (rc == CPW_OK)
    rc = arg != NULL ? operations(&r) : operations_small(&r);
  if (rc == CPW_OK)
    rc = cpw_journal_commit(r.j, ctx);
  if (rc == CPW_OK)
    rc = cpw_registry_new(&replayed, ctx, georgia);
  if (rc == CPW_OK) {
    rc = cpw_journal_replay_registry(r.j, replayed);
    if (rc == CPW_OK) {
      assert_int_equal(cpw_registry_episode_count(replayed), cpw_registry_episode_count(r.reg));
      assert_int_equal(cpw_registry_occupancy(replayed, "f00"),
                       cpw_registry_occupancy(r.reg, "f00"));
    }
  }
  cpw_registry_free(replayed);
  cpw_registry_free(r.reg);
  cpw_journal_close(r.j);
  unlink(journal_path);
  return rc != CPW_OK ? rc : r.oom ? CPW_ENOMEM : CPW_OK;
}

/* ------------------------------------------------------------------ tests */

/* run the harness; print its size so that a scenario that stops early shows */
#define OOM_CLEAN(fn, arg)                                                                \
  do {                                                                                    \
    cpw_oom_result r_;                                                                    \
    time_t t_ = time(NULL);                                                               \
    if (cpw_oom_run((fn), (arg), &r_) != 0)                                               \
      fail_msg("OOM harness: %s", r_.problem);                                            \
    print_message("%s: %ld allocations, %ld failing runs, %lds\n", #fn, r_.allocations,    \
                  r_.runs, (long)(time(NULL) - t_));                                      \
    assert_true(r_.runs == 2 * r_.allocations);                                           \
  } while (0)

static void test_placement__oom_policy_and_registry_new(void **state)
{
  (void)state;
  OOM_CLEAN(scenario_policy, NULL);
}

static void test_placement__oom_facilities_and_children(void **state)
{
  (void)state;
  OOM_CLEAN(scenario_registry, NULL);
}

static void test_placement__oom_operations(void **state)
{
  (void)state;
  OOM_CLEAN(scenario_operations, NULL);
}

static void test_placement__oom_indicators(void **state)
{
  (void)state;
  OOM_CLEAN(scenario_indicators, NULL);
}

static void test_placement__oom_journal(void **state)
{
  (void)state;
  OOM_CLEAN(scenario_journal, NULL);
  OOM_CLEAN(scenario_journal, (void *)1); /* group commit */
}

static int group_setup(void **state)
{
  static cpw_ctx *ctx;
  const char *tmp = getenv("TMPDIR");
  (void)state;
  snprintf(journal_path, sizeof journal_path, "%s/cpw-oom-placement-%ld.journal",
           tmp ? tmp : "/tmp", (long)getpid());
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK || cpw_policy_default(&georgia, ctx) != CPW_OK)
    return -1;
  *state = ctx;
  return 0;
}

static int group_teardown(void **state)
{
  cpw_policy_free(georgia);
  cpw_ctx_free(*state);
  return 0;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_placement__oom_policy_and_registry_new),
    cmocka_unit_test(test_placement__oom_facilities_and_children),
    cmocka_unit_test(test_placement__oom_operations),
    cmocka_unit_test(test_placement__oom_indicators),
    cmocka_unit_test(test_placement__oom_journal),
  };
  return cmocka_run_group_tests_name("placement_oom", tests, group_setup, group_teardown);
}
