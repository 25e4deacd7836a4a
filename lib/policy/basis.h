/* SPDX-License-Identifier: Apache-2.0 */
/* policy/basis.h: the legal basis of rules as data: `source` declarations (a citation declared
 * once and referred to by id), the `basis` clause of every rule-bearing declaration, and the
 * compiled table of rules that the API, explanations, deadlines, diagrams and `cpw sources`
 * show. Syntax in basis_parse.c, model in basis.c.
 *
 * This header is the compiled table and its look-ups, for the engines; the syntax and the
 * checker's functions are in basis_syntax.h. */
#ifndef CPW_POLICY_BASIS_H
#define CPW_POLICY_BASIS_H

#include "policy/policy_int.h"

/* ---------------------------------------------------------------- compiled */
#define CPW__NO_RULE UINT32_MAX

typedef struct cpw__basis {
  uint8_t status;                  /* cpw_basis_status (0: none stated) */
  uint8_t inherited;               /* taken from the enclosing block */
  uint32_t nrefs;
  uint32_t *ref_source;            /* indexes into pol->cites */
  const char **ref_pin;            /* "" when none */
  const char *note;                /* "" when none */
} cpw__basis;

struct cpw_source {
  const struct cpw_policy *policy;
  uint32_t index;
  const char *id, *citation, *number, *article, *address, *note;
  int64_t date;                    /* CPW_DATE_MIN: none */
  uint8_t date_prec;
  const char *file;
  int line;
};

struct cpw_rule {
  const struct cpw_policy *policy;
  uint32_t index;
  uint8_t kind;                    /* cpw_rule_kind */
  const char *name;                /* what it is: "tsa_child_benefit", "referral: register" */
  const char *text;                /* the rule as written, on one line */
  const char *file;
  int line;
  int64_t start;                   /* when it starts applying, or CPW_DATE_MIN */
  int8_t start_prec;               /* CPW__PREC_*, or -1 when it has no start */
  cpw__basis basis;
  const char *basis_text;          /* "agency default, not law (...)" */
};

/* A date as written with its precision: "2015", "2022-07", "2021-07-01". */
void cpw__date_text(char buf[CPW_DATE_BUFSIZE], int64_t date, int prec);
/* The rule of index i, or NULL. */
const struct cpw_rule *cpw__rule(const struct cpw_policy *pol, uint32_t i);
/* A short label of a rule's status for diagrams: "" for law and regulation, else
 * "agency default" / "proposal" / "no basis". */
const char *cpw__basis_mark(const struct cpw_rule *r);

#endif
