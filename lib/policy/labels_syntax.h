/* SPDX-License-Identifier: Apache-2.0 */
/* policy/labels_syntax.h: the `labels` declaration as parsed, its parser and its checker (compile
 * time only; the engines read the compiled labels through labels.h). */
#ifndef CPW_POLICY_LABELS_SYNTAX_H
#define CPW_POLICY_LABELS_SYNTAX_H

#include "policy/check.h"
#include "policy/labels.h"
#include "policy/parse.h"

/* ---------------------------------------------------------------- syntax */
typedef struct cpw__label_entry {
  cpw__ast_name kind;
  const char *name;          /* "referral.notified", "New Year's Day", "" for policy */
  uint32_t name_len;
  const char *text;          /* the label */
  uint32_t text_len;
  int line, col;
} cpw__label_entry;

typedef struct cpw__labels_ast {
  cpw__label_entry *entries;
  uint32_t nentries;
} cpw__labels_ast;

/* labels TAG ["language name"] { KIND [NAME] "label" ... } */
int cpw__parse_labels(cpw__parser *p, cpw__decl *d);

/* Check the labels declarations of `decls` against the checked policy (after workflows and
 * settings) and store them in ck->pol. */
void cpw__check_labels(cpw__checker *ck, cpw__decl *decls);

#endif
