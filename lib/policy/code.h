/* SPDX-License-Identifier: Apache-2.0 */
/* policy/code.h: compiles checked expressions into VM code (vm.h). */
#ifndef CPW_POLICY_CODE_H
#define CPW_POLICY_CODE_H

#include "policy/policy_int.h"

typedef struct cpw__compiler {
  struct cpw_policy *pol;
  cpw__diags *diags;
  const char *file;
  /* code being built */
  cpw__insn *code;
  size_t n, cap;
  uint32_t maxreg;
  int traced;            /* emit OP_TRACE after every node, no fused instructions */
  int overflow;          /* too much code or too many registers */
  const struct cpw_calendar *calendar;  /* for working days (NULL: the policy's first) */
} cpw__compiler;

void cpw__compiler_init(cpw__compiler *c, struct cpw_policy *pol, cpw__diags *diags);
void cpw__compiler_free(cpw__compiler *c);

/* Compile `n` (already checked) into `out` (arena). traced: the explanation variant. On
 * failure a diagnostic is reported at the expression and CPW_ELIMIT/CPW_ENOMEM returned. */
int cpw__compile_expr(cpw__compiler *c, cpw__node *n, int traced, cpw__code *out);

/* Number every node of n (explanation trace ids). */
void cpw__number_nodes(struct cpw_policy *pol, cpw__node *n);

/* Compile every formula of the policy's programmes. */
void cpw__compile_programs(cpw__compiler *c);

#endif
