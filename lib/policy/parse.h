/* SPDX-License-Identifier: Apache-2.0 */
/* policy/parse.h: recursive-descent parser of policy files into declarations (ast.h). */
#ifndef CPW_POLICY_PARSE_H
#define CPW_POLICY_PARSE_H

#include "policy/ast.h"
#include "policy/lex.h"

typedef struct cpw__parser {
  cpw__lexer lx;
  struct cpw__arena *arena;
  struct cpw__diags *diags;
  int prev_line;          /* line of the previous token (to find the start of a line) */
  uint32_t prev_end;      /* source offset just past the previous token */
  int depth;              /* expression nesting, bounded */
  int failed;             /* an error in the current declaration: resynchronise */
} cpw__parser;

/* Parse one source text; declarations are appended to *tail (decls.c: the table of
 * declaration kinds dispatches each to its parser). */
void cpw__parse_file(const char *file, const char *src, size_t len, struct cpw__arena *arena,
                     struct cpw__diags *diags, cpw__decl ***tail);

/* The parsers of the core declarations (the word is consumed; `start` is its offset). Each
 * returns 1 when the declaration is whole. The engine-specific ones are in wf_parse.c,
 * pl_parse.c, labels.c and basis.c. */
int cpw__parse_policy(cpw__parser *p, cpw__decl *d);
int cpw__parse_timezone(cpw__parser *p, cpw__decl *d);
int cpw__parse_calendar(cpw__parser *p, cpw__decl *d, uint32_t start);
int cpw__parse_field(cpw__parser *p, cpw__decl *d);
int cpw__parse_param(cpw__parser *p, cpw__decl *d);
int cpw__parse_define(cpw__parser *p, cpw__decl *d);
int cpw__parse_program(cpw__parser *p, cpw__decl *d, uint32_t start);

/* Helpers shared with the declaration parsers (these and the engine-specific ones). */
/* "'x'", "a number", "the end of the file": the current token for a message */
void cpw__parse_describe(const cpw__parser *p, char *buf, size_t size);
void cpw__parse_advance(cpw__parser *p);
int cpw__parse_check(cpw__parser *p, cpw__tok kind);             /* current token is kind */
int cpw__parse_accept(cpw__parser *p, cpw__tok kind);            /* consume if kind */
int cpw__parse_expect(cpw__parser *p, cpw__tok kind, const char *what);
int cpw__parse_is_word(const cpw__parser *p, const char *word);  /* current is this name */
int cpw__parse_accept_word(cpw__parser *p, const char *word);
int cpw__parse_name(cpw__parser *p, cpw__ast_name *out, const char *what);
int cpw__parse_string(cpw__parser *p, const char **s, uint32_t *len);  /* optional "..." */
int cpw__parse_date(cpw__parser *p, int64_t *out, const char *what);
int cpw__parse_type(cpw__parser *p, cpw__ast_type *out);
cpw__node *cpw__parse_expr(cpw__parser *p);
void cpw__parse_error(cpw__parser *p, const char *fmt, ...) CPW__PRINTF(2, 3);
void *cpw__parse_alloc(cpw__parser *p, size_t size);
/* Grow an arena array of `elem`-sized items from n to n + 1 (copying); NULL on OOM. */
void *cpw__parse_push(cpw__parser *p, void *array, uint32_t n, size_t elem);

#define CPW__MAX_DEPTH 200

#endif
