/* SPDX-License-Identifier: Apache-2.0 */
/* workflow/case.c: caseloads and cases: opening, applying events atomically, deadlines in a
 * priority queue, queries. */
#include "workflow/case.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/utf8.h"
#include "policy/labels.h"
#include "policy/basis.h"
#include "policy/units.h"
#include "policy/value.h"

/* a case is one cache line on 64-bit machines (the caseload benchmark holds a million) */
_Static_assert(sizeof(void *) != 8 || sizeof(struct cpw_case) <= 64, "struct cpw_case grew");

/* ------------------------------------------------------------------ caseload */

int cpw_caseload_new(cpw_caseload **out, cpw_ctx *ctx, const cpw_policy *policy)
{
  cpw_caseload *cl;
  uint32_t i;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (out == NULL || policy == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_caseload_new: NULL argument");
  cl = cpw__calloc(ctx, 1, sizeof *cl);
  if (cl == NULL)
    return CPW_ENOMEM;
  cl->ctx = ctx;
  cl->policy = policy;
  for (i = 0; i <= CPW__WF_MAX_PENDING; i++)
    cl->dl_free[i] = CPW__NO_DL;
  cpw__arena_init(&cl->arena, ctx);
  cpw__arena_init(&cl->ids, ctx);
  cpw__explainer_init(&cl->ex, ctx);
  cpw__buf_init(&cl->msg, ctx);
  cl->chunk_extra = sizeof(uint32_t); /* the cases' id hashes, beside each chunk */
  cl->counts = cpw__calloc(ctx, policy->nworkflows + 1, sizeof *cl->counts);
  if (cl->counts == NULL)
    goto oom;
  for (i = 0; i < policy->nworkflows; i++) {
    cl->counts[i] = cpw__calloc(ctx, policy->workflows[i]->nstates + 1, sizeof **cl->counts);
    if (cl->counts[i] == NULL)
      goto oom;
    if (policy->workflows[i]->ndeadlines > 0)
      cl->chunk_extra = 2 * sizeof(uint32_t); /* and the positions in the deadline queue */
  }
  if (cpw__vm_init(&cl->vm, ctx, policy->max_regs, 1) != CPW_OK)
    goto oom;
  cl->trace_cap = (size_t)policy->max_nodes + 1;
  cl->trace = cpw__calloc(ctx, cl->trace_cap, sizeof *cl->trace);
  if (cl->trace == NULL)
    goto oom;
  /* room for a refusal's explanation (built when asked for; in the policy's names it is the
   * context's bounded message), so that one is never lost for want of memory */
  if (cpw__buf_reserve(&cl->msg, CPW__ERRMSG_SIZE) != CPW_OK)
    goto oom;
  cpw__buf_clear(&cl->msg);
  cl->vm.policy = policy;
  cl->vm.tz_minutes = policy->tz_minutes;
  *out = cl;
  return CPW_OK;
oom:
  cpw_caseload_free(cl);
  return CPW_ENOMEM;
}

void cpw_caseload_free(cpw_caseload *cl)
{
  size_t i;
  if (cl == NULL)
    return;
  for (i = 0; i < cl->nchunks; i++)
    cpw__free(cl->ctx, cl->chunks[i], CPW__CASE_CHUNK * (sizeof **cl->chunks + cl->chunk_extra));
  cpw__free(cl->ctx, cl->chunks, cl->chunks_cap * sizeof *cl->chunks);
  cpw__free(cl->ctx, cl->index, cl->index_cap * sizeof *cl->index);
  cpw__free(cl->ctx, cl->pool, cl->pool_cap * sizeof *cl->pool);
  cpw__free(cl->ctx, cl->heap, cl->heap_cap * sizeof *cl->heap);
  if (cl->counts != NULL) {
    for (i = 0; i < cl->policy->nworkflows; i++)
      if (cl->counts[i] != NULL)
        cpw__free(cl->ctx, cl->counts[i],
                  (cl->policy->workflows[i]->nstates + 1) * sizeof **cl->counts);
    cpw__free(cl->ctx, cl->counts, (cl->policy->nworkflows + 1) * sizeof *cl->counts);
  }
  cpw__vm_free(&cl->vm);
  cpw__free(cl->ctx, cl->trace, cl->trace_cap * sizeof *cl->trace);
  cpw__explainer_free(&cl->ex);
  cpw__buf_free(&cl->msg);
  cpw__arena_free(&cl->arena);
  cpw__arena_free(&cl->ids);
  cpw__free(cl->ctx, cl, sizeof *cl);
}

const cpw_policy *cpw_caseload_policy(const cpw_caseload *cl)
{
  return cl != NULL ? cl->policy : NULL;
}

static cpw_case *case_at(const cpw_caseload *cl, size_t i)
{
  return &cl->chunks[i / CPW__CASE_CHUNK][i % CPW__CASE_CHUNK];
}

size_t cpw_caseload_case_count(const cpw_caseload *cl)
{
  return cl != NULL ? cl->ncases : 0;
}

cpw_case *cpw_caseload_case_at(const cpw_caseload *cl, size_t i)
{
  return cl != NULL && i < cl->ncases ? case_at(cl, i) : NULL;
}

/* the case index: open addressing (linear probing) over case indexes (+1), keyed by the case's
 * id. Any capacity: an id's first slot is its hash scaled to it, and the index grows by half
 * when 3/4 full (so it stays 1/2 to 3/4 full: 5.3 to 8 bytes a case, where doubling a power
 * of two gave 5.3 to 10.7). */
static size_t home_slot(uint32_t h, size_t cap)
{
  return (size_t)(((uint64_t)h * cap) >> 32);
}

/* Beside each chunk of cases, after its CPW__CASE_CHUNK cases: their ids' hashes (the index
 * compares and rehashes by them), then, when the policy has deadlines, their positions in the
 * deadline queue. */
static uint32_t *case_hash(const cpw_caseload *cl, uint32_t i)
{
  return (uint32_t *)(cl->chunks[i / CPW__CASE_CHUNK] + CPW__CASE_CHUNK) + i % CPW__CASE_CHUNK;
}

static uint32_t *case_hpos(const cpw_caseload *cl, uint32_t i)
{
  return (uint32_t *)(cl->chunks[i / CPW__CASE_CHUNK] + CPW__CASE_CHUNK) + CPW__CASE_CHUNK +
         i % CPW__CASE_CHUNK;
}

CPW__ALWAYS_INLINE size_t find_slot(const cpw_caseload *cl, const char *id, size_t len,
                                     uint32_t h)
{
  size_t cap = cl->index_cap, i = home_slot(h, cap);
  for (;;) {
    uint32_t v = cl->index[i];
    if (v == 0)
      return i;
    if (*case_hash(cl, v - 1) == h) {
      const char *other = case_at(cl, v - 1)->id;
      if (strncmp(other, id, len) == 0 && other[len] == '\0')
        return i;
    }
    i = i + 1 < cap ? i + 1 : 0;
  }
}

/* Room in the index for n cases (at most 3/4 full) */
CPW__ALWAYS_INLINE int index_room(const cpw_caseload *cl, size_t n)
{
  return n * 4 + 4 <= cl->index_cap * 3;
}

/* Grow the index to room for n cases: the cases are put in a new array by the hashes kept
 * beside their chunks, a chunk at a time. */
static int index_grow(cpw_caseload *cl, size_t n)
{
  size_t cap = cl->index_cap != 0 ? cl->index_cap : 1024, base;
  uint32_t *ni;
  while (cap * 3 < n * 4 + 4)
    cap += cap / 2;
  if (cap > UINT32_MAX)
    return cpw__set_error(cl->ctx, CPW_ELIMIT, "too many cases");
  ni = cpw__calloc(cl->ctx, cap, sizeof *ni);
  if (ni == NULL)
    return CPW_ENOMEM;
  for (base = 0; base < cl->ncases; base += CPW__CASE_CHUNK) {
    const uint32_t *h = case_hash(cl, (uint32_t)base);
    uint32_t j, m = (uint32_t)(cl->ncases - base < CPW__CASE_CHUNK ? cl->ncases - base
                                                                   : CPW__CASE_CHUNK);
    for (j = 0; j < m; j++) {
      size_t k = home_slot(h[j], cap);
      while (ni[k] != 0)
        k = k + 1 < cap ? k + 1 : 0;
      ni[k] = (uint32_t)base + j + 1;
    }
  }
  cpw__free(cl->ctx, cl->index, cl->index_cap * sizeof *cl->index);
  cl->index = ni;
  cl->index_cap = cap;
  return CPW_OK;
}

cpw_case *cpw_caseload_find(const cpw_caseload *cl, const char *id)
{
  size_t len, slot;
  if (cl == NULL || id == NULL || cl->ncases == 0)
    return NULL;
  len = strlen(id);
  slot = find_slot(cl, id, len, cpw__hash(id, len));
  return cl->index[slot] != 0 ? case_at(cl, cl->index[slot] - 1) : NULL;
}

int64_t cpw_caseload_count(const cpw_caseload *cl, const char *workflow, const char *state)
{
  const cpw_workflow *wf;
  int s;
  if (cl == NULL || workflow == NULL || state == NULL)
    return CPW_EINVALID;
  wf = cpw_policy_workflow(cl->policy, workflow);
  if (wf == NULL)
    return CPW_ENOTFOUND;
  s = cpw_workflow_state_index(wf, state);
  if (s < 0)
    return CPW_ENOTFOUND;
  return cl->counts[wf->index][s];
}

size_t cpw_caseload_memory(const cpw_caseload *cl)
{
  if (cl == NULL)
    return 0;
  return sizeof *cl + cl->arena.total + cl->ids.total +
         cl->nchunks * CPW__CASE_CHUNK * (sizeof **cl->chunks + cl->chunk_extra) +
         cl->chunks_cap * sizeof *cl->chunks + cl->index_cap * sizeof *cl->index +
         cl->pool_cap * sizeof *cl->pool + cl->heap_cap * sizeof *cl->heap;
}

/* ------------------------------------------------------------------ the deadline queue */

/* A case's pending deadlines are one block of the pool (case.h); the queue is a binary min-heap
 * of the cases that have some, on (the case's earliest due, case index), each case's position
 * kept beside its chunk. 16 bytes a deadline and 8 a case, where a heap of deadlines needed 36
 * a deadline. */
_Static_assert(CPW__WF_MAX_PENDING <= 15, "a block's size is kept in 4 bits");
_Static_assert((int64_t)100000 * 7 * 86400 <= CPW__DL_DELTA_MAX &&
                 ((int64_t)CPW_DATE_MAX - CPW_DATE_MIN + 2) * 86400 <= CPW__DL_DELTA_MAX,
               "the parser's longest deadline fits in a record");

static int64_t case_key(const cpw_caseload *cl, uint32_t i)
{
  const cpw__dl *b = &cl->pool[case_at(cl, i)->dl_first];
  return b[cpw__dl_first_due(b)].due;
}

static void heap_set(cpw_caseload *cl, size_t pos, uint32_t i)
{
  cl->heap[pos] = i;
  *case_hpos(cl, i) = (uint32_t)pos;
}

static void heap_up(cpw_caseload *cl, size_t pos)
{
  uint32_t i = cl->heap[pos];
  int64_t key = case_key(cl, i);
  while (pos > 0) {
    size_t parent = (pos - 1) / 2;
    uint32_t p = cl->heap[parent];
    int64_t pk = case_key(cl, p);
    if (!(key < pk || (key == pk && i < p)))
      break;
    heap_set(cl, pos, p);
    pos = parent;
  }
  heap_set(cl, pos, i);
}

static void heap_down(cpw_caseload *cl, size_t pos)
{
  uint32_t i = cl->heap[pos];
  int64_t key = case_key(cl, i);
  for (;;) {
    size_t l = 2 * pos + 1, r = l + 1, m = pos;
    uint32_t best = i;
    int64_t bk = key;
    if (l < cl->heap_len) {
      uint32_t x = cl->heap[l];
      int64_t xk = case_key(cl, x);
      if (xk < bk || (xk == bk && x < best)) {
        m = l;
        best = x;
        bk = xk;
      }
    }
    if (r < cl->heap_len) {
      uint32_t x = cl->heap[r];
      int64_t xk = case_key(cl, x);
      if (xk < bk || (xk == bk && x < best)) {
        m = r;
        best = x;
      }
    }
    if (m == pos)
      break;
    heap_set(cl, pos, best);
    pos = m;
  }
  heap_set(cl, pos, i);
}

static void heap_remove(cpw_caseload *cl, uint32_t i)
{
  size_t pos = *case_hpos(cl, i);
  uint32_t last = cl->heap[--cl->heap_len];
  if (pos == cl->heap_len)
    return;
  heap_set(cl, pos, last);
  heap_down(cl, pos);
  heap_up(cl, *case_hpos(cl, last));
}

/* Can a block of n records be taken once the case's block of `old` records (0: none) is
 * freed? The same choices, in the same order, as block_take. */
static int block_ready(const cpw_caseload *cl, uint32_t old, uint32_t n)
{
  uint32_t m;
  if (old == n || cl->dl_free[n] != CPW__NO_DL || cl->pool_cap - cl->pool_len >= n)
    return 1;
  for (m = n + 1; m <= CPW__WF_MAX_PENDING; m++)
    if (old == m || cl->dl_free[m] != CPW__NO_DL)
      return 1;
  return 0;
}

static void block_put(cpw_caseload *cl, uint32_t b, uint32_t n)
{
  cl->pool[b].due = cl->dl_free[n];
  cl->dl_free[n] = b;
}

/* a block of n records (block_ready said there is one): a free one of that size, new room at
 * the end, or the front of a larger free one (its rest stays free) */
static uint32_t block_take(cpw_caseload *cl, uint32_t n)
{
  uint32_t b, m;
  if (cl->dl_free[n] != CPW__NO_DL) {
    b = cl->dl_free[n];
    cl->dl_free[n] = (uint32_t)cl->pool[b].due;
    return b;
  }
  if (cl->pool_cap - cl->pool_len >= n) {
    b = (uint32_t)cl->pool_len;
    cl->pool_len += n;
    return b;
  }
  for (m = n + 1;; m++)
    if (cl->dl_free[m] != CPW__NO_DL) {
      b = cl->dl_free[m];
      cl->dl_free[m] = (uint32_t)cl->pool[b].due;
      block_put(cl, b + n, m - n);
      return b;
    }
}

/* room for the case's pending deadlines to become n (so that commits never allocate); `old`:
 * how many it has now */
static int dl_reserve(cpw_caseload *cl, uint32_t old, uint32_t n)
{
  if (n == 0)
    return CPW_OK;
  if (!block_ready(cl, old, n)) {
    if (cl->pool_len + n >= UINT32_MAX) /* CPW__NO_DL is no block */
      return cpw__set_error(cl->ctx, CPW_ELIMIT, "too many pending deadlines");
    if (cpw__grow(cl->ctx, (void **)&cl->pool, &cl->pool_cap, cl->pool_len + n,
                  sizeof *cl->pool) != CPW_OK)
      return CPW_ENOMEM;
  }
  if (old == 0 && cpw__grow(cl->ctx, (void **)&cl->heap, &cl->heap_cap, cl->heap_len + 1,
                            sizeof *cl->heap) != CPW_OK)
    return CPW_ENOMEM;
  return CPW_OK;
}

static uint32_t dl_count(const cpw_caseload *cl, const cpw_case *c)
{
  return c->dl_first != CPW__NO_DL ? cpw__dl_count(&cl->pool[c->dl_first]) : 0;
}

/* Install the staged deadlines as the case's block (dl_reserve made room). */
static void dl_install(cpw_caseload *cl, cpw_case *c, const cpw__staged *st)
{
  uint32_t old = c->dl_first, b, i, first = 0;
  cpw__dl *d;
  if (old != CPW__NO_DL)
    block_put(cl, old, cpw__dl_count(&cl->pool[old]));
  if (st->ndl == 0) {
    c->dl_first = CPW__NO_DL;
    if (old != CPW__NO_DL)
      heap_remove(cl, c->index);
    return;
  }
  b = block_take(cl, st->ndl);
  d = &cl->pool[b];
  for (i = 0; i < st->ndl; i++) {
    if (st->dl_due[i] < st->dl_due[first])
      first = i;
    d[i].due = st->dl_due[i];
    d[i].w = (uint64_t)(st->dl_due[i] - st->dl_started[i]) | (uint64_t)st->dl_def[i] << 40;
  }
  d->w |= (uint64_t)st->ndl << 56 | (uint64_t)first << 60;
  c->dl_first = b;
  if (old == CPW__NO_DL) {
    cl->heap[cl->heap_len] = c->index;
    heap_up(cl, cl->heap_len++);
  } else {
    size_t pos = *case_hpos(cl, c->index);
    heap_up(cl, pos);
    heap_down(cl, *case_hpos(cl, c->index));
  }
}

/* A deadline's due time, `amount` units after `at`; its distance from `at` must fit a record
 * (case.h: it always does for a checked policy). */
static int dl_due(cpw_caseload *cl, const cpw_workflow *wf, const cpw__wf_deadline *def,
                  int64_t at, int64_t *due)
{
  if (cpw__time_add_unit(wf->calendar, cl->policy->tz_minutes, at, def->unit, def->amount, due) !=
      0)
    return cpw__set_error(cl->ctx, CPW_EINVALID,
                          "the deadline at line %d falls outside the supported dates", def->line);
  if (*due < at || *due - at > CPW__DL_DELTA_MAX)
    return cpw__set_error(cl->ctx, CPW_ELIMIT,
                          "the deadline at line %d does not fall within 34,000 years after it "
                          "starts",
                          def->line);
  return CPW_OK;
}

/* ------------------------------------------------------------------ evaluation */

static void prepare_vm(cpw_caseload *cl, const cpw_workflow *wf, int64_t *vals, uint64_t known,
                       int64_t at)
{
  /* the columns and their known bits, unless they are already these (most events stage into
   * the same values with the same fields known) */
  if (cl->prep_vals != vals || cl->prep_wf != wf) {
    uint32_t f;
    for (f = 0; f < wf->nfields; f++) {
      cl->cols[f] = &vals[f];
      cl->colknown[f] = (known >> f) & 1;
    }
    cl->prep_vals = vals;
    cl->prep_known = known;
    cl->prep_wf = wf;
  } else if (cl->prep_known != known) { /* only the known bits that changed */
    uint64_t diff = cl->prep_known ^ known;
    uint32_t f;
    for (f = 0; diff != 0; f++, diff >>= 1)
      if (diff & 1)
        cl->colknown[f] = (known >> f) & 1;
    cl->prep_known = known;
  }
  cl->vm.calendar = wf->calendar;
  /* the local date of `at`, unless `at` is in the day of the last one */
  if (!(at >= cl->day_from && at < cl->day_to)) {
    const int64_t off = (int64_t)cl->policy->tz_minutes * 60;
    cl->day = cpw_time_to_date(at, cl->policy->tz_minutes);
    if (cl->day > INT32_MIN && cl->day < INT32_MAX) { /* not clamped: its seconds are exact */
      cl->day_from = (int64_t)cl->day * 86400 - off;
      cl->day_to = cl->day_from + 86400;
    } else {
      cl->day_from = 1;
      cl->day_to = 0;
    }
  }
  cl->vm.as_of = cl->day;
}

/* CPW__TRUE, CPW__FALSE, CPW__UNKNOWN or CPW__EVAL_ERROR (the one formula runner, vm.h) */
static int run_guard(cpw_caseload *cl, const cpw__code *code, int traced)
{
  cpw__vm_in in;
  in.col = cl->cols;
  in.known = cl->colknown;
  return cpw__formula(&cl->vm, code, &in, traced ? cl->trace : NULL, &cl->gen);
}

/* A refusal: the reason goes on the case, a one-line message into the context, and what the
 * explanation needs is kept: cpw_case_explain builds it when asked (refusals are common). Out
 * of line: inline, its set-up was hoisted onto the path of every event. */
static int refuse_message(cpw_caseload *cl, cpw_case *c, int reason);

static CPW__NOINLINE int refuse(cpw_caseload *cl, cpw_case *c, int event, int role, int64_t at,
                                 int reason)
{
  int rc;
  cl->refused_event = (uint16_t)event;
  cl->refused_role = (uint16_t)role;
  cl->refused_time = at;
  cl->refused_last = c->last_time;
  rc = refuse_message(cl, c, reason);
  c->refusal = (uint8_t)reason;
  cl->msg_case = c;
  cl->msg_built = 0;
  return rc;
}

/* (of the refusal in cl->refused_*; every piece is valid UTF-8: names in a policy are ASCII,
 * a case id is checked UTF-8, times are ASCII) */
static int refuse_message(cpw_caseload *cl, cpw_case *c, int reason)
{
  const cpw_workflow *wf = cl->policy->workflows[c->workflow];
  const char *event = wf->events[cl->refused_event], *state = wf->states[c->state];
  switch (reason) {
  case CPW_REFUSED_NO_TRANSITION:
    return cpw__set_error_cat_utf8(cl->ctx, CPW_EDENIED, "no transition from ", state, " on ",
                                   event, (const char *)NULL);
  case CPW_REFUSED_ROLE:
    return cpw__set_error_cat_utf8(cl->ctx, CPW_EDENIED, "role ", wf->roles[cl->refused_role],
                                   " may not ", event, " in state ", state, (const char *)NULL);
  case CPW_REFUSED_FINAL:
    return cpw__set_error_cat_utf8(cl->ctx, CPW_EDENIED, "case ", c->id, " is in final state ",
                                   state, ": no event applies", (const char *)NULL);
  case CPW_REFUSED_GUARD:
    return cpw__set_error_cat_utf8(cl->ctx, CPW_EDENIED, "the guard of ", event, " from ",
                                   state, " does not hold (cpw_case_explain says why)",
                                   (const char *)NULL);
  default: {
    char a[CPW_TIME_BUFSIZE], b[CPW_TIME_BUFSIZE];
    cpw_time_format(a, sizeof a, cl->refused_time, cl->policy->tz_minutes);
    cpw_time_format(b, sizeof b, cl->refused_last, cl->policy->tz_minutes);
    return cpw__set_error_cat_utf8(cl->ctx, CPW_EDENIED, "event ", event, " at ", a,
                                   " is earlier than the case's last event at ", b,
                                   (const char *)NULL);
  }
  }
}

/* a equals b (NUL-terminated; inline: field names are short, a call to strcmp costs more) */
CPW__ALWAYS_INLINE int name_is(const char *a, const char *b)
{
  size_t i;
  for (i = 0; a[i] == b[i]; i++)
    if (a[i] == '\0')
      return 1;
  return 0;
}

/* A workflow's field by name: a short scan for the usual few fields, the index otherwise. */
static int find_field(const cpw_workflow *wf, const char *name, uint32_t *f)
{
  uint32_t i;
  if (wf->nfields > 12)
    return cpw__map_get(&wf->field_index, name, strlen(name), f);
  for (i = 0; i < wf->nfields; i++)
    if (wf->fields[i].name[0] == name[0] && name_is(wf->fields[i].name, name)) {
      *f = i;
      return 1;
    }
  return 0;
}

/* The slot of cl->seen for text at address p (the high bits of a multiplicative hash) */
CPW__ALWAYS_INLINE size_t seen_slot(const char *p)
{
  return (size_t)(((uint64_t)(uintptr_t)p * UINT64_C(0x9E3779B97F4A7C15)) >> 61);
}
_Static_assert(CPW__SEEN_SLOTS == 8, "seen_slot gives 3 bits");

/* Enum e's member named v (NUL-terminated, not empty): the one found at this address before
 * when its name is still the text there (no strlen, no hash), else by cpw__enum_find, and
 * remembered. 1 with *m, or 0. */
CPW__ALWAYS_INLINE int find_member(cpw_caseload *cl, uint32_t e, const char *v, uint32_t *m)
{
  const cpw__enum *en = &cl->policy->enums[e];
  size_t k = seen_slot(v);
  if (cl->seen[k].text == (uintptr_t)v && cl->seen[k].enum_id == e &&
      name_is(en->members[cl->seen[k].member], v)) {
    *m = cl->seen[k].member;
    return 1;
  }
  if (!cpw__enum_find(en, v, strlen(v), m))
    return 0;
  cl->seen[k].text = (uintptr_t)v;
  cl->seen[k].enum_id = e;
  cl->seen[k].member = *m;
  return 1;
}

/* Stage the given field values into st (vals/known), checking each is carried when `carried`
 * is not all ones (by event `event`; -1: an opening, which carries every field). */
CPW__ALWAYS_INLINE int stage_values(cpw_caseload *cl, const cpw_workflow *wf, uint64_t carried,
                        int event, const cpw_field_value *fields, size_t n,
                        cpw__staged *st)
{
  size_t i;
  if (fields == NULL && n != 0)
    return cpw__set_error(cl->ctx, CPW_EINVALID, "field values are NULL");
  for (i = 0; i < n; i++) {
    uint32_t f;
    const char *name = fields[i].field, *v = fields[i].value;
    int rc;
    if (name == NULL)
      return cpw__set_error(cl->ctx, CPW_EINVALID, "field value %zu has no field name", i);
    if (!find_field(wf, name, &f))
      return cpw__set_error(cl->ctx, CPW_ENOTFOUND, "workflow '%s' has no field '%.64s'",
                            wf->name, name);
    if (!((carried >> f) & 1))
      return cpw__set_error(cl->ctx, CPW_EINVALID, "%s does not carry field '%s'",
                            event >= 0 ? wf->events[event] : "opening a case",
                            wf->fields[f].name);
    if (v == NULL || v[0] == '\0') {
      st->known &= ~(UINT64_C(1) << f);
      st->vals[f] = 0;
      st->changed |= UINT64_C(1) << f;
      continue;
    }
    {
      const cpw__field *fd = &wf->fields[f];
      uint32_t m;
      if (fd->type == T_ENUM && find_member(cl, fd->enum_id, v, &m)) {
        st->vals[f] = m; /* the usual carried value: a member's name, found inline */
      } else {
        rc = cpw__value_parse(cl->ctx, cl->policy, fd, v, strlen(v), &st->vals[f]);
        if (rc != CPW_OK)
          return rc;
      }
    }
    st->known |= UINT64_C(1) << f;
    st->changed |= UINT64_C(1) << f;
  }
  return CPW_OK;
}

/* The deadlines that start on entering state `s` at `at` (fields already in st). */
static int stage_deadlines(cpw_caseload *cl, const cpw_workflow *wf, uint16_t s, int64_t at,
                           cpw__staged *st)
{
  uint32_t i;
  int rc;
  st->ndl = 0;
  for (i = wf->dl_start[s]; i < wf->dl_start[s + 1]; i++) {
    const cpw__wf_deadline *def = &wf->deadlines[wf->dl[i]];
    int64_t due;
    if (def->when.code != NULL) {
      int v = run_guard(cl, &def->when, 0);
      if (v == 2)
        return cpw__set_error(cl->ctx, CPW_EINVALID,
                              "the condition of the deadline at line %d could not be evaluated",
                              def->line);
      if (v != 1)
        continue; /* false, or unknown: the clock does not start */
    }
    if ((rc = dl_due(cl, wf, def, at, &due)) != CPW_OK)
      return rc;
    st->dl_due[st->ndl] = due;
    st->dl_started[st->ndl] = at;
    st->dl_def[st->ndl] = wf->dl[i];
    st->ndl++;
  }
  return CPW_OK;
}

static int listed(const uint16_t *list, uint32_t n, uint16_t v)
{
  uint32_t i;
  for (i = 0; i < n; i++)
    if (list[i] == v)
      return 1;
  return 0;
}

/* The clocks that run across states, after `event` took the case to state `to` (fields in st,
 * the VM prepared on them): the pending ones it neither answers nor stops carry on, whatever
 * the state, until a final state; then the ones it starts begin (a clock already running is
 * not restarted). Appended to st; st->restart is set when they change. */
static int stage_across(cpw_caseload *cl, const cpw_case *c, const cpw_workflow *wf,
                        uint16_t event, uint16_t to, int64_t at, cpw__staged *st)
{
  int final = (wf->state_flags[to] & CPW__ST_FINAL) != 0;
  uint32_t d, k, first = st->ndl, n = dl_count(cl, c);
  int rc;
  const cpw__dl *pending = n > 0 ? &cl->pool[c->dl_first] : NULL;
  for (d = 0; d < n; d++) {
    const cpw__wf_deadline *def = &wf->deadlines[cpw__dl_def(&pending[d])];
    if (def->state != CPW__WF_NONE)
      continue;
    if (final || def->event == event || listed(def->stops, def->nstops, event)) {
      st->restart = 1; /* answered, stopped, or the case ended */
      continue;
    }
    st->dl_due[st->ndl] = pending[d].due;
    st->dl_started[st->ndl] = cpw__dl_started(&pending[d]);
    st->dl_def[st->ndl++] = cpw__dl_def(&pending[d]);
  }
  for (k = 0; k < wf->nacross && !final; k++) {
    uint16_t idx = wf->across[k];
    const cpw__wf_deadline *def = &wf->deadlines[idx];
    if (!listed(def->starts, def->nstarts, event) ||
        listed(st->dl_def + first, st->ndl - first, idx))
      continue;
    if (def->when.code != NULL) {
      int v = run_guard(cl, &def->when, 0);
      if (v == 2)
        return cpw__set_error(cl->ctx, CPW_EINVALID,
                              "the condition of the deadline at line %d could not be evaluated",
                              def->line);
      if (v != 1)
        continue;
    }
    if ((rc = dl_due(cl, wf, def, at, &st->dl_due[st->ndl])) != CPW_OK)
      return rc;
    st->dl_started[st->ndl] = at;
    st->dl_def[st->ndl++] = idx;
    st->restart = 1;
  }
  return CPW_OK;
}

/* The explanation of the last guard refusal, from the fields the guard saw. */
static void explain_guard(cpw_caseload *cl, const cpw_workflow *wf, cpw__buf *out,
                          const cpw__lang *lang)
{
  const cpw__wf_trans *t = &wf->trans[cl->refused_trans];
  int v, rc;
  prepare_vm(cl, wf, cl->refused_vals, cl->refused_known, cl->refused_at);
  v = run_guard(cl, &t->guard_traced, 1);
  cpw__explainer_reset(&cl->ex, cl->policy, cl->trace, cl->gen, NULL);
  cpw__explainer_lang(&cl->ex, lang);
  cpw__explainer_scope(&cl->ex, wf, 0);
  cpw__explain_node(&cl->ex, t->guard_ast);
  rc = cl->ex.oom ? CPW_ENOMEM : cpw__explain_finish(&cl->ex);
  if (rc == CPW_OK)
    rc = cpw__buf_adds(out, cl->ex.lang->msg[v < 0 ? MSG_GUARD_UNDETERMINED : MSG_GUARD_FAILED]);
  if (rc == CPW_OK)
    rc = cpw__buf_adds(out, ": ");
  if (rc == CPW_OK)
    rc = cpw__explain_render(&cl->ex, out);
  if (rc != CPW_OK) {
    /* out of memory: the short form (it fits in the room reserved for messages) */
    cpw__buf_clear(out);
    cpw__buf_adds(out, lang->msg[v < 0 ? MSG_GUARD_UNDETERMINED : MSG_GUARD_FAILED]);
  }
}

/* A name of workflow wf in a language: its label, or the name itself. */
static const char *wf_label(const cpw_workflow *wf, const cpw__lang *lang, const char *kind,
                            const char *name)
{
  char key[300];
  const char *l = NULL;
  int n;
  if (strcmp(kind, "role") == 0)
    l = cpw__label(wf->policy, lang, kind, name, strlen(name));
  else if ((n = snprintf(key, sizeof key, "%s.%s", wf->name, name)) > 0 && (size_t)n < sizeof key)
    l = cpw__label(wf->policy, lang, kind, key, (size_t)n);
  return l != NULL ? l : name;
}

/* A refusal other than a guard's, in a language (the default: the context's message). */
static void explain_refusal(cpw_caseload *cl, const cpw_case *c, const cpw_workflow *wf,
                            cpw__buf *out, const cpw__lang *lang)
{
  char text[1200], a[100], b[100];
  const char *args[3];
  const char *state = wf_label(wf, lang, "state", wf->states[c->state]);
  const char *event = wf_label(wf, lang, "event", wf->events[cl->refused_event]);
  int m;
  switch (c->refusal) {
  case CPW_REFUSED_NO_TRANSITION:
    m = MSG_REF_NO_TRANSITION;
    args[0] = state;
    args[1] = event;
    break;
  case CPW_REFUSED_ROLE:
    m = MSG_REF_ROLE;
    args[0] = wf_label(wf, lang, "role", wf->roles[cl->refused_role]);
    args[1] = event;
    args[2] = state;
    break;
  case CPW_REFUSED_FINAL:
    m = MSG_REF_FINAL;
    args[0] = c->id;
    args[1] = state;
    break;
  default:
    m = MSG_REF_TIME;
    cpw__lang_time(a, sizeof a, lang->style, cl->refused_time, cl->policy->tz_minutes);
    cpw__lang_time(b, sizeof b, lang->style, cl->refused_last, cl->policy->tz_minutes);
    args[0] = event;
    args[1] = a;
    args[2] = b;
    break;
  }
  cpw__lang_fill(text, sizeof text, lang->msg[m], args, 3);
  cpw__buf_clear(out);
  if (cpw__buf_adds(out, text) != CPW_OK) {
    cpw__buf_clear(out);
    cpw__buf_adds(out, lang->msg[MSG_REFUSED]);
  }
}

/* The case's values under the staged ones, and the VM on them: done once an event, and only
 * when a formula runs (most events run none); *done says whether it was. */
static void stage_vm(cpw_caseload *cl, const cpw_case *c, const cpw_workflow *wf,
                     cpw__staged *st, int *done)
{
  uint32_t f;
  if (*done)
    return;
  *done = 1;
  if (st->changed == 0)
    memcpy(st->vals, c->vals, wf->nfields * sizeof *st->vals);
  else
    for (f = 0; f < wf->nfields; f++)
      if (!((st->changed >> f) & 1))
        st->vals[f] = c->vals[f];
  prepare_vm(cl, wf, st->vals, st->known, st->at);
}

/* The deadlines after an accepted event (st->to set, the VM prepared on the staged fields):
 * the case's new pending set in st, st->restart when it changes, and room reserved for it.
 * Out of line: the events of workflows without clocks never come here. */
static CPW__NOINLINE int stage_clocks(cpw_caseload *cl, const cpw_case *c,
                                      const cpw_workflow *wf, int event, int64_t at,
                                      cpw__staged *st)
{
  int rc = CPW_OK;
  if (st->to != c->state) {
    st->restart = 1;
    rc = stage_deadlines(cl, wf, st->to, at, st);
  } else {
    uint32_t d, n = dl_count(cl, c);
    const cpw__dl *pending = n > 0 ? &cl->pool[c->dl_first] : NULL;
    /* the state's clocks: keep the others, restart the 'every' ones this event answers, drop
     * the 'within' ones */
    for (d = 0; d < n; d++) {
      const cpw__wf_deadline *def = &wf->deadlines[cpw__dl_def(&pending[d])];
      if (def->state == CPW__WF_NONE)
        continue; /* a clock across states: below */
      if (def->event != event) {
        st->dl_due[st->ndl] = pending[d].due;
        st->dl_started[st->ndl] = cpw__dl_started(&pending[d]);
      } else if (def->every) {
        st->restart = 1;
        if ((rc = dl_due(cl, wf, def, at, &st->dl_due[st->ndl])) != CPW_OK)
          return rc;
        st->dl_started[st->ndl] = at;
      } else {
        st->restart = 1;
        continue;
      }
      st->dl_def[st->ndl++] = cpw__dl_def(&pending[d]);
    }
  }
  if (rc == CPW_OK && wf->nacross > 0)
    rc = stage_across(cl, c, wf, (uint16_t)event, st->to, at, st);
  if (rc != CPW_OK)
    return rc;
  if (st->restart && st->ndl > 0 && (rc = dl_reserve(cl, dl_count(cl, c), st->ndl)) != CPW_OK)
    return rc;
  return CPW_OK;
}

/* A guard the VM runs, on the staged values (out of line: the guards of simple tests need
 * none of it, and its registers would crowd the event's path). */
static CPW__NOINLINE int vm_guard(cpw_caseload *cl, const cpw_case *c, const cpw_workflow *wf,
                                  cpw__staged *st, const cpw__wf_trans *t, int *staged)
{
  stage_vm(cl, c, wf, st, staged);
  return run_guard(cl, &t->guard, 0);
}

/* An update the VM computes, on the staged values (out of line, as vm_guard). */
static CPW__NOINLINE int vm_value(cpw_caseload *cl, const cpw_case *c, const cpw_workflow *wf,
                                  cpw__staged *st, const cpw__code *code, int *staged,
                                  int64_t *v)
{
  cpw__vm_in in;
  stage_vm(cl, c, wf, st, staged);
  in.col = cl->cols;
  in.known = cl->colknown;
  return cpw__formula_value(&cl->vm, code, &in, v);
}

/* cpw__case_try, inline in cpw_case_apply_index too (a call and its saved registers were a
 * tenth of an event) */
CPW__ALWAYS_INLINE int case_try(cpw_caseload *cl, cpw_case *c, int event, int role, int64_t at,
                                const cpw_field_value *fields, size_t nfields)
{
  const cpw_workflow *wf = cl->policy->workflows[c->workflow];
  cpw__staged *st = &cl->st;
  uint32_t cell, i, f;
  const cpw__wf_trans *fired = NULL, *guard_failed = NULL;
  int guard_value = 0, rc = CPW_OK, staged = 0;

  /* (a negative index is out of range as uint32_t too: one comparison each) */
  if ((uint32_t)event >= wf->nevents)
    return cpw__set_error(cl->ctx, CPW_ENOTFOUND, "event index %d is out of range", event);
  if ((uint32_t)role >= wf->nroles)
    return cpw__set_error(cl->ctx, CPW_ENOTFOUND, "role index %d is out of range", role);
  st->at = at;
  st->known = c->known;
  st->changed = 0;
  rc = nfields == 0 ? CPW_OK /* most events carry nothing */
                    : stage_values(cl, wf, wf->carries[event], event, fields,
                                   nfields, st);
  if (rc != CPW_OK)
    return rc;
  if (at < c->last_time) {
    return refuse(cl, c, event, role, at, CPW_REFUSED_TIME);
  }
  /* a final state has no transitions (the checker refuses any from it, and '*' leaves only
   * the states that are not final): its cells are empty, so it is asked only then */
  cell = (uint32_t)c->state * wf->nevents + (uint32_t)event;
  if (wf->cand_start[cell] == wf->cand_start[cell + 1])
    return refuse(cl, c, event, role, at,
                  wf->state_flags[c->state] & CPW__ST_FINAL ? CPW_REFUSED_FINAL
                                                            : CPW_REFUSED_NO_TRANSITION);
  for (i = wf->cand_start[cell]; i < wf->cand_start[cell + 1] && fired == NULL; i++) {
    const cpw__wf_trans *t = &wf->trans[wf->cand[i]];
    int v;
    if (!((t->roles >> role) & 1))
      continue;
    if (t->guard.code == NULL) {
      fired = t;
      break;
    }
    /* a guard of simple tests on the event's values as its test graph (no staging for the
     * VM), unless a field it reads is missing; any other guard on the VM */
    v = t->guard.graph != NULL
          ? cpw__vm_run1_graph(&t->guard, CPW__G_CASE, NULL, c->vals, NULL, st->vals,
                               st->changed, st->known)
          : CPW__RUN1_MORE;
    if (v == CPW__RUN1_MORE)
      v = vm_guard(cl, c, wf, st, t, &staged);
    if (v == 2)
      return cpw__set_error(cl->ctx, CPW_EINVALID,
                            "the guard at line %d could not be evaluated (a value is out of "
                            "range)", t->line);
    if (v == 1) {
      fired = t;
    } else if (v < 0) {
      /* undetermined for missing data: stop here rather than fall through to a later
       * transition the missing value might have ruled out (never close a case because a field
       * was not given) */
      guard_failed = t;
      guard_value = v;
      break;
    } else if (guard_failed == NULL) {
      guard_failed = t;
      guard_value = v;
    }
  }
  if (fired == NULL) {
    if (guard_failed != NULL) {
      (void)guard_value;
      cl->refused_rule = guard_failed->rule;
      cl->refused_trans = (uint16_t)(guard_failed - wf->trans);
      cl->refused_at = at;
      stage_vm(cl, c, wf, st, &staged); /* every value the guard saw, in st->vals */
      memcpy(cl->refused_vals, st->vals, wf->nfields * sizeof *st->vals);
      cl->refused_known = st->known;
      return refuse(cl, c, event, role, at, CPW_REFUSED_GUARD);
    }
    cl->refused_rule = wf->trans[wf->cand[wf->cand_start[cell]]].rule;
    return refuse(cl, c, event, role, at, CPW_REFUSED_ROLE);
  }
  /* updates, each seeing the ones before (the shaped ones on the event's values, the others
   * on the VM's columns) */
  for (i = 0; i < fired->nsets; i++) {
    int64_t v;
    int w;
    f = fired->set_fields[i];
    w = cpw__shape_value(&fired->set_codes[i], CPW__G_CASE, NULL, c->vals, NULL, st->vals,
                         st->changed, st->known, &v);
    if (w == CPW__RUN1_MORE)
      w = vm_value(cl, c, wf, st, &fired->set_codes[i], &staged, &v);
    if (w == CPW__EVAL_ERROR)
      return cpw__set_error(cl->ctx, CPW_EINVALID,
                            "field %s could not be computed (a value is out of range)",
                            wf->fields[f].name);
    if (w == CPW__TRUE) {
      st->vals[f] = v;
      st->known |= UINT64_C(1) << f;
      st->changed |= UINT64_C(1) << f;
    } else {
      st->known &= ~(UINT64_C(1) << f);
    }
    if (staged) { /* the VM's columns are st->vals: keep their known bits */
      cl->colknown[f] = (st->known >> f) & 1;
      cl->prep_known = st->known;
    }
  }
  st->to = fired->to == CPW__WF_NONE ? c->state : fired->to;
  /* deadlines */
  st->restart = 0;
  st->ndl = 0;
  if (wf->ndeadlines == 0)
    return CPW_OK; /* none pending, none to start */
  stage_vm(cl, c, wf, st, &staged);
  return stage_clocks(cl, c, wf, event, at, st);
}

int cpw__case_try(cpw_caseload *cl, cpw_case *c, int event, int role, int64_t at,
                  const cpw_field_value *fields, size_t nfields)
{
  return case_try(cl, c, event, role, at, fields, nfields);
}

/* the index of the lowest set bit of m (m != 0) */
CPW__ALWAYS_INLINE uint32_t lowest_bit(uint64_t m)
{
#if defined(__GNUC__)
  return (uint32_t)__builtin_ctzll(m);
#else
  uint32_t f = 0;
  while (!(m & 1)) {
    m >>= 1;
    f++;
  }
  return f;
#endif
}

CPW__ALWAYS_INLINE void case_commit(cpw_caseload *cl, cpw_case *c)
{
  const cpw__staged *st = &cl->st;
  uint64_t m;
  uint32_t f;
  if (st->to != c->state) {
    cl->counts[c->workflow][c->state]--;
    cl->counts[c->workflow][st->to]++;
    c->state = st->to;
    c->state_since = st->at;
  }
  for (m = st->changed; m != 0; m &= m - 1) {
    f = lowest_bit(m);
    c->vals[f] = st->vals[f];
  }
  c->known = st->known;
  c->last_time = st->at;
  c->nevents++;
  c->refusal = CPW_ACCEPTED;
  if (st->restart)
    dl_install(cl, c, st);
}

void cpw__case_commit(cpw_caseload *cl, cpw_case *c)
{
  case_commit(cl, c);
}

/* ------------------------------------------------------------------ opening */

/* What is wrong with a case id (cpw__id_problem's phrase), else NULL with its length and
 * cpw__hash. Most ids are printable ASCII: one pass checks them, finds their end and hashes
 * them; any other id (empty, too long, other bytes) is left to cpw__id_problem, whose phrase
 * it is, and hashed after. */
CPW__ALWAYS_INLINE const char *id_check(const char *id, size_t *len, uint32_t *hash)
{
  const unsigned char *p = (const unsigned char *)id;
  uint32_t h = CPW__HASH_INIT;
  size_t n;
  for (; (unsigned)(*p - 0x20) < 0x5F; p++)
    h = cpw__hash_byte(h, *p);
  n = (size_t)(p - (const unsigned char *)id);
  if (*p != '\0' || n == 0 || n > 256) {
    const char *bad = cpw__id_problem(id, 256);
    if (bad != NULL)
      return bad;
    n = strlen(id);
    h = cpw__hash(id, n);
  } else if (id[0] == ' ' || id[n - 1] == ' ') {
    return "begins or ends with a space";
  } else {
    h = cpw__hash_finish(h);
  }
  *len = n;
  *hash = h;
  return NULL;
}

/* cpw__case_open_try and cpw__case_open_commit, inline in cpw_caseload_open too */
CPW__ALWAYS_INLINE int case_open_try(cpw_caseload *cl, const char *case_id, const char *workflow,
                                     const cpw_field_value *fields, size_t nfields, int64_t at,
                                     const char *role)
{
  const cpw_workflow *wf;
  cpw__staged *st = &cl->st;
  size_t len;
  int rc, r, clocks;
  uint32_t h;
  if (case_id == NULL || workflow == NULL || role == NULL)
    return cpw__set_error(cl->ctx, CPW_EINVALID, "cpw_caseload_open: NULL argument");
  {
    const char *bad = id_check(case_id, &len, &h);
    if (bad != NULL)
      return cpw__set_error(cl->ctx, CPW_EINVALID, "the case id %s (an id has 1 to 256 bytes "
                            "of UTF-8, no control character, no space at either end)", bad);
  }
  wf = cl->last_wf;
  if (wf == NULL || strcmp(wf->name, workflow) != 0) {
    wf = cpw_policy_workflow(cl->policy, workflow);
    cl->last_wf = wf;
    cl->last_role = -1;
  }
  if (wf == NULL)
    return cpw__set_error(cl->ctx, CPW_ENOTFOUND, "no workflow named '%.*s'",
                          (int)(strlen(workflow) > 64 ? 64 : strlen(workflow)), workflow);
  /* the role of the last opening again (compared by name: the caller's buffer may have
   * changed), else looked up */
  r = cl->last_role >= 0 && strcmp(wf->roles[cl->last_role], role) == 0
        ? cl->last_role
        : (cl->last_role = cpw_workflow_role_index(wf, role));
  if (r < 0)
    return cpw__set_error(cl->ctx, CPW_ENOTFOUND, "workflow '%s' has no role '%.*s'", wf->name,
                          (int)(strlen(role) > 64 ? 64 : strlen(role)), role);
  st->id_len = len;
  st->id_hash = h;
  if (cl->index_cap > 0 && cl->index[st->id_slot = find_slot(cl, case_id, len, h)] != 0)
    return cpw__set_error(cl->ctx, CPW_EEXISTS, "case '%.*s' is already open",
                          (int)(len > 64 ? 64 : len), case_id);
  if (cl->ncases >= UINT32_MAX - 1)
    return cpw__set_error(cl->ctx, CPW_ELIMIT, "too many cases");
  /* room in the index for one more; the commit takes the slot found (found again when the
   * index grew: a new array, allocated while the old one was still there) */
  if (!index_room(cl, cl->ncases + 1)) {
    if ((rc = index_grow(cl, cl->ncases + 1)) != CPW_OK)
      return rc;
    st->id_slot = find_slot(cl, case_id, len, h);
  }
  st->wf = wf;
  st->event = CPW__WF_NONE;
  st->role = (uint16_t)r;
  st->at = at;
  st->known = wf->default_known;
  clocks = wf->dl_start[wf->initial] < wf->dl_start[wf->initial + 1];
  if (nfields == 0 && !clocks) {
    st->open_vals = wf->defaults; /* nothing reads or changes them: the commit copies them */
  } else {
    memcpy(st->vals, wf->defaults, wf->nfields * sizeof *st->vals);
    st->open_vals = st->vals;
    rc = stage_values(cl, wf, ~UINT64_C(0), -1, fields, nfields, st);
    if (rc != CPW_OK)
      return rc;
  }
  st->to = wf->initial;
  st->restart = 1;
  st->ndl = 0;
  if (clocks) { /* clocks start: stage them */
    prepare_vm(cl, wf, st->vals, st->known, at);
    rc = stage_deadlines(cl, wf, wf->initial, at, st);
    if (rc != CPW_OK)
      return rc;
  }
  /* reserve everything the commit needs */
  if (cl->ncases == cl->nchunks * CPW__CASE_CHUNK) {
    cpw_case *chunk;
    if (cpw__grow(cl->ctx, (void **)&cl->chunks, &cl->chunks_cap, cl->nchunks + 1,
                  sizeof *cl->chunks) != CPW_OK)
      return CPW_ENOMEM;
    /* not cleared: a case and what is kept beside it are written when it opens */
    chunk = cpw__malloc(cl->ctx, CPW__CASE_CHUNK * (sizeof *chunk + cl->chunk_extra));
    if (chunk == NULL)
      return CPW_ENOMEM;
    cl->chunks[cl->nchunks++] = chunk;
  }
  return dl_reserve(cl, 0, st->ndl);
}

CPW__ALWAYS_INLINE int case_open_commit(cpw_caseload *cl, const char *case_id, cpw_case **out)
{
  const cpw__staged *st = &cl->st;
  const cpw_workflow *wf = st->wf;
  size_t len = st->id_len;
  cpw_case *c = case_at(cl, cl->ncases);
  char *id = cpw__arena_strndup_packed(&cl->ids, case_id, len);
  int64_t *vals = cpw__arena_copy(&cl->arena, st->open_vals, wf->nfields * sizeof *vals);
  if (id == NULL || vals == NULL)
    return CPW_ENOMEM;
  memset(c, 0, sizeof *c);
  c->cl = cl;
  c->id = id;
  c->vals = vals;
  c->known = st->known;
  c->last_time = st->at;
  c->state_since = st->at;
  c->nevents = 1;
  c->index = (uint32_t)cl->ncases;
  c->dl_first = CPW__NO_DL;
  c->workflow = (uint8_t)wf->index;
  c->state = wf->initial;
  *case_hash(cl, c->index) = st->id_hash;
  cl->index[st->id_slot] = (uint32_t)cl->ncases + 1; /* the slot cpw__case_open_try found */
  cl->ncases++;
  cl->counts[wf->index][wf->initial]++;
  if (st->ndl > 0)
    dl_install(cl, c, st);
  if (out != NULL)
    *out = c;
  return CPW_OK;
}

int cpw__case_open_try(cpw_caseload *cl, const char *case_id, const char *workflow,
                       const cpw_field_value *fields, size_t nfields, int64_t at,
                       const char *role)
{
  return case_open_try(cl, case_id, workflow, fields, nfields, at, role);
}

int cpw__case_open_commit(cpw_caseload *cl, const char *case_id, cpw_case **out)
{
  return case_open_commit(cl, case_id, out);
}

int cpw_caseload_open(cpw_caseload *cl, cpw_case **out, const char *case_id,
                      const char *workflow, const cpw_field_value *fields, size_t nfields,
                      cpw_time at, const char *actor, const char *role)
{
  int rc;
  if (out != NULL)
    *out = NULL;
  if (cl == NULL)
    return CPW_EINVALID;
  (void)actor;
  rc = case_open_try(cl, case_id, workflow, fields, nfields, at, role);
  if (rc == CPW_OK)
    rc = case_open_commit(cl, case_id, out);
  return rc;
}

/* ------------------------------------------------------------------ events */

int cpw_case_apply_index(cpw_case *c, int event, const char *actor, int role, cpw_time at,
                         const cpw_field_value *fields, size_t nfields)
{
  int rc;
  (void)actor;
  if (c == NULL)
    return CPW_EINVALID;
  rc = case_try(c->cl, c, event, role, at, fields, nfields);
  if (rc == CPW_OK)
    case_commit(c->cl, c);
  return rc;
}

int cpw_case_apply(cpw_case *c, const char *event, const char *actor, const char *role,
                   cpw_time at, const cpw_field_value *fields, size_t nfields)
{
  const cpw_workflow *wf;
  int e, r;
  if (c == NULL)
    return CPW_EINVALID;
  if (event == NULL || role == NULL)
    return cpw__set_error(c->cl->ctx, CPW_EINVALID, "cpw_case_apply: NULL event or role");
  wf = c->cl->policy->workflows[c->workflow];
  e = cpw_workflow_event_index(wf, event);
  if (e < 0)
    return cpw__set_error(c->cl->ctx, CPW_ENOTFOUND, "workflow '%s' has no event '%.*s'",
                          wf->name, (int)(strlen(event) > 64 ? 64 : strlen(event)), event);
  r = cpw_workflow_role_index(wf, role);
  if (r < 0)
    return cpw__set_error(c->cl->ctx, CPW_ENOTFOUND, "workflow '%s' has no role '%.*s'",
                          wf->name, (int)(strlen(role) > 64 ? 64 : strlen(role)), role);
  return cpw_case_apply_index(c, e, actor, r, at, fields, nfields);
}

const char *cpw_refusal_name(int refusal)
{
  switch (refusal) {
  case CPW_ACCEPTED: return "accepted";
  case CPW_REFUSED_NO_TRANSITION: return "no_transition";
  case CPW_REFUSED_ROLE: return "role";
  case CPW_REFUSED_GUARD: return "guard";
  case CPW_REFUSED_FINAL: return "final";
  case CPW_REFUSED_TIME: return "time";
  default: return "unknown";
  }
}

int cpw_case_refusal(const cpw_case *c)
{
  return c != NULL ? c->refusal : CPW_ACCEPTED;
}

const cpw_rule *cpw_case_refusal_rule(const cpw_case *c)
{
  if (c == NULL || c->cl->msg_case != c ||
      (c->refusal != CPW_REFUSED_GUARD && c->refusal != CPW_REFUSED_ROLE))
    return NULL;
  return cpw__rule(c->cl->policy, c->cl->refused_rule);
}

const cpw_rule *cpw_deadline_rule(const cpw_deadline *dl)
{
  const cpw_workflow *wf;
  uint32_t i, found = CPW__NO_RULE, matches = 0;
  if (dl == NULL || dl->c == NULL || dl->event == NULL)
    return NULL;
  wf = dl->c->cl->policy->workflows[dl->c->workflow];
  for (i = 0; i < wf->ndeadlines; i++) {
    if (wf->deadlines[i].event_name == dl->event)
      return cpw__rule(wf->policy, wf->deadlines[i].rule);
    if (strcmp(wf->deadlines[i].event_name, dl->event) == 0) {
      found = wf->deadlines[i].rule;
      matches++;
    }
  }
  /* a copy of a deadline: its event name tells only when one deadline expects that event */
  return matches == 1 ? cpw__rule(wf->policy, found) : NULL;
}

/* The explanation in `tag`'s language (NULL: the context's; unknown: the policy's names). */
static const char *case_explain(const cpw_case *c, const char *tag)
{
  cpw_caseload *cl;
  const cpw__lang *lang;
  if (c == NULL || c->refusal == CPW_ACCEPTED || c->cl->msg_case != c)
    return "";
  cl = c->cl;
  lang = cpw__policy_lang(cl->policy, tag != NULL ? tag : cl->ctx->lang);
  if (lang == NULL)
    lang = cpw__lang_names();
  if (!cl->msg_built || cl->msg_lang != lang) {
    const cpw_workflow *wf = cl->policy->workflows[c->workflow];
    cpw__buf_clear(&cl->msg);
    if (c->refusal == CPW_REFUSED_GUARD)
      explain_guard(cl, wf, &cl->msg, lang);
    else
      explain_refusal(cl, c, wf, &cl->msg, lang);
    cl->msg_built = 1;
    cl->msg_lang = lang;
  }
  return cpw__buf_str(&cl->msg);
}

const char *cpw_case_explain(const cpw_case *c)
{
  return case_explain(c, NULL);
}

const char *cpw_case_explain_with(const cpw_case *c, const cpw_text_options *opts)
{
  if (opts != NULL && (opts->version == 0 || opts->version > CPW_TEXT_OPTIONS_VERSION))
    return "";
  return case_explain(c, opts != NULL ? opts->lang : NULL);
}

/* ------------------------------------------------------------------ queries */

const char *cpw_case_id(const cpw_case *c) { return c != NULL ? c->id : NULL; }

const cpw_workflow *cpw_case_workflow(const cpw_case *c)
{
  return c != NULL ? c->cl->policy->workflows[c->workflow] : NULL;
}

const char *cpw_case_state(const cpw_case *c)
{
  return c != NULL ? c->cl->policy->workflows[c->workflow]->states[c->state] : NULL;
}

int cpw_case_state_index(const cpw_case *c) { return c != NULL ? c->state : CPW_EINVALID; }
cpw_time cpw_case_last_time(const cpw_case *c) { return c != NULL ? c->last_time : 0; }
cpw_time cpw_case_state_since(const cpw_case *c) { return c != NULL ? c->state_since : 0; }
uint64_t cpw_case_event_count(const cpw_case *c) { return c != NULL ? c->nevents : 0; }

int cpw_case_get(const cpw_case *c, const char *field, int64_t *value)
{
  const cpw_workflow *wf;
  uint32_t f;
  if (c == NULL || field == NULL)
    return CPW_EINVALID;
  wf = c->cl->policy->workflows[c->workflow];
  if (!cpw__map_get(&wf->field_index, field, strlen(field), &f))
    return CPW_ENOTFOUND;
  if (!((c->known >> f) & 1))
    return 0;
  if (value != NULL)
    *value = c->vals[f];
  return 1;
}

int cpw_case_get_string(const cpw_case *c, const char *field, char *buf, size_t size)
{
  const cpw_workflow *wf;
  uint32_t f;
  if (c == NULL || field == NULL || buf == NULL || size == 0)
    return CPW_EINVALID;
  buf[0] = '\0';
  wf = c->cl->policy->workflows[c->workflow];
  if (!cpw__map_get(&wf->field_index, field, strlen(field), &f))
    return CPW_ENOTFOUND;
  if (!((c->known >> f) & 1))
    return 0;
  if (wf->fields[f].type == T_SET) {
    /* sets as names joined by '|' (the form cpw_record_set_string reads) */
    const cpw__enum *e = &c->cl->policy->enums[wf->fields[f].enum_id];
    size_t used = 0;
    uint32_t i;
    for (i = 0; i < e->nmembers && used < size; i++)
      if (((uint64_t)c->vals[f] >> i) & 1)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "|" : "",
                                 e->members[i]);
  } else if (wf->fields[f].type == T_MONEY) {
    int64_t v = c->vals[f];
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(buf, size, "%s%llu.%02u", v < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned)(a % 100));
  } else {
    cpw__format_value(c->cl->policy, wf->fields[f].type, wf->fields[f].enum_id, c->vals[f], buf,
                      size);
  }
  return 1;
}

int64_t cpw_caseload_tally(const cpw_caseload *cl, const char *workflow, const char *date_field,
                           cpw_date from, cpw_date to, const char *field, const char *value)
{
  const cpw_workflow *wf;
  uint32_t df, f = 0;
  size_t i;
  int64_t n = 0;
  if (cl == NULL || workflow == NULL || date_field == NULL)
    return CPW_EINVALID;
  wf = cpw_policy_workflow(cl->policy, workflow);
  if (wf == NULL || !cpw__map_get(&wf->field_index, date_field, strlen(date_field), &df) ||
      (field != NULL && !cpw__map_get(&wf->field_index, field, strlen(field), &f)))
    return CPW_ENOTFOUND;
  if (wf->fields[df].type != T_DATE)
    return CPW_EINVALID;
  for (i = 0; i < cl->ncases; i++) {
    const cpw_case *c = case_at(cl, i);
    char buf[512];
    if (c->workflow != wf->index || !((c->known >> df) & 1) || c->vals[df] < from ||
        c->vals[df] > to)
      continue;
    if (field != NULL && value != NULL) {
      int known = cpw_case_get_string(c, field, buf, sizeof buf);
      if (value[0] == '\0' ? known != 0 : known != 1 || strcmp(buf, value) != 0)
        continue;
    }
    n++;
  }
  return n;
}

size_t cpw_case_allowed_events(const cpw_case *c, const char *role, const char **names,
                               size_t max)
{
  cpw_caseload *cl;
  const cpw_workflow *wf;
  int r;
  uint32_t e, count = 0;
  int64_t vals[CPW__WF_MAX_FIELDS];
  if (c == NULL || role == NULL)
    return 0;
  cl = c->cl;
  wf = cl->policy->workflows[c->workflow];
  r = cpw_workflow_role_index(wf, role);
  if (r < 0 || (wf->state_flags[c->state] & CPW__ST_FINAL))
    return 0;
  memcpy(vals, c->vals, wf->nfields * sizeof *vals);
  prepare_vm(cl, wf, vals, c->known, c->last_time);
  for (e = 0; e < wf->nevents; e++) {
    uint32_t cell = (uint32_t)c->state * wf->nevents + e, i, f;
    /* the fields the event carries count as unknown: a guard is left out only when it is
     * false whatever values the event brings (flag_urgent carries immediate_danger) */
    for (f = 0; f < wf->nfields; f++)
      cl->colknown[f] = ((c->known & ~wf->carries[e]) >> f) & 1;
    cl->prep_vals = NULL;
    for (i = wf->cand_start[cell]; i < wf->cand_start[cell + 1]; i++) {
      const cpw__wf_trans *t = &wf->trans[wf->cand[i]];
      if (!((t->roles >> r) & 1))
        continue;
      if (t->guard.code != NULL && run_guard(cl, &t->guard, 0) == 0)
        continue; /* false on the current fields, whatever the event carries */
      if (names != NULL && count < max)
        names[count] = wf->events[e];
      count++;
      break;
    }
  }
  return count;
}

static void fill_deadline(const cpw_caseload *cl, const cpw_case *c, const cpw__dl *dl,
                          cpw_deadline *out)
{
  const cpw_workflow *wf = cl->policy->workflows[c->workflow];
  const cpw__wf_deadline *def = &wf->deadlines[cpw__dl_def(dl)];
  out->c = c;
  out->case_id = c->id;
  out->event = def->event_name; /* this deadline's own copy: cpw_deadline_rule finds it */
  out->escalation = wf->events[def->esc_event];
  out->role = wf->roles[def->esc_role];
  out->started = cpw__dl_started(dl);
  out->due = dl->due;
}

size_t cpw_case_deadlines(const cpw_case *c, cpw_deadline *out, size_t max)
{
  size_t n, i;
  if (c == NULL)
    return 0;
  n = dl_count(c->cl, c);
  for (i = 0; i < n && out != NULL && i < max; i++)
    fill_deadline(c->cl, c, &c->cl->pool[c->dl_first + i], &out[i]);
  return n;
}

static int cmp_deadline(const void *a, const void *b)
{
  const cpw_deadline *x = a, *y = b;
  if (x->due != y->due)
    return x->due < y->due ? -1 : 1;
  return strcmp(x->case_id, y->case_id);
}

/* out[0..n) as a max-heap on (due, case id): keeps the `max` earliest deadlines seen */
static void keep_sift(cpw_deadline *out, size_t n, size_t pos)
{
  for (;;) {
    size_t l = 2 * pos + 1, r = l + 1, m = pos;
    cpw_deadline tmp;
    if (l < n && cmp_deadline(&out[l], &out[m]) > 0)
      m = l;
    if (r < n && cmp_deadline(&out[r], &out[m]) > 0)
      m = r;
    if (m == pos)
      return;
    tmp = out[pos];
    out[pos] = out[m];
    out[m] = tmp;
    pos = m;
  }
}

static void keep_up(cpw_deadline *out, size_t pos)
{
  while (pos > 0) {
    size_t parent = (pos - 1) / 2;
    cpw_deadline tmp;
    if (cmp_deadline(&out[pos], &out[parent]) <= 0)
      return;
    tmp = out[pos];
    out[pos] = out[parent];
    out[parent] = tmp;
    pos = parent;
  }
}

/* Visit the queue from its root, descending only below entries that qualify, so k results cost
 * O(k) visits; the earliest `max` of them are kept in a bounded heap and sorted at the end:
 * O(k log max) in all. */
static size_t due_query(const cpw_caseload *cl, int64_t at, int inclusive, cpw_deadline *out,
                        size_t max)
{
  size_t stack[130], sp = 0, n = 0, kept = 0;
  if (cl == NULL || cl->heap_len == 0)
    return 0;
  if (out == NULL)
    max = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    size_t pos = stack[--sp], l;
    const cpw_case *c = case_at(cl, cl->heap[pos]);
    const cpw__dl *b = &cl->pool[c->dl_first];
    uint32_t k, nb = cpw__dl_count(b);
    int64_t first = b[cpw__dl_first_due(b)].due;
    if (inclusive ? first > at : first >= at)
      continue; /* nor any below */
    for (k = 0; k < nb; k++) {
      const cpw__dl *d = &b[k];
      if (inclusive ? d->due > at : d->due >= at)
        continue;
      n++;
      if (kept < max) {
        fill_deadline(cl, c, d, &out[kept]);
        keep_up(out, kept++);
      } else if (max > 0) {
        cpw_deadline cand;
        fill_deadline(cl, c, d, &cand);
        if (cmp_deadline(&cand, &out[0]) < 0) {
          out[0] = cand;
          keep_sift(out, kept, 0);
        }
      }
    }
    /* a depth-first walk leaves at most one sibling per level on the stack */
    l = 2 * pos + 1;
    if (l < cl->heap_len)
      stack[sp++] = l;
    if (l + 1 < cl->heap_len)
      stack[sp++] = l + 1;
  }
  if (kept > 0)
    qsort(out, kept, sizeof *out, cmp_deadline);
  return n;
}

size_t cpw_caseload_overdue(const cpw_caseload *cl, cpw_time at, cpw_deadline *out, size_t max)
{
  return due_query(cl, at, 0, out, max);
}

size_t cpw_caseload_due_before(const cpw_caseload *cl, cpw_time at, cpw_deadline *out,
                               size_t max)
{
  return due_query(cl, at, 1, out, max);
}
