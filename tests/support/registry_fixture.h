/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/registry_fixture.h: the cmocka fixture of the placement tests: a counting
 * allocator, a context, Georgia's default policy and an empty registry; teardown frees them
 * and asserts that nothing is left allocated. D(y, m, d) makes a date. Include after
 * cmocka_all.h and testalloc.h. */
#ifndef CPW_TEST_REGISTRY_FIXTURE_H
#define CPW_TEST_REGISTRY_FIXTURE_H

typedef struct fixture {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_registry *reg;
} fixture;

static int setup(void **state)
{
  fixture *f = test_calloc(1, sizeof *f);
  if (f == NULL)
    return -1;
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  if (f->ctx == NULL || cpw_policy_default(&f->pol, f->ctx) != CPW_OK ||
      cpw_registry_new(&f->reg, f->ctx, f->pol) != CPW_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  cpw_registry_free(f->reg);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  assert_int_equal(f->ta.live_bytes, 0);
  assert_int_equal(f->ta.bad_sizes, 0);
  test_free(f);
  return 0;
}

static cpw_date D(int y, int m, int d)
{
  cpw_date r = 0;
  assert_int_equal(cpw_date_from_ymd(&r, y, m, d), CPW_OK);
  return r;
}

#endif
