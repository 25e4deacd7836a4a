/* SPDX-License-Identifier: Apache-2.0 */
/* policy/lex.c: turns policy text into tokens. Comments run from '#' to the end of the line.
 * Literals: integers (digits, '_' allowed between digits), decimals with one or two fraction
 * digits (money), "strings", dates (2019-06-01) and date-times (2019-06-01T09:00:00+04:00). */
#include "policy/lex.h"

#include <stdio.h>

#include "base/arena.h"
#include "policy/diag.h"

static const struct {
  const char *word;
  cpw__tok kind;
} reserved[] = {
  { "and", TK_AND },       { "or", TK_OR },           { "not", TK_NOT },
  { "in", TK_IN },         { "is", TK_IS },           { "if", TK_IF },
  { "then", TK_THEN },     { "else", TK_ELSE },       { "true", TK_TRUE },
  { "false", TK_FALSE },   { "between", TK_BETWEEN }, { "contains", TK_CONTAINS },
  { "missing", TK_MISSING }, { "given", TK_GIVEN },   { "when", TK_WHEN },
  { "from", TK_FROM },     { "until", TK_UNTIL },     { "by", TK_BY },
  { "set", TK_SET },       { "of", TK_OF },
};

static const char *const tok_names[TK__COUNT] = {
  "end of file", "invalid input", "a name", "a number", "a decimal number", "a string",
  "a date", "a date-time", "'('", "')'", "'{'", "'}'", "','", "':'", "'.'", "'='", "'!='",
  "'<'", "'<='", "'>'", "'>='", "'+'", "'-'", "'*'", "'/'", "'->'", "'and'", "'or'", "'not'",
  "'in'", "'is'", "'if'", "'then'", "'else'", "'true'", "'false'", "'between'", "'contains'",
  "'missing'", "'given'", "'when'", "'from'", "'until'", "'by'", "'set'", "'of'",
};

const char *cpw__tok_name(cpw__tok kind)
{
  return (unsigned)kind < TK__COUNT ? tok_names[kind] : "?";
}

static cpw__tok reserved_kind(const char *s, size_t len)
{
  size_t i;
  for (i = 0; i < CPW__ARRAY_LEN(reserved); i++)
    if (strlen(reserved[i].word) == len && memcmp(reserved[i].word, s, len) == 0)
      return reserved[i].kind;
  return TK_IDENT;
}

int cpw__is_reserved(const char *s, size_t len)
{
  return reserved_kind(s, len) != TK_IDENT;
}

void cpw__lex_init(cpw__lexer *lx, const char *file, const char *src, size_t len,
                   struct cpw__arena *arena, struct cpw__diags *diags)
{
  memset(lx, 0, sizeof *lx);
  lx->file = file;
  lx->src = src;
  lx->len = len;
  lx->line = 1;
  lx->arena = arena;
  lx->diags = diags;
  /* a UTF-8 byte order mark is skipped */
  if (len >= 3 && (unsigned char)src[0] == 0xEF && (unsigned char)src[1] == 0xBB &&
      (unsigned char)src[2] == 0xBF)
    lx->pos = lx->line_start = 3;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static int peekc(const cpw__lexer *lx, size_t k)
{
  return lx->pos + k < lx->len ? (unsigned char)lx->src[lx->pos + k] : -1;
}

static void error_at(cpw__lexer *lx, cpw__token *t, const char *msg)
{
  cpw__diag_add(lx->diags, CPW__SEV_ERROR, lx->file, t->line, t->col, "%s", msg);
  t->kind = TK_ERROR;
}

/* Length of a valid UTF-8 sequence at s (max n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
  unsigned c = s[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
      return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
      return 0;
    return 4;
  }
  return 0;
}

static int two_digits(const char *s)
{
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* At a digit: a date "dddd-dd-dd" (not followed by a name character)? */
static int looks_like_date(const cpw__lexer *lx)
{
  static const char shape[] = "dddd-dd-dd";
  size_t i;
  for (i = 0; i < 10; i++) {
    int c = peekc(lx, i);
    if (shape[i] == 'd' ? !is_digit(c) : c != '-')
      return 0;
  }
  return !is_alpha(peekc(lx, 10)) || peekc(lx, 10) == 'T';
}

static void lex_date(cpw__lexer *lx, cpw__token *t)
{
  const char *s = lx->src + lx->pos;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = two_digits(s + 5), d = two_digits(s + 8);
  cpw_date date;
  char msg[160];

  lx->pos += 10;
  if (cpw_date_from_ymd(&date, y, m, d) != CPW_OK) {
    if (m < 1 || m > 12)
      snprintf(msg, sizeof msg, "invalid date: month %d is out of range (1-12)", m);
    else if (y < 1)
      snprintf(msg, sizeof msg, "invalid date: year 0000 does not exist");
    else
      snprintf(msg, sizeof msg, "invalid date: day %d does not exist in month %d of %d", d, m, y);
    error_at(lx, t, msg);
    return;
  }
  t->kind = TK_DATE;
  t->ival = date;
  if (peekc(lx, 0) == 'T') {
    /* date-time: THH:MM[:SS](Z|+HH:MM|-HH:MM) */
    size_t start = lx->pos - 10, end = lx->pos + 1;
    cpw_time tm;
    while (end < lx->len && (is_digit((unsigned char)lx->src[end]) || lx->src[end] == ':' ||
                             lx->src[end] == 'Z' || lx->src[end] == '+' || lx->src[end] == '-'))
      end++;
    lx->pos = end;
    if (cpw_time_parse(&tm, NULL, lx->src + start, end - start) != CPW_OK) {
      error_at(lx, t, "invalid date-time: expected YYYY-MM-DDTHH:MM:SS with Z or an offset "
                      "such as +04:00");
      return;
    }
    t->kind = TK_DATETIME;
    t->ival = tm;
  }
}

static void lex_number(cpw__lexer *lx, cpw__token *t)
{
  uint64_t v = 0;
  int overflow = 0, c;
  while ((c = peekc(lx, 0)) >= 0 && (is_digit(c) || (c == '_' && is_digit(peekc(lx, 1))))) {
    if (c != '_') {
      if (v > (UINT64_C(9223372036854775807) - (uint64_t)(c - '0')) / 10)
        overflow = 1;
      else
        v = v * 10 + (uint64_t)(c - '0');
    }
    lx->pos++;
  }
  t->kind = TK_INT;
  if (peekc(lx, 0) == '.' && is_digit(peekc(lx, 1))) {
    int digits = 0;
    lx->pos++;
    while (is_digit(c = peekc(lx, 0))) {
      if (digits < 2) {
        if (v > UINT64_C(92233720368547758))
          overflow = 1;
        else
          v = v * 10 + (uint64_t)(c - '0');
      } else if (c != '0') {
        error_at(lx, t, "a decimal number may have at most 2 digits after the point (tetri)");
        while (is_digit(peekc(lx, 0)))
          lx->pos++;
        return;
      }
      digits++;
      lx->pos++;
    }
    if (digits == 1) {
      if (v > UINT64_C(922337203685477580))
        overflow = 1;
      else
        v *= 10;
    }
    t->kind = TK_DECIMAL;
  }
  if (is_alpha(peekc(lx, 0))) {
    /* "12months" is refused: a unit is a separate word */
    error_at(lx, t, "a number must be followed by a space before a word");
    while (is_alpha(peekc(lx, 0)) || is_digit(peekc(lx, 0)))
      lx->pos++;
    return;
  }
  if (overflow) {
    error_at(lx, t, "number too large");
    return;
  }
  t->ival = (int64_t)v;
}

static void lex_string(cpw__lexer *lx, cpw__token *t)
{
  size_t start = ++lx->pos, n = 0, i;
  char *out;
  int has_escape = 0;
  /* first pass: find the end and validate */
  for (;;) {
    int c = peekc(lx, 0);
    if (c < 0 || c == '\n') {
      error_at(lx, t, "unterminated string: a closing '\"' is missing on this line");
      return;
    }
    if (c == '"')
      break;
    if (c == '\\') {
      int e = peekc(lx, 1);
      if (e != '"' && e != '\\' && e != 'n' && e != 't') {
        cpw__token at = *t;
        at.col = (int)(lx->pos - lx->line_start) + 1;
        error_at(lx, &at, "unknown escape in string (use \\\" \\\\ \\n or \\t)");
        t->kind = TK_ERROR;
        lx->pos += e >= 0 && e != '\n' ? 2 : 1; /* a line break ends the string below */
        continue;
      }
      has_escape = 1;
      lx->pos += 2;
      n++;
      continue;
    }
    if (c < 0x20 && c != '\t') {
      cpw__token at = *t; /* point at the character itself */
      at.col = (int)(lx->pos - lx->line_start) + 1;
      if (c == 0)
        error_at(lx, &at, "NUL byte in string");
      else
        error_at(lx, &at, c == '\r' ? "carriage return in string (a closing '\"' is missing?)"
                                     : "control character in string (write \\n or \\t)");
      t->kind = TK_ERROR;
      lx->pos++;
      continue;
    }
    if (c >= 0x80) {
      size_t k = utf8_seq((const unsigned char *)lx->src + lx->pos, lx->len - lx->pos);
      if (k == 0) {
        cpw__token at = *t;
        at.col = (int)(lx->pos - lx->line_start) + 1;
        error_at(lx, &at, "invalid UTF-8 in string");
        t->kind = TK_ERROR;
        lx->pos++;
        continue;
      }
      lx->pos += k;
      n += k;
      continue;
    }
    lx->pos++;
    n++;
  }
  lx->pos++; /* closing quote */
  if (t->kind == TK_ERROR)
    return;
  t->kind = TK_STRING;
  if (!has_escape) {
    t->str = lx->src + start;
    t->slen = (uint32_t)n;
    return;
  }
  out = cpw__arena_alloc(lx->arena, n + 1);
  if (out == NULL) {
    lx->diags->oom = 1;
    t->kind = TK_ERROR;
    return;
  }
  for (i = start, n = 0; lx->src[i] != '"'; i++) {
    char c = lx->src[i];
    if (c == '\\') {
      c = lx->src[++i];
      c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
    }
    out[n++] = c;
  }
  out[n] = '\0';
  t->str = out;
  t->slen = (uint32_t)n;
}

static void scan(cpw__lexer *lx, cpw__token *t)
{
  int c;
  for (;;) {
    c = peekc(lx, 0);
    if (c == '\n') {
      lx->pos++;
      lx->line++;
      lx->line_start = lx->pos;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      lx->pos++;
    } else if (c == '#') {
      while ((c = peekc(lx, 0)) >= 0 && c != '\n')
        lx->pos++;
    } else {
      break;
    }
  }
  memset(t, 0, sizeof *t);
  t->line = lx->line;
  t->col = (int)(lx->pos - lx->line_start) + 1;
  t->off = (uint32_t)lx->pos;
  if (c < 0) {
    t->kind = TK_EOF;
    return;
  }
  if (is_alpha(c)) {
    size_t start = lx->pos;
    while (is_alpha(peekc(lx, 0)) || is_digit(peekc(lx, 0)))
      lx->pos++;
    t->str = lx->src + start;
    t->slen = (uint32_t)(lx->pos - start);
    t->kind = reserved_kind(t->str, t->slen);
    if (t->slen > 256) /* names are ids: bounded, like case and child ids, in every message */
      error_at(lx, t, "a name is longer than 256 characters");
  } else if (is_digit(c)) {
    if (looks_like_date(lx))
      lex_date(lx, t);
    else
      lex_number(lx, t);
  } else if (c == '"') {
    lex_string(lx, t);
  } else {
    int c1 = peekc(lx, 1);
    lx->pos++;
    switch (c) {
    case '(': t->kind = TK_LPAREN; break;
    case ')': t->kind = TK_RPAREN; break;
    case '{': t->kind = TK_LBRACE; break;
    case '}': t->kind = TK_RBRACE; break;
    case ',': t->kind = TK_COMMA; break;
    case ':': t->kind = TK_COLON; break;
    case '.': t->kind = TK_DOT; break;
    case '+': t->kind = TK_PLUS; break;
    case '*': t->kind = TK_STAR; break;
    case '/': t->kind = TK_SLASH; break;
    case '=': t->kind = TK_EQ; if (c1 == '=') lx->pos++; break;
    case '-': if (c1 == '>') { lx->pos++; t->kind = TK_ARROW; } else t->kind = TK_MINUS; break;
    case '!':
      if (c1 == '=') { lx->pos++; t->kind = TK_NE; }
      else error_at(lx, t, "unexpected '!' (write 'not' or '!=')");
      break;
    case '<':
      if (c1 == '=') { lx->pos++; t->kind = TK_LE; }
      else if (c1 == '>') { lx->pos++; t->kind = TK_NE; }
      else t->kind = TK_LT;
      break;
    case '>':
      if (c1 == '=') { lx->pos++; t->kind = TK_GE; } else t->kind = TK_GT;
      break;
    default: {
      size_t k = c >= 0x80 ? utf8_seq((const unsigned char *)lx->src + lx->pos - 1,
                                      lx->len - lx->pos + 1) : 0;
      if (k > 1)
        lx->pos += k - 1;
      if (c >= 0x20 && c < 0x7f)
        cpw__diag_add(lx->diags, CPW__SEV_ERROR, lx->file, t->line, t->col,
                      "unexpected character '%c'", c);
      else if (c == 0)
        cpw__diag_add(lx->diags, CPW__SEV_ERROR, lx->file, t->line, t->col,
                      "unexpected NUL byte (is this a text file?)");
      else if (c < 0x20 || c == 0x7f)
        cpw__diag_add(lx->diags, CPW__SEV_ERROR, lx->file, t->line, t->col,
                      "unexpected control character 0x%02X", (unsigned)c);
      else if (k == 0 && c >= 0x80)
        cpw__diag_add(lx->diags, CPW__SEV_ERROR, lx->file, t->line, t->col,
                      "invalid UTF-8 byte 0x%02X", (unsigned)c);
      else
        cpw__diag_add(lx->diags, CPW__SEV_ERROR, lx->file, t->line, t->col,
                      "unexpected character (only ASCII is allowed outside strings and "
                      "comments)");
      t->kind = TK_ERROR;
    }
    }
  }
  t->len = (uint32_t)(lx->pos - t->off);
}

void cpw__lex_next(cpw__lexer *lx)
{
  if (lx->has_ahead) {
    lx->cur = lx->ahead;
    lx->has_ahead = 0;
    return;
  }
  scan(lx, &lx->cur);
}

const cpw__token *cpw__lex_peek(cpw__lexer *lx)
{
  if (!lx->has_ahead) {
    scan(lx, &lx->ahead);
    lx->has_ahead = 1;
  }
  return &lx->ahead;
}
