/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the caseload's deadline queue (lib/workflow/case.c): a case's pending deadlines
 * are one block of 16-byte records (due, due - started in 40 bits, the definition), the queue a
 * heap of cases on their earliest due. On a workflow whose states start 8, 2, 1 and 0 clocks:
 * a case's deadlines in the order they were staged whatever is due first, ties of one case and
 * of many, answering and restarting one of eight, blocks freed and reused (memory stops growing),
 * deadlines 100000 weeks and 7000 years long (their start exact past 32 bits), the 40-bit bound
 * enforced with an error that changes nothing, and the blocks and queue growing under every
 * allocation failure. Each query is checked against a brute-force list over every case. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpw.h"
#include "testalloc.h"
#include "base/map.h"
#include "workflow/case.h"

#define H 3600
#define DAY 86400
#define WEEK (7 * DAY)

static const char clocks_policy[] =
  "calendar office { weekend saturday, sunday }\n"
  "workflow clocks \"Clocks of every count\" {\n"
  "  calendar office\n"
  "  roles clerk\n"
  "  state s0 initial\n"
  "  state s8 ongoing\n"
  "  state s2 ongoing\n"
  "  state s1 ongoing\n"
  "  state far ongoing\n"
  "  state done final\n"
  "  event to0\n"
  "  event to8\n"
  "  event to2\n"
  "  event to1\n"
  "  event tofar\n"
  "  event close\n"
  "  event e1\n"
  "  event e2\n"
  "  event e3\n"
  "  event e4\n"
  "  event e5\n"
  "  event e6\n"
  "  event e7\n"
  "  event e8\n"
  "  event late\n"
  "  on to0: s8, s2, s1, far -> s0 by clerk\n"
  "  on to8: s0, s2, s1 -> s8 by clerk\n"
  "  on to2: s0, s8, s1 -> s2 by clerk\n"
  "  on to1: s0, s8, s2 -> s1 by clerk\n"
  "  on tofar: s0 -> far by clerk\n"
  "  on close: * -> done by clerk\n"
  "  on late: * by clerk\n"
  "  on e2: s8 by clerk\n"
  "  on e5: s8 by clerk\n"
  "  deadline e1 within 9 hours in s8\n"
  "  deadline e2 within 3 hours in s8\n"
  "  deadline e3 within 5 hours in s8\n"
  "  deadline e4 within 3 hours in s8\n"
  "  deadline e5 every 7 hours in s8\n"
  "  deadline e6 within 8 hours in s8\n"
  "  deadline e7 within 2 days in s8\n"
  "  deadline e8 within 1 weeks in s8\n"
  "  deadline e1 within 4 hours in s2\n"
  "  deadline e2 within 4 hours in s2\n"
  "  deadline e3 within 1 hours in s1\n"
  "  deadline e1 within 100000 weeks in far\n"
  "  deadline e2 within 7000 years in far\n"
  "  escalate late to clerk\n"
  "}\n";

/* Monday 1 June 2026 09:00 UTC */
static const cpw_time T = 1780304400;

typedef struct fx {
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  if (f == NULL || cpw_ctx_new(&f->ctx, NULL) != CPW_OK)
    return -1;
  if (cpw_policy_from_string(&f->pol, f->ctx, "clocks.cpw", clocks_policy,
                             sizeof clocks_policy - 1) != CPW_OK) {
    fprintf(stderr, "%s\n", cpw_ctx_last_error(f->ctx)->message);
    return -1;
  }
  if (cpw_caseload_new(&f->cl, f->ctx, f->pol) != CPW_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_caseload_free(f->cl);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  free(f);
  return 0;
}

static cpw_case *open_case(fx *f, const char *id, cpw_time at)
{
  cpw_case *c = NULL;
  if (cpw_caseload_open(f->cl, &c, id, "clocks", NULL, 0, at, "t", "clerk") != CPW_OK)
    fail_msg("open %s: %s", id, cpw_ctx_last_error(f->ctx)->message);
  return c;
}

static void fire(fx *f, cpw_case *c, const char *event, cpw_time at)
{
  if (cpw_case_apply(c, event, "t", "clerk", at, NULL, 0) != CPW_OK)
    fail_msg("%s on %s: %s", event, cpw_case_id(c), cpw_ctx_last_error(f->ctx)->message);
}

/* the case's deadlines are exactly these events, in this order, with these due times */
static void expect_list(const cpw_case *c, const char *const *events, const cpw_time *due,
                        const cpw_time *started, size_t n)
{
  cpw_deadline dl[CPW__WF_MAX_PENDING];
  size_t got = cpw_case_deadlines(c, dl, CPW__WF_MAX_PENDING), i;
  assert_int_equal(got, n);
  for (i = 0; i < n; i++) {
    assert_string_equal(dl[i].event, events[i]);
    assert_int_equal(dl[i].due, due[i]);
    assert_int_equal(dl[i].started, started[i]);
    assert_ptr_equal(dl[i].c, c);
    assert_string_equal(dl[i].case_id, cpw_case_id(c));
    assert_string_equal(dl[i].escalation, "late");
    assert_string_equal(dl[i].role, "clerk");
  }
  /* fewer asked: the first ones, the count all the same */
  assert_int_equal(cpw_case_deadlines(c, dl, 1), n);
  if (n > 0)
    assert_string_equal(dl[0].event, events[0]);
}

static int cmp_due_id(const void *a, const void *b)
{
  const cpw_deadline *x = a, *y = b;
  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return strcmp(x->case_id, y->case_id);
}

/* one deadline's identity: its case, event and start (unique within a caseload here) */
static int same_deadline(const cpw_deadline *x, const cpw_deadline *y)
{
  return x->c == y->c && x->due == y->due && x->started == y->started &&
         strcmp(x->event, y->event) == 0;
}

/* overdue and due-before at `at`, for max results, against every case's list sorted by (due,
 * case id); the deadlines of one case due at the same second may come in either order, so each
 * run of equal (due, case) is compared as a set */
static void check_query(const cpw_caseload *cl, cpw_time at, size_t max, int inclusive)
{
  static cpw_deadline all[4096], got[4096];
  size_t nall = 0, i, expect = 0, n;
  for (i = 0; i < cpw_caseload_case_count(cl); i++)
    nall += cpw_case_deadlines(cpw_caseload_case_at(cl, i), all + nall, CPW__WF_MAX_PENDING);
  assert_true(nall <= 4096 - CPW__WF_MAX_PENDING);
  qsort(all, nall, sizeof *all, cmp_due_id);
  for (i = 0; i < nall; i++)
    expect += inclusive ? all[i].due <= at : all[i].due < at;
  n = inclusive ? cpw_caseload_due_before(cl, at, got, max)
                : cpw_caseload_overdue(cl, at, got, max);
  assert_int_equal(n, expect);
  for (i = 0; i < max && i < n; i++) {
    size_t j, lo = i, hi = i;
    int found = 0;
    if (got[i].due != all[i].due || strcmp(got[i].case_id, all[i].case_id) != 0)
      fail_msg("query at %lld (max %zu): result %zu is %s at %lld, expected %s at %lld",
               (long long)at, max, i, got[i].case_id, (long long)got[i].due, all[i].case_id,
               (long long)all[i].due);
    while (lo > 0 && cmp_due_id(&all[lo - 1], &all[i]) == 0)
      lo--;
    while (hi + 1 < nall && cmp_due_id(&all[hi + 1], &all[i]) == 0)
      hi++;
    for (j = lo; j <= hi; j++)
      found |= same_deadline(&got[i], &all[j]);
    assert_true(found);
    /* no result twice */
    for (j = lo; j < i; j++)
      assert_false(same_deadline(&got[i], &got[j]));
  }
  assert_int_equal(inclusive ? cpw_caseload_due_before(cl, at, NULL, 3)
                             : cpw_caseload_overdue(cl, at, NULL, 3),
                   expect);
}

static void check_queries(const cpw_caseload *cl, cpw_time at)
{
  static const size_t maxes[] = { 0, 1, 2, 3, 7, 64, 4000 };
  size_t m;
  for (m = 0; m < sizeof maxes / sizeof *maxes; m++) {
    check_query(cl, at, maxes[m], 0);
    check_query(cl, at, maxes[m], 1);
  }
}

/* ------------------------------------------------------------------ one case, eight clocks */

static void test_dlqueue__eight_clocks_in_staged_order(void **state)
{
  fx *f = *state;
  cpw_case *c = open_case(f, "only", T);
  static const char *const ev8[] = { "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8" };
  cpw_time due8[8] = { T + 9 * H, T + 3 * H, T + 5 * H, T + 3 * H,
                       T + 7 * H, T + 8 * H, T + 2 * DAY, T + WEEK };
  cpw_time st8[8] = { T, T, T, T, T, T, T, T };
  cpw_deadline dl[8];
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, dl, 8), 0);
  fire(f, c, "to8", T);
  /* listed as written, though the second is due first */
  expect_list(c, ev8, due8, st8, 8);
  /* the earliest: e2 and e4, both at T + 3 h */
  assert_int_equal(cpw_caseload_overdue(f->cl, T + 3 * H, dl, 8), 0);
  assert_int_equal(cpw_caseload_due_before(f->cl, T + 3 * H, dl, 8), 2);
  assert_int_equal(dl[0].due, T + 3 * H);
  assert_int_equal(dl[1].due, T + 3 * H);
  assert_true((strcmp(dl[0].event, "e2") == 0 && strcmp(dl[1].event, "e4") == 0) ||
              (strcmp(dl[0].event, "e4") == 0 && strcmp(dl[1].event, "e2") == 0));
  assert_int_equal(cpw_caseload_overdue(f->cl, T + 5 * H + 1, dl, 8), 3);
  assert_string_equal(dl[2].event, "e3");
  assert_int_equal(cpw_caseload_overdue(f->cl, T + WEEK + 1, dl, 8), 8);
  check_queries(f->cl, T + 8 * H);
  /* e2 answered: seven left, in the same order */
  fire(f, c, "e2", T + H);
  {
    static const char *const ev7[] = { "e1", "e3", "e4", "e5", "e6", "e7", "e8" };
    cpw_time due7[7] = { T + 9 * H, T + 5 * H, T + 3 * H, T + 7 * H,
                         T + 8 * H, T + 2 * DAY, T + WEEK };
    expect_list(c, ev7, due7, st8, 7);
    /* e5 comes round again: restarted in its place */
    fire(f, c, "e5", T + 2 * H);
    due7[3] = T + 9 * H;
    {
      cpw_time st7[7] = { T, T, T, T + 2 * H, T, T, T };
      expect_list(c, ev7, due7, st7, 7);
    }
  }
  assert_int_equal(cpw_caseload_due_before(f->cl, T + 3 * H, dl, 8), 1);
  assert_string_equal(dl[0].event, "e4");
  check_queries(f->cl, T + 9 * H);
  /* two, one, none: the queue follows */
  fire(f, c, "to2", T + 3 * H);
  {
    static const char *const ev2[] = { "e1", "e2" };
    cpw_time due2[2] = { T + 7 * H, T + 7 * H }, st2[2] = { T + 3 * H, T + 3 * H };
    expect_list(c, ev2, due2, st2, 2);
  }
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, dl, 8), 2);
  fire(f, c, "to1", T + 4 * H);
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, dl, 8), 1);
  assert_int_equal(dl[0].due, T + 5 * H);
  assert_string_equal(dl[0].event, "e3");
  fire(f, c, "to0", T + 5 * H);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, dl, 8), 0);
  fire(f, c, "to8", T + 6 * H);
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, dl, 8), 8);
  fire(f, c, "close", T + 7 * H);
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, dl, 8), 0);
}

/* ------------------------------------------------------------------ ties */

static void test_dlqueue__ties_across_cases_in_case_id_order(void **state)
{
  fx *f = *state;
  cpw_deadline dl[16];
  char id[16];
  int i;
  /* opened in the reverse of their ids' order, all at the same second */
  for (i = 49; i >= 0; i--) {
    snprintf(id, sizeof id, "k%02d", i);
    fire(f, open_case(f, id, T), i % 2 == 0 ? "to8" : "to2", T);
  }
  /* 25 cases with e2 and e4 at T + 3 h, 25 with e1 and e2 at T + 4 h */
  assert_int_equal(cpw_caseload_due_before(f->cl, T + 3 * H, dl, 7), 50);
  for (i = 0; i < 7; i++) {
    snprintf(id, sizeof id, "k%02d", (i / 2) * 2);
    assert_string_equal(dl[i].case_id, id);
    assert_int_equal(dl[i].due, T + 3 * H);
  }
  assert_int_equal(cpw_caseload_overdue(f->cl, T + 4 * H + 1, dl, 16), 100);
  for (i = 0; i < 16; i++)
    assert_int_equal(dl[i].due, T + 3 * H);
  check_queries(f->cl, T + 3 * H);
  check_queries(f->cl, T + 4 * H);
  check_queries(f->cl, T + 5 * H);
  /* the cases in between leave and come back: the ties keep their order */
  for (i = 10; i < 40; i++) {
    cpw_case *c;
    snprintf(id, sizeof id, "k%02d", i);
    c = cpw_caseload_find(f->cl, id);
    fire(f, c, "to0", T + 60);
    fire(f, c, i % 2 == 0 ? "to8" : "to2", T + 60);
  }
  check_queries(f->cl, T + 3 * H);
  check_queries(f->cl, T + 4 * H + 1);
  check_queries(f->cl, T + WEEK + 1);
}

/* ------------------------------------------------------------------ reuse */

static void test_dlqueue__freed_blocks_are_reused(void **state)
{
  fx *f = *state;
  static const char *const cycle[] = { "to8", "to2", "to1", "to0", "to2", "to8", "to1", "to8" };
  cpw_case *cases[60];
  size_t mem_after_first = 0;
  int round, i;
  for (i = 0; i < 60; i++) {
    char id[16];
    snprintf(id, sizeof id, "r%02d", i);
    cases[i] = open_case(f, id, T);
  }
  for (round = 0; round < 40; round++) {
    cpw_time at = T + round * 60;
    for (i = 0; i < 60; i++) {
      /* each case at its own point of the cycle: blocks of 8, 2, 1 and none freed and taken */
      const char *ev = cycle[(round + i) % 8];
      const char *s = cpw_case_state(cases[i]);
      if ((strcmp(ev, "to8") == 0 && strcmp(s, "s8") == 0) ||
          (strcmp(ev, "to2") == 0 && strcmp(s, "s2") == 0) ||
          (strcmp(ev, "to1") == 0 && strcmp(s, "s1") == 0) ||
          (strcmp(ev, "to0") == 0 && strcmp(s, "s0") == 0))
        continue;
      fire(f, cases[i], ev, at);
    }
    if (round == 8)
      mem_after_first = cpw_caseload_memory(f->cl);
    if (round > 8)
      assert_int_equal(cpw_caseload_memory(f->cl), mem_after_first);
    if (round % 8 == 3) {
      check_queries(f->cl, at + 3 * H);
      check_queries(f->cl, at + 9 * H);
    }
  }
  /* at most the 60 cases' blocks of 8, however they were freed and split */
  assert_true(f->cl->pool_len <= 60 * 8);
  assert_true(f->cl->heap_len <= 60);
}

/* ------------------------------------------------------------------ long clocks */

static void test_dlqueue__long_clocks_keep_their_start(void **state)
{
  fx *f = *state;
  cpw_case *c = open_case(f, "far", T + 17);
  cpw_deadline dl[2];
  fire(f, c, "tofar", T + 17);
  assert_int_equal(cpw_case_deadlines(c, dl, 2), 2);
  /* 100000 weeks: 6.0e10 s, past 32 bits */
  assert_string_equal(dl[0].event, "e1");
  assert_int_equal(dl[0].started, T + 17);
  assert_int_equal(dl[0].due, T + 17 + (cpw_time)100000 * WEEK);
  assert_true(dl[0].due - dl[0].started > (cpw_time)UINT32_MAX * 10);
  /* 7000 years: 1 June 9026, 09:00:17 */
  assert_string_equal(dl[1].event, "e2");
  assert_int_equal(dl[1].started, T + 17);
  {
    cpw_date d;
    assert_int_equal(cpw_date_from_ymd(&d, 9026, 6, 1), CPW_OK);
    assert_int_equal(dl[1].due, (cpw_time)d * DAY + 9 * H + 17);
  }
  assert_int_equal(cpw_caseload_overdue(f->cl, INT64_MAX, dl, 2), 2);
  assert_int_equal(dl[0].started, T + 17);
  assert_int_equal(dl[1].started, T + 17);
}

/* a deadline further than a record holds (2^40 s) is refused, and the event changes nothing */
static void test_dlqueue__too_long_a_clock_is_refused(void **state)
{
  fx *f = *state;
  const cpw_workflow *wf = cpw_policy_workflow(f->pol, "clocks");
  cpw__wf_deadline *def = NULL;
  cpw_case *c = open_case(f, "beyond", T);
  size_t i;
  for (i = 0; i < wf->ndeadlines; i++)
    if (wf->deadlines[i].amount == 100000)
      def = (cpw__wf_deadline *)&wf->deadlines[i];
  assert_non_null(def);
  def->amount = 2000000; /* 1.2e12 s: past what the parser allows, and past 2^40 */
  assert_int_equal(cpw_case_apply(c, "tofar", "t", "clerk", T + 1, NULL, 0), CPW_ELIMIT);
  assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "34,000 years"));
  assert_string_equal(cpw_case_state(c), "s0");
  assert_int_equal(cpw_case_event_count(c), 1);
  assert_int_equal(cpw_case_last_time(c), T);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
  assert_int_equal(cpw_caseload_due_before(f->cl, INT64_MAX, NULL, 0), 0);
  /* the longest the parser allows still fits */
  def->amount = 100000;
  fire(f, c, "tofar", T + 1);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 2);
}

/* ------------------------------------------------------------------ ids and their index */

/* The index grows by half (1024, 1536, 2304, ... slots) and the ids are packed in their arena:
 * every case is found by its id, ids of every length up to 256 bytes come back whole, a
 * duplicate is refused and an unknown id is not found, at every size on the way. */
/* case i's id: its number, then letters up to 1 to 256 bytes in all */
static size_t make_id(size_t i, char *id)
{
  size_t len = 1 + (i * 7919) % 256, n = (size_t)snprintf(id, 32, "%zu", i), j;
  if (len < n)
    len = n;
  for (j = n; j < len; j++)
    id[j] = (char)('a' + (i + j * 13) % 26);
  id[len] = '\0';
  return len;
}

/* two ids of one hash (found by trying "case-N" for N below 3 million): the index compares
 * hashes first (kept beside the case chunks), then the ids; both cases are found, and each is
 * refused a second time */
static void test_dlqueue__ids_of_one_hash(void **state)
{
  fx *f = *state;
  static const char a[] = "case-185194", b[] = "case-2890096";
  cpw_case *ca, *cb;
  assert_int_equal(cpw__hash(a, strlen(a)), cpw__hash(b, strlen(b)));
  ca = open_case(f, a, T);
  assert_null(cpw_caseload_find(f->cl, b));
  cb = open_case(f, b, T);
  assert_ptr_not_equal(ca, cb);
  assert_ptr_equal(cpw_caseload_find(f->cl, a), ca);
  assert_ptr_equal(cpw_caseload_find(f->cl, b), cb);
  assert_int_equal(cpw_caseload_open(f->cl, NULL, a, "clocks", NULL, 0, T, "t", "clerk"),
                   CPW_EEXISTS);
  assert_int_equal(cpw_caseload_open(f->cl, NULL, b, "clocks", NULL, 0, T, "t", "clerk"),
                   CPW_EEXISTS);
}

static void test_dlqueue__ids_found_across_index_growth(void **state)
{
  fx *f = *state;
  static char id[300];
  size_t i, j, caps = 0, last_cap = 0;
  for (i = 0; i < 9000; i++) {
    cpw_case *c = NULL;
    make_id(i, id);
    c = open_case(f, id, T);
    assert_string_equal(cpw_case_id(c), id);
    assert_ptr_equal(cpw_caseload_find(f->cl, id), c);
    assert_int_equal(cpw_caseload_open(f->cl, NULL, id, "clocks", NULL, 0, T, "t", "clerk"),
                     CPW_EEXISTS);
    if (f->cl->index_cap != last_cap) {
      /* grown: every case found again, and the index 1/2 to 3/4 full */
      last_cap = f->cl->index_cap;
      caps++;
      assert_true(4 * (i + 1) <= 3 * last_cap);
      assert_true(i < 1024 || 2 * (i + 1) >= last_cap);
      for (j = 0; j <= i; j++) {
        const cpw_case *k = cpw_caseload_case_at(f->cl, j);
        assert_ptr_equal(cpw_caseload_find(f->cl, cpw_case_id(k)), k);
      }
    }
  }
  assert_true(caps >= 5);
  assert_null(cpw_caseload_find(f->cl, "no such case"));
  assert_null(cpw_caseload_find(f->cl, "9000"));
  for (j = 0; j < 9000; j += 97) {
    const cpw_case *k = cpw_caseload_case_at(f->cl, j);
    char copy[300];
    size_t len = strlen(cpw_case_id(k));
    assert_int_equal(len, make_id(j, id));
    assert_string_equal(cpw_case_id(k), id);
    memcpy(copy, cpw_case_id(k), len + 1);
    assert_ptr_equal(cpw_caseload_find(f->cl, copy), k);
    copy[len - 1] = copy[len - 1] == '~' ? '}' : '~';
    assert_null(cpw_caseload_find(f->cl, copy));
  }
}

/* ------------------------------------------------------------------ growth under OOM */

typedef struct snap {
  int state;
  uint64_t nevents;
  size_t ndl;
  cpw_deadline dl[CPW__WF_MAX_PENDING];
} snap;

static void take(const cpw_case *c, snap *s)
{
  memset(s, 0, sizeof *s);
  s->state = cpw_case_state_index(c);
  s->nevents = cpw_case_event_count(c);
  s->ndl = cpw_case_deadlines(c, s->dl, CPW__WF_MAX_PENDING);
}

static void same(const snap *a, const snap *b)
{
  size_t i;
  assert_int_equal(a->state, b->state);
  assert_int_equal(a->nevents, b->nevents);
  assert_int_equal(a->ndl, b->ndl);
  for (i = 0; i < a->ndl; i++)
    assert_true(same_deadline(&a->dl[i], &b->dl[i]));
}

static const cpw_policy *oom_pol;

static int scenario_growth(cpw_ctx *ctx, void *arg)
{
  static const char *const moves[] = { "to8", "to2", "to1", "to8", "to0", "to2" };
  cpw_caseload *cl = NULL;
  cpw_case *cases[70];
  int oom = 0, i, k, ncases = 0, step;
  size_t total;
  (void)arg;
  for (k = 0; k < 2; k++) {
    int rc = cpw_caseload_new(&cl, ctx, oom_pol);
    if (rc == CPW_OK)
      break;
    assert_int_equal(rc, CPW_ENOMEM);
    oom = 1;
  }
  if (cl == NULL)
    return CPW_ENOMEM;
  for (i = 0; i < 70; i++) {
    char id[16];
    snprintf(id, sizeof id, "g%02d", i);
    for (k = 0; k < 2; k++) {
      cpw_case *c = NULL;
      int rc = cpw_caseload_open(cl, &c, id, "clocks", NULL, 0, T + i, "t", "clerk");
      if (rc == CPW_OK) {
        cases[ncases++] = c;
        break;
      }
      assert_int_equal(rc, CPW_ENOMEM);
      assert_null(cpw_caseload_find(cl, id));
      assert_int_equal(cpw_caseload_case_count(cl), (size_t)ncases);
      oom = 1;
    }
    if (k == 2)
      goto done;
  }
  /* every case through blocks of 8, 2, 1, 8, none and 2: the pool and the queue grow */
  for (step = 0; step < 6; step++)
    for (i = 0; i < ncases; i++) {
      for (k = 0; k < 2; k++) {
        snap before, after;
        int rc;
        take(cases[i], &before);
        rc = cpw_case_apply(cases[i], moves[step], "t", "clerk", T + 100 + step * 60 + i, NULL,
                            0);
        if (rc == CPW_OK)
          break;
        assert_int_equal(rc, CPW_ENOMEM);
        /* failed: the case as it was */
        take(cases[i], &after);
        same(&before, &after);
        assert_int_equal(cpw_case_last_time(cases[i]),
                         step == 0 ? T + i : T + 100 + (step - 1) * 60 + i);
        oom = 1;
      }
      if (k == 2)
        goto done;
    }
  /* 70 cases in s2: two clocks each, 4 h after each move */
  total = cpw_caseload_due_before(cl, INT64_MAX, NULL, 0);
  assert_int_equal(total, 140);
  check_queries(cl, T + 100 + 5 * 60 + 4 * H + 35);
done:
  cpw_caseload_free(cl);
  return oom ? CPW_ENOMEM : CPW_OK;
}

static void test_dlqueue__growth_under_allocation_failures(void **state)
{
  fx *f = *state;
  cpw_oom_result res;
  oom_pol = f->pol;
  if (cpw_oom_run(scenario_growth, NULL, &res) != 0)
    fail_msg("OOM harness: %s", res.problem);
  assert_true(res.allocations > 10);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
#define TT(name) cmocka_unit_test_setup_teardown(test_dlqueue__##name, setup, teardown)
    TT(eight_clocks_in_staged_order),
    TT(ties_across_cases_in_case_id_order),
    TT(freed_blocks_are_reused),
    TT(long_clocks_keep_their_start),
    TT(too_long_a_clock_is_refused),
    TT(ids_of_one_hash),
    TT(ids_found_across_index_growth),
    TT(growth_under_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
