/* SPDX-License-Identifier: Apache-2.0 */
/* policy/pl_syntax.h: the syntax of setting, facility and placement declarations, their
 * parser (pl_parse.c) and their checker and compiler (pl_check.c), which build the model of
 * pl_model.h. Compile time only: the registry does not include this header. */
#ifndef CPW_POLICY_PL_SYNTAX_H
#define CPW_POLICY_PL_SYNTAX_H

#include "policy/check.h"
#include "policy/code.h"
#include "policy/parse.h"
#include "policy/pl_model.h"

/* ---------------------------------------------------------------- syntax */
typedef struct cpw__pl_ast_rule {
  int warn;                  /* 1: a warning, 0: a denial */
  const char *reason;
  uint32_t reason_len;
  cpw__node *when;
  int line, col;
  cpw__ast_basis basis;
} cpw__pl_ast_rule;

typedef struct cpw__pl_ast {     /* setting, facility or placement rules */
  cpw__ast_name setting;         /* facility: its setting type */
  int category;                  /* setting: category, or -1 */
  int64_t capacity, min_age, max_age;
  const char *region;
  uint32_t region_len;
  /* rules block */
  cpw__ast_name *preference;
  uint32_t npreference;
  cpw__ast_name *roles;
  uint32_t nroles;
  int64_t review_amount;
  uint8_t review_unit;
  int64_t leaving_age;
  cpw__pl_ast_rule *rules;
  uint32_t nrules;
  /* bases: of a setting's or facility's capacity and ages; of the preference order, reviews
   * and leaving care (the declaration's own is in the decl) */
  cpw__ast_basis capacity_basis, ages_basis;
  cpw__ast_basis preference_basis, review_basis, leaving_basis;
} cpw__pl_ast;

int cpw__parse_setting(cpw__parser *p, cpw__decl *d, uint32_t start);
int cpw__parse_facility(cpw__parser *p, cpw__decl *d, uint32_t start);
int cpw__parse_placement(cpw__parser *p, cpw__decl *d, uint32_t start);

void cpw__check_settings(cpw__checker *ck, cpw__compiler *cc, cpw__decl *decls);

#endif
