/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/workflow.h: referral case workflows: cases, events, roles, guards, deadlines,
 * caseloads and diagrams. */
#ifndef CPW_WORKFLOW_H
#define CPW_WORKFLOW_H

#include "common.h"
#include "lang.h"
#include "policy.h"

CPW_BEGIN_DECL

/** A workflow of a policy (borrowed from the policy). */
typedef struct cpw_workflow cpw_workflow;
/** Many cases of one policy: lookup by id, deadlines, counts. */
typedef struct cpw_caseload cpw_caseload;
/** One case (borrowed from its caseload; valid until the caseload is freed). */
typedef struct cpw_case cpw_case;

/* ------------------------------------------------------------------ workflows */
CPW_API size_t cpw_policy_workflow_count(const cpw_policy *policy);
CPW_API const cpw_workflow *cpw_policy_workflow_at(const cpw_policy *policy, size_t index);
/** A workflow by name, or NULL. */
CPW_API const cpw_workflow *cpw_policy_workflow(const cpw_policy *policy, const char *name);
CPW_API const char *cpw_workflow_name(const cpw_workflow *wf);
CPW_API const char *cpw_workflow_title(const cpw_workflow *wf);
CPW_API size_t cpw_workflow_state_count(const cpw_workflow *wf);
CPW_API const char *cpw_workflow_state(const cpw_workflow *wf, size_t index);
/** 1 if the state is final (no event leaves it). */
CPW_API int cpw_workflow_state_is_final(const cpw_workflow *wf, size_t index);
CPW_API size_t cpw_workflow_event_count(const cpw_workflow *wf);
CPW_API const char *cpw_workflow_event(const cpw_workflow *wf, size_t index);
CPW_API size_t cpw_workflow_role_count(const cpw_workflow *wf);
CPW_API const char *cpw_workflow_role(const cpw_workflow *wf, size_t index);
CPW_API size_t cpw_workflow_field_count(const cpw_workflow *wf);
CPW_API const char *cpw_workflow_field(const cpw_workflow *wf, size_t index);
/** A case field's cpw_type (never CPW_TYPE_TEXT: case fields cannot be text), or 0 if index
 *  is out of range. Tells how to read cpw_case_get's value. */
CPW_API int cpw_workflow_field_type(const cpw_workflow *wf, size_t index);
/** Enum and set case fields (1.1): the number of values and each value's name (as
 *  cpw_case_get_string writes it); 0 and NULL for other fields or an index out of range. */
CPW_API size_t cpw_workflow_field_value_count(const cpw_workflow *wf, size_t index);
CPW_API const char *cpw_workflow_field_value(const cpw_workflow *wf, size_t index, size_t value);
/** The index of a state, event or role by name; CPW_ENOTFOUND if there is none. */
CPW_API int cpw_workflow_state_index(const cpw_workflow *wf, const char *name);
CPW_API int cpw_workflow_event_index(const cpw_workflow *wf, const char *name);
CPW_API int cpw_workflow_role_index(const cpw_workflow *wf, const char *name);

/** The workflow's own rule (1.1): the basis of its stages and roles, which its transitions
 *  and deadlines without one of their own have too. */
CPW_API const cpw_rule *cpw_workflow_rule(const cpw_workflow *wf);

/** Diagram formats of cpw_workflow_diagram. */
typedef enum cpw_diagram_format {
  CPW_DIAGRAM_DOT = 0,      /**< Graphviz DOT */
  CPW_DIAGRAM_MERMAID = 1   /**< Mermaid stateDiagram-v2 */
} cpw_diagram_format;

/** Draw a workflow: states, transitions labelled with event, roles and guard; deadlines as
 *  notes. *out is NUL-terminated, owned by the caller: free it with cpw_free(ctx, *out). */
CPW_API int cpw_workflow_diagram(const cpw_workflow *wf, cpw_ctx *ctx, int format, char **out,
                                 size_t *len);
/** cpw_workflow_diagram in the language `opts` gives (NULL or a NULL lang: the context's
 *  default, which cpw_workflow_diagram uses). In a language, states are drawn with their labels
 *  (Mermaid `state "label" as id`, DOT `label=`), edges with event and role labels and the
 *  guard written with labels, deadlines in the language's words; identifiers stay the node
 *  ids. Errors as cpw_workflow_diagram, and CPW_EVERSION, CPW_ENOTFOUND (a language neither
 *  built in nor declared by the policy). */
CPW_API int cpw_workflow_diagram_with(const cpw_workflow *wf, cpw_ctx *ctx, int format,
                                      const cpw_text_options *opts, char **out, size_t *len);

/* ------------------------------------------------------------------ caseloads */

/** A field value given with an event or when a case is opened, as text read by the field's
 *  type (see cpw_record_set_string). value NULL or "" makes the field missing. */
typedef struct cpw_field_value {
  const char *field;
  const char *value;
} cpw_field_value;

/** Create an empty caseload for `policy` (which must outlive it). */
CPW_API int cpw_caseload_new(cpw_caseload **out, cpw_ctx *ctx, const cpw_policy *policy);
CPW_API void cpw_caseload_free(cpw_caseload *cl);
CPW_API const cpw_policy *cpw_caseload_policy(const cpw_caseload *cl);

/**
 * Open a case of `workflow` in its initial state at time `at`, by `actor` in `role`, with the
 * workflow's default field values overridden by `fields`. Deadlines of the initial state
 * start. *out (may be NULL) receives the case, borrowed from the caseload.
 * Errors: CPW_EEXISTS (the id is taken), CPW_ENOTFOUND (workflow, role or field unknown),
 * CPW_EINVALID (a value of the wrong type; an id that is empty, longer than 256 bytes or not
 * UTF-8), CPW_ENOMEM.
 */
CPW_API int cpw_caseload_open(cpw_caseload *cl, cpw_case **out, const char *case_id,
                              const char *workflow, const cpw_field_value *fields,
                              size_t nfields, cpw_time at, const char *actor, const char *role);

/** The case with this id, or NULL. */
CPW_API cpw_case *cpw_caseload_find(const cpw_caseload *cl, const char *case_id);
CPW_API size_t cpw_caseload_case_count(const cpw_caseload *cl);
/** Cases in the order they were opened. */
CPW_API cpw_case *cpw_caseload_case_at(const cpw_caseload *cl, size_t index);
/** How many cases of `workflow` are in `state` now; CPW_ENOTFOUND (negative) for unknown names. */
CPW_API int64_t cpw_caseload_count(const cpw_caseload *cl, const char *workflow,
                                   const char *state);

/* ------------------------------------------------------------------ events */

/** Why an event was refused (cpw_case_refusal). */
typedef enum cpw_refusal {
  CPW_ACCEPTED = 0,
  CPW_REFUSED_NO_TRANSITION = 1,  /**< no transition from the current state on this event */
  CPW_REFUSED_ROLE = 2,           /**< the role may not fire this event here */
  CPW_REFUSED_GUARD = 3,          /**< the guard is false, or undetermined for missing data */
  CPW_REFUSED_FINAL = 4,          /**< the case is in a final state */
  CPW_REFUSED_TIME = 5            /**< the event is earlier than the case's last event */
} cpw_refusal;

/** "accepted", "no_transition", "role", "guard", "final", "time". */
CPW_API const char *cpw_refusal_name(int refusal);

/**
 * Apply an event to a case at time `at`, by `actor` in `role`, with field values the event
 * carries (they are visible to the guards and kept when the event is accepted). The
 * transitions from the current state on the event are tried in declaration order; the first
 * whose roles include `role` and whose guard holds fires. A guard that cannot be decided
 * because a field is missing refuses the event (it does not fall through to the next
 * transition), naming the missing field. Atomic: either accepted (state, fields and deadlines
 * change) and CPW_OK is returned, or refused and nothing changes: then CPW_EDENIED is
 * returned, cpw_case_refusal() gives the reason and cpw_case_explain() the explanation ("no
 * transition from assessment on approve_plan", "role intake_officer may not approve_plan in
 * state case_planning", "guard failed: active_services is 2, but must be 0"); the context's
 * last error holds a one-line message.
 * Errors (nothing changes either): CPW_ENOTFOUND (unknown event, role or field), CPW_EINVALID
 * (a field the event does not carry, a bad value, NULL arguments), CPW_ENOMEM.
 */
CPW_API int cpw_case_apply(cpw_case *c, const char *event, const char *actor, const char *role,
                           cpw_time at, const cpw_field_value *fields, size_t nfields);

/** The same with event and role given by index (cpw_workflow_event_index / _role_index). */
CPW_API int cpw_case_apply_index(cpw_case *c, int event, const char *actor, int role,
                                 cpw_time at, const cpw_field_value *fields, size_t nfields);

/** The rule that refused this case's last event (1.1): the transition whose guard failed or
 *  that the role may not fire, with its basis (cpw_rule_basis); NULL after an accepted event,
 *  for other refusals, or when another case of the caseload was refused since. */
CPW_API const cpw_rule *cpw_case_refusal_rule(const cpw_case *c);

/** The reason of the last refusal of this case (CPW_ACCEPTED after an accepted event). */
CPW_API int cpw_case_refusal(const cpw_case *c);
/** The explanation of this case's refusal ("" after an accepted event, or when another case of
 *  the caseload was refused since); borrowed, valid until the next refusal in the caseload. */
CPW_API const char *cpw_case_explain(const cpw_case *c);
/** The explanation of this case's refusal in the language `opts` gives (NULL or a NULL lang:
 *  the context's default, which cpw_case_explain uses; a language the policy does not have:
 *  the policy's names), e.g. in Georgian "ეტაპზე „რეგისტრირებულია სააგენტოს მიერ“ მოქმედება
 *  „შემთხვევის გეგმის დამტკიცება“ არ არის გათვალისწინებული". "" as cpw_case_explain, and for
 *  an unsupported opts->version. Borrowed; valid until the next refusal in the caseload or the
 *  next explanation asked in another language. */
CPW_API const char *cpw_case_explain_with(const cpw_case *c, const cpw_text_options *opts);

/* ------------------------------------------------------------------ case state */
CPW_API const char *cpw_case_id(const cpw_case *c);
CPW_API const cpw_workflow *cpw_case_workflow(const cpw_case *c);
CPW_API const char *cpw_case_state(const cpw_case *c);
CPW_API int cpw_case_state_index(const cpw_case *c);
/** When the case entered its current state. */
CPW_API cpw_time cpw_case_state_since(const cpw_case *c);
/** The time of the last accepted event (the opening counts). */
CPW_API cpw_time cpw_case_last_time(const cpw_case *c);
/** The number of accepted events (the opening counts as the first). */
CPW_API uint64_t cpw_case_event_count(const cpw_case *c);
/** A case field's value (the int64 form of cpw_column): 1 when set, 0 when missing,
 *  CPW_ENOTFOUND for an unknown field. */
CPW_API int cpw_case_get(const cpw_case *c, const char *field, int64_t *value);
/** A case field's value as text ("true", "12", "2019-06-01", "high", "a|b"), written to buf
 *  (NUL-terminated); returns 1 when set, 0 when missing (buf = ""), or an error. */
CPW_API int cpw_case_get_string(const cpw_case *c, const char *field, char *buf, size_t size);
/** The events `role` may fire now: a transition exists from the current state for the role and
 *  its guard is not false on the current fields whatever values the event carries (flag_urgent,
 *  which carries immediate_danger, is listed while immediate_danger is false; end_service is
 *  not listed while active_services is 0). Guards are judged as of the case's last event (for
 *  `today`). A listed event may still be refused for the values it brings; one left out is
 *  refused at that time. Nothing is listed in a final state or for an unknown role. Writes up
 *  to max event names (borrowed from the policy) in declaration order and returns how many
 *  there are. */
CPW_API size_t cpw_case_allowed_events(const cpw_case *c, const char *role, const char **names,
                                       size_t max);

/** A pending deadline. */
typedef struct cpw_deadline {
  const cpw_case *c;        /**< the case */
  const char *case_id;
  const char *event;        /**< the event expected before `due` */
  const char *escalation;   /**< the event due when it runs out (e.g. "deadline_missed") */
  const char *role;         /**< who must act on the escalation */
  cpw_time started;         /**< when the clock started */
  cpw_time due;             /**< when it runs out */
} cpw_deadline;

/** The rule behind a deadline (1.1): its basis says whether the clock is law or an agency
 *  default (cpw_rule_basis: "agency default, not law ..."). `deadline` is one filled in by
 *  cpw_case_deadlines, cpw_caseload_overdue or cpw_caseload_due_before (its `event` pointer
 *  tells which deadline it is); NULL when it cannot be told. */
CPW_API const cpw_rule *cpw_deadline_rule(const cpw_deadline *deadline);

/** The case's pending deadlines: writes up to max, returns how many there are. */
CPW_API size_t cpw_case_deadlines(const cpw_case *c, cpw_deadline *out, size_t max);

/** Deadlines of the caseload that ran out before `at` (due < at), earliest first: writes up to
 *  max and returns how many there are. Cost O(k log n) for k results. */
CPW_API size_t cpw_caseload_overdue(const cpw_caseload *cl, cpw_time at, cpw_deadline *out,
                                    size_t max);
/** Deadlines due on or before `at` (due <= at), earliest first. */
CPW_API size_t cpw_caseload_due_before(const cpw_caseload *cl, cpw_time at, cpw_deadline *out,
                                       size_t max);

/**
 * Count cases (1.1): the cases of `workflow` whose date field `date_field` is between `from`
 * and `to` (both included; a case without it is not counted) and, when `field` and `value` are
 * given, whose `field` has that value as cpw_case_get_string writes it ("school"; "" counts the
 * cases where it is missing). With `field` or `value` NULL: every case of the period. For the
 * referral workflow, registered_on counts notifications registered per year by reporter_type,
 * case_type or channel (Decree 437's statistics). Returns the count, or CPW_ENOTFOUND (unknown
 * workflow or field), CPW_EINVALID (NULL arguments, `date_field` not a date). O(cases).
 */
CPW_API int64_t cpw_caseload_tally(const cpw_caseload *cl, const char *workflow,
                                   const char *date_field, cpw_date from, cpw_date to,
                                   const char *field, const char *value);

/** Memory the caseload uses, in bytes (cases, fields, index, deadline queue). */
CPW_API size_t cpw_caseload_memory(const cpw_caseload *cl);

CPW_END_DECL

#endif
