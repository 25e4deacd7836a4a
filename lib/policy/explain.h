/* SPDX-License-Identifier: Apache-2.0 */
/* policy/explain.h: turns a traced evaluation into an explanation that follows the formula's
 * logic, and finds the missing fields an undetermined result depends on.
 *
 * An explanation is a small tree: its leaves are the clauses that decided the outcome (each
 * one a public cpw_reason: subject, value, requirement, sentence), its groups say how they
 * combine:
 *   X_ALL   every child counts: the failed conjuncts of a failed `and`, the conjuncts of an
 *           `and` that holds, the unknown conjuncts of an undetermined `and` (all are needed);
 *   X_NONE  a failed `or`: none of its alternatives holds (all are named);
 *   X_ANY   an undetermined `or`: its unknown alternatives, any one of which would do.
 * An `or` that holds is explained by its first alternative that holds. Chains of one connective
 * are flattened (through `not`, by De Morgan), and a group of one child is that child.
 * The text is rendered from the tree in a language (base/lang.h): connectors "; and ", "; or ",
 * "none of: ..." come from the catalogue, so alternatives are never joined with "and". */
#ifndef CPW_POLICY_EXPLAIN_H
#define CPW_POLICY_EXPLAIN_H

#include "base/buf.h"
#include "base/lang.h"
#include "policy/policy_int.h"

/* Reasons are built in a string pool; the public cpw_reason pointers are fixed afterwards. */
typedef struct cpw__xreason {
  int holds;
  size_t subject, value, requirement, clause, sentence;   /* offsets into pool */
  int line, col;
} cpw__xreason;

enum { X_LEAF, X_ALL, X_ANY, X_NONE };

typedef struct cpw__xnode {
  uint8_t kind;            /* X_LEAF, X_ALL, X_ANY, X_NONE */
  int8_t holds;            /* 1 holds, 0 fails, -1 unknown (as the rule needs it) */
  uint8_t negated;         /* a leaf explained under an odd number of `not` */
  uint32_t reason;         /* leaf: index of its reason */
  uint32_t kids, nkids;    /* group: its children are kids[kids .. kids + nkids) */
  const cpw__node *at;     /* the formula node (NULL for a note) */
  size_t span0, span1;     /* where the node's text is in the last rendering */
} cpw__xnode;

typedef struct cpw__explainer {
  cpw_ctx *ctx;
  const struct cpw_policy *pol;
  const cpw__trace_entry *trace;
  uint32_t gen;
  const char *const *slot_names;  /* names of the scope's input slots */
  const cpw__lang *lang;          /* words and formats (cpw__lang_names() by default) */
  const struct cpw_workflow *wf;  /* the formula is a guard of this workflow (case fields) */
  int placement;                  /* the formula is a gatekeeping rule (placement facts) */
  cpw__buf pool;
  cpw__xreason *items;            /* the reasons: the leaves, each sentence once */
  size_t count, cap;
  cpw__xnode *nodes;              /* the tree */
  size_t nnodes, nodes_cap;
  uint32_t *kids;                 /* children of groups, by group */
  size_t nkids, kids_cap;
  uint32_t *stack;                /* children of the groups being built */
  size_t nstack, stack_cap;
  uint32_t *roots;                /* one tree per explained formula or note */
  size_t nroots, roots_cap;
  cpw_reason *pub;                /* public view, built by cpw__explain_finish */
  size_t pub_cap;
  int oom;
} cpw__explainer;

void cpw__explainer_init(cpw__explainer *ex, cpw_ctx *ctx);
void cpw__explainer_free(cpw__explainer *ex);
/* Forget the previous reasons (keeps memory). The language is reset to the default. */
void cpw__explainer_reset(cpw__explainer *ex, const struct cpw_policy *pol,
                          const cpw__trace_entry *trace, uint32_t gen,
                          const char *const *slot_names);
/* Words and formats of the explanations built next (NULL: the default). */
void cpw__explainer_lang(cpw__explainer *ex, const cpw__lang *lang);
/* Whose names the formulas explained next use: a workflow's case fields, or the placement
 * facts (both reset by cpw__explainer_reset). */
void cpw__explainer_scope(cpw__explainer *ex, const struct cpw_workflow *wf, int placement);
/* Add the explanation of `root` (its traced value) as a new tree. */
void cpw__explain_node(cpw__explainer *ex, const cpw__node *root);
/* Add a free-form reason (e.g. "the programme is in force from ...") as a new tree. */
void cpw__explain_note(cpw__explainer *ex, int holds, const char *sentence);
/* Build ex->pub pointers. CPW_OK or CPW_ENOMEM. */
int cpw__explain_finish(cpw__explainer *ex);
/* Append the text of every tree to out (trees separated by the language's note separator),
 * recording each node's span. CPW_OK or CPW_ENOMEM. Call after cpw__explain_finish. */
int cpw__explain_render(cpw__explainer *ex, cpw__buf *out);
/* Render a value of a node's type into buf ("1000 GEL", "2019-06-01", "georgian"), in the
 * policy's names and ISO formats. */
void cpw__format_value(const struct cpw_policy *pol, uint8_t type, uint16_t enum_id,
                       int64_t value, char *buf, size_t size);
/* The same in a language's formats (and, with labels, enum values by their labels: those of
 * workflow wf's case fields first when wf is not NULL). */
void cpw__format_value_in(const struct cpw_policy *pol, const cpw__lang *lang,
                          const struct cpw_workflow *wf, uint8_t type, uint16_t enum_id,
                          int64_t value, char *buf, size_t size);
/* A formula as a reader sees it: as written in the policy (the default language), or, in a
 * language with labels, with every name by its label, values in the language's formats and
 * `and`, `or`, `not` in its words (comparisons as =, ≠, <, ≤, >, ≥). Cut between characters. */
void cpw__expr_text(const struct cpw_policy *pol, const cpw__lang *lang,
                    const struct cpw_workflow *wf, int placement, const cpw__node *n, char *buf,
                    size_t size);
/* The member `member` of enum `enum_id` as a reader sees it (its label, or its name). */
const char *cpw__member_text(const struct cpw_policy *pol, const cpw__lang *lang,
                             const struct cpw_workflow *wf, uint16_t enum_id, uint32_t member);

/* Collect the input slots and parameters whose missing value left `root` unknown.
 * slots[i] / params[i] are set to 1 for each. */
void cpw__missing_inputs(const struct cpw_policy *pol, const cpw__node *root,
                         const cpw__trace_entry *trace, uint32_t gen, uint8_t *slots,
                         uint8_t *params);

#endif
