/* SPDX-License-Identifier: Apache-2.0 */
/* tests/bench/bench_events.h: the peer benchmark's case streams (events.jsonl) loaded into
 * memory, and the checksum of ../shared/bench/peers/RESULTS.md over a replayed caseload; shared
 * by bench_workflow and bench_journal. Define BENCH_NAME (the program's name, for messages)
 * before including it. */
#ifndef CPW_BENCH_EVENTS_H
#define CPW_BENCH_EVENTS_H

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
  fprintf(stderr, BENCH_NAME ": %s: %s\n", what, cpw_ctx_last_error(ctx)->message);
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
    fprintf(stderr, BENCH_NAME ": cannot read %s\n", path);
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
          fprintf(stderr, BENCH_NAME ": unknown event or role '%s'\n", val);
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

#endif
