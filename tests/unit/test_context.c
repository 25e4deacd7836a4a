/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of base/context.c: options, allocator, errors, version. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "testalloc.h"

static void test_context__version(void **state)
{
  int a = -1, b = -1, c = -1;
  char expect[32];
  (void)state;
  cpw_version(&a, &b, &c);
  assert_int_equal(a, CPW_VERSION_MAJOR);
  assert_int_equal(b, CPW_VERSION_MINOR);
  assert_int_equal(c, CPW_VERSION_PATCH);
  snprintf(expect, sizeof expect, "%d.%d.%d", a, b, c);
  assert_string_equal(cpw_version_string(), expect);
  assert_string_equal(CPW_VERSION_STRING, expect);
  assert_int_equal(CPW_VERSION_NUMBER, a * 10000 + b * 100 + c);
  assert_true(CPW_VERSION_CHECK(1, 0, 0));
  assert_false(CPW_VERSION_CHECK(CPW_VERSION_MAJOR + 1, 0, 0));
  cpw_version(NULL, NULL, NULL);
}

static void test_context__options(void **state)
{
  cpw_ctx_options o;
  cpw_ctx *ctx = NULL;
  (void)state;
  assert_int_equal(cpw_ctx_options_init(NULL, 1), CPW_EINVALID);
  assert_int_equal(cpw_ctx_options_init(&o, 0), CPW_EVERSION);
  assert_int_equal(cpw_ctx_options_init(&o, CPW_CTX_OPTIONS_VERSION + 1), CPW_EVERSION);
  assert_int_equal(cpw_ctx_options_init(&o, CPW_CTX_OPTIONS_VERSION), CPW_OK);
  assert_int_equal(o.version, CPW_CTX_OPTIONS_VERSION);
  assert_null(o.allocator.realloc);
  assert_int_equal(cpw_ctx_new(NULL, &o), CPW_EINVALID);
  o.version = 99;
  assert_int_equal(cpw_ctx_new(&ctx, &o), CPW_EVERSION);
  assert_null(ctx);
  o.version = 0;
  assert_int_equal(cpw_ctx_new(&ctx, &o), CPW_EVERSION);
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  assert_non_null(ctx);
  cpw_ctx_free(ctx);
  cpw_ctx_free(NULL);
}

static void test_context__errors(void **state)
{
  cpw_ctx *ctx = NULL;
  const cpw_error *e;
  (void)state;
  assert_int_equal(cpw_ctx_new(&ctx, NULL), CPW_OK);
  e = cpw_ctx_last_error(ctx);
  assert_int_equal(e->code, CPW_OK);
  assert_string_equal(e->message, "");
  assert_int_equal(cpw__set_error(ctx, CPW_EINVALID, "bad %s %d", "thing", 7), CPW_EINVALID);
  assert_int_equal(e->code, CPW_EINVALID);
  assert_string_equal(e->message, "bad thing 7");
  assert_null(e->file);
  assert_int_equal(cpw__set_error_at(ctx, CPW_EPOLICY, "p.cpw", 3, 14, "unknown field %s", "x"),
                   CPW_EPOLICY);
  assert_string_equal(e->file, "p.cpw");
  assert_int_equal(e->line, 3);
  assert_int_equal(e->column, 14);
  assert_int_equal(cpw__set_os_error(ctx, 28, "j.log", "cannot write"), CPW_EIO);
  assert_int_equal(e->os_error, 28);
  assert_non_null(strstr(e->message, "cannot write: "));
  cpw__error_offset(ctx, 4096);
  assert_int_equal(e->offset, 4096);
  cpw_ctx_clear_error(ctx);
  assert_int_equal(e->code, CPW_OK);
  assert_int_equal(e->offset, -1);
  /* very long messages are cut, never overflow */
  {
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cpw__set_error(ctx, CPW_EINVALID, "%s", big);
    assert_true(strlen(e->message) < CPW__ERRMSG_SIZE);
  }
  assert_int_equal(cpw_ctx_last_error(NULL)->code, CPW_EINVALID);
  cpw_ctx_clear_error(NULL);
  cpw_ctx_free(ctx);
}

static void test_context__strerror(void **state)
{
  static const int codes[] = { CPW_OK, CPW_ERROR, CPW_ENOMEM, CPW_EINVALID, CPW_ENOTFOUND,
                               CPW_ESTATE, CPW_EVERSION, CPW_ELIMIT, CPW_EPOLICY, CPW_EIO,
                               CPW_EBUSY, CPW_ECORRUPT, CPW_EEXISTS, CPW_EDENIED, CPW_EUSER,
                               CPW_ITEROVER };
  size_t i, j;
  (void)state;
  /* the values are ABI: never renumbered */
  assert_int_equal(CPW_ENOMEM, -2);
  assert_int_equal(CPW_EDENIED, -13);
  assert_int_equal(CPW_ITEROVER, -31);
  for (i = 0; i < CPW__ARRAY_LEN(codes); i++) {
    assert_string_not_equal(cpw_strerror(codes[i]), "unknown error code");
    for (j = 0; j < i; j++)
      assert_string_not_equal(cpw_strerror(codes[i]), cpw_strerror(codes[j]));
  }
  assert_string_equal(cpw_strerror(12345), "unknown error code");
}

static void test_context__custom_allocator(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  char *s;
  void *p;
  int *arr = NULL;
  size_t cap = 0;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_non_null(ctx);
  assert_int_equal(ta.live_blocks, 1);
  s = cpw__strndup(ctx, "hello world", 5);
  assert_string_equal(s, "hello");
  assert_int_equal(cpw__grow(ctx, (void **)&arr, &cap, 100, sizeof *arr), CPW_OK);
  assert_true(cap >= 100);
  arr[99] = 7;
  assert_int_equal(cpw__grow(ctx, (void **)&arr, &cap, 50, sizeof *arr), CPW_OK);
  assert_int_equal(arr[99], 7);
  p = cpw__export_alloc(ctx, 33);
  assert_non_null(p);
  memset(p, 1, 33);
  cpw_free(ctx, p);
  cpw_free(ctx, NULL);
  cpw_free(NULL, NULL);
  cpw__free(ctx, arr, cap * sizeof *arr);
  cpw__free(ctx, s, 6);
  p = cpw__calloc(ctx, 0, 0); /* a zero-size request still gives a block */
  assert_non_null(p);
  cpw__free(ctx, p, 0);
  assert_int_equal(ta.bad_sizes, 0);
  /* overflowing sizes are refused cleanly */
  assert_null(cpw__calloc(ctx, SIZE_MAX / 2, 4));
  assert_int_equal(cpw_ctx_last_error(ctx)->code, CPW_ENOMEM);
  cap = SIZE_MAX / 4;
  arr = NULL;
  assert_int_equal(cpw__grow(ctx, (void **)&arr, &cap, SIZE_MAX / 2, 4), CPW_ELIMIT);
  cpw_ctx_free(ctx);
}

static int scenario_strdup(cpw_ctx *ctx, void *arg)
{
  char *a, *b;
  int *arr = NULL;
  size_t cap = 0, i;
  (void)arg;
  a = cpw__strndup(ctx, "abc", 3);
  if (a == NULL)
    return CPW_ENOMEM;
  b = cpw__strndup(ctx, "defg", 4);
  if (b == NULL) {
    cpw__free(ctx, a, 4);
    return CPW_ENOMEM;
  }
  for (i = 0; i < 100; i++) {
    if (cpw__grow(ctx, (void **)&arr, &cap, i + 1, sizeof *arr) != CPW_OK) {
      cpw__free(ctx, arr, cap * sizeof *arr);
      cpw__free(ctx, a, 4);
      cpw__free(ctx, b, 5);
      return CPW_ENOMEM;
    }
    arr[i] = (int)i;
  }
  cpw__free(ctx, arr, cap * sizeof *arr);
  cpw__free(ctx, a, 4);
  cpw__free(ctx, b, 5);
  return CPW_OK;
}

/* Leaks one block on purpose; keeps it in *arg so the test can release it afterwards (else
 * LeakSanitizer reports it in sanitizer builds). */
static int scenario_leaky(cpw_ctx *ctx, void *arg)
{
  char *p = cpw__strndup(ctx, "leak", 4);
  if (p == NULL)
    return CPW_ENOMEM;
  *(char **)arg = p;
  return CPW_OK;
}

static void test_context__oom_harness(void **state)
{
  cpw_oom_result r;
  (void)state;
  assert_int_equal(cpw_oom_run(scenario_strdup, NULL, &r), 0);
  assert_true(r.allocations >= 3);
  assert_int_equal(r.runs, 2 * r.allocations);
  /* the harness itself catches a leak (found on the clean run, so the block leaks once) */
  {
    char *leaked = NULL;
    cpw_test_alloc ta;
    assert_int_not_equal(cpw_oom_run(scenario_leaky, &leaked, &r), 0);
    assert_non_null(strstr(r.problem, "leaked"));
    assert_non_null(leaked);
    cpw_test_alloc_init(&ta);
    cpw_test_realloc(&ta, leaked, 5, 0); /* give the block back to the test allocator */
  }
}

static void test_context__ctx_creation_oom(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx_options o = CPW_CTX_OPTIONS_INIT;
  cpw_ctx *ctx = NULL;
  (void)state;
  cpw_test_alloc_init(&ta);
  ta.fail_at = 0;
  o.allocator.realloc = cpw_test_realloc;
  o.allocator.user_data = &ta;
  assert_int_equal(cpw_ctx_new(&ctx, &o), CPW_ENOMEM);
  assert_null(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_context__version),
    cmocka_unit_test(test_context__options),
    cmocka_unit_test(test_context__errors),
    cmocka_unit_test(test_context__strerror),
    cmocka_unit_test(test_context__custom_allocator),
    cmocka_unit_test(test_context__oom_harness),
    cmocka_unit_test(test_context__ctx_creation_oom),
  };
  return cmocka_run_group_tests_name("context", tests, NULL, NULL);
}
