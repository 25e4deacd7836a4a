/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of opening cases (lib/workflow/case.c's opening and index):
 *
 * - the case id is checked, measured and hashed in one pass for printable ASCII and left to
 *   cpw__id_problem otherwise: every id is refused with cpw__id_problem's phrase (empty, a space
 *   at either end, 256 and 257 bytes, control characters, bad UTF-8), a refused opening changes
 *   nothing, and every accepted id is found again by cpw_caseload_find (which hashes with
 *   cpw__hash: the one pass gives the same hash);
 * - the index grows many times past several chunks of cases, and every case is still found, a
 *   second opening of any of them refused, and an id never opened not found;
 * - a case opened without field values takes the workflow's defaults, also after an opening
 *   that set some. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "cpw.h"
#include "base/utf8.h"
#include "testalloc.h"
#include "workflow/case.h"

static const char policy_text[] =
  "workflow w \"W\" {\n"
  "  roles r\n"
  "  field n: int = 7\n"
  "  field m: int\n"
  "  state a initial\n"
  "  state b final\n"
  "  event go\n"
  "  on go: a -> b\n"
  "}\n";

typedef struct fx {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
} fx;

static int setup(void **state)
{
  static fx f;
  cpw_test_alloc_init(&f.ta);
  f.ctx = cpw_test_ctx(&f.ta);
  assert_non_null(f.ctx);
  assert_int_equal(cpw_policy_from_string(&f.pol, f.ctx, "open.cpw", policy_text,
                                          strlen(policy_text)),
                   CPW_OK);
  assert_int_equal(cpw_caseload_new(&f.cl, f.ctx, f.pol), CPW_OK);
  *state = &f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_caseload_free(f->cl);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_bytes, 0);
  assert_int_equal(f->ta.bad_sizes, 0);
  return 0;
}

static int open_id(fx *f, const char *id)
{
  return cpw_caseload_open(f->cl, NULL, id, "w", NULL, 0, 1767225600, "u", "r");
}

/* `id` is refused with cpw__id_problem's phrase, and the caseload is as it was */
static void refused(fx *f, const char *id)
{
  const char *bad = cpw__id_problem(id, 256);
  char want[512];
  size_t n = cpw_caseload_case_count(f->cl), mem = cpw_caseload_memory(f->cl);
  assert_non_null(bad);
  snprintf(want, sizeof want,
           "the case id %s (an id has 1 to 256 bytes of UTF-8, no control character, no space "
           "at either end)",
           bad);
  assert_int_equal(open_id(f, id), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message, want);
  assert_int_equal(cpw_caseload_case_count(f->cl), n);
  assert_int_equal(cpw_caseload_memory(f->cl), mem);
}

/* `id` opens, and is found by cpw_caseload_find with its bytes */
static void accepted(fx *f, const char *id)
{
  cpw_case *c;
  assert_null(cpw__id_problem(id, 256));
  assert_int_equal(open_id(f, id), CPW_OK);
  c = cpw_caseload_find(f->cl, id);
  assert_non_null(c);
  assert_string_equal(cpw_case_id(c), id);
  assert_int_equal(open_id(f, id), CPW_EEXISTS);
}

static void test_case_open__ids(void **state)
{
  fx *f = *state;
  char id[300];
  size_t i;
  static const char *const bad[] = {
    "", " a", "a ", " ", "a\nb", "\tx", "x\x7f", "\x7f", "a\x1f", "\xff", "ab\xc3", "\xc3\x28",
    "\xed\xa0\x80", "\xe1\x83\x90 ", " \xe1\x83\x90", "\xe1\x83\x90\n",
  };
  static const char *const good[] = {
    "a", "~", "!", "C-1", "a b", "case \xe1\x83\x90", "\xe1\x83\x90", "\xc3\xa9t\xc3\xa9",
    "x\xf0\x9f\x98\x80y",
  };
  for (i = 0; i < sizeof bad / sizeof *bad; i++)
    refused(f, bad[i]);
  for (i = 0; i < sizeof good / sizeof *good; i++)
    accepted(f, good[i]);
  /* the 256-byte limit: printable ASCII, then with a multi-byte character at the end */
  memset(id, 'k', 256);
  id[256] = '\0';
  accepted(f, id);
  id[255] = 'j';
  id[256] = 'j';
  id[257] = '\0';
  refused(f, id);
  id[256] = '\0';
  accepted(f, id);
  memcpy(id + 253, "\xe1\x83\x90", 4); /* 256 bytes again, the last three one character */
  accepted(f, id);
  memcpy(id + 253, "\xe1\x83\x90k", 5);  /* 257 */
  refused(f, id);
  memset(id, 'k', 256);
  memcpy(id + 256, " ", 2); /* 257 ending in a space: still too long first */
  refused(f, id);
  assert_string_equal(cpw__id_problem(id, 256), "is longer than 256 bytes");
  id[100] = '\n'; /* a control character before the end of a long id */
  refused(f, id);
  assert_string_equal(cpw__id_problem(id, 256), "is longer than 256 bytes");
  id[200] = '\0';
  refused(f, id);
  assert_string_equal(cpw__id_problem(id, 256), "holds a control character (a line break?)");
  /* ids that differ only in their last byte, or are prefixes of each other */
  accepted(f, "C-10");
  accepted(f, "C-100");
  accepted(f, "C-101");
  assert_null(cpw_caseload_find(f->cl, "C-1000"));
  assert_null(cpw_caseload_find(f->cl, "C-10 "));
}

static void test_case_open__index_growth(void **state)
{
  fx *f = *state;
  enum { N = 30000 }; /* 1024 slots grown by half, eleven times; eight chunks of cases */
  char id[64];
  size_t i;
  for (i = 0; i < N; i++) {
    /* ids of several lengths and shapes */
    snprintf(id, sizeof id, i % 3 == 0 ? "C-%zu" : i % 3 == 1 ? "case %zu/x" : "%zu", i);
    assert_int_equal(open_id(f, id), CPW_OK);
  }
  assert_int_equal(cpw_caseload_case_count(f->cl), N);
  for (i = 0; i < N; i++) {
    cpw_case *c;
    snprintf(id, sizeof id, i % 3 == 0 ? "C-%zu" : i % 3 == 1 ? "case %zu/x" : "%zu", i);
    c = cpw_caseload_find(f->cl, id);
    assert_non_null(c);
    assert_string_equal(cpw_case_id(c), id);
    assert_ptr_equal(cpw_caseload_case_at(f->cl, i), c);
    if (i % 97 == 0)
      assert_int_equal(open_id(f, id), CPW_EEXISTS);
    snprintf(id, sizeof id, "C-%zu", i + N);
    assert_null(cpw_caseload_find(f->cl, id));
  }
  assert_int_equal(cpw_caseload_case_count(f->cl), N);
}

static void test_case_open__defaults(void **state)
{
  fx *f = *state;
  cpw_case *c;
  int64_t v;
  cpw_field_value set[2] = { { "n", "3" }, { "m", "4" } };
  assert_int_equal(cpw_caseload_open(f->cl, &c, "a", "w", NULL, 0, 1, "u", "r"), CPW_OK);
  assert_int_equal(cpw_case_get(c, "n", &v), 1);
  assert_int_equal(v, 7);
  assert_int_equal(cpw_case_get(c, "m", &v), 0);
  assert_int_equal(cpw_caseload_open(f->cl, &c, "b", "w", set, 2, 1, "u", "r"), CPW_OK);
  assert_int_equal(cpw_case_get(c, "n", &v), 1);
  assert_int_equal(v, 3);
  assert_int_equal(cpw_case_get(c, "m", &v), 1);
  assert_int_equal(v, 4);
  /* after an opening that set both: the defaults again, not what that one staged */
  assert_int_equal(cpw_caseload_open(f->cl, &c, "c", "w", NULL, 0, 1, "u", "r"), CPW_OK);
  assert_int_equal(cpw_case_get(c, "n", &v), 1);
  assert_int_equal(v, 7);
  assert_int_equal(cpw_case_get(c, "m", &v), 0);
  /* an opening refused on a field value opens nothing */
  set[1].value = "four";
  assert_int_equal(cpw_caseload_open(f->cl, &c, "d", "w", set, 2, 1, "u", "r"), CPW_EINVALID);
  assert_null(c);
  assert_null(cpw_caseload_find(f->cl, "d"));
  assert_int_equal(cpw_caseload_case_count(f->cl), 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_case_open__ids, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_open__index_growth, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_open__defaults, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
