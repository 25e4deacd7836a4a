/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the base building blocks: buffer, arena, hash map. */
#include "cmocka_all.h"

#include <stdio.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/map.h"
#include "testalloc.h"

static void test_buf__append_and_export(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__buf b;
  char *out = NULL;
  size_t len = 0;
  int i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  cpw__buf_init(&b, ctx);
  assert_string_equal(cpw__buf_str(&b), "");
  assert_int_equal(cpw__buf_adds(&b, "abc"), CPW_OK);
  assert_int_equal(cpw__buf_addc(&b, '-'), CPW_OK);
  assert_int_equal(cpw__buf_printf(&b, "%d/%s", 42, "x"), CPW_OK);
  assert_string_equal(cpw__buf_str(&b), "abc-42/x");
  for (i = 0; i < 100; i++)
    assert_int_equal(cpw__buf_printf(&b, "%0300d", i), CPW_OK); /* longer than the fast path */
  assert_int_equal(b.len, 8 + 100 * 300);
  cpw__buf_clear(&b);
  assert_string_equal(cpw__buf_str(&b), "");
  assert_int_equal(cpw__buf_adds(&b, "owned"), CPW_OK);
  assert_int_equal(cpw__buf_export(&b, &out, &len), CPW_OK);
  assert_string_equal(out, "owned");
  assert_int_equal(len, 5);
  cpw_free(ctx, out);
  cpw__buf_free(&b);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(ta.bad_sizes, 0);
}

static void test_buf__arena(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__arena a;
  int i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  cpw__arena_init(&a, ctx);
  for (i = 0; i < 1000; i++) {
    unsigned char *p = cpw__arena_alloc(&a, (size_t)(i % 37) + 1);
    assert_non_null(p);
    assert_int_equal(((uintptr_t)p) % 8, 0); /* aligned for int64_t and pointers */
    assert_int_equal(p[0], 0);
    p[0] = 1;
  }
  {
    char *big = cpw__arena_alloc(&a, 100000);
    char *s = cpw__arena_strndup(&a, "hello", 3);
    assert_non_null(big);
    big[99999] = 'x';
    assert_string_equal(s, "hel");
  }
  {
    /* packed strings follow each other byte for byte; an aligned block after them is aligned
     * again; a packed string too long for the rest of a chunk starts a new one; one longer
     * than a chunk gets its own, and the arena goes on */
    static char longer[9000];
    char *x = cpw__arena_strndup_packed(&a, "C-0000001", 9);
    char *y = cpw__arena_strndup_packed(&a, "C-0000002", 9);
    char *z, *l;
    int64_t *v;
    size_t k;
    assert_ptr_equal(y, x + 10);
    assert_string_equal(x, "C-0000001");
    assert_string_equal(y, "C-0000002");
    v = cpw__arena_alloc(&a, sizeof *v);
    assert_non_null(v);
    assert_int_equal(((uintptr_t)v) % 8, 0);
    assert_true((char *)v >= y + 10);
    *v = -1;
    for (k = 0; k < 2000; k++) {
      z = cpw__arena_strndup_packed(&a, "abc", 3);
      assert_non_null(z);
      assert_string_equal(z, "abc");
    }
    memset(longer, 'q', sizeof longer - 1);
    l = cpw__arena_strndup_packed(&a, longer, sizeof longer - 1);
    assert_non_null(l);
    assert_int_equal(strlen(l), sizeof longer - 1);
    z = cpw__arena_strndup_packed(&a, "after", 5);
    v = cpw__arena_alloc(&a, 24);
    assert_string_equal(z, "after");
    assert_int_equal(((uintptr_t)v) % 8, 0);
    assert_string_equal(x, "C-0000001");
    assert_int_equal(strlen(l), sizeof longer - 1);
  }
  cpw__arena_free(&a);
  {
    /* a first chunk that is one packed string of an odd size: an aligned block after it does
     * not run past it */
    static char odd[5001];
    char *s;
    unsigned char *p;
    memset(odd, 'o', sizeof odd - 1);
    cpw__arena_init(&a, ctx);
    s = cpw__arena_strndup_packed(&a, odd, sizeof odd - 1);
    p = cpw__arena_alloc(&a, 16);
    assert_non_null(s);
    assert_non_null(p);
    assert_int_equal(((uintptr_t)p) % 8, 0);
    assert_true(p + 16 <= (unsigned char *)s || p >= (unsigned char *)s + sizeof odd);
    memset(p, 0xAB, 16);
    assert_int_equal(strlen(s), sizeof odd - 1);
  }
  cpw__arena_free(&a);
  {
    /* copies: aligned to 8 after packed strings of any length, the bytes as given, across
     * chunks; size 0 and one bigger than a chunk too */
    static int64_t big[1200];
    int64_t src[5] = { 1, -2, 3, INT64_MIN, INT64_MAX };
    size_t k;
    cpw__arena_init(&a, ctx);
    for (k = 0; k < 3000; k++) {
      char *s = cpw__arena_strndup_packed(&a, "abcdefgh", k % 8);
      int64_t *v = cpw__arena_copy(&a, src, (k % 5 + 1) * sizeof *src);
      assert_non_null(s);
      assert_non_null(v);
      assert_int_equal(strlen(s), k % 8);
      assert_int_equal(((uintptr_t)v) % 8, 0);
      assert_memory_equal(v, src, (k % 5 + 1) * sizeof *src);
      assert_true((char *)v >= s + k % 8 + 1 || (char *)v + (k % 5 + 1) * 8 <= s);
    }
    assert_non_null(cpw__arena_copy(&a, src, 0));
    for (k = 0; k < 1200; k++)
      big[k] = (int64_t)k;
    assert_memory_equal(cpw__arena_copy(&a, big, sizeof big), big, sizeof big);
    assert_memory_equal(cpw__arena_copy(&a, src, sizeof src), src, sizeof src);
  }
  cpw__arena_free(&a);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(ta.bad_sizes, 0);
}

static void test_buf__map(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw__map m;
  static char keys[5000][12];
  uint32_t v;
  int i;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  cpw__map_init(&m, ctx);
  assert_int_equal(cpw__map_get(&m, "x", 1, &v), 0);
  assert_int_equal(cpw__map_remove(&m, "x", 1), 0);
  for (i = 0; i < 5000; i++) {
    snprintf(keys[i], sizeof keys[i], "k%d", i);
    assert_int_equal(cpw__map_put(&m, keys[i], strlen(keys[i]), (uint32_t)i), CPW_OK);
  }
  assert_int_equal(m.count, 5000);
  for (i = 0; i < 5000; i++) {
    assert_int_equal(cpw__map_get(&m, keys[i], strlen(keys[i]), &v), 1);
    assert_int_equal(v, (uint32_t)i);
  }
  assert_int_equal(cpw__map_put(&m, keys[7], strlen(keys[7]), 70), CPW_OK); /* replace */
  assert_int_equal(m.count, 5000);
  assert_int_equal(cpw__map_get(&m, "k7", 2, &v), 1);
  assert_int_equal(v, 70);
  /* remove every other key; the rest stay reachable (backward-shift deletion) */
  for (i = 0; i < 5000; i += 2)
    assert_int_equal(cpw__map_remove(&m, keys[i], strlen(keys[i])), 1);
  assert_int_equal(m.count, 2500);
  for (i = 0; i < 5000; i++)
    assert_int_equal(cpw__map_get(&m, keys[i], strlen(keys[i]), NULL), i % 2);
  assert_int_equal(cpw__map_get(&m, "k", 1, NULL), 0);
  assert_true(cpw__map_bytes(&m) > 0);
  cpw__map_free(&m);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  assert_int_equal(ta.bad_sizes, 0);
}

static int scenario_blocks(cpw_ctx *ctx, void *arg)
{
  cpw__buf b;
  cpw__arena a;
  cpw__map m;
  int rc = CPW_OK, i;
  static const char *names[] = { "a", "bb", "ccc", "dddd", "eeeee", "ffffff", "g", "h", "i",
                                 "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t" };
  (void)arg;
  cpw__buf_init(&b, ctx);
  cpw__arena_init(&a, ctx);
  cpw__map_init(&m, ctx);
  for (i = 0; i < 20 && rc == CPW_OK; i++) {
    rc = cpw__buf_printf(&b, "%s;", names[i]);
    if (rc == CPW_OK && cpw__arena_alloc(&a, 3000) == NULL)
      rc = CPW_ENOMEM;
    if (rc == CPW_OK)
      rc = cpw__map_put(&m, names[i], strlen(names[i]), (uint32_t)i);
  }
  cpw__map_free(&m);
  cpw__arena_free(&a);
  cpw__buf_free(&b);
  return rc;
}

static void test_buf__oom(void **state)
{
  (void)state;
  CPW_ASSERT_OOM_CLEAN(scenario_blocks, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_buf__append_and_export),
    cmocka_unit_test(test_buf__arena),
    cmocka_unit_test(test_buf__map),
    cmocka_unit_test(test_buf__oom),
  };
  return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
