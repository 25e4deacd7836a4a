/* SPDX-License-Identifier: Apache-2.0 */
/* examples/threaded_server.c: embedding in a multi-threaded server: one compiled policy shared
 * by every worker thread, a context (and records, decisions) per thread. */
#include <pthread.h>
#include <string.h>

#include "common.h"

#define WORKERS 4
#define REQUESTS 5000

static const cpw_policy *policy; /* compiled once, read by every thread */

typedef struct worker {
  int id;
  long eligible;
} worker;

static void *serve(void *arg)
{
  worker *w = arg;
  cpw_ctx *ctx; /* per thread: its allocator and last error */
  cpw_record *rec;
  cpw_decision *d;
  cpw_date as_of, birth;
  const cpw_program *p = cpw_policy_program(policy, "street_children_services");
  int i;
  CHECK(cpw_ctx_new(&ctx, NULL), NULL);
  CHECK(cpw_record_new(&rec, ctx, policy), ctx);
  CHECK(cpw_decision_new(&d, ctx), ctx);
  CHECK(cpw_date_parse(&as_of, ctx, "2025-06-01", 10), ctx);
  for (i = 0; i < REQUESTS; i++) {
    /* a "request": a child's facts */
    cpw_record_clear(rec);
    cpw_date_add_days(&birth, as_of, -(int64_t)((i * 97 + w->id) % 7000));
    cpw_record_set_date(rec, "birth_date", birth);
    cpw_record_set_bool(rec, "street_situation", i % 4 == 0);
    cpw_record_set_enum(rec, "city", i % 2 ? "tbilisi" : "batumi");
    CHECK(cpw_evaluate(d, p, rec, as_of, 0), ctx);
    w->eligible += cpw_decision_outcome(d) == CPW_ELIGIBLE;
  }
  cpw_decision_free(d);
  cpw_record_free(rec);
  cpw_ctx_free(ctx);
  return NULL;
}

int main(void)
{
  cpw_ctx *ctx;
  cpw_policy *pol;
  pthread_t t[WORKERS];
  worker w[WORKERS];
  long total = 0;
  int i;
  CHECK(cpw_ctx_new(&ctx, NULL), NULL);
  CHECK(cpw_policy_default(&pol, ctx), ctx);
  policy = pol;
  for (i = 0; i < WORKERS; i++) {
    memset(&w[i], 0, sizeof w[i]);
    w[i].id = i;
    if (pthread_create(&t[i], NULL, serve, &w[i]) != 0)
      return 1;
  }
  for (i = 0; i < WORKERS; i++) {
    pthread_join(t[i], NULL);
    total += w[i].eligible;
  }
  printf("%d threads served %d requests on one policy; %ld children eligible for "
         "street_children_services\n", WORKERS, WORKERS * REQUESTS, total);
  cpw_policy_free(pol); /* after every thread is done with it */
  cpw_ctx_free(ctx);
  return 0;
}
