/* SPDX-License-Identifier: Apache-2.0 */
/* policy/builtins.h: the functions of the policy language, as one table. The checker looks a
 * call up here (arity, argument and result types, whether it needs a calendar, the "known:"
 * list of its message), the code generator emits it from its row (the VM instruction and the
 * order of its operands), the explainer names it, and docs/policy-language.md's Functions
 * table lists exactly these rows (unit.builtins checks it). A new function is a row here and,
 * when no instruction does it yet, one VM case (docs/conventions.md: "add a builtin"). */
#ifndef CPW_POLICY_BUILTINS_H
#define CPW_POLICY_BUILTINS_H

#include <stddef.h>
#include <stdint.h>

/* how a call is emitted: the operands' registers and the instruction */
enum {
  CPW__B_UNARY,      /* op(a) */
  CPW__B_BINARY,     /* op(a, b) */
  CPW__B_SWAPPED,    /* op(b, a): days_between(a, b) is b - a */
  CPW__B_ASOF        /* op(a, b), b the evaluation date when it is not given (age) */
};

typedef struct cpw__builtin {
  const char *name;
  uint8_t min, max;          /* arity */
  uint8_t args[2];           /* each argument's type (T_*), T_ERROR: any ordered type */
  uint8_t result;            /* T_*, or T_ERROR: the arguments' type (min, max) */
  uint8_t needs_calendar;    /* working days: the policy must declare a calendar */
  uint8_t may_fail;          /* can stop with an evaluation error (a date out of range) */
  uint8_t shape;             /* CPW__B_* */
  uint8_t op;                /* the VM instruction (vm.h cpw__op) */
  const char *signature;     /* as the docs write it: "age(date, on)" */
  const char *doc;           /* what it gives, for the docs */
} cpw__builtin;

extern const cpw__builtin cpw__builtins[];
extern const size_t cpw__nbuiltins;

/* The row of `name` (len bytes), or NULL. */
const cpw__builtin *cpw__builtin_find(const char *name, size_t len);

/* "age, years_between, ..." (the names, for a message): written into buf, cut to size. */
void cpw__builtin_names(char *buf, size_t size);

#endif
