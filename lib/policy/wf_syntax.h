/* SPDX-License-Identifier: Apache-2.0 */
/* policy/wf_syntax.h: the syntax of a workflow declaration, its parser (wf_parse.c) and its
 * checker and compiler (wf_check.c), which build the model of wf_model.h. Compile time only:
 * the case engine does not include this header. */
#ifndef CPW_POLICY_WF_SYNTAX_H
#define CPW_POLICY_WF_SYNTAX_H

#include "policy/check.h"
#include "policy/code.h"
#include "policy/parse.h"
#include "policy/wf_model.h"

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

void cpw__check_workflow(cpw__checker *ck, cpw__compiler *cc, cpw__decl *d);

#endif
