/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the deinstitutionalization indicators on small hand-checked placement logs:
 * period boundaries ([start, end): a child who left on day `to` is not in care at its end),
 * entries and exits by setting and reason, family share, median stay, moves per child, the
 * month-end series, region filtering, empty registries and one-day periods, the table, CSV and
 * JSON outputs; and the journal: a replayed registry gives identical indicators, and an
 * operation whose journal append fails leaves the registry as it was. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "journal/journal_int.h"
#include "testalloc.h"
#include "registry_fixture.h"

#define CHECK_OK(f, call)                                                                \
  do {                                                                                   \
    int rc_ = (call);                                                                    \
    if (rc_ != CPW_OK)                                                                   \
      fail_msg("%s: %d (%s)", #call, rc_, cpw_ctx_last_error((f)->ctx)->message);         \
  } while (0)

static size_t S(const fixture *f, const char *id)
{
  size_t i;
  for (i = 0; i < cpw_policy_setting_count(f->pol); i++)
    if (strcmp(cpw_policy_setting(f->pol, i), id) == 0)
      return i;
  fail_msg("no setting %s", id);
  return 0;
}

/* where: a facility id, or a setting id (then placed in `region`) */
static cpw_placement_request request(const fixture *f, const char *child, const char *where,
                                     const char *region, cpw_date date)
{
  cpw_placement_request r = CPW_PLACEMENT_REQUEST_INIT;
  int facility = cpw_registry_occupancy(f->reg, where) >= 0;
  r.child = child;
  r.facility = facility ? where : NULL;
  r.setting = facility ? NULL : where;
  r.region = region;
  r.date = date;
  r.actor = "sw-1";
  r.role = "social_worker";
  r.flags = CPW_PLACE_EXISTING; /* the logs are history: gatekeeping is tested elsewhere */
  return r;
}

static void child(fixture *f, const char *id, cpw_date birth)
{
  CHECK_OK(f, cpw_registry_add_child(f->reg, id, birth, NULL));
}

static void put(fixture *f, const char *id, const char *where, const char *region, cpw_date d)
{
  cpw_placement_request r = request(f, id, where, region, d);
  CHECK_OK(f, cpw_registry_place(f->reg, &r));
}

static void mv(fixture *f, const char *id, const char *where, const char *region, cpw_date d)
{
  cpw_placement_request r = request(f, id, where, region, d);
  CHECK_OK(f, cpw_registry_move(f->reg, &r));
}

static void end(fixture *f, const char *id, cpw_date d, int reason)
{
  CHECK_OK(f, cpw_registry_end(f->reg, id, d, reason, "sw-1", "social_worker"));
}

static cpw_indicators *compute(fixture *f, cpw_date from, cpw_date to, const char *region)
{
  cpw_indicators *ind = NULL;
  CHECK_OK(f, cpw_registry_indicators(f->reg, f->ctx, from, to, region, &ind));
  assert_non_null(ind);
  return ind;
}

static char *render(fixture *f, const cpw_indicators *ind, int format)
{
  char *text = NULL;
  size_t len = 0;
  CHECK_OK(f, cpw_indicators_format(ind, f->ctx, format, &text, &len));
  assert_non_null(text);
  assert_int_equal(strlen(text), len);
  if (getenv("CPW_TEST_VERBOSE") != NULL)
    print_message("%s\n", text);
  return text;
}

/* The invariants every result must satisfy. */
static void check_consistent(const fixture *f, const cpw_indicators *ind)
{
  const cpw_indicator_summary *s = cpw_indicators_summary(ind);
  size_t k, n = cpw_policy_setting_count(f->pol);
  int64_t at_end = 0, entries = 0, exits = 0, moves = 0;
  int64_t by_cat[CPW_CATEGORY_COUNT] = { 0, 0, 0, 0 };
  int r;
  for (k = 0; k < n; k++) {
    /* the own family with support is not alternative care: apart from the summary's counts */
    int own = cpw_policy_setting_category(f->pol, k) == CPW_CATEGORY_OWN_FAMILY;
    at_end += own ? 0 : cpw_indicators_at_end(ind, k);
    by_cat[cpw_policy_setting_category(f->pol, k)] += cpw_indicators_at_end(ind, k);
    entries += own ? 0 : cpw_indicators_entries(ind, k);
    for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
      exits += own ? 0 : cpw_indicators_exits(ind, k, r);
    moves += own ? 0 : cpw_indicators_exits(ind, k, CPW_EXIT_MOVED);
  }
  assert_int_equal(s->placed_at_end, s->family_at_end + s->family_type_at_end +
                                       s->residential_at_end);
  assert_int_equal(at_end, s->placed_at_end);
  assert_int_equal(by_cat[0], s->family_at_end);
  assert_int_equal(by_cat[1], s->family_type_at_end);
  assert_int_equal(by_cat[2], s->residential_at_end);
  assert_int_equal(by_cat[3], cpw_indicators_care(ind)->own_family_at_end);
  {
    const cpw_indicator_care *care = cpw_indicators_care(ind);
    assert_int_equal(care->left_care + care->moved_within_care, s->exits);
  }
  assert_int_equal(entries, s->entries);
  assert_int_equal(exits, s->exits);
  assert_int_equal(moves, s->moves);
  assert_true(s->placed_at_end <= s->children);
  {
    /* by key (cpw_indicators_value): the same figures as the structs, each key once, in the
     * documented order; the other name of the share */
    const cpw_indicator_care *care = cpw_indicators_care(ind);
    const struct { const char *key; double want; } keyed[] = {
      { "placed_at_end", (double)s->placed_at_end }, { "family_at_end", (double)s->family_at_end },
      { "family_type_at_end", (double)s->family_type_at_end },
      { "residential_at_end", (double)s->residential_at_end }, { "family_share", s->family_share },
      { "entries", (double)s->entries }, { "exits", (double)s->exits },
      { "moves", (double)s->moves }, { "children", (double)s->children },
      { "moves_per_child", s->moves_per_child }, { "median_stay_days", s->median_stay_days },
      { "left_care", (double)care->left_care },
      { "moved_within_care", (double)care->moved_within_care },
      { "own_family_at_end", (double)care->own_family_at_end },
      { "residential_under3_at_end", -1 }, /* by key only: checked by its own test */
    };
    double v = -1;
    for (k = 0; k < sizeof keyed / sizeof keyed[0]; k++) {
      assert_string_equal(cpw_indicator_key(k), keyed[k].key);
      assert_int_equal(cpw_indicators_value(ind, keyed[k].key, &v), CPW_OK);
      assert_true(v == keyed[k].want || (keyed[k].want == -1 && v >= 0));
    }
    assert_null(cpw_indicator_key(k));
    assert_int_equal(cpw_indicators_value(ind, "family_based_share", &v), CPW_OK);
    assert_true(v == s->family_share);
    assert_int_equal(cpw_indicators_value(ind, "family_based", &v), CPW_ENOTFOUND);
    assert_true(v == 0);
  }
  {
    cpw_date last = 0;
    int64_t v = 0;
    size_t nser = cpw_indicators_series_count(ind);
    assert_true(nser >= 1);
    assert_int_equal(cpw_indicators_series(ind, nser - 1, &last, &v), CPW_OK);
    assert_int_equal(last, s->to);
    assert_int_equal(v, s->residential_at_end);
    assert_int_equal(cpw_indicators_series(ind, nser, &last, &v), CPW_EINVALID);
  }
}

/* ------------------------------------------------------------------ a tiny JSON reader */

/* Every scalar of a JSON document as "path=value" lines (path: a.b[2].c), or NULL when the
 * text is not valid JSON. Strings are written bare, numbers as their literal. */
static char *json_flatten(cpw_ctx *ctx, const char *text)
{
  cpw__json_reader r;
  cpw__json_token t;
  char path[32][64];
  int index[32], is_array[32], depth = 0, rc;
  size_t cap = 1 << 16, len = 0;
  char *out = malloc(cap);
  char key[64] = "";
  assert_non_null(out);
  out[0] = '\0';
  cpw__json_reader_init(&r, ctx, text, strlen(text));
  while ((rc = cpw__json_next(&r, &t)) == CPW_OK && t.type != CPW__JSON_EOF) {
    char name[128], full[2048];
    size_t i;
    if (t.type == CPW__JSON_KEY) {
      snprintf(key, sizeof key, "%.*s", (int)t.len, t.str);
      continue;
    }
    if (t.type == CPW__JSON_ARRAY_END || t.type == CPW__JSON_OBJECT_END) {
      depth--;
      continue;
    }
    /* this value's name */
    if (depth > 0 && is_array[depth - 1])
      snprintf(name, sizeof name, "[%d]", index[depth - 1]++);
    else if (depth > 0)
      snprintf(name, sizeof name, "%s%s", depth > 1 ? "." : "", key);
    else
      name[0] = '\0';
    full[0] = '\0';
    for (i = 0; i < (size_t)depth; i++)
      strcat(full, path[i]);
    strcat(full, name);
    if (t.type == CPW__JSON_ARRAY || t.type == CPW__JSON_OBJECT) {
      assert_true(depth < 31);
      /* a container's own path is what its children are prefixed with */
      snprintf(path[depth], sizeof path[depth], "%s", name);
      is_array[depth] = t.type == CPW__JSON_ARRAY;
      index[depth] = 0;
      depth++;
      continue;
    }
    {
      char val[256];
      if (t.type == CPW__JSON_NULL)
        snprintf(val, sizeof val, "null");
      else if (t.type == CPW__JSON_TRUE || t.type == CPW__JSON_FALSE)
        snprintf(val, sizeof val, "%s", t.type == CPW__JSON_TRUE ? "true" : "false");
      else
        snprintf(val, sizeof val, "%.*s", (int)t.len, t.str);
      if (len + strlen(full) + strlen(val) + 3 > cap) {
        cap *= 2;
        out = realloc(out, cap);
        assert_non_null(out);
      }
      len += (size_t)sprintf(out + len, "%s=%s\n", full, val);
    }
  }
  cpw__json_reader_free(&r);
  if (rc != CPW_OK) {
    free(out);
    return NULL;
  }
  return out;
}

#define assert_has_line(text, line)                                                      \
  do {                                                                                   \
    char want_[512];                                                                     \
    snprintf(want_, sizeof want_, "\n%s\n", (line));                                     \
    if (strstr((text), want_) == NULL && strncmp((text), want_ + 1, strlen(want_ + 1)) != 0) \
      fail_msg("no line '%s' in:\n%s", (line), (text));                                  \
  } while (0)

static int count_lines(const char *s)
{
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* ------------------------------------------------------------------ the 2020 log */

/* Children A..H over 2019-2021 (see each line); the period is 2020. */
static void log_2020(fixture *f)
{
  const char *ids[] = { "A", "B", "C", "D", "E", "F", "G", "H" };
  size_t i;
  for (i = 0; i < 8; i++)
    child(f, ids[i], D(2014, 1, 1));
  /* A: Kojori from before the period until after it: in care at the end */
  put(f, "A", "kojori", NULL, D(2019, 6, 1));
  end(f, "A", D(2021, 3, 1), CPW_EXIT_REUNIFIED);
  /* B: foster care from the first day to the last: an entry and an exit, not in care at the
   * end (left on `to`); 365 days */
  put(f, "B", "foster_care", "Tbilisi", D(2020, 1, 1));
  end(f, "B", D(2020, 12, 31), CPW_EXIT_ADOPTED);
  /* C: the Infant House until the first day of the period (306 days), then moved to a small
   * family-type home that goes on */
  put(f, "C", "tbilisi_infant_house", NULL, D(2019, 3, 1));
  mv(f, "C", "small_group_home", "Tbilisi", D(2020, 1, 1));
  /* D: a shelter in Kutaisi from the last day */
  put(f, "D", "shelter_24h", "Kutaisi", D(2020, 12, 31));
  /* E: kinship care in 2018-2019 only */
  put(f, "E", "kinship", "Tbilisi", D(2018, 1, 1));
  end(f, "E", D(2019, 5, 1), CPW_EXIT_REUNIFIED);
  /* F: foster care from the day after the period */
  put(f, "F", "foster_care", "Tbilisi", D(2021, 1, 1));
  /* G: foster care in Kutaisi from May */
  put(f, "G", "foster_care", "Kutaisi", D(2020, 5, 1));
  /* H: Kojori for 2019, left the day before the period began */
  put(f, "H", "kojori", NULL, D(2019, 1, 1));
  end(f, "H", D(2019, 12, 31), CPW_EXIT_AGED_OUT);
}

static void test_indicators__period_boundaries(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  const cpw_indicator_summary *s;
  int r;
  log_2020(f);
  ind = compute(f, D(2020, 1, 1), D(2020, 12, 31), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->from, D(2020, 1, 1));
  assert_int_equal(s->to, D(2020, 12, 31));
  /* at the end: A (institution), C (small group home), D (shelter), G (foster) */
  assert_int_equal(s->placed_at_end, 4);
  assert_int_equal(s->family_at_end, 1);
  assert_int_equal(s->family_type_at_end, 1);
  assert_int_equal(s->residential_at_end, 2);
  assert_true(s->family_share == 0.25);
  assert_int_equal(cpw_indicators_at_end(ind, S(f, "institution")), 1);
  assert_int_equal(cpw_indicators_at_end(ind, S(f, "small_group_home")), 1);
  assert_int_equal(cpw_indicators_at_end(ind, S(f, "shelter_24h")), 1);
  assert_int_equal(cpw_indicators_at_end(ind, S(f, "foster_care")), 1);
  assert_int_equal(cpw_indicators_at_end(ind, S(f, "infant_home")), 0);
  /* entries: B, C's move, D, G */
  assert_int_equal(s->entries, 4);
  assert_int_equal(cpw_indicators_entries(ind, S(f, "foster_care")), 2);
  assert_int_equal(cpw_indicators_entries(ind, S(f, "small_group_home")), 1);
  assert_int_equal(cpw_indicators_entries(ind, S(f, "shelter_24h")), 1);
  assert_int_equal(cpw_indicators_entries(ind, S(f, "institution")), 0);
  /* exits: B adopted from foster care on the last day, C moved out of the Infant House on
   * the first; H (the day before) and A (after) are not */
  assert_int_equal(s->exits, 2);
  assert_int_equal(s->moves, 1);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "foster_care"), CPW_EXIT_ADOPTED), 1);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "infant_home"), CPW_EXIT_MOVED), 1);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "institution"), CPW_EXIT_AGED_OUT), 0);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "institution"), CPW_EXIT_REUNIFIED), 0);
  for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
    if (r != CPW_EXIT_ADOPTED)
      assert_int_equal(cpw_indicators_exits(ind, S(f, "foster_care"), r), 0);
  assert_int_equal(cpw_indicators_exits(ind, 99, 0), 0);
  assert_int_equal(cpw_indicators_exits(ind, 0, CPW_EXIT_REASON_COUNT), 0);
  assert_int_equal(cpw_indicators_at_end(ind, 99), 0);
  /* children in care at some time: A, B, C, D, G (not H, E, F) */
  assert_int_equal(s->children, 5);
  assert_true(s->moves_per_child == 0.2);
  /* median of 306 and 365 */
  assert_true(s->median_stay_days == 335.5);
  cpw_indicators_free(ind);

  /* the period ending the day before: B and D not yet at their end days */
  ind = compute(f, D(2020, 1, 1), D(2020, 12, 30), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end, 4); /* A, B, C, G */
  assert_int_equal(s->family_at_end, 2);
  assert_int_equal(s->exits, 1);
  assert_int_equal(s->entries, 3);
  assert_true(s->median_stay_days == 306.0);
  assert_int_equal(s->children, 4);
  cpw_indicators_free(ind);

  /* 2019: A, C and H in care; E and H left */
  ind = compute(f, D(2019, 1, 1), D(2019, 12, 31), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end, 2);   /* A and C; H left on 2019-12-31 */
  assert_int_equal(s->residential_at_end, 2);
  assert_true(s->family_share == 0.0);
  assert_int_equal(s->entries, 3);         /* A, C, H */
  assert_int_equal(s->exits, 2);           /* E (485 days), H (364 days) */
  assert_int_equal(cpw_indicators_exits(ind, S(f, "institution"), CPW_EXIT_AGED_OUT), 1);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "kinship"), CPW_EXIT_REUNIFIED), 1);
  assert_true(s->median_stay_days == (364.0 + 485.0) / 2);
  assert_int_equal(s->children, 4);        /* A, C, E, H */
  cpw_indicators_free(ind);
}

static void test_indicators__one_day_periods(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  const cpw_indicator_summary *s;
  cpw_date d;
  int64_t v;
  log_2020(f);
  /* the last day: B leaves and D arrives */
  ind = compute(f, D(2020, 12, 31), D(2020, 12, 31), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end, 4);  /* A, C, D, G */
  assert_int_equal(s->entries, 1);        /* D */
  assert_int_equal(s->exits, 1);          /* B */
  assert_int_equal(s->children, 4);       /* B left that day: not in care on it */
  assert_true(s->median_stay_days == 365.0);
  assert_int_equal(cpw_indicators_series_count(ind), 1);
  assert_int_equal(cpw_indicators_series(ind, 0, &d, &v), CPW_OK);
  assert_int_equal(d, D(2020, 12, 31));
  assert_int_equal(v, 2);
  cpw_indicators_free(ind);
  /* the first day: C moves, B arrives */
  ind = compute(f, D(2020, 1, 1), D(2020, 1, 1), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end, 3);  /* A, B, C */
  assert_int_equal(s->residential_at_end, 1);
  assert_int_equal(s->entries, 2);
  assert_int_equal(s->exits, 1);
  assert_int_equal(s->moves, 1);
  assert_int_equal(s->children, 3);
  assert_true(s->moves_per_child == 1.0 / 3.0);
  assert_int_equal(cpw_indicators_series_count(ind), 1);
  cpw_indicators_free(ind);
}

static void test_indicators__regions(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  const cpw_indicator_summary *s;
  size_t i;
  log_2020(f);
  ind = compute(f, D(2020, 1, 1), D(2020, 12, 31), "Tbilisi");
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end, 2);  /* A, C */
  assert_int_equal(s->residential_at_end, 1);
  assert_int_equal(s->family_type_at_end, 1);
  assert_int_equal(s->entries, 2);        /* B, C */
  assert_int_equal(s->exits, 2);
  assert_int_equal(s->children, 3);
  assert_true(s->median_stay_days == 335.5);
  cpw_indicators_free(ind);
  ind = compute(f, D(2020, 1, 1), D(2020, 12, 31), "Kutaisi");
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end, 2);  /* D, G */
  assert_int_equal(s->family_at_end, 1);
  assert_int_equal(s->residential_at_end, 1);
  assert_true(s->family_share == 0.5);
  assert_int_equal(s->entries, 2);
  assert_int_equal(s->exits, 0);
  assert_true(s->median_stay_days == 0.0);
  assert_int_equal(s->children, 2);
  assert_true(s->moves_per_child == 0.0);
  cpw_indicators_free(ind);
  /* an unknown region: zeros everywhere, the series included */
  ind = compute(f, D(2020, 1, 1), D(2020, 12, 31), "Batumi");
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end + s->entries + s->exits + s->children + s->moves, 0);
  assert_true(s->family_share == 0.0 && s->median_stay_days == 0.0);
  assert_int_equal(cpw_indicators_series_count(ind), 12);
  for (i = 0; i < 12; i++) {
    int64_t v = -1;
    assert_int_equal(cpw_indicators_series(ind, i, NULL, &v), CPW_OK);
    assert_int_equal(v, 0);
  }
  cpw_indicators_free(ind);
  /* the regions together are all of it */
  {
    cpw_indicators *all = compute(f, D(2020, 1, 1), D(2020, 12, 31), NULL);
    assert_int_equal(cpw_indicators_summary(all)->placed_at_end, 4);
    assert_int_equal(cpw_indicators_summary(all)->entries, 4);
    cpw_indicators_free(all);
  }
}

static void test_indicators__median_and_moves(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  const cpw_indicator_summary *s;
  child(f, "X", D(2012, 1, 1));
  child(f, "Y", D(2012, 1, 1));
  child(f, "Z", D(2012, 1, 1));
  child(f, "W", D(2012, 1, 1));
  /* stays of 10, 30 and 20 days ending in March 2021 */
  put(f, "X", "foster_care", "Gori", D(2021, 3, 1));
  end(f, "X", D(2021, 3, 11), CPW_EXIT_REUNIFIED);
  put(f, "Y", "foster_care", "Gori", D(2021, 2, 1));
  end(f, "Y", D(2021, 3, 3), CPW_EXIT_KINSHIP);
  put(f, "Z", "kinship", "Gori", D(2021, 3, 1));
  end(f, "Z", D(2021, 3, 21), CPW_EXIT_OTHER);
  ind = compute(f, D(2021, 3, 1), D(2021, 3, 31), NULL);
  check_consistent(f, ind);
  assert_true(cpw_indicators_summary(ind)->median_stay_days == 20.0);
  cpw_indicators_free(ind);
  /* a fourth of 100 days: (20 + 30) / 2 */
  put(f, "W", "kinship", "Gori", D(2020, 12, 20));
  end(f, "W", D(2021, 3, 30), CPW_EXIT_DIED);
  ind = compute(f, D(2021, 3, 1), D(2021, 3, 31), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_true(s->median_stay_days == 25.0);
  assert_int_equal(s->exits, 4);
  assert_int_equal(s->placed_at_end, 0);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "kinship"), CPW_EXIT_DIED), 1);
  cpw_indicators_free(ind);
  /* moves per child counts distinct children: X moved three times in April, Y placed once */
  put(f, "X", "foster_care", "Gori", D(2021, 4, 1));
  mv(f, "X", "kinship", "Gori", D(2021, 4, 10));
  mv(f, "X", "small_group_home", "Gori", D(2021, 4, 20));
  mv(f, "X", "foster_care", "Gori", D(2021, 4, 25));
  put(f, "Y", "kinship", "Gori", D(2021, 4, 5));
  ind = compute(f, D(2021, 4, 1), D(2021, 4, 30), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->moves, 3);
  assert_int_equal(s->exits, 3);
  assert_int_equal(s->entries, 5);
  assert_int_equal(s->children, 2);
  assert_true(s->moves_per_child == 1.5);
  assert_true(s->median_stay_days == 9.0); /* 9, 10, 5 */
  assert_int_equal(cpw_indicators_exits(ind, S(f, "small_group_home"), CPW_EXIT_MOVED), 1);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "kinship"), CPW_EXIT_MOVED), 1);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "foster_care"), CPW_EXIT_MOVED), 1);
  cpw_indicators_free(ind);
  /* a move on the day the placement began: a stay of 0 days */
  mv(f, "Y", "foster_care", "Gori", D(2021, 4, 5));
  ind = compute(f, D(2021, 4, 5), D(2021, 4, 5), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->moves, 1);
  assert_int_equal(s->entries, 2);
  assert_true(s->median_stay_days == 0.0);
  assert_int_equal(s->placed_at_end, 2);
  cpw_indicators_free(ind);
}

/* Leaving care and moving within it; the own family with support is not care. */
static void test_indicators__left_care_and_moves_within_care(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  const cpw_indicator_summary *s;
  static const char *const ids[] = { "P", "Q", "R", "T", "U", "V" };
  size_t i;
  for (i = 0; i < 6; i++)
    child(f, ids[i], D(2012, 1, 1));
  /* P: Kojori, moved to foster care in Kutaisi: within care (in both regions' counts) */
  put(f, "P", "kojori", NULL, D(2019, 1, 1));
  mv(f, "P", "foster_care", "Kutaisi", D(2022, 2, 1));
  /* Q: Kojori, moved home (biological family with support): left care */
  put(f, "Q", "kojori", NULL, D(2019, 1, 1));
  mv(f, "Q", "biological_family", "Tbilisi", D(2022, 3, 1));
  /* R: foster care, ended as fostered with no next placement recorded: within care */
  put(f, "R", "foster_care", "Tbilisi", D(2021, 1, 1));
  end(f, "R", D(2022, 4, 1), CPW_EXIT_FOSTERED);
  /* T: small home, ended as reunified, placed in kinship care the same day: within care */
  put(f, "T", "small_group_home", "Tbilisi", D(2021, 1, 1));
  end(f, "T", D(2022, 5, 1), CPW_EXIT_REUNIFIED);
  put(f, "T", "kinship", "Tbilisi", D(2022, 5, 1));
  /* U: kinship care, adopted; V: kinship, back in kinship the next day: both left care */
  put(f, "U", "kinship", "Tbilisi", D(2021, 1, 1));
  end(f, "U", D(2022, 6, 1), CPW_EXIT_ADOPTED);
  put(f, "V", "kinship", "Tbilisi", D(2021, 1, 1));
  end(f, "V", D(2022, 7, 1), CPW_EXIT_OTHER);
  put(f, "V", "kinship", "Tbilisi", D(2022, 7, 2));
  ind = compute(f, D(2022, 1, 1), D(2022, 12, 31), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->exits, 6);
  assert_int_equal(cpw_indicators_care(ind)->moved_within_care, 3); /* P, R, T */
  assert_int_equal(cpw_indicators_care(ind)->left_care, 3);         /* Q, U, V */
  assert_int_equal(cpw_indicators_care(ind)->own_family_at_end, 1); /* Q */
  assert_int_equal(s->placed_at_end, 3);     /* P, T, V */
  assert_int_equal(s->family_at_end, 3);
  assert_true(s->family_share == 1.0);
  assert_int_equal(s->entries, 3);           /* P's foster care, T's and V's kinship */
  assert_int_equal(s->children, 6);
  assert_int_equal(cpw_indicators_at_end(ind, S(f, "biological_family")), 1);
  assert_int_equal(cpw_indicators_entries(ind, S(f, "biological_family")), 1);
  cpw_indicators_free(ind);
  /* Tbilisi alone: P's move to Kutaisi is still within care */
  ind = compute(f, D(2022, 1, 1), D(2022, 12, 31), "Tbilisi");
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(cpw_indicators_care(ind)->moved_within_care, 3);
  assert_int_equal(cpw_indicators_care(ind)->left_care, 3);
  assert_int_equal(s->placed_at_end, 2);     /* T, V */
  cpw_indicators_free(ind);
}

static void test_indicators__month_end_series(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  static const int want_days[][3] = { { 2020, 1, 31 }, { 2020, 2, 29 }, { 2020, 3, 31 },
                                      { 2020, 4, 10 } };
  static const int64_t want[] = { 1, 2, 2, 1 };
  size_t i;
  child(f, "A", D(2010, 1, 1));
  child(f, "I", D(2017, 1, 1));
  child(f, "J", D(2010, 1, 1));
  child(f, "K", D(2010, 1, 1));
  put(f, "A", "kojori", NULL, D(2019, 1, 1));
  /* I: the Infant House from 29 February until 31 March (left that day) */
  put(f, "I", "tbilisi_infant_house", NULL, D(2020, 2, 29));
  end(f, "I", D(2020, 3, 31), CPW_EXIT_REUNIFIED);
  /* J: a shelter from 15 March until 10 April (the period's last day) */
  put(f, "J", "shelter_24h", "Rustavi", D(2020, 3, 15));
  end(f, "J", D(2020, 4, 10), CPW_EXIT_OTHER);
  /* K: foster care: not residential */
  put(f, "K", "foster_care", "Rustavi", D(2020, 1, 1));
  ind = compute(f, D(2020, 1, 15), D(2020, 4, 10), NULL);
  check_consistent(f, ind);
  assert_int_equal(cpw_indicators_series_count(ind), 4);
  for (i = 0; i < 4; i++) {
    cpw_date d;
    int64_t v;
    assert_int_equal(cpw_indicators_series(ind, i, &d, &v), CPW_OK);
    assert_int_equal(d, D(want_days[i][0], want_days[i][1], want_days[i][2]));
    if (v != want[i])
      fail_msg("series %zu: %lld, expected %lld", i, (long long)v, (long long)want[i]);
  }
  cpw_indicators_free(ind);
  /* a period ending on a month end lists it once; February of a common year */
  ind = compute(f, D(2021, 1, 1), D(2021, 3, 31), NULL);
  assert_int_equal(cpw_indicators_series_count(ind), 3);
  {
    cpw_date d;
    assert_int_equal(cpw_indicators_series(ind, 1, &d, NULL), CPW_OK);
    assert_int_equal(d, D(2021, 2, 28));
    assert_int_equal(cpw_indicators_series(ind, 2, &d, NULL), CPW_OK);
    assert_int_equal(d, D(2021, 3, 31));
  }
  cpw_indicators_free(ind);
  /* from a month end: that day is the first point */
  ind = compute(f, D(2020, 2, 29), D(2020, 3, 1), NULL);
  assert_int_equal(cpw_indicators_series_count(ind), 2);
  {
    cpw_date d;
    int64_t v;
    assert_int_equal(cpw_indicators_series(ind, 0, &d, &v), CPW_OK);
    assert_int_equal(d, D(2020, 2, 29));
    assert_int_equal(v, 2);
  }
  cpw_indicators_free(ind);
  /* the Rustavi region alone: J only */
  ind = compute(f, D(2020, 1, 15), D(2020, 4, 10), "Rustavi");
  {
    int64_t v;
    assert_int_equal(cpw_indicators_series(ind, 2, NULL, &v), CPW_OK);
    assert_int_equal(v, 1);
    assert_int_equal(cpw_indicators_series(ind, 3, NULL, &v), CPW_OK);
    assert_int_equal(v, 0);
  }
  cpw_indicators_free(ind);
  /* ten years: 120 month ends */
  ind = compute(f, D(2010, 1, 1), D(2019, 12, 31), NULL);
  assert_int_equal(cpw_indicators_series_count(ind), 120);
  cpw_indicators_free(ind);
}

/* residential_under3_at_end: in residential care at the end and not yet 3 on its last day; a
 * third birthday on that day counts as 3; a 29 February birthday is 3 on 1 March of a common
 * year (cpw_date_age, as the gatekeeping rule); family care and unknown birth dates are not
 * counted */
static void test_indicators__residential_under3(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  double v = -1;
  child(f, "turns3", D(2017, 2, 28));     /* 3 on 2020-02-28 */
  child(f, "two", D(2017, 3, 1));         /* 2 on 2020-02-28 */
  child(f, "leap", D(2016, 2, 29));       /* 3 on 2019-02-28 */
  child(f, "foster", D(2019, 1, 1));      /* under 3, but in family care */
  child(f, "unknown", CPW_DATE_MIN);      /* birth date not known */
  child(f, "left", D(2019, 6, 1));        /* under 3, left residential care on the last day */
  put(f, "turns3", "kojori", NULL, D(2018, 1, 1));
  put(f, "two", "kojori", NULL, D(2018, 1, 1));
  put(f, "leap", "kojori", NULL, D(2018, 1, 1));
  put(f, "foster", "foster_care", "Tbilisi", D(2019, 2, 1));
  put(f, "unknown", "kojori", NULL, D(2018, 1, 1));
  put(f, "left", "kojori", NULL, D(2019, 7, 1));
  end(f, "left", D(2020, 2, 28), CPW_EXIT_REUNIFIED);
  ind = compute(f, D(2020, 1, 1), D(2020, 2, 28), NULL);
  check_consistent(f, ind);
  assert_int_equal(cpw_indicators_summary(ind)->residential_at_end, 4);
  assert_int_equal(cpw_indicators_value(ind, "residential_under3_at_end", &v), CPW_OK);
  assert_true(v == 1); /* "two" */
  cpw_indicators_free(ind);
  /* a day earlier "turns3" is 2 too; the 29 February child was 3 a year before */
  ind = compute(f, D(2020, 1, 1), D(2020, 2, 27), NULL);
  assert_int_equal(cpw_indicators_value(ind, "residential_under3_at_end", &v), CPW_OK);
  assert_true(v == 3); /* turns3, two, left */
  cpw_indicators_free(ind);
  ind = compute(f, D(2019, 1, 1), D(2019, 2, 27), NULL);
  assert_int_equal(cpw_indicators_value(ind, "residential_under3_at_end", &v), CPW_OK);
  assert_true(v == 3); /* turns3, two, leap (2 until 2019-02-28) */
  cpw_indicators_free(ind);
  ind = compute(f, D(2019, 1, 1), D(2019, 2, 28), NULL);
  assert_int_equal(cpw_indicators_value(ind, "residential_under3_at_end", &v), CPW_OK);
  assert_true(v == 3); /* the 29 February child is still 2 on 28 February 2019 */
  cpw_indicators_free(ind);
  ind = compute(f, D(2019, 1, 1), D(2019, 3, 1), NULL);
  assert_int_equal(cpw_indicators_value(ind, "residential_under3_at_end", &v), CPW_OK);
  assert_true(v == 2); /* and 3 on 1 March */
  cpw_indicators_free(ind);
}

static void test_indicators__open_ended_period(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  const cpw_indicator_summary *s;
  /* a period up to the last representable day: open placements are in care at its end, and
   * they have not ended */
  child(f, "A", D(2010, 1, 1));
  child(f, "B", D(2010, 1, 1));
  put(f, "A", "kojori", NULL, D(2019, 1, 1));
  put(f, "B", "foster_care", "Tbilisi", D(2019, 1, 1));
  end(f, "B", D(2020, 1, 1), CPW_EXIT_REUNIFIED);
  ind = compute(f, D(2019, 1, 1), CPW_DATE_MAX, NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end, 1);
  assert_int_equal(s->residential_at_end, 1);
  assert_int_equal(s->exits, 1);
  assert_int_equal(cpw_indicators_exits(ind, S(f, "institution"), CPW_EXIT_REUNIFIED), 0);
  assert_int_equal(s->entries, 2);
  assert_true(s->median_stay_days == 365.0);
  cpw_indicators_free(ind);
}

static void test_indicators__empty_registry(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  const cpw_indicator_summary *s;
  char *text, *flat;
  size_t k;
  ind = compute(f, D(2020, 1, 1), D(2020, 1, 1), NULL);
  check_consistent(f, ind);
  s = cpw_indicators_summary(ind);
  assert_int_equal(s->placed_at_end + s->entries + s->exits + s->children + s->moves, 0);
  assert_true(s->family_share == 0.0 && s->moves_per_child == 0.0 &&
              s->median_stay_days == 0.0);
  for (k = 0; k < cpw_policy_setting_count(f->pol); k++)
    assert_int_equal(cpw_indicators_at_end(ind, k) + cpw_indicators_entries(ind, k), 0);
  text = render(f, ind, CPW_INDICATORS_CSV);
  assert_int_equal(strncmp(text,
                           "indicator,setting,reason,date,value\n"
                           "period_from,,,2020-01-01,\n"
                           "period_to,,,2020-01-01,\n"
                           "placed_at_end,,,,0\n"
                           "family_at_end,,,,0\n"
                           "family_type_at_end,,,,0\n"
                           "residential_at_end,,,,0\n"
                           "family_share,,,,0.0000\n"
                           "entries,,,,0\n"
                           "exits,,,,0\n"
                           "moves,,,,0\n"
                           "children,,,,0\n"
                           "moves_per_child,,,,0.0000\n"
                           "median_stay_days,,,,0.0\n"
                           "left_care,,,,0\n"
                           "moved_within_care,,,,0\n"
                           "own_family_at_end,,,,0\n"
                           "residential_under3_at_end,,,,0\n"
                           "at_end,biological_family,,,0\n"
                           "entries,biological_family,,,0\n"
                           "exits,biological_family,reunified,,0\n",
                           strlen("indicator,setting,reason,date,value\n"
                                  "period_from,,,2020-01-01,\n"
                                  "period_to,,,2020-01-01,\n"
                                  "placed_at_end,,,,0\n"
                                  "family_at_end,,,,0\n"
                                  "family_type_at_end,,,,0\n"
                                  "residential_at_end,,,,0\n"
                                  "family_share,,,,0.0000\n"
                                  "entries,,,,0\n"
                                  "exits,,,,0\n"
                                  "moves,,,,0\n"
                                  "children,,,,0\n"
                                  "moves_per_child,,,,0.0000\n"
                                  "median_stay_days,,,,0.0\n"
                                  "left_care,,,,0\n"
                                  "moved_within_care,,,,0\n"
                                  "own_family_at_end,,,,0\n"
                                  "residential_under3_at_end,,,,0\n"
                                  "at_end,biological_family,,,0\n"
                                  "entries,biological_family,,,0\n"
                                  "exits,biological_family,reunified,,0\n")),
                   0);
  /* the header, 16 summary lines, 10 per setting, one series point */
  assert_int_equal(count_lines(text), 1 + 17 + 10 * 9 + 1);
  assert_has_line(text, "residential,,,2020-01-01,0");
  cpw_free(f->ctx, text);
  text = render(f, ind, CPW_INDICATORS_JSON);
  flat = json_flatten(f->ctx, text);
  assert_non_null(flat);
  assert_has_line(flat, "region=null");
  assert_has_line(flat, "placed_at_end=0");
  assert_has_line(flat, "settings.institution.exits.aged_out=0");
  assert_has_line(flat, "residential_by_month[0].date=2020-01-01");
  free(flat);
  cpw_free(f->ctx, text);
  text = render(f, ind, CPW_INDICATORS_TABLE);
  assert_has_line(text, "Deinstitutionalization indicators, 2020-01-01 to 2020-01-01");
  cpw_free(f->ctx, text);
  cpw_indicators_free(ind);
}

static void test_indicators__formats(void **state)
{
  fixture *f = *state;
  cpw_indicators *ind;
  char *text, *flat;
  log_2020(f);
  ind = compute(f, D(2020, 1, 1), D(2020, 12, 31), "Tbilisi");
  check_consistent(f, ind);
  /* CSV */
  text = render(f, ind, CPW_INDICATORS_CSV);
  assert_int_equal(strncmp(text, "indicator,setting,reason,date,value\n", 36), 0);
  assert_has_line(text, "period_from,,,2020-01-01,");
  assert_has_line(text, "period_to,,,2020-12-31,");
  assert_has_line(text, "placed_at_end,,,,2");
  assert_has_line(text, "family_at_end,,,,0");
  assert_has_line(text, "family_type_at_end,,,,1");
  assert_has_line(text, "residential_at_end,,,,1");
  assert_has_line(text, "family_share,,,,0.0000");
  assert_has_line(text, "entries,,,,2");
  assert_has_line(text, "exits,,,,2");
  assert_has_line(text, "moves,,,,1");
  assert_has_line(text, "children,,,,3");
  assert_has_line(text, "moves_per_child,,,,0.3333");
  assert_has_line(text, "median_stay_days,,,,335.5");
  assert_has_line(text, "at_end,institution,,,1");
  assert_has_line(text, "entries,foster_care,,,1");
  assert_has_line(text, "exits,foster_care,adopted,,1");
  assert_has_line(text, "exits,infant_home,moved,,1");
  assert_has_line(text, "exits,infant_home,reunified,,0");
  assert_has_line(text, "residential,,,2020-01-31,1");
  assert_has_line(text, "residential,,,2020-12-31,1");
  assert_has_line(text, "left_care,,,,1");
  assert_has_line(text, "moved_within_care,,,,1");
  assert_has_line(text, "own_family_at_end,,,,0");
  assert_int_equal(count_lines(text), 1 + 17 + 10 * 9 + 12);
  {
    /* every line has five fields */
    const char *p = text;
    while (*p) {
      int commas = 0;
      while (*p && *p != '\n')
        commas += *p++ == ',';
      assert_int_equal(commas, 4);
      p++;
    }
  }
  cpw_free(f->ctx, text);
  /* JSON */
  text = render(f, ind, CPW_INDICATORS_JSON);
  assert_int_equal(text[strlen(text) - 1], '\n');
  flat = json_flatten(f->ctx, text);
  assert_non_null(flat);
  assert_has_line(flat, "from=2020-01-01");
  assert_has_line(flat, "to=2020-12-31");
  assert_has_line(flat, "region=Tbilisi");
  assert_has_line(flat, "placed_at_end=2");
  assert_has_line(flat, "family_type_at_end=1");
  assert_has_line(flat, "family_share=0.0000");
  assert_has_line(flat, "moves_per_child=0.3333");
  assert_has_line(flat, "median_stay_days=335.5");
  assert_has_line(flat, "children=3");
  assert_has_line(flat, "left_care=1");
  assert_has_line(flat, "moved_within_care=1");
  assert_has_line(flat, "own_family_at_end=0");
  assert_has_line(flat, "settings.foster_care.entries=1");
  assert_has_line(flat, "settings.foster_care.exits.adopted=1");
  assert_has_line(flat, "settings.infant_home.exits.moved=1");
  assert_has_line(flat, "settings.small_group_home.at_end=1");
  assert_has_line(flat, "residential_by_month[1].date=2020-02-29");
  assert_has_line(flat, "residential_by_month[11].residential=1");
  assert_null(strstr(flat, "residential_by_month[12]"));
  free(flat);
  cpw_free(f->ctx, text);
  /* table */
  text = render(f, ind, CPW_INDICATORS_TABLE);
  assert_has_line(text, "Deinstitutionalization indicators, 2020-01-01 to 2020-12-31, region "
                        "Tbilisi");
  assert_has_line(text, "  children in care at the end            2");
  assert_has_line(text, "    residential care                     1");
  assert_has_line(text, "  share in family-based care          0.0%");
  assert_has_line(text, "  moves per child                     0.33");
  assert_has_line(text, "  median stay of ended placements    335.5 days");
  assert_has_line(text, "  ended: the child left care             1");
  assert_has_line(text, "  ended: moved within care               1");
  assert_has_line(text, "  with own family (not in care)          0");
  assert_has_line(text, "  infant_home                   0       0      1  moved 1");
  assert_has_line(text, "  foster_care                   0       1      1  adopted 1");
  assert_has_line(text, "    2020-02-29        1");
  cpw_free(f->ctx, text);
  /* a region name that needs escaping in JSON */
  cpw_indicators_free(ind);
  ind = compute(f, D(2020, 1, 1), D(2020, 12, 31), "Mtskheta \"A\"\\B");
  text = render(f, ind, CPW_INDICATORS_JSON);
  flat = json_flatten(f->ctx, text);
  assert_non_null(flat);
  assert_has_line(flat, "region=Mtskheta \"A\"\\B");
  free(flat);
  cpw_free(f->ctx, text);
  /* bad arguments */
  assert_int_equal(cpw_indicators_format(ind, f->ctx, 3, &text, NULL), CPW_EINVALID);
  assert_null(text);
  assert_int_equal(cpw_indicators_format(NULL, f->ctx, 0, &text, NULL), CPW_EINVALID);
  assert_int_equal(cpw_indicators_format(ind, NULL, 0, &text, NULL), CPW_EINVALID);
  cpw_indicators_free(ind);
  ind = (cpw_indicators *)1;
  assert_int_equal(cpw_registry_indicators(f->reg, f->ctx, D(2020, 2, 1), D(2020, 1, 31), NULL,
                                           &ind), CPW_EINVALID);
  assert_null(ind);
  assert_int_equal(cpw_registry_indicators(NULL, f->ctx, D(2020, 1, 1), D(2020, 1, 31), NULL,
                                           &ind), CPW_EINVALID);
  assert_int_equal(cpw_registry_indicators(f->reg, f->ctx, D(2020, 1, 1), CPW_DATE_MAX + 1,
                                           NULL, &ind), CPW_EINVALID);
  cpw_indicators_free(NULL);
  assert_null(cpw_indicators_summary(NULL));
  assert_int_equal(cpw_indicators_series_count(NULL), 0);
}

/* ------------------------------------------------------------------ the journal */

static char *temp_path(char *buf, size_t size, const char *what)
{
  const char *tmp = getenv("TMPDIR");
  static int n;
  snprintf(buf, size, "%s/cpw-test-indicators-%ld-%d-%s.journal", tmp ? tmp : "/tmp",
           (long)getpid(), n++, what);
  unlink(buf);
  return buf;
}

static cpw_placement_request jreq(const char *child, const char *facility, const char *setting,
                                  const char *region, cpw_date date)
{
  cpw_placement_request r = CPW_PLACEMENT_REQUEST_INIT;
  r.child = child;
  r.facility = facility;
  r.setting = setting;
  r.region = region;
  r.date = date;
  r.actor = "sw-2";
  r.role = "social_worker";
  r.reason = "care plan";
  return r;
}

/* A year of operations through the journal, with denials (not journaled) mixed in. */
static void journal_log(fixture *f, cpw_journal *j)
{
  cpw_placement_request r;
  int i;
  char id[16];
  CHECK_OK(f, cpw_journal_add_facility(j, f->reg, "sgh-gori", "small_group_home", "Gori home",
                                       "Gori", 3, -1, -1));
  CHECK_OK(f, cpw_journal_add_facility(j, f->reg, "shelter-kt", "shelter_24h", NULL, "Kutaisi",
                                       -1, -1, -1));
  for (i = 0; i < 12; i++) {
    snprintf(id, sizeof id, "J%02d", i);
    CHECK_OK(f, cpw_journal_add_child(j, f->reg, id,
                                      i == 11 ? CPW_DATE_MIN : D(2006 + i, 1 + i, 1 + 2 * i),
                                      i < 4 ? "fam-a" : NULL));
  }
  /* existing placements at the start */
  for (i = 0; i < 4; i++) {
    snprintf(id, sizeof id, "J%02d", i);
    r = jreq(id, "kojori", NULL, NULL, D(2019, 12, 31));
    r.flags = CPW_PLACE_EXISTING;
    CHECK_OK(f, cpw_journal_place(j, f->reg, &r));
  }
  r = jreq("J11", NULL, "kinship", "Tbilisi", D(2020, 1, 1)); /* unknown birth date */
  CHECK_OK(f, cpw_journal_place(j, f->reg, &r));
  /* moves out of Kojori through the year */
  r = jreq("J00", NULL, "foster_care", "Tbilisi", D(2020, 2, 10));
  CHECK_OK(f, cpw_journal_move(j, f->reg, &r));
  r = jreq("J01", "sgh-gori", NULL, NULL, D(2020, 3, 1));
  CHECK_OK(f, cpw_journal_move(j, f->reg, &r));
  r = jreq("J02", "sgh-gori", NULL, NULL, D(2020, 3, 1));
  CHECK_OK(f, cpw_journal_move(j, f->reg, &r));
  /* a denial: too young for the shelter (not journaled) */
  r = jreq("J10", "shelter-kt", NULL, NULL, D(2020, 3, 2));
  assert_int_equal(cpw_journal_place(j, f->reg, &r), CPW_EDENIED);
  r = jreq("J05", "shelter-kt", NULL, NULL, D(2020, 4, 1));
  CHECK_OK(f, cpw_journal_place(j, f->reg, &r));
  r = jreq("J06", "sgh-gori", NULL, NULL, D(2020, 4, 2));
  CHECK_OK(f, cpw_journal_place(j, f->reg, &r));
  /* the home is full now */
  r = jreq("J07", "sgh-gori", NULL, NULL, D(2020, 4, 3));
  assert_int_equal(cpw_journal_place(j, f->reg, &r), CPW_EDENIED);
  r = jreq("J07", NULL, "foster_care", "Gori", D(2020, 4, 3));
  CHECK_OK(f, cpw_journal_place(j, f->reg, &r));
  CHECK_OK(f, cpw_journal_review_placement(j, f->reg, "J07", D(2020, 6, 1), "sw-2",
                                           "supervisor"));
  CHECK_OK(f, cpw_journal_end_placement(j, f->reg, "J05", D(2020, 6, 30), CPW_EXIT_REUNIFIED,
                                        "sw-2", "social_worker"));
  CHECK_OK(f, cpw_journal_end_placement(j, f->reg, "J03", D(2020, 7, 1), CPW_EXIT_AGED_OUT,
                                        "sw-2", "social_worker"));
  r = jreq("J05", NULL, "biological_family", "Kutaisi", D(2020, 8, 1));
  CHECK_OK(f, cpw_journal_place(j, f->reg, &r));
  /* emergency foster care is for infants: J08 (born 2014) is denied */
  r = jreq("J08", NULL, "emergency_foster", "Tbilisi", D(2020, 9, 9));
  r.emergency = 1;
  assert_int_equal(cpw_journal_place(j, f->reg, &r), CPW_EDENIED);
  r.setting = "foster_care";
  CHECK_OK(f, cpw_journal_place(j, f->reg, &r));
}

static void compare_registries(fixture *f, const cpw_registry *a, const cpw_registry *b)
{
  static const char *const regions[] = { NULL, "Tbilisi", "Gori", "Kutaisi", "Nowhere" };
  static const int periods[][6] = { { 2019, 1, 1, 2019, 12, 31 }, { 2020, 1, 1, 2020, 12, 31 },
                                    { 2020, 3, 1, 2020, 3, 1 }, { 2019, 12, 31, 2021, 1, 1 } };
  size_t p, r;
  char id[16];
  int i;
  assert_int_equal(cpw_registry_episode_count(a), cpw_registry_episode_count(b));
  assert_int_equal(cpw_registry_occupancy(a, "kojori"), cpw_registry_occupancy(b, "kojori"));
  assert_int_equal(cpw_registry_occupancy(a, "sgh-gori"), cpw_registry_occupancy(b, "sgh-gori"));
  for (i = 0; i < 12; i++) {
    cpw_placement_info x, y;
    int rx, ry;
    snprintf(id, sizeof id, "J%02d", i);
    rx = cpw_registry_current(a, id, &x);
    ry = cpw_registry_current(b, id, &y);
    assert_int_equal(rx, ry);
    if (rx == CPW_OK) {
      assert_string_equal(x.setting, y.setting);
      assert_string_equal(x.region, y.region);
      assert_int_equal(x.start, y.start);
      assert_int_equal(x.review_due, y.review_due);
      assert_int_equal(x.turns_adult, y.turns_adult);
    }
  }
  for (p = 0; p < sizeof periods / sizeof periods[0]; p++)
    for (r = 0; r < sizeof regions / sizeof regions[0]; r++) {
      cpw_indicators *x, *y;
      char *tx, *ty;
      const int *q = periods[p];
      CHECK_OK(f, cpw_registry_indicators(a, f->ctx, D(q[0], q[1], q[2]), D(q[3], q[4], q[5]),
                                          regions[r], &x));
      CHECK_OK(f, cpw_registry_indicators(b, f->ctx, D(q[0], q[1], q[2]), D(q[3], q[4], q[5]),
                                          regions[r], &y));
      CHECK_OK(f, cpw_indicators_format(x, f->ctx, CPW_INDICATORS_JSON, &tx, NULL));
      CHECK_OK(f, cpw_indicators_format(y, f->ctx, CPW_INDICATORS_JSON, &ty, NULL));
      assert_string_equal(tx, ty);
      cpw_free(f->ctx, tx);
      cpw_free(f->ctx, ty);
      cpw_indicators_free(x);
      cpw_indicators_free(y);
    }
}

static void test_indicators__journal_replay(void **state)
{
  fixture *f = *state;
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_registry *replayed;
  char path[512];
  size_t group;
  for (group = 0; group <= 7; group += 7) {
    cpw_registry_free(f->reg);
    CHECK_OK(f, cpw_registry_new(&f->reg, f->ctx, f->pol));
    o.flags = CPW_JOURNAL_CREATE;
    o.group_commit = group;
    CHECK_OK(f, cpw_journal_open(&j, f->ctx, temp_path(path, sizeof path, "replay"), f->pol, &o));
    journal_log(f, j);
    CHECK_OK(f, cpw_journal_commit(j, f->ctx));
    /* replay through the same handle */
    CHECK_OK(f, cpw_registry_new(&replayed, f->ctx, f->pol));
    CHECK_OK(f, cpw_journal_replay_registry(j, replayed));
    compare_registries(f, f->reg, replayed);
    cpw_registry_free(replayed);
    cpw_journal_close(j);
    /* and from the file, read-only */
    o.flags = CPW_JOURNAL_READONLY;
    CHECK_OK(f, cpw_journal_open(&j, f->ctx, path, f->pol, &o));
    CHECK_OK(f, cpw_registry_new(&replayed, f->ctx, f->pol));
    CHECK_OK(f, cpw_journal_replay_registry(j, replayed));
    compare_registries(f, f->reg, replayed);
    /* replaying into a registry that is not new fails */
    assert_int_not_equal(cpw_journal_replay_registry(j, replayed), CPW_OK);
    cpw_registry_free(replayed);
    cpw_journal_close(j);
    unlink(path);
  }
}

/* A journal written under one policy replays under its successor (opened with
 * CPW_JOURNAL_ALLOW_POLICY_CHANGE) even where the new rules would refuse what was accepted:
 * replay records history, it does not judge it again. */
static void test_indicators__journal_replay_after_policy_change(void **state)
{
  fixture *f = *state;
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_policy *changed;
  cpw_policy_source src[16];
  cpw_registry *replayed;
  char path[512], *care = NULL;
  size_t i, n = cpw_policy_default_source_count();
  assert_true(n <= 16);
  for (i = 0; i < n; i++) {
    src[i].text = cpw_policy_default_source(i, &src[i].name, &src[i].len);
    if (strstr(src[i].name, "care") != NULL) {
      /* Kojori down to 2 places, and only supervisors place children */
      const char *cap = strstr(src[i].text, "capacity 40");
      const char *roles = strstr(src[i].text, "roles social_worker, supervisor, court");
      assert_non_null(cap);
      assert_non_null(roles);
      care = malloc(src[i].len + 1);
      memcpy(care, src[i].text, src[i].len);
      care[src[i].len] = '\0';
      memcpy(care + (cap - src[i].text), "capacity  2", 11);
      memcpy(care + (roles - src[i].text), "roles supervisor                      ", 38);
      src[i].text = care;
    }
  }
  assert_non_null(care);
  CHECK_OK(f, cpw_policy_compile(&changed, f->ctx, src, n, NULL));
  o.flags = CPW_JOURNAL_CREATE;
  CHECK_OK(f, cpw_journal_open(&j, f->ctx, temp_path(path, sizeof path, "policy"), f->pol, &o));
  journal_log(f, j);
  cpw_journal_close(j);
  o.flags = CPW_JOURNAL_ALLOW_POLICY_CHANGE;
  CHECK_OK(f, cpw_journal_open(&j, f->ctx, path, changed, &o));
  CHECK_OK(f, cpw_registry_new(&replayed, f->ctx, changed));
  CHECK_OK(f, cpw_journal_replay_registry(j, replayed));
  assert_int_equal(cpw_registry_episode_count(replayed), cpw_registry_episode_count(f->reg));
  assert_int_equal(cpw_registry_occupancy(replayed, "sgh-gori"), 3);
  {
    cpw_indicators *x, *y;
    char *tx, *ty;
    CHECK_OK(f, cpw_registry_indicators(f->reg, f->ctx, D(2019, 1, 1), D(2020, 12, 31), NULL,
                                        &x));
    CHECK_OK(f, cpw_registry_indicators(replayed, f->ctx, D(2019, 1, 1), D(2020, 12, 31), NULL,
                                        &y));
    CHECK_OK(f, cpw_indicators_format(x, f->ctx, CPW_INDICATORS_CSV, &tx, NULL));
    CHECK_OK(f, cpw_indicators_format(y, f->ctx, CPW_INDICATORS_CSV, &ty, NULL));
    assert_string_equal(tx, ty);
    cpw_free(f->ctx, tx);
    cpw_free(f->ctx, ty);
    cpw_indicators_free(x);
    cpw_indicators_free(y);
  }
  /* new operations follow the new rules */
  {
    cpw_placement_request r = jreq("J09", NULL, "kinship", "Gori", D(2021, 1, 1));
    assert_int_equal(cpw_journal_place(j, replayed, &r), CPW_EDENIED);
    r.role = "supervisor";
    CHECK_OK(f, cpw_journal_place(j, replayed, &r));
  }
  cpw_registry_free(replayed);
  cpw_journal_close(j);
  cpw_policy_free(changed);
  free(care);
  unlink(path);
}

/* a journal file interface whose writes fail with ENOSPC while `fail` is set */
typedef struct failing_io {
  cpw__io io;
  int fail;
  int writes_failed;
} failing_io;

static int fio_open(const cpw__io *io, const char *path, int create, int readonly, int *fd,
                    int *created)
{
  (void)io;
  return cpw__posix_io.open(&cpw__posix_io, path, create, readonly, fd, created);
}
static int fio_lock(const cpw__io *io, int fd)
{
  (void)io;
  return cpw__posix_io.lock(&cpw__posix_io, fd);
}
static int fio_read(const cpw__io *io, int fd, void *buf, size_t len, uint64_t off, size_t *got)
{
  (void)io;
  return cpw__posix_io.read(&cpw__posix_io, fd, buf, len, off, got);
}
static int fio_write(const cpw__io *io, int fd, const void *buf, size_t len, uint64_t off)
{
  failing_io *fi = io->state;
  if (fi->fail) {
    fi->writes_failed++;
    return 28; /* ENOSPC */
  }
  return cpw__posix_io.write(&cpw__posix_io, fd, buf, len, off);
}
static int fio_sync(const cpw__io *io, int fd)
{
  (void)io;
  return cpw__posix_io.sync(&cpw__posix_io, fd);
}
static int fio_truncate(const cpw__io *io, int fd, uint64_t size)
{
  (void)io;
  return cpw__posix_io.truncate(&cpw__posix_io, fd, size);
}
static int fio_size(const cpw__io *io, int fd, uint64_t *size)
{
  (void)io;
  return cpw__posix_io.size(&cpw__posix_io, fd, size);
}
static int fio_sync_dir(const cpw__io *io, const char *path)
{
  (void)io;
  return cpw__posix_io.sync_dir(&cpw__posix_io, path);
}
static void fio_close(const cpw__io *io, int fd)
{
  (void)io;
  cpw__posix_io.close(&cpw__posix_io, fd);
}

typedef struct reg_state {
  size_t episodes;
  int64_t kojori, sgh;
  int rc[12];
  cpw_placement_info info[12];
  char csv[1 << 15];
} reg_state;

static void capture(fixture *f, reg_state *s)
{
  cpw_indicators *ind;
  char *text, id[16];
  int i;
  memset(s, 0, sizeof *s);
  s->episodes = cpw_registry_episode_count(f->reg);
  s->kojori = cpw_registry_occupancy(f->reg, "kojori");
  s->sgh = cpw_registry_occupancy(f->reg, "sgh-gori");
  for (i = 0; i < 12; i++) {
    snprintf(id, sizeof id, "J%02d", i);
    s->rc[i] = cpw_registry_current(f->reg, id, &s->info[i]);
    s->info[i].child = s->info[i].setting = s->info[i].facility = s->info[i].region = NULL;
  }
  CHECK_OK(f, cpw_registry_indicators(f->reg, f->ctx, D(2019, 1, 1), D(2021, 12, 31), NULL,
                                      &ind));
  CHECK_OK(f, cpw_indicators_format(ind, f->ctx, CPW_INDICATORS_CSV, &text, NULL));
  snprintf(s->csv, sizeof s->csv, "%s", text);
  cpw_free(f->ctx, text);
  cpw_indicators_free(ind);
}

static void assert_same_state(fixture *f, const reg_state *before)
{
  reg_state *now = malloc(sizeof *now);
  int i;
  assert_non_null(now);
  capture(f, now);
  assert_int_equal(now->episodes, before->episodes);
  assert_int_equal(now->kojori, before->kojori);
  assert_int_equal(now->sgh, before->sgh);
  for (i = 0; i < 12; i++) {
    assert_int_equal(now->rc[i], before->rc[i]);
    assert_memory_equal(&now->info[i], &before->info[i], sizeof now->info[i]);
  }
  assert_string_equal(now->csv, before->csv);
  free(now);
}

/* every journaled operation, each failing at the journal */
static void failing_operations(fixture *f, cpw_journal *j, int expect_rc_)
{
  cpw_placement_request r;
  reg_state *before = malloc(sizeof *before);
  int rc;
  assert_non_null(before);
  capture(f, before);
#define EXPECT_FAIL(call)                                                                 \
  do {                                                                                    \
    rc = (call);                                                                          \
    if (rc != expect_rc_)                                                                 \
      fail_msg("%s: %d, expected %d (%s)", #call, rc, expect_rc_,                         \
               cpw_ctx_last_error(f->ctx)->message);                                      \
    assert_same_state(f, before);                                                         \
  } while (0)
  r = jreq("J09", NULL, "foster_care", "Tbilisi", D(2020, 10, 1));
  EXPECT_FAIL(cpw_journal_place(j, f->reg, &r));
  r = jreq("J07", NULL, "kinship", "Gori", D(2020, 10, 1));
  EXPECT_FAIL(cpw_journal_move(j, f->reg, &r));
  r = jreq("J04", "kojori", NULL, NULL, D(2020, 10, 1));
  EXPECT_FAIL(cpw_journal_place(j, f->reg, &r));
  r = jreq("J10", NULL, "foster_care", "Batumi", D(2020, 10, 1)); /* a new region */
  EXPECT_FAIL(cpw_journal_place(j, f->reg, &r));
  EXPECT_FAIL(cpw_journal_end_placement(j, f->reg, "J07", D(2020, 10, 1), CPW_EXIT_FOSTERED,
                                        "sw-2", "social_worker"));
  EXPECT_FAIL(cpw_journal_review_placement(j, f->reg, "J07", D(2020, 10, 1), "sw-2",
                                           "social_worker"));
  EXPECT_FAIL(cpw_journal_add_child(j, f->reg, "J99", D(2015, 1, 1), "fam-new"));
  EXPECT_FAIL(cpw_journal_add_facility(j, f->reg, "new-home", "small_group_home", "New",
                                       "Zugdidi", 8, -1, -1));
#undef EXPECT_FAIL
  assert_int_equal(cpw_registry_occupancy(f->reg, "new-home"), CPW_ENOTFOUND);
  assert_int_equal(cpw_registry_current(f->reg, "J99", &(cpw_placement_info){ 0 }),
                   CPW_ENOTFOUND);
  free(before);
}

static void test_indicators__journal_append_fails(void **state)
{
  fixture *f = *state;
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  failing_io fi;
  cpw_registry *replayed;
  char path[512];
  uint64_t entries;
  memset(&fi, 0, sizeof fi);
  fi.io.open = fio_open;
  fi.io.lock = fio_lock;
  fi.io.read = fio_read;
  fi.io.write = fio_write;
  fi.io.sync = fio_sync;
  fi.io.truncate = fio_truncate;
  fi.io.size = fio_size;
  fi.io.sync_dir = fio_sync_dir;
  fi.io.close = fio_close;
  fi.io.state = &fi;
  o.flags = CPW_JOURNAL_CREATE;
  CHECK_OK(f, cpw__journal_open_io(&j, f->ctx, temp_path(path, sizeof path, "fail"), f->pol, &o,
                                   &fi.io));
  journal_log(f, j);
  /* the disk is full: every operation fails with CPW_EIO and changes nothing */
  fi.fail = 1;
  failing_operations(f, j, CPW_EIO);
  assert_true(fi.writes_failed >= 8);
  assert_int_equal(cpw_journal_pending(j), 0);
  /* space again: the same operations go through */
  fi.fail = 0;
  CHECK_OK(f, cpw_journal_review_placement(j, f->reg, "J07", D(2020, 9, 1), "sw-2",
                                           "social_worker"));
  cpw_journal_close(j);
  /* a read-only handle refuses every append */
  o.flags = CPW_JOURNAL_READONLY;
  CHECK_OK(f, cpw_journal_open(&j, f->ctx, path, f->pol, &o));
  entries = cpw_journal_recovery_info(j)->entries;
  failing_operations(f, j, CPW_EINVALID);
  cpw_journal_close(j);
  /* an entry the journal cannot store (an actor that is not UTF-8) */
  o.flags = 0;
  CHECK_OK(f, cpw_journal_open(&j, f->ctx, path, f->pol, &o));
  {
    cpw_placement_request r = jreq("J10", NULL, "foster_care", "Tbilisi", D(2020, 10, 1));
    size_t before = cpw_registry_episode_count(f->reg);
    r.actor = "sw-\xff";
    assert_int_equal(cpw_journal_place(j, f->reg, &r), CPW_EINVALID);
    assert_int_equal(cpw_registry_episode_count(f->reg), before);
    assert_int_equal(cpw_registry_current(f->reg, "J10", &(cpw_placement_info){ 0 }),
                     CPW_ESTATE);
  }
  /* the journal holds exactly what the registry did */
  assert_int_equal(cpw_journal_recovery_info(j)->entries, entries);
  CHECK_OK(f, cpw_registry_new(&replayed, f->ctx, f->pol));
  CHECK_OK(f, cpw_journal_replay_registry(j, replayed));
  compare_registries(f, f->reg, replayed);
  cpw_registry_free(replayed);
  cpw_journal_close(j);
  unlink(path);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(test_indicators__##name, setup, teardown)
  const struct CMUnitTest tests[] = {
    T(period_boundaries),
    T(one_day_periods),
    T(regions),
    T(median_and_moves),
    T(left_care_and_moves_within_care),
    T(month_end_series),
    T(residential_under3),
    T(open_ended_period),
    T(empty_registry),
    T(formats),
    T(journal_replay),
    T(journal_replay_after_policy_change),
    T(journal_append_fails),
  };
#undef T
  return cmocka_run_group_tests_name("indicators", tests, NULL, NULL);
}
