/* SPDX-License-Identifier: Apache-2.0 */
/* tests/bench/bench_workflow.c: the workflow engine on the peer benchmark's case streams, and
 * the caseload at a million cases.
 *
 *   bench_workflow --events events.jsonl --workflow peer_workflow.cpw [--reps 3]
 *   bench_workflow --million [--cases 1000000]
 *
 * The first form replays every case of ../shared/bench/peers/events.jsonl through the peer
 * workflow written in the policy language (a fresh case per stream, then each event), as
 * bench_xstate.js does with xstate, and prints the checksum of RESULTS.md (accepted and
 * rejected counts, final-state histogram, FNV-1a 32 over "STATE|risk|activeServices|
 * reopenCount|reviewCount\n" lines). Timed: only the replay over events already in memory
 * (one warm-up pass, then --reps passes, median). Each pass frees the caseload of the pass
 * before and opens its cases into a new one; the process keeps the memory freed (glibc:
 * mallopt), as node keeps its heap between xstate's passes, so that a pass does not pay the
 * kernel again for the zeroed pages of the one before (most of the time of a pass when it
 * does, measured: 13.8 against 32.5 M events/s). The warm-up pass, on memory the process
 * never had, is printed too ("first_pass_per_second").
 * The second opens a million cases of Georgia's referral workflow (each registered, so each has
 * a deadline), reports the caseload's memory per case beyond field values, and times
 * cpw_caseload_overdue when 100 deadlines are due. */
#include <cpw.h>

#define BENCH_NAME "bench_workflow"
#include "bench_events.h"

#if defined(__GLIBC__)
#  include <malloc.h>
#endif

static int replay(cpw_ctx *ctx, const cpw_policy *pol, const stream *streams, size_t ns,
                  const ev *events, size_t *accepted, size_t *rejected, cpw_caseload **out)
{
  cpw_caseload *cl;
  size_t s;
  if (cpw_caseload_new(&cl, ctx, pol) != CPW_OK)
    return fail(ctx, "caseload");
  *accepted = *rejected = 0;
  for (s = 0; s < ns; s++) {
    cpw_case *c;
    uint32_t i;
    cpw_time at = 1767225600; /* 2026-01-01T00:00:00Z; one second per event */
    if (cpw_caseload_open(cl, &c, streams[s].id, "child_protection_referral", NULL, 0, at,
                          "bench", "worker") != CPW_OK)
      return fail(ctx, "open");
    for (i = 0; i < streams[s].count; i++) {
      const ev *e = &events[streams[s].first + i];
      cpw_field_value v;
      int rc;
      v.field = "risk";
      v.value = e->risk;
      rc = cpw_case_apply_index(c, e->type, "bench", e->role, ++at, &v, e->risk != NULL);
      if (rc == CPW_OK)
        ++*accepted;
      else if (rc == CPW_EDENIED)
        ++*rejected;
      else
        return fail(ctx, "apply");
    }
  }
  *out = cl;
  return 0;
}

static int million(size_t ncases)
{
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
  size_t i, per_case_fields;
  cpw_time t0;
  cpw_deadline *out;
  double t[7];
  size_t k = 0, mem;
  int r;
  char id[32];
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK || cpw_policy_default(&pol, ctx) != CPW_OK ||
      cpw_caseload_new(&cl, ctx, pol) != CPW_OK)
    return 1;
  /* a Monday with no holiday or day off in the next weeks (5 January 2026, the earlier start, is a
   * day off: every deadline of the cases opened then fell on the same second) */
  cpw_time_parse(&t0, NULL, "2026-06-01T09:00:00+04:00", 25);
  {
    double s0 = bench_now();
    for (i = 0; i < ncases; i++) {
      cpw_case *c;
      snprintf(id, sizeof id, "C-%07zu", i);
      if (cpw_caseload_open(cl, &c, id, "referral", NULL, 0, t0 + (cpw_time)i, "u", "reporter") !=
            CPW_OK ||
          cpw_case_apply(c, "register", "u", "intake_officer", t0 + (cpw_time)i, NULL, 0) != CPW_OK)
        return fail(ctx, "open");
    }
    printf("{\"what\":\"open+register\",\"cases\":%zu,\"seconds\":%.3f}\n", ncases,
           bench_now() - s0);
  }
  mem = cpw_caseload_memory(cl);
  per_case_fields = cpw_workflow_field_count(cpw_policy_workflow(pol, "referral")) * 8;
  /* each case's earliest deadline is 3 working days after registration, one second apart
   * (its other clocks run longer): the 100th earliest is case 99's earliest */
  {
    cpw_deadline d[8];
    size_t nd = cpw_case_deadlines(cpw_caseload_find(cl, "C-0000099"), d, 8), j;
    cpw_time first = d[0].due;
    for (j = 1; j < nd && j < 8; j++)
      if (d[j].due < first)
        first = d[j].due;
    out = malloc(200 * sizeof *out);
    for (r = 0; r < 7; r++) {
      double s0 = bench_now();
      k = cpw_caseload_overdue(cl, first + 1, out, 200);
      t[r] = bench_now() - s0;
    }
  }
  printf("{\"what\":\"caseload\",\"cases\":%zu,\"bytes\":%zu,\"bytes_per_case\":%.1f,"
         "\"field_bytes_per_case\":%zu,\"bytes_per_case_beyond_fields\":%.1f,"
         "\"overdue_results\":%zu,\"overdue_ms_median\":%.4f}\n",
         ncases, mem, (double)mem / (double)ncases, per_case_fields,
         (double)mem / (double)ncases - (double)per_case_fields, k, bench_median(t, 7) * 1e3);
  free(out);
  cpw_caseload_free(cl);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return 0;
}

int main(int argc, char **argv)
{
  const char *events_path = NULL, *wf_path = NULL;
  int reps = 3, i;
  size_t ncases = 1000000;
  cpw_ctx *ctx;
  cpw_policy *pol;
  const cpw_workflow *wf;
  stream *streams = NULL;
  ev *events = NULL;
  size_t ns = 0, ne = 0, accepted = 0, rejected = 0;
  double t[16], l0, load_s, first_s = 0;
  char sum[2000];
  cpw_caseload *cl = NULL;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
      events_path = argv[++i];
    else if (strcmp(argv[i], "--workflow") == 0 && i + 1 < argc)
      wf_path = argv[++i];
    else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
      ncases = (size_t)atol(argv[++i]);
    else if (strcmp(argv[i], "--million") == 0)
      return million(ncases);
    else {
      fprintf(stderr, "usage: bench_workflow --events FILE --workflow FILE [--reps N]\n"
                      "       bench_workflow --million [--cases N]\n");
      return 2;
    }
  }
  if (events_path == NULL || wf_path == NULL || reps < 1 || reps > 15) {
    fprintf(stderr, "usage: bench_workflow --events FILE --workflow FILE [--reps N]\n");
    return 2;
  }
#if defined(__GLIBC__)
  /* keep freed blocks up to 32 MiB in the heap and the heap untrimmed (see the top) */
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return 1;
  if (cpw_policy_from_file(&pol, ctx, wf_path) != CPW_OK)
    return fail(ctx, "policy");
  wf = cpw_policy_workflow(pol, "child_protection_referral");
  l0 = bench_now();
  if (load_events(ctx, wf, events_path, &streams, &ns, &events, &ne) != 0)
    return 1;
  load_s = bench_now() - l0;
  for (i = 0; i <= reps; i++) {
    double s0 = bench_now();
    cpw_caseload_free(cl);
    cl = NULL;
    if (replay(ctx, pol, streams, ns, events, &accepted, &rejected, &cl) != 0)
      return 1;
    if (i > 0)
      t[i - 1] = bench_now() - s0;
    else
      first_s = bench_now() - s0;
  }
  checksum(cl, wf, accepted, rejected, sum, sizeof sum);
  {
    double med = bench_median(t, reps);
    printf("{\"peer\":\"libcpw %s cpw_case_apply\",\"items\":%zu,\"seconds\":%.6f,"
           "\"per_second\":%.0f,\"checksum\":%s,\"cases\":%zu,\"load_seconds\":%.3f,"
           "\"bytes_per_case\":%.1f,\"first_pass_per_second\":%.0f,\"reps_seconds\":[",
           cpw_version_string(), ne, med, (double)ne / med, sum, ns, load_s,
           (double)cpw_caseload_memory(cl) / (double)ns, (double)ne / first_s);
    for (i = 0; i < reps; i++)
      printf("%s%.6f", i ? "," : "", t[i]);
    printf("]}\n");
  }
  cpw_caseload_free(cl);
  free(streams);
  free(events);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return 0;
}
