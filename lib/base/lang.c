/* base/lang.c: the built-in message catalogues (English, Georgian) and the ways each writes
 * dates, numbers and money (see lang.h).
 *
 * Georgian wording follows ../shared/domain/GLOSSARY-ka.md: labels stay in the nominative and
 * sentences are "label: value" forms, so that no word is declined at run time; comparisons use
 * the fixed words of official texts (არაუმეტეს "at most", არანაკლებ "at least", არაუგვიანეს "not
 * later than"); dates are written "2026 წლის 12 აპრილი" and money "200 ₾". */
#include "base/lang.h"

#include <inttypes.h>
#include <stdio.h>

#include "base/utf8.h"

/* message keys (for `message KEY "text"` in a policy's labels, and cpw_message) */
static const char *const keys[MSG__COUNT] = {
  "eligible", "not_eligible", "undetermined", "error", "guard_failed", "guard_undetermined",
  "true", "false", "missing", "given", "not_evaluated", "invalid_value", "date_out_of_range",
  "time_out_of_range", "this_condition",
  "less_than", "at_most", "more_than", "at_least", "before", "on_or_before", "after",
  "on_or_after", "equal", "not_equal", "one_of", "none_of", "in", "not_in", "including",
  "without", "between", "outside", "needs_given", "needs_missing", "needs_true", "needs_false",
  "must_less_than", "must_at_most", "must_more_than", "must_at_least", "must_before",
  "must_on_or_before", "must_after", "must_on_or_after", "must_equal", "must_not_equal",
  "must_one_of", "must_none_of", "must_in", "must_not_in", "must_include", "must_not_include",
  "must_between", "must_outside", "must_given", "must_missing", "must_true", "must_false",
  "clause_fails", "clause_holds", "clause_holds_as", "clause_missing", "clause_missing_for",
  "clause_missing_for_many", "clause_unknown", "names_sep", "names_last",
  "join_and", "join_or", "join_none", "none_of_top", "none_of_open", "open", "close",
  "any_suffix", "all_suffix", "notes_sep",
  "in_force_from", "in_force_until", "eval_error", "part_rule", "part_benefit_when",
  "part_service_when", "part_benefit_amount",
};

static const char *const en[MSG__COUNT] = {
  "eligible", "not eligible", "undetermined", "error", "guard failed", "guard undetermined",
  "true", "false", "missing", "given", "not evaluated", "(invalid value)",
  "(date out of range)", "(time out of range)", "this condition",
  /* requirements */
  "less than {0}", "at most {0}", "more than {0}", "at least {0}", "before {0}",
  "on or before {0}", "after {0}", "on or after {0}", "{0}", "not {0}", "one of {0}",
  "none of {0}", "in {0}", "not in {0}", "including {0}", "without {0}", "between {0} and {1}",
  "outside {0} and {1}", "given", "missing", "true", "false",
  /* predicates */
  "be less than {0}", "be at most {0}", "be more than {0}", "be at least {0}", "be before {0}",
  "be on or before {0}", "be after {0}", "be on or after {0}", "be {0}", "not be {0}",
  "be one of {0}", "not be one of {0}", "be in {0}", "not be in {0}", "include {0}",
  "not include {0}", "be between {0} and {1}", "not be between {0} and {1}", "be given",
  "be missing", "be true", "be false",
  /* sentences */
  "{0} is {1}, but must {2}", "{0} is {1}", "{0} is {1}, {2}", "{0} is missing (it must {1})",
  "{0} is missing ({1} must {2})", "{0} are missing ({1} must {2})", "{0} is unknown", ", ",
  " and ",
  /* joining */
  "; and ", "; or ", "; ", "none of: ", "none of (", "(", ")",
  " \xE2\x80\x94 any one of them would suffice", " \xE2\x80\x94 all of them are needed", "; ",
  /* notes */
  "the programme is in force from {0}; the evaluation date is {1}",
  "the programme was in force until {0}; the evaluation date is {1}",
  "{0} could not be evaluated: a division by zero, an overflow or a date out of range",
  "its rule", "the condition of benefit '{0}'", "the condition of service '{0}'",
  "the amount of benefit '{0}'",
};

static const char *const ka[MSG__COUNT] = {
  "აკმაყოფილებს პირობებს", "არ აკმაყოფილებს პირობებს", "ვერ დადგინდა", "შეცდომა",
  "პირობა არ სრულდება", "პირობა ვერ შემოწმდა",
  "დიახ", "არა", "არ არის მითითებული", "მითითებულია", "არ შემოწმებულა",
  "(არასწორი მნიშვნელობა)", "(თარიღი დასაშვებ ფარგლებს გარეთაა)",
  "(დრო დასაშვებ ფარგლებს გარეთაა)", "ეს პირობა",
  /* requirements */
  "ნაკლები, ვიდრე {0}", "არაუმეტეს {0}", "მეტი, ვიდრე {0}", "არანაკლებ {0}",
  "უფრო ადრე, ვიდრე {0}", "არაუგვიანეს {0}", "უფრო გვიან, ვიდრე {0}", "არაუადრეს {0}", "{0}",
  "არა {0}", "ერთ-ერთი: {0}", "არცერთი: {0}", "ერთ-ერთი: {0}", "არცერთი: {0}",
  "მოიცავს: {0}", "არ მოიცავს: {0}", "არანაკლებ {0} და არაუმეტეს {1}",
  "ნაკლები, ვიდრე {0}, ან მეტი, ვიდრე {1}", "მითითებული მნიშვნელობა", "მნიშვნელობის გარეშე",
  "დიახ", "არა",
  /* predicates: the Georgian sentences say "საჭიროა: ..." with the requirement itself */
  "ნაკლები, ვიდრე {0}", "არაუმეტეს {0}", "მეტი, ვიდრე {0}", "არანაკლებ {0}",
  "უფრო ადრე, ვიდრე {0}", "არაუგვიანეს {0}", "უფრო გვიან, ვიდრე {0}", "არაუადრეს {0}", "{0}",
  "არა {0}", "ერთ-ერთი: {0}", "არცერთი: {0}", "ერთ-ერთი: {0}", "არცერთი: {0}",
  "მოიცავს: {0}", "არ მოიცავს: {0}", "არანაკლებ {0} და არაუმეტეს {1}",
  "ნაკლები, ვიდრე {0}, ან მეტი, ვიდრე {1}", "მითითებული მნიშვნელობა", "მნიშვნელობის გარეშე",
  "დიახ", "არა",
  /* sentences: "label: value" */
  "{0}: {1} (საჭიროა: {2})", "{0}: {1}", "{0}: {1} ({2})",
  "{0}: არ არის მითითებული (საჭიროა: {1})",
  "{0}: არ არის მითითებული (საჭიროა: {1} \xE2\x80\x94 {2})",
  "{0}: არ არის მითითებული (საჭიროა: {1} \xE2\x80\x94 {2})", "{0}: უცნობია", ", ", " და ",
  /* joining */
  "; და ", "; ან ", "; ", "არცერთი პირობა არ სრულდება: ", "არცერთი პირობა არ სრულდება (", "(",
  ")", " \xE2\x80\x94 საკმარისია რომელიმე ერთი", " \xE2\x80\x94 საჭიროა ყველა", "; ",
  /* notes */
  "პროგრამის ამოქმედების თარიღი: {0}; შეფასების თარიღი: {1}",
  "პროგრამის მოქმედების ბოლო დღე: {0}; შეფასების თარიღი: {1}",
  "{0} ვერ შეფასდა: ნულზე გაყოფა, გადავსება ან თარიღი დასაშვებ ფარგლებს გარეთ",
  "პროგრამის პირობა", "დახმარების „{0}“ პირობა", "მომსახურების „{0}“ პირობა",
  "დახმარების „{0}“ ოდენობა",
};

static const cpw__lang langs[] = {
  { "", "English (the policy's own names)", en, CPW__STYLE_ISO, 0 },
  { "en", "English", en, CPW__STYLE_ISO, 1 },
  { "ka", "ქართული", ka, CPW__STYLE_KA, 1 },
};

const cpw__lang *cpw__lang_get(const char *tag)
{
  size_t i;
  if (tag == NULL)
    return &langs[0];
  for (i = 0; i < CPW__ARRAY_LEN(langs); i++)
    if (strcmp(tag, langs[i].tag) == 0)
      return &langs[i];
  return NULL;
}

const cpw__lang *cpw__lang_names(void)
{
  return &langs[0];
}

const char *cpw__msg_key(int msg)
{
  return msg >= 0 && msg < MSG__COUNT ? keys[msg] : NULL;
}

int cpw__msg_find(const char *key, size_t len)
{
  int i;
  for (i = 0; i < MSG__COUNT; i++)
    if (strlen(keys[i]) == len && memcmp(keys[i], key, len) == 0)
      return i;
  return -1;
}

/* Cut s (a NUL-terminated text of n bytes written into a buffer that was too small) back to
 * the end of its last complete character. */
static size_t cut_char(char *s, size_t n)
{
  size_t i = n;
  /* back over continuation bytes to the last lead byte, and drop that character when it is
   * incomplete */
  while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
    i--;
  if (i > 0 && (unsigned char)s[i - 1] >= 0x80) {
    size_t lead = i - 1;
    if (cpw__utf8_seq((const unsigned char *)s + lead, n - lead) != n - lead)
      n = lead;
  }
  s[n] = '\0';
  return n;
}

size_t cpw__lang_fill(char *buf, size_t size, const char *tpl, const char *const *args,
                      int nargs)
{
  size_t o = 0;
  const char *p;
  int cut = 0;
  if (size == 0)
    return 0;
  for (p = tpl; *p != '\0' && !cut; p++) {
    const char *s = NULL;
    size_t n;
    if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      int k = p[1] - '0';
      s = k < nargs && args[k] != NULL ? args[k] : "";
      p += 2;
    }
    n = s != NULL ? strlen(s) : 1;
    if (o + n >= size) {
      n = size - 1 - o;
      cut = 1;
    }
    memcpy(buf + o, s != NULL ? s : p, n);
    o += n;
  }
  buf[o] = '\0';
  return cut ? cut_char(buf, o) : o;
}

/* ------------------------------------------------------------------ numbers, dates, money */

static const char *const ka_months[12] = {
  "იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი", "აგვისტო",
  "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი",
};

/* A text into buf, cut between characters. */
static void put(char *buf, size_t size, const char *s)
{
  size_t n = strlen(s);
  if (size == 0)
    return;
  if (n >= size) {
    memcpy(buf, s, size - 1);
    cut_char(buf, size - 1);
    return;
  }
  memcpy(buf, s, n + 1);
}

/* digits of a magnitude, grouped by three with spaces from five digits on (Georgian texts
 * write "1000 ლარი" and "120 000 ქულა") */
static void grouped(char *out, uint64_t a, int group)
{
  char d[24];
  int n = 0, i, o = 0;
  do {
    d[n++] = (char)('0' + a % 10);
    a /= 10;
  } while (a != 0);
  for (i = n - 1; i >= 0; i--) {
    out[o++] = d[i];
    if (group && n >= 5 && i > 0 && i % 3 == 0)
      out[o++] = ' ';
  }
  out[o] = '\0';
}

void cpw__lang_int(char *buf, size_t size, int style, int64_t v)
{
  char t[40], g[32];
  uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  grouped(g, a, style == CPW__STYLE_KA);
  snprintf(t, sizeof t, "%s%s", v < 0 ? "-" : "", g);
  put(buf, size, t);
}

void cpw__lang_money(char *buf, size_t size, int style, int64_t v)
{
  char t[48], g[32];
  uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int ka_style = style == CPW__STYLE_KA;
  grouped(g, a / 100, ka_style);
  if (a % 100 == 0)
    snprintf(t, sizeof t, "%s%s %s", v < 0 ? "-" : "", g, ka_style ? "\xE2\x82\xBE" : "GEL");
  else
    snprintf(t, sizeof t, "%s%s%c%02u %s", v < 0 ? "-" : "", g, ka_style ? ',' : '.',
             (unsigned)(a % 100), ka_style ? "\xE2\x82\xBE" : "GEL");
  put(buf, size, t);
}

int cpw__lang_date(char *buf, size_t size, int style, int64_t date)
{
  char iso[CPW_DATE_BUFSIZE], t[80];
  int y, m, d;
  if (size > 0)
    buf[0] = '\0';
  if (date < CPW_DATE_MIN || date > CPW_DATE_MAX ||
      cpw_date_format(iso, sizeof iso, (cpw_date)date) != CPW_OK)
    return CPW_EINVALID;
  if (style != CPW__STYLE_KA) {
    put(buf, size, iso);
    return CPW_OK;
  }
  cpw_date_to_ymd((cpw_date)date, &y, &m, &d);
  snprintf(t, sizeof t, "%d წლის %d %s", y, d, ka_months[m - 1]);
  put(buf, size, t);
  return CPW_OK;
}

int cpw__lang_time(char *buf, size_t size, int style, int64_t t, int tz_minutes)
{
  char iso[CPW_TIME_BUFSIZE], day[80], out[100];
  if (size > 0)
    buf[0] = '\0';
  if (cpw_time_format(iso, sizeof iso, t, tz_minutes) != CPW_OK)
    return CPW_EINVALID;
  if (style != CPW__STYLE_KA) {
    put(buf, size, iso);
    return CPW_OK;
  }
  /* the local date and the time of day (hours:minutes) in the policy's zone */
  if (cpw__lang_date(day, sizeof day, style, cpw_time_to_date(t, tz_minutes)) != CPW_OK)
    return CPW_EINVALID;
  snprintf(out, sizeof out, "%s, %.5s", day, iso + 11);
  put(buf, size, out);
  return CPW_OK;
}
