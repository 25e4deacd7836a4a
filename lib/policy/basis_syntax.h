/* SPDX-License-Identifier: Apache-2.0 */
/* policy/basis_syntax.h: `source` declarations and `basis` clauses as parsed, and the checker's
 * functions that build the table of rules (compile time only; the engines read the table
 * through basis.h). */
#ifndef CPW_POLICY_BASIS_SYNTAX_H
#define CPW_POLICY_BASIS_SYNTAX_H

#include "policy/basis.h"
#include "policy/check.h"
#include "policy/parse.h"

/* ---------------------------------------------------------------- syntax */
typedef struct cpw__ast_source {   /* the `ext` of a D_SOURCE declaration */
  const char *number, *article, *address, *note;
  uint32_t number_len, article_len, address_len, note_len;
  int64_t date;                    /* CPW_DATE_MIN: none */
  uint8_t date_prec;
} cpw__ast_source;

/* source ID "citation" [{ number "..." article "..." date DATE address "..." note "..." }] */
int cpw__parse_source(cpw__parser *p, cpw__decl *d);
/* After the word 'basis': STATUS [( SOURCE ["pinpoint"], ... )] [note "..."]. */
int cpw__parse_basis(cpw__parser *p, cpw__ast_basis *b);
/* An item's own basis: 'basis ...' right after the item that began at source offset `start`
 * (only on the line where the item ends when `same_line`; the default policy's language puts
 * no such limit: callers pass 0). Records the item's text for listings. 0 on a syntax
 * error. */
int cpw__parse_item_basis(cpw__parser *p, cpw__ast_basis *b, uint32_t start, int same_line);
/* At the word 'basis' on a line of its own in a block: the block's own basis. */
int cpw__parse_block_basis(cpw__parser *p, cpw__ast_basis *b);
/* Record the text of a block's rule (its header) in b, from `start` to the end of the last
 * token read. */
void cpw__basis_text(cpw__parser *p, cpw__ast_basis *b, uint32_t start);
/* A date whose day, or day and month, may be unknown: YYYY-MM-DD, YYYY-MM or YYYY (the first
 * day of the month or year is used; *prec says how much is known). */
int cpw__parse_date_prec(cpw__parser *p, int64_t *out, uint8_t *prec, const char *what);

/* ---------------------------------------------------------------- checker */
/* Declare every `source` of the policy (before anything cites one). */
void cpw__declare_sources(cpw__checker *ck, cpw__decl *decls);
/* Add a rule with basis `b` (or, when b is absent, `inherit`'s basis, marked inherited) and
 * return its index (CPW__NO_RULE after an error). Its text is `text` when given, else b's
 * text folded to one line, else its name. Unknown source ids are errors. */
uint32_t cpw__rule_add(cpw__checker *ck, int kind, const char *file, int line, const char *name,
                       const cpw__ast_basis *b, uint32_t inherit, const char *text_fallback,
                       int64_t start, int start_prec);
/* `prefix` then src[0..len) folded to one line (comments left out), cut after 400 bytes; in
 * the policy's arena (NULL on OOM, marked). */
const char *cpw__fold_text(cpw__checker *ck, const char *prefix, const char *src, uint32_t len);
/* The parameters a programme's formulas read (through definitions), into pg->params_used. */
void cpw__collect_params(cpw__checker *ck, struct cpw_program *pg);

#endif
