/* policy/explain.h: turns a traced evaluation into reasons and plain-English sentences, and
 * finds the missing fields an undetermined result depends on. */
#ifndef CPW_POLICY_EXPLAIN_H
#define CPW_POLICY_EXPLAIN_H

#include "base/buf.h"
#include "policy/policy_int.h"

/* Reasons are built in a string pool; the public cpw_reason pointers are fixed afterwards. */
typedef struct cpw__xreason {
  int holds;
  size_t subject, value, requirement, clause, sentence;   /* offsets into pool */
  int line, col;
} cpw__xreason;

typedef struct cpw__explainer {
  cpw_ctx *ctx;
  const struct cpw_policy *pol;
  const cpw__trace_entry *trace;
  uint32_t gen;
  const char *const *slot_names;  /* names of the scope's input slots */
  cpw__buf pool;
  cpw__xreason *items;
  size_t count, cap;
  cpw_reason *pub;                /* public view, built by cpw__explain_finish */
  size_t pub_cap;
  int oom;
} cpw__explainer;

void cpw__explainer_init(cpw__explainer *ex, cpw_ctx *ctx);
void cpw__explainer_free(cpw__explainer *ex);
/* Forget the previous reasons (keeps memory). */
void cpw__explainer_reset(cpw__explainer *ex, const struct cpw_policy *pol,
                          const cpw__trace_entry *trace, uint32_t gen,
                          const char *const *slot_names);
/* Add the reasons that decided `root` (its traced value). */
void cpw__explain_node(cpw__explainer *ex, const cpw__node *root);
/* Add a free-form reason (e.g. "the programme is in force from ..."). */
void cpw__explain_note(cpw__explainer *ex, int holds, const char *sentence);
/* Build ex->pub pointers. CPW_OK or CPW_ENOMEM. */
int cpw__explain_finish(cpw__explainer *ex);
/* Render a value of a node's type into buf ("1000 GEL", "2019-06-01", "georgian"). */
void cpw__format_value(const struct cpw_policy *pol, uint8_t type, uint16_t enum_id,
                       int64_t value, char *buf, size_t size);

/* Collect the input slots and parameters whose missing value left `root` unknown.
 * slots[i] / params[i] are set to 1 for each. */
void cpw__missing_inputs(const struct cpw_policy *pol, const cpw__node *root,
                         const cpw__trace_entry *trace, uint32_t gen, uint8_t *slots,
                         uint8_t *params);

#endif
