/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of hostile input (issue 9, item 7): every public function (each CPW_API
 * declaration in include/cpw.h and include/cpw/ *.h; tests/tools/check_hostile_coverage.py
 * checks that each one is named here) is called with NULL pointers, empty strings, 1 MiB
 * strings (identifiers, names, event names, case ids, paths, a policy text that is one 1 MiB
 * identifier), invalid UTF-8, extreme numbers (INT64_MAX/MIN, SIZE_MAX counts and indexes),
 * dates and times out of range, and unknown enum, format and flag values.
 *
 * Every such call must fail cleanly: the documented status, and where a context is reachable a
 * recorded error with the same code and a message that is non-empty, shorter than the
 * context's buffer, valid UTF-8, quotes no more than 64 bytes of any input and never a value
 * (only ids); nothing leaks (the checking allocator counts every block) and nothing is
 * undefined (run under ASan+UBSan and valgrind).
 *
 * The checks are grouped by header (a cmocka test per header, per area for the larger ones),
 * each a list of calls checked by the macros below; the number of calls checked is printed at
 * the end. Queries on const objects (a policy, a workflow, a const record) return their codes
 * without recording an error: a compiled policy is shared between threads and is never
 * written. */
#include "cmocka_all.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_testutil.h"
#include "testalloc.h"

#define MIB ((size_t)1 << 20)
#define SECRET "SECRET-4711" /* a value (personal data) no message may quote */
#define NOFIELDS NULL, 0
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static char *g_long;     /* 1 MiB of 'z' */
static char *g_long_ka;  /* 1 MiB (less a byte) of U+10D0, a 3-byte Georgian letter */
static size_t g_ncases;  /* calls checked */

/* invalid UTF-8: a stray byte, a cut sequence, an overlong '/', a surrogate, above U+10FFFF,
 * a lone continuation byte, Latin-1 */
static const char *const BAD_UTF8[] = {
  "\xff", "ab\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "caf\xe9",
};

/* ------------------------------------------------------------------ checks */

/* strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF) */
static int utf8_ok(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  while (*p != 0) {
    unsigned c = *p, n, i, cp;
    if (c < 0x80) {
      p++;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf)
      n = 1, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
      n = 2, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
      n = 3, cp = c & 0x07;
    else
      return 0;
    for (i = 1; i <= n; i++) {
      if ((p[i] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return 0;
    p += n + 1;
  }
  return 1;
}

/* the longest run of `unit` repeated in s */
static size_t longest_run(const char *s, const char *unit)
{
  size_t u = strlen(unit), best = 0, run = 0;
  while (*s != '\0') {
    if (strncmp(s, unit, u) == 0) {
      run++;
      s += u;
      if (run > best)
        best = run;
    } else {
      run = 0;
      s++;
    }
  }
  return best;
}

static void check_message(const char *msg, const char *call, int line)
{
  size_t n;
  if (msg == NULL)
    fail_msg("line %d: %s: the message is NULL", line, call);
  n = strlen(msg);
  if (n == 0)
    fail_msg("line %d: %s: the message is empty", line, call);
  /* the context's message has 512 bytes; an explanation (cpw_*_explain) has no fixed size */
  if (n >= 511 && strstr(call, "explain") == NULL)
    fail_msg("line %d: %s: the message fills its buffer (%zu bytes)", line, call, n);
  if (!utf8_ok(msg))
    fail_msg("line %d: %s: the message is not valid UTF-8: %s", line, call, msg);
  if (longest_run(msg, "z") > 64 || longest_run(msg, "\xe1\x83\x90") > 21)
    fail_msg("line %d: %s: the message quotes a long input: %.80s...", line, call, msg);
  if (strstr(msg, SECRET) != NULL)
    fail_msg("line %d: %s: the message quotes a value: %s", line, call, msg);
}

/* A call that fails: `rc` must be `want`; when ctx is not NULL its last error must hold the
 * same code and a clean message. */
static void check_rc(cpw_ctx *ctx, long long rc, int want, const char *call, int line)
{
  g_ncases++;
  if (rc != want)
    fail_msg("line %d: %s returned %lld (%s), expected %d (%s); last error: %s", line, call, rc,
             cpw_strerror((int)rc), want, cpw_strerror(want),
             ctx != NULL ? cpw_ctx_last_error(ctx)->message : "(no context)");
  if (ctx != NULL && want < 0) {
    const cpw_error *e = cpw_ctx_last_error(ctx);
    if (e->code != want)
      fail_msg("line %d: %s recorded code %d (%s), expected %d", line, call, e->code,
               e->message, want);
    check_message(e->message, call, line);
    if (e->file != NULL && strlen(e->file) >= 256)
      fail_msg("line %d: %s: the error's file name is not bounded", line, call);
  }
}

/* A query: only the value counts; if it recorded an error, the message must be clean. */
static void check_query(cpw_ctx *ctx, long long rc, long long want, const char *call, int line)
{
  g_ncases++;
  if (rc != want)
    fail_msg("line %d: %s returned %lld, expected %lld", line, call, rc, want);
  if (ctx != NULL && cpw_ctx_last_error(ctx)->code != CPW_OK)
    check_message(cpw_ctx_last_error(ctx)->message, call, line);
}

/* RC(ctx, want, call): call must return `want`; ctx (may be NULL: no context reachable) must
 * then hold that error with a clean message. OK(ctx, call): the call must succeed. */
#define RC(ctx, want, call)                                                   \
  do {                                                                        \
    cpw_ctx_clear_error(ctx);                                                 \
    check_rc((ctx), (long long)(call), (want), #call, __LINE__);              \
  } while (0)
#define OK(ctx, call) RC(ctx, CPW_OK, call)
/* Q(ctx, want, call): a query's value (int, size_t or a code) */
#define Q(ctx, want, call)                                                    \
  do {                                                                        \
    cpw_ctx_clear_error(ctx);                                                 \
    check_query((ctx), (long long)(call), (long long)(want), #call, __LINE__); \
  } while (0)
/* pointer results */
#define ISNULL(call)                                                          \
  do {                                                                        \
    g_ncases++;                                                               \
    if ((call) != NULL)                                                       \
      fail_msg("line %d: %s is not NULL", __LINE__, #call);                   \
  } while (0)
#define NOTNULL(call)                                                         \
  do {                                                                        \
    g_ncases++;                                                               \
    if ((call) == NULL)                                                       \
      fail_msg("line %d: %s is NULL", __LINE__, #call);                       \
  } while (0)
#define STR(want, call)                                                       \
  do {                                                                        \
    const char *s_ = (call);                                                  \
    g_ncases++;                                                               \
    if (s_ == NULL || strcmp(s_, (want)) != 0)                                \
      fail_msg("line %d: %s is \"%s\", expected \"%s\"", __LINE__, #call,     \
               s_ != NULL ? s_ : "(null)", (want));                           \
  } while (0)
/* a call with no result to check (free functions, NULL-safe setters): it must not crash */
#define VOID(call)                                                            \
  do {                                                                        \
    g_ncases++;                                                               \
    call;                                                                     \
  } while (0)

/* ------------------------------------------------------------------ fixture */

/* Fields of every type, programmes that compute with them (to drive extreme values through
 * the VM) and a calendar. */
static const char HOSTILE_POLICY[] =
  "policy hostile \"Hostile input\" version \"1\"\n"
  "timezone \"+04:00\"\n"
  "calendar ge { weekend saturday, sunday\n holiday 1 January \"New Year\" }\n"
  "field b: bool\n"
  "field n: int\n"
  "field k: int\n"
  "field m: money\n"
  "field d: date\n"
  "field d2: date\n"
  "field t: datetime\n"
  "field s: text\n"
  "field e: enum(x, y)\n"
  "field st: set of enum(p, q)\n"
  "program arith \"Arithmetic\" {\n"
  "  eligible when n + k > 0 or n - k < 0 or n * k > 1 or n / k > 1 or m * 2 > 1 GEL\n"
  "    or m + m > m\n"
  "  benefit pay 1 GEL * n monthly\n"
  "  service help when m + 1 GEL > 0 GEL\n"
  "}\n"
  "program dates \"Dates\" {\n"
  "  eligible when d + 1 year > d2 or d - 3 days < d2 or t + 2 hours > t or age(d) > 3\n"
  "    or months_between(d, d2) > 1 or d + 2 working days > d2\n"
  "    or working_days_between(d, d2) > 0\n"
  "}\n"
  "program words \"Words\" { eligible when s = \"x\" or e = x or st contains p or b }\n"
  "program text \"Text\" { eligible when s = \"x\" }\n"
  "program wdays \"Working days\" { eligible when d + 2 working days > d2 }\n"
  "program wdays_back \"Working days\" { eligible when d2 - 2 working days < d }\n";

typedef struct hx {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;          /* Georgia's default policy */
  cpw_policy *hp;           /* HOSTILE_POLICY */
  const cpw_program *prog;  /* reintegration_assistance (default policy) */
  const cpw_workflow *wf;   /* referral */
  cpw_record *rec;          /* a record of hp */
  cpw_decision *dec;
  cpw_caseload *cl;         /* of the default policy */
  cpw_case *c;              /* "case-1", registered */
  cpw_registry *reg;        /* "child-1" (born 2015-03-01) in foster care since 2024-01-10 */
  cpw_calendar *cal;        /* Georgia */
  char dir[512];
  char path[600];           /* a journal's path in dir (not created) */
} hx;

static cpw_date ymd(int y, int m, int d)
{
  cpw_date r = 0;
  assert_int_equal(cpw_date_from_ymd(&r, y, m, d), CPW_OK);
  return r;
}

static cpw_time at_noon(int y, int m, int d)
{
  cpw_time t = 0;
  assert_int_equal(cpw_time_from_date(&t, ymd(y, m, d), 12, 0, 0, 240), CPW_OK);
  return t;
}

static int setup(void **state)
{
  hx *x = calloc(1, sizeof *x);
  cpw_diagnostics *dg = NULL;
  cpw_policy_source src;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  if (x == NULL)
    return -1;
  cpw_test_alloc_init(&x->ta);
  x->ctx = cpw_test_ctx(&x->ta);
  assert_non_null(x->ctx);
  assert_int_equal(cpw_policy_default(&x->pol, x->ctx), CPW_OK);
  src.name = "hostile.cpw";
  src.text = HOSTILE_POLICY;
  src.len = strlen(HOSTILE_POLICY);
  if (cpw_policy_compile(&x->hp, x->ctx, &src, 1, &dg) != CPW_OK) {
    size_t i;
    for (i = 0; i < cpw_diagnostics_count(dg); i++)
      fprintf(stderr, "  %d:%d: %s\n", cpw_diagnostics_get(dg, i)->line,
              cpw_diagnostics_get(dg, i)->column, cpw_diagnostics_get(dg, i)->message);
    cpw_diagnostics_free(dg);
    fail_msg("the hostile policy does not compile: %s", cpw_ctx_last_error(x->ctx)->message);
  }
  cpw_diagnostics_free(dg);
  x->prog = cpw_policy_program(x->pol, "reintegration_assistance");
  x->wf = cpw_policy_workflow(x->pol, "referral");
  assert_non_null(x->prog);
  assert_non_null(x->wf);
  assert_int_equal(cpw_record_new(&x->rec, x->ctx, x->hp), CPW_OK);
  assert_int_equal(cpw_decision_new(&x->dec, x->ctx), CPW_OK);
  assert_int_equal(cpw_caseload_new(&x->cl, x->ctx, x->pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(x->cl, &x->c, "case-1", "referral", NOFIELDS,
                                     at_noon(2024, 3, 4), "u1", "intake_officer"), CPW_OK);
  assert_int_equal(cpw_case_apply(x->c, "register", "u1", "intake_officer",
                                  at_noon(2024, 3, 4), NOFIELDS), CPW_OK);
  assert_int_equal(cpw_registry_new(&x->reg, x->ctx, x->pol), CPW_OK);
  assert_int_equal(cpw_registry_add_child(x->reg, "child-1", ymd(2015, 3, 1), "g1"), CPW_OK);
  req.child = "child-1";
  req.setting = "foster_care";
  req.region = "Tbilisi";
  req.date = ymd(2024, 1, 10);
  req.actor = "u1";
  req.role = "social_worker";
  assert_int_equal(cpw_registry_place(x->reg, &req), CPW_OK);
  assert_int_equal(cpw_calendar_new_georgia(&x->cal, x->ctx), CPW_OK);
  if (jt_tmpdir(x->dir, sizeof x->dir, 1) != 0)
    return -1;
  snprintf(x->path, sizeof x->path, "%s/j.cpwj", x->dir);
  *state = x;
  return 0;
}

static int teardown(void **state)
{
  hx *x = *state;
  cpw_calendar_free(x->cal);
  cpw_registry_free(x->reg);
  cpw_caseload_free(x->cl);
  cpw_decision_free(x->dec);
  cpw_record_free(x->rec);
  cpw_policy_free(x->hp);
  cpw_policy_free(x->pol);
  cpw_ctx_free(x->ctx);
  jt_rmdir(x->dir);
  assert_int_equal(x->ta.live_blocks, 0);
  assert_int_equal(x->ta.bad_sizes, 0);
  free(x);
  return 0;
}

/* ------------------------------------------------------------------ errors.h, context.h */

static void test_hostile__context(void **state)
{
  hx *x = *state;
  static const int codes[] = { INT_MIN, -32, -29, -14, 1, 2, INT_MAX };
  cpw_ctx_options o = CPW_CTX_OPTIONS_INIT;
  cpw_ctx *c = (cpw_ctx *)&o; /* not NULL: must be set to NULL on failure */
  const cpw_error *e;
  size_t i;

  for (i = 0; i < LEN(codes); i++)
    STR("unknown error code", cpw_strerror(codes[i]));

  RC(NULL, CPW_EINVALID, cpw_ctx_options_init(NULL, CPW_CTX_OPTIONS_VERSION));
  RC(NULL, CPW_EVERSION, cpw_ctx_options_init(&o, 0));
  RC(NULL, CPW_EVERSION, cpw_ctx_options_init(&o, CPW_CTX_OPTIONS_VERSION + 1));
  RC(NULL, CPW_EVERSION, cpw_ctx_options_init(&o, UINT_MAX));
  OK(NULL, cpw_ctx_options_init(&o, CPW_CTX_OPTIONS_VERSION));

  RC(NULL, CPW_EINVALID, cpw_ctx_new(NULL, NULL));
  RC(NULL, CPW_EINVALID, cpw_ctx_new(NULL, &o));
  o.version = 0;
  RC(NULL, CPW_EVERSION, cpw_ctx_new(&c, &o));
  ISNULL(c);
  o.version = UINT_MAX;
  RC(NULL, CPW_EVERSION, cpw_ctx_new(&c, &o));

  VOID(cpw_ctx_free(NULL));
  e = cpw_ctx_last_error(NULL);
  NOTNULL(e);
  Q(NULL, CPW_EINVALID, e->code);
  check_message(e->message, "cpw_ctx_last_error(NULL)", __LINE__);
  VOID(cpw_ctx_clear_error(NULL));
  VOID(cpw_free(NULL, NULL));
  VOID(cpw_free(x->ctx, NULL));
  VOID(cpw_version(NULL, NULL, NULL));
  NOTNULL(cpw_version_string());
  /* a cleared error is CPW_OK with an empty message, never NULL */
  cpw_ctx_clear_error(x->ctx);
  Q(NULL, CPW_OK, cpw_ctx_last_error(x->ctx)->code);
  STR("", cpw_ctx_last_error(x->ctx)->message);
}

/* ------------------------------------------------------------------ date.h: dates, instants */

static void test_hostile__dates(void **state)
{
  hx *x = *state;
  static const int bad_ymd[][3] = {
    { INT_MIN, 1, 1 }, { 0, 1, 1 }, { 10000, 1, 1 }, { INT_MAX, 1, 1 }, { 2020, 0, 1 },
    { 2020, 13, 1 }, { 2020, INT_MIN, 1 }, { 2020, INT_MAX, 1 }, { 2020, 1, 0 },
    { 2020, 1, 32 }, { 2020, 1, INT_MIN }, { 2020, 1, INT_MAX }, { 2019, 2, 29 },
    { 2100, 2, 29 }, { 2020, 4, 31 },
  };
  static const cpw_date bad_dates[] = { INT32_MIN, CPW_DATE_MIN - 1, CPW_DATE_MAX + 1,
                                        INT32_MAX };
  static const char *const bad_date_texts[] = {
    "2019-02-29", "0000-01-01", "9999-12-32", "2019-13-01", "2019-00-10", "+2019-01-01",
    "-2019-01-01", "12019-01-01", "2019-1-01", "2019/01/01", "2019-01-01T00:00Z",
    " 2019-01-01", "2019-01-01 ", "20190101", "\xff\xfe\xfd\xfc-01-01", "2019-01-\xc3\xa9",
  };
  static const char *const bad_time_texts[] = {
    "2019-01-01", "2019-01-01T", "2019-01-01T24:00Z", "2019-01-01T23:60Z", "2019-01-01T23:59:60Z",
    "2019-01-01T12:00", "2019-01-01T12:00+24:00", "2019-01-01T12:00+01:60", "2019-01-01t12:00Z",
    "2019-01-01T12:00z", "2019-01-01T12:00:00.5Z", "2019-01-01T12:00:00,5Z",
    "2019-01-01T12:00+0400", "2019-01-01T12:00Z ", "2019-02-29T12:00Z", "2019-01-01T\xe1\x83\x90:00Z",
    "2019-01-01T12:00\xff", "2019-01-01T12:00+04:00\x80",
  };
  char buf[CPW_TIME_BUFSIZE + 8];
  cpw_date d = 12345;
  cpw_time t = 12345;
  int y, m, dd;
  size_t i;

  /* dates */
  for (i = 0; i < LEN(bad_ymd); i++) {
    RC(NULL, CPW_EINVALID, cpw_date_from_ymd(&d, bad_ymd[i][0], bad_ymd[i][1], bad_ymd[i][2]));
    Q(NULL, 12345, d); /* left unchanged */
  }
  RC(NULL, CPW_EINVALID, cpw_date_from_ymd(NULL, 2020, 1, 1));
  VOID(cpw_date_to_ymd(INT32_MIN, &y, &m, &dd));
  VOID(cpw_date_to_ymd(INT32_MAX, &y, &m, &dd));
  VOID(cpw_date_to_ymd(0, NULL, NULL, NULL));
  Q(NULL, 1, cpw_date_weekday(INT32_MIN) >= 1 && cpw_date_weekday(INT32_MIN) <= 7);
  Q(NULL, 1, cpw_date_weekday(INT32_MAX) >= 1 && cpw_date_weekday(INT32_MAX) <= 7);
  Q(NULL, 1, cpw_date_is_leap_year(INT_MIN) >= 0);
  Q(NULL, 0, cpw_date_is_leap_year(INT_MAX));
  Q(NULL, 0, cpw_date_days_in_month(2020, 0));
  Q(NULL, 0, cpw_date_days_in_month(2020, INT_MIN));
  Q(NULL, 0, cpw_date_days_in_month(INT_MIN, 13));
  Q(NULL, 29, cpw_date_days_in_month(INT_MAX - 3, 2)); /* 2147483644 is a leap year */
  RC(NULL, CPW_EINVALID, cpw_date_orthodox_easter(NULL, 2024));
  RC(NULL, CPW_EINVALID, cpw_date_orthodox_easter(&d, 0));
  RC(NULL, CPW_EINVALID, cpw_date_orthodox_easter(&d, 10000));
  RC(NULL, CPW_EINVALID, cpw_date_orthodox_easter(&d, INT_MIN));
  RC(NULL, CPW_EINVALID, cpw_date_orthodox_easter(&d, INT_MAX));

  /* parsing dates: the reason is recorded, and at most one character is quoted */
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(NULL, x->ctx, "2019-01-01", 10));
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, NULL, 0));
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, NULL, 10));
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, "", 0));
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, g_long, MIB));
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, g_long_ka, strlen(g_long_ka)));
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, "2019-01-01\0", 11));
  RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, "2019\0-01-01", 11));
  RC(NULL, CPW_EINVALID, cpw_date_parse(&d, NULL, "2019-02-29", 10));
  for (i = 0; i < LEN(bad_date_texts); i++)
    RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, bad_date_texts[i],
                                            strlen(bad_date_texts[i])));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, BAD_UTF8[i], strlen(BAD_UTF8[i])));
  Q(NULL, 12345, d);

  /* formatting dates */
  RC(NULL, CPW_EINVALID, cpw_date_format(NULL, CPW_DATE_BUFSIZE, 0));
  RC(NULL, CPW_EINVALID, cpw_date_format(NULL, SIZE_MAX, 0));
  buf[0] = 'x';
  RC(NULL, CPW_EINVALID, cpw_date_format(buf, 0, 0));
  Q(NULL, 'x', buf[0]); /* size 0: nothing written */
  RC(NULL, CPW_EINVALID, cpw_date_format(buf, CPW_DATE_BUFSIZE - 1, 0));
  STR("", buf);
  for (i = 0; i < LEN(bad_dates); i++) {
    RC(NULL, CPW_EINVALID, cpw_date_format(buf, sizeof buf, bad_dates[i]));
    STR("", buf);
  }

  {
    /* buffers of exactly the documented size, on the heap: nothing is written past them */
    static const cpw_date edge[] = { CPW_DATE_MIN, -1, 0, CPW_DATE_MAX };
    static const int offsets[] = { -1439, -1, 0, 1, 240, 1439 };
    char *db = malloc(CPW_DATE_BUFSIZE), *tb = malloc(CPW_TIME_BUFSIZE);
    size_t k;
    assert_non_null(db);
    assert_non_null(tb);
    for (i = 0; i < LEN(edge); i++) {
      OK(NULL, cpw_date_format(db, CPW_DATE_BUFSIZE, edge[i]));
      OK(NULL, cpw_date_parse(&d, NULL, db, strlen(db)));
      Q(NULL, edge[i], d);
      for (k = 0; k < LEN(offsets); k++) {
        cpw_time tt = (int64_t)edge[i] * 86400 + (i % 2 ? 86399 : 0);
        if (cpw_time_format(tb, CPW_TIME_BUFSIZE, tt, offsets[k]) == CPW_OK) {
          OK(NULL, cpw_time_parse(&t, NULL, tb, strlen(tb)));
          Q(NULL, tt, t);
        }
      }
    }
    free(db);
    free(tb);
    d = 12345;
    t = 12345;
  }

  /* arithmetic */
  for (i = 0; i < LEN(bad_dates); i++) {
    RC(NULL, CPW_EINVALID, cpw_date_add_days(&d, bad_dates[i], 0));
    RC(NULL, CPW_EINVALID, cpw_date_add_months(&d, bad_dates[i], 0));
    RC(NULL, CPW_EINVALID, cpw_date_add_years(&d, bad_dates[i], 0));
    RC(NULL, CPW_EINVALID, cpw_date_age(&y, bad_dates[i], 0));
    RC(NULL, CPW_EINVALID, cpw_date_age(&y, 0, bad_dates[i]));
  }
  RC(NULL, CPW_EINVALID, cpw_date_add_days(NULL, 0, 1));
  RC(NULL, CPW_EINVALID, cpw_date_add_days(&d, 0, INT64_MAX));
  RC(NULL, CPW_EINVALID, cpw_date_add_days(&d, 0, INT64_MIN));
  RC(NULL, CPW_EINVALID, cpw_date_add_days(&d, CPW_DATE_MAX, 1));
  RC(NULL, CPW_EINVALID, cpw_date_add_days(&d, CPW_DATE_MIN, -1));
  RC(NULL, CPW_EINVALID, cpw_date_add_months(NULL, 0, 1));
  RC(NULL, CPW_EINVALID, cpw_date_add_months(&d, 0, INT_MAX));
  RC(NULL, CPW_EINVALID, cpw_date_add_months(&d, 0, INT_MIN));
  RC(NULL, CPW_EINVALID, cpw_date_add_months(&d, CPW_DATE_MAX, 1));
  RC(NULL, CPW_EINVALID, cpw_date_add_years(NULL, 0, 1));
  RC(NULL, CPW_EINVALID, cpw_date_add_years(&d, 0, INT_MAX));
  RC(NULL, CPW_EINVALID, cpw_date_add_years(&d, 0, INT_MIN));
  RC(NULL, CPW_EINVALID, cpw_date_add_years(&d, CPW_DATE_MIN, -1));
  RC(NULL, CPW_EINVALID, cpw_date_age(NULL, 0, 1));
  RC(NULL, CPW_EINVALID, cpw_date_age(&y, 1, 0)); /* `on` before birth */
  Q(NULL, 12345, d);

  /* instants */
  RC(x->ctx, CPW_EINVALID, cpw_time_parse(NULL, x->ctx, "2019-01-01T00:00Z", 17));
  RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, NULL, 0));
  RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, NULL, 17));
  RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, "", 0));
  RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, g_long, MIB));
  RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, g_long_ka, strlen(g_long_ka)));
  RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, "2019-01-01T00:00Z\0", 18));
  RC(NULL, CPW_EINVALID, cpw_time_parse(&t, NULL, "2019-01-01T00:00", 16));
  for (i = 0; i < LEN(bad_time_texts); i++)
    RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, bad_time_texts[i],
                                            strlen(bad_time_texts[i])));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, BAD_UTF8[i], strlen(BAD_UTF8[i])));
  {
    /* a long text that starts as a date-time: the error counts the rest, quotes none of it */
    char *s = malloc(MIB + 1);
    assert_non_null(s);
    memset(s, 'z', MIB);
    memcpy(s, "2019-01-01T00:00Z", 17);
    s[MIB] = '\0';
    RC(x->ctx, CPW_EINVALID, cpw_time_parse(&t, x->ctx, s, MIB));
    memcpy(s, "2019-01-01", 10);
    RC(x->ctx, CPW_EINVALID, cpw_date_parse(&d, x->ctx, s, MIB));
    free(s);
  }
  Q(NULL, 12345, t);
  /* the extremes of the offsets parse: the instant is outside the date range, not an error */
  OK(x->ctx, cpw_time_parse(&t, x->ctx, "0001-01-01T00:00+23:59", 22));
  OK(x->ctx, cpw_time_parse(&t, x->ctx, "9999-12-31T23:59:59-23:59", 25));

  RC(NULL, CPW_EINVALID, cpw_time_format(NULL, CPW_TIME_BUFSIZE, 0, 0));
  buf[0] = 'x';
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, 0, 0, 0));
  Q(NULL, 'x', buf[0]);
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, CPW_TIME_BUFSIZE - 1, 0, 0));
  STR("", buf);
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, sizeof buf, INT64_MAX, 0));
  STR("", buf);
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, sizeof buf, INT64_MIN, 0));
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, sizeof buf, INT64_MAX, INT_MAX));
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, sizeof buf, INT64_MIN, INT_MIN));
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, sizeof buf, 0, 1440));
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, sizeof buf, 0, -1440));
  RC(NULL, CPW_EINVALID, cpw_time_format(buf, sizeof buf, (int64_t)CPW_DATE_MAX * 86400 + 86399,
                                         1439)); /* the local date is past 9999-12-31 */
  Q(NULL, 1, cpw_time_to_date(INT64_MAX, 0) > CPW_DATE_MAX);
  Q(NULL, 1, cpw_time_to_date(INT64_MAX, INT_MAX) > CPW_DATE_MAX);
  Q(NULL, 1, cpw_time_to_date(INT64_MIN, 0) < CPW_DATE_MIN);
  Q(NULL, 1, cpw_time_to_date(INT64_MIN, INT_MIN) < CPW_DATE_MIN);
  Q(NULL, -1, cpw_time_to_date(-1, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(NULL, 0, 0, 0, 0, 0));
  for (i = 0; i < LEN(bad_dates); i++)
    RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, bad_dates[i], 0, 0, 0, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, -1, 0, 0, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, 24, 0, 0, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, INT_MIN, 0, 0, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, 0, 60, 0, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, 0, INT_MAX, 0, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, 0, 0, 60, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, 0, 0, -1, 0));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, 0, 0, 0, 1440));
  RC(NULL, CPW_EINVALID, cpw_time_from_date(&t, 0, 0, 0, 0, INT_MIN));
}

/* ------------------------------------------------------------------ date.h: calendars */

static void test_hostile__calendars(void **state)
{
  hx *x = *state;
  static const cpw_date bad_dates[] = { INT32_MIN, CPW_DATE_MIN - 1, CPW_DATE_MAX + 1,
                                        INT32_MAX };
  cpw_calendar *cal = (cpw_calendar *)x; /* not NULL: must be set to NULL on failure */
  const char *name = NULL;
  cpw_date d = 12345;
  int64_t n = 12345;
  size_t i;

  RC(x->ctx, CPW_EINVALID, cpw_calendar_new(NULL, x->ctx, "c"));
  RC(NULL, CPW_EINVALID, cpw_calendar_new(&cal, NULL, "c"));
  ISNULL(cal);
  RC(x->ctx, CPW_EINVALID, cpw_calendar_new_georgia(NULL, x->ctx));
  RC(NULL, CPW_EINVALID, cpw_calendar_new_georgia(&cal, NULL));
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_calendar_new(&cal, x->ctx, BAD_UTF8[i]));
    ISNULL(cal);
  }
  /* names are copied whatever their length: a 1 MiB name is a (long) name */
  OK(x->ctx, cpw_calendar_new(&cal, x->ctx, g_long));
  Q(NULL, MIB, strlen(cpw_calendar_name(cal)));
  VOID(cpw_calendar_free(cal));
  OK(x->ctx, cpw_calendar_new(&cal, x->ctx, NULL));
  STR("", cpw_calendar_name(cal));
  STR("", cpw_calendar_name(NULL));
  VOID(cpw_calendar_free(NULL));

  RC(NULL, CPW_EINVALID, cpw_calendar_set_weekend(NULL, 0));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_set_weekend(cal, 0x7f));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_set_weekend(cal, 0x80));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_set_weekend(cal, UINT_MAX));
  OK(x->ctx, cpw_calendar_set_weekend(cal, 0));

  RC(NULL, CPW_EINVALID, cpw_calendar_add_annual(NULL, 1, 1, "n", CPW_DATE_MIN, CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 0, 1, "n", CPW_DATE_MIN, CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 13, 1, "n", CPW_DATE_MIN, CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, INT_MIN, INT_MIN, "n", CPW_DATE_MIN,
                                                   CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 2, 30, "n", CPW_DATE_MIN, CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 4, INT_MAX, "n", CPW_DATE_MIN,
                                                   CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 1, 1, "n", CPW_DATE_MAX, CPW_DATE_MIN));
  RC(NULL, CPW_EINVALID, cpw_calendar_add_easter(NULL, 0, "n", CPW_DATE_MIN, CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_easter(cal, 367, "n", CPW_DATE_MIN, CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_easter(cal, INT_MIN, "n", CPW_DATE_MIN,
                                                   CPW_DATE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_easter(cal, INT_MAX, "n", CPW_DATE_MIN,
                                                   CPW_DATE_MAX));
  RC(NULL, CPW_EINVALID, cpw_calendar_add_date(NULL, 0, "n"));
  for (i = 0; i < LEN(bad_dates); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 1, 1, "n", bad_dates[i],
                                                     CPW_DATE_MAX));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 1, 1, "n", CPW_DATE_MIN,
                                                     bad_dates[i]));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_easter(cal, 0, "n", bad_dates[i], CPW_DATE_MAX));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_date(cal, bad_dates[i], "n"));
  }
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_annual(cal, 1, 1, BAD_UTF8[i], CPW_DATE_MIN,
                                                     CPW_DATE_MAX));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_easter(cal, 0, BAD_UTF8[i], CPW_DATE_MIN,
                                                     CPW_DATE_MAX));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_date(cal, 0, BAD_UTF8[i]));
  }
  Q(NULL, 0, cpw_calendar_is_holiday(cal, 0, NULL)); /* nothing was added */
  OK(x->ctx, cpw_calendar_add_date(cal, 0, g_long));
  OK(x->ctx, cpw_calendar_add_annual(cal, 2, 29, NULL, CPW_DATE_MIN, CPW_DATE_MAX));
  OK(x->ctx, cpw_calendar_add_easter(cal, -366, "", CPW_DATE_MIN, CPW_DATE_MAX));
  OK(x->ctx, cpw_calendar_add_easter(cal, 366, "", CPW_DATE_MIN, CPW_DATE_MAX));
  Q(NULL, 1, cpw_calendar_is_holiday(cal, 0, &name));
  Q(NULL, MIB, strlen(name));

  /* queries: out-of-range dates are never holidays nor working days */
  for (i = 0; i < LEN(bad_dates); i++) {
    Q(NULL, 0, cpw_calendar_is_holiday(x->cal, bad_dates[i], &name));
    Q(NULL, 0, cpw_calendar_is_working_day(x->cal, bad_dates[i]));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_add_working_days(x->cal, &d, bad_dates[i], 1));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_working_days_between(x->cal, &n, bad_dates[i], 0));
    RC(x->ctx, CPW_EINVALID, cpw_calendar_working_days_between(x->cal, &n, 0, bad_dates[i]));
  }
  Q(NULL, 0, cpw_calendar_is_holiday(NULL, 0, &name));
  Q(NULL, 0, cpw_calendar_is_working_day(NULL, 0));
  RC(NULL, CPW_EINVALID, cpw_calendar_add_working_days(NULL, &d, 0, 1));
  RC(NULL, CPW_EINVALID, cpw_calendar_add_working_days(x->cal, NULL, 0, 1));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_working_days(x->cal, &d, 0, INT_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_working_days(x->cal, &d, 0, INT_MIN));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_working_days(x->cal, &d, CPW_DATE_MAX, 1));
  RC(x->ctx, CPW_EINVALID, cpw_calendar_add_working_days(x->cal, &d, CPW_DATE_MIN, -1));
  /* a calendar with no working day at all: only holidays... is refused (not all 7 days) */
  RC(NULL, CPW_EINVALID, cpw_calendar_working_days_between(NULL, &n, 0, 1));
  RC(NULL, CPW_EINVALID, cpw_calendar_working_days_between(x->cal, NULL, 0, 1));
  Q(NULL, 12345, d);
  Q(NULL, 12345, n);
  /* the whole range, both ways: bounded work */
  OK(x->ctx, cpw_calendar_working_days_between(x->cal, &n, CPW_DATE_MIN, CPW_DATE_MAX));
  OK(x->ctx, cpw_calendar_working_days_between(x->cal, &n, CPW_DATE_MAX, CPW_DATE_MIN));
  VOID(cpw_calendar_free(cal));
}

/* ------------------------------------------------------------------ policy.h */

/* every diagnostic is bounded, valid UTF-8 and quotes at most 64 bytes of an input */
static void check_diags(const cpw_diagnostics *dg, int line)
{
  size_t i;
  for (i = 0; i < cpw_diagnostics_count(dg); i++) {
    const cpw_diagnostic *g = cpw_diagnostics_get(dg, i);
    check_message(g->message, "a diagnostic", line);
    assert_non_null(g->file);
  }
}

/* compile one text: `want`, with clean diagnostics */
static void compile_text(hx *x, const char *name, const char *text, size_t len, int want,
                         int line)
{
  cpw_policy *p = NULL;
  cpw_diagnostics *dg = NULL;
  cpw_policy_source s;
  s.name = name;
  s.text = text;
  s.len = len;
  cpw_ctx_clear_error(x->ctx);
  check_rc(x->ctx, cpw_policy_compile(&p, x->ctx, &s, 1, &dg), want, "cpw_policy_compile", line);
  check_diags(dg, line);
  cpw_diagnostics_free(dg);
  cpw_policy_free(p);
}

/* a policy text with `a` + the 1 MiB identifier + `b` (+ `c` + the identifier + `d`) */
static char *with_long(const char *a, const char *b, const char *c, const char *d)
{
  size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0, ld = d ? strlen(d) : 0;
  char *s = malloc(la + lb + lc + ld + 2 * MIB + 1), *p = s;
  assert_non_null(s);
  memcpy(p, a, la), p += la;
  memcpy(p, g_long, MIB), p += MIB;
  memcpy(p, b, lb), p += lb;
  if (c != NULL) {
    memcpy(p, c, lc), p += lc;
    memcpy(p, g_long, MIB), p += MIB;
    memcpy(p, d, ld), p += ld;
  }
  *p = '\0';
  return s;
}

static void test_hostile__policy(void **state)
{
  hx *x = *state;
  cpw_policy *p = (cpw_policy *)x; /* not NULL: must be set to NULL on failure */
  cpw_diagnostics *dg = (cpw_diagnostics *)x;
  cpw_policy_source src[2];
  const char *name = NULL;
  size_t len = 0, i, idx = 12345;
  size_t citizenship, months;
  char *text;

  memset(src, 0, sizeof src);
  src[0].name = "a.cpw";
  src[0].text = "field n: int\n";
  src[0].len = strlen(src[0].text);
  RC(x->ctx, CPW_EINVALID, cpw_policy_compile(NULL, x->ctx, src, 1, NULL));
  RC(NULL, CPW_EINVALID, cpw_policy_compile(&p, NULL, src, 1, &dg));
  ISNULL(p);
  ISNULL(dg);
  RC(x->ctx, CPW_EINVALID, cpw_policy_compile(&p, x->ctx, NULL, 1, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_policy_compile(&p, x->ctx, NULL, SIZE_MAX, NULL));
  /* an absurd count is refused before the array is read */
  RC(x->ctx, CPW_ELIMIT, cpw_policy_compile(&p, x->ctx, src, SIZE_MAX, NULL));
  src[1].text = NULL;
  src[1].len = 5;
  RC(x->ctx, CPW_EINVALID, cpw_policy_compile(&p, x->ctx, src, 2, NULL));
  /* no sources, an empty text, a NULL name: an empty policy (with a warning) */
  OK(x->ctx, cpw_policy_compile(&p, x->ctx, NULL, 0, NULL));
  Q(NULL, 0, cpw_policy_field_count(p));
  Q(NULL, 0, cpw_policy_workflow_count(p));
  Q(NULL, 0, cpw_policy_setting_count(p));
  NOTNULL(cpw_policy_name(p));
  {
    cpw_registry *r = (cpw_registry *)x;
    RC(x->ctx, CPW_EINVALID, cpw_registry_new(&r, x->ctx, p)); /* no care settings */
    ISNULL(r);
  }
  VOID(cpw_policy_free(p));
  src[1].text = NULL;
  src[1].len = 0;
  src[1].name = NULL;
  OK(x->ctx, cpw_policy_compile(&p, x->ctx, src, 2, &dg));
  check_diags(dg, __LINE__);
  VOID(cpw_diagnostics_free(dg));
  VOID(cpw_policy_free(p));

  /* hostile texts: each is a policy error with clean diagnostics */
  compile_text(x, "a.cpw", g_long, MIB, CPW_EPOLICY, __LINE__);     /* one 1 MiB identifier */
  compile_text(x, "a.cpw", g_long_ka, strlen(g_long_ka), CPW_EPOLICY, __LINE__);
  for (i = 0; i < LEN(BAD_UTF8); i++)
    compile_text(x, "a.cpw", BAD_UTF8[i], strlen(BAD_UTF8[i]), CPW_EPOLICY, __LINE__);
  compile_text(x, "a.cpw", "field n: int\0field k: int\n", 26, CPW_EPOLICY, __LINE__);
#define CT(text, want) compile_text(x, "a.cpw", (text), strlen(text), (want), __LINE__)
  CT("field s: text \"\xff\"\n", CPW_EPOLICY);
  CT("field n: int\nprogram p \"P\" { eligible when n > 99999999999999999999 }\n", CPW_EPOLICY);
  CT("field n: int\nprogram p \"P\" { eligible when n > -9223372036854775809 }\n", CPW_EPOLICY);
  CT("field m: money\nprogram p \"P\" { eligible when m > 92233720368547758.08 GEL }\n",
     CPW_EPOLICY);
  CT("field d: date\nprogram p \"P\" { eligible when d > 10000-01-01 }\n", CPW_EPOLICY);
  CT("field d: date\nprogram p \"P\" { eligible when d > 0000-12-31 }\n", CPW_EPOLICY);
  CT("field d: date\nprogram p \"P\" { in force from 2019-02-29\n"
     "eligible when d > 2019-01-01 }\n", CPW_EPOLICY);
  /* a huge duration compiles: adding it is an evaluation error, record by record */
  CT("field d: date\nprogram p \"P\" { eligible when d + 99999999999 years > d }\n", CPW_OK);
  CT("timezone \"+24:00\"\nfield n: int\n", CPW_EPOLICY);
  CT("field e: enum()\n", CPW_EPOLICY);
  CT("calendar c { weekend monday, tuesday, wednesday, thursday, friday, saturday, sunday }\n",
     CPW_EPOLICY);
  text = with_long("field ", ": int\n", "field ", ": int\n"); /* declared twice */
  compile_text(x, "a.cpw", text, strlen(text), CPW_EPOLICY, __LINE__);
  free(text);
  text = with_long("field n: int\nprogram p \"P\" { eligible when ", " > 0 }\n", NULL, NULL);
  compile_text(x, "a.cpw", text, strlen(text), CPW_EPOLICY, __LINE__); /* an unknown name */
  free(text);
  text = with_long("field e: enum(a, ", ", ", NULL, NULL); /* cut short */
  compile_text(x, "a.cpw", text, strlen(text), CPW_EPOLICY, __LINE__);
  free(text);
  text = with_long("field e: enum(", ", b)\nprogram p \"P\" { eligible when e = ", ", c)\n",
                   " }\n");
  compile_text(x, "a.cpw", text, strlen(text), CPW_EPOLICY, __LINE__);
  free(text);
  text = with_long("program ", " \"P\" { eligible when true }\nprogram ", "",
                   " \"P\" { eligible when true }\n");
  compile_text(x, "a.cpw", text, strlen(text), CPW_EPOLICY, __LINE__);
  free(text);
  {
    /* 1 MiB of one character: nesting, operators, strings, control bytes, comments */
    static const struct { char fill; const char *head, *tail; int want; } floods[] = {
      { '(', "field n: int\nprogram p \"P\" { eligible when ", "", CPW_EPOLICY },
      { '-', "field n: int\nprogram p \"P\" { eligible when ", "n > 0 }\n", CPW_EPOLICY },
      { '"', "field n: int \"", "", CPW_EPOLICY },
      { '!', "", "", CPW_EPOLICY },
      { '\x01', "", "", CPW_EPOLICY },
      { '\0', "", "", CPW_EPOLICY },
      { '{', "program p \"P\" ", "", CPW_EPOLICY },
      { '\n', "", "field n: int\n", CPW_OK },
      { 'z', "# ", "\nfield n: int\n", CPW_OK },
    };
    for (i = 0; i < LEN(floods); i++) {
      size_t hl = strlen(floods[i].head), tl = strlen(floods[i].tail);
      text = malloc(hl + MIB + tl + 1);
      assert_non_null(text);
      memcpy(text, floods[i].head, hl);
      memset(text + hl, floods[i].fill, MIB);
      memcpy(text + hl + MIB, floods[i].tail, tl + 1);
      compile_text(x, "a.cpw", text, hl + MIB + tl, floods[i].want, __LINE__);
      free(text);
    }
    /* a flat formula of 100 000 terms, and one of 100 000 'not's */
    char *q;
    text = malloc(64 + 100000 * 4 + 16);
    assert_non_null(text);
    strcpy(text, "field n: int\nprogram p \"P\" { eligible when n");
    for (q = text + strlen(text), i = 0; i < 100000; i++, q += 4)
      memcpy(q, " + n", 4);
    strcpy(q, " > 0 }\n");
    compile_text(x, "a.cpw", text, strlen(text), CPW_EPOLICY, __LINE__);
    strcpy(text, "field b: bool\nprogram p \"P\" { eligible when ");
    for (q = text + strlen(text), i = 0; i < 100000; i++, q += 4)
      memcpy(q, "not ", 4);
    strcpy(q, "b }\n");
    compile_text(x, "a.cpw", text, strlen(text), CPW_EPOLICY, __LINE__);
    free(text);
  }
  text = with_long("field s: text \"", "\"\n", NULL, NULL); /* a 1 MiB description: fine */
  compile_text(x, "a.cpw", text, strlen(text), CPW_OK, __LINE__);
  free(text);
  {
    /* a 1 MiB holiday name in Georgian: kept cut short, between two letters */
    cpw_policy *cp = NULL;
    const char *hn = NULL;
    text = with_long("calendar c { holiday 1 January \"", "\" }\n", NULL, NULL);
    memcpy(text + 32, g_long_ka, strlen(g_long_ka));
    memcpy(text + 32 + strlen(g_long_ka), "\"  }\n", 5);
    text[32 + strlen(g_long_ka) + 5] = '\0';
    OK(x->ctx, cpw_policy_from_string(&cp, x->ctx, "c.cpw", text, strlen(text)));
    Q(NULL, 1, cpw_calendar_is_holiday(cpw_policy_calendar(cp, "c"), ymd(2024, 1, 1), &hn));
    Q(NULL, 1, utf8_ok(hn) && strlen(hn) > 0);
    cpw_policy_free(cp);
    free(text);
  }
  /* a 1 MiB or invalid UTF-8 source name: in diagnostics, and in the error's file name */
  compile_text(x, g_long, "field", 5, CPW_EPOLICY, __LINE__);
  for (i = 0; i < LEN(BAD_UTF8); i++)
    compile_text(x, BAD_UTF8[i], "field n: int\n", 13, CPW_OK, __LINE__); /* a file name */

  RC(NULL, CPW_EINVALID, cpw_policy_from_string(&p, NULL, "n", "field n: int\n", 13));
  RC(x->ctx, CPW_EINVALID, cpw_policy_from_string(NULL, x->ctx, "n", "field n: int\n", 13));
  RC(x->ctx, CPW_EINVALID, cpw_policy_from_string(&p, x->ctx, "n", NULL, 0));
  RC(x->ctx, CPW_EPOLICY, cpw_policy_from_string(&p, x->ctx, NULL, g_long, MIB));
  ISNULL(p);

  RC(NULL, CPW_EINVALID, cpw_policy_from_file(&p, NULL, "/nonexistent"));
  RC(x->ctx, CPW_EINVALID, cpw_policy_from_file(NULL, x->ctx, "/nonexistent"));
  RC(x->ctx, CPW_EINVALID, cpw_policy_from_file(&p, x->ctx, NULL));
  RC(x->ctx, CPW_EIO, cpw_policy_from_file(&p, x->ctx, ""));
  RC(x->ctx, CPW_EIO, cpw_policy_from_file(&p, x->ctx, g_long));
  RC(x->ctx, CPW_EIO, cpw_policy_from_file(&p, x->ctx, "/nonexistent/\xff\xfe"));
  RC(x->ctx, CPW_EIO, cpw_policy_from_file(&p, x->ctx, x->dir)); /* a directory */
  RC(x->ctx, CPW_ELIMIT, cpw_policy_from_file(&p, x->ctx, "/dev/zero")); /* endless */
  ISNULL(p);

  RC(NULL, CPW_EINVALID, cpw_policy_default(&p, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_policy_default(NULL, x->ctx));
  ISNULL(cpw_policy_default_source(cpw_policy_default_source_count(), &name, &len));
  ISNULL(cpw_policy_default_source(SIZE_MAX, &name, &len));
  NOTNULL(cpw_policy_default_source(0, NULL, NULL));
  VOID(cpw_policy_free(NULL));
  Q(NULL, 0, cpw_diagnostics_count(NULL));
  ISNULL(cpw_diagnostics_get(NULL, 0));
  VOID(cpw_diagnostics_free(NULL));
  OK(x->ctx, cpw_policy_compile(&p, x->ctx, src, 1, &dg));
  VOID(cpw_policy_free(p));
  ISNULL(cpw_diagnostics_get(dg, SIZE_MAX));
  ISNULL(cpw_diagnostics_get(dg, cpw_diagnostics_count(dg)));
  VOID(cpw_diagnostics_free(dg));

  /* identity */
  ISNULL(cpw_policy_name(NULL));
  ISNULL(cpw_policy_title(NULL));
  ISNULL(cpw_policy_version(NULL));
  ISNULL(cpw_policy_hash(NULL));
  Q(NULL, 0, cpw_policy_timezone(NULL));
  ISNULL(cpw_policy_calendar(NULL, NULL));
  ISNULL(cpw_policy_calendar(x->pol, ""));
  ISNULL(cpw_policy_calendar(x->pol, g_long));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    ISNULL(cpw_policy_calendar(x->pol, BAD_UTF8[i]));

  /* fields */
  assert_int_equal(cpw_policy_field_index(x->pol, "citizenship", &citizenship), CPW_OK);
  assert_int_equal(cpw_policy_field_index(x->pol, "months_abroad_irregular", &months), CPW_OK);
  Q(NULL, 0, cpw_policy_field_count(NULL));
  Q(NULL, CPW_EINVALID, cpw_policy_field_index(NULL, "citizenship", &idx));
  Q(NULL, CPW_EINVALID, cpw_policy_field_index(x->pol, NULL, &idx));
  Q(NULL, CPW_ENOTFOUND, cpw_policy_field_index(x->pol, "", &idx));
  Q(NULL, CPW_ENOTFOUND, cpw_policy_field_index(x->pol, g_long, &idx));
  Q(NULL, CPW_ENOTFOUND, cpw_policy_field_index(x->pol, g_long_ka, &idx));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    Q(NULL, CPW_ENOTFOUND, cpw_policy_field_index(x->pol, BAD_UTF8[i], &idx));
  Q(NULL, 12345, idx);
  Q(NULL, CPW_OK, cpw_policy_field_index(x->pol, "citizenship", NULL));
  ISNULL(cpw_policy_field_name(NULL, 0));
  ISNULL(cpw_policy_field_name(x->pol, SIZE_MAX));
  Q(NULL, 0, cpw_policy_field_type(NULL, 0));
  Q(NULL, 0, cpw_policy_field_type(x->pol, SIZE_MAX));
  ISNULL(cpw_policy_field_description(NULL, 0));
  ISNULL(cpw_policy_field_description(x->pol, SIZE_MAX));
  Q(NULL, 0, cpw_policy_field_value_count(NULL, 0));
  Q(NULL, 0, cpw_policy_field_value_count(x->pol, SIZE_MAX));
  Q(NULL, 0, cpw_policy_field_value_count(x->pol, months)); /* not an enum */
  ISNULL(cpw_policy_field_value(NULL, 0, 0));
  ISNULL(cpw_policy_field_value(x->pol, SIZE_MAX, 0));
  ISNULL(cpw_policy_field_value(x->pol, citizenship, SIZE_MAX));
  ISNULL(cpw_policy_field_value(x->pol, months, 0));
  Q(NULL, CPW_EINVALID, cpw_policy_field_value_index(NULL, citizenship, "georgian", &idx));
  Q(NULL, CPW_EINVALID, cpw_policy_field_value_index(x->pol, SIZE_MAX, "georgian", &idx));
  Q(NULL, CPW_EINVALID, cpw_policy_field_value_index(x->pol, citizenship, NULL, &idx));
  Q(NULL, CPW_EINVALID, cpw_policy_field_value_index(x->pol, months, "georgian", &idx));
  Q(NULL, CPW_ENOTFOUND, cpw_policy_field_value_index(x->pol, citizenship, "", &idx));
  Q(NULL, CPW_ENOTFOUND, cpw_policy_field_value_index(x->pol, citizenship, g_long, &idx));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    Q(NULL, CPW_ENOTFOUND, cpw_policy_field_value_index(x->pol, citizenship, BAD_UTF8[i], &idx));
  Q(NULL, 12345, idx);
  Q(NULL, CPW_OK, cpw_policy_field_value_index(x->pol, citizenship, "georgian", NULL));
  STR("unknown", cpw_type_name(0));
  STR("unknown", cpw_type_name(9));
  STR("unknown", cpw_type_name(-1));
  STR("unknown", cpw_type_name(INT_MIN));
  STR("unknown", cpw_type_name(INT_MAX));

  /* programmes */
  Q(NULL, 0, cpw_policy_program_count(NULL));
  ISNULL(cpw_policy_program_at(NULL, 0));
  ISNULL(cpw_policy_program_at(x->pol, SIZE_MAX));
  ISNULL(cpw_policy_program(NULL, "barnahus"));
  ISNULL(cpw_policy_program(x->pol, NULL));
  ISNULL(cpw_policy_program(x->pol, ""));
  ISNULL(cpw_policy_program(x->pol, g_long));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    ISNULL(cpw_policy_program(x->pol, BAD_UTF8[i]));
  ISNULL(cpw_program_policy(NULL));
  ISNULL(cpw_program_id(NULL));
  ISNULL(cpw_program_title(NULL));
  ISNULL(cpw_program_source(NULL));
  Q(NULL, 0, cpw_program_from(NULL));
  Q(NULL, 0, cpw_program_until(NULL));
  Q(NULL, 0, cpw_program_service_count(NULL));
  ISNULL(cpw_program_service(NULL, 0));
  ISNULL(cpw_program_service(x->prog, SIZE_MAX));
  Q(NULL, 0, cpw_program_benefit_count(NULL));
  ISNULL(cpw_program_benefit(NULL, 0));
  ISNULL(cpw_program_benefit(x->prog, SIZE_MAX));
  Q(NULL, 0, cpw_program_field_count(NULL));
  Q(NULL, (size_t)-1, cpw_program_field(NULL, 0));
  Q(NULL, (size_t)-1, cpw_program_field(x->prog, SIZE_MAX));
  {
    /* the fields a programme reads are fields of its policy, in order, without repeats */
    size_t k, n = cpw_program_field_count(x->prog);
    assert_true(n > 0);
    for (k = 0; k < n; k++) {
      assert_true(cpw_program_field(x->prog, k) < cpw_policy_field_count(x->pol));
      if (k > 0)
        assert_true(cpw_program_field(x->prog, k) > cpw_program_field(x->prog, k - 1));
    }
  }
}

/* ------------------------------------------------------------------ policy.h: bases (1.1) */

static void test_hostile__bases(void **state)
{
  hx *x = *state;
  const cpw_rule *r;
  const cpw_source *src;
  const char *pin = "x";
  cpw_deadline dl;
  cpw_date day = 12345;
  int line = 7;
  size_t i;

  STR("none", cpw_basis_status_name(CPW_BASIS_NONE));
  STR("unknown", cpw_basis_status_name(-1));
  STR("unknown", cpw_basis_status_name(INT_MAX));
  STR("unknown", cpw_basis_status_label(INT_MIN));
  STR("agency default, not law", cpw_basis_status_label(CPW_BASIS_AGENCY_DEFAULT));
  Q(NULL, CPW_EINVALID, cpw_basis_status_from_name(NULL));
  Q(NULL, CPW_ENOTFOUND, cpw_basis_status_from_name(""));
  Q(NULL, CPW_ENOTFOUND, cpw_basis_status_from_name(g_long));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    Q(NULL, CPW_ENOTFOUND, cpw_basis_status_from_name(BAD_UTF8[i]));
  Q(NULL, CPW_BASIS_PROPOSAL, cpw_basis_status_from_name("proposal"));
  STR("unknown", cpw_rule_kind_name(0));
  STR("unknown", cpw_rule_kind_name(INT_MAX));

  /* sources */
  Q(NULL, 0, cpw_policy_source_count(NULL));
  Q(NULL, 0, cpw_policy_source_count(x->hp));
  ISNULL(cpw_policy_source_at(NULL, 0));
  ISNULL(cpw_policy_source_at(x->pol, SIZE_MAX));
  ISNULL(cpw_policy_source_find(NULL, "labour_code"));
  ISNULL(cpw_policy_source_find(x->pol, NULL));
  ISNULL(cpw_policy_source_find(x->pol, ""));
  ISNULL(cpw_policy_source_find(x->pol, g_long));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    ISNULL(cpw_policy_source_find(x->pol, BAD_UTF8[i]));
  ISNULL(cpw_source_id(NULL));
  ISNULL(cpw_source_citation(NULL));
  ISNULL(cpw_source_number(NULL));
  ISNULL(cpw_source_article(NULL));
  ISNULL(cpw_source_address(NULL));
  ISNULL(cpw_source_note(NULL));
  Q(NULL, CPW_EINVALID, cpw_source_date(NULL, &day));
  Q(NULL, 12345, day);
  src = cpw_policy_source_at(x->pol, 0);
  NOTNULL(src);
  NOTNULL(cpw_source_id(src));

  /* rules */
  Q(NULL, 0, cpw_policy_rule_count(NULL));
  ISNULL(cpw_policy_rule_at(NULL, 0));
  ISNULL(cpw_policy_rule_at(x->pol, SIZE_MAX));
  Q(NULL, 0, cpw_rule_kind_of(NULL));
  ISNULL(cpw_rule_name(NULL));
  ISNULL(cpw_rule_text(NULL));
  ISNULL(cpw_rule_file(NULL, &line));
  Q(NULL, 0, line);
  ISNULL(cpw_rule_file(NULL, NULL));
  Q(NULL, CPW_BASIS_NONE, cpw_rule_status(NULL));
  Q(NULL, 0, cpw_rule_inherited(NULL));
  ISNULL(cpw_rule_note(NULL));
  ISNULL(cpw_rule_basis(NULL));
  Q(NULL, 0, cpw_rule_source_count(NULL));
  ISNULL(cpw_rule_source(NULL, 0, &pin));
  ISNULL(pin);
  Q(NULL, CPW_EINVALID, cpw_rule_start(NULL, &day));
  Q(NULL, 12345, day);
  ISNULL(cpw_program_rule(NULL));
  r = cpw_program_rule(x->prog);
  NOTNULL(r);
  ISNULL(cpw_rule_source(r, SIZE_MAX, &pin));
  ISNULL(cpw_rule_source(r, SIZE_MAX, NULL));
  /* a rule of a policy without a basis (the hostile policy states none) */
  r = cpw_program_rule(cpw_policy_program(x->hp, "arith"));
  NOTNULL(r);
  Q(NULL, CPW_BASIS_NONE, cpw_rule_status(r));
  STR("no basis stated", cpw_rule_basis(r));
  Q(NULL, CPW_ENOTFOUND, cpw_rule_start(r, &day));
  Q(NULL, 12345, day);

  /* decisions, deadlines, refusals, workflows */
  Q(NULL, 0, cpw_decision_rule_count(NULL));
  ISNULL(cpw_decision_rule(NULL, 0));
  ISNULL(cpw_decision_rule(x->dec, SIZE_MAX));
  STR("", cpw_decision_basis(NULL));
  ISNULL(cpw_deadline_rule(NULL));
  memset(&dl, 0, sizeof dl);
  ISNULL(cpw_deadline_rule(&dl));
  dl.c = x->c;
  ISNULL(cpw_deadline_rule(&dl));
  dl.event = g_long;
  ISNULL(cpw_deadline_rule(&dl));
  dl.event = BAD_UTF8[0];
  ISNULL(cpw_deadline_rule(&dl));
  ISNULL(cpw_case_refusal_rule(NULL));
  ISNULL(cpw_case_refusal_rule(x->c));
  ISNULL(cpw_workflow_rule(NULL));
  NOTNULL(cpw_workflow_rule(x->wf));

  /* case fields' values, tallies */
  Q(NULL, 0, cpw_workflow_field_value_count(NULL, 0));
  Q(NULL, 0, cpw_workflow_field_value_count(x->wf, SIZE_MAX));
  Q(NULL, 0, cpw_workflow_field_value_count(x->wf, 0)); /* immediate_danger: a bool */
  ISNULL(cpw_workflow_field_value(NULL, 0, 0));
  ISNULL(cpw_workflow_field_value(x->wf, SIZE_MAX, 0));
  ISNULL(cpw_workflow_field_value(x->wf, 0, 0));
  Q(NULL, CPW_EINVALID, cpw_caseload_tally(NULL, "referral", "registered_on", 0, 0, NULL, NULL));
  Q(NULL, CPW_EINVALID, cpw_caseload_tally(x->cl, NULL, "registered_on", 0, 0, NULL, NULL));
  Q(NULL, CPW_EINVALID, cpw_caseload_tally(x->cl, "referral", NULL, 0, 0, NULL, NULL));
  Q(NULL, CPW_ENOTFOUND, cpw_caseload_tally(x->cl, g_long, "registered_on", 0, 0, NULL, NULL));
  Q(NULL, CPW_ENOTFOUND, cpw_caseload_tally(x->cl, "referral", g_long, 0, 0, NULL, NULL));
  Q(NULL, CPW_ENOTFOUND, cpw_caseload_tally(x->cl, "referral", "registered_on", 0, 0,
                                            BAD_UTF8[0], "x"));
  Q(NULL, CPW_EINVALID, cpw_caseload_tally(x->cl, "referral", "immediate_danger", 0, 0, NULL,
                                           NULL));
  Q(NULL, 0, cpw_caseload_tally(x->cl, "referral", "registered_on", INT_MAX, INT_MIN, NULL,
                                NULL));
  Q(NULL, 1, cpw_caseload_tally(x->cl, "referral", "registered_on", INT_MIN, INT_MAX, NULL,
                                NULL));
  Q(NULL, 0, cpw_caseload_tally(x->cl, "referral", "registered_on", INT_MIN, INT_MAX,
                                "reporter_type", g_long));
}

/* ------------------------------------------------------------------ eligibility.h: records */

/* names no field has */
static const char *unknown_name(size_t i)
{
  static const char *const names[] = { "", "nope", "N", " n", "n ", "n\n", "\x1b[31mn" };
  if (i < LEN(names))
    return names[i];
  if (i == LEN(names))
    return g_long;
  if (i == LEN(names) + 1)
    return g_long_ka;
  i -= LEN(names) + 2;
  return i < LEN(BAD_UTF8) ? BAD_UTF8[i] : NULL;
}

static void test_hostile__records(void **state)
{
  hx *x = *state;
  static const char *const fields[] = { "b", "n", "k", "m", "d", "d2", "t", "s", "e", "st" };
  /* text that does not fit each field's type: "secret" values must never be quoted */
  static const struct { const char *field, *text; } bad_text[] = {
    { "b", "maybe" }, { "b", "2" }, { "b", "TRUE " }, { "b", SECRET },
    { "n", "99999999999999999999" }, { "n", "9223372036854775808" },
    { "n", "-9223372036854775809" }, { "n", "1.5" }, { "n", "0x10" }, { "n", "1e3" },
    { "n", "+" }, { "n", "-" }, { "n", " 1" }, { "n", SECRET }, { "n", "\xd9\xa3" },
    { "m", "12.345" }, { "m", "1e10" }, { "m", "NaN" }, { "m", "inf" },
    { "m", "92233720368547758.08" }, { "m", "-92233720368547758.09" },
    { "m", "999999999999999999999" }, { "m", "." }, { "m", "1." }, { "m", SECRET },
    { "d", "2019-02-29" }, { "d", "0000-01-01" }, { "d", "10000-01-01" }, { "d", SECRET },
    { "t", "2019-01-01T12:00" }, { "t", "2019-01-01T24:00Z" }, { "t", SECRET },
    { "e", "z" }, { "e", "X" }, { "e", SECRET }, { "st", "p|z" },
    { "st", SECRET }, { "st", "p|\xff" }, { "s", "caf\xe9" }, { "s", "\xed\xa0\x80" },
  };
  /* JSON that is not a record of this policy (keys, values, syntax, depth) */
  static const char *const bad_json[] = {
    "", " ", "[]", "null", "1", "\"x\"", "{", "}", "{\"n\": 1", "{\"n\": 1}}", "{\"n\" 1}",
    "{\"n\": 1,}", "{n: 1}", "{'n': 1}", "{\"n\": 01}", "{\"n\": 1.0e}", "{\"n\": -}",
    "{\"n\": 1e400}", "{\"n\": 9223372036854775808}", "{\"n\": -9223372036854775809}",
    "{\"n\": 1.5}", "{\"n\": \"1\"}", "{\"n\": true}", "{\"n\": [1]}", "{\"n\": {}}",
    "{\"m\": 1e300}", "{\"m\": 0.001}", "{\"m\": -92233720368547758.09}", "{\"b\": 2}",
    "{\"b\": \"maybe\"}", "{\"d\": \"2019-02-29\"}", "{\"d\": 17000}", "{\"t\": \"2019\"}",
    "{\"e\": \"z\"}", "{\"e\": 0}", "{\"st\": [\"p\", \"z\"]}", "{\"st\": [1]}",
"{\"s\": 1}", "{\"s\": \"a\\u0000b\"}", "{\"s\": \"\\ud800\"}",
    "{\"s\": \"\\udc00\\ud800\"}", "{\"s\": \"\\u12\"}", "{\"s\": \"\\x41\"}",
    "{\"s\": \"\xff\"}", "{\"s\": \"a\nb\"}", "{\"\xff\": 1}", "{\"nope\": 1}",
    "{\"n\": 1} x", "{\"n\": NaN}", "{\"n\": Infinity}", "{\"n\": 1}\0",
    "{\"s\": \"" SECRET "\", \"n\": \"" SECRET "\"}", "{\"e\": \"" SECRET "\"}",
  };
  const char *members[3] = { "p", NULL, "q" };
  int64_t v = 12345;
  size_t i, j;
  char *json;

  RC(x->ctx, CPW_EINVALID, cpw_record_new(NULL, x->ctx, x->hp));
  {
    cpw_record *r = (cpw_record *)x;
    RC(NULL, CPW_EINVALID, cpw_record_new(&r, NULL, x->hp));
    ISNULL(r);
    r = (cpw_record *)x;
    RC(x->ctx, CPW_EINVALID, cpw_record_new(&r, x->ctx, NULL));
    ISNULL(r);
  }
  VOID(cpw_record_free(NULL));
  VOID(cpw_record_clear(NULL));

  /* NULL records and field names */
  RC(NULL, CPW_EINVALID, cpw_record_set_bool(NULL, "b", 1));
  RC(NULL, CPW_EINVALID, cpw_record_set_int(NULL, "n", 1));
  RC(NULL, CPW_EINVALID, cpw_record_set_money(NULL, "m", 1));
  RC(NULL, CPW_EINVALID, cpw_record_set_date(NULL, "d", 1));
  RC(NULL, CPW_EINVALID, cpw_record_set_datetime(NULL, "t", 1));
  RC(NULL, CPW_EINVALID, cpw_record_set_enum(NULL, "e", "x"));
  RC(NULL, CPW_EINVALID, cpw_record_set_text(NULL, "s", "x"));
  RC(NULL, CPW_EINVALID, cpw_record_set_members(NULL, "st", members, 1));
  RC(NULL, CPW_EINVALID, cpw_record_set_string(NULL, "n", "1", 1));
  RC(NULL, CPW_EINVALID, cpw_record_set_json(NULL, "{}", 2, 0));
  RC(NULL, CPW_EINVALID, cpw_record_set_json_except(NULL, "{}", 2, 0, "id"));
  RC(NULL, CPW_EINVALID, cpw_record_unset(NULL, "n"));
  Q(NULL, CPW_EINVALID, cpw_record_is_set(NULL, "n"));
  Q(NULL, CPW_EINVALID, cpw_record_get(NULL, "n", &v));
  ISNULL(cpw_record_get_text(NULL, "s"));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_bool(x->rec, NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_int(x->rec, NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_money(x->rec, NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_date(x->rec, NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_datetime(x->rec, NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_enum(x->rec, NULL, "x"));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_text(x->rec, NULL, "x"));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_members(x->rec, NULL, members, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, NULL, "1", 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_unset(x->rec, NULL));
  Q(NULL, CPW_EINVALID, cpw_record_is_set(x->rec, NULL));
  Q(NULL, CPW_EINVALID, cpw_record_get(x->rec, NULL, &v));
  ISNULL(cpw_record_get_text(x->rec, NULL));

  /* unknown field names: empty, 1 MiB, invalid UTF-8, look-alikes */
  for (i = 0; unknown_name(i) != NULL; i++) {
    const char *f = unknown_name(i);
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_bool(x->rec, f, 1));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_int(x->rec, f, 1));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_money(x->rec, f, 1));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_date(x->rec, f, 1));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_datetime(x->rec, f, 1));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_enum(x->rec, f, "x"));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_text(x->rec, f, "x"));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_members(x->rec, f, members, 1));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_string(x->rec, f, "1", 1));
    RC(x->ctx, CPW_ENOTFOUND, cpw_record_unset(x->rec, f));
    Q(NULL, CPW_ENOTFOUND, cpw_record_is_set(x->rec, f));
    Q(NULL, CPW_ENOTFOUND, cpw_record_get(x->rec, f, &v));
    ISNULL(cpw_record_get_text(x->rec, f));
  }

  /* every setter on every field of another type */
  for (i = 0; i < LEN(fields); i++) {
    const char *f = fields[i];
    if (strcmp(f, "b") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_bool(x->rec, f, 1));
    if (strcmp(f, "n") != 0 && strcmp(f, "k") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_int(x->rec, f, INT64_MIN));
    if (strcmp(f, "m") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_money(x->rec, f, INT64_MAX));
    if (strcmp(f, "d") != 0 && strcmp(f, "d2") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_date(x->rec, f, 0));
    if (strcmp(f, "t") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_datetime(x->rec, f, 0));
    if (strcmp(f, "e") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_enum(x->rec, f, "x"));
    if (strcmp(f, "s") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_text(x->rec, f, SECRET));
    if (strcmp(f, "st") != 0)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_members(x->rec, f, members, 1));
    Q(NULL, 0, cpw_record_is_set(x->rec, f)); /* nothing was set */
  }

  /* values out of range, NULL, 1 MiB, invalid UTF-8 */
  RC(x->ctx, CPW_EINVALID, cpw_record_set_date(x->rec, "d", CPW_DATE_MIN - 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_date(x->rec, "d", CPW_DATE_MAX + 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_date(x->rec, "d", INT32_MIN));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_date(x->rec, "d", INT32_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_datetime(x->rec, "t", INT64_MIN));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_datetime(x->rec, "t", INT64_MAX));
  RC(x->ctx, CPW_EINVALID,
     cpw_record_set_datetime(x->rec, "t", ((int64_t)CPW_DATE_MAX + 1) * 86400));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_enum(x->rec, "e", NULL));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_enum(x->rec, "e", ""));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_enum(x->rec, "e", g_long));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_enum(x->rec, "e", SECRET));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_text(x->rec, "s", NULL));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_members(x->rec, "st", NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_members(x->rec, "st", NULL, SIZE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_members(x->rec, "st", members, 2)); /* a NULL */
  members[1] = g_long;
  RC(x->ctx, CPW_EINVALID, cpw_record_set_members(x->rec, "st", members, 2));
  members[1] = SECRET;
  RC(x->ctx, CPW_EINVALID, cpw_record_set_members(x->rec, "st", members, 2));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, "n", NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, "n", NULL, SIZE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, "n", "1\0", 2));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, "s", "a\0b", 3));
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_record_set_enum(x->rec, "e", BAD_UTF8[i]));
    RC(x->ctx, CPW_EINVALID, cpw_record_set_text(x->rec, "s", BAD_UTF8[i]));
    for (j = 0; j < LEN(fields); j++)
      RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, fields[j], BAD_UTF8[i],
                                                     strlen(BAD_UTF8[i])));
  }
  for (i = 0; i < LEN(bad_text); i++) {
    cpw_ctx_clear_error(x->ctx);
    check_rc(x->ctx, cpw_record_set_string(x->rec, bad_text[i].field, bad_text[i].text,
                                           strlen(bad_text[i].text)),
             CPW_EINVALID, bad_text[i].text, __LINE__);
  }
  for (j = 0; j < LEN(fields); j++) {
    if (strcmp(fields[j], "s") == 0)
      continue;
    RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, fields[j], g_long, MIB));
    RC(x->ctx, CPW_EINVALID, cpw_record_set_string(x->rec, fields[j], g_long_ka,
                                                   strlen(g_long_ka)));
    Q(NULL, 0, cpw_record_is_set(x->rec, fields[j])); /* nothing was set */
  }
  /* extremes that fit: any int64 int and money, a NUL-free 1 MiB text, the last date */
  OK(x->ctx, cpw_record_set_int(x->rec, "n", INT64_MIN));
  OK(x->ctx, cpw_record_set_int(x->rec, "k", INT64_MAX));
  OK(x->ctx, cpw_record_set_money(x->rec, "m", INT64_MIN));
  OK(x->ctx, cpw_record_set_bool(x->rec, "b", INT_MIN));
  OK(x->ctx, cpw_record_set_date(x->rec, "d", CPW_DATE_MAX));
  OK(x->ctx, cpw_record_set_datetime(x->rec, "t", (int64_t)CPW_DATE_MIN * 86400));
  OK(x->ctx, cpw_record_set_text(x->rec, "s", g_long));
  OK(x->ctx, cpw_record_set_string(x->rec, "s", g_long_ka, strlen(g_long_ka)));
  OK(x->ctx, cpw_record_set_members(x->rec, "st", members, 0));
  OK(x->ctx, cpw_record_set_string(x->rec, "n", "-9223372036854775808", 20));
  OK(x->ctx, cpw_record_set_string(x->rec, "k", "9223372036854775807", 19));
  OK(x->ctx, cpw_record_set_string(x->rec, "m", "92233720368547757.99", 20)); /* the largest */
  OK(x->ctx, cpw_record_set_string(x->rec, "st", "p||q;", 5)); /* empty names are skipped */
  OK(x->ctx, cpw_record_set_string(x->rec, "n", NULL, 0)); /* empty: missing */
  Q(NULL, 0, cpw_record_is_set(x->rec, "n"));
  Q(NULL, 1, cpw_record_get(x->rec, "k", NULL));
  Q(NULL, 1, cpw_record_get(x->rec, "k", &v));
  Q(NULL, INT64_MAX, v);
  Q(NULL, CPW_EINVALID, cpw_record_get(x->rec, "s", &v)); /* a text field */
  ISNULL(cpw_record_get_text(x->rec, "k"));
  Q(NULL, strlen(g_long_ka), strlen(cpw_record_get_text(x->rec, "s")));

  /* JSON: nothing changes on an error */
  VOID(cpw_record_clear(x->rec));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_json(x->rec, NULL, 2, 0));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_json(x->rec, NULL, SIZE_MAX, 0));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_json(x->rec, "{}", 2, 0x80u));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_json(x->rec, "{}", 2, UINT_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_record_set_json_except(x->rec, "{}", 2, 0x2u, NULL));
  for (i = 0; i < LEN(bad_json); i++) {
    int rc;
    size_t n = strlen(bad_json[i]) + (strcmp(bad_json[i], "{\"n\": 1}") == 0);
    cpw_ctx_clear_error(x->ctx);
    rc = cpw_record_set_json(x->rec, bad_json[i], n, 0);
    if (rc != CPW_EINVALID && rc != CPW_ENOTFOUND && rc != CPW_ELIMIT)
      fail_msg("JSON %zu (%s): %d (%s)", i, bad_json[i], rc, cpw_ctx_last_error(x->ctx)->message);
    check_rc(x->ctx, rc, rc, bad_json[i], __LINE__);
    for (j = 0; j < LEN(fields); j++)
      Q(NULL, 0, cpw_record_is_set(x->rec, fields[j]));
  }
  /* 1 MiB keys, strings, numbers, nesting */
  {
    static const char *const shapes[][2] = {
      { "{\"", "\": 1}" },        /* a 1 MiB key */
      { "{\"e\": \"", "\"}" },    /* a 1 MiB enum value */
      { "{\"st\": [\"", "\"]}" }, /* a 1 MiB set member */
      { "{\"d\": \"", "\"}" },    /* a 1 MiB date */
      { "{\"n\": 1", "}" },       /* digits: see below */
    };
    for (i = 0; i < LEN(shapes); i++) {
      int rc;
      json = with_long(shapes[i][0], shapes[i][1], NULL, NULL);
      if (i == LEN(shapes) - 1)
        memset(json + strlen(shapes[i][0]), '9', MIB);
      cpw_ctx_clear_error(x->ctx);
      rc = cpw_record_set_json(x->rec, json, strlen(json), 0);
      if (rc != CPW_EINVALID && rc != CPW_ENOTFOUND && rc != CPW_ELIMIT)
        fail_msg("JSON shape %zu: %d", i, rc);
      check_rc(x->ctx, rc, rc, shapes[i][0], __LINE__);
      free(json);
    }
    json = malloc(MIB + 1);
    assert_non_null(json);
    memset(json, '[', MIB);
    json[0] = '{';
    json[1] = '"';
    json[2] = 's';
    json[3] = 't';
    json[4] = '"';
    json[5] = ':';
    json[MIB] = '\0';
    {
      int rc;
      cpw_ctx_clear_error(x->ctx);
      rc = cpw_record_set_json(x->rec, json, MIB, 0);
      if (rc != CPW_EINVALID && rc != CPW_ELIMIT)
        fail_msg("deep JSON: %d", rc);
      check_rc(x->ctx, rc, rc, "deep JSON", __LINE__);
      memset(json, '{', MIB);
      cpw_ctx_clear_error(x->ctx);
      rc = cpw_record_set_json(x->rec, json, MIB, CPW_RECORD_IGNORE_UNKNOWN);
      if (rc != CPW_EINVALID && rc != CPW_ELIMIT)
        fail_msg("deep JSON: %d", rc);
      check_rc(x->ctx, rc, rc, "deep JSON objects", __LINE__);
    }
    free(json);
    for (j = 0; j < LEN(fields); j++)
      Q(NULL, 0, cpw_record_is_set(x->rec, fields[j]));
  }
  /* skipped keys may be anything; a 1 MiB text value is a value */
  json = with_long("{\"", "\": {\"a\": [1, {\"b\": null}]}, \"n\": 3}", NULL, NULL);
  OK(x->ctx, cpw_record_set_json(x->rec, json, strlen(json), CPW_RECORD_IGNORE_UNKNOWN));
  free(json);
  json = with_long("{\"", "\": 7, \"n\": 4}", NULL, NULL);
  OK(x->ctx, cpw_record_set_json_except(x->rec, json, strlen(json), 0, g_long));
  RC(x->ctx, CPW_ENOTFOUND, cpw_record_set_json_except(x->rec, json, strlen(json), 0, "n"));
  free(json);
  json = with_long("{\"s\": \"", "\", \"n\": -9223372036854775808, \"m\": -92233720368547757.99}",
                   NULL, NULL);
  OK(x->ctx, cpw_record_set_json(x->rec, json, strlen(json), 0));
  free(json);
  Q(NULL, MIB, strlen(cpw_record_get_text(x->rec, "s")));
  OK(x->ctx, cpw_record_set_json(x->rec, "{\"n\": null, \"s\": null}", 22, 0));
  ISNULL(cpw_record_get_text(x->rec, "s"));
}

/* ------------------------------------------------------------------ eligibility.h: decisions */

static const int64_t EXTREMES[] = { INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX - 1,
                                    INT64_MAX };

static void test_hostile__decisions(void **state)
{
  hx *x = *state;
  static const cpw_date bad_dates[] = { INT32_MIN, CPW_DATE_MIN - 1, CPW_DATE_MAX + 1,
                                        INT32_MAX };
  cpw_test_alloc ta2;
  cpw_ctx *ctx2;
  cpw_record *rec2 = NULL, *other = NULL;
  cpw_decision *dec2 = NULL;
  cpw_decision *d = (cpw_decision *)x;
  cpw_money amount = 7;
  int period = 7;
  size_t i, j, k, p;

  RC(x->ctx, CPW_EINVALID, cpw_decision_new(NULL, x->ctx));
  RC(NULL, CPW_EINVALID, cpw_decision_new(&d, NULL));
  ISNULL(d);
  VOID(cpw_decision_free(NULL));
  STR("unknown", cpw_outcome_name(-1));
  STR("unknown", cpw_outcome_name(4));
  STR("unknown", cpw_outcome_name(INT_MIN));
  STR("unknown", cpw_outcome_name(INT_MAX));

  /* a fresh decision, and NULL ones */
  Q(NULL, CPW_UNDETERMINED, cpw_decision_outcome(NULL));
  ISNULL(cpw_decision_program(NULL));
  Q(NULL, 0, cpw_decision_as_of(NULL));
  Q(NULL, 0, cpw_decision_missing_count(NULL));
  ISNULL(cpw_decision_missing(NULL, 0));
  ISNULL(cpw_decision_missing(x->dec, SIZE_MAX));
  Q(NULL, 0, cpw_decision_service_count(NULL));
  ISNULL(cpw_decision_service(NULL, 0));
  ISNULL(cpw_decision_service(x->dec, SIZE_MAX));
  Q(NULL, 0, cpw_decision_benefit_count(NULL));
  ISNULL(cpw_decision_benefit(NULL, 0, &amount, &period));
  ISNULL(cpw_decision_benefit(x->dec, SIZE_MAX, &amount, &period));
  Q(NULL, CPW_ENOTFOUND, cpw_decision_benefit_is_cap(NULL, 0));
  Q(NULL, CPW_ENOTFOUND, cpw_decision_benefit_is_cap(x->dec, SIZE_MAX));
  Q(NULL, 7, amount + period - 7);
  STR("", cpw_decision_explain(NULL));
  STR("", cpw_decision_explain(x->dec));
  Q(NULL, 0, cpw_decision_reason_count(NULL));
  ISNULL(cpw_decision_reason(NULL, 0));
  ISNULL(cpw_decision_reason(x->dec, SIZE_MAX));

  /* NULL arguments, dates out of range, unknown flags, a record of another policy */
  RC(NULL, CPW_EINVALID, cpw_evaluate(NULL, x->prog, x->rec, 0, 0));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate(x->dec, NULL, x->rec, 0, 0));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate(x->dec, x->prog, NULL, 0, CPW_EVAL_EXPLAIN));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate(x->dec, x->prog, x->rec, ymd(2024, 1, 1), 0));
  for (i = 0; i < LEN(bad_dates); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_evaluate(x->dec, cpw_policy_program(x->hp, "arith"), x->rec,
                                          bad_dates[i], 0));
    RC(x->ctx, CPW_EINVALID, cpw_evaluate(x->dec, cpw_policy_program(x->hp, "words"), x->rec,
                                          bad_dates[i], CPW_EVAL_EXPLAIN));
  }
  RC(x->ctx, CPW_EINVALID, cpw_evaluate(x->dec, cpw_policy_program(x->hp, "arith"), x->rec,
                                        ymd(2024, 1, 1), 0x80u));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate(x->dec, cpw_policy_program(x->hp, "arith"), x->rec,
                                        ymd(2024, 1, 1), UINT_MAX));
  Q(NULL, 0, cpw_decision_benefit_count(x->dec));
  STR("", cpw_decision_explain(x->dec));

  /* Extreme values through every programme of the hostile policy, on a context of its own:
   * the outcome is a result (an overflow is an evaluation error, CPW_EINVALID with
   * CPW_OUTCOME_ERROR), and evaluating never writes the policy's context (x->ctx), which a
   * policy shared between threads must not be. */
  cpw_test_alloc_init(&ta2);
  ctx2 = cpw_test_ctx(&ta2);
  assert_non_null(ctx2);
  assert_int_equal(cpw_record_new(&rec2, ctx2, x->hp), CPW_OK);
  assert_int_equal(cpw_decision_new(&dec2, ctx2), CPW_OK);
  assert_int_equal(cpw_record_new(&other, ctx2, x->pol), CPW_OK);
  RC(ctx2, CPW_EINVALID, cpw_evaluate(dec2, cpw_policy_program(x->hp, "arith"), other,
                                      ymd(2024, 1, 1), 0));
  cpw_ctx_clear_error(x->ctx);
  for (i = 0; i < LEN(EXTREMES); i++)
    for (j = 0; j < LEN(EXTREMES); j++) {
      static const cpw_date dates[] = { CPW_DATE_MIN, 0, CPW_DATE_MAX - 1, CPW_DATE_MAX };
      cpw_record_clear(rec2);
      assert_int_equal(cpw_record_set_int(rec2, "n", EXTREMES[i]), CPW_OK);
      assert_int_equal(cpw_record_set_int(rec2, "k", EXTREMES[j]), CPW_OK);
      assert_int_equal(cpw_record_set_money(rec2, "m", EXTREMES[j]), CPW_OK);
      assert_int_equal(cpw_record_set_date(rec2, "d", dates[i % LEN(dates)]), CPW_OK);
      assert_int_equal(cpw_record_set_date(rec2, "d2", dates[j % LEN(dates)]), CPW_OK);
      assert_int_equal(cpw_record_set_text(rec2, "s", j % 2 ? g_long_ka : g_long), CPW_OK);
      assert_int_equal(cpw_record_set_enum(rec2, "e", "y"), CPW_OK);
      assert_int_equal(cpw_record_set_datetime(rec2, "t", j % 2 ? (int64_t)CPW_DATE_MIN * 86400
                                               : ((int64_t)CPW_DATE_MAX + 1) * 86400 - 1),
                       CPW_OK);
      for (p = 0; p < cpw_policy_program_count(x->hp); p++)
        for (k = 0; k < 2; k++) {
          const cpw_program *g = cpw_policy_program_at(x->hp, p);
          cpw_date as_of = k ? CPW_DATE_MAX : CPW_DATE_MIN;
          int rc, out;
          cpw_ctx_clear_error(ctx2);
          rc = cpw_evaluate(dec2, g, rec2, as_of, k ? CPW_EVAL_EXPLAIN : 0);
          out = cpw_decision_outcome(dec2);
          g_ncases++;
          if (!(rc == CPW_OK && out != CPW_OUTCOME_ERROR) &&
              !(rc == CPW_EINVALID && out == CPW_OUTCOME_ERROR))
            fail_msg("%s with n=%lld, k=%lld: %d, outcome %d: %s", cpw_program_id(g),
                     (long long)EXTREMES[i], (long long)EXTREMES[j], rc, out,
                     cpw_ctx_last_error(ctx2)->message);
          if (rc != CPW_OK)
            check_message(cpw_ctx_last_error(ctx2)->message, cpw_program_id(g), __LINE__);
          if (k) {
            /* explanations quote values (cut short): always valid UTF-8 */
            size_t r;
            Q(NULL, 1, utf8_ok(cpw_decision_explain(dec2)));
            for (r = 0; r < cpw_decision_reason_count(dec2); r++) {
              const cpw_reason *rr = cpw_decision_reason(dec2, r);
              Q(NULL, 1, utf8_ok(rr->subject) && utf8_ok(rr->value) &&
                           utf8_ok(rr->requirement) && utf8_ok(rr->clause) &&
                           utf8_ok(rr->sentence));
            }
          }
        }
    }
  Q(NULL, CPW_OK, cpw_ctx_last_error(x->ctx)->code); /* the policy's context is untouched */
  /* a long Georgian text value is quoted cut short, between two letters, whatever its offset */
  for (i = 0; i < 3; i++) {
    char *s = malloc(MIB + 4);
    size_t r;
    assert_non_null(s);
    memset(s, 'a', i);
    strcpy(s + i, g_long_ka);
    cpw_record_clear(rec2);
    OK(ctx2, cpw_record_set_text(rec2, "s", s));
    OK(ctx2, cpw_evaluate(dec2, cpw_policy_program(x->hp, "text"), rec2, 0, CPW_EVAL_EXPLAIN));
    Q(NULL, CPW_NOT_ELIGIBLE, cpw_decision_outcome(dec2));
    Q(NULL, 1, utf8_ok(cpw_decision_explain(dec2)));
    Q(NULL, 1, strlen(cpw_decision_explain(dec2)) < 1000);
    for (r = 0; r < cpw_decision_reason_count(dec2); r++) {
      Q(NULL, 1, utf8_ok(cpw_decision_reason(dec2, r)->value));
      Q(NULL, 1, utf8_ok(cpw_decision_reason(dec2, r)->sentence));
    }
    free(s);
  }
  cpw_record_free(other);
  cpw_record_free(rec2);
  cpw_decision_free(dec2);
  cpw_ctx_free(ctx2);
  assert_int_equal(ta2.live_blocks, 0);
}

/* ------------------------------------------------------------------ eligibility.h: batch */

static void test_hostile__batch(void **state)
{
  hx *x = *state;
  const cpw_program *arith = cpw_policy_program(x->hp, "arith");
  enum { NR = 130 }; /* two full chunks of 64 and a short one */
  int64_t vals[NR], big[NR];
  const char *texts[NR];
  uint8_t missing[NR], outcomes[NR];
  uint64_t services[NR];
  cpw_column col[4];
  size_t i, p;

  for (i = 0; i < NR; i++) {
    vals[i] = 0;
    big[i] = EXTREMES[i % LEN(EXTREMES)];
    texts[i] = i % 3 ? SECRET : NULL;
    missing[i] = (uint8_t)(i % 5 == 0);
  }
  memset(col, 0, sizeof col);
  col[0].field = "n";
  col[0].values = big;
  RC(NULL, CPW_EINVALID, cpw_evaluate_batch(NULL, arith, 0, col, 1, NR, outcomes, services));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, NULL, 0, col, 1, NR, outcomes, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, 0, NULL, 1, NR, outcomes, NULL));
  RC(x->ctx, CPW_EINVALID,
     cpw_evaluate_batch(x->ctx, arith, 0, NULL, SIZE_MAX, NR, outcomes, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, 0, col, 1, NR, NULL, services));
  RC(x->ctx, CPW_EINVALID,
     cpw_evaluate_batch(x->ctx, arith, 0, col, 1, SIZE_MAX, NULL, services));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, INT32_MIN, col, 1, NR, outcomes,
                                              NULL));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, CPW_DATE_MAX + 1, col, 1, NR,
                                              outcomes, NULL));
  OK(x->ctx, cpw_evaluate_batch(x->ctx, arith, 0, NULL, 0, 0, NULL, NULL));
  /* bad columns */
  col[0].field = NULL;
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, 0, col, 1, NR, outcomes, NULL));
  for (i = 0; unknown_name(i) != NULL; i++) {
    col[0].field = unknown_name(i);
    RC(x->ctx, CPW_ENOTFOUND, cpw_evaluate_batch(x->ctx, arith, 0, col, 1, NR, outcomes, NULL));
  }
  col[0].field = "n";
  col[1] = col[0];
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, 0, col, 2, NR, outcomes, NULL));
  col[0].values = NULL;
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, 0, col, 1, NR, outcomes, NULL));
  col[0].field = "s";
  col[0].values = vals;
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_batch(x->ctx, arith, 0, col, 1, NR, outcomes, NULL));
  /* values out of range for their field, in a column the programme reads */
  {
    static const struct { const char *field; int64_t v; } bad[] = {
      { "b", 2 }, { "b", -1 }, { "b", INT64_MIN }, { "d", CPW_DATE_MAX + 1 },
      { "d", INT64_MAX }, { "d", INT64_MIN }, { "e", 2 }, { "e", -1 }, { "e", INT64_MAX },
      { "st", 4 }, { "st", -1 }, { "st", INT64_MIN },
    };
    for (i = 0; i < LEN(bad); i++) {
      const char *reader = bad[i].field[0] == 'd' ? "dates" : "words"; /* reads the field */
      int64_t v[NR];
      for (p = 0; p < NR; p++)
        v[p] = p == NR - 1 ? bad[i].v : 0;
      memset(col, 0, sizeof col);
      col[0].field = bad[i].field;
      col[0].values = v;
      cpw_ctx_clear_error(x->ctx);
      check_rc(x->ctx, cpw_evaluate_batch(x->ctx, cpw_policy_program(x->hp, reader),
                                          ymd(2024, 1, 1), col, 1, NR, outcomes, services),
               CPW_EINVALID, bad[i].field, __LINE__);
      col[0].missing = missing; /* the bad value is in a missing record: not read */
      missing[NR - 1] = 1;
      OK(x->ctx, cpw_evaluate_batch(x->ctx, cpw_policy_program(x->hp, reader),
                                    ymd(2024, 1, 1), col, 1, NR, outcomes, services));
      missing[NR - 1] = 0;
    }
  }
  /* extremes in every numeric column, texts with NULLs, through every programme */
  memset(col, 0, sizeof col);
  col[0].field = "n";
  col[0].values = big;
  col[1].field = "k";
  col[1].values = big;
  col[1].missing = missing;
  col[2].field = "m";
  col[2].values = big;
  col[3].field = "s";
  col[3].texts = texts;
  for (p = 0; p < cpw_policy_program_count(x->hp); p++) {
    const cpw_program *g = cpw_policy_program_at(x->hp, p);
    OK(x->ctx, cpw_evaluate_batch(x->ctx, g, CPW_DATE_MAX, col, 4, NR, outcomes, services));
    for (i = 0; i < NR; i++)
      Q(NULL, 1, outcomes[i] <= CPW_OUTCOME_ERROR);
  }
  /* date-times are not range-checked in a batch: any int64 is an instant */
  col[0].field = "t";
  col[0].values = big;
  col[1].field = "d";
  col[1].values = vals;
  OK(x->ctx, cpw_evaluate_batch(x->ctx, cpw_policy_program(x->hp, "dates"), 0, col, 2, NR,
                                outcomes, services));
  for (i = 0; i < NR; i++)
    Q(NULL, 1, outcomes[i] <= CPW_OUTCOME_ERROR);
}

/* ------------------------------------------------------------------ workflow.h */

static void test_hostile__workflows(void **state)
{
  hx *x = *state;
  const cpw_workflow *wf = x->wf;
  char *out = (char *)x;
  size_t len = 12345, i;
  static const int formats[] = { -1, 2, INT_MIN, INT_MAX };

  Q(NULL, 0, cpw_policy_workflow_count(NULL));
  ISNULL(cpw_policy_workflow_at(NULL, 0));
  ISNULL(cpw_policy_workflow_at(x->pol, SIZE_MAX));
  ISNULL(cpw_policy_workflow(NULL, "referral"));
  ISNULL(cpw_policy_workflow(x->pol, NULL));
  ISNULL(cpw_policy_workflow(x->pol, ""));
  ISNULL(cpw_policy_workflow(x->pol, g_long));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    ISNULL(cpw_policy_workflow(x->pol, BAD_UTF8[i]));
  ISNULL(cpw_workflow_name(NULL));
  ISNULL(cpw_workflow_title(NULL));
  Q(NULL, 0, cpw_workflow_state_count(NULL));
  ISNULL(cpw_workflow_state(NULL, 0));
  ISNULL(cpw_workflow_state(wf, SIZE_MAX));
  Q(NULL, 0, cpw_workflow_state_is_final(NULL, 0));
  Q(NULL, 0, cpw_workflow_state_is_final(wf, SIZE_MAX));
  Q(NULL, 0, cpw_workflow_event_count(NULL));
  ISNULL(cpw_workflow_event(NULL, 0));
  ISNULL(cpw_workflow_event(wf, SIZE_MAX));
  Q(NULL, 0, cpw_workflow_role_count(NULL));
  ISNULL(cpw_workflow_role(NULL, 0));
  ISNULL(cpw_workflow_role(wf, SIZE_MAX));
  Q(NULL, 0, cpw_workflow_field_count(NULL));
  ISNULL(cpw_workflow_field(NULL, 0));
  ISNULL(cpw_workflow_field(wf, SIZE_MAX));
  Q(NULL, 0, cpw_workflow_field_type(NULL, 0));
  Q(NULL, 0, cpw_workflow_field_type(wf, SIZE_MAX));
  Q(NULL, CPW_EINVALID, cpw_workflow_state_index(NULL, "registered"));
  Q(NULL, CPW_EINVALID, cpw_workflow_event_index(NULL, "register"));
  Q(NULL, CPW_EINVALID, cpw_workflow_role_index(NULL, "supervisor"));
  Q(NULL, CPW_EINVALID, cpw_workflow_state_index(wf, NULL));
  Q(NULL, CPW_EINVALID, cpw_workflow_event_index(wf, NULL));
  Q(NULL, CPW_EINVALID, cpw_workflow_role_index(wf, NULL));
  for (i = 0; unknown_name(i) != NULL; i++) {
    Q(NULL, CPW_ENOTFOUND, cpw_workflow_state_index(wf, unknown_name(i)));
    Q(NULL, CPW_ENOTFOUND, cpw_workflow_event_index(wf, unknown_name(i)));
    Q(NULL, CPW_ENOTFOUND, cpw_workflow_role_index(wf, unknown_name(i)));
  }

  RC(NULL, CPW_EINVALID, cpw_workflow_diagram(wf, NULL, CPW_DIAGRAM_DOT, &out, &len));
  ISNULL(out);
  RC(x->ctx, CPW_EINVALID, cpw_workflow_diagram(NULL, x->ctx, CPW_DIAGRAM_DOT, &out, &len));
  RC(x->ctx, CPW_EINVALID, cpw_workflow_diagram(wf, x->ctx, CPW_DIAGRAM_DOT, NULL, &len));
  for (i = 0; i < LEN(formats); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_workflow_diagram(wf, x->ctx, formats[i], &out, &len));
    ISNULL(out);
  }
  Q(NULL, 12345, len);
  OK(x->ctx, cpw_workflow_diagram(wf, x->ctx, CPW_DIAGRAM_MERMAID, &out, NULL));
  VOID(cpw_free(x->ctx, out));
  {
    /* a guard with a long comment in Georgian, starting inside a letter (comments may hold
     * any bytes): the diagrams leave it out, and stay UTF-8 */
    static const char head[] =
      "workflow w \"T\\\"itle\" {\n roles r\n field a: bool = false\n field b: bool = false\n"
      " state s1 initial\n state s2 final\n event go\n on go: s1 -> s2 by r when a # ";
    static const char tail[] = "\n and b\n}\n";
    cpw_policy *p = NULL;
    char *text = malloc(sizeof head + 3000 + sizeof tail);
    int fmt;
    assert_non_null(text);
    memcpy(text, head, sizeof head - 1);
    memcpy(text + sizeof head - 1, g_long_ka + 1, 2999); /* starts inside a letter */
    memcpy(text + sizeof head - 1 + 2999, tail, sizeof tail);
    OK(x->ctx, cpw_policy_from_string(&p, x->ctx, "w.cpw", text, strlen(text)));
    for (fmt = CPW_DIAGRAM_DOT; fmt <= CPW_DIAGRAM_MERMAID; fmt++) {
      OK(x->ctx, cpw_workflow_diagram(cpw_policy_workflow(p, "w"), x->ctx, fmt, &out, &len));
      Q(NULL, 1, utf8_ok(out));
      Q(NULL, 1, strstr(out, "a and b") != NULL && strstr(out, "\xe1\x83\x90") == NULL);
      cpw_free(x->ctx, out);
    }
    cpw_policy_free(p);
    free(text);
  }
}

static void test_hostile__cases(void **state)
{
  hx *x = *state;
  cpw_caseload *cl = (cpw_caseload *)x;
  cpw_case *c = (cpw_case *)x;
  const cpw_workflow *wf = x->wf;
  cpw_field_value fv[2];
  const char *names[4];
  cpw_deadline dl[2];
  char buf[64];
  char id[300];
  int64_t v = 12345;
  size_t i;
  cpw_time t0 = at_noon(2024, 3, 5);
  int ev = cpw_workflow_event_index(wf, "start_assessment");
  int sw = cpw_workflow_role_index(wf, "social_worker");
  static const char *const bad_bool[] = { "", "maybe", "2", SECRET, "\xff", "true\n" };

  RC(x->ctx, CPW_EINVALID, cpw_caseload_new(NULL, x->ctx, x->pol));
  RC(NULL, CPW_EINVALID, cpw_caseload_new(&cl, NULL, x->pol));
  ISNULL(cl);
  cl = (cpw_caseload *)x;
  RC(x->ctx, CPW_EINVALID, cpw_caseload_new(&cl, x->ctx, NULL));
  ISNULL(cl);
  VOID(cpw_caseload_free(NULL));
  ISNULL(cpw_caseload_policy(NULL));
  Q(NULL, 0, cpw_caseload_case_count(NULL));
  ISNULL(cpw_caseload_case_at(NULL, 0));
  ISNULL(cpw_caseload_case_at(x->cl, SIZE_MAX));
  ISNULL(cpw_caseload_find(NULL, "case-1"));
  ISNULL(cpw_caseload_find(x->cl, NULL));
  ISNULL(cpw_caseload_find(x->cl, ""));
  ISNULL(cpw_caseload_find(x->cl, g_long));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    ISNULL(cpw_caseload_find(x->cl, BAD_UTF8[i]));
  Q(NULL, CPW_EINVALID, cpw_caseload_count(NULL, "referral", "registered"));
  Q(NULL, CPW_EINVALID, cpw_caseload_count(x->cl, NULL, "registered"));
  Q(NULL, CPW_EINVALID, cpw_caseload_count(x->cl, "referral", NULL));
  for (i = 0; unknown_name(i) != NULL; i++) {
    Q(NULL, CPW_ENOTFOUND, cpw_caseload_count(x->cl, unknown_name(i), "registered"));
    Q(NULL, CPW_ENOTFOUND, cpw_caseload_count(x->cl, "referral", unknown_name(i)));
  }
  Q(NULL, 0, cpw_caseload_memory(NULL));
  Q(NULL, 1, cpw_caseload_memory(x->cl) > 0);

  /* opening */
  RC(NULL, CPW_EINVALID, cpw_caseload_open(NULL, &c, "c2", "referral", NOFIELDS, t0, "u",
                                           "intake_officer"));
  ISNULL(c);
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, NULL, "referral", NOFIELDS, t0, "u",
                                             "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "", "referral", NOFIELDS, t0, "u",
                                             "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, g_long, "referral", NOFIELDS, t0, "u",
                                             "intake_officer"));
  memset(id, 'z', 257);
  id[257] = '\0';
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, id, "referral", NOFIELDS, t0, "u",
                                             "intake_officer"));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, BAD_UTF8[i], "referral", NOFIELDS,
                                               t0, "u", "intake_officer"));
  RC(x->ctx, CPW_EEXISTS, cpw_caseload_open(x->cl, &c, "case-1", "referral", NOFIELDS, t0, "u",
                                            "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", NULL, NOFIELDS, t0, "u",
                                             "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", NOFIELDS, t0, "u",
                                             NULL));
  for (i = 0; unknown_name(i) != NULL; i++) {
    RC(x->ctx, CPW_ENOTFOUND, cpw_caseload_open(x->cl, &c, "c2", unknown_name(i), NOFIELDS, t0,
                                                "u", "intake_officer"));
    RC(x->ctx, CPW_ENOTFOUND, cpw_caseload_open(x->cl, &c, "c2", "referral", NOFIELDS, t0, "u",
                                                unknown_name(i)));
    fv[0].field = unknown_name(i);
    fv[0].value = "true";
    RC(x->ctx, CPW_ENOTFOUND, cpw_caseload_open(x->cl, &c, "c2", "referral", fv, 1, t0, "u",
                                                "intake_officer"));
  }
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", NULL, 1, t0, "u",
                                             "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", NULL, SIZE_MAX, t0,
                                             "u", "intake_officer"));
  fv[0].field = NULL;
  fv[0].value = "true";
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", fv, 1, t0, "u",
                                             "intake_officer"));
  fv[0].field = "immediate_danger";
  for (i = 0; i < LEN(bad_bool); i++) {
    if (bad_bool[i][0] == '\0')
      continue; /* "" is missing, not an error */
    fv[0].value = bad_bool[i];
    RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", fv, 1, t0, "u",
                                               "intake_officer"));
  }
  fv[0].value = g_long;
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", fv, 1, t0, "u",
                                             "intake_officer"));
  fv[0].field = "active_services";
  fv[0].value = "99999999999999999999";
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", fv, 1, t0, "u",
                                             "intake_officer"));
  fv[0].field = "last_review";
  fv[0].value = "2019-02-29";
  RC(x->ctx, CPW_EINVALID, cpw_caseload_open(x->cl, &c, "c2", "referral", fv, 1, t0, "u",
                                             "intake_officer"));
  Q(NULL, 1, cpw_caseload_case_count(x->cl)); /* nothing was opened */
  {
    /* opening at INT64_MIN and INT64_MAX: either a clean error or a case whose times are
     * kept as given */
    static const cpw_time ends[] = { INT64_MIN, INT64_MAX };
    for (i = 0; i < LEN(ends); i++) {
      int rc;
      snprintf(id, sizeof id, "end-%zu", i);
      cpw_ctx_clear_error(x->ctx);
      rc = cpw_caseload_open(x->cl, &c, id, "referral", NOFIELDS, ends[i], "u",
                             "intake_officer");
      if (rc != CPW_OK)
        check_rc(x->ctx, rc, CPW_EINVALID, "opening at the end of time", __LINE__);
      else
        Q(NULL, ends[i], cpw_case_last_time(c));
    }
  }

  {
    /* a deadline in working days past 9999-12-31, in a caseload on a context of its own: an
     * error there, and none written into the policy's context (a policy is shared) */
    cpw_test_alloc ta2;
    cpw_ctx *ctx2;
    cpw_caseload *cl2 = NULL;
    cpw_test_alloc_init(&ta2);
    ctx2 = cpw_test_ctx(&ta2);
    assert_non_null(ctx2);
    assert_int_equal(cpw_caseload_new(&cl2, ctx2, x->pol), CPW_OK);
    /* the registration clock of the notified state runs past the last date */
    cpw_ctx_clear_error(x->ctx);
    RC(ctx2, CPW_EINVALID, cpw_caseload_open(cl2, &c, "late", "referral", NOFIELDS,
                                             (int64_t)CPW_DATE_MAX * 86400, "u",
                                             "intake_officer"));
    Q(NULL, CPW_OK, cpw_ctx_last_error(x->ctx)->code);
    Q(NULL, 0, cpw_caseload_case_count(cl2));
    /* opened a week earlier, the 3 working days of the registered state run past it */
    OK(ctx2, cpw_caseload_open(cl2, &c, "late", "referral", NOFIELDS,
                               ((int64_t)CPW_DATE_MAX - 7) * 86400, "u", "intake_officer"));
    RC(ctx2, CPW_EINVALID, cpw_case_apply(c, "register", "u", "intake_officer",
                                          (int64_t)CPW_DATE_MAX * 86400, NOFIELDS));
    Q(NULL, CPW_OK, cpw_ctx_last_error(x->ctx)->code);
    cpw_caseload_free(cl2);
    cpw_ctx_free(ctx2);
    assert_int_equal(ta2.live_blocks, 0);
  }

  {
    /* a counter at INT64_MAX that an event increments: an evaluation error, nothing changes */
    static const char *const ends[] = { "9223372036854775807", "-9223372036854775808" };
    for (i = 0; i < LEN(ends); i++) {
      cpw_case *k = NULL;
      snprintf(id, sizeof id, "counter-%zu", i);
      fv[0].field = "escalations";
      fv[0].value = ends[i];
      OK(x->ctx, cpw_caseload_open(x->cl, &k, id, "referral", fv, 1, t0, "u",
                                   "intake_officer"));
      OK(x->ctx, cpw_case_apply(k, "register", "u", "intake_officer", t0, NOFIELDS));
      if (i == 0)
        RC(x->ctx, CPW_EINVALID, cpw_case_apply(k, "deadline_missed", "u", "supervisor", t0,
                                                NOFIELDS));
      else
        OK(x->ctx, cpw_case_apply(k, "deadline_missed", "u", "supervisor", t0, NOFIELDS));
      Q(NULL, 2 + (uint64_t)i, cpw_case_event_count(k));
      Q(NULL, 1, cpw_case_get(k, "escalations", &v));
      Q(NULL, i == 0 ? INT64_MAX : INT64_MIN + 1, v);
    }
    v = 12345;
  }

  /* events */
  RC(NULL, CPW_EINVALID, cpw_case_apply(NULL, "start_assessment", "u", "social_worker", t0,
                                        NOFIELDS));
  RC(NULL, CPW_EINVALID, cpw_case_apply_index(NULL, ev, "u", sw, t0, NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_case_apply(x->c, NULL, "u", "social_worker", t0, NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_case_apply(x->c, "start_assessment", "u", NULL, t0, NOFIELDS));
  for (i = 0; unknown_name(i) != NULL; i++) {
    RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply(x->c, unknown_name(i), "u", "social_worker", t0,
                                             NOFIELDS));
    RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply(x->c, "start_assessment", "u", unknown_name(i),
                                             t0, NOFIELDS));
    fv[0].field = unknown_name(i);
    fv[0].value = "1";
    RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply(x->c, "start_assessment", "u", "social_worker", t0,
                                             fv, 1));
  }
  RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply_index(x->c, -1, "u", sw, t0, NOFIELDS));
  RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply_index(x->c, INT_MAX, "u", sw, t0, NOFIELDS));
  RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply_index(x->c, INT_MIN, "u", sw, t0, NOFIELDS));
  RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply_index(x->c, ev, "u", -1, t0, NOFIELDS));
  RC(x->ctx, CPW_ENOTFOUND, cpw_case_apply_index(x->c, ev, "u", INT_MAX, t0, NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_case_apply(x->c, "start_assessment", "u", "social_worker", t0,
                                          NULL, 1));
  RC(x->ctx, CPW_EINVALID, cpw_case_apply(x->c, "start_assessment", "u", "social_worker", t0,
                                          NULL, SIZE_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_case_apply_index(x->c, ev, "u", sw, t0, NULL, SIZE_MAX));
  fv[0].field = NULL;
  fv[0].value = "1";
  RC(x->ctx, CPW_EINVALID, cpw_case_apply(x->c, "start_assessment", "u", "social_worker", t0,
                                          fv, 1));
  /* a field the event carries, with bad values */
  fv[0].field = "immediate_danger";
  for (i = 0; i < LEN(bad_bool); i++) {
    if (bad_bool[i][0] == '\0')
      continue;
    fv[0].value = bad_bool[i];
    RC(x->ctx, CPW_EINVALID, cpw_case_apply(x->c, "flag_urgent", "u", "social_worker", t0, fv,
                                            1));
  }
  fv[0].value = g_long;
  RC(x->ctx, CPW_EINVALID, cpw_case_apply(x->c, "flag_urgent", "u", "social_worker", t0, fv,
                                          1));
  /* refusals are results: CPW_EDENIED, the reason, nothing changed */
  RC(x->ctx, CPW_EDENIED, cpw_case_apply(x->c, "start_assessment", "u", "social_worker",
                                         INT64_MIN, NOFIELDS));
  Q(NULL, CPW_REFUSED_TIME, cpw_case_refusal(x->c));
  check_message(cpw_case_explain(x->c), "cpw_case_explain", __LINE__);
  RC(x->ctx, CPW_EDENIED, cpw_case_apply(x->c, "approve_plan", "u", "supervisor", t0,
                                         NOFIELDS));
  check_message(cpw_case_explain(x->c), "cpw_case_explain", __LINE__);
  Q(NULL, 2, cpw_case_event_count(x->c));
  STR("registered", cpw_case_state(x->c));
  /* the latest time there is: accepted, and its deadline cannot be computed... or can */
  {
    int rc;
    cpw_ctx_clear_error(x->ctx);
    rc = cpw_case_apply(x->c, "start_assessment", "u", "social_worker", INT64_MAX, NOFIELDS);
    if (rc != CPW_OK)
      check_rc(x->ctx, rc, CPW_EINVALID, "an event at INT64_MAX", __LINE__);
  }
  STR("unknown", cpw_refusal_name(-1));
  STR("unknown", cpw_refusal_name(6));
  STR("unknown", cpw_refusal_name(INT_MIN));
  STR("unknown", cpw_refusal_name(INT_MAX));
  Q(NULL, CPW_ACCEPTED, cpw_case_refusal(NULL));
  STR("", cpw_case_explain(NULL));

  /* case state */
  ISNULL(cpw_case_id(NULL));
  ISNULL(cpw_case_workflow(NULL));
  ISNULL(cpw_case_state(NULL));
  Q(NULL, CPW_EINVALID, cpw_case_state_index(NULL));
  Q(NULL, 0, cpw_case_state_since(NULL));
  Q(NULL, 0, cpw_case_last_time(NULL));
  Q(NULL, 0, cpw_case_event_count(NULL));
  Q(NULL, CPW_EINVALID, cpw_case_get(NULL, "active_services", &v));
  Q(NULL, CPW_EINVALID, cpw_case_get(x->c, NULL, &v));
  Q(NULL, 1, cpw_case_get(x->c, "active_services", NULL));
  Q(NULL, CPW_EINVALID, cpw_case_get_string(NULL, "active_services", buf, sizeof buf));
  Q(NULL, CPW_EINVALID, cpw_case_get_string(x->c, NULL, buf, sizeof buf));
  Q(NULL, CPW_EINVALID, cpw_case_get_string(x->c, "active_services", NULL, sizeof buf));
  Q(NULL, CPW_EINVALID, cpw_case_get_string(x->c, "active_services", NULL, SIZE_MAX));
  buf[0] = 'x';
  Q(NULL, CPW_EINVALID, cpw_case_get_string(x->c, "active_services", buf, 0));
  Q(NULL, 'x', buf[0]);
  Q(NULL, 1, cpw_case_get_string(x->c, "active_services", buf, 1));
  STR("", buf);
  /* every field into buffers of every small size, each exactly that big (on the heap, where
   * ASan sees a byte written past the end) */
  for (i = 0; i < cpw_workflow_field_count(wf); i++) {
    size_t size;
    for (size = 1; size <= 24; size++) {
      char *b = malloc(size);
      int rc;
      assert_non_null(b);
      rc = cpw_case_get_string(x->c, cpw_workflow_field(wf, i), b, size);
      Q(NULL, 1, rc == 0 || rc == 1);
      Q(NULL, 1, memchr(b, '\0', size) != NULL);
      free(b);
    }
  }
  for (i = 0; unknown_name(i) != NULL; i++) {
    Q(NULL, CPW_ENOTFOUND, cpw_case_get(x->c, unknown_name(i), &v));
    Q(NULL, CPW_ENOTFOUND, cpw_case_get_string(x->c, unknown_name(i), buf, sizeof buf));
    Q(NULL, 0, cpw_case_allowed_events(x->c, unknown_name(i), names, LEN(names)));
  }
  Q(NULL, 12345, v);
  Q(NULL, 0, cpw_case_allowed_events(NULL, "social_worker", names, LEN(names)));
  Q(NULL, 0, cpw_case_allowed_events(x->c, NULL, names, LEN(names)));
  Q(NULL, 1, cpw_case_allowed_events(x->c, "social_worker", NULL, SIZE_MAX) > 0);
  Q(NULL, 1, cpw_case_allowed_events(x->c, "social_worker", names, 0) > 0);
  Q(NULL, 0, cpw_case_deadlines(NULL, dl, LEN(dl)));
  Q(NULL, cpw_case_deadlines(x->c, dl, 0), cpw_case_deadlines(x->c, NULL, SIZE_MAX));
  Q(NULL, 0, cpw_caseload_overdue(NULL, INT64_MAX, dl, LEN(dl)));
  Q(NULL, 0, cpw_caseload_due_before(NULL, INT64_MAX, dl, LEN(dl)));
  Q(NULL, cpw_caseload_overdue(x->cl, INT64_MAX, dl, 0),
    cpw_caseload_overdue(x->cl, INT64_MAX, NULL, SIZE_MAX));
  Q(NULL, cpw_caseload_due_before(x->cl, INT64_MAX, dl, LEN(dl)),
    cpw_caseload_due_before(x->cl, INT64_MAX, NULL, SIZE_MAX));
  Q(NULL, 0, cpw_caseload_overdue(x->cl, INT64_MIN, dl, LEN(dl)));
  Q(NULL, 0, cpw_caseload_due_before(x->cl, INT64_MIN, dl, LEN(dl)));
}

/* ------------------------------------------------------------------ placement.h */

static void test_hostile__placements(void **state)
{
  hx *x = *state;
  static const cpw_date bad_dates[] = { INT32_MIN, CPW_DATE_MIN - 1, CPW_DATE_MAX + 1,
                                        INT32_MAX };
  static const int formats[] = { -1, 3, INT_MIN, INT_MAX };
  cpw_registry *reg = (cpw_registry *)x;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  cpw_placement_info info[2];
  cpw_indicators *ind = (cpw_indicators *)x;
  const char *settings[16];
  char id[300], *out = (char *)x;
  size_t len = 12345, i;
  cpw_date date = 12345;
  int64_t res = 12345;
  cpw_date d0 = ymd(2024, 2, 1);

  STR("unknown", cpw_category_name(-1));
  STR("own_family", cpw_category_name(CPW_CATEGORY_OWN_FAMILY));
  STR("unknown", cpw_category_name(CPW_CATEGORY_COUNT));
  STR("unknown", cpw_category_name(INT_MIN));
  STR("unknown", cpw_category_name(INT_MAX));
  STR("unknown", cpw_exit_reason_name(-1));
  STR("unknown", cpw_exit_reason_name(CPW_EXIT_REASON_COUNT));
  STR("unknown", cpw_exit_reason_name(INT_MIN));
  STR("unknown", cpw_exit_reason_name(INT_MAX));
  Q(NULL, CPW_EINVALID, cpw_exit_reason_from_name(NULL));
  for (i = 0; unknown_name(i) != NULL; i++)
    Q(NULL, CPW_ENOTFOUND, cpw_exit_reason_from_name(unknown_name(i)));

  RC(x->ctx, CPW_EINVALID, cpw_registry_new(NULL, x->ctx, x->pol));
  RC(NULL, CPW_EINVALID, cpw_registry_new(&reg, NULL, x->pol));
  ISNULL(reg);
  reg = (cpw_registry *)x;
  RC(x->ctx, CPW_EINVALID, cpw_registry_new(&reg, x->ctx, NULL));
  ISNULL(reg);
  VOID(cpw_registry_free(NULL));
  Q(NULL, 0, cpw_policy_setting_count(NULL));
  ISNULL(cpw_policy_setting(NULL, 0));
  ISNULL(cpw_policy_setting(x->pol, SIZE_MAX));
  Q(NULL, CPW_EINVALID, cpw_policy_setting_category(NULL, 0));
  Q(NULL, CPW_EINVALID, cpw_policy_setting_category(x->pol, SIZE_MAX));

  /* facilities */
  RC(NULL, CPW_EINVALID, cpw_registry_add_facility(NULL, "f", "institution", "F", "R", 1, 6,
                                                   17));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, NULL, "institution", "F", "R", 1,
                                                     6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, "", "institution", "F", "R", 1, 6,
                                                     17));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, g_long, "institution", "F", "R", 1,
                                                     6, 17));
  memset(id, 'z', 257);
  id[257] = '\0';
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, id, "institution", "F", "R", 1, 6,
                                                     17));
  RC(x->ctx, CPW_EEXISTS, cpw_registry_add_facility(x->reg, "kojori", "institution", "F", "R",
                                                    1, 6, 17));
  RC(x->ctx, CPW_ENOTFOUND, cpw_registry_add_facility(x->reg, "f", NULL, "F", "R", 1, 6, 17));
  for (i = 0; unknown_name(i) != NULL; i++)
    RC(x->ctx, CPW_ENOTFOUND, cpw_registry_add_facility(x->reg, "f", unknown_name(i), "F", "R",
                                                        1, 6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, "f", "institution", "F", "R",
                                                     INT_MAX, 6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, "f", "institution", "F", "R", 1,
                                                     INT_MAX, 17));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, "f", "institution", "F", "R", 1, 6,
                                                     INT_MAX));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, "f", "institution", "F", "R", 1,
                                                     17, 6));
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, BAD_UTF8[i], "institution", "F",
                                                       "R", 1, 6, 17));
    RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, "f", "institution",
                                                       BAD_UTF8[i], "R", 1, 6, 17));
    RC(x->ctx, CPW_EINVALID, cpw_registry_add_facility(x->reg, "f", "institution", "F",
                                                       BAD_UTF8[i], 1, 6, 17));
  }
  Q(NULL, CPW_ENOTFOUND, cpw_registry_occupancy(x->reg, "f")); /* nothing was added */
  /* negative numbers mean "the setting's"; a 1 MiB name and region are names */
  OK(x->ctx, cpw_registry_add_facility(x->reg, "f", "institution", g_long, g_long, INT_MIN,
                                       INT_MIN, INT_MIN));
  OK(x->ctx, cpw_registry_add_facility(x->reg, "f2", "small_group_home", NULL, NULL, -1, -1,
                                       -1));

  /* children */
  RC(NULL, CPW_EINVALID, cpw_registry_add_child(NULL, "c", CPW_DATE_MIN, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_child(x->reg, NULL, CPW_DATE_MIN, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_child(x->reg, "", CPW_DATE_MIN, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_child(x->reg, g_long, CPW_DATE_MIN, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_registry_add_child(x->reg, id, CPW_DATE_MIN, NULL));
  RC(x->ctx, CPW_EEXISTS, cpw_registry_add_child(x->reg, "child-1", CPW_DATE_MIN, NULL));
  for (i = 0; i < LEN(bad_dates); i++)
    RC(x->ctx, CPW_EINVALID, cpw_registry_add_child(x->reg, "c", bad_dates[i], NULL));
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_registry_add_child(x->reg, BAD_UTF8[i], CPW_DATE_MIN, NULL));
    RC(x->ctx, CPW_EINVALID, cpw_registry_add_child(x->reg, "c", CPW_DATE_MIN, BAD_UTF8[i]));
  }
  OK(x->ctx, cpw_registry_add_child(x->reg, "c", CPW_DATE_MIN, g_long)); /* birth unknown */
  OK(x->ctx, cpw_registry_add_child(x->reg, "c-old", CPW_DATE_MIN + 1, ""));
  OK(x->ctx, cpw_registry_add_child(x->reg, "c-new", CPW_DATE_MAX, NULL));

  /* placing: requests with NULLs, unknown names, bad versions, dates and flags */
  RC(NULL, CPW_EINVALID, cpw_registry_place(NULL, &req));
  RC(NULL, CPW_EINVALID, cpw_registry_move(NULL, &req));
  RC(x->ctx, CPW_EINVALID, cpw_registry_place(x->reg, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_registry_move(x->reg, NULL));
  req.child = "c";
  req.setting = "foster_care";
  req.date = d0;
  req.role = "social_worker";
  req.version = 0;
  RC(x->ctx, CPW_EVERSION, cpw_registry_place(x->reg, &req));
  req.version = UINT_MAX;
  RC(x->ctx, CPW_EVERSION, cpw_registry_move(x->reg, &req));
  req.version = CPW_PLACEMENT_REQUEST_VERSION;
  req.flags = 0x80u;
  RC(x->ctx, CPW_EINVALID, cpw_registry_place(x->reg, &req));
  req.flags = UINT_MAX;
  RC(x->ctx, CPW_EINVALID, cpw_registry_place(x->reg, &req));
  req.flags = 0;
  req.child = NULL;
  RC(x->ctx, CPW_ENOTFOUND, cpw_registry_place(x->reg, &req));
  for (i = 0; unknown_name(i) != NULL; i++) {
    req.child = unknown_name(i);
    RC(x->ctx, CPW_ENOTFOUND, cpw_registry_place(x->reg, &req));
    RC(x->ctx, CPW_ENOTFOUND, cpw_registry_move(x->reg, &req));
    req.child = "c";
    req.setting = unknown_name(i);
    RC(x->ctx, CPW_ENOTFOUND, cpw_registry_place(x->reg, &req));
    req.setting = NULL;
    req.facility = unknown_name(i);
    RC(x->ctx, CPW_ENOTFOUND, cpw_registry_place(x->reg, &req));
    req.facility = NULL;
    req.setting = "foster_care";
    req.role = unknown_name(i);
    RC(x->ctx, CPW_EDENIED, cpw_registry_place(x->reg, &req));
    check_message(cpw_registry_explain(x->reg), "cpw_registry_explain", __LINE__);
    req.role = "social_worker";
  }
  req.setting = NULL; /* neither a facility nor a setting */
  RC(x->ctx, CPW_ENOTFOUND, cpw_registry_place(x->reg, &req));
  req.facility = "kojori";
  req.setting = "foster_care"; /* a facility of another setting */
  RC(x->ctx, CPW_EINVALID, cpw_registry_place(x->reg, &req));
  req.facility = NULL;
  for (i = 0; i < LEN(bad_dates); i++) {
    req.date = bad_dates[i];
    RC(x->ctx, CPW_EINVALID, cpw_registry_place(x->reg, &req));
  }
  req.date = d0;
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    req.region = BAD_UTF8[i];
    RC(x->ctx, CPW_EINVALID, cpw_registry_place(x->reg, &req));
  }
  req.region = NULL;
  RC(x->ctx, CPW_ESTATE, cpw_registry_move(x->reg, &req)); /* not placed */
  req.child = "child-1";
  RC(x->ctx, CPW_ESTATE, cpw_registry_place(x->reg, &req)); /* placed already */
  req.date = ymd(2023, 1, 1);
  RC(x->ctx, CPW_EINVALID, cpw_registry_move(x->reg, &req)); /* before the placement */
  Q(NULL, 1, cpw_registry_episode_count(x->reg));
  /* a child whose birth is unknown: the age rules cannot be checked (a denial) */
  req.child = "c";
  req.date = d0;
  req.setting = "institution";
  RC(x->ctx, CPW_EDENIED, cpw_registry_place(x->reg, &req));
  check_message(cpw_registry_explain(x->reg), "cpw_registry_explain", __LINE__);
  /* placements at both ends of the date range, a 1 MiB region and reason */
  req.child = "c-old";
  req.setting = "kinship";
  req.date = CPW_DATE_MIN + 1;
  req.region = g_long_ka;
  req.reason = g_long;
  req.actor = g_long;
  OK(x->ctx, cpw_registry_place(x->reg, &req));
  req.date = CPW_DATE_MAX;
  req.region = NULL;
  OK(x->ctx, cpw_registry_move(x->reg, &req));
  req.child = "c-new";
  req.flags = CPW_PLACE_EXISTING;
  OK(x->ctx, cpw_registry_place(x->reg, &req));

  /* ending and reviewing */
  RC(NULL, CPW_EINVALID, cpw_registry_end(NULL, "child-1", d0, CPW_EXIT_REUNIFIED, "u",
                                          "social_worker"));
  RC(NULL, CPW_EINVALID, cpw_registry_review(NULL, "child-1", d0, "u", "social_worker"));
  RC(x->ctx, CPW_ENOTFOUND, cpw_registry_end(x->reg, NULL, d0, CPW_EXIT_REUNIFIED, "u",
                                             "social_worker"));
  RC(x->ctx, CPW_ENOTFOUND, cpw_registry_review(x->reg, NULL, d0, "u", "social_worker"));
  for (i = 0; unknown_name(i) != NULL; i++) {
    RC(x->ctx, CPW_ENOTFOUND, cpw_registry_end(x->reg, unknown_name(i), d0, CPW_EXIT_REUNIFIED,
                                               "u", "social_worker"));
    RC(x->ctx, CPW_ENOTFOUND, cpw_registry_review(x->reg, unknown_name(i), d0, "u",
                                                  "social_worker"));
  }
  RC(x->ctx, CPW_ESTATE, cpw_registry_end(x->reg, "c", d0, CPW_EXIT_REUNIFIED, "u", "s"));
  RC(x->ctx, CPW_ESTATE, cpw_registry_review(x->reg, "c", d0, "u", "s"));
  RC(x->ctx, CPW_EINVALID, cpw_registry_end(x->reg, "child-1", d0, -1, "u", "s"));
  RC(x->ctx, CPW_EINVALID, cpw_registry_end(x->reg, "child-1", d0, CPW_EXIT_REASON_COUNT, "u",
                                            "s"));
  RC(x->ctx, CPW_EINVALID, cpw_registry_end(x->reg, "child-1", d0, INT_MIN, "u", "s"));
  RC(x->ctx, CPW_EINVALID, cpw_registry_end(x->reg, "child-1", d0, INT_MAX, "u", "s"));
  for (i = 0; i < LEN(bad_dates); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_registry_end(x->reg, "child-1", bad_dates[i],
                                              CPW_EXIT_REUNIFIED, "u", "s"));
    RC(x->ctx, CPW_EINVALID, cpw_registry_review(x->reg, "child-1", bad_dates[i], "u", "s"));
  }
  RC(x->ctx, CPW_EINVALID, cpw_registry_end(x->reg, "child-1", ymd(2023, 1, 1),
                                            CPW_EXIT_REUNIFIED, "u", "s"));
  OK(x->ctx, cpw_registry_review(x->reg, "c-new", CPW_DATE_MAX, NULL, NULL));
  STR("", cpw_registry_explain(NULL));

  /* options and queries */
  Q(NULL, 0, cpw_registry_options(NULL, "child-1", d0, 0, 0, settings, LEN(settings)));
  Q(NULL, 0, cpw_registry_options(x->reg, NULL, d0, 0, 0, settings, LEN(settings)));
  for (i = 0; unknown_name(i) != NULL; i++)
    Q(NULL, 0, cpw_registry_options(x->reg, unknown_name(i), d0, 0, 0, settings,
                                    LEN(settings)));
  for (i = 0; i < LEN(bad_dates); i++)
    Q(NULL, 1, cpw_registry_options(x->reg, "child-1", bad_dates[i], INT_MIN, INT_MAX,
                                    settings, LEN(settings)) <= LEN(settings));
  Q(NULL, cpw_registry_options(x->reg, "child-1", d0, 0, 0, settings, 0),
    cpw_registry_options(x->reg, "child-1", d0, 0, 0, NULL, SIZE_MAX));
  {
    cpw_placement_request oq = CPW_PLACEMENT_REQUEST_INIT;
    static const char *const bad_levels[] = { "", "Severe", "severe ", "\xff", "mild" };
    Q(NULL, 0, cpw_registry_request_options(NULL, &oq, settings, LEN(settings)));
    Q(NULL, 0, cpw_registry_request_options(x->reg, NULL, settings, LEN(settings)));
    Q(NULL, 0, cpw_registry_request_options(x->reg, &oq, settings, LEN(settings)));
    for (i = 0; unknown_name(i) != NULL; i++) {
      oq.child = unknown_name(i);
      Q(NULL, 0, cpw_registry_request_options(x->reg, &oq, settings, LEN(settings)));
    }
    oq.child = "child-1";
    oq.date = d0;
    for (i = 0; i < LEN(bad_levels); i++) {
      oq.disability = bad_levels[i];
      Q(NULL, 0, cpw_registry_request_options(x->reg, &oq, settings, LEN(settings)));
    }
    oq.disability = "profound";
    for (i = 0; i < LEN(bad_dates); i++) {
      oq.date = bad_dates[i];
      Q(NULL, 1, cpw_registry_request_options(x->reg, &oq, settings, LEN(settings)) <=
                   LEN(settings));
    }
    oq.date = d0;
    Q(NULL, cpw_registry_request_options(x->reg, &oq, settings, 0),
      cpw_registry_request_options(x->reg, &oq, NULL, SIZE_MAX));
    oq.version = 0;
    Q(NULL, 0, cpw_registry_request_options(x->reg, &oq, settings, LEN(settings)));
    oq.version = UINT_MAX;
    Q(NULL, 0, cpw_registry_request_options(x->reg, &oq, settings, LEN(settings)));
  }
  Q(NULL, CPW_EINVALID, cpw_registry_current(NULL, "child-1", info));
  Q(NULL, CPW_EINVALID, cpw_registry_current(x->reg, "child-1", NULL));
  Q(NULL, CPW_ENOTFOUND, cpw_registry_current(x->reg, NULL, info));
  for (i = 0; unknown_name(i) != NULL; i++)
    Q(NULL, CPW_ENOTFOUND, cpw_registry_current(x->reg, unknown_name(i), info));
  Q(NULL, CPW_ESTATE, cpw_registry_current(x->reg, "c", info));
  Q(NULL, 0, cpw_registry_reviews_due(NULL, CPW_DATE_MAX, info, LEN(info)));
  Q(NULL, 0, cpw_registry_aging_out(NULL, CPW_DATE_MAX, info, LEN(info)));
  for (i = 0; i < LEN(bad_dates); i++) {
    Q(NULL, 1, cpw_registry_reviews_due(x->reg, bad_dates[i], info, LEN(info)) <= 3);
    Q(NULL, 1, cpw_registry_aging_out(x->reg, bad_dates[i], info, LEN(info)) <= 3);
  }
  Q(NULL, cpw_registry_reviews_due(x->reg, CPW_DATE_MAX, info, 0),
    cpw_registry_reviews_due(x->reg, CPW_DATE_MAX, NULL, SIZE_MAX));
  Q(NULL, cpw_registry_aging_out(x->reg, CPW_DATE_MAX, info, 0),
    cpw_registry_aging_out(x->reg, CPW_DATE_MAX, NULL, SIZE_MAX));
  Q(NULL, CPW_EINVALID, cpw_registry_occupancy(NULL, "kojori"));
  Q(NULL, CPW_ENOTFOUND, cpw_registry_occupancy(x->reg, NULL));
  for (i = 0; unknown_name(i) != NULL; i++)
    Q(NULL, CPW_ENOTFOUND, cpw_registry_occupancy(x->reg, unknown_name(i)));
  Q(NULL, 0, cpw_registry_episode_count(NULL));

  /* indicators */
  RC(NULL, CPW_EINVALID, cpw_registry_indicators(x->reg, NULL, d0, d0, NULL, &ind));
  ISNULL(ind);
  RC(x->ctx, CPW_EINVALID, cpw_registry_indicators(NULL, x->ctx, d0, d0, NULL, &ind));
  RC(x->ctx, CPW_EINVALID, cpw_registry_indicators(x->reg, x->ctx, d0, d0, NULL, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_registry_indicators(x->reg, x->ctx, d0 + 1, d0, NULL, &ind));
  for (i = 0; i < LEN(bad_dates); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_registry_indicators(x->reg, x->ctx, bad_dates[i], d0, NULL,
                                                     &ind));
    RC(x->ctx, CPW_EINVALID, cpw_registry_indicators(x->reg, x->ctx, d0, bad_dates[i], NULL,
                                                     &ind));
  }
  for (i = 0; unknown_name(i) != NULL; i++) {
    if (!utf8_ok(unknown_name(i)))
      continue; /* below */
    OK(x->ctx, cpw_registry_indicators(x->reg, x->ctx, d0, d0, unknown_name(i), &ind));
    if (unknown_name(i) != g_long_ka) /* c-old was placed in that region */
      Q(NULL, 0, cpw_indicators_summary(ind)->placed_at_end); /* nobody is placed there */
    VOID(cpw_indicators_free(ind));
  }
  for (i = 0; i < LEN(BAD_UTF8); i++)
    RC(x->ctx, CPW_EINVALID, cpw_registry_indicators(x->reg, x->ctx, d0, d0, BAD_UTF8[i], &ind));
  {
    /* a long Georgian region, where c-old is placed: the formats stay UTF-8 */
    int fmt;
    OK(x->ctx, cpw_registry_indicators(x->reg, x->ctx, CPW_DATE_MIN, CPW_DATE_MAX, g_long_ka,
                                       &ind));
    Q(NULL, 1, cpw_indicators_summary(ind)->entries);
    for (fmt = CPW_INDICATORS_TABLE; fmt <= CPW_INDICATORS_JSON; fmt++) {
      OK(x->ctx, cpw_indicators_format(ind, x->ctx, fmt, &out, NULL));
      Q(NULL, 1, utf8_ok(out));
      cpw_free(x->ctx, out);
    }
    cpw_indicators_free(ind);
  }
  /* the whole date range: one month end per month, some 120 000 of them */
  OK(x->ctx, cpw_registry_indicators(x->reg, x->ctx, CPW_DATE_MIN, CPW_DATE_MAX, NULL, &ind));
  Q(NULL, 1, cpw_indicators_series_count(ind) >= 119988);
  ISNULL(cpw_indicators_summary(NULL));
  ISNULL(cpw_indicators_care(NULL));
  Q(NULL, cpw_indicators_summary(ind)->exits,
    cpw_indicators_care(ind)->left_care + cpw_indicators_care(ind)->moved_within_care);
  Q(NULL, 0, cpw_indicators_at_end(NULL, 0));
  Q(NULL, 0, cpw_indicators_at_end(ind, SIZE_MAX));
  Q(NULL, 0, cpw_indicators_entries(NULL, 0));
  Q(NULL, 0, cpw_indicators_entries(ind, SIZE_MAX));
  Q(NULL, 0, cpw_indicators_exits(NULL, 0, 0));
  Q(NULL, 0, cpw_indicators_exits(ind, SIZE_MAX, 0));
  Q(NULL, 0, cpw_indicators_exits(ind, 0, -1));
  Q(NULL, 0, cpw_indicators_exits(ind, 0, CPW_EXIT_REASON_COUNT));
  Q(NULL, 0, cpw_indicators_exits(ind, 0, INT_MIN));
  Q(NULL, 0, cpw_indicators_exits(ind, 0, INT_MAX));
  /* by key: NULLs, unknown keys (hostile text is never quoted), every key answers */
  {
    double v = 1;
    size_t k;
    ISNULL(cpw_indicator_key(SIZE_MAX));
    Q(NULL, CPW_EINVALID, cpw_indicators_value(NULL, "moves", &v));
    Q(NULL, 1, v == 0);
    Q(NULL, CPW_EINVALID, cpw_indicators_value(ind, NULL, &v));
    Q(NULL, CPW_EINVALID, cpw_indicators_value(ind, "moves", NULL));
    Q(NULL, CPW_ENOTFOUND, cpw_indicators_value(ind, "", &v));
    Q(NULL, CPW_ENOTFOUND, cpw_indicators_value(ind, "Moves", &v));
    Q(NULL, CPW_ENOTFOUND, cpw_indicators_value(ind, "moves ", &v));
    Q(NULL, CPW_ENOTFOUND, cpw_indicators_value(ind, g_long_ka, &v));
    Q(NULL, 1, strstr(cpw_ctx_last_error(x->ctx)->message, "known: placed_at_end") != NULL);
    Q(NULL, 1, strstr(cpw_ctx_last_error(x->ctx)->message, "'") == NULL);
    for (i = 0; i < LEN(BAD_UTF8); i++)
      Q(NULL, CPW_ENOTFOUND, cpw_indicators_value(ind, BAD_UTF8[i], &v));
    for (k = 0; cpw_indicator_key(k) != NULL; k++)
      Q(NULL, CPW_OK, cpw_indicators_value(ind, cpw_indicator_key(k), &v));
    Q(NULL, 1, k >= 15);
  }
  Q(NULL, 0, cpw_indicators_series_count(NULL));
  Q(NULL, CPW_EINVALID, cpw_indicators_series(NULL, 0, &date, &res));
  Q(NULL, CPW_EINVALID, cpw_indicators_series(ind, SIZE_MAX, &date, &res));
  Q(NULL, CPW_OK, cpw_indicators_series(ind, 0, NULL, NULL));
  Q(NULL, 12345, date + res - 12345);
  RC(NULL, CPW_EINVALID, cpw_indicators_format(ind, NULL, CPW_INDICATORS_JSON, &out, &len));
  ISNULL(out);
  RC(x->ctx, CPW_EINVALID, cpw_indicators_format(NULL, x->ctx, CPW_INDICATORS_JSON, &out,
                                                 &len));
  RC(x->ctx, CPW_EINVALID, cpw_indicators_format(ind, x->ctx, CPW_INDICATORS_JSON, NULL,
                                                 &len));
  for (i = 0; i < LEN(formats); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_indicators_format(ind, x->ctx, formats[i], &out, &len));
    ISNULL(out);
  }
  Q(NULL, 12345, len);
  for (i = CPW_INDICATORS_TABLE; i <= CPW_INDICATORS_JSON; i++) {
    OK(x->ctx, cpw_indicators_format(ind, x->ctx, (int)i, &out, NULL));
    Q(NULL, 1, utf8_ok(out));
    VOID(cpw_free(x->ctx, out));
  }
  VOID(cpw_indicators_free(ind));
  VOID(cpw_indicators_free(NULL));
}

/* ------------------------------------------------------------------ journal.h */

static int stop_at_first(const cpw_journal_entry *e, void *payload)
{
  (void)e;
  ++*(int *)payload;
  return 1;
}

static void test_hostile__journal(void **state)
{
  hx *x = *state;
  static const cpw_date bad_dates[] = { INT32_MIN, CPW_DATE_MIN - 1, CPW_DATE_MAX + 1,
                                        INT32_MAX };
  static const int kinds[] = { 0, 5, -1, INT_MIN, INT_MAX };
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_journal *j = (cpw_journal *)x, *ro = NULL;
  cpw_journal_recovery info;
  cpw_journal_entry e;
  cpw_field_value fv[24];
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  cpw_caseload *cl2 = NULL;
  cpw_registry *reg2 = NULL;
  cpw_case *c = NULL;
  char path[700];
  char *chunk;
  int calls = 0;
  size_t i;
  cpw_time t0 = at_noon(2024, 3, 5);
  cpw_date d0 = ymd(2024, 2, 1);

  RC(NULL, CPW_EINVALID, cpw_journal_options_init(NULL, CPW_JOURNAL_OPTIONS_VERSION));
  RC(NULL, CPW_EVERSION, cpw_journal_options_init(&o, 0));
  RC(NULL, CPW_EVERSION, cpw_journal_options_init(&o, UINT_MAX));
  OK(NULL, cpw_journal_options_init(&o, CPW_JOURNAL_OPTIONS_VERSION));

  /* opening */
  o.flags = CPW_JOURNAL_CREATE;
  RC(x->ctx, CPW_EINVALID, cpw_journal_open(NULL, x->ctx, x->path, x->pol, &o));
  RC(NULL, CPW_EINVALID, cpw_journal_open(&j, NULL, x->path, x->pol, &o));
  ISNULL(j);
  RC(x->ctx, CPW_EINVALID, cpw_journal_open(&j, x->ctx, NULL, x->pol, &o));
  RC(x->ctx, CPW_EINVALID, cpw_journal_open(&j, x->ctx, x->path, NULL, &o));
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, "", x->pol, &o));
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, g_long, x->pol, &o));
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, x->dir, x->pol, &o)); /* a directory */
  snprintf(path, sizeof path, "%s/missing/j.cpwj", x->dir);
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, path, x->pol, &o));
  o.version = 0;
  RC(x->ctx, CPW_EVERSION, cpw_journal_open(&j, x->ctx, x->path, x->pol, &o));
  o.version = UINT_MAX;
  RC(x->ctx, CPW_EVERSION, cpw_journal_open(&j, x->ctx, x->path, x->pol, &o));
  o.version = CPW_JOURNAL_OPTIONS_VERSION;
  o.flags = CPW_JOURNAL_CREATE | 0x100u;
  RC(x->ctx, CPW_EINVALID, cpw_journal_open(&j, x->ctx, x->path, x->pol, &o));
  o.flags = UINT_MAX;
  RC(x->ctx, CPW_EINVALID, cpw_journal_open(&j, x->ctx, x->path, x->pol, &o));
  o.flags = CPW_JOURNAL_READONLY;
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, x->path, NULL, &o)); /* no file yet */
  ISNULL(j);
  /* paths that are not regular files: refused, and a FIFO does not block the open */
  snprintf(path, sizeof path, "%s/fifo", x->dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, path, NULL, &o));
  RC(x->ctx, CPW_EIO, cpw_journal_verify(x->ctx, path, &info));
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, "/dev/null", NULL, &o));
  o.flags = CPW_JOURNAL_CREATE;
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, path, x->pol, &o));
  RC(x->ctx, CPW_EIO, cpw_journal_open(&j, x->ctx, "/dev/null", x->pol, &o));
  o.flags = CPW_JOURNAL_READONLY;
  /* files that are not journals */
  snprintf(path, sizeof path, "%s/bad.cpwj", x->dir);
  assert_int_equal(jt_write_file(path, "", 0), 0);
  RC(x->ctx, CPW_ECORRUPT, cpw_journal_open(&j, x->ctx, path, NULL, &o));
  RC(x->ctx, CPW_ECORRUPT, cpw_journal_verify(x->ctx, path, &info));
  assert_int_equal(jt_write_file(path, g_long, 4096), 0);
  RC(x->ctx, CPW_ECORRUPT, cpw_journal_open(&j, x->ctx, path, NULL, &o));
  RC(x->ctx, CPW_ECORRUPT, cpw_journal_verify(x->ctx, path, &info));
  o.flags = 0;
  RC(x->ctx, CPW_ECORRUPT, cpw_journal_open(&j, x->ctx, path, x->pol, &o));
  ISNULL(j);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = 0;
  OK(x->ctx, cpw_journal_open(&j, x->ctx, x->path, x->pol, &o));
  o.flags = 0;
  RC(x->ctx, CPW_EBUSY, cpw_journal_open(&ro, x->ctx, x->path, x->pol, &o)); /* one writer */
  ISNULL(ro);
  VOID(cpw_journal_close(NULL));
  ISNULL(cpw_journal_recovery_info(NULL));
  Q(NULL, 0, cpw_journal_pending(NULL));
  ISNULL(cpw_journal_head_hash(NULL));
  ISNULL(cpw_journal_policy_hash(NULL));
  STR("unknown", cpw_journal_kind_name(0));
  STR("annotation", cpw_journal_kind_name(CPW_JOURNAL_ANNOTATION));
  STR("unknown", cpw_journal_kind_name(INT_MAX));
  STR(cpw_journal_policy_hash(j), cpw_policy_hash(x->pol));

  /* appending: kinds, strings, field lists */
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.name = "note";
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(NULL, x->ctx, &e));
  RC(NULL, CPW_EINVALID, cpw_journal_append(NULL, NULL, &e));
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, NULL));
  for (i = 0; i < LEN(kinds); i++) {
    e.kind = kinds[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, NULL, &e)); /* the journal's own context */
  }
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.actor = g_long;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  e.actor = NULL; /* every entry names its actor */
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  e.actor = "u\nh";
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  e.name = "policy_changed"; /* the journal's own topic */
  e.actor = "u-h";
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  e.name = "note";
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    e.actor = BAD_UTF8[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
    e.actor = "u-h";
    e.role = BAD_UTF8[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
    e.role = NULL;
    e.subject = BAD_UTF8[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
    e.subject = NULL;
    e.name = BAD_UTF8[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
    e.name = "note";
    fv[0].field = "f";
    fv[0].value = BAD_UTF8[i];
    e.fields = fv;
    e.nfields = 1;
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
    fv[0].field = BAD_UTF8[i];
    fv[0].value = "v";
    RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  }
  e.fields = NULL;
  e.nfields = 1;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  e.nfields = SIZE_MAX;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  e.fields = fv;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e)); /* refused before reading */
  e.nfields = 65536;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  fv[0].field = NULL;
  fv[0].value = "v";
  e.nfields = 1;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  /* strings of 65534 bytes are the longest: 65535 is refused */
  chunk = malloc(65536);
  assert_non_null(chunk);
  memset(chunk, 'z', 65535);
  chunk[65535] = '\0';
  e.fields = NULL;
  e.nfields = 0;
  e.subject = chunk;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(j, x->ctx, &e));
  chunk[65534] = '\0';
  OK(x->ctx, cpw_journal_append(j, x->ctx, &e));
  e.subject = NULL;
  e.fields = fv;
  free(chunk);
  /* an entry of more than 1 MiB, made of strings each under the 65534-byte limit */
  chunk = malloc(60001);
  assert_non_null(chunk);
  memset(chunk, 'z', 60000);
  chunk[60000] = '\0';
  for (i = 0; i < LEN(fv); i++) {
    fv[i].field = "f";
    fv[i].value = chunk;
  }
  e.nfields = LEN(fv);
  RC(x->ctx, CPW_ELIMIT, cpw_journal_append(j, x->ctx, &e));
  free(chunk);
  Q(NULL, 0, cpw_journal_pending(j));
  Q(NULL, 1, cpw_journal_recovery_info(j)->entries); /* nothing else was appended */
  /* the extremes of time and empty strings are fine */
  e.nfields = 0;
  e.at = INT64_MIN;
  OK(x->ctx, cpw_journal_append(j, x->ctx, &e));
  e.at = INT64_MAX;
  e.name = "";
  OK(x->ctx, cpw_journal_append(j, NULL, &e));
  RC(x->ctx, CPW_EINVALID, cpw_journal_commit(NULL, x->ctx));
  RC(NULL, CPW_EINVALID, cpw_journal_commit(NULL, NULL));
  OK(x->ctx, cpw_journal_commit(j, NULL));

  /* cases through the journal */
  RC(NULL, CPW_EINVALID, cpw_journal_case_open(NULL, NULL, &c, "j1", "referral", NOFIELDS, t0,
                                               "u", "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(NULL, x->cl, &c, "j1", "referral", NOFIELDS,
                                                 t0, "u", "intake_officer"));
  RC(NULL, CPW_EINVALID, cpw_journal_case_open(j, NULL, &c, "j1", "referral", NOFIELDS, t0, "u",
                                               "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(j, x->cl, &c, NULL, "referral", NOFIELDS, t0,
                                                 "u", "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(j, x->cl, &c, g_long, "referral", NOFIELDS, t0,
                                                 "u", "intake_officer"));
  RC(x->ctx, CPW_EEXISTS, cpw_journal_case_open(j, x->cl, &c, "case-1", "referral", NOFIELDS,
                                                t0, "u", "intake_officer"));
  for (i = 0; unknown_name(i) != NULL; i++) {
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_case_open(j, x->cl, &c, "j1", unknown_name(i),
                                                    NOFIELDS, t0, "u", "intake_officer"));
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_case_open(j, x->cl, &c, "j1", "referral", NOFIELDS,
                                                    t0, "u", unknown_name(i)));
  }
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(j, x->cl, &c, BAD_UTF8[i], "referral",
                                                   NOFIELDS, t0, "u", "intake_officer"));
    RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(j, x->cl, &c, "j1", "referral", NOFIELDS,
                                                   t0, BAD_UTF8[i], "intake_officer"));
  }
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(j, x->cl, &c, "j1", "referral", NOFIELDS, t0,
                                                 g_long, "intake_officer"));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(j, x->cl, &c, "j1", "referral", NULL,
                                                 SIZE_MAX, t0, "u", "intake_officer"));
  ISNULL(cpw_caseload_find(x->cl, "j1")); /* nothing was opened */
  OK(x->ctx, cpw_journal_case_open(j, x->cl, &c, "j1", "referral", NOFIELDS, t0, "u",
                                   "intake_officer"));
  RC(NULL, CPW_EINVALID, cpw_journal_case_apply(j, NULL, "register", "u", "intake_officer", t0,
                                                NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_apply(NULL, c, "register", "u", "intake_officer",
                                                  t0, NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_apply(j, c, NULL, "u", "intake_officer", t0,
                                                  NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_apply(j, c, "register", "u", NULL, t0, NOFIELDS));
  for (i = 0; unknown_name(i) != NULL; i++) {
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_case_apply(j, c, unknown_name(i), "u",
                                                     "intake_officer", t0, NOFIELDS));
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_case_apply(j, c, "register", "u", unknown_name(i),
                                                     t0, NOFIELDS));
  }
  for (i = 0; i < LEN(BAD_UTF8); i++)
    RC(x->ctx, CPW_EINVALID, cpw_journal_case_apply(j, c, "register", BAD_UTF8[i],
                                                    "intake_officer", t0, NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_apply(j, c, "register", g_long, "intake_officer",
                                                  t0, NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_apply(j, c, "register", "u", "intake_officer", t0,
                                                  NULL, SIZE_MAX));
  RC(x->ctx, CPW_EDENIED, cpw_journal_case_apply(j, c, "register", "u", "intake_officer",
                                                 INT64_MIN, NOFIELDS));
  Q(NULL, 1, cpw_case_event_count(c)); /* nothing was applied */
  OK(x->ctx, cpw_journal_case_apply(j, c, "register", "u", "intake_officer", t0, NOFIELDS));

  /* placements through the journal */
  RC(NULL, CPW_EINVALID, cpw_journal_add_facility(j, NULL, "jf", "institution", "F", "R", 1, 6,
                                                  17));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(NULL, x->reg, "jf", "institution", "F", "R",
                                                    1, 6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(j, x->reg, NULL, "institution", "F", "R", 1,
                                                    6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(j, x->reg, g_long, "institution", "F", "R",
                                                    1, 6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(j, x->reg, "jf", "institution", g_long, "R",
                                                    1, 6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(j, x->reg, "jf", "institution", "F", g_long,
                                                    1, 6, 17));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(j, x->reg, "jf", "institution", "F", "R",
                                                    INT_MAX, 6, 17));
  for (i = 0; unknown_name(i) != NULL; i++)
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_add_facility(j, x->reg, "jf", unknown_name(i), "F",
                                                       "R", 1, 6, 17));
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(j, x->reg, BAD_UTF8[i], "institution",
                                                      "F", "R", 1, 6, 17));
    RC(x->ctx, CPW_EINVALID, cpw_journal_add_facility(j, x->reg, "jf", "institution",
                                                      BAD_UTF8[i], "R", 1, 6, 17));
    RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(j, x->reg, BAD_UTF8[i], d0, NULL));
    RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(j, x->reg, "jc", d0, BAD_UTF8[i]));
  }
  Q(NULL, CPW_ENOTFOUND, cpw_registry_occupancy(x->reg, "jf"));
  RC(NULL, CPW_EINVALID, cpw_journal_add_child(j, NULL, "jc", d0, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(NULL, x->reg, "jc", d0, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(j, x->reg, NULL, d0, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(j, x->reg, g_long, d0, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(j, x->reg, "jc", d0, g_long));
  RC(x->ctx, CPW_EEXISTS, cpw_journal_add_child(j, x->reg, "child-1", d0, NULL));
  for (i = 0; i < LEN(bad_dates); i++)
    RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(j, x->reg, "jc", bad_dates[i], NULL));
  OK(x->ctx, cpw_journal_add_child(j, x->reg, "jc", ymd(2010, 1, 1), NULL));
  RC(NULL, CPW_EINVALID, cpw_journal_place(j, NULL, &req));
  RC(NULL, CPW_EINVALID, cpw_journal_move(j, NULL, &req));
  RC(x->ctx, CPW_EINVALID, cpw_journal_place(NULL, x->reg, &req));
  RC(x->ctx, CPW_EINVALID, cpw_journal_move(NULL, x->reg, &req));
  RC(x->ctx, CPW_EINVALID, cpw_journal_place(j, x->reg, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_move(j, x->reg, NULL));
  req.child = "jc";
  req.setting = "kinship";
  req.date = d0;
  req.role = "social_worker";
  req.version = 0;
  RC(x->ctx, CPW_EVERSION, cpw_journal_place(j, x->reg, &req));
  req.version = CPW_PLACEMENT_REQUEST_VERSION;
  req.flags = 0x80u;
  RC(x->ctx, CPW_EINVALID, cpw_journal_place(j, x->reg, &req));
  req.flags = 0;
  for (i = 0; unknown_name(i) != NULL; i++) {
    req.child = unknown_name(i);
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_place(j, x->reg, &req));
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_move(j, x->reg, &req));
    req.child = "jc";
  }
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    req.actor = BAD_UTF8[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_place(j, x->reg, &req));
    req.actor = "u";
    req.reason = BAD_UTF8[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_place(j, x->reg, &req));
    req.reason = NULL;
  }
  req.reason = g_long;
  RC(x->ctx, CPW_EINVALID, cpw_journal_place(j, x->reg, &req));
  req.reason = NULL;
  for (i = 0; i < LEN(bad_dates); i++) {
    req.date = bad_dates[i];
    RC(x->ctx, CPW_EINVALID, cpw_journal_place(j, x->reg, &req));
  }
  req.date = d0;
  RC(x->ctx, CPW_ESTATE, cpw_journal_move(j, x->reg, &req));
  {
    cpw_placement_info pi;
    Q(NULL, CPW_ESTATE, cpw_registry_current(x->reg, "jc", &pi)); /* nothing was placed */
  }
  OK(x->ctx, cpw_journal_place(j, x->reg, &req));
  RC(NULL, CPW_EINVALID, cpw_journal_end_placement(j, NULL, "jc", d0, CPW_EXIT_OTHER, "u",
                                                   "social_worker"));
  RC(x->ctx, CPW_EINVALID, cpw_journal_end_placement(NULL, x->reg, "jc", d0, CPW_EXIT_OTHER,
                                                     "u", "social_worker"));
  RC(NULL, CPW_EINVALID, cpw_journal_review_placement(j, NULL, "jc", d0, "u",
                                                      "social_worker"));
  RC(x->ctx, CPW_EINVALID, cpw_journal_review_placement(NULL, x->reg, "jc", d0, "u",
                                                        "social_worker"));
  RC(x->ctx, CPW_ENOTFOUND, cpw_journal_end_placement(j, x->reg, NULL, d0, CPW_EXIT_OTHER, "u",
                                                      "s"));
  RC(x->ctx, CPW_ENOTFOUND, cpw_journal_review_placement(j, x->reg, NULL, d0, "u", "s"));
  for (i = 0; unknown_name(i) != NULL; i++) {
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_end_placement(j, x->reg, unknown_name(i), d0,
                                                        CPW_EXIT_OTHER, "u", "s"));
    RC(x->ctx, CPW_ENOTFOUND, cpw_journal_review_placement(j, x->reg, unknown_name(i), d0, "u",
                                                           "s"));
  }
  RC(x->ctx, CPW_EINVALID, cpw_journal_end_placement(j, x->reg, "jc", d0, -1, "u", "s"));
  RC(x->ctx, CPW_EINVALID, cpw_journal_end_placement(j, x->reg, "jc", d0, INT_MAX, "u", "s"));
  for (i = 0; i < LEN(bad_dates); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_journal_end_placement(j, x->reg, "jc", bad_dates[i],
                                                       CPW_EXIT_OTHER, "u", "s"));
    RC(x->ctx, CPW_EINVALID, cpw_journal_review_placement(j, x->reg, "jc", bad_dates[i], "u",
                                                          "s"));
  }
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    RC(x->ctx, CPW_EINVALID, cpw_journal_end_placement(j, x->reg, "jc", d0, CPW_EXIT_OTHER,
                                                       BAD_UTF8[i], "s"));
    RC(x->ctx, CPW_EINVALID, cpw_journal_review_placement(j, x->reg, "jc", d0, "u",
                                                          BAD_UTF8[i]));
  }
  OK(x->ctx, cpw_journal_review_placement(j, x->reg, "jc", d0, "u", "social_worker"));
  /* a journaled ending names its actor (the registry's own function need not) */
  RC(x->ctx, CPW_EINVALID, cpw_journal_end_placement(j, x->reg, "jc", CPW_DATE_MAX,
                                                     CPW_EXIT_AGED_OUT, NULL, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_end_placement(j, x->reg, "jc", CPW_DATE_MAX,
                                                     CPW_EXIT_AGED_OUT, "", NULL));
  OK(x->ctx, cpw_journal_end_placement(j, x->reg, "jc", CPW_DATE_MAX, CPW_EXIT_AGED_OUT, "u",
                                       NULL));

  /* reading back */
  RC(x->ctx, CPW_EINVALID, cpw_journal_foreach(NULL, x->ctx, stop_at_first, &calls));
  RC(NULL, CPW_EINVALID, cpw_journal_foreach(NULL, NULL, stop_at_first, &calls));
  RC(x->ctx, CPW_EINVALID, cpw_journal_foreach(j, x->ctx, NULL, &calls));
  RC(x->ctx, CPW_EUSER, cpw_journal_foreach(j, x->ctx, stop_at_first, &calls));
  Q(NULL, 1, calls);
  RC(NULL, CPW_EINVALID, cpw_journal_replay(j, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_replay(NULL, x->cl));
  RC(NULL, CPW_EINVALID, cpw_journal_replay_registry(j, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_replay_registry(NULL, x->reg));
  /* replaying into objects of another policy, or that are not new */
  assert_int_equal(cpw_caseload_new(&cl2, x->ctx, x->hp), CPW_OK);
  RC(x->ctx, CPW_EINVALID, cpw_journal_replay(j, cl2));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_open(j, cl2, &c, "k1", "referral", NOFIELDS, t0,
                                                 "u", "intake_officer"));
  cpw_caseload_free(cl2);
  RC(x->ctx, CPW_ECORRUPT, cpw_journal_replay(j, x->cl)); /* j1 is open already */
  RC(x->ctx, CPW_ECORRUPT, cpw_journal_replay_registry(j, x->reg)); /* jc is registered */
  assert_int_equal(cpw_caseload_new(&cl2, x->ctx, x->pol), CPW_OK);
  OK(x->ctx, cpw_journal_replay(j, cl2));
  NOTNULL(cpw_caseload_find(cl2, "j1"));
  cpw_caseload_free(cl2);
  assert_int_equal(cpw_registry_new(&reg2, x->ctx, x->pol), CPW_OK);
  OK(x->ctx, cpw_journal_replay_registry(j, reg2));
  Q(NULL, 1, cpw_registry_episode_count(reg2));
  cpw_registry_free(reg2);

  /* verifying */
  RC(NULL, CPW_EINVALID, cpw_journal_verify(NULL, x->path, &info));
  RC(x->ctx, CPW_EINVALID, cpw_journal_verify(x->ctx, NULL, &info));
  RC(x->ctx, CPW_EINVALID, cpw_journal_verify(x->ctx, x->path, NULL));
  RC(x->ctx, CPW_EIO, cpw_journal_verify(x->ctx, "", &info));
  RC(x->ctx, CPW_EIO, cpw_journal_verify(x->ctx, g_long, &info));
  RC(x->ctx, CPW_EIO, cpw_journal_verify(x->ctx, "/nonexistent/\xff", &info));
  RC(x->ctx, CPW_EIO, cpw_journal_verify(x->ctx, x->dir, &info));
  OK(x->ctx, cpw_journal_verify(x->ctx, x->path, &info));
  STR(cpw_journal_head_hash(j), info.head_hash);
  {
    /* checking and repairing: bad arguments, versions, paths; a writer holds the lock */
    cpw_journal_status st = CPW_JOURNAL_STATUS_INIT, old = CPW_JOURNAL_STATUS_INIT;
    char aside[600];
    snprintf(aside, sizeof aside, "%s/aside.bin", x->dir);
    RC(NULL, CPW_EINVALID, cpw_journal_check(NULL, x->path, &st));
    RC(x->ctx, CPW_EINVALID, cpw_journal_check(x->ctx, NULL, &st));
    RC(x->ctx, CPW_EINVALID, cpw_journal_check(x->ctx, x->path, NULL));
    RC(x->ctx, CPW_EIO, cpw_journal_check(x->ctx, "", &st));
    RC(x->ctx, CPW_EIO, cpw_journal_check(x->ctx, g_long, &st));
    RC(x->ctx, CPW_EIO, cpw_journal_check(x->ctx, x->dir, &st));
    old.version = 0;
    RC(x->ctx, CPW_EVERSION, cpw_journal_check(x->ctx, x->path, &old));
    old.version = 99;
    RC(x->ctx, CPW_EVERSION, cpw_journal_repair(x->ctx, x->path, aside, &old));
    OK(x->ctx, cpw_journal_check(x->ctx, x->path, &st));
    STR(cpw_journal_head_hash(j), st.rec.head_hash);
    RC(NULL, CPW_EINVALID, cpw_journal_repair(NULL, x->path, aside, &st));
    RC(x->ctx, CPW_EINVALID, cpw_journal_repair(x->ctx, NULL, aside, &st));
    RC(x->ctx, CPW_EINVALID, cpw_journal_repair(x->ctx, x->path, NULL, &st));
    RC(x->ctx, CPW_EINVALID, cpw_journal_repair(x->ctx, x->path, aside, NULL));
    RC(x->ctx, CPW_EIO, cpw_journal_repair(x->ctx, g_long, aside, &st));
    RC(x->ctx, CPW_EBUSY, cpw_journal_repair(x->ctx, x->path, aside, &st));
  }

  /* a hook that stops, and a group commit that never comes: CPW_EUSER, entries kept */
  VOID(cpw_journal_close(j));
  o.flags = 0;
  o.group_commit = SIZE_MAX;
  o.hook = stop_at_first;
  o.hook_payload = &calls;
  OK(x->ctx, cpw_journal_open(&j, x->ctx, x->path, x->pol, &o));
  OK(x->ctx, cpw_journal_append(j, x->ctx, &e));
  Q(NULL, 1, cpw_journal_pending(j));
  calls = 0;
  RC(x->ctx, CPW_EUSER, cpw_journal_commit(j, x->ctx));
  Q(NULL, 1, calls);
  Q(NULL, 0, cpw_journal_pending(j));
  OK(x->ctx, cpw_journal_append(j, x->ctx, &e)); /* left pending: close commits it */
  VOID(cpw_journal_close(j));
  OK(x->ctx, cpw_journal_verify(x->ctx, x->path, &info));
  o.group_commit = 0;
  o.hook = NULL;
  OK(x->ctx, cpw_journal_open(&j, x->ctx, x->path, x->pol, &o));
  Q(NULL, info.entries, cpw_journal_recovery_info(j)->entries);

  /* read-only: every write is refused */
  o.flags = CPW_JOURNAL_READONLY;
  OK(x->ctx, cpw_journal_open(&ro, x->ctx, x->path, NULL, &o));
  e.kind = CPW_JOURNAL_ANNOTATION;
  e.name = "note";
  e.nfields = 0;
  RC(x->ctx, CPW_EINVALID, cpw_journal_append(ro, x->ctx, &e));
  RC(x->ctx, CPW_EINVALID, cpw_journal_case_apply(ro, x->c, "start_assessment", "u",
                                                  "social_worker", t0, NOFIELDS));
  RC(x->ctx, CPW_EINVALID, cpw_journal_add_child(ro, x->reg, "jd", d0, NULL));
  RC(x->ctx, CPW_EINVALID, cpw_journal_commit(ro, x->ctx));
  VOID(cpw_journal_close(ro));
  VOID(cpw_journal_close(j));
}

/* ------------------------------------------------------------------ main */

static int group_setup(void **state)
{
  size_t i;
  (void)state;
  g_long = malloc(MIB + 1);
  g_long_ka = malloc(MIB + 1);
  if (g_long == NULL || g_long_ka == NULL)
    return -1;
  memset(g_long, 'z', MIB);
  g_long[MIB] = '\0';
  for (i = 0; i + 3 <= MIB; i += 3)
    memcpy(g_long_ka + i, "\xe1\x83\x90", 3);
  g_long_ka[i] = '\0';
  return 0;
}

static int group_teardown(void **state)
{
  (void)state;
  free(g_long);
  free(g_long_ka);
  printf("[ hostile  ] %zu calls checked\n", g_ncases);
  return 0;
}

/* ------------------------------------------------------------------ lang.h: languages */

static void test_hostile__languages(void **state)
{
  hx *x = *state;
  static const char *const bad_tags[] = { "1ka", "k a", "ka_GE", "-", "ქა", "" };
  cpw_text_options o = CPW_TEXT_OPTIONS_INIT, bad = CPW_TEXT_OPTIONS_INIT;
  cpw_indicators *ind = NULL;
  char buf[64], *out = (char *)x;
  size_t i, len = 0;
  cpw_date d0 = ymd(2024, 1, 1);
  cpw_record *r = NULL;

  assert_int_equal(cpw_record_new(&r, x->ctx, x->pol), CPW_OK);

  RC(NULL, CPW_EINVALID, cpw_text_options_init(NULL, CPW_TEXT_OPTIONS_VERSION));
  RC(NULL, CPW_EVERSION, cpw_text_options_init(&o, 0));
  RC(NULL, CPW_EVERSION, cpw_text_options_init(&o, UINT_MAX));
  OK(NULL, cpw_text_options_init(&o, CPW_TEXT_OPTIONS_VERSION));
  bad.version = UINT_MAX;

  /* the context's language: a tag, or "" */
  RC(NULL, CPW_EINVALID, cpw_ctx_set_language(NULL, "ka"));
  for (i = 0; i < LEN(bad_tags) - 1; i++)
    RC(x->ctx, CPW_EINVALID, cpw_ctx_set_language(x->ctx, bad_tags[i]));
  RC(x->ctx, CPW_EINVALID, cpw_ctx_set_language(x->ctx, g_long));
  RC(x->ctx, CPW_EINVALID, cpw_ctx_set_language(x->ctx, g_long_ka));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    RC(x->ctx, CPW_EINVALID, cpw_ctx_set_language(x->ctx, BAD_UTF8[i]));
  STR("", cpw_ctx_language(x->ctx));
  STR("", cpw_ctx_language(NULL));
  OK(x->ctx, cpw_ctx_set_language(x->ctx, "xx-YY")); /* any tag: known when text is written */
  STR("xx-YY", cpw_ctx_language(x->ctx));
  /* a language nobody has: calls that write text fail, or fall back (const char *) */
  RC(x->ctx, CPW_ENOTFOUND, cpw_evaluate(x->dec, x->prog, r, d0, CPW_EVAL_EXPLAIN));
  RC(x->ctx, CPW_ENOTFOUND, cpw_workflow_diagram(x->wf, x->ctx, CPW_DIAGRAM_DOT, &out, &len));
  ISNULL(out);
  OK(x->ctx, cpw_ctx_set_language(x->ctx, NULL));
  STR("", cpw_ctx_language(x->ctx));

  /* the catalogue and formats */
  Q(NULL, 2, cpw_language_count());
  STR("en", cpw_language_tag(0));
  STR("ka", cpw_language_tag(1));
  ISNULL(cpw_language_tag(2));
  ISNULL(cpw_language_tag(SIZE_MAX));
  ISNULL(cpw_language_name(NULL));
  ISNULL(cpw_language_name(""));
  ISNULL(cpw_language_name(g_long));
  STR("ქართული", cpw_language_name("ka"));
  ISNULL(cpw_message("ka", NULL));
  ISNULL(cpw_message("ka", g_long));
  ISNULL(cpw_message(g_long, "eligible"));
  ISNULL(cpw_message("xx", "eligible"));
  STR("eligible", cpw_message(NULL, "eligible"));
  STR("ვადაგადაცილებული", cpw_message("ka", "overdue"));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    ISNULL(cpw_message("ka", BAD_UTF8[i]));
  RC(NULL, CPW_EINVALID, cpw_date_format_lang(NULL, 64, d0, "ka"));
  RC(NULL, CPW_EINVALID, cpw_date_format_lang(buf, 0, d0, "ka"));
  RC(NULL, CPW_EINVALID, cpw_date_format_lang(buf, sizeof buf, CPW_DATE_MAX + 1, "ka"));
  RC(NULL, CPW_EINVALID, cpw_date_format_lang(buf, sizeof buf, INT32_MIN, "ka"));
  RC(NULL, CPW_EINVALID, cpw_date_format_lang(buf, sizeof buf, d0, g_long));
  STR("", buf);
  OK(NULL, cpw_date_format_lang(buf, 8, d0, "ka")); /* cut between characters */
  Q(NULL, 1, utf8_ok(buf));
  RC(NULL, CPW_EINVALID, cpw_time_format_lang(NULL, 64, 0, 240, "ka"));
  RC(NULL, CPW_EINVALID, cpw_time_format_lang(buf, sizeof buf, INT64_MAX, 240, "ka"));
  RC(NULL, CPW_EINVALID, cpw_time_format_lang(buf, sizeof buf, 0, INT_MAX, "ka"));
  RC(NULL, CPW_EINVALID, cpw_time_format_lang(buf, sizeof buf, 0, 240, "xx"));
  OK(NULL, cpw_time_format_lang(buf, 3, 0, 240, "ka"));
  Q(NULL, 1, utf8_ok(buf));
  RC(NULL, CPW_EINVALID, cpw_money_format_lang(NULL, 64, 1, "ka"));
  RC(NULL, CPW_EINVALID, cpw_money_format_lang(buf, sizeof buf, 1, "xx"));
  OK(NULL, cpw_money_format_lang(buf, sizeof buf, INT64_MIN, "ka"));
  STR("-92 233 720 368 547 758,08 \xE2\x82\xBE", buf);
  OK(NULL, cpw_money_format_lang(buf, 2, INT64_MAX, NULL));
  RC(NULL, CPW_EINVALID, cpw_number_format_lang(buf, 0, 1, "ka"));
  RC(NULL, CPW_EINVALID, cpw_number_format_lang(buf, sizeof buf, 1, g_long_ka));
  OK(NULL, cpw_number_format_lang(buf, sizeof buf, INT64_MIN, ""));
  STR("-9223372036854775808", buf);

  /* a policy's labels */
  ISNULL(cpw_policy_label(NULL, "ka", "field", "citizenship"));
  ISNULL(cpw_policy_label(x->pol, NULL, "field", "citizenship"));
  ISNULL(cpw_policy_label(x->pol, "ka", NULL, "citizenship"));
  ISNULL(cpw_policy_label(x->pol, "ka", "field", NULL));
  ISNULL(cpw_policy_label(x->pol, "ka", g_long, "citizenship"));
  ISNULL(cpw_policy_label(x->pol, "ka", "field", g_long));
  ISNULL(cpw_policy_label(x->pol, g_long, "field", "citizenship"));
  ISNULL(cpw_policy_label(x->hp, "ka", "field", "citizenship"));
  for (i = 0; i < LEN(BAD_UTF8); i++)
    ISNULL(cpw_policy_label(x->pol, "ka", "field", BAD_UTF8[i]));
  STR("მოქალაქეობა", cpw_policy_label(x->pol, "ka", "field", "citizenship"));
  ISNULL(cpw_policy_name_of_label(NULL, "ka", "field", "მოქალაქეობა"));
  ISNULL(cpw_policy_name_of_label(x->pol, "ka", NULL, "მოქალაქეობა"));
  ISNULL(cpw_policy_name_of_label(x->pol, "ka", "field", NULL));
  ISNULL(cpw_policy_name_of_label(x->pol, "ka", "field", g_long_ka));
  ISNULL(cpw_policy_name_of_label(x->pol, g_long, "field", "მოქალაქეობა"));
  STR("citizenship", cpw_policy_name_of_label(x->pol, NULL, "field", "მოქალაქეობა"));
  STR("citizenship.georgian",
      cpw_policy_name_of_label(x->pol, "ka", "value", "საქართველოს მოქალაქე"));
  Q(NULL, 0, cpw_policy_language_count(NULL));
  Q(NULL, 0, cpw_policy_language_count(x->hp));
  Q(NULL, 2, cpw_policy_language_count(x->pol));
  ISNULL(cpw_policy_language(NULL, 0));
  ISNULL(cpw_policy_language(x->pol, SIZE_MAX));
  STR("ka", cpw_policy_language(x->pol, 0));
  ISNULL(cpw_policy_message(NULL, "ka", "eligible"));
  ISNULL(cpw_policy_message(x->pol, "ka", NULL));
  ISNULL(cpw_policy_message(x->pol, "xx", "eligible"));
  ISNULL(cpw_policy_message(x->pol, "ka", g_long));
  STR("eligible", cpw_policy_message(x->pol, "", "eligible"));

  /* the calls that write text */
  o.lang = "ka";
  RC(NULL, CPW_EINVALID, cpw_evaluate_with(NULL, x->prog, r, d0, CPW_EVAL_EXPLAIN, &o));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_with(x->dec, NULL, r, d0, CPW_EVAL_EXPLAIN, &o));
  RC(x->ctx, CPW_EVERSION, cpw_evaluate_with(x->dec, x->prog, r, d0, CPW_EVAL_EXPLAIN,
                                             &bad));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_with(x->dec, x->prog, r, d0, UINT_MAX, &o));
  RC(x->ctx, CPW_EINVALID, cpw_evaluate_with(x->dec, x->prog, r, CPW_DATE_MAX + 1,
                                             CPW_EVAL_EXPLAIN, &o));
  o.lang = g_long;
  RC(x->ctx, CPW_ENOTFOUND, cpw_evaluate_with(x->dec, x->prog, r, d0, CPW_EVAL_EXPLAIN,
                                              &o));
  STR("", cpw_decision_explain(x->dec));
  for (i = 0; i < LEN(BAD_UTF8); i++) {
    o.lang = BAD_UTF8[i];
    RC(x->ctx, CPW_ENOTFOUND, cpw_evaluate_with(x->dec, x->prog, r, d0,
                                                CPW_EVAL_EXPLAIN, &o));
  }
  o.lang = "ka";
  OK(x->ctx, cpw_evaluate_with(x->dec, x->prog, r, d0, CPW_EVAL_EXPLAIN, &o));
  Q(NULL, 1, utf8_ok(cpw_decision_explain(x->dec)));
  OK(x->ctx, cpw_evaluate_with(x->dec, x->prog, r, d0, 0, &o));

  STR("", cpw_case_explain_with(NULL, &o));
  STR("", cpw_case_explain_with(x->c, &bad));
  o.lang = g_long;
  STR("", cpw_case_explain_with(x->c, &o)); /* no refusal yet */

  o.lang = "ka";
  RC(NULL, CPW_EINVALID, cpw_workflow_diagram_with(x->wf, NULL, CPW_DIAGRAM_DOT, &o, &out, &len));
  RC(x->ctx, CPW_EINVALID, cpw_workflow_diagram_with(NULL, x->ctx, CPW_DIAGRAM_DOT, &o, &out,
                                                      &len));
  RC(x->ctx, CPW_EINVALID, cpw_workflow_diagram_with(x->wf, x->ctx, CPW_DIAGRAM_DOT, &o, NULL,
                                                      &len));
  RC(x->ctx, CPW_EINVALID, cpw_workflow_diagram_with(x->wf, x->ctx, INT_MIN, &o, &out, &len));
  RC(x->ctx, CPW_EVERSION, cpw_workflow_diagram_with(x->wf, x->ctx, CPW_DIAGRAM_MERMAID, &bad,
                                                      &out, &len));
  o.lang = g_long_ka;
  RC(x->ctx, CPW_ENOTFOUND, cpw_workflow_diagram_with(x->wf, x->ctx, CPW_DIAGRAM_MERMAID, &o,
                                                       &out, &len));
  ISNULL(out);
  o.lang = "ka";
  OK(x->ctx, cpw_workflow_diagram_with(x->wf, x->ctx, CPW_DIAGRAM_MERMAID, &o, &out, &len));
  Q(NULL, 1, utf8_ok(out));
  VOID(cpw_free(x->ctx, out));

  OK(x->ctx, cpw_registry_indicators(x->reg, x->ctx, d0, ymd(2024, 12, 31), NULL, &ind));
  RC(NULL, CPW_EINVALID, cpw_indicators_format_with(ind, NULL, CPW_INDICATORS_TABLE, &o, &out,
                                                    &len));
  RC(x->ctx, CPW_EINVALID, cpw_indicators_format_with(NULL, x->ctx, CPW_INDICATORS_TABLE, &o,
                                                      &out, &len));
  RC(x->ctx, CPW_EINVALID, cpw_indicators_format_with(ind, x->ctx, INT_MAX, &o, &out, &len));
  RC(x->ctx, CPW_EVERSION, cpw_indicators_format_with(ind, x->ctx, CPW_INDICATORS_TABLE, &bad,
                                                      &out, &len));
  o.lang = "1x";
  RC(x->ctx, CPW_ENOTFOUND, cpw_indicators_format_with(ind, x->ctx, CPW_INDICATORS_TABLE, &o,
                                                       &out, &len));
  o.lang = "ka";
  OK(x->ctx, cpw_indicators_format_with(ind, x->ctx, CPW_INDICATORS_TABLE, &o, &out, &len));
  Q(NULL, 1, utf8_ok(out));
  VOID(cpw_free(x->ctx, out));
  VOID(cpw_indicators_free(ind));
  cpw_record_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_hostile__context, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__dates, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__calendars, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__policy, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__bases, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__records, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__decisions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__batch, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__workflows, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__cases, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__placements, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__journal, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hostile__languages, setup, teardown),
  };
  return cmocka_run_group_tests_name("hostile", tests, group_setup, group_teardown);
}
