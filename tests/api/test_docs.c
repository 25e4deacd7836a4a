/* SPDX-License-Identifier: Apache-2.0 */
/* The examples of docs/policy-language.md: every ```cpw block compiles, every ```cpw-error
 * block fails to compile, and when such a block says "# error: MESSAGE" (or
 * "# error (on x): MESSAGE") one of its diagnostics is that message ("..." ending in "(...)"
 * gives only the start). The file is found from CPW_SOURCE_DIR, which ctest sets to the
 * project's root. */
#include "policytest.h"

#define MAX_DOC (1024 * 1024)

static char *read_doc(size_t *len)
{
  const char *dir = getenv("CPW_SOURCE_DIR");
  char path[1024];
  FILE *f;
  char *text;
  if (dir == NULL)
    fail_msg("CPW_SOURCE_DIR is not set (ctest sets it to the project root)");
  snprintf(path, sizeof path, "%s/docs/policy-language.md", dir);
  f = fopen(path, "rb");
  if (f == NULL)
    fail_msg("cannot open %s", path);
  text = malloc(MAX_DOC + 1);
  assert_non_null(text);
  *len = fread(text, 1, MAX_DOC, f);
  fclose(f);
  assert_true(*len > 0 && *len < MAX_DOC);
  text[*len] = '\0';
  return text;
}

/* The message a cpw-error block announces, into buf ("" when none). *prefix is set when the
 * message ends with "(...)": only its start is given. */
static void announced_error(const char *block, size_t len, char *buf, size_t size, int *prefix)
{
  const char *p = block, *end = block + len, *colon, *eol;
  size_t n;
  buf[0] = '\0';
  *prefix = 0;
  for (; p < end; p++)
    if (strncmp(p, "# error", 7) == 0)
      break;
  if (p >= end)
    return;
  eol = memchr(p, '\n', (size_t)(end - p));
  if (eol == NULL)
    eol = end;
  colon = p;
  while (colon + 1 < eol && !(colon[0] == ':' && colon[1] == ' '))
    colon++;
  if (colon + 1 >= eol)
    return;
  colon += 2;
  n = (size_t)(eol - colon);
  while (n > 0 && colon[n - 1] == ' ')
    n--;
  if (n >= 6 && strncmp(colon + n - 6, " (...)", 6) == 0) {
    n -= 6;
    *prefix = 1;
  }
  if (n >= size)
    n = size - 1;
  memcpy(buf, colon, n);
  buf[n] = '\0';
}

static void check_block(cpw_ctx *ctx, const char *block, size_t len, int line, int is_error)
{
  cpw_policy *pol = NULL;
  cpw_diagnostics *dg = NULL;
  cpw_policy_source src;
  char want[400], *text;
  int rc, prefix;
  size_t i;
  /* blank lines before the block: diagnostics give the line in the document */
  text = malloc((size_t)line + len);
  assert_non_null(text);
  memset(text, '\n', (size_t)line - 1);
  memcpy(text + line - 1, block, len);
  src.name = "docs/policy-language.md";
  src.text = text;
  src.len = (size_t)line - 1 + len;
  rc = cpw_policy_compile(&pol, ctx, &src, 1, &dg);
  cpw_policy_free(pol);
  free(text);
  if (!is_error) {
    if (rc != CPW_OK) {
      pt_print_diags(dg);
      cpw_diagnostics_free(dg);
      fail_msg("the example at docs/policy-language.md:%d does not compile", line);
    }
    cpw_diagnostics_free(dg);
    return;
  }
  if (rc != CPW_EPOLICY) {
    cpw_diagnostics_free(dg);
    fail_msg("the error example at docs/policy-language.md:%d compiles (%d)", line, rc);
  }
  announced_error(block, len, want, sizeof want, &prefix);
  if (want[0] != '\0') {
    for (i = 0; i < cpw_diagnostics_count(dg); i++) {
      const char *m = cpw_diagnostics_get(dg, i)->message;
      if (prefix ? strncmp(m, want, strlen(want)) == 0 : strcmp(m, want) == 0)
        break;
    }
    if (i == cpw_diagnostics_count(dg)) {
      pt_print_diags(dg);
      cpw_diagnostics_free(dg);
      fail_msg("the error example at docs/policy-language.md:%d does not report '%s'", line,
               want);
    }
  }
  cpw_diagnostics_free(dg);
}

static void test_docs__examples_compile(void **state)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  size_t len, good = 0, bad = 0;
  char *doc = read_doc(&len), *p = doc;
  int line = 1;
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  while (*p != '\0') {
    char *eol = strchr(p, '\n');
    size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
    int is_cpw = n == 6 && strncmp(p, "```cpw", 6) == 0;
    int is_error = n == 12 && strncmp(p, "```cpw-error", 12) == 0;
    if ((is_cpw || is_error) && eol != NULL) {
      char *start = eol + 1, *q = start;
      int first = line + 1;
      /* the block ends at a line holding only ``` */
      for (;;) {
        char *e = strchr(q, '\n');
        line++;
        if (e == NULL)
          fail_msg("docs/policy-language.md:%d: the block is not closed", first - 1);
        if (e - q == 3 && strncmp(q, "```", 3) == 0) {
          check_block(ctx, start, (size_t)(q - start), first, is_error);
          if (is_error)
            bad++;
          else
            good++;
          p = e + 1;
          line++;
          break;
        }
        q = e + 1;
      }
      continue;
    }
    if (eol == NULL)
      break;
    p = eol + 1;
    line++;
  }
  free(doc);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
  /* the document has many examples: finding few means the extraction broke */
  if (good < 25 || bad < 10)
    fail_msg("found %zu cpw and %zu cpw-error blocks", good, bad);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_docs__examples_compile),
  };
  return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
