/* SPDX-License-Identifier: Apache-2.0 */
/* The message catalogue (lib/base/lang.c): every message exists in every built-in language
 * with the same placeholders, keys are unique; Georgian dates, numbers and money are written
 * as Georgian texts write them; a text cut short is cut between characters. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "base/lang.h"
#include "base/utf8.h"

/* the placeholders {0}..{9} a template uses, as a bit mask */
static unsigned placeholders(const char *s)
{
  unsigned m = 0;
  for (; *s != '\0'; s++)
    if (s[0] == '{' && s[1] >= '0' && s[1] <= '9' && s[2] == '}')
      m |= 1u << (s[1] - '0');
  return m;
}

static void test_lang__every_message_in_every_language(void **state)
{
  static const char *const tags[] = { "", "en", "ka" };
  const cpw__lang *en = cpw__lang_get("en");
  int m, k;
  size_t t;
  (void)state;
  assert_non_null(en);
  assert_null(cpw__lang_get("xx"));
  assert_true(cpw__lang_get(NULL) == cpw__lang_names());
  for (m = 0; m < MSG__COUNT; m++) {
    const char *key = cpw__msg_key(m);
    if (key == NULL)
      fail_msg("message %d has no key", m);
    assert_int_equal(cpw__msg_find(key, strlen(key)), m);
    for (k = 0; k < m; k++)
      if (strcmp(cpw__msg_key(k), key) == 0)
        fail_msg("key '%s' is used twice", key);
    for (t = 0; t < sizeof tags / sizeof tags[0]; t++) {
      const cpw__lang *l = cpw__lang_get(tags[t]);
      assert_non_null(l);
      if (l->msg[m] == NULL)
        fail_msg("message '%s' is missing in '%s'", key, tags[t]);
      assert_true(cpw__utf8_valid(l->msg[m], strlen(l->msg[m])));
      if (placeholders(l->msg[m]) != placeholders(en->msg[m]))
        fail_msg("message '%s' in '%s' has other placeholders than in English", key, tags[t]);
    }
  }
  assert_null(cpw__msg_key(MSG__COUNT));
  assert_int_equal(cpw__msg_find("no_such_key", 11), -1);
}

static void test_lang__georgian_dates_numbers_money(void **state)
{
  char b[80];
  cpw_date d;
  (void)state;
  assert_int_equal(cpw_date_from_ymd(&d, 2026, 4, 12), CPW_OK);
  assert_int_equal(cpw__lang_date(b, sizeof b, CPW__STYLE_KA, d), CPW_OK);
  assert_string_equal(b, "2026 წლის 12 აპრილი");
  assert_int_equal(cpw__lang_date(b, sizeof b, CPW__STYLE_ISO, d), CPW_OK);
  assert_string_equal(b, "2026-04-12");
  assert_int_equal(cpw_date_from_ymd(&d, 2019, 1, 1), CPW_OK);
  assert_int_equal(cpw__lang_date(b, sizeof b, CPW__STYLE_KA, d), CPW_OK);
  assert_string_equal(b, "2019 წლის 1 იანვარი");
  assert_int_equal(cpw__lang_date(b, sizeof b, CPW__STYLE_KA, CPW_DATE_MAX + 1), CPW_EINVALID);
  assert_string_equal(b, "");
  assert_int_equal(cpw__lang_time(b, sizeof b, CPW__STYLE_KA, 1776000000, 240), CPW_OK);
  assert_string_equal(b, "2026 წლის 12 აპრილი, 17:20");
  cpw__lang_money(b, sizeof b, CPW__STYLE_KA, 20000);
  assert_string_equal(b, "200 \xE2\x82\xBE");
  cpw__lang_money(b, sizeof b, CPW__STYLE_KA, 1250);
  assert_string_equal(b, "12,50 \xE2\x82\xBE");
  cpw__lang_money(b, sizeof b, CPW__STYLE_KA, -12000000);
  assert_string_equal(b, "-120 000 \xE2\x82\xBE");
  cpw__lang_money(b, sizeof b, CPW__STYLE_ISO, 1250);
  assert_string_equal(b, "12.50 GEL");
  cpw__lang_int(b, sizeof b, CPW__STYLE_KA, 120000);
  assert_string_equal(b, "120 000");
  cpw__lang_int(b, sizeof b, CPW__STYLE_KA, 1000);
  assert_string_equal(b, "1000"); /* four digits are not grouped ("1000 ლარი") */
  cpw__lang_int(b, sizeof b, CPW__STYLE_ISO, 120000);
  assert_string_equal(b, "120000");
  cpw__lang_int(b, sizeof b, CPW__STYLE_KA, INT64_MIN);
  assert_string_equal(b, "-9 223 372 036 854 775 808");
}

static void test_lang__cut_between_characters(void **state)
{
  const char *args[1] = { "აკმაყოფილებს" }; /* 12 letters of 3 bytes */
  char b[64];
  size_t size, n;
  (void)state;
  for (size = 1; size < 40; size++) {
    n = cpw__lang_fill(b, size, "x {0} y", args, 1);
    assert_int_equal(n, strlen(b));
    assert_true(n < size);
    assert_true(cpw__utf8_valid(b, n));
  }
  n = cpw__lang_fill(b, sizeof b, "{0}: {1} {2}", args, 1); /* missing arguments are empty */
  assert_string_equal(b, "აკმაყოფილებს:  ");
  (void)n;
  for (size = 1; size < 30; size++) {
    cpw__lang_date(b, size, CPW__STYLE_KA, 20000);
    assert_true(strlen(b) < size);
    assert_true(cpw__utf8_valid(b, strlen(b)));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_lang__every_message_in_every_language),
    cmocka_unit_test(test_lang__georgian_dates_numbers_money),
    cmocka_unit_test(test_lang__cut_between_characters),
  };
  return cmocka_run_group_tests_name("lang", tests, NULL, NULL);
}
