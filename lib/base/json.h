/* SPDX-License-Identifier: Apache-2.0 */
/* base/json.h: a strict (RFC 8259) pull reader of JSON text and a minimal writer.
 *
 * The reader hands out one token at a time and builds no tree. A typical loop over an object:
 *
 *   cpw__json_reader r;
 *   cpw__json_token t;
 *   cpw__json_reader_init(&r, ctx, text, len);
 *   if ((rc = cpw__json_next(&r, &t)) != CPW_OK) goto done;       // CPW__JSON_OBJECT
 *   while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type == CPW__JSON_KEY) {
 *     if (t.len == 4 && memcmp(t.str, "name", 4) == 0) rc = read_name(&r);
 *     else rc = cpw__json_skip(&r, &t);                            // an unknown key's value
 *     if (rc != CPW_OK) break;
 *   }
 *   ... then cpw__json_next() returns CPW__JSON_EOF once the single top-level value is done.
 *   cpw__json_reader_free(&r);
 *
 * Strictness: exactly one top-level value (any JSON value) followed only by whitespace; strings
 * must be valid UTF-8 (no overlongs, surrogates or bytes above U+10FFFF) with control
 * characters escaped; \u escapes of surrogates must form a pair; numbers follow the RFC grammar
 * (no leading zeros, '+', "1.", ".5", NaN or Infinity) and must fit a double (a literal that
 * overflows to infinity is refused; underflow gives 0 or a subnormal); no byte order mark, no
 * NUL byte outside a string, nesting at most CPW__JSON_MAX_DEPTH arrays and objects.
 *
 * Errors leave a message in the context of the form "line 3, column 14: expected ',' or '}'"
 * (lines and columns count from 1; columns count Unicode characters) with cpw_error.line,
 * .column and .offset (bytes) set. Messages never quote the input, which may hold personal
 * data. After an error every further call returns the same code.
 */
#ifndef CPW_JSON_H
#define CPW_JSON_H

#include "base/buf.h"

#define CPW__JSON_MAX_DEPTH 512

typedef enum cpw__json_type {
  CPW__JSON_NONE,        /* no token (after an error) */
  CPW__JSON_NULL,
  CPW__JSON_FALSE,
  CPW__JSON_TRUE,
  CPW__JSON_NUMBER,
  CPW__JSON_STRING,
  CPW__JSON_KEY,         /* an object member's name; its value is the next token */
  CPW__JSON_ARRAY,       /* '[' */
  CPW__JSON_ARRAY_END,   /* ']' */
  CPW__JSON_OBJECT,      /* '{' */
  CPW__JSON_OBJECT_END,  /* '}' */
  CPW__JSON_EOF          /* the top-level value is complete and only whitespace followed */
} cpw__json_type;

typedef struct cpw__json_token {
  cpw__json_type type;
  /* STRING and KEY: the decoded bytes (valid UTF-8, but may contain NUL from "\u0000"; not
   * NUL-terminated), valid until the next call on the reader: they point into the input when
   * the string has no escape, else into the reader's scratch buffer. NUMBER: the literal's
   * source text. Other tokens: NULL and 0. */
  const char *str;
  size_t len;
  /* NUMBER: d is the value (correctly rounded for up to 19 significant digits and a power of
   * ten within 1e22, else as strtod rounds); is_int is 1 when the literal has no fraction and no
   * exponent and fits int64_t, and then i is the value. */
  int is_int;
  int64_t i;
  double d;
  /* where the token starts: byte offset, line and column (from 1; columns count characters) */
  size_t offset;
  int line;
  int column;
} cpw__json_token;

typedef struct cpw__json_reader {
  cpw_ctx *ctx;
  const char *text;
  size_t len;
  size_t pos;            /* next byte to read */
  size_t line_start;     /* offset of the first byte of the current line */
  int line;
  size_t col_pos;        /* column cache: on line col_line, offset col_pos is in column col */
  int col_line;
  int col;
  int expect;            /* what the grammar allows next (internal) */
  int status;            /* CPW_OK, or the error every further call returns */
  int depth;             /* open arrays and objects */
  int no_decode;         /* set while skipping: strings are checked but not decoded */
  unsigned char stack[CPW__JSON_MAX_DEPTH / 8]; /* one bit per level: 1 object, 0 array */
  char *scratch;         /* decoded strings with escapes, long numbers */
  size_t scratch_cap;
} cpw__json_reader;

/* Start reading text[0..len) (borrowed: it must outlive the reader). Allocates nothing. */
void cpw__json_reader_init(cpw__json_reader *r, cpw_ctx *ctx, const char *text, size_t len);
/* Free the scratch buffer (tokens' strings die with it). */
void cpw__json_reader_free(cpw__json_reader *r);
/* The next token into *tok. CPW_OK (at the end: a CPW__JSON_EOF token, again on every further
 * call); CPW_EINVALID for malformed input, CPW_ELIMIT for nesting deeper than
 * CPW__JSON_MAX_DEPTH, CPW_ENOMEM. On an error tok->type is CPW__JSON_NONE. */
int cpw__json_next(cpw__json_reader *r, cpw__json_token *tok);
/* Skip what tok (the token just returned) opens: for ARRAY and OBJECT, everything up to and
 * including the matching end; for KEY, the member's value; for other tokens nothing. The
 * skipped text is still checked in full. CPW_OK or an error of cpw__json_next. */
int cpw__json_skip(cpw__json_reader *r, const cpw__json_token *tok);

/* Append s[0..len) as a JSON string: quotes, \" \\ \n \r \t \b \f, other control characters as
 * \u00XX, everything else as is. CPW_EINVALID when s is not valid UTF-8; CPW_ENOMEM. On an
 * error the buffer is left as it was. */
int cpw__json_write_string(cpw__buf *b, const char *s, size_t len);
/* Append v in decimal. CPW_OK or CPW_ENOMEM. */
int cpw__json_write_int(cpw__buf *b, int64_t v);

#endif
