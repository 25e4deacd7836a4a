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
 * (one warm-up pass, then --reps passes, median).
 * The second opens a million cases of Georgia's referral workflow (each registered, so each has
 * a deadline), reports the caseload's memory per case beyond field values, and times
 * cpw_caseload_overdue when 100 deadlines are due. */
#include <cpw.h>

#include "base/json.h"
#include "bench_common.h"

typedef struct ev {
  int type, role;
  const char *risk;   /* NULL: the event carries no risk */
} ev;

typedef struct stream {
  char id[24];
  uint32_t first, count;
} stream;

static const char *const risk_names[] = { "none", "low", "medium", "high" };

static int fail(cpw_ctx *ctx, const char *what)
{
  fprintf(stderr, "bench_workflow: %s: %s\n", what, cpw_ctx_last_error(ctx)->message);
  return 1;
}

static int load_events(cpw_ctx *ctx, const cpw_workflow *wf, const char *path, stream **streams_out,
                size_t *nstreams, ev **events_out, size_t *nevents)
{
  size_t len, p, ns = 0, cs = 0, ne = 0, ce = 0;
  char *text = bench_read_file(path, &len);
  stream *streams = NULL;
  ev *events = NULL;
  if (text == NULL) {
    fprintf(stderr, "bench_workflow: cannot read %s\n", path);
    return 1;
  }
  for (p = 0; p < len;) {
    size_t e = p;
    cpw__json_reader r;
    cpw__json_token t;
    int depth = 0, rc = CPW_OK;
    ev cur;
    char key[16] = "";
    while (e < len && text[e] != '\n')
      e++;
    if (e == p) {
      p = e + 1;
      continue;
    }
    if (ns == cs) {
      cs = cs ? cs * 2 : 1024;
      streams = realloc(streams, cs * sizeof *streams);
    }
    streams[ns].first = (uint32_t)ne;
    streams[ns].count = 0;
    cpw__json_reader_init(&r, ctx, text + p, e - p);
    memset(&cur, 0, sizeof cur);
    while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF) {
      if (t.type == CPW__JSON_OBJECT) {
        depth++;
        if (depth == 2)
          memset(&cur, 0, sizeof cur);
      } else if (t.type == CPW__JSON_OBJECT_END) {
        if (depth == 2) {
          if (ne == ce) {
            ce = ce ? ce * 2 : 65536;
            events = realloc(events, ce * sizeof *events);
          }
          events[ne++] = cur;
          streams[ns].count++;
        }
        depth--;
      } else if (t.type == CPW__JSON_KEY) {
        snprintf(key, sizeof key, "%.*s", (int)(t.len < 15 ? t.len : 15), t.str);
      } else if (t.type == CPW__JSON_NUMBER && depth == 1 && strcmp(key, "id") == 0) {
        snprintf(streams[ns].id, sizeof streams[ns].id, "C-%lld", (long long)t.i);
      } else if (t.type == CPW__JSON_STRING && depth == 2) {
        char val[32];
        size_t k;
        snprintf(val, sizeof val, "%.*s", (int)(t.len < 31 ? t.len : 31), t.str);
        if (strcmp(key, "type") == 0)
          cur.type = cpw_workflow_event_index(wf, val);
        else if (strcmp(key, "role") == 0)
          cur.role = cpw_workflow_role_index(wf, val);
        else if (strcmp(key, "risk") == 0)
          for (k = 0; k < 4; k++)
            if (strcmp(val, risk_names[k]) == 0)
              cur.risk = risk_names[k];
        if (cur.type < 0 || cur.role < 0) {
          fprintf(stderr, "bench_workflow: unknown event or role '%s'\n", val);
          return 1;
        }
      }
    }
    cpw__json_reader_free(&r);
    if (rc != CPW_OK)
      return fail(ctx, "events.jsonl");
    ns++;
    p = e + 1;
  }
  free(text);
  *streams_out = streams;
  *nstreams = ns;
  *events_out = events;
  *nevents = ne;
  return 0;
}

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

static void checksum(const cpw_caseload *cl, const cpw_workflow *wf, size_t accepted,
                     size_t rejected, char *out, size_t size)
{
  size_t i, n = cpw_caseload_case_count(cl);
  uint32_t h = 0x811c9dc5u;
  int used;
  used = snprintf(out, size, "{\"accepted\":%zu,\"rejected\":%zu,\"final_states\":{", accepted,
                  rejected);
  for (i = 0; i < cpw_workflow_state_count(wf); i++)
    used += snprintf(out + used, size - (size_t)used, "%s\"%s\":%lld", i ? "," : "",
                     cpw_workflow_state(wf, i),
                     (long long)cpw_caseload_count(cl, cpw_workflow_name(wf),
                                                   cpw_workflow_state(wf, i)));
  for (i = 0; i < n; i++) {
    const cpw_case *c = cpw_caseload_case_at(cl, i);
    char line[200], risk[32], a[32], b[32], d[32];
    int len;
    cpw_case_get_string(c, "risk", risk, sizeof risk);
    cpw_case_get_string(c, "activeServices", a, sizeof a);
    cpw_case_get_string(c, "reopenCount", b, sizeof b);
    cpw_case_get_string(c, "reviewCount", d, sizeof d);
    len = snprintf(line, sizeof line, "%s|%s|%s|%s|%s\n", cpw_case_state(c), risk, a, b, d);
    h = bench_fnv1a(h, line, (size_t)len);
  }
  snprintf(out + used, size - (size_t)used, "},\"fnv1a32\":\"%08x\"}", h);
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
  cpw_time_parse(&t0, NULL, "2026-01-05T09:00:00+04:00", 25);
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
  /* deadlines are 3 working days after registration, one second apart: the 100th earliest is
   * case 99's */
  {
    cpw_deadline d[1];
    cpw_case_deadlines(cpw_caseload_find(cl, "C-0000099"), d, 1);
    out = malloc(200 * sizeof *out);
    for (r = 0; r < 7; r++) {
      double s0 = bench_now();
      k = cpw_caseload_overdue(cl, d[0].due + 1, out, 200);
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
  double t[16], l0, load_s;
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
  }
  checksum(cl, wf, accepted, rejected, sum, sizeof sum);
  {
    double med = bench_median(t, reps);
    printf("{\"peer\":\"libcpw %s cpw_case_apply\",\"items\":%zu,\"seconds\":%.6f,"
           "\"per_second\":%.0f,\"checksum\":%s,\"cases\":%zu,\"load_seconds\":%.3f,"
           "\"bytes_per_case\":%.1f,\"reps_seconds\":[", cpw_version_string(), ne, med,
           (double)ne / med, sum, ns, load_s, (double)cpw_caseload_memory(cl) / (double)ns);
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
