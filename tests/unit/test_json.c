/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the JSON pull reader and writer (base/json.c). */
#include "cmocka_all.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/utf8.h"
#include "testalloc.h"

#define LIT(s) s, sizeof(s) - 1

/* A copy of text in a block of exactly len bytes (no NUL after it), so AddressSanitizer and
 * valgrind catch any read past the end. */
static char *exact_copy(const char *text, size_t len)
{
  char *p = malloc(len != 0 ? len : 1);
  assert_non_null(p);
  if (len != 0)
    memcpy(p, text, len);
  return p;
}

static void append(char *out, size_t cap, const char *fmt, ...) CPW__PRINTF(3, 4);

static void append(char *out, size_t cap, const char *fmt, ...)
{
  size_t n = strlen(out);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out + n, cap - n, fmt, ap);
  va_end(ap);
}

/* Read text to the end and render its tokens: { } [ ] k:key s:string i:int d:double true false
 * null, $ for EOF; an error ends the list with !code@line:column. */
static void render(const char *text, size_t len, char *out, size_t cap)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__json_reader r;
  cpw__json_token t;
  char *copy = exact_copy(text, len);
  int rc;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  out[0] = '\0';
  cpw__json_reader_init(&r, ctx, copy, len);
  for (;;) {
    rc = cpw__json_next(&r, &t);
    if (out[0] != '\0')
      append(out, cap, " ");
    if (rc != CPW_OK) {
      const cpw_error *e = cpw_ctx_last_error(ctx);
      append(out, cap, "!%d@%d:%d", rc, e->line, e->column);
      assert_int_equal(t.type, CPW__JSON_NONE);
      /* sticky */
      assert_int_equal(cpw__json_next(&r, &t), rc);
      break;
    }
    switch (t.type) {
    case CPW__JSON_OBJECT: append(out, cap, "{"); break;
    case CPW__JSON_OBJECT_END: append(out, cap, "}"); break;
    case CPW__JSON_ARRAY: append(out, cap, "["); break;
    case CPW__JSON_ARRAY_END: append(out, cap, "]"); break;
    case CPW__JSON_KEY: append(out, cap, "k:%.*s", (int)t.len, t.str); break;
    case CPW__JSON_STRING: append(out, cap, "s:%.*s", (int)t.len, t.str); break;
    case CPW__JSON_NUMBER:
      if (t.is_int) {
        append(out, cap, "i:%lld", (long long)t.i);
        assert_true(t.d == (double)t.i);
      } else {
        append(out, cap, "d:%.17g", t.d);
      }
      break;
    case CPW__JSON_TRUE: append(out, cap, "true"); break;
    case CPW__JSON_FALSE: append(out, cap, "false"); break;
    case CPW__JSON_NULL: append(out, cap, "null"); break;
    case CPW__JSON_EOF: append(out, cap, "$"); break;
    default: fail_msg("unexpected token type %d", (int)t.type);
    }
    if (t.type == CPW__JSON_EOF) {
      assert_int_equal(cpw__json_next(&r, &t), CPW_OK); /* EOF again */
      assert_int_equal(t.type, CPW__JSON_EOF);
      break;
    }
  }
  cpw__json_reader_free(&r);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(ta.bad_sizes, 0);
  free(copy);
}

static void expect_tokens_n(const char *text, size_t len, const char *expected)
{
  char out[4096];
  render(text, len, out, sizeof out);
  if (strcmp(out, expected) != 0)
    fail_msg("tokens\n  got:      %s\n  expected: %s", out, expected);
}

#define expect_tokens(lit, expected) expect_tokens_n(LIT(lit), expected)

static void test_json__nested_tokens(void **state)
{
  (void)state;
  expect_tokens("{\"name\": \"Zo\xC3\xAB\", \"age\": 7, \"tags\": [\"a\", [], {}],\n"
                " \"ok\": true, \"no\": false, \"x\": null, \"n\": -12.5e1, \"e\": {\"\": []}}",
                "{ k:name s:Zo\xC3\xAB k:age i:7 k:tags [ s:a [ ] { } ] k:ok true k:no false "
                "k:x null k:n d:-125 k:e { k: [ ] } } $");
  expect_tokens("[[[[1]],[[2,3]]],{\"a\":{\"b\":{\"c\":[{}]}}}]",
                "[ [ [ [ i:1 ] ] [ [ i:2 i:3 ] ] ] { k:a { k:b { k:c [ { } ] } } } ] $");
  expect_tokens(" \t\r\n[ 1 , 2 ]\r\n\t ", "[ i:1 i:2 ] $");
  /* any value at the top level */
  expect_tokens("1", "i:1 $");
  expect_tokens("\"x\"", "s:x $");
  expect_tokens(" true ", "true $");
  expect_tokens("null", "null $");
  expect_tokens("false\n", "false $");
  expect_tokens("[]", "[ ] $");
  expect_tokens("{}", "{ } $");
}

static void test_json__positions(void **state)
{
  static const char text[] = "{\n  \"na\xC3\xAFve\": [1,\n\t\"\xE2\x82\xAC\", true],\n  \"b\": {}\n}";
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__json_reader r;
  cpw__json_token t;
  static const struct { cpw__json_type type; int line, column; size_t offset; } want[] = {
    { CPW__JSON_OBJECT, 1, 1, 0 },
    { CPW__JSON_KEY, 2, 3, 4 },
    { CPW__JSON_ARRAY, 2, 12, 14 },        /* "ï" is one character, two bytes */
    { CPW__JSON_NUMBER, 2, 13, 15 },
    { CPW__JSON_STRING, 3, 2, 19 },        /* a tab is one column */
    { CPW__JSON_TRUE, 3, 7, 26 },          /* "€" is one character, three bytes */
    { CPW__JSON_ARRAY_END, 3, 11, 30 },
    { CPW__JSON_KEY, 4, 3, 35 },
    { CPW__JSON_OBJECT, 4, 8, 40 },
    { CPW__JSON_OBJECT_END, 4, 9, 41 },
    { CPW__JSON_OBJECT_END, 5, 1, 43 },
    { CPW__JSON_EOF, 5, 2, 44 },
  };
  size_t k;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  cpw__json_reader_init(&r, ctx, text, sizeof text - 1);
  for (k = 0; k < CPW__ARRAY_LEN(want); k++) {
    assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
    assert_int_equal(t.type, want[k].type);
    assert_int_equal(t.line, want[k].line);
    assert_int_equal(t.column, want[k].column);
    assert_int_equal(t.offset, want[k].offset);
  }
  cpw__json_reader_free(&r);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

static void test_json__strings(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__json_reader r;
  cpw__json_token t;
  static const char text[] =
    "[\"plain\", \"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\", \"\\u00e9\\u20AC\\ud83d\\ude00\","
    " \"x\\u0000y\", \"\", \"\\uDBFF\\uDFFF\", \"Zo\xC3\xAB \xF0\x9F\x98\x80\"]";
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  cpw__json_reader_init(&r, ctx, text, sizeof text - 1);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_ARRAY);
  /* no escape: a pointer into the input, nothing allocated */
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_STRING);
  assert_ptr_equal(t.str, text + 2);
  assert_int_equal(t.len, 5);
  assert_int_equal(ta.count, 1); /* only the context */
  /* the short escapes */
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.len, 17);
  assert_memory_equal(t.str, "a\"b\\c/d\be\ff\ng\rh\ti", 17);
  assert_true(t.str < text || t.str >= text + sizeof text); /* decoded into the scratch */
  /* \u escapes: 2, 3 and (a surrogate pair) 4 bytes */
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.len, 9);
  assert_memory_equal(t.str, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9);
  /* an escaped NUL is kept: strings are counted, not terminated */
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.len, 3);
  assert_memory_equal(t.str, "x\0y", 3);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_STRING);
  assert_int_equal(t.len, 0);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.len, 4);
  assert_memory_equal(t.str, "\xF4\x8F\xBF\xBF", 4); /* U+10FFFF */
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.len, 9);
  assert_memory_equal(t.str, "Zo\xC3\xAB \xF0\x9F\x98\x80", 9);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_ARRAY_END);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_EOF);
  cpw__json_reader_free(&r);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(ta.bad_sizes, 0);
}

/* The value of a one-number document. */
static cpw__json_token number(const char *text)
{
  cpw_ctx *ctx;
  cpw__json_reader r;
  cpw__json_token t, end;
  size_t len = strlen(text);
  char *copy = exact_copy(text, len);
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  cpw__json_reader_init(&r, ctx, copy, len);
  if (cpw__json_next(&r, &t) != CPW_OK)
    fail_msg("%s: %s", text, cpw_ctx_last_error(ctx)->message);
  assert_int_equal(t.type, CPW__JSON_NUMBER);
  assert_int_equal(t.len, len);
  assert_int_equal(cpw__json_next(&r, &end), CPW_OK);
  assert_int_equal(end.type, CPW__JSON_EOF);
  cpw__json_reader_free(&r);
  cpw_ctx_free(ctx);
  free(copy);
  t.str = NULL;
  return t;
}

static void expect_int(const char *text, int64_t v)
{
  cpw__json_token t = number(text);
  if (!t.is_int || t.i != v)
    fail_msg("%s: is_int %d, i %lld", text, t.is_int, (long long)t.i);
}

static void expect_double(const char *text, double v)
{
  cpw__json_token t = number(text);
  if (t.is_int || t.d != v || signbit(t.d) != signbit(v))
    fail_msg("%s: is_int %d, d %.17g, expected %.17g", text, t.is_int, t.d, v);
}

static void test_json__numbers(void **state)
{
  (void)state;
  expect_int("0", 0);
  expect_int("7", 7);
  expect_int("-1", -1);
  expect_int("1234567890", 1234567890);
  expect_int("9223372036854775807", INT64_MAX);
  expect_int("-9223372036854775808", INT64_MIN);
  {
    cpw__json_token t = number("-0");
    assert_true(t.is_int);
    assert_int_equal(t.i, 0);
    assert_true(signbit(t.d));
  }
  /* integers beyond int64_t become doubles */
  expect_double("9223372036854775808", 9223372036854775808.0);
  expect_double("-9223372036854775809", -9223372036854775808.0);
  expect_double("18446744073709551616", 18446744073709551616.0);
  expect_double("-237462374673276976723477", -237462374673276976723477.0);
  /* fractions and exponents are doubles even when integral */
  expect_double("1.0", 1.0);
  expect_double("1e2", 100.0);
  expect_double("1E+2", 100.0);
  expect_double("-0.0", -0.0);
  expect_double("0e10", 0.0);
  expect_double("0.1", 0.1);
  expect_double("0.3", 0.3);
  expect_double("-12.5e-1", -1.25);
  expect_double("0.000123", 0.000123);
  expect_double("3.141592653589793", 3.141592653589793);
  expect_double("1e22", 1e22);
  expect_double("1e23", 1e23);
  expect_double("1e-22", 1e-22);
  expect_double("123.456e-789", 0.0);
  expect_double("1e-400", 0.0);
  expect_double("-1e-400", -0.0);
  expect_double("5e-324", 5e-324);
  expect_double("2.2250738585072014e-308", 2.2250738585072014e-308);
  expect_double("1.7976931348623157e308", 1.7976931348623157e308);
  expect_double("0.1000000000000000055511151231257827021181583404541015625", 0.1);
  expect_double("12345678901234567890123456789e-10", 1234567890123456789.0123456789);
  expect_double("0.0000000000000000000000000000000000000000000000000000001e56", 10.0);
  expect_double("1e000000000000000000000000000000000000000000000000000000000000001", 10.0);
  /* the literal is the token's text */
  {
    cpw_ctx *ctx;
    cpw__json_reader r;
    cpw__json_token t;
    static const char text[] = "[ -12.50e+3 ]";
    assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
    cpw__json_reader_init(&r, ctx, text, sizeof text - 1);
    assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
    assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
    assert_int_equal(t.len, 9);
    assert_memory_equal(t.str, "-12.50e+3", 9);
    assert_true(t.d == -12500.0);
    cpw__json_reader_free(&r);
    cpw_ctx_free(ctx);
  }
}

/* Read text to the end; expect an error with this code, position and message. */
static void expect_error_n(const char *text, size_t len, int code, int line, int column,
                           size_t offset, const char *what)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__json_reader r;
  cpw__json_token t;
  char *copy = exact_copy(text, len);
  char prefix[64];
  const cpw_error *e;
  int rc, steps = 0;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  cpw__json_reader_init(&r, ctx, copy, len);
  while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF)
    steps++;
  e = cpw_ctx_last_error(ctx);
  if (rc != code || e->line != line || e->column != column || e->offset != (int64_t)offset ||
      strstr(e->message, what) == NULL)
    fail_msg("input %.*s\n  got rc %d line %d column %d offset %lld: %s\n  expected rc %d "
             "line %d column %d offset %zu: ...%s", (int)len, text, rc, e->line, e->column,
             (long long)e->offset, e->message, code, line, column, offset, what);
  snprintf(prefix, sizeof prefix, "line %d, column %d: ", line, column);
  assert_memory_equal(e->message, prefix, strlen(prefix));
  assert_int_equal(e->code, code);
  cpw__json_reader_free(&r);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  free(copy);
}

#define EXPECT_ERROR(lit, code, line, col, off, what) \
  expect_error_n(LIT(lit), code, line, col, off, what)
#define EINV CPW_EINVALID

static void test_json__errors(void **state)
{
  (void)state;
  /* structure */
  EXPECT_ERROR("", EINV, 1, 1, 0, "expected a value, found the end of the input");
  EXPECT_ERROR("  \n   ", EINV, 2, 4, 6, "expected a value, found the end of the input");
  /* a UTF-8 byte order mark is skipped at the start of the text (RFC 8259 8.1: a JSON Lines
   * file saved by Excel or Notepad begins with one), and is an error anywhere else */
  expect_tokens("\xEF\xBB\xBF{}", "{ } $");
  expect_tokens("\xEF\xBB\xBF [1]", "[ i:1 ] $");
  EXPECT_ERROR(" \xEF\xBB\xBF{}", EINV, 1, 2, 1, "a byte order mark is allowed only at the start");
  EXPECT_ERROR("[\xEF\xBB\xBF" "1]", EINV, 1, 2, 1, "a byte order mark is allowed only at the start");
  EXPECT_ERROR("\xEF\xBB\xBF\xEF\xBB\xBF{}", EINV, 1, 2, 3,
               "a byte order mark is allowed only at the start");
  EXPECT_ERROR("[1,]", EINV, 1, 4, 3, "expected a value");
  EXPECT_ERROR("[,1]", EINV, 1, 2, 1, "expected a value");
  EXPECT_ERROR("[1 2]", EINV, 1, 4, 3, "expected ',' or ']'");
  EXPECT_ERROR("[1", EINV, 1, 3, 2, "expected ',' or ']', found the end of the input");
  EXPECT_ERROR("[1}", EINV, 1, 3, 2, "expected ',' or ']'");
  EXPECT_ERROR("{\"a\":1]", EINV, 1, 7, 6, "expected ',' or '}'");
  EXPECT_ERROR("{\"a\" 1}", EINV, 1, 6, 5, "expected ':'");
  EXPECT_ERROR("{\"a\"", EINV, 1, 5, 4, "expected ':', found the end of the input");
  EXPECT_ERROR("{\"a\":}", EINV, 1, 6, 5, "expected a value");
  EXPECT_ERROR("{\"a\":1,}", EINV, 1, 8, 7, "expected a string key");
  EXPECT_ERROR("{1:2}", EINV, 1, 2, 1, "expected a string key or '}'");
  EXPECT_ERROR("{'a':2}", EINV, 1, 2, 1, "expected a string key or '}'");
  EXPECT_ERROR("{\"a\":1 \"b\":2}", EINV, 1, 8, 7, "expected ',' or '}'");
  EXPECT_ERROR("[1] x", EINV, 1, 5, 4, "expected the end of the input after the value");
  EXPECT_ERROR("1 2", EINV, 1, 3, 2, "expected the end of the input after the value");
  EXPECT_ERROR("{}{}", EINV, 1, 3, 2, "expected the end of the input after the value");
  EXPECT_ERROR("]", EINV, 1, 1, 0, "expected a value");
  EXPECT_ERROR("{\"a\":\n  [1,\n   2,,]}", EINV, 3, 6, 17, "expected a value");
  /* a character is one column whatever its length in bytes */
  EXPECT_ERROR("[\"Zo\xC3\xAB\", x]", EINV, 1, 9, 9, "expected a value");
  EXPECT_ERROR("[\"\xF0\x9F\x98\x80\xE2\x82\xAC\" 1]", EINV, 1, 7, 11, "expected ',' or ']'");
  /* NUL bytes */
  EXPECT_ERROR("[1,\0]", EINV, 1, 4, 3, "expected a value, found a NUL byte");
  EXPECT_ERROR("[\"a\"\0]", EINV, 1, 5, 4, "expected ',' or ']', found a NUL byte");
  EXPECT_ERROR("[\"a\0\"]", EINV, 1, 4, 3, "control characters must be escaped in strings");
  /* literals */
  EXPECT_ERROR("[nul]", EINV, 1, 2, 1, "invalid literal: expected true, false or null");
  EXPECT_ERROR("[True]", EINV, 1, 2, 1, "expected a value");
  EXPECT_ERROR("[truex]", EINV, 1, 6, 5, "expected ',' or ']'");
  EXPECT_ERROR("fals", EINV, 1, 1, 0, "invalid literal");
  EXPECT_ERROR("[NaN]", EINV, 1, 2, 1, "expected a value");
  EXPECT_ERROR("[Infinity]", EINV, 1, 2, 1, "expected a value");
  /* numbers */
  EXPECT_ERROR("[01]", EINV, 1, 2, 1, "leading zeros are not allowed in numbers");
  EXPECT_ERROR("[-01]", EINV, 1, 3, 2, "leading zeros are not allowed in numbers");
  EXPECT_ERROR("[-]", EINV, 1, 3, 2, "expected a digit after '-'");
  EXPECT_ERROR("-", EINV, 1, 2, 1, "expected a digit after '-', found the end of the input");
  EXPECT_ERROR("[- 1]", EINV, 1, 3, 2, "expected a digit after '-'");
  EXPECT_ERROR("[1.]", EINV, 1, 4, 3, "expected a digit after '.'");
  EXPECT_ERROR("[1.e5]", EINV, 1, 4, 3, "expected a digit after '.'");
  EXPECT_ERROR("[.5]", EINV, 1, 2, 1, "expected a value");
  EXPECT_ERROR("[+1]", EINV, 1, 2, 1, "expected a value");
  EXPECT_ERROR("[1e]", EINV, 1, 4, 3, "expected a digit in the exponent");
  EXPECT_ERROR("[1e+]", EINV, 1, 5, 4, "expected a digit in the exponent");
  EXPECT_ERROR("1E", EINV, 1, 3, 2, "expected a digit in the exponent, found the end");
  EXPECT_ERROR("[0x1]", EINV, 1, 3, 2, "expected ',' or ']'");
  EXPECT_ERROR("[1.5.5]", EINV, 1, 5, 4, "expected ',' or ']'");
  EXPECT_ERROR("[1e400]", EINV, 1, 2, 1, "number out of range");
  EXPECT_ERROR("[-123123e100000]", EINV, 1, 2, 1, "number out of range");
  /* strings */
  EXPECT_ERROR("[\"abc", EINV, 1, 6, 5, "expected '\"' to end the string, found the end");
  EXPECT_ERROR("[\"a\x01\"]", EINV, 1, 4, 3, "control characters must be escaped in strings");
  EXPECT_ERROR("[\"a\nb\"]", EINV, 1, 4, 3, "control characters must be escaped in strings");
  EXPECT_ERROR("[\"\x1F\"]", EINV, 1, 3, 2, "control characters must be escaped in strings");
  EXPECT_ERROR("[\"\xC3\"]", EINV, 1, 3, 2, "invalid UTF-8 in a string");
  EXPECT_ERROR("[\"\xC3", EINV, 1, 3, 2, "invalid UTF-8 in a string");
  EXPECT_ERROR("[\"\xC0\x80\"]", EINV, 1, 3, 2, "invalid UTF-8 in a string");
  EXPECT_ERROR("[\"\xED\xA0\x80\"]", EINV, 1, 3, 2, "invalid UTF-8 in a string");
  EXPECT_ERROR("[\"\xF4\x90\x80\x80\"]", EINV, 1, 3, 2, "invalid UTF-8 in a string");
  EXPECT_ERROR("[\"ab\xFF\"]", EINV, 1, 5, 4, "invalid UTF-8 in a string");
  EXPECT_ERROR("[\xC3\xA9]", EINV, 1, 2, 1, "expected a value");
  EXPECT_ERROR("[\"\\x\"]", EINV, 1, 4, 3, "invalid escape");
  EXPECT_ERROR("[\"\\'\"]", EINV, 1, 4, 3, "invalid escape");
  EXPECT_ERROR("[\"\\", EINV, 1, 4, 3, "expected an escape character after '\\', found the end");
  EXPECT_ERROR("[\"\\u12G4\"]", EINV, 1, 7, 6, "expected 4 hexadecimal digits after \\u");
  EXPECT_ERROR("[\"\\u12\"]", EINV, 1, 7, 6, "expected 4 hexadecimal digits after \\u");
  EXPECT_ERROR("[\"\\u12", EINV, 1, 7, 6, "expected 4 hexadecimal digits after \\u");
  EXPECT_ERROR("[\"ab\\uD800\"]", EINV, 1, 5, 4, "a high surrogate escape must be followed");
  EXPECT_ERROR("[\"\\uD800\\u0041\"]", EINV, 1, 3, 2, "a high surrogate escape must be followed");
  EXPECT_ERROR("[\"\\uD800\\uD800\"]", EINV, 1, 3, 2, "a high surrogate escape must be followed");
  EXPECT_ERROR("[\"\\uD800\\n\"]", EINV, 1, 3, 2, "a high surrogate escape must be followed");
  EXPECT_ERROR("[\"\\uDC00\"]", EINV, 1, 3, 2, "a low surrogate escape without a high");
  EXPECT_ERROR("[\"\\uDFFF\\uDC00\"]", EINV, 1, 3, 2, "a low surrogate escape without a high");
  /* the error is in the key */
  EXPECT_ERROR("{\"k\\q\":1}", EINV, 1, 5, 4, "invalid escape");
}

/* Messages describe the place, never the text: personal data must not leak into logs. */
static void test_json__errors_do_not_echo_input(void **state)
{
  static const char *const docs[] = {
    "{\"name\": \"Jane Secret\x01\"}",
    "{\"name\": \"Jane Secret\xFF\"}",
    "{\"name\": \"Jane Secret\\q\"}",
    "{\"name\": \"Jane Secret\"  \"Jane\"}",
    "{\"name\": Jane Secret}",
    "{\"name\": \"Jane Secret\", Jane}",
    "{\"Jane Secret\" 1}",
    "[\"Jane Secret\"] Jane",
  };
  size_t k;
  (void)state;
  for (k = 0; k < CPW__ARRAY_LEN(docs); k++) {
    cpw_ctx *ctx;
    cpw__json_reader r;
    cpw__json_token t;
    int rc;
    assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
    cpw__json_reader_init(&r, ctx, docs[k], strlen(docs[k]));
    while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF)
      ;
    assert_int_equal(rc, CPW_EINVALID);
    if (strstr(cpw_ctx_last_error(ctx)->message, "Jane") != NULL ||
        strstr(cpw_ctx_last_error(ctx)->message, "Secret") != NULL)
      fail_msg("message echoes the input: %s", cpw_ctx_last_error(ctx)->message);
    cpw__json_reader_free(&r);
    cpw_ctx_free(ctx);
  }
}

/* n nested arrays (or objects when objects is set: {"a":{"a":...}}). */
static char *nested(int n, int objects, size_t *len)
{
  size_t cap = (size_t)n * 6 + 8, o = 0;
  char *p = malloc(cap);
  int i;
  assert_non_null(p);
  for (i = 0; i < n; i++) {
    if (objects) {
      memcpy(p + o, "{\"a\":", 5);
      o += 5;
    } else {
      p[o++] = '[';
    }
  }
  if (objects)
    p[o++] = '1';
  for (i = 0; i < n; i++)
    p[o++] = objects ? '}' : ']';
  *len = o;
  return p;
}

static int read_all(const char *text, size_t len, int *max_depth)
{
  cpw_ctx *ctx;
  cpw__json_reader r;
  cpw__json_token t;
  int rc;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  cpw__json_reader_init(&r, ctx, text, len);
  *max_depth = 0;
  while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF)
    if (r.depth > *max_depth)
      *max_depth = r.depth;
  if (rc == CPW_ELIMIT) {
    const cpw_error *e = cpw_ctx_last_error(ctx);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, CPW__JSON_MAX_DEPTH + 1);
    assert_non_null(strstr(e->message, "nested deeper than 512 levels"));
  }
  cpw__json_reader_free(&r);
  cpw_ctx_free(ctx);
  return rc;
}

static void test_json__depth_limit(void **state)
{
  size_t len;
  char *p;
  int depth;
  (void)state;
  p = nested(CPW__JSON_MAX_DEPTH, 0, &len);
  assert_int_equal(read_all(p, len, &depth), CPW_OK);
  assert_int_equal(depth, CPW__JSON_MAX_DEPTH);
  free(p);
  p = nested(CPW__JSON_MAX_DEPTH + 1, 0, &len);
  assert_int_equal(read_all(p, len, &depth), CPW_ELIMIT);
  free(p);
  p = nested(100000, 0, &len);
  assert_int_equal(read_all(p, len, &depth), CPW_ELIMIT);
  free(p);
  p = nested(CPW__JSON_MAX_DEPTH, 1, &len);
  assert_int_equal(read_all(p, len, &depth), CPW_OK);
  assert_int_equal(depth, CPW__JSON_MAX_DEPTH);
  free(p);
  /* objects and arrays mixed: the end tokens follow the kind of each level */
  expect_tokens("[{\"a\":[{\"b\":[]}]},[{}]]", "[ { k:a [ { k:b [ ] } ] } [ { } ] ] $");
}

static void test_json__skip(void **state)
{
  static const char text[] =
    "{\"a\": {\"b\": [1, {\"c\": \"\\u00e9\\n\"}, [[]]], \"d\": \"x\"}, \"e\": 2, "
    "\"f\": [true, {\"g\": null}], \"h\": \"s\", \"i\": 3}";
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__json_reader r;
  cpw__json_token t;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  cpw__json_reader_init(&r, ctx, text, sizeof text - 1);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_OBJECT);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_KEY);
  /* skip a key's value (an object) */
  assert_int_equal(cpw__json_skip(&r, &t), CPW_OK);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_KEY);
  assert_memory_equal(t.str, "e", 1);
  /* skip a key's value (a scalar) */
  assert_int_equal(cpw__json_skip(&r, &t), CPW_OK);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_memory_equal(t.str, "f", 1);
  /* skip an array from its opening token */
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_ARRAY);
  assert_int_equal(cpw__json_skip(&r, &t), CPW_OK);
  assert_int_equal(r.depth, 1);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_memory_equal(t.str, "h", 1);
  /* skipping a scalar token does nothing */
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_STRING);
  assert_int_equal(cpw__json_skip(&r, &t), CPW_OK);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_memory_equal(t.str, "i", 1);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.i, 3);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_OBJECT_END);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_EOF);
  cpw__json_reader_free(&r);

  /* skipped text is still checked */
  cpw__json_reader_init(&r, ctx, LIT("{\"a\": [1, {\"b\": \"\\uDC00\"}], \"c\": 1}"));
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(cpw__json_skip(&r, &t), CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(ctx)->message, "line 1, column 18: "));
  assert_int_equal(cpw__json_skip(&r, &t), CPW_EINVALID);
  cpw__json_reader_free(&r);
  cpw__json_reader_init(&r, ctx, LIT("{\"a\": [1, 2"));
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(cpw__json_skip(&r, &t), CPW_EINVALID);
  cpw__json_reader_free(&r);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

static void expect_written(const char *s, size_t len, const char *json)
{
  cpw_ctx *ctx;
  cpw__buf b;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  cpw__buf_init(&b, ctx);
  assert_int_equal(cpw__json_write_string(&b, s, len), CPW_OK);
  assert_string_equal(cpw__buf_str(&b), json);
  cpw__buf_free(&b);
  cpw_ctx_free(ctx);
}

static void test_json__write(void **state)
{
  cpw_ctx *ctx;
  cpw__buf b;
  (void)state;
  expect_written(LIT(""), "\"\"");
  expect_written(LIT("plain"), "\"plain\"");
  expect_written(LIT("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
  expect_written(LIT("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  expect_written(LIT("\x01\x1F\x7F"), "\"\\u0001\\u001f\x7F\"");
  expect_written(LIT("x\0y"), "\"x\\u0000y\"");
  expect_written(LIT("Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80"),
                 "\"Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  /* invalid UTF-8 is refused and the buffer is left as it was */
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  cpw__buf_init(&b, ctx);
  assert_int_equal(cpw__buf_adds(&b, "{\"k\":"), CPW_OK);
  assert_int_equal(cpw__json_write_string(&b, LIT("ab\xED\xA0\x80")), CPW_EINVALID);
  assert_int_equal(cpw__json_write_string(&b, LIT("ab\xC3")), CPW_EINVALID);
  assert_int_equal(cpw__json_write_string(&b, LIT("\xC0\xAF")), CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(ctx)->message, "not valid UTF-8"));
  assert_string_equal(cpw__buf_str(&b), "{\"k\":");
  /* integers */
  assert_int_equal(cpw__json_write_int(&b, 0), CPW_OK);
  assert_int_equal(cpw__buf_addc(&b, ','), CPW_OK);
  assert_int_equal(cpw__json_write_int(&b, -1), CPW_OK);
  assert_int_equal(cpw__buf_addc(&b, ','), CPW_OK);
  assert_int_equal(cpw__json_write_int(&b, 1234567890123LL), CPW_OK);
  assert_int_equal(cpw__buf_addc(&b, ','), CPW_OK);
  assert_int_equal(cpw__json_write_int(&b, INT64_MAX), CPW_OK);
  assert_int_equal(cpw__buf_addc(&b, ','), CPW_OK);
  assert_int_equal(cpw__json_write_int(&b, INT64_MIN), CPW_OK);
  assert_string_equal(cpw__buf_str(&b),
                      "{\"k\":0,-1,1234567890123,9223372036854775807,-9223372036854775808");
  cpw__buf_free(&b);
  cpw_ctx_free(ctx);
}

/* Write then read gives back the same bytes. */
static void round_trip(cpw_ctx *ctx, const char *s, size_t len)
{
  cpw__buf b;
  cpw__json_reader r;
  cpw__json_token t;
  char *copy;
  cpw__buf_init(&b, ctx);
  assert_int_equal(cpw__json_write_string(&b, s, len), CPW_OK);
  copy = exact_copy(b.data, b.len);
  cpw__json_reader_init(&r, ctx, copy, b.len);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_STRING);
  assert_int_equal(t.len, len);
  if (len != 0)
    assert_memory_equal(t.str, s, len);
  assert_int_equal(cpw__json_next(&r, &t), CPW_OK);
  assert_int_equal(t.type, CPW__JSON_EOF);
  cpw__json_reader_free(&r);
  free(copy);
  cpw__buf_free(&b);
}

static void test_json__round_trip(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  char all[256 * 4];
  size_t n = 0;
  uint32_t cp;
  unsigned c;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  /* every ASCII character alone and all together, including every control character */
  for (c = 0; c < 128; c++) {
    char one = (char)c;
    round_trip(ctx, &one, 1);
    all[n++] = (char)c;
  }
  round_trip(ctx, all, n);
  /* multi-byte characters at each length boundary, mixed with escapes */
  {
    static const uint32_t cps[] = { 0x80, 0xE9, 0x7FF, 0x800, 0x20AC, 0xD7FF, 0xE000, 0xFEFF,
                                    0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
    size_t k;
    n = 0;
    for (k = 0; k < CPW__ARRAY_LEN(cps); k++) {
      char one[4];
      size_t m = cpw__utf8_encode(one, cps[k]);
      round_trip(ctx, one, m);
      memcpy(all + n, one, m);
      n += m;
      all[n++] = (char)(k % 32); /* a control character between them */
      all[n++] = '"';
    }
    round_trip(ctx, all, n);
  }
  /* a sweep of the code points */
  for (cp = 1; cp <= 0x10FFFF; cp += 97) {
    char one[8];
    size_t m = cpw__utf8_encode(one, cp);
    if (m != 0) {
      one[m] = '\\';
      round_trip(ctx, one, m + 1);
    }
  }
  round_trip(ctx, "", 0);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(ta.bad_sizes, 0);
}

/* ------------------------------------------------------------------ JSONTestSuite */

static char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *p = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL)
    return NULL;
  for (;;) {
    size_t got;
    if (n == cap) {
      char *q;
      cap = cap != 0 ? cap * 2 : 4096;
      q = realloc(p, cap);
      assert_non_null(q);
      p = q;
    }
    got = fread(p + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  /* an exact-size block, so an over-read is caught */
  {
    char *q = exact_copy(p, n);
    free(p);
    *len = n;
    return q;
  }
}

static int suite_dir(char *out, size_t cap)
{
  const char *shared = getenv("CPW_SHARED_DIR");
  const char *src = getenv("CPW_SOURCE_DIR");
  DIR *d;
  if (shared != NULL && shared[0] != '\0')
    snprintf(out, cap, "%s/testsuites/JSONTestSuite/test_parsing", shared);
  else if (src != NULL && src[0] != '\0')
    snprintf(out, cap, "%s/../shared/testsuites/JSONTestSuite/test_parsing", src);
  else
    snprintf(out, cap, "../shared/testsuites/JSONTestSuite/test_parsing");
  d = opendir(out);
  if (d == NULL)
    return 0;
  closedir(d);
  return 1;
}

static void test_json__jsontestsuite(void **state)
{
  char dir[1024], path[2048];
  DIR *d;
  struct dirent *de;
  int y = 0, y_ok = 0, n = 0, n_ok = 0, i = 0, i_accept = 0, failures = 0;
  (void)state;
  if (!suite_dir(dir, sizeof dir)) {
    print_message("JSONTestSuite not found at %s: skipped\n", dir);
    skip();
    return;
  }
  d = opendir(dir);
  assert_non_null(d);
  while ((de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    size_t len, nl = strlen(name);
    char *text;
    cpw_test_alloc ta;
    cpw_ctx *ctx;
    cpw__json_reader r;
    cpw__json_token t;
    int rc;
    if (nl < 7 || name[1] != '_' || strcmp(name + nl - 5, ".json") != 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    len = 0;
    text = read_file(path, &len);
    assert_non_null(text);
    cpw_test_alloc_init(&ta);
    ctx = cpw_test_ctx(&ta);
    cpw__json_reader_init(&r, ctx, text, len);
    while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF)
      ;
    if (rc != CPW_OK) {
      /* every failure has a positioned message */
      const cpw_error *e = cpw_ctx_last_error(ctx);
      assert_true(rc == CPW_EINVALID || rc == CPW_ELIMIT);
      assert_true(e->line >= 1 && e->column >= 1);
      assert_memory_equal(e->message, "line ", 5);
    }
    switch (name[0]) {
    case 'y':
      y++;
      if (rc == CPW_OK)
        y_ok++;
      else {
        print_error("%s: refused: %s\n", name, cpw_ctx_last_error(ctx)->message);
        failures++;
      }
      break;
    case 'n':
      n++;
      if (rc != CPW_OK)
        n_ok++;
      else {
        print_error("%s: accepted\n", name);
        failures++;
      }
      break;
    default:
      i++;
      if (rc == CPW_OK)
        i_accept++;
      break;
    }
    cpw__json_reader_free(&r);
    cpw_ctx_free(ctx);
    assert_int_equal(ta.live_blocks, 0);
    assert_int_equal(ta.bad_sizes, 0);
    free(text);
  }
  closedir(d);
  print_message("JSONTestSuite: y %d/%d accepted, n %d/%d refused, i %d (%d accepted, %d "
                "refused)\n", y_ok, y, n_ok, n, i, i_accept, i - i_accept);
  assert_int_equal(failures, 0);
  assert_true(y > 0 && n > 0);
}

/* ------------------------------------------------------------------ allocation failures */

static int scenario_read(cpw_ctx *ctx, void *arg)
{
  static const char text[] =
    "{\"n\\u00e4me\": \"Zo\\u00eb \\ud83d\\ude00\", \"notes\": [\"line 1\\nline 2\", "
    "\"\\\"quoted\\\" and a longer tail to grow the scratch buffer past its first size\", "
    "\"plain\"], \"skip\": {\"x\": [\"\\t\", \"\\u20ac\"]}, \"big\": "
    "12345678901234567890123456789012345678901234567890123456789012345678901234567890"
    "123456789012345678901234567890e-100, \"last\": \"\\/\"}";
  cpw__json_reader r;
  cpw__json_token t;
  int rc;
  (void)arg;
  cpw__json_reader_init(&r, ctx, text, sizeof text - 1);
  while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF) {
    if (t.type == CPW__JSON_KEY && t.len == 4 && memcmp(t.str, "skip", 4) == 0)
      if ((rc = cpw__json_skip(&r, &t)) != CPW_OK)
        break;
  }
  if (rc == CPW_OK) {
    /* and the reader is still usable for a second document */
    cpw__json_reader_free(&r);
    cpw__json_reader_init(&r, ctx, LIT("[\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"]"));
    while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF)
      ;
  }
  cpw__json_reader_free(&r);
  return rc;
}

static int scenario_write(cpw_ctx *ctx, void *arg)
{
  cpw__buf b;
  int rc, k;
  (void)arg;
  cpw__buf_init(&b, ctx);
  rc = cpw__buf_adds(&b, "[");
  for (k = 0; k < 20 && rc == CPW_OK; k++) {
    size_t before = b.len;
    rc = cpw__json_write_string(&b, LIT("a \"quoted\"\n\x01 Zo\xC3\xAB text of some length"));
    if (rc != CPW_OK)
      assert_int_equal(b.len, before); /* left as it was */
    if (rc == CPW_OK)
      rc = cpw__json_write_int(&b, -k);
  }
  cpw__buf_free(&b);
  return rc;
}

static void test_json__oom(void **state)
{
  (void)state;
  CPW_ASSERT_OOM_CLEAN(scenario_read, NULL);
  CPW_ASSERT_OOM_CLEAN(scenario_write, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_json__nested_tokens),
    cmocka_unit_test(test_json__positions),
    cmocka_unit_test(test_json__strings),
    cmocka_unit_test(test_json__numbers),
    cmocka_unit_test(test_json__errors),
    cmocka_unit_test(test_json__errors_do_not_echo_input),
    cmocka_unit_test(test_json__depth_limit),
    cmocka_unit_test(test_json__skip),
    cmocka_unit_test(test_json__write),
    cmocka_unit_test(test_json__round_trip),
    cmocka_unit_test(test_json__jsontestsuite),
    cmocka_unit_test(test_json__oom),
  };
  return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
