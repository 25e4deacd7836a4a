/* SPDX-License-Identifier: Apache-2.0 */
/* workflow/case.h: the case runtime's internals (caseloads, cases, deadlines), shared with the
 * journal floor, which applies events in two steps (try, append, commit) so that a failed
 * append leaves the case unchanged. */
#ifndef CPW_WORKFLOW_CASE_H
#define CPW_WORKFLOW_CASE_H

#include "base/buf.h"
#include "policy/explain.h"
#include "policy/wf_model.h"

#define CPW__NO_DL UINT32_MAX
#define CPW__SEEN_SLOTS 8 /* cpw_caseload.seen */

struct cpw_case {
  struct cpw_caseload *cl;
  const char *id;
  int64_t *vals;             /* workflow fields (wf->nfields) */
  int64_t last_time;
  int64_t state_since;       /* when the case entered its current state */
  uint64_t known;            /* bit per field */
  uint32_t nevents;
  uint32_t index;            /* position in the caseload */
  uint32_t dl_first;         /* its pending deadlines: a block of the pool, or CPW__NO_DL */
  uint16_t state;
  uint8_t workflow;          /* at most CPW__WF_MAX_WORKFLOWS: the struct stays 64 bytes */
  uint8_t refusal;           /* cpw_refusal of the last event */
};

/* A pending deadline: 16 bytes. A case's pending deadlines are one block of consecutive
 * records in the pool, in the order they were staged (cpw_case_deadlines lists them so); a
 * commit replaces the block whole. The first record of a block also holds the block's size and
 * which of its records is due first (the case's key in the queue). */
typedef struct cpw__dl {
  int64_t due;               /* a free block: the next free block of its size */
  uint64_t w;                /* bits 0-39: due - started, seconds (the start is due - delta);
                                40-55: the workflow's deadline definition; first record only:
                                56-59 the block's size, 60-63 the earliest record's offset */
} cpw__dl;

/* due - started fits in 40 bits: a deadline is 1 to 100000 units (the parser's bound; 100000
 * weeks is 6.0e10 s), or a date within years 1..9999 (3.2e11 s); both under 2^40 (1.1e12 s).
 * The deadline's computation checks it all the same (an error, never a wrong start). */
#define CPW__DL_DELTA_MAX ((INT64_C(1) << 40) - 1)

static inline int64_t cpw__dl_started(const cpw__dl *d)
{
  return d->due - (int64_t)(d->w & (uint64_t)CPW__DL_DELTA_MAX);
}
static inline uint16_t cpw__dl_def(const cpw__dl *d) { return (uint16_t)(d->w >> 40); }
/* of a block's first record */
static inline uint32_t cpw__dl_count(const cpw__dl *d) { return (uint32_t)(d->w >> 56) & 15u; }
static inline uint32_t cpw__dl_first_due(const cpw__dl *d) { return (uint32_t)(d->w >> 60); }

/* The staged result of an accepted event, installed by cpw__case_commit: what it changes. */
typedef struct cpw__staged {
  const struct cpw_workflow *wf;
  uint16_t event;
  uint16_t role;
  uint16_t to;
  int64_t at;
  int64_t vals[CPW__WF_MAX_FIELDS]; /* the fields in `changed`; all once a formula ran */
  uint64_t known;
  uint64_t changed;          /* bit per field the event sets (commit copies only these) */
  int restart;               /* deadlines change: new state, or an event they wait for */
  uint32_t ndl;              /* deadlines to have pending after the event */
  int64_t dl_due[CPW__WF_MAX_PENDING];
  int64_t dl_started[CPW__WF_MAX_PENDING];
  uint16_t dl_def[CPW__WF_MAX_PENDING];
  size_t id_len;             /* opening: the new case id's length (cpw__case_open_commit is
                                given the id cpw__case_open_try checked) */
  uint32_t id_hash;          /* ... its hash */
  size_t id_slot;            /* ... and its slot in the index (nothing changes the index
                                between cpw__case_open_try and cpw__case_open_commit) */
  const int64_t *open_vals;  /* ... and its field values: vals, or the workflow's defaults
                                when the opening sets none */
} cpw__staged;

struct cpw_caseload {
  cpw_ctx *ctx;
  const cpw_policy *policy;
  cpw__arena arena;          /* field values */
  cpw__arena ids;            /* case ids, packed (no alignment) */
  struct cpw_case **chunks;  /* cases in chunks of CPW__CASE_CHUNK: addresses never move; when
                              * the policy has deadlines each chunk is followed by its cases'
                              * positions in the queue (uint32) */
  size_t nchunks, chunks_cap;
  size_t chunk_extra;        /* bytes a case after its chunk: 4 with deadlines, else 0 */
  size_t ncases;
  uint32_t *index;           /* open addressing: case index + 1, 0 empty */
  size_t index_cap;
  cpw__dl *pool;             /* the cases' deadline blocks */
  size_t pool_len, pool_cap;
  uint32_t dl_free[CPW__WF_MAX_PENDING + 1]; /* free blocks by size (CPW__NO_DL: none) */
  uint32_t *heap;            /* case indexes of the cases with deadlines: a binary min-heap on
                              * (the case's earliest due, case index) */
  size_t heap_len, heap_cap;
  int64_t **counts;          /* per workflow, per state */
  cpw__vm vm;
  cpw__trace_entry *trace;
  size_t trace_cap;
  uint32_t gen;
  const int64_t *cols[CPW__WF_MAX_FIELDS];
  uint64_t colknown[CPW__WF_MAX_FIELDS];
  const int64_t *prep_vals;  /* cols and colknown are for these values (NULL: not known) */
  uint64_t prep_known;       /* ... with these fields known */
  const struct cpw_workflow *prep_wf;
  int64_t day_from, day_to;  /* vm.as_of's day: the seconds [day_from, day_to) (empty at first) */
  int32_t day;
  cpw__explainer ex;
  cpw__buf msg;              /* the last refusal's explanation, built when asked for */
  const struct cpw_case *msg_case;   /* the case refused last */
  int msg_built;
  uint32_t refused_rule;     /* a guard or role refusal: the transition's rule (its basis) */
  uint16_t refused_trans;    /* a guard refusal: the transition and the fields it saw */
  int64_t refused_at;
  int64_t refused_vals[CPW__WF_MAX_FIELDS];
  uint64_t refused_known;
  uint16_t refused_event, refused_role;  /* any refusal: what was refused, and when */
  int64_t refused_time, refused_last;
  const struct cpw__lang *msg_lang;      /* the language msg is in */
  cpw__staged st;
  /* enum values carried as text and found before, by the address of the caller's text (8
   * slots by a hash of the address): a guess only, taken when the bytes there still spell
   * the member's name (a caller may reuse a buffer for another value). The address is kept
   * as a number: it is compared, never followed (the caller may have freed it). */
  struct {
    uintptr_t text;
    uint32_t enum_id;
    uint32_t member;
  } seen[CPW__SEEN_SLOTS];
  const struct cpw_workflow *last_wf;   /* the workflow opened last (name lookups) */
  int last_role;                        /* ... and the role it was opened by (-1: none) */
};

#define CPW__CASE_CHUNK 4096

/* Resolve names and check values, then decide. CPW_OK: accepted and staged in cl->st;
 * CPW_EDENIED: refused (c->refusal and the explanation are set; nothing else changes); other
 * codes: errors. */
int cpw__case_try(struct cpw_caseload *cl, struct cpw_case *c, int event, int role, int64_t at,
                  const cpw_field_value *fields, size_t nfields);
/* Install cl->st in c. Cannot fail (memory was reserved by cpw__case_try). */
void cpw__case_commit(struct cpw_caseload *cl, struct cpw_case *c);

/* Opening in two steps too: validate and stage, then create. */
int cpw__case_open_try(struct cpw_caseload *cl, const char *case_id, const char *workflow,
                       const cpw_field_value *fields, size_t nfields, int64_t at,
                       const char *role);
int cpw__case_open_commit(struct cpw_caseload *cl, const char *case_id, struct cpw_case **out);

#endif
