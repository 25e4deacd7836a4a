/* policy/workflow.h: the syntax and the compiled form of workflows (part of a policy); the
 * case runtime is in lib/workflow/. */
#ifndef CPW_POLICY_WORKFLOW_H
#define CPW_POLICY_WORKFLOW_H

#include "policy/check.h"
#include "policy/code.h"
#include "policy/parse.h"

#define CPW__WF_MAX_WORKFLOWS 255 /* a case keeps its workflow in 8 bits */
#define CPW__WF_MAX_ROLES 64
#define CPW__WF_MAX_FIELDS 64
#define CPW__WF_MAX_STATES 1000
#define CPW__WF_MAX_EVENTS 1000
#define CPW__WF_MAX_TRANS 65535   /* transitions are numbered in 16 bits */
#define CPW__WF_NONE 0xFFFFu
#define CPW__WF_MAX_PENDING 8     /* deadlines pending at once: the clocks of one state and
                                     the clocks that run across states */

/* ---------------------------------------------------------------- syntax */
typedef struct cpw__wf_ast_state {
  cpw__ast_name name;
  int initial, final, ongoing;
  const char *title;
  uint32_t title_len;
} cpw__wf_ast_state;

typedef struct cpw__wf_ast_event {
  cpw__ast_name name;
  cpw__ast_name *carries;
  uint32_t ncarries;
  const char *title;
  uint32_t title_len;
} cpw__wf_ast_event;

typedef struct cpw__wf_ast_field {
  cpw__ast_name name;
  cpw__ast_type type;
  cpw__node *init;           /* default value, or NULL: missing */
  const char *title;
  uint32_t title_len;
} cpw__wf_ast_field;

typedef struct cpw__wf_ast_set {
  cpw__ast_name field;
  cpw__node *expr;
} cpw__wf_ast_set;

typedef struct cpw__wf_ast_trans {
  cpw__ast_name event;
  cpw__ast_name *from;
  uint32_t nfrom;
  int any_from;              /* '*': every state that is not final */
  int has_to;
  cpw__ast_name to;
  cpw__ast_name *roles;
  uint32_t nroles;
  cpw__node *guard;
  cpw__wf_ast_set *sets;
  uint32_t nsets;
  const char *title;
  uint32_t title_len;
  int line, col;
  cpw__ast_basis basis;
} cpw__wf_ast_trans;

typedef struct cpw__wf_ast_deadline {
  cpw__ast_name event;
  int every;
  int64_t amount;
  uint8_t unit;              /* cpw__unit */
  cpw__ast_name state;        /* 'in STATE': a clock of that state */
  cpw__ast_name *starts;      /* 'from EVENT, ...': a clock that runs from one of these events */
  uint32_t nstarts;
  cpw__ast_name *stops;       /* 'until EVENT, ...': ... and also stops on one of these */
  uint32_t nstops;
  cpw__node *when;
  int has_escalate;
  cpw__ast_name esc_event, esc_role;
  int line, col;
  cpw__ast_basis basis;
} cpw__wf_ast_deadline;

typedef struct cpw__wf_ast {
  int has_calendar;
  cpw__ast_name calendar;
  cpw__ast_name *roles;
  uint32_t nroles;
  cpw__wf_ast_state *states;
  uint32_t nstates;
  cpw__wf_ast_event *events;
  uint32_t nevents;
  cpw__wf_ast_field *fields;
  uint32_t nfields;
  cpw__wf_ast_trans *trans;
  uint32_t ntrans;
  cpw__wf_ast_deadline *deadlines;
  uint32_t ndeadlines;
  int has_escalate;
  cpw__ast_name esc_event, esc_role;
  int esc_line, esc_col;
} cpw__wf_ast;

int cpw__parse_workflow(cpw__parser *p, cpw__decl *d, uint32_t start);

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
  const cpw__wf_ast_trans *ast;  /* its syntax (from-states) */
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

void cpw__check_workflow(cpw__checker *ck, cpw__compiler *cc, cpw__decl *d);
void cpw__workflow_free_maps(struct cpw_workflow *wf);

#endif
