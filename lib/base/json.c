/* SPDX-License-Identifier: Apache-2.0 */
/* base/json.c: see json.h. */
#include "base/json.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/utf8.h"

/* What the grammar allows at the reader's position. */
enum {
  EXP_TOP,            /* the top-level value */
  EXP_VALUE,          /* a value (after ',' in an array, after ':') */
  EXP_VALUE_OR_END,   /* a value or ']' (just after '[') */
  EXP_KEY,            /* a key (after ',' in an object) */
  EXP_KEY_OR_END,     /* a key or '}' (just after '{') */
  EXP_COLON,          /* ':' after a key */
  EXP_COMMA_OR_END,   /* ',' or the end of the open array or object */
  EXP_EOF,            /* only whitespace until the end */
  EXP_DONE            /* EOF was returned */
};

/* 1 for the bytes a string scan must stop at: controls, '"', '\\' and non-ASCII. */
static const unsigned char string_stop[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 00 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 10 */
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 20 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 30 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 40 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,  /* 50 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 60 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 70 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 80 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 90 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* A0 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* B0 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* C0 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* D0 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* E0 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1   /* F0 */
};

void cpw__json_reader_init(cpw__json_reader *r, cpw_ctx *ctx, const char *text, size_t len)
{
  memset(r, 0, sizeof *r);
  r->ctx = ctx;
  r->text = text != NULL ? text : "";
  r->len = text != NULL ? len : 0;
  r->line = 1;
  r->col = 1;
  r->expect = EXP_TOP;
  r->status = CPW_OK;
}

void cpw__json_reader_free(cpw__json_reader *r)
{
  cpw__free(r->ctx, r->scratch, r->scratch_cap);
  r->scratch = NULL;
  r->scratch_cap = 0;
}

/* ------------------------------------------------------------------ positions and errors */

static int clamp_int(size_t v)
{
  return v > (size_t)INT_MAX ? INT_MAX : (int)v;
}

/* The column of offset off (>= line_start): characters since the start of the line, from 1.
 * The bytes before off are valid UTF-8 (or the reader would have stopped earlier), so counting
 * the bytes that are not continuation bytes counts characters. The cache makes a walk over a
 * line linear. */
static int column_at(cpw__json_reader *r, size_t off)
{
  const unsigned char *s = (const unsigned char *)r->text;
  size_t p, col;
  if (r->col_line != r->line || r->col_pos < r->line_start || r->col_pos > off) {
    r->col_line = r->line;
    r->col_pos = r->line_start;
    r->col = 1;
  }
  col = (size_t)r->col;
  for (p = r->col_pos; p < off; p++)
    col += (s[p] & 0xC0) != 0x80;
  r->col_pos = off;
  r->col = clamp_int(col);
  return r->col;
}

/* Record an error at offset off and make it sticky. `what` says what was expected or wrong; it
 * never includes input text. */
static int fail(cpw__json_reader *r, int code, size_t off, const char *what)
{
  int col = column_at(r, off);
  const char *found = "";
  if (off >= r->len)
    found = ", found the end of the input";
  else if (r->text[off] == '\0')
    found = ", found a NUL byte";
  cpw__set_error_at(r->ctx, code, NULL, r->line, col, "line %d, column %d: %s%s", r->line, col,
                    what, found);
  cpw__error_offset(r->ctx, (int64_t)off);
  r->status = code;
  return code;
}

static int scratch_reserve(cpw__json_reader *r, size_t need)
{
  int rc;
  if (need <= r->scratch_cap)
    return CPW_OK;
  rc = cpw__grow(r->ctx, (void **)&r->scratch, &r->scratch_cap, need, 1);
  if (rc != CPW_OK)
    r->status = rc;
  return rc;
}

/* ------------------------------------------------------------------ lexing */

static void skip_ws(cpw__json_reader *r)
{
  const char *s = r->text;
  size_t p = r->pos, n = r->len;
  while (p < n) {
    char c = s[p];
    if (c == ' ' || c == '\t' || c == '\r') {
      p++;
    } else if (c == '\n') {
      p++;
      if (r->line < INT_MAX)
        r->line++;
      r->line_start = p;
    } else {
      break;
    }
  }
  r->pos = p;
}

static int hex4(const unsigned char *s, uint32_t *out)
{
  uint32_t v = 0;
  int k;
  for (k = 0; k < 4; k++) {
    unsigned c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= c - '0';
    else if (c >= 'a' && c <= 'f')
      v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v |= c - 'A' + 10;
    else
      return k; /* the offending digit */
  }
  *out = v;
  return 4;
}

/* Read the \u escape at s[i] (the backslash) into a code point; *next is the byte after it
 * (after both halves of a surrogate pair). */
static int read_u_escape(cpw__json_reader *r, size_t i, uint32_t *cp, size_t *next)
{
  const unsigned char *s = (const unsigned char *)r->text;
  size_t end = r->len;
  uint32_t u, lo;
  int k;
  if (end - (i + 2) < 4) /* i + 2 <= end: the 'u' was read */
    return fail(r, CPW_EINVALID, end, "expected 4 hexadecimal digits after \\u");
  if ((k = hex4(s + i + 2, &u)) != 4)
    return fail(r, CPW_EINVALID, i + 2 + (size_t)k, "expected 4 hexadecimal digits after \\u");
  if (u >= 0xDC00 && u <= 0xDFFF)
    return fail(r, CPW_EINVALID, i, "a low surrogate escape without a high surrogate before it");
  if (u >= 0xD800 && u <= 0xDBFF) {
    if (end - (i + 6) < 6 || s[i + 6] != '\\' || s[i + 7] != 'u' || hex4(s + i + 8, &lo) != 4 ||
        lo < 0xDC00 || lo > 0xDFFF)
      return fail(r, CPW_EINVALID, i,
                  "a high surrogate escape must be followed by a low surrogate escape");
    *cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    *next = i + 12;
    return CPW_OK;
  }
  *cp = u;
  *next = i + 6;
  return CPW_OK;
}

/* Read the string whose opening quote is at r->pos. Without escapes (or while skipping) the
 * result points into the input; else it is decoded into the scratch buffer (the decoded text is
 * never longer than its source). */
static int read_string(cpw__json_reader *r, const char **out, size_t *out_len)
{
  const unsigned char *s = (const unsigned char *)r->text;
  size_t end = r->len;
  size_t start = r->pos + 1, i = start, run = start, o = 0;
  int decoding = 0, rc;

  for (;;) {
    unsigned c;
    while (i < end && !string_stop[s[i]])
      i++;
    if (i >= end)
      return fail(r, CPW_EINVALID, end, "expected '\"' to end the string");
    c = s[i];
    if (c == '"')
      break;
    if (c >= 0x80) {
      size_t n = cpw__utf8_seq(s + i, end - i);
      if (n == 0)
        return fail(r, CPW_EINVALID, i, "invalid UTF-8 in a string");
      i += n;
      continue;
    }
    if (c < 0x20)
      return fail(r, CPW_EINVALID, i, "control characters must be escaped in strings");
    /* a backslash */
    if (i + 1 >= end)
      return fail(r, CPW_EINVALID, end, "expected an escape character after '\\'");
    if (!r->no_decode) {
      /* copy the run before the escape; +4 leaves room for the escape's bytes */
      if ((rc = scratch_reserve(r, o + (i - run) + 4)) != CPW_OK)
        return rc;
      memcpy(r->scratch + o, s + run, i - run);
      o += i - run;
      decoding = 1;
    }
    {
      char ch;
      switch (s[i + 1]) {
      case '"': ch = '"'; break;
      case '\\': ch = '\\'; break;
      case '/': ch = '/'; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'n': ch = '\n'; break;
      case 'r': ch = '\r'; break;
      case 't': ch = '\t'; break;
      case 'u': {
        uint32_t cp = 0;
        size_t next = 0;
        if ((rc = read_u_escape(r, i, &cp, &next)) != CPW_OK)
          return rc;
        if (decoding)
          o += cpw__utf8_encode(r->scratch + o, cp);
        i = run = next;
        continue;
      }
      default:
        return fail(r, CPW_EINVALID, i + 1,
                    "invalid escape: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u");
      }
      if (decoding)
        r->scratch[o++] = ch;
      i += 2;
      run = i;
    }
  }
  if (decoding) {
    if ((rc = scratch_reserve(r, o + (i - run))) != CPW_OK)
      return rc;
    if (i > run)
      memcpy(r->scratch + o, s + run, i - run);
    o += i - run;
    *out = r->scratch;
    *out_len = o;
  } else {
    *out = r->text + start;
    *out_len = i - start;
  }
  r->pos = i + 1;
  return CPW_OK;
}

static int is_digit(unsigned c)
{
  return c - '0' < 10;
}

/* Exact powers of ten up to 1e22 (the largest exactly representable as a double). */
static const double pow10_exact[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* The value of a number literal that is not a small integer, without the locale's decimal
 * point: the digits are rewritten as "<digits>e<exponent>" (no '.') for strtod. */
static int number_value(cpw__json_reader *r, size_t start, size_t int_start, size_t int_end,
                        size_t frac_end, size_t exp_start, size_t end, double *out)
{
  const unsigned char *s = (const unsigned char *)r->text;
  int neg = s[start] == '-';
  uint64_t mant = 0;
  size_t sig = 0;
  int ok_fast = 1;
  int64_t exp10 = 0, e = 0;
  int eneg = 0;
  size_t p;
  char small[80];
  char *buf;
  size_t need, o = 0;
  double d;

  /* the written exponent, saturated far beyond the double range */
  if (exp_start < end) {
    p = exp_start + 1;
    if (s[p] == '+' || s[p] == '-')
      eneg = s[p++] == '-';
    for (; p < end; p++)
      if (e < 100000000)
        e = e * 10 + (s[p] - '0');
    if (eneg)
      e = -e;
  }
  /* significant digits (leading zeros dropped) */
  for (p = int_start; p < frac_end; p++) {
    unsigned c = s[p];
    if (c == '.')
      continue;
    if (p > int_end)
      exp10--; /* a fraction digit */
    if (sig == 0 && c == '0')
      continue;
    if (sig < 19)
      mant = mant * 10 + (c - '0');
    else
      ok_fast = 0;
    sig++;
  }
  if (mant == 0 && ok_fast) {
    *out = neg ? -0.0 : 0.0;
    return CPW_OK;
  }
  exp10 += e;
  if (ok_fast && mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
    d = (double)mant;
    d = exp10 >= 0 ? d * pow10_exact[exp10] : d / pow10_exact[-exp10];
    *out = neg ? -d : d;
    return CPW_OK;
  }
  /* slow path: strtod over "-<digits>e<exp10>" */
  need = (frac_end - start) + 32; /* sign, digits, 'e', an int64_t, NUL */
  if (need <= sizeof small) {
    buf = small;
  } else {
    int rc = scratch_reserve(r, need);
    if (rc != CPW_OK)
      return rc;
    buf = r->scratch;
  }
  if (neg)
    buf[o++] = '-';
  for (p = int_start; p < frac_end; p++)
    if (s[p] != '.')
      buf[o++] = (char)s[p];
  snprintf(buf + o, need - o, "e%" PRId64, exp10);
  d = strtod(buf, NULL);
  if (d == HUGE_VAL || d == -HUGE_VAL)
    return fail(r, CPW_EINVALID, start, "number out of range");
  *out = d;
  return CPW_OK;
}

static int read_number(cpw__json_reader *r, cpw__json_token *tok)
{
  const unsigned char *s = (const unsigned char *)r->text;
  size_t end = r->len, start = r->pos, i = start, int_start, int_end, frac_end, exp_start;
  int neg = 0, fits = 1;
  uint64_t v = 0;

  if (s[i] == '-') {
    neg = 1;
    i++;
  }
  int_start = i;
  if (i >= end || !is_digit(s[i]))
    return fail(r, CPW_EINVALID, i, "expected a digit after '-'");
  if (s[i] == '0') {
    i++;
    if (i < end && is_digit(s[i]))
      return fail(r, CPW_EINVALID, i - 1, "leading zeros are not allowed in numbers");
  } else {
    while (i < end && is_digit(s[i])) {
      unsigned dgt = s[i] - '0';
      if (fits && v <= (UINT64_C(9223372036854775808) - dgt) / 10)
        v = v * 10 + dgt;
      else
        fits = 0;
      i++;
    }
  }
  int_end = i;
  if (i < end && s[i] == '.') {
    i++;
    if (i >= end || !is_digit(s[i]))
      return fail(r, CPW_EINVALID, i, "expected a digit after '.'");
    while (i < end && is_digit(s[i]))
      i++;
  }
  frac_end = exp_start = i;
  if (i < end && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < end && (s[i] == '+' || s[i] == '-'))
      i++;
    if (i >= end || !is_digit(s[i]))
      return fail(r, CPW_EINVALID, i, "expected a digit in the exponent");
    while (i < end && is_digit(s[i]))
      i++;
  }
  tok->type = CPW__JSON_NUMBER;
  tok->str = r->text + start;
  tok->len = i - start;
  /* v <= 2^63 here; 2^63 itself only fits when negative */
  if (fits && int_end == i && (neg || v <= (uint64_t)INT64_MAX)) {
    tok->is_int = 1;
    tok->i = neg ? (v == UINT64_C(9223372036854775808) ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    tok->d = (double)tok->i;
    if (neg && v == 0)
      tok->d = -0.0;
  } else {
    int rc = number_value(r, start, int_start, int_end, frac_end, exp_start, i, &tok->d);
    if (rc != CPW_OK)
      return rc;
  }
  r->pos = i;
  return CPW_OK;
}

static int read_literal(cpw__json_reader *r, cpw__json_token *tok)
{
  static const struct { const char *word; size_t len; cpw__json_type type; } lits[] = {
    { "null", 4, CPW__JSON_NULL }, { "false", 5, CPW__JSON_FALSE }, { "true", 4, CPW__JSON_TRUE }
  };
  size_t k;
  for (k = 0; k < CPW__ARRAY_LEN(lits); k++) {
    if (r->text[r->pos] == lits[k].word[0]) {
      if (r->len - r->pos < lits[k].len ||
          memcmp(r->text + r->pos, lits[k].word, lits[k].len) != 0)
        break;
      tok->type = lits[k].type;
      r->pos += lits[k].len;
      return CPW_OK;
    }
  }
  return fail(r, CPW_EINVALID, r->pos, "invalid literal: expected true, false or null");
}

/* ------------------------------------------------------------------ the grammar */

static int in_object(const cpw__json_reader *r)
{
  int d = r->depth - 1;
  return (r->stack[d >> 3] >> (d & 7)) & 1;
}

static void after_value(cpw__json_reader *r)
{
  r->expect = r->depth == 0 ? EXP_EOF : EXP_COMMA_OR_END;
}

static int open_container(cpw__json_reader *r, cpw__json_token *tok, int object)
{
  int d = r->depth;
  if (d >= CPW__JSON_MAX_DEPTH)
    return fail(r, CPW_ELIMIT, r->pos, "arrays and objects nested deeper than 512 levels");
  if (object)
    r->stack[d >> 3] = (unsigned char)(r->stack[d >> 3] | (1u << (d & 7)));
  else
    r->stack[d >> 3] = (unsigned char)(r->stack[d >> 3] & ~(1u << (d & 7)));
  r->depth = d + 1;
  r->pos++;
  tok->type = object ? CPW__JSON_OBJECT : CPW__JSON_ARRAY;
  r->expect = object ? EXP_KEY_OR_END : EXP_VALUE_OR_END;
  return CPW_OK;
}

static int close_container(cpw__json_reader *r, cpw__json_token *tok)
{
  tok->type = in_object(r) ? CPW__JSON_OBJECT_END : CPW__JSON_ARRAY_END;
  r->depth--;
  r->pos++;
  after_value(r);
  return CPW_OK;
}

static int read_value(cpw__json_reader *r, cpw__json_token *tok)
{
  int rc;
  if (r->pos >= r->len)
    return fail(r, CPW_EINVALID, r->pos, "expected a value");
  switch (r->text[r->pos]) {
  case '{':
    return open_container(r, tok, 1);
  case '[':
    return open_container(r, tok, 0);
  case '"':
    rc = read_string(r, &tok->str, &tok->len);
    if (rc != CPW_OK)
      return rc;
    tok->type = CPW__JSON_STRING;
    break;
  case '-': case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9':
    rc = read_number(r, tok);
    if (rc != CPW_OK)
      return rc;
    break;
  case 't': case 'f': case 'n':
    rc = read_literal(r, tok);
    if (rc != CPW_OK)
      return rc;
    break;
  default:
    return fail(r, CPW_EINVALID, r->pos, "expected a value");
  }
  after_value(r);
  return CPW_OK;
}

static int read_key(cpw__json_reader *r, cpw__json_token *tok, const char *expected)
{
  int rc;
  if (r->pos >= r->len || r->text[r->pos] != '"')
    return fail(r, CPW_EINVALID, r->pos, expected);
  rc = read_string(r, &tok->str, &tok->len);
  if (rc != CPW_OK)
    return rc;
  tok->type = CPW__JSON_KEY;
  r->expect = EXP_COLON;
  return CPW_OK;
}

static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };

static int next_token(cpw__json_reader *r, cpw__json_token *tok)
{
  char c;

  tok->type = CPW__JSON_NONE;
  tok->str = NULL;
  tok->len = 0;
  tok->is_int = 0;
  tok->i = 0;
  tok->d = 0.0;
  if (r->status != CPW_OK) {
    tok->offset = r->pos;
    tok->line = r->line;
    tok->column = 0;
    return r->status;
  }
  /* a UTF-8 byte order mark may begin the text (RFC 8259 8.1 lets a reader ignore it: JSON
   * Lines files saved by Excel or Notepad have one); anywhere else it is an error */
  if (r->expect == EXP_TOP && r->pos == 0 && r->len >= 3 && memcmp(r->text, bom, 3) == 0)
    r->pos = 3;
  skip_ws(r);
  if (r->len - r->pos >= 3 && memcmp(r->text + r->pos, bom, 3) == 0)
    return fail(r, CPW_EINVALID, r->pos, "a byte order mark is allowed only at the start");
  c = r->pos < r->len ? r->text[r->pos] : '\0';

  /* punctuation between tokens */
  if (r->expect == EXP_COMMA_OR_END) {
    int obj = in_object(r);
    if (r->pos < r->len && c == ',') {
      r->pos++;
      skip_ws(r);
      c = r->pos < r->len ? r->text[r->pos] : '\0';
      r->expect = obj ? EXP_KEY : EXP_VALUE;
    } else if (r->pos < r->len && c == (obj ? '}' : ']')) {
      /* handled below */
    } else {
      return fail(r, CPW_EINVALID, r->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  } else if (r->expect == EXP_COLON) {
    if (r->pos >= r->len || c != ':')
      return fail(r, CPW_EINVALID, r->pos, "expected ':'");
    r->pos++;
    skip_ws(r);
    c = r->pos < r->len ? r->text[r->pos] : '\0';
    r->expect = EXP_VALUE;
  }

  tok->offset = r->pos;
  tok->line = r->line;
  tok->column = column_at(r, r->pos);

  switch (r->expect) {
  case EXP_TOP:
  case EXP_VALUE:
    return read_value(r, tok);
  case EXP_VALUE_OR_END:
    if (r->pos < r->len && c == ']')
      return close_container(r, tok);
    return read_value(r, tok);
  case EXP_KEY:
    return read_key(r, tok, "expected a string key");
  case EXP_KEY_OR_END:
    if (r->pos < r->len && c == '}')
      return close_container(r, tok);
    return read_key(r, tok, "expected a string key or '}'");
  case EXP_COMMA_OR_END:
    return close_container(r, tok); /* the ',' case changed expect above */
  case EXP_EOF:
    if (r->pos < r->len)
      return fail(r, CPW_EINVALID, r->pos, "expected the end of the input after the value");
    r->expect = EXP_DONE;
    tok->type = CPW__JSON_EOF;
    return CPW_OK;
  case EXP_DONE:
    tok->type = CPW__JSON_EOF;
    return CPW_OK;
  default:
    return fail(r, CPW_ERROR, r->pos, "internal error: bad reader state");
  }
}

int cpw__json_next(cpw__json_reader *r, cpw__json_token *tok)
{
  int rc = next_token(r, tok);
  if (rc != CPW_OK) {
    tok->type = CPW__JSON_NONE;
    tok->str = NULL;
    tok->len = 0;
  }
  return rc;
}

int cpw__json_skip(cpw__json_reader *r, const cpw__json_token *tok)
{
  cpw__json_token t;
  int rc = CPW_OK, target;
  if (r->status != CPW_OK)
    return r->status;
  switch (tok->type) {
  case CPW__JSON_KEY:
    rc = cpw__json_next(r, &t);
    if (rc != CPW_OK || (t.type != CPW__JSON_ARRAY && t.type != CPW__JSON_OBJECT))
      return rc;
    break;
  case CPW__JSON_ARRAY:
  case CPW__JSON_OBJECT:
    break;
  default:
    return CPW_OK;
  }
  /* the container just opened is at depth r->depth; read until it closes */
  target = r->depth - 1;
  r->no_decode = 1;
  while (r->depth > target && (rc = cpw__json_next(r, &t)) == CPW_OK)
    ;
  r->no_decode = 0;
  return rc;
}

/* ------------------------------------------------------------------ writer */

int cpw__json_write_string(cpw__buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, run = 0, mark = b->len;
  int rc;

  if (!cpw__utf8_valid(s, len))
    return cpw__set_error(b->ctx, CPW_EINVALID, "a string to write as JSON is not valid UTF-8");
  if (len > SIZE_MAX - 2)
    return cpw__set_error(b->ctx, CPW_ELIMIT, "string too large");
  if ((rc = cpw__buf_reserve(b, len + 2)) != CPW_OK)
    return rc;
  if ((rc = cpw__buf_addc(b, '"')) != CPW_OK)
    return rc;
  while (i < len) {
    char esc[6];
    size_t n = 2;
    unsigned c = p[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      i++;
      continue;
    }
    if (i > run && (rc = cpw__buf_add(b, s + run, i - run)) != CPW_OK)
      goto fail;
    esc[0] = '\\';
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    default:
      esc[1] = 'u';
      esc[2] = '0';
      esc[3] = '0';
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      n = 6;
      break;
    }
    if ((rc = cpw__buf_add(b, esc, n)) != CPW_OK)
      goto fail;
    run = ++i;
  }
  if (i > run && (rc = cpw__buf_add(b, s + run, i - run)) != CPW_OK)
    goto fail;
  if ((rc = cpw__buf_addc(b, '"')) == CPW_OK)
    return CPW_OK;
fail:
  /* leave the buffer as it was */
  b->len = mark;
  if (b->data != NULL)
    b->data[mark] = '\0';
  return rc;
}

int cpw__json_write_int(cpw__buf *b, int64_t v)
{
  char tmp[24];
  size_t n = sizeof tmp;
  /* work with the magnitude as unsigned so INT64_MIN needs no special case */
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[--n] = (char)('0' + (int)(m % 10));
    m /= 10;
  } while (m != 0);
  if (v < 0)
    tmp[--n] = '-';
  return cpw__buf_add(b, tmp + n, sizeof tmp - n);
}
