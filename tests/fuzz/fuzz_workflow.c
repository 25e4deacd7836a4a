/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_workflow: random event sequences against the case runtime, with invariant checks.
 *
 * The first byte chooses the workflows:
 *   0: the default policy (Georgia's `referral` and `trafficking_status`);
 *   1: a small random workflow generated from the fuzz bytes (states, events, roles, fields,
 *      transitions with guards and updates, deadlines, a calendar), compiled; the bytes that
 *      follow drive its cases;
 *   2: a workflow whose body is raw fuzz text (up to the first 0 byte), for the workflow
 *      parser and checker; when it compiles, the rest drives its cases.
 * Then cases are opened and events applied (event index, role index, time delta, carried field
 * values, all from the bytes; sometimes unknown names or out-of-range indexes). After every
 * apply:
 *   - the state index is a declared state and the caseload's counts by state add up to the
 *     number of cases;
 *   - a refused event (CPW_EDENIED) or an error changed nothing (a snapshot of state, times,
 *     event count, fields and pending deadlines is compared), and the refusal's reason is the
 *     one the rules give (time, final, no transition, role, guard) with an explanation;
 *   - an accepted event moved the case to the target of a transition the role may fire;
 *   - pending deadlines are only those of the current state or clocks that run across states
 *     (none in a final state), due after they started; every field read through cpw_case_get
 *     is the stored one (the snapshots read the stored fields directly: a lookup by name for
 *     every field twice per event was a tenth of the target's time);
 *   - an event cpw_case_allowed_events leaves out for a role is refused;
 *   - overdue/due-before queries agree with a brute-force scan (count, order, `max`);
 * and at the end the same inputs replayed into a new caseload give the same cases.
 *
 * Build with every .c file of lib/base, lib/policy, lib/eligibility and lib/workflow, and the
 * generated default policy, after a CMake build in build/dev:
 *   clang -fsanitize=fuzzer,address,undefined -std=c11 -I include -I build/dev/include -I lib
 *     tests/fuzz/fuzz_workflow.c lib/base/(*).c lib/policy/(*).c lib/eligibility/(*).c
 *     lib/workflow/(*).c build/dev/generated/default_policy.c -o /tmp/fuzz_workflow
 * (without the parentheses), then run /tmp/fuzz_workflow tests/fuzz/corpus/workflow. Set
 * FUZZ_WORKFLOW_DEBUG to print each generated policy and its compile status.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpw.h"
#include "workflow/case.h"

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------ bytes */
typedef struct bytes {
  const uint8_t *p;
  size_t n;
} bytes;

static unsigned take(bytes *b)
{
  unsigned v;
  if (b->n == 0)
    return 0;
  v = b->p[0];
  b->p++;
  b->n--;
  return v;
}

static unsigned take_below(bytes *b, unsigned n) { return n == 0 ? 0 : take(b) % n; }

/* ------------------------------------------------------------------ text */
typedef struct text {
  char s[16384];
  size_t len;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...)
{
  va_list ap;
  int n;
  if (t->len >= sizeof t->s - 1)
    return;
  va_start(ap, fmt);
  n = vsnprintf(t->s + t->len, sizeof t->s - t->len, fmt, ap);
  va_end(ap);
  if (n > 0)
    t->len += (size_t)n < sizeof t->s - t->len ? (size_t)n : sizeof t->s - 1 - t->len;
}

/* the fields of the random workflows */
static const char *const field_decl[] = {
  "field b1: bool = false", "field n1: int = 0", "field k1: enum(lo, mid, hi) = lo",
  "field d1: date", "field b2: bool", "field n2: int",
};
static const char *const field_name[] = { "b1", "n1", "k1", "d1", "b2", "n2" };
static const char *const guards[] = {
  "b1", "not b1", "n1 > 0", "n1 = 0", "n1 < 2", "k1 = mid", "k1 != hi", "b1 and n1 > 1",
  "b1 or b2", "not b2", "n2 > n1", "d1 < today", "d1 = today", "n1 + n2 >= 3", "b2",
};
static const char *const sets[] = {
  "n1 = n1 + 1", "n1 = n1 - 1", "b1 = true", "b1 = not b1", "k1 = hi", "k1 = mid",
  "d1 = today", "n2 = n1 * 2", "b2 = n1 > 2", "n1 = 0",
};
static const char *const units[] = {
  "minutes", "hours", "days", "working days", "weeks", "months", "years",
};

/* A small random workflow from the bytes, mostly valid (the checker must accept or refuse it
 * cleanly either way): a few transitions from final states, deadlines without escalation or
 * in final states, unreachable states and cycles are left in on purpose. */
static void gen_workflow(bytes *b, text *t)
{
  unsigned nroles = 1 + take_below(b, 4), nstates = 1 + take_below(b, 7);
  unsigned nevents = 1 + take_below(b, 6), nfields = (unsigned)CPW__ARRAY_LEN(field_decl);
  unsigned ntrans = take_below(b, 16), ndl = take_below(b, 5), flags = take(b), i, j;
  unsigned finals = 0, strict = (flags & 0x80) == 0;
  add(t, "calendar cal {\n  weekend saturday, sunday\n  holiday 1 January \"a\"\n"
         "  holiday easter - 2 days \"b\"\n  holiday 26 May \"c\"\n}\n");
  add(t, "workflow w \"random\" {\n");
  if ((flags & 1) || strict)
    add(t, "  calendar cal\n");
  add(t, "  roles");
  for (i = 0; i < nroles; i++)
    add(t, "%s r%u", i ? "," : "", i);
  add(t, "\n");
  for (i = 0; i < nfields; i++)
    add(t, "  %s\n", field_decl[i]);
  for (i = 0; i < nstates; i++) {
    unsigned f = take(b);
    if (i > 0 && (f & 3) == 0)
      finals |= 1u << i;
    add(t, "  state s%u%s%s%s\n", i, i == 0 ? " initial" : "", (finals >> i) & 1 ? " final" : "",
        (f & 4) || (strict && !((finals >> i) & 1)) ? " ongoing" : "");
  }
  for (i = 0; i < nevents; i++) {
    unsigned c = take(b);
    add(t, "  event e%u", i);
    for (j = 0; j < nfields; j++)
      if ((c >> j) & 1)
        add(t, "%s%s", (c & ((1u << j) - 1)) == 0 ? " carries " : ", ", field_name[j]);
    add(t, "\n");
  }
  /* every state reachable: a chain through the states that are not final */
  for (i = 1; strict && i < nstates; i++) {
    unsigned p = i - 1;
    while ((finals >> p) & 1)
      p--;
    add(t, "  on e%u: s%u -> s%u\n", i % nevents, p, i);
  }
  for (i = 0; i < ntrans; i++) {
    unsigned from = take(b), to = take(b), by = take(b), g = take(b), s = take(b);
    add(t, "  on e%u: ", take_below(b, nevents));
    if ((from & 0x80) != 0) {
      add(t, "*");
    } else {
      int first = 1;
      for (j = 0; j < nstates; j++)
        if (((from >> j) & 1) && !(strict && ((finals >> j) & 1))) {
          add(t, "%ss%u", first ? "" : ", ", j);
          first = 0;
        }
      if (first)
        add(t, "s0");
    }
    if (to & 1)
      add(t, " -> s%u", (to >> 1) % nstates);
    if (by & 1) {
      int first = 1;
      for (j = 0; j < nroles; j++)
        if ((by >> (j + 1)) & 1 || (j == 0 && (by >> 1) == 0)) {
          add(t, "%sr%u", first ? " by " : ", ", j);
          first = 0;
        }
    }
    if (g & 1)
      add(t, " when %s", guards[(g >> 1) % CPW__ARRAY_LEN(guards)]);
    if (s & 1)
      add(t, " set %s", sets[(s >> 1) % CPW__ARRAY_LEN(sets)]);
    add(t, "\n");
  }
  for (i = 0; i < ndl; i++) {
    unsigned k = take(b), amount = 1 + take_below(b, 40), u = take(b), st = (k >> 1) % nstates;
    if (strict && ((finals >> st) & 1))
      st = 0;
    add(t, "  deadline e%u %s %u %s in s%u", take_below(b, nevents),
        (k & 1) ? "every" : "within", amount, units[u % CPW__ARRAY_LEN(units)], st);
    if (k & 0x20)
      add(t, " when %s", guards[(u >> 3) % CPW__ARRAY_LEN(guards)]);
    if (k & 0x40)
      add(t, " escalate e%u to r%u", (k >> 2) % nevents, (u >> 5) % nroles);
    add(t, "\n");
  }
  if ((flags & 2) || strict)
    add(t, "  escalate e%u to r%u\n", (flags >> 2) % nevents, (flags >> 5) % nroles);
  add(t, "}\n");
}

/* ------------------------------------------------------------------ snapshots */
typedef struct snap {
  int state;
  cpw_time since, last;
  uint64_t nevents;
  uint64_t known;
  int64_t vals[CPW__WF_MAX_FIELDS];
  size_t ndl;
  cpw_deadline dl[CPW__WF_MAX_PENDING];
} snap;

static void take_snap(const cpw_case *c, snap *s)
{
  const cpw_workflow *wf = cpw_case_workflow(c);
  size_t i;
  memset(s, 0, sizeof *s);
  s->state = cpw_case_state_index(c);
  s->since = cpw_case_state_since(c);
  s->last = cpw_case_last_time(c);
  s->nevents = cpw_case_event_count(c);
  /* the fields as stored (check_case compares them with what cpw_case_get says) */
  for (i = 0; i < cpw_workflow_field_count(wf); i++)
    if ((c->known >> i) & 1) {
      s->known |= UINT64_C(1) << i;
      s->vals[i] = c->vals[i];
    }
  s->ndl = cpw_case_deadlines(c, s->dl, CPW__WF_MAX_PENDING);
  CHECK(s->ndl <= CPW__WF_MAX_PENDING);
}

static int same_snap(const snap *a, const snap *b)
{
  size_t i;
  if (a->state != b->state || a->since != b->since || a->last != b->last ||
      a->nevents != b->nevents || a->known != b->known || a->ndl != b->ndl)
    return 0;
  for (i = 0; i < CPW__WF_MAX_FIELDS; i++)
    if (((a->known >> i) & 1) && a->vals[i] != b->vals[i])
      return 0;
  for (i = 0; i < a->ndl; i++)
    if (a->dl[i].due != b->dl[i].due || a->dl[i].started != b->dl[i].started ||
        strcmp(a->dl[i].event, b->dl[i].event) != 0 ||
        strcmp(a->dl[i].escalation, b->dl[i].escalation) != 0 ||
        strcmp(a->dl[i].role, b->dl[i].role) != 0 || a->dl[i].c != b->dl[i].c)
      return 0;
  return 1;
}

/* ------------------------------------------------------------------ invariants */

static void check_case(const cpw_caseload *cl, const cpw_case *c)
{
  const cpw_workflow *wf = cpw_case_workflow(c);
  int s = cpw_case_state_index(c);
  uint32_t d;
  size_t n = 0;
  CHECK(s >= 0 && (size_t)s < cpw_workflow_state_count(wf));
  CHECK(strcmp(cpw_case_state(c), cpw_workflow_state(wf, (size_t)s)) == 0);
  CHECK(cpw_case_state_since(c) <= cpw_case_last_time(c));
  CHECK(cpw_case_event_count(c) >= 1);
  if (c->dl_first != CPW__NO_DL) {
    /* one block of the pool, its size and earliest record in the first; the case in the queue
     * at the position kept beside its chunk, not earlier than its parent */
    const cpw__dl *b = &cl->pool[c->dl_first];
    uint32_t nb = cpw__dl_count(b), first = cpw__dl_first_due(b), pos;
    CHECK(nb >= 1 && nb <= CPW__WF_MAX_PENDING && first < nb);
    CHECK(c->dl_first + nb <= cl->pool_len);
    for (d = 0; d < nb; d++) {
      const cpw__dl *p = &b[d];
      CHECK(cpw__dl_def(p) < wf->ndeadlines);
      /* a clock of the current state, or one that runs across states */
      CHECK(wf->deadlines[cpw__dl_def(p)].state == (uint16_t)s ||
            wf->deadlines[cpw__dl_def(p)].state == CPW__WF_NONE);
      CHECK(p->due > cpw__dl_started(p));
      CHECK(b[first].due <= p->due);
      CHECK(d == first || b[first].due < p->due || first < d);
      n++;
    }
    pos = ((const uint32_t *)(cl->chunks[c->index / CPW__CASE_CHUNK] + CPW__CASE_CHUNK))
      [CPW__CASE_CHUNK + c->index % CPW__CASE_CHUNK];
    CHECK(pos < cl->heap_len && cl->heap[pos] == c->index);
    if (pos > 0) {
      const cpw_case *parent = cpw_caseload_case_at(cl, cl->heap[(pos - 1) / 2]);
      const cpw__dl *pb = &cl->pool[parent->dl_first];
      CHECK(pb[cpw__dl_first_due(pb)].due <= b[first].due);
    }
  }
  CHECK(n <= CPW__WF_MAX_PENDING);
  CHECK(n == cpw_case_deadlines(c, NULL, 0));
  /* every field through the public getter: known exactly when stored, with its value */
  for (d = 0; d < cpw_workflow_field_count(wf); d++) {
    int64_t v = 0;
    int rc = cpw_case_get(c, cpw_workflow_field(wf, d), &v);
    CHECK(rc == (int)((c->known >> d) & 1));
    if (rc == 1)
      CHECK(v == c->vals[d]);
  }
  if (cpw_workflow_state_is_final(wf, (size_t)s))
    CHECK(n == 0);
}

static void check_counts(const cpw_caseload *cl)
{
  const cpw_policy *pol = cpw_caseload_policy(cl);
  size_t w, s, total = 0, i;
  for (w = 0; w < cpw_policy_workflow_count(pol); w++) {
    const cpw_workflow *wf = cpw_policy_workflow_at(pol, w);
    size_t in_wf = 0, by_scan = 0;
    for (s = 0; s < cpw_workflow_state_count(wf); s++) {
      int64_t k = cpw_caseload_count(cl, cpw_workflow_name(wf), cpw_workflow_state(wf, s));
      size_t scan = 0;
      CHECK(k >= 0);
      for (i = 0; i < cpw_caseload_case_count(cl); i++) {
        const cpw_case *c = cpw_caseload_case_at(cl, i);
        if (cpw_case_workflow(c) == wf && (size_t)cpw_case_state_index(c) == s)
          scan++;
      }
      CHECK((size_t)k == scan);
      in_wf += (size_t)k;
    }
    for (i = 0; i < cpw_caseload_case_count(cl); i++)
      by_scan += cpw_case_workflow(cpw_caseload_case_at(cl, i)) == wf;
    CHECK(in_wf == by_scan);
    total += in_wf;
  }
  CHECK(total == cpw_caseload_case_count(cl));
  CHECK(cl->heap_len <= cl->pool_len && cl->heap_len <= cl->ncases);
}

static int cmp_dl(const void *a, const void *b)
{
  const cpw_deadline *x = a, *y = b;
  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return strcmp(x->case_id, y->case_id);
}

/* overdue and due-before against a scan of every case's deadlines */
static void check_queries(const cpw_caseload *cl, cpw_time at, size_t max)
{
  static cpw_deadline all[64 * CPW__WF_MAX_PENDING], got[64 * CPW__WF_MAX_PENDING];
  size_t n = 0, i, strict = 0, incl = 0, k;
  for (i = 0; i < cpw_caseload_case_count(cl); i++)
    n += cpw_case_deadlines(cpw_caseload_case_at(cl, i), all + n, CPW__WF_MAX_PENDING);
  {
    size_t with = 0;
    for (i = 0; i < cpw_caseload_case_count(cl); i++)
      with += cpw_caseload_case_at(cl, i)->dl_first != CPW__NO_DL;
    CHECK(with == cl->heap_len);
  }
  qsort(all, n, sizeof *all, cmp_dl);
  for (i = 0; i < n; i++) {
    strict += all[i].due < at;
    incl += all[i].due <= at;
  }
  if (max > n)
    max = n;
  k = cpw_caseload_overdue(cl, at, got, max);
  CHECK(k == strict);
  for (i = 0; i < max && i < k; i++) {
    CHECK(got[i].due == all[i].due);
    CHECK(strcmp(got[i].case_id, all[i].case_id) == 0);
  }
  k = cpw_caseload_due_before(cl, at, got, max);
  CHECK(k == incl);
  for (i = 0; i < max && i < k; i++) {
    CHECK(got[i].due == all[i].due);
    CHECK(strcmp(got[i].case_id, all[i].case_id) == 0);
  }
  CHECK(cpw_caseload_overdue(cl, at, NULL, 5) == strict);
}

/* ------------------------------------------------------------------ the run */

#define MAX_CASES 8
#define MAX_OPS 256

typedef struct op {
  int kind;                    /* 0 open, 1 apply by name, 2 apply by index */
  int ci;                      /* case */
  const char *workflow;
  int event, role;             /* indexes (may be out of range) */
  const char *event_name, *role_name;
  cpw_time at;
  cpw_field_value fv[3];
  size_t nfv;
  int rc;
} op;

static const char *const case_ids[MAX_CASES] = { "c0", "c1", "c2", "c3", "c4", "c5", "c6",
                                                  "c7" };
static const int64_t deltas[] = { 0, 1, 59, 3600, 6 * 3600, 86400, 2 * 86400, 3 * 86400,
                                  7 * 86400, 30 * 86400, 92 * 86400, -1, -3600, 400 * 86400 };

static const char *value_for(bytes *b, int type)
{
  static const char *const bools[] = { "true", "false", "", "maybe", "yes", "no" };
  static const char *const ints[] = { "0", "1", "2", "-3", "7", "99999999999999999999", "x",
                                      "" };
  static const char *const enums[] = { "lo", "mid", "hi", "zzz", "" };
  static const char *const dates[] = { "2026-01-31", "2025-04-18", "2026-02-30", "", "x",
                                       "9999-12-31", "0001-01-01" };
  unsigned k = take(b);
  switch (type) {
  case CPW_TYPE_BOOL: return bools[k % CPW__ARRAY_LEN(bools)];
  case CPW_TYPE_INT: return ints[k % CPW__ARRAY_LEN(ints)];
  case CPW_TYPE_ENUM: return enums[k % CPW__ARRAY_LEN(enums)];
  case CPW_TYPE_DATE: return dates[k % CPW__ARRAY_LEN(dates)];
  default: return k & 1 ? "1" : "";
  }
}

/* the refusal the rules give, computed from the compiled tables */
static int expected_refusal(const cpw_case *c, int event, int role, cpw_time at)
{
  const cpw_workflow *wf = cpw_case_workflow(c);
  uint32_t cell, i;
  if (at < cpw_case_last_time(c))
    return CPW_REFUSED_TIME;
  if (cpw_workflow_state_is_final(wf, (size_t)cpw_case_state_index(c)))
    return CPW_REFUSED_FINAL;
  cell = (uint32_t)cpw_case_state_index(c) * wf->nevents + (uint32_t)event;
  if (wf->cand_start[cell] == wf->cand_start[cell + 1])
    return CPW_REFUSED_NO_TRANSITION;
  for (i = wf->cand_start[cell]; i < wf->cand_start[cell + 1]; i++)
    if ((wf->trans[wf->cand[i]].roles >> role) & 1)
      return CPW_REFUSED_GUARD;
  return CPW_REFUSED_ROLE;
}

/* the target state of an accepted event must be one a transition the role may fire gives */
static int possible_target(const cpw_workflow *wf, int from, int event, int role, int to)
{
  uint32_t cell = (uint32_t)from * wf->nevents + (uint32_t)event, i;
  for (i = wf->cand_start[cell]; i < wf->cand_start[cell + 1]; i++) {
    const cpw__wf_trans *t = &wf->trans[wf->cand[i]];
    if (((t->roles >> role) & 1) && (t->to == CPW__WF_NONE ? from : t->to) == to)
      return 1;
  }
  return 0;
}

static int do_op(cpw_caseload *cl, cpw_case **cases, op *o, int checks)
{
  cpw_ctx *ctx = cl->ctx;
  cpw_case *c;
  snap before, after;
  int rc, ev, ro;
  if (o->kind == 0) {
    size_t n = cpw_caseload_case_count(cl);
    rc = cpw_caseload_open(cl, &c, case_ids[o->ci], o->workflow, o->fv, o->nfv, o->at, "fz",
                           o->role_name);
    if (checks) {
      CHECK(rc == CPW_OK || rc == CPW_EINVALID || rc == CPW_ENOTFOUND || rc == CPW_EEXISTS);
      if (rc == CPW_OK) {
        CHECK(c != NULL && cpw_caseload_case_count(cl) == n + 1);
        CHECK(cpw_case_event_count(c) == 1 && cpw_case_last_time(c) == o->at);
        CHECK(cpw_case_state_index(c) == (int)cpw_case_workflow(c)->initial);
        check_case(cl, c);
      } else {
        CHECK(c == NULL && cpw_caseload_case_count(cl) == n);
        CHECK(cpw_ctx_last_error(ctx)->code == rc);
      }
    }
    if (rc == CPW_OK)
      cases[o->ci] = c;
    return rc;
  }
  c = cases[o->ci];
  take_snap(c, &before);
  if (o->kind == 1)
    rc = cpw_case_apply(c, o->event_name, "fz", o->role_name, o->at, o->fv, o->nfv);
  else
    rc = cpw_case_apply_index(c, o->event, "fz", o->role, o->at, o->fv, o->nfv);
  if (!checks)
    return rc;
  take_snap(c, &after);
  ev = o->kind == 1 ? cpw_workflow_event_index(cpw_case_workflow(c), o->event_name) : o->event;
  ro = o->kind == 1 ? cpw_workflow_role_index(cpw_case_workflow(c), o->role_name) : o->role;
  CHECK(rc == CPW_OK || rc == CPW_EDENIED || rc == CPW_ENOTFOUND || rc == CPW_EINVALID);
  if (rc != CPW_OK) {
    CHECK(same_snap(&before, &after));
    CHECK(cpw_ctx_last_error(ctx)->code == rc);
  }
  if (rc == CPW_EDENIED) {
    int why = cpw_case_refusal(c);
    CHECK(why == expected_refusal(c, ev, ro, o->at));
    CHECK(strcmp(cpw_refusal_name(why), "unknown") != 0 && why != CPW_ACCEPTED);
    CHECK(cpw_case_explain(c)[0] != '\0');
    CHECK(cpw_case_explain(c) == cpw_case_explain(c));
  } else if (rc == CPW_OK) {
    CHECK(after.nevents == before.nevents + 1);
    CHECK(after.last == o->at);
    CHECK(cpw_case_refusal(c) == CPW_ACCEPTED);
    CHECK(cpw_case_explain(c)[0] == '\0');
    CHECK(!cpw_workflow_state_is_final(cpw_case_workflow(c), (size_t)before.state));
    CHECK(possible_target(cpw_case_workflow(c), before.state, ev, ro, after.state));
    CHECK(after.state == before.state ? after.since == before.since : after.since == o->at);
  } else if (rc == CPW_ENOTFOUND) {
    CHECK(ev < 0 || ro < 0 || (size_t)ev >= cpw_workflow_event_count(cpw_case_workflow(c)) ||
          (size_t)ro >= cpw_workflow_role_count(cpw_case_workflow(c)) || o->nfv > 0);
  }
  check_case(cl, c);
  return rc;
}

/* The events left out for a role are refused (with no carried values, at the last time). */
static void check_allowed(cpw_caseload *cl, cpw_case *c, int role)
{
  const cpw_workflow *wf = cpw_case_workflow(c);
  const char *names[CPW__WF_MAX_EVENTS];
  size_t n = cpw_case_allowed_events(c, cpw_workflow_role(wf, (size_t)role), names,
                                     CPW__WF_MAX_EVENTS), e, k;
  CHECK(n <= wf->nevents);
  if (cpw_workflow_state_is_final(wf, (size_t)cpw_case_state_index(c)))
    CHECK(n == 0);
  for (e = 0; e < wf->nevents; e++) {
    int listed = 0;
    for (k = 0; k < n; k++)
      listed |= strcmp(names[k], wf->events[e]) == 0;
    if (!listed) {
      snap before, after;
      int rc;
      take_snap(c, &before);
      rc = cpw_case_apply_index(c, (int)e, "fz", role, cpw_case_last_time(c), NULL, 0);
      take_snap(c, &after);
      CHECK(rc == CPW_EDENIED);
      CHECK(same_snap(&before, &after));
    }
  }
  (void)cl;
}

static void run_cases(cpw_ctx *ctx, const cpw_policy *pol, bytes *b)
{
  static op ops[MAX_OPS];
  cpw_caseload *cl = NULL, *cl2 = NULL;
  cpw_case *cases[MAX_CASES] = { 0 }, *cases2[MAX_CASES] = { 0 };
  size_t nops = 0, nw = cpw_policy_workflow_count(pol), i;
  cpw_time now = 1767225600 + (int64_t)take(b) * 7 * 86400 + (int64_t)take(b) * 3600;
  int ncases = 1 + (int)take_below(b, MAX_CASES), opened = 0;
  if (nw == 0)
    return;
  CHECK(cpw_caseload_new(&cl, ctx, pol) == CPW_OK);
  /* open the cases */
  while (opened < ncases && nops < MAX_OPS) {
    op *o = &ops[nops++];
    const cpw_workflow *wf = cpw_policy_workflow_at(pol, take_below(b, (unsigned)nw));
    unsigned k = take(b);
    memset(o, 0, sizeof *o);
    o->kind = 0;
    o->ci = opened;
    o->workflow = (k & 0x80) ? "no_such_workflow" : cpw_workflow_name(wf);
    o->role_name = (k & 0x40) ? "no_such_role"
                              : cpw_workflow_role(wf, take_below(b, (unsigned)wf->nroles));
    if (o->role_name == NULL)
      o->role_name = "x";
    o->at = now;
    if ((k & 3) == 1 && wf->nfields > 0) {
      unsigned f = take_below(b, wf->nfields + 1);
      o->fv[0].field = f < wf->nfields ? wf->fields[f].name : "no_such_field";
      o->fv[0].value = value_for(b, f < wf->nfields ? wf->fields[f].type : 0);
      o->nfv = 1;
    }
    o->rc = do_op(cl, cases, o, 1);
    if (o->rc == CPW_OK)
      opened++;
    else if (o->rc == CPW_EINVALID)
      nops--;   /* a bad value: try again with other bytes */
    if (b->n == 0)
      break;
  }
  check_counts(cl);
  /* events */
  while (opened > 0 && b->n > 0 && nops < MAX_OPS) {
    op *o = &ops[nops++];
    unsigned k = take(b), t = take(b);
    cpw_case *c;
    const cpw_workflow *wf;
    memset(o, 0, sizeof *o);
    o->ci = (int)take_below(b, (unsigned)opened);
    c = cases[o->ci];
    wf = cpw_case_workflow(c);
    o->kind = (k & 1) ? 2 : 1;
    o->event = (int)take_below(b, wf->nevents + 1) - ((k & 0x10) ? 1 : 0);
    o->role = (int)take_below(b, wf->nroles + 1) - ((k & 0x20) ? 1 : 0);
    o->event_name = o->event >= 0 && (uint32_t)o->event < wf->nevents ? wf->events[o->event]
                                                                       : "no_such_event";
    o->role_name = o->role >= 0 && (uint32_t)o->role < wf->nroles ? wf->roles[o->role]
                                                                 : "no_such_role";
    if (t < 224)
      now += deltas[t % CPW__ARRAY_LEN(deltas)];
    else
      now += (int64_t)take(b) * 3600 - 36000;
    if ((k & 0x06) != 0 && wf->nfields > 0) {
      size_t j, nf = (k >> 1) & 3;
      for (j = 0; j < nf; j++) {
        unsigned f = take_below(b, wf->nfields + 1);
        int carried = o->event >= 0 && (uint32_t)o->event < wf->nevents &&
                      f < wf->nfields && ((wf->carries[o->event] >> f) & 1);
        /* mostly fields the event carries */
        if (!carried && (k & 0x40) == 0 && o->event >= 0 && (uint32_t)o->event < wf->nevents) {
          uint32_t g;
          for (g = 0; g < wf->nfields; g++)
            if ((wf->carries[o->event] >> ((f + g) % wf->nfields)) & 1) {
              f = (f + g) % wf->nfields;
              break;
            }
        }
        o->fv[j].field = f < wf->nfields ? wf->fields[f].name : "no_such_field";
        o->fv[j].value = value_for(b, f < wf->nfields ? wf->fields[f].type : 0);
        o->nfv++;
      }
    }
    if (now < cpw_case_last_time(c) && (k & 0x80) == 0)
      now = cpw_case_last_time(c);   /* mostly in order; sometimes late on purpose */
    o->at = now;
    o->rc = do_op(cl, cases, o, 1);
    if ((k & 0x0c) == 0x0c)
      check_allowed(cl, c, (int)take_below(b, wf->nroles));
    if ((t & 7) == 0) {
      check_counts(cl);
      check_queries(cl, now + (int64_t)take(b) * 86400 - 40 * 86400, take_below(b, 12));
    }
  }
  check_counts(cl);
  for (i = 0; i < (size_t)opened; i++)
    check_case(cl, cases[i]);
  /* a deadline's own due time is the boundary of strict and inclusive */
  if (cl->heap_len > 0) {
    const cpw__dl *b = &cl->pool[cpw_caseload_case_at(cl, cl->heap[0])->dl_first];
    cpw_time due = b[cpw__dl_first_due(b)].due;
    check_queries(cl, due, 64);
    check_queries(cl, due + 1, 3);
  }
  /* replay into a new caseload: the same cases */
  CHECK(cpw_caseload_new(&cl2, ctx, pol) == CPW_OK);
  for (i = 0; i < nops; i++) {
    int rc;
    if (ops[i].kind != 0 && cases2[ops[i].ci] == NULL)
      continue;
    rc = do_op(cl2, cases2, &ops[i], 0);
    CHECK(rc == ops[i].rc);
    if (rc == CPW_EDENIED)
      CHECK(cpw_case_refusal(cases2[ops[i].ci]) != CPW_ACCEPTED);
  }
  CHECK(cpw_caseload_case_count(cl2) == cpw_caseload_case_count(cl));
  for (i = 0; i < (size_t)opened; i++) {
    snap a, b2;
    check_case(cl2, cases2[i]);
    take_snap(cases[i], &a);
    take_snap(cases2[i], &b2);
    CHECK(strcmp(cpw_case_id(cases[i]), cpw_case_id(cases2[i])) == 0);
    CHECK(a.state == b2.state && a.since == b2.since && a.last == b2.last);
    CHECK(a.nevents == b2.nevents && a.known == b2.known && a.ndl == b2.ndl);
    CHECK(memcmp(a.vals, b2.vals, sizeof a.vals) == 0);
    {
      size_t d;
      for (d = 0; d < a.ndl; d++)
        CHECK(a.dl[d].due == b2.dl[d].due && a.dl[d].started == b2.dl[d].started &&
              strcmp(a.dl[d].event, b2.dl[d].event) == 0);
    }
  }
  cpw_caseload_free(cl2);
  cpw_caseload_free(cl);
}

static void check_diagram(cpw_ctx *ctx, const cpw_workflow *wf)
{
  char *out = NULL;
  size_t len = 0;
  CHECK(cpw_workflow_diagram(wf, ctx, CPW_DIAGRAM_MERMAID, &out, &len) == CPW_OK);
  CHECK(out != NULL && strlen(out) == len && strstr(out, "stateDiagram-v2\n") != NULL);
  cpw_free(ctx, out);
  CHECK(cpw_workflow_diagram(wf, ctx, CPW_DIAGRAM_DOT, &out, &len) == CPW_OK);
  CHECK(out != NULL && strlen(out) == len && strncmp(out, "digraph", 7) == 0);
  CHECK(len >= 2 && strcmp(out + len - 2, "}\n") == 0);
  cpw_free(ctx, out);
}

static void compile_and_run(cpw_ctx *ctx, const char *src, size_t len, bytes *b)
{
  cpw_policy *pol = NULL;
  cpw_diagnostics *diags = NULL;
  cpw_policy_source s;
  size_t i;
  int rc;
  s.name = "fuzz.cpw";
  s.text = src;
  s.len = len;
  rc = cpw_policy_compile(&pol, ctx, &s, 1, &diags);
  if (getenv("FUZZ_WORKFLOW_DEBUG") != NULL)
    fprintf(stderr, "---- %.*s---- %d %s\n", (int)len, src, rc, cpw_ctx_last_error(ctx)->message);
  CHECK(rc == CPW_OK || rc == CPW_EPOLICY || rc == CPW_ELIMIT);
  for (i = 0; i < cpw_diagnostics_count(diags); i++) {
    const cpw_diagnostic *d = cpw_diagnostics_get(diags, i);
    CHECK(d->message != NULL && d->message[0] != '\0');
    CHECK(d->line >= 1 && d->column >= 1);
    CHECK(strcmp(d->file, "fuzz.cpw") == 0);
  }
  if (rc == CPW_EPOLICY) {
    const cpw_error *e = cpw_ctx_last_error(ctx);
    CHECK(e->code == CPW_EPOLICY && cpw_diagnostics_count(diags) > 0);
    CHECK(e->line >= 1 && e->column >= 1);
  }
  cpw_diagnostics_free(diags);
  if (rc == CPW_OK) {
    for (i = 0; i < cpw_policy_workflow_count(pol); i++)
      check_diagram(ctx, cpw_policy_workflow_at(pol, i));
    run_cases(ctx, pol, b);
  }
  cpw_policy_free(pol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static cpw_ctx *ctx;
  static cpw_policy *georgia;
  bytes b;
  if (ctx == NULL) {
    CHECK(cpw_ctx_new(&ctx, NULL) == CPW_OK);
    CHECK(cpw_policy_default(&georgia, ctx) == CPW_OK);
  }
  if (size == 0)
    return 0;
  b.p = data + 1;
  b.n = size - 1;
  switch (data[0] % 3) {
  case 0:
    run_cases(ctx, georgia, &b);
    break;
  case 1: {
    static text t;
    t.len = 0;
    t.s[0] = '\0';
    gen_workflow(&b, &t);
    compile_and_run(ctx, t.s, t.len, &b);
    break;
  }
  default: {
    static text t;
    size_t n = 0;
    t.len = 0;
    add(&t, "calendar cal { weekend saturday, sunday }\nworkflow w {\n");
    while (n < b.n && b.p[n] != 0 && n < 4000)
      n++;
    if (t.len + n + 4 < sizeof t.s) {
      memcpy(t.s + t.len, b.p, n);
      t.len += n;
    }
    add(&t, "\n}\n");
    b.p += n;
    b.n -= n;
    if (b.n > 0) {
      b.p++;
      b.n--;
    }
    compile_and_run(ctx, t.s, t.len, &b);
    break;
  }
  }
  return 0;
}
