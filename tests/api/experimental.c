/* SPDX-License-Identifier: Apache-2.0 */
/* api.experimental: cpw/experimental.h through the static library, as an embedder uses it
 * (the shared library does not export it: tests/tools/check_abi.py's symbol sets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cpw.h"
#include "cpw/experimental.h"

/* every headline key is described, with a kind and an English name and definition */
static void test_experimental__indicator_describe(void **state)
{
  size_t i;
  int seen[4] = { 0, 0, 0, 0 };
  (void)state;
  for (i = 0; cpw_indicator_key(i) != NULL; i++) {
    cpw_xp_indicator_info info;
    memset(&info, 0, sizeof info);
    info.version = CPW_XP_INDICATOR_INFO_VERSION;
    assert_int_equal(cpw_xp_indicator_describe(cpw_indicator_key(i), &info), CPW_OK);
    assert_int_equal(info.version, CPW_XP_INDICATOR_INFO_VERSION);
    assert_string_equal(info.key, cpw_indicator_key(i));
    assert_true(info.kind >= CPW_XP_INDICATOR_COUNT && info.kind <= CPW_XP_INDICATOR_DAYS);
    seen[info.kind]++;
    assert_true(info.name != NULL && info.name[0] != '\0');
    assert_true(info.definition != NULL && strlen(info.definition) > 10);
  }
  assert_true(i >= 15);
  assert_true(seen[CPW_XP_INDICATOR_COUNT] >= 12);
  assert_int_equal(seen[CPW_XP_INDICATOR_SHARE], 1);
  assert_int_equal(seen[CPW_XP_INDICATOR_RATIO], 1);
  assert_int_equal(seen[CPW_XP_INDICATOR_DAYS], 1);
}

static void test_experimental__indicator_describe_refusals(void **state)
{
  cpw_xp_indicator_info info;
  (void)state;
  memset(&info, 0, sizeof info);
  info.version = CPW_XP_INDICATOR_INFO_VERSION;
  /* the other name of the share answers with the key */
  assert_int_equal(cpw_xp_indicator_describe("family_based_share", &info), CPW_OK);
  assert_string_equal(info.key, "family_share");
  assert_int_equal(info.kind, CPW_XP_INDICATOR_SHARE);
  assert_int_equal(cpw_xp_indicator_describe("no_such_indicator", &info), CPW_ENOTFOUND);
  assert_int_equal(cpw_xp_indicator_describe(NULL, &info), CPW_EINVALID);
  assert_int_equal(cpw_xp_indicator_describe("moves", NULL), CPW_EINVALID);
  info.version = 0;
  assert_int_equal(cpw_xp_indicator_describe("moves", &info), CPW_EVERSION);
  info.version = CPW_XP_INDICATOR_INFO_VERSION + 1;
  assert_int_equal(cpw_xp_indicator_describe("moves", &info), CPW_EVERSION);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_experimental__indicator_describe),
    cmocka_unit_test(test_experimental__indicator_describe_refusals),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
