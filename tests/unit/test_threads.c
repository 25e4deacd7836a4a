/* SPDX-License-Identifier: Apache-2.0 */
/* Threads: one compiled policy shared by several threads (each with its own context, records,
 * decisions and caseloads), journal appends from several threads through one handle, and the
 * SHA-256 code choice made by threads hashing at once.
 * Run under ThreadSanitizer by `tests/run.sh tsan`. */
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#include "cmocka_all.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpw.h"
#include "base/sha256.h"

#define THREADS 4
#define ROUNDS 2000

static cpw_policy *shared_policy;

typedef struct worker {
  int id;
  long eligible;
  int failures;
  cpw_journal *journal;
} worker;

static void *evaluate_worker(void *arg)
{
  worker *w = arg;
  cpw_ctx *ctx;
  cpw_record *rec;
  cpw_decision *d;
  cpw_caseload *cl;
  cpw_date as_of;
  int i;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK || cpw_record_new(&rec, ctx, shared_policy) != CPW_OK ||
      cpw_decision_new(&d, ctx) != CPW_OK || cpw_caseload_new(&cl, ctx, shared_policy) != CPW_OK) {
    w->failures++;
    return NULL;
  }
  cpw_date_parse(&as_of, ctx, "2024-01-01", 10);
  for (i = 0; i < ROUNDS; i++) {
    const cpw_program *p = cpw_policy_program_at(shared_policy,
                                                 (size_t)i % cpw_policy_program_count(shared_policy));
    cpw_date birth;
    cpw_date_add_days(&birth, as_of, -(int64_t)((i * 37 + w->id * 101) % 6500));
    cpw_record_set_date(rec, "birth_date", birth);
    cpw_record_set_bool(rec, "street_situation", i % 3 == 0);
    cpw_record_set_bool(rec, "tsa_registered", 1);
    cpw_record_set_int(rec, "tsa_score", (i * 7919) % 150000);
    if (cpw_evaluate(d, p, rec, as_of, (i % 10) == 0 ? CPW_EVAL_EXPLAIN : 0) != CPW_OK)
      w->failures++;
    w->eligible += cpw_decision_outcome(d) == CPW_ELIGIBLE;
  }
  for (i = 0; i < 200; i++) {
    char id[32];
    cpw_case *c;
    snprintf(id, sizeof id, "T%d-%d", w->id, i);
    if (cpw_caseload_open(cl, &c, id, "referral", NULL, 0, 1767225600 + i, "u", "reporter") !=
          CPW_OK ||
        cpw_case_apply(c, "register", "u", "intake_officer", 1767225600 + i, NULL, 0) != CPW_OK)
      w->failures++;
  }
  cpw_caseload_free(cl);
  cpw_decision_free(d);
  cpw_record_free(rec);
  cpw_ctx_free(ctx);
  return NULL;
}

static void test_threads__shared_policy(void **state)
{
  pthread_t t[THREADS];
  worker w[THREADS];
  int i;
  (void)state;
  for (i = 0; i < THREADS; i++) {
    memset(&w[i], 0, sizeof w[i]);
    w[i].id = i;
    assert_int_equal(pthread_create(&t[i], NULL, evaluate_worker, &w[i]), 0);
  }
  for (i = 0; i < THREADS; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(w[i].failures, 0);
  }
  /* the same work in every thread gives the same counts when ids agree: thread 0 vs a rerun */
  {
    worker again;
    memset(&again, 0, sizeof again);
    evaluate_worker(&again);
    assert_int_equal(again.eligible, w[0].eligible);
  }
}

static void *append_worker(void *arg)
{
  worker *w = arg;
  cpw_ctx *ctx;
  int i;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK) {
    w->failures++;
    return NULL;
  }
  for (i = 0; i < 250; i++) {
    char subject[32];
    cpw_journal_entry e;
    memset(&e, 0, sizeof e);
    snprintf(subject, sizeof subject, "T%d-%d", w->id, i);
    e.kind = CPW_JOURNAL_ANNOTATION;
    e.at = 1767225600 + i;
    e.actor = "u";
    e.role = "r";
    e.subject = subject;
    e.name = "note";
    if (cpw_journal_append(w->journal, ctx, &e) != CPW_OK)
      w->failures++;
    if (i % 50 == 49 && cpw_journal_commit(w->journal, ctx) != CPW_OK)
      w->failures++;
  }
  cpw_ctx_free(ctx);
  return NULL;
}

static int count_entry(const cpw_journal_entry *e, void *payload)
{
  (void)e;
  ++*(long *)payload;
  return 0;
}

static void test_threads__journal_appends(void **state)
{
  char dir[] = "/tmp/cpw-threads-XXXXXX", path[64];
  cpw_ctx *ctx;
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal_recovery info;
  pthread_t t[THREADS];
  worker w[THREADS];
  long n = 0;
  int i;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/j", dir);
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = 64;
  assert_int_equal(cpw_journal_open(&j, ctx, path, shared_policy, &o), CPW_OK);
  for (i = 0; i < THREADS; i++) {
    memset(&w[i], 0, sizeof w[i]);
    w[i].id = i;
    w[i].journal = j;
    assert_int_equal(pthread_create(&t[i], NULL, append_worker, &w[i]), 0);
  }
  for (i = 0; i < THREADS; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(w[i].failures, 0);
  }
  assert_int_equal(cpw_journal_commit(j, ctx), CPW_OK);
  assert_int_equal(cpw_journal_foreach(j, ctx, count_entry, &n), CPW_OK);
  assert_int_equal(n, THREADS * 250);
  cpw_journal_close(j);
  assert_int_equal(cpw_journal_verify(ctx, path, &info), CPW_OK);
  assert_int_equal(info.entries, THREADS * 250);
  unlink(path);
  rmdir(dir);
  cpw_ctx_free(ctx);
}

/* SHA-256 from several threads at once, with the implementation not yet chosen: each thread
 * may be the one that runs CPUID and records the choice (a C11 atomic; TSan would report a
 * plain int). Every thread must get the digest of "abc". */
static void *hash_worker(void *arg)
{
  static const uint8_t abc[32] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                   0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                   0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                   0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
  worker *w = arg;
  int i;
  for (i = 0; i < 100; i++) {
    uint8_t d[32];
    cpw__sha256("abc", 3, d);
    if (memcmp(d, abc, 32) != 0)
      w->failures++;
  }
  return NULL;
}

static void test_threads__sha256_choice(void **state)
{
  pthread_t t[THREADS];
  worker w[THREADS];
  int i;
  (void)state;
  cpw__sha256_force_portable(0); /* back to "not chosen yet" */
  for (i = 0; i < THREADS; i++) {
    memset(&w[i], 0, sizeof w[i]);
    assert_int_equal(pthread_create(&t[i], NULL, hash_worker, &w[i]), 0);
  }
  for (i = 0; i < THREADS; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(w[i].failures, 0);
  }
  print_message("sha256: %s\n", cpw__sha256_impl());
}

static int setup(void **state)
{
  static cpw_ctx *ctx;
  (void)state;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK || cpw_policy_default(&shared_policy, ctx) != CPW_OK)
    return -1;
  *state = ctx;
  return 0;
}

static int teardown(void **state)
{
  cpw_policy_free(shared_policy);
  cpw_ctx_free(*state);
  return 0;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_threads__shared_policy),
    cmocka_unit_test(test_threads__journal_appends),
    cmocka_unit_test(test_threads__sha256_choice),
  };
  return cmocka_run_group_tests_name("threads", tests, setup, teardown);
}
