/* SPDX-License-Identifier: Apache-2.0 */
/* Field values read from text (cpw_record_set_string: CSV cells, form input), by the field's
 * type, each accepted with its value or refused with CPW_EINVALID naming the field (never the
 * value) and leaving the record as it was; the same values in JSON (cpw_record_set_json); and
 * dates and date-times that are not. Through the public API only. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testalloc.h"

static const char policy_text[] =
  "field b: bool\n"
  "field n: int\n"
  "field m: money\n"
  "field d: date\n"
  "field t: datetime\n"
  "field small: enum(x, y, z)\n"
  "field big: enum(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11)\n"
  "field s: set of enum(x, y, z)\n"
  "field txt: text\n"
  "program p \"P\" { eligible when b or n > 0 }\n";

typedef struct fx {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_record *rec;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  if (f == NULL)
    return -1;
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  if (f->ctx == NULL ||
      cpw_policy_from_string(&f->pol, f->ctx, "t.cpw", policy_text, sizeof policy_text - 1) !=
        CPW_OK ||
      cpw_record_new(&f->rec, f->ctx, f->pol) != CPW_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_record_free(f->rec);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  free(f);
  return 0;
}

typedef struct text_case {
  const char *field;
  const char *text;
  int ok;         /* 1 accepted with `value`, 2 accepted as missing, 0 refused */
  int64_t value;
} text_case;

#define OK(f, t, v) { f, t, 1, v }
#define MISSING(f) { f, "", 2, 0 }
#define BAD(f, t) { f, t, 0, 0 }

static const text_case cases[] = {
  OK("b", "true", 1), OK("b", "yes", 1), OK("b", "1", 1), OK("b", "false", 0),
  OK("b", "no", 0), OK("b", "0", 0), BAD("b", "True"), BAD("b", "2"), MISSING("b"),
  BAD("b", "yess"),
  OK("n", "0", 0), OK("n", "+5", 5), OK("n", "-0", 0), OK("n", "9223372036854775807", INT64_MAX),
  OK("n", "-9223372036854775808", INT64_MIN), BAD("n", "9223372036854775808"),
  BAD("n", "-9223372036854775809"), MISSING("n"), BAD("n", "+"), BAD("n", "-"), BAD("n", "1x"),
  BAD("n", "1.0"), BAD("n", " 1"),
  OK("m", "1000", 100000), OK("m", "12.5", 1250), OK("m", "12.50", 1250), OK("m", "-3.05", -305),
  OK("m", "+1.5", 150), OK("m", "0.05", 5), OK("m", "-0.50", -50), OK("m", "-7", -700),
  OK("m", "92233720368547757.99", INT64_C(9223372036854775799)),
  OK("m", "-92233720368547757.99", -INT64_C(9223372036854775799)),
  BAD("m", "1."), BAD("m", ".5"), BAD("m", "-.5"), BAD("m", "+.5"), BAD("m", "1.234"),
  BAD("m", "1.a"), BAD("m", "1.2a"), BAD("m", "a.25"), BAD("m", "1.-5"),
  BAD("m", "92233720368547758.00"), BAD("m", "-92233720368547758.00"),
  OK("m", "92233720368547758", INT64_C(9223372036854775800)), BAD("m", "92233720368547759"),
  BAD("m", "-92233720368547759"), MISSING("m"),
  BAD("m", "1,5"), BAD("m", "GEL 5"),
  OK("d", "2024-02-29", 19782), BAD("d", "2023-02-29"), BAD("d", "2024-2-29"), MISSING("d"),
  BAD("d", "2024-02-29x"),
  OK("t", "2024-02-29T10:00:00Z", INT64_C(1709200800)),
  OK("t", "2024-02-29T14:00:00+04:00", INT64_C(1709200800)),
  BAD("t", "2024-02-29"), BAD("t", "2024-02-29T1:00:00Z"), BAD("t", "2024-02-29T10-00:00Z"),
  BAD("t", "2024-02-29T10:00:0Z"), BAD("t", "2024-02-29T10:00:00+4:00"),
  BAD("t", "2024-02-29T10:00:00+04-00"), BAD("t", "2024-02-29T10:00:00"),
  BAD("t", "2024-02-29T24:00:00Z"),
  OK("small", "x", 0), OK("small", "z", 2), BAD("small", "X"), BAD("small", "w"),
  MISSING("small"), BAD("small", "xx"),
  OK("big", "v0", 0), OK("big", "v11", 11), OK("big", "v7", 7), BAD("big", "v12"),
  BAD("big", "v1x"), MISSING("big"),
  OK("s", "x|z", 5), OK("s", "y", 2), OK("s", "x;y", 3), MISSING("s"), OK("s", "x|x", 1),
  BAD("s", "x|w"),
  OK("s", "x||y", 3), OK("s", "|x;", 1), BAD("s", "x|X"),
};

static void test_record_text__by_type(void **state)
{
  fx *f = *state;
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const text_case *c = &cases[i];
    int64_t before = 0, after = 0;
    int was = cpw_record_get(f->rec, c->field, &before), rc;
    rc = cpw_record_set_string(f->rec, c->field, c->text, strlen(c->text));
    if (c->ok == 2) {
      assert_int_equal(rc, CPW_OK);
      assert_int_equal(cpw_record_is_set(f->rec, c->field), 0);
    } else if (c->ok) {
      if (rc != CPW_OK)
        fail_msg("%s = '%s': refused (%s)", c->field, c->text,
                 cpw_ctx_last_error(f->ctx)->message);
      assert_int_equal(cpw_record_get(f->rec, c->field, &after), 1);
      if (after != c->value)
        fail_msg("%s = '%s': %lld, expected %lld", c->field, c->text, (long long)after,
                 (long long)c->value);
    } else {
      const char *msg = cpw_ctx_last_error(f->ctx)->message;
      if (rc != CPW_EINVALID)
        fail_msg("%s = '%s': %d, expected CPW_EINVALID", c->field, c->text, rc);
      assert_non_null(strstr(msg, c->field));
      if (c->text[0] != '\0' && strlen(c->text) > 2 && strstr(msg, c->text) != NULL)
        fail_msg("%s = '%s': the message quotes the value: %s", c->field, c->text, msg);
      /* unchanged */
      assert_int_equal(cpw_record_get(f->rec, c->field, &after), was);
      if (was == 1)
        assert_int_equal(after, before);
    }
  }
}

/* JSON: numbers 0 and 1 for a bool, money as a number, dates as strings, sets as arrays; a refused
 * value or a bad text leaves the record as it was. */
static void test_record_text__json(void **state)
{
  fx *f = *state;
  int64_t v = 0;
  static const char good[] =
    "{\"b\": 1, \"n\": -4, \"m\": 12.5, \"d\": \"2020-01-31\", \"small\": \"y\","
    " \"big\": \"v10\", \"s\": [\"x\", \"y\"], \"txt\": \"hello\", \"t\": null}";
  cpw_record_clear(f->rec);
  if (cpw_record_set_json(f->rec, good, sizeof good - 1, 0) != CPW_OK)
    fail_msg("%s", cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_record_get(f->rec, "b", &v), 1);
  assert_int_equal(v, 1);
  assert_int_equal(cpw_record_get(f->rec, "m", &v), 1);
  assert_int_equal(v, 1250);
  assert_int_equal(cpw_record_get(f->rec, "big", &v), 1);
  assert_int_equal(v, 10);
  assert_int_equal(cpw_record_get(f->rec, "s", &v), 1);
  assert_int_equal(v, 3);
  assert_int_equal(cpw_record_is_set(f->rec, "t"), 0);
  assert_string_equal(cpw_record_get_text(f->rec, "txt"), "hello");
  {
    static const char *const bad[] = {
      "{\"b\": 2}", "{\"b\": 0.5}", "{\"n\": 1.5}", "{\"n\": true}", "{\"small\": 1}",
      "{\"s\": \"w\"}", "{\"s\": [1]}", "{\"d\": 20200131}", "{\"b\": true} x",
      "{\"b\": true}{}", "{\"b\": [true]}", "{\"m\": {}}", "[1]", "{\"b\": tru}",
      /* surrogate escapes that do not pair, numbers that are not */
      "{\"txt\": \"\\ud83d\"}", "{\"txt\": \"\\ud83dx\"}", "{\"txt\": \"\\ud83d\\u0041\"}",
      "{\"txt\": \"\\ud83d\\ue000\"}", "{\"txt\": \"\\ud83d\\\"}", "{\"txt\": \"\\ude00\"}",
      "{\"n\": 1.}", "{\"n\": 1.e5}", "{\"n\": 1e}", "{\"n\": -}", "{\"n\": 01}",
      "{\"m\": 1.234}", "{\"m\": 0.0e0}", "{\"n\": 0e5}",
      "\xef\xbb\xbf\xef\xbb\xbf{\"n\": 1}", "{\"n\": 1}\xef\xbb\xbf",
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      int rc = cpw_record_set_json(f->rec, bad[i], strlen(bad[i]), 0);
      if (rc != CPW_EINVALID)
        fail_msg("'%s': %d, expected CPW_EINVALID", bad[i], rc);
      /* all or nothing: the good record is there still */
      assert_int_equal(cpw_record_get(f->rec, "n", &v), 1);
      assert_int_equal(v, -4);
      assert_int_equal(cpw_record_get(f->rec, "b", &v), 1);
      assert_int_equal(v, 1);
    }
  }
  /* a pair of surrogate escapes, zero in its forms, a byte order mark before the object */
  {
    static const char pair[] = "{\"txt\": \"\\ud83d\\ude00 ok\", \"n\": -0, \"m\": 0.00}";
    static const char bom[] = "\xef\xbb\xbf{\"n\": 0}";
    assert_int_equal(cpw_record_set_json(f->rec, pair, sizeof pair - 1, 0), CPW_OK);
    assert_string_equal(cpw_record_get_text(f->rec, "txt"), "\xf0\x9f\x98\x80 ok");
    assert_int_equal(cpw_record_get(f->rec, "n", &v), 1);
    assert_int_equal(v, 0);
    assert_int_equal(cpw_record_get(f->rec, "m", &v), 1);
    assert_int_equal(v, 0);
    assert_int_equal(cpw_record_set_int(f->rec, "n", -4), CPW_OK);
    assert_int_equal(cpw_record_set_json(f->rec, bom, sizeof bom - 1, 0), CPW_OK);
    assert_int_equal(cpw_record_get(f->rec, "n", &v), 1);
    assert_int_equal(v, 0);
    assert_int_equal(cpw_record_set_int(f->rec, "n", -4), CPW_OK);
  }
  /* the key left out, and a NULL text */
  assert_int_equal(cpw_record_set_json_except(f->rec, "{\"id\": 5, \"n\": 2}", 17, 0, "id"),
                   CPW_OK);
  assert_int_equal(cpw_record_set_json_except(f->rec, "{\"idx\": 5, \"n\": 2}", 18, 0, "id"),
                   CPW_ENOTFOUND); /* an unknown key */
  assert_int_equal(cpw_record_set_json(f->rec, NULL, 0, 0), CPW_EINVALID);
  assert_int_equal(cpw_record_set_json(f->rec, NULL, 3, 0), CPW_EINVALID);
}

/* The JSON text of `n` distinct keys "k0".."k<n-1>" (every seventh written with a \u escape for
 * its 'k'), each with the value 1, then `tail` (", ..." or ""), closed; malloc'd. */
static char *many_keys(size_t n, const char *tail)
{
  size_t cap = n * 24 + strlen(tail) + 8, len = 0, i;
  char *s = malloc(cap);
  assert_non_null(s);
  s[len++] = '{';
  for (i = 0; i < n; i++)
    len += (size_t)snprintf(s + len, cap - len, "%s\"%s%zu\": 1", i > 0 ? ", " : "",
                            i % 7 == 3 ? "\\u006b" : "k", i);
  len += (size_t)snprintf(s + len, cap - len, "%s}", tail);
  return s;
}

static void refused_twice(fx *f, const char *json, unsigned int flags, const char *except,
                          const char *message)
{
  int64_t v = 0;
  int rc;
  assert_int_equal(cpw_record_set_int(f->rec, "n", -4), CPW_OK);
  rc = cpw_record_set_json_except(f->rec, json, strlen(json), flags, except);
  if (rc != CPW_EINVALID)
    fail_msg("'%.200s': %d (%s), expected CPW_EINVALID", json, rc,
             cpw_ctx_last_error(f->ctx)->message);
  if (strcmp(cpw_ctx_last_error(f->ctx)->message, message) != 0)
    fail_msg("'%.200s': \"%s\", expected \"%s\"", json, cpw_ctx_last_error(f->ctx)->message,
             message);
  /* all or nothing: the record is as it was */
  assert_int_equal(cpw_record_get(f->rec, "n", &v), 1);
  assert_int_equal(v, -4);
}

/* A key given twice is refused whether the key is a field, a key skipped as unknown or the
 * `except` key, compared as the JSON text means it ("a" and "\u0061" are one key); the message
 * names a field or the except key, never another key (anything a user wrote). Keys that only
 * share a prefix are different keys, and an object may have any number of them. */
static void test_record_text__keys_twice(void **state)
{
  fx *f = *state;
  const unsigned ign = CPW_RECORD_IGNORE_UNKNOWN;
  int64_t v = 0;
  char *json;
  refused_twice(f, "{\"n\": 1, \"n\": 2}", 0, NULL,
                "field 'n' is given twice (line 1, column 10)");
  refused_twice(f, "{\"n\": 1, \"\\u006e\": 2}", 0, NULL,
                "field 'n' is given twice (line 1, column 10)");
  /* an unknown key skipped, twice; the second time with an escape, or the first */
  refused_twice(f, "{\"x\": 1, \"n\": 2, \"x\": [3]}", ign, NULL,
                "a key is given twice (line 1, column 18)");
  refused_twice(f, "{\"xa\": 1, \"x\\u0061\": 2}", ign, NULL,
                "a key is given twice (line 1, column 11)");
  /* the escaped key is copied: the reader's buffer holds other strings after it */
  refused_twice(f, "{\"x\\u0061\": {\"\\u0041\": \"\\u0042\"}, \"txt\": \"\\u0043\", \"xa\": 2}",
                ign, NULL, "a key is given twice (line 1, column 52)");
  refused_twice(f, "{\"\": 1, \"\": 2}", ign, NULL, "a key is given twice (line 1, column 9)");
  refused_twice(f, "{\"\\u00e9\": 1,\n \"\xc3\xa9\": 2}", ign, NULL,
                "a key is given twice (line 2, column 2)");
  /* the except key twice, with or without the unknown keys skipped */
  refused_twice(f, "{\"id\": 1, \"n\": 2, \"id\": 3}", 0, "id",
                "key 'id' is given twice (line 1, column 19)");
  refused_twice(f, "{\"id\": 1, \"\\u0069d\": 3}", ign, "id",
                "key 'id' is given twice (line 1, column 11)");
  /* different keys sharing a prefix, an empty key, and the except key once */
  {
    static const char prefixes[] =
      "{\"x\": 1, \"xy\": 2, \"xyz\": 3, \"\": 4, \"i\": 5, \"id\": 6, \"idx\": 7, \"n\": 8}";
    if (cpw_record_set_json_except(f->rec, prefixes, sizeof prefixes - 1, ign, "id") != CPW_OK)
      fail_msg("prefixes: %s", cpw_ctx_last_error(f->ctx)->message);
  }
  assert_int_equal(cpw_record_get(f->rec, "n", &v), 1);
  assert_int_equal(v, 8);
  /* 5,000 distinct unknown keys; then one of them again at the end, a field twice among them */
  json = many_keys(5000, ", \"n\": 9");
  if (cpw_record_set_json(f->rec, json, strlen(json), ign) != CPW_OK)
    fail_msg("5,000 keys: %s", cpw_ctx_last_error(f->ctx)->message);
  assert_int_equal(cpw_record_get(f->rec, "n", &v), 1);
  assert_int_equal(v, 9);
  free(json);
  json = many_keys(5000, ", \"k0\": 2");
  refused_twice(f, json, ign, NULL, "a key is given twice (line 1, column 62462)");
  free(json);
  json = many_keys(5000, ", \"k\\u0034999\": 2");
  refused_twice(f, json, ign, NULL, "a key is given twice (line 1, column 62462)");
  free(json);
  json = many_keys(5000, ", \"n\": 1, \"id\": 2, \"\\u006e\": 2");
  refused_twice(f, json, ign, "id", "field 'n' is given twice (line 1, column 62479)");
  free(json);
  json = many_keys(5000, ", \"id\": 1, \"n\": 2, \"id\": 2");
  refused_twice(f, json, ign, "id", "key 'id' is given twice (line 1, column 62479)");
  free(json);
}

/* Dates and date-times through the public parsers: every way a text can be wrong is refused
 * with a message that says what was expected. */
static void test_record_text__dates_and_times(void **state)
{
  fx *f = *state;
  static const char *const bad_dates[] = { "", "2024", "2024-", "2024-02", "2024-02-", "2024-13-01",
                                           "2024-00-10", "2024-04-31", "0000-01-01", "2024/02/01",
                                           "2024-01-01T", "2024-01-1x" };
  static const char *const bad_times[] = {
    "", "2024-02-29", "2024-02-29T", "2024-02-29T10", "2024-02-29T10:", "2024-02-29T10:00",
    "2024-02-29T10:00:", "2024-02-29T10:00:00", "2024-02-29T10:00:00+", "2024-02-29T10:00:00+04",
    "2024-02-29T10:00:00+04:", "2024-02-29T10:00:00+0400", "2024-02-29T10:60:00Z",
    "2024-02-29T10:00:60Z", "2024-02-29T10:00:00+24:00", "2024-02-29T10:00:00+04:60",
    "2024-02-29T10:00:00Zx", "2024-02-29t10:00:00Z", "2024-02-30T10:00:00Z",
    "2024-02-29T10:0a:00Z", "2024-02-29T1a:00:00Z", "2024-02-29T10:00:00+0a:00",
    "2024-02-29T10:00:00+04:0a",
  };
  size_t i;
  cpw_date d;
  cpw_time t;
  for (i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
    if (cpw_date_parse(&d, f->ctx, bad_dates[i], strlen(bad_dates[i])) != CPW_EINVALID)
      fail_msg("date '%s' accepted", bad_dates[i]);
    assert_true(cpw_ctx_last_error(f->ctx)->message[0] != '\0');
    assert_int_equal(cpw_date_parse(&d, NULL, bad_dates[i], strlen(bad_dates[i])), CPW_EINVALID);
  }
  for (i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
    if (cpw_time_parse(&t, f->ctx, bad_times[i], strlen(bad_times[i])) != CPW_EINVALID)
      fail_msg("date-time '%s' accepted", bad_times[i]);
    assert_true(cpw_ctx_last_error(f->ctx)->message[0] != '\0');
  }
  assert_int_equal(cpw_time_parse(&t, f->ctx, "2024-02-29T10:00:00-03:30", 25), CPW_OK);
  assert_int_equal(t, INT64_C(1709200800) + 3 * 3600 + 30 * 60); /* 13:30 UTC */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_record_text__by_type),
    cmocka_unit_test(test_record_text__json),
    cmocka_unit_test(test_record_text__keys_twice),
    cmocka_unit_test(test_record_text__dates_and_times),
  };
  return cmocka_run_group_tests_name("record_text", tests, setup, teardown);
}
