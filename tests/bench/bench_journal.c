/* SPDX-License-Identifier: Apache-2.0 */
/* tests/bench/bench_journal.c: the journal on the peer benchmark's case streams.
 *
 *   bench_journal --events events.jsonl --workflow peer_workflow.cpw [--dir DIR] [--reps N]
 *                 [--durable-seconds S] [--keep]
 *
 * Every case of ../shared/bench/peers/events.jsonl is opened and its events applied through
 * cpw_journal_case_open / cpw_journal_case_apply (the peer workflow in the policy language, a
 * fresh case per stream, one second per event, as bench_workflow does; refused events are not
 * journaled). Measured, one JSON line each:
 *
 * - append_durable: group_commit 0, an fsync per entry, for --durable-seconds (default 3);
 * - append_group_1000: group_commit 1000, every stream (fsync per 1000 entries, and on close);
 *   bytes per entry;
 * - open_verify: opening the written journal read-only (every CRC and the whole SHA-256 chain)
 *   from a warm page cache;
 * - replay: cpw_journal_replay into an empty caseload from a warm page cache (reads the file
 *   again and checks every CRC and chain value), with the peer checksum of the result (it must
 *   equal bench_workflow's and xstate's: accepted 791469, fnv1a32 59aea82a).
 *
 * The journal is written under --dir (default: this benchmark's build directory) so that it
 * is a real disk, not tmpfs; the file system is reported (--keep leaves the journal there).
 * Timings: median and best of --reps (default 3), after one warm-up pass for the reading
 * measurements. */
#include <cpw.h>

#define BENCH_NAME "bench_journal"
#include "bench_events.h"

#include <unistd.h>
#if defined(__linux__)
#  include <sys/vfs.h>
#endif

#ifndef CPW_BENCH_DIR
#  define CPW_BENCH_DIR "."
#endif

static double best(const double *t, int n)
{
  double b = t[0];
  int i;
  for (i = 1; i < n; i++)
    if (t[i] < b)
      b = t[i];
  return b;
}

static const char *fs_name(const char *dir)
{
#if defined(__linux__)
  struct statfs st;
  if (statfs(dir, &st) != 0)
    return "unknown";
  switch ((unsigned long)st.f_type) {
  case 0xEF53UL: return "ext2/3/4";
  case 0x01021994UL: return "tmpfs";
  case 0x58465342UL: return "xfs";
  case 0x9123683EUL: return "btrfs";
  case 0x794C7630UL: return "overlayfs";
  case 0x6969UL: return "nfs";
  case 0x2FC12FC1UL: return "zfs";
  default: return "other";
  }
#else
  (void)dir;
  return "unknown";
#endif
}

typedef struct write_result {
  size_t entries, accepted, rejected, streams;
  double seconds;
  uint64_t bytes;
} write_result;

/* Write streams through the journal until done or `budget` seconds have passed. */
static int write_journal(cpw_ctx *ctx, const cpw_policy *pol, const cpw_workflow *wf,
                         const char *path, size_t group, double budget, const stream *streams,
                         size_t ns, const ev *events, write_result *res)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j;
  cpw_caseload *cl;
  size_t s;
  double t0;
  const char *evname[64], *rolename[64];
  for (s = 0; s < cpw_workflow_event_count(wf) && s < 64; s++)
    evname[s] = cpw_workflow_event(wf, s);
  for (s = 0; s < cpw_workflow_role_count(wf) && s < 64; s++)
    rolename[s] = cpw_workflow_role(wf, s);
  memset(res, 0, sizeof *res);
  remove(path);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = group;
  if (cpw_caseload_new(&cl, ctx, pol) != CPW_OK)
    return fail(ctx, "caseload");
  t0 = bench_now();
  if (cpw_journal_open(&j, ctx, path, pol, &o) != CPW_OK)
    return fail(ctx, "open");
  for (s = 0; s < ns; s++) {
    cpw_case *c;
    uint32_t i;
    cpw_time at = 1767225600;
    if (budget > 0 && (s & 15) == 0 && bench_now() - t0 > budget)
      break;
    if (cpw_journal_case_open(j, cl, &c, streams[s].id, "child_protection_referral", NULL, 0,
                              at, "bench", "worker") != CPW_OK)
      return fail(ctx, "case open");
    res->entries++;
    for (i = 0; i < streams[s].count; i++) {
      const ev *e = &events[streams[s].first + i];
      cpw_field_value v;
      int rc;
      v.field = "risk";
      v.value = e->risk;
      rc = cpw_journal_case_apply(j, c, evname[e->type], "bench", rolename[e->role], ++at, &v,
                                  e->risk != NULL);
      if (rc == CPW_OK) {
        res->accepted++;
        res->entries++;
      } else if (rc == CPW_EDENIED) {
        res->rejected++;
      } else {
        return fail(ctx, "apply");
      }
    }
    res->streams++;
  }
  if (cpw_journal_commit(j, ctx) != CPW_OK)
    return fail(ctx, "commit");
  cpw_journal_close(j);
  res->seconds = bench_now() - t0;
  {
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
      fseek(f, 0, SEEK_END);
      res->bytes = (uint64_t)ftell(f);
      fclose(f);
    }
  }
  cpw_caseload_free(cl);
  return 0;
}

int main(int argc, char **argv)
{
  const char *events_path = NULL, *wf_path = NULL, *dir = CPW_BENCH_DIR;
  int reps = 3, i, keep = 0;
  double durable_s = 3.0;
  cpw_ctx *ctx;
  cpw_policy *pol;
  const cpw_workflow *wf;
  stream *streams = NULL;
  ev *events = NULL;
  size_t ns = 0, ne = 0;
  char path[1024], sum[2000];
  write_result wr;
  double t[16], t_open[16], load_s, l0;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
      events_path = argv[++i];
    else if (strcmp(argv[i], "--workflow") == 0 && i + 1 < argc)
      wf_path = argv[++i];
    else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
      dir = argv[++i];
    else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (strcmp(argv[i], "--durable-seconds") == 0 && i + 1 < argc)
      durable_s = atof(argv[++i]);
    else if (strcmp(argv[i], "--keep") == 0)
      keep = 1;
    else
      events_path = NULL, i = argc;
  }
  if (events_path == NULL || wf_path == NULL || reps < 1 || reps > 15) {
    fprintf(stderr, "usage: bench_journal --events FILE --workflow FILE [--dir DIR] [--reps N] "
                    "[--durable-seconds S]\n");
    return 2;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return 1;
  if (cpw_policy_from_file(&pol, ctx, wf_path) != CPW_OK)
    return fail(ctx, "policy");
  wf = cpw_policy_workflow(pol, "child_protection_referral");
  l0 = bench_now();
  if (load_events(ctx, wf, events_path, &streams, &ns, &events, &ne) != 0)
    return 1;
  load_s = bench_now() - l0;
  snprintf(path, sizeof path, "%s/bench_journal.cpwj", dir);

  /* durable: an fsync per entry */
  if (write_journal(ctx, pol, wf, path, 0, durable_s, streams, ns, events, &wr) != 0)
    return 1;
  printf("{\"what\":\"append_durable\",\"group_commit\":0,\"entries\":%zu,\"streams\":%zu,"
         "\"seconds\":%.3f,\"entries_per_second\":%.0f,\"bytes_per_entry\":%.1f,"
         "\"file_system\":\"%s\",\"dir\":\"%s\"}\n", wr.entries, wr.streams, wr.seconds,
         (double)wr.entries / wr.seconds, (double)wr.bytes / (double)wr.entries, fs_name(dir),
         dir);
  fflush(stdout);

  /* group commit of 1000: every stream */
  for (i = 0; i < reps; i++) {
    if (write_journal(ctx, pol, wf, path, 1000, 0, streams, ns, events, &wr) != 0)
      return 1;
    t[i] = wr.seconds;
  }
  {
    double med = bench_median(t, reps);
    printf("{\"what\":\"append_group_1000\",\"group_commit\":1000,\"entries\":%zu,"
           "\"events_in\":%zu,\"accepted\":%zu,\"rejected\":%zu,\"cases\":%zu,\"seconds\":%.3f,"
           "\"entries_per_second\":%.0f,\"best_entries_per_second\":%.0f,"
           "\"input_events_per_second\":%.0f,\"file_bytes\":%llu,"
           "\"bytes_per_entry\":%.1f,\"file_system\":\"%s\",\"load_seconds\":%.3f,"
           "\"reps_seconds\":[", wr.entries, ne, wr.accepted, wr.rejected, wr.streams, med,
           (double)wr.entries / med, (double)wr.entries / best(t, reps), (double)(ne + ns) / med,
           (unsigned long long)wr.bytes,
           (double)wr.bytes / (double)wr.entries, fs_name(dir), load_s);
    for (i = 0; i < reps; i++)
      printf("%s%.3f", i ? "," : "", t[i]);
    printf("]}\n");
    fflush(stdout);
  }

  /* reading, from a warm page cache: one warm-up pass, then reps */
  for (i = -1; i < reps; i++) {
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    cpw_journal *j;
    cpw_caseload *cl;
    double s0 = bench_now(), s1;
    o.flags = CPW_JOURNAL_READONLY;
    if (cpw_journal_open(&j, ctx, path, pol, &o) != CPW_OK)
      return fail(ctx, "open to read");
    s1 = bench_now();
    if (cpw_caseload_new(&cl, ctx, pol) != CPW_OK || cpw_journal_replay(j, cl) != CPW_OK)
      return fail(ctx, "replay");
    if (i >= 0) {
      t_open[i] = s1 - s0;
      t[i] = bench_now() - s1;
    }
    if (i == reps - 1)
      checksum(cl, wf, wr.accepted, wr.rejected, sum, sizeof sum);
    if (cpw_journal_recovery_info(j)->entries != wr.entries)
      return fail(ctx, "entry count");
    cpw_caseload_free(cl);
    cpw_journal_close(j);
  }
  {
    double mo = bench_median(t_open, reps), mr = bench_median(t, reps);
    printf("{\"what\":\"open_verify\",\"entries\":%zu,\"seconds\":%.3f,"
           "\"entries_per_second\":%.0f,\"best_entries_per_second\":%.0f,"
           "\"mb_per_second\":%.0f}\n", wr.entries, mo, (double)wr.entries / mo,
           (double)wr.entries / best(t_open, reps), (double)wr.bytes / mo / 1e6);
    printf("{\"what\":\"replay\",\"entries\":%zu,\"seconds\":%.3f,\"entries_per_second\":%.0f,"
           "\"best_entries_per_second\":%.0f,\"open_and_replay_entries_per_second\":%.0f,"
           "\"checksum\":%s,\"reps_seconds\":[", wr.entries, mr, (double)wr.entries / mr,
           (double)wr.entries / best(t, reps), (double)wr.entries / (mo + mr), sum);
    for (i = 0; i < reps; i++)
      printf("%s%.3f", i ? "," : "", t[i]);
    printf("]}\n");
  }
  if (!keep)
    remove(path);
  free(streams);
  free(events);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return 0;
}
