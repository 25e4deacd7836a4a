/* SPDX-License-Identifier: Apache-2.0 */
/* policy/lex.h: the lexer of the policy language (one-token lookahead, Lua style). */
#ifndef CPW_POLICY_LEX_H
#define CPW_POLICY_LEX_H

#include "base/base.h"

typedef enum cpw__tok {
  TK_EOF = 0,
  TK_ERROR,
  TK_IDENT,
  TK_INT,        /* integer literal: ival */
  TK_DECIMAL,    /* decimal literal with up to 2 fraction digits: ival = value * 100 */
  TK_STRING,     /* "...": str/len hold the decoded bytes (arena) */
  TK_DATE,       /* 2019-06-01: ival = cpw_date */
  TK_DATETIME,   /* 2019-06-01T09:00:00+04:00: ival = cpw_time */
  /* punctuation */
  TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_COMMA, TK_COLON, TK_DOT,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_ARROW,
  /* reserved words */
  TK_AND, TK_OR, TK_NOT, TK_IN, TK_IS, TK_IF, TK_THEN, TK_ELSE, TK_TRUE, TK_FALSE,
  TK_BETWEEN, TK_CONTAINS, TK_MISSING, TK_GIVEN, TK_WHEN, TK_FROM, TK_UNTIL, TK_BY,
  TK_SET, TK_OF,
  TK__COUNT
} cpw__tok;

typedef struct cpw__token {
  cpw__tok kind;
  int line, col;
  uint32_t off, len;     /* the token's source span */
  int64_t ival;
  const char *str;       /* identifier (points into the source) or decoded string (arena) */
  uint32_t slen;
} cpw__token;

struct cpw__arena;
struct cpw__diags;

typedef struct cpw__lexer {
  const char *src;
  size_t len;
  size_t pos;
  int line;
  size_t line_start;
  const char *file;
  struct cpw__arena *arena;
  struct cpw__diags *diags;
  cpw__token cur;        /* the current token */
  cpw__token ahead;      /* one token of lookahead when has_ahead */
  int has_ahead;
} cpw__lexer;

void cpw__lex_init(cpw__lexer *lx, const char *file, const char *src, size_t len,
                   struct cpw__arena *arena, struct cpw__diags *diags);
/* Advance: lx->cur becomes the next token. */
void cpw__lex_next(cpw__lexer *lx);
/* Peek at the token after lx->cur. */
const cpw__token *cpw__lex_peek(cpw__lexer *lx);
/* A printable description of a token kind ("')'", "a name", "end of file"). */
const char *cpw__tok_name(cpw__tok kind);
/* 1 if `s` is a reserved word. */
int cpw__is_reserved(const char *s, size_t len);

#endif
