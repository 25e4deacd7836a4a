/* SPDX-License-Identifier: Apache-2.0 */
/* policy/wf_model.h: the compiled form of a workflow (part of a compiled policy): what the
 * case engine (lib/workflow/) runs. The syntax and its checker are in wf_syntax.h; the engine
 * never includes them. */
#ifndef CPW_POLICY_WF_MODEL_H
#define CPW_POLICY_WF_MODEL_H

#include "policy/policy_int.h"

#define CPW__WF_MAX_WORKFLOWS 255 /* a case keeps its workflow in 8 bits */
#define CPW__WF_MAX_ROLES 64
#define CPW__WF_MAX_FIELDS 64
#define CPW__WF_MAX_STATES 1000
#define CPW__WF_MAX_EVENTS 1000
#define CPW__WF_MAX_TRANS 65535   /* transitions are numbered in 16 bits */
#define CPW__WF_NONE 0xFFFFu
#define CPW__WF_MAX_PENDING 8     /* deadlines pending at once: the clocks of one state and
                                     the clocks that run across states */

/* ---------------------------------------------------------------- compiled */
#define CPW__ST_FINAL 1u
#define CPW__ST_ONGOING 2u

typedef struct cpw__wf_trans {
  uint16_t event;
  uint16_t to;               /* CPW__WF_NONE: stay */
  uint64_t roles;            /* bit per role that may fire it */
  cpw__node *guard_ast;      /* NULL: no guard */
  cpw__code guard, guard_traced;
  uint32_t nsets;
  uint16_t *set_fields;
  cpw__node **set_asts;
  cpw__code *set_codes;
  const char *title;
  int line;
  uint32_t rule;             /* its basis (policy/basis.h) */
} cpw__wf_trans;

typedef struct cpw__wf_deadline {
  uint16_t state;            /* CPW__WF_NONE: a clock from an event (it runs across states) */
  uint16_t event;            /* the event expected */
  const char *event_name;    /* the event's name, a copy of this deadline's own: the pointer
                                in a cpw_deadline tells which deadline it is */
  uint16_t *starts;          /* clocks across states: the events that start it ... */
  uint32_t nstarts;
  uint16_t *stops;           /* ... and those that stop it (besides `event` and a final
                                state) */
  uint32_t nstops;
  uint32_t rule;             /* its basis (policy/basis.h) */
  uint8_t every;             /* restarts when `event` fires in the state */
  uint8_t unit;
  int64_t amount;
  cpw__node *when_ast;
  cpw__code when;
  uint16_t esc_event;
  uint16_t esc_role;
  int line;
} cpw__wf_deadline;

struct cpw_workflow {
  const struct cpw_policy *policy;
  uint32_t index;
  const char *name;
  const char *title;
  const struct cpw_calendar *calendar;
  const char **roles;
  uint32_t nroles;
  cpw__map role_index;
  const char **states;
  uint8_t *state_flags;
  uint32_t nstates;
  cpw__map state_index;
  uint16_t initial;
  const char **events;
  uint64_t *carries;         /* per event: bit per field it carries */
  uint32_t nevents;
  cpw__map event_index;
  cpw__field *fields;
  uint32_t nfields;
  cpw__map field_index;
  int64_t *defaults;
  uint64_t default_known;
  cpw__wf_trans *trans;
  uint32_t ntrans;
  uint32_t *cand_start;      /* nstates * nevents + 1 offsets into cand */
  uint16_t *cand;            /* transition indexes in declaration order */
  cpw__wf_deadline *deadlines;
  uint32_t ndeadlines;
  uint32_t *dl_start;        /* nstates + 1 offsets into dl (the clocks of each state) */
  uint16_t *dl;
  uint16_t *across;          /* the clocks that run from an event, across states */
  uint32_t nacross;
  const char *file;
  int line;
  uint32_t rule;             /* its basis: its stages and roles (policy/basis.h) */
};

void cpw__workflow_free_maps(struct cpw_workflow *wf);

#endif
