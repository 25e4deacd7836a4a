/* SPDX-License-Identifier: Apache-2.0 */
/* A placement registry under a minimal placement policy: rules that name no roles (anyone may
 * place), no review period (no review is ever due) and no leaving-care age (no child ages
 * out); facilities with bad capacities or ages refused, with nothing registered. Public API
 * only. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "testalloc.h"

static const char policy_text[] =
  "setting foster \"Foster care\" category family\n"
  "setting home \"Small home\" category family_type capacity 8 ages 0 to 17\n"
  "placement rules {\n"
  "  preference foster, home\n"
  "  deny \"full\" when capacity is given and occupancy >= capacity\n"
  "}\n";

static cpw_date day(const char *s)
{
  cpw_date d;
  assert_int_equal(cpw_date_parse(&d, NULL, s, strlen(s)), CPW_OK);
  return d;
}

static void test_registry_minimal__no_roles_reviews_or_leaving_age(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_registry *reg;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  cpw_placement_info info[4];
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_non_null(ctx);
  if (cpw_policy_from_string(&pol, ctx, "m.cpw", policy_text, sizeof policy_text - 1) != CPW_OK)
    fail_msg("%s", cpw_ctx_last_error(ctx)->message);
  assert_int_equal(cpw_registry_new(&reg, ctx, pol), CPW_OK);
  assert_int_equal(cpw_registry_add_facility(reg, "h1", "home", "Home 1", "Gori", 2, -1, -1),
                   CPW_OK);
  /* bad capacities and ages: refused, nothing registered */
  assert_int_equal(cpw_registry_add_facility(reg, "h2", "home", "H", "Gori", 1000001, -1, -1),
                   CPW_EINVALID);
  assert_int_equal(cpw_registry_add_facility(reg, "h2", "home", "H", "Gori", 5, -1, 151),
                   CPW_EINVALID);
  assert_int_equal(cpw_registry_add_facility(reg, "h2", "home", "H", "Gori", 5, 12, 6),
                   CPW_EINVALID);
  assert_non_null(strstr(cpw_ctx_last_error(ctx)->message, "bad capacity or ages"));
  assert_int_equal(cpw_registry_add_facility(reg, "h2", "home", "H", "Gori", 5, 0, 0), CPW_OK);
  assert_int_equal(cpw_registry_add_child(reg, "c1", day("2008-02-29"), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(reg, "c2", CPW_DATE_MIN, NULL), CPW_OK);
  /* any role may place: the rules name none */
  req.child = "c1";
  req.facility = "h1";
  req.date = day("2020-01-10");
  req.actor = "u-1";
  req.role = "volunteer";
  req.reason = "care plan";
  assert_int_equal(cpw_registry_place(reg, &req), CPW_OK);
  req.child = "c2";
  req.facility = NULL;
  req.setting = "foster";
  req.region = "Gori";
  req.role = NULL;
  assert_int_equal(cpw_registry_place(reg, &req), CPW_OK);
  /* no review period: never due; no leaving age: nobody ages out, even decades later */
  assert_int_equal(cpw_registry_reviews_due(reg, day("2090-01-01"), info, 4), 0);
  assert_int_equal(cpw_registry_aging_out(reg, day("2090-01-01"), info, 4), 0);
  assert_int_equal(cpw_registry_current(reg, "c1", info), CPW_OK);
  assert_int_equal(info[0].turns_adult, CPW_DATE_MAX);
  assert_int_equal(info[0].review_due, CPW_DATE_MAX);
  assert_int_equal(cpw_registry_occupancy(reg, "h1"), 1);
  cpw_registry_free(reg);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_registry_minimal__no_roles_reviews_or_leaving_age),
  };
  return cmocka_run_group_tests_name("registry_minimal", tests, NULL, NULL);
}
