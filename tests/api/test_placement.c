/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the placement registry against Georgia's default policy: every gatekeeping rule
 * of lib/policy/georgia/30-care.cpw allowed and denied (with its reason), roles, unknown birth
 * dates, data migration, the state and date errors, options in preference order, reviews due
 * and aging out. Every refused operation must leave the registry as it was. */
#include "cmocka_all.h"

#include <stdio.h>
#include <string.h>

#include "testalloc.h"
#include "registry_fixture.h"

static const char *fmt_date(cpw_date d, char *buf)
{
  cpw_date_format(buf, CPW_DATE_BUFSIZE, d);
  return buf;
}

#define assert_contains(hay, needle)                                                     \
  do {                                                                                   \
    const char *h_ = (hay);                                                              \
    if (strstr(h_, (needle)) == NULL)                                                    \
      fail_msg("'%s' does not contain '%s'", h_, (needle));                              \
  } while (0)

#define assert_not_contains(hay, needle)                                                 \
  do {                                                                                   \
    const char *h_ = (hay);                                                              \
    if (strstr(h_, (needle)) != NULL)                                                    \
      fail_msg("'%s' contains '%s'", h_, (needle));                                      \
  } while (0)

static const char *const UNDER3 = "denied: UN Guidelines para. 22 (default, not verified "
                                  "Georgian law): no residential care for a child under 3";
static const char *const FULL = "denied: the facility is full";
static const char *const AGES = "denied: the child's age is outside the setting's age range";
static const char *const SIBLINGS = "warning: siblings would be split (UN Guidelines para. 17)";

static cpw_placement_request req_facility(const char *child, const char *facility, cpw_date date)
{
  cpw_placement_request r = CPW_PLACEMENT_REQUEST_INIT;
  r.child = child;
  r.facility = facility;
  r.date = date;
  r.actor = "sw-1";
  r.role = "social_worker";
  r.reason = "care plan";
  return r;
}

static cpw_placement_request req_setting(const char *child, const char *setting, cpw_date date)
{
  cpw_placement_request r = req_facility(child, NULL, date);
  r.setting = setting;
  r.region = "Tbilisi";
  return r;
}

/* What a refused operation must not change. */
typedef struct snapshot {
  int64_t infant_house, kojori, extra;
  size_t episodes;
  int placed_rc;
  cpw_placement_info info;
} snapshot;

static snapshot snap(const fixture *f, const char *child, const char *extra_facility)
{
  snapshot s;
  memset(&s, 0, sizeof s);
  s.infant_house = cpw_registry_occupancy(f->reg, "tbilisi_infant_house");
  s.kojori = cpw_registry_occupancy(f->reg, "kojori");
  s.extra = extra_facility != NULL ? cpw_registry_occupancy(f->reg, extra_facility) : 0;
  s.episodes = cpw_registry_episode_count(f->reg);
  s.placed_rc = cpw_registry_current(f->reg, child, &s.info);
  return s;
}

static void assert_unchanged(const fixture *f, const snapshot *before, const char *child,
                             const char *extra_facility)
{
  snapshot now = snap(f, child, extra_facility);
  assert_int_equal(now.infant_house, before->infant_house);
  assert_int_equal(now.kojori, before->kojori);
  assert_int_equal(now.extra, before->extra);
  assert_int_equal(now.episodes, before->episodes);
  assert_int_equal(now.placed_rc, before->placed_rc);
  if (now.placed_rc == CPW_OK) {
    assert_string_equal(now.info.setting, before->info.setting);
    assert_int_equal(now.info.start, before->info.start);
    assert_int_equal(now.info.review_due, before->info.review_due);
    if (before->info.facility != NULL)
      assert_string_equal(now.info.facility, before->info.facility);
    else
      assert_null(now.info.facility);
  }
}

/* place, expecting a denial whose explanation contains `reason`; nothing may change */
static void expect_denied(fixture *f, const cpw_placement_request *r, int move,
                          const char *reason)
{
  snapshot before = snap(f, r->child, r->facility);
  int rc = move ? cpw_registry_move(f->reg, r) : cpw_registry_place(f->reg, r);
  if (rc != CPW_EDENIED)
    fail_msg("expected CPW_EDENIED, got %d (%s)", rc, cpw_ctx_last_error(f->ctx)->message);
  assert_contains(cpw_registry_explain(f->reg), reason);
  assert_contains(cpw_ctx_last_error(f->ctx)->message, reason);
  assert_int_equal(cpw_ctx_last_error(f->ctx)->code, CPW_EDENIED);
  assert_unchanged(f, &before, r->child, r->facility);
}

static void expect_rc(fixture *f, int rc, int want)
{
  if (rc != want)
    fail_msg("expected %d, got %d (%s)", want, rc, cpw_ctx_last_error(f->ctx)->message);
}

static void place_ok(fixture *f, const cpw_placement_request *r)
{
  expect_rc(f, cpw_registry_place(f->reg, r), CPW_OK);
}

static size_t setting_index(const cpw_policy *pol, const char *id)
{
  size_t i;
  for (i = 0; i < cpw_policy_setting_count(pol); i++)
    if (strcmp(cpw_policy_setting(pol, i), id) == 0)
      return i;
  fail_msg("no setting %s", id);
  return 0;
}

/* ------------------------------------------------------------------ the policy */

static void test_placement__policy_settings(void **state)
{
  fixture *f = *state;
  assert_int_equal(cpw_policy_setting_count(f->pol), 9);
  assert_int_equal(cpw_policy_setting_category(f->pol, setting_index(f->pol, "foster_care")),
                   CPW_CATEGORY_FAMILY);
  assert_int_equal(cpw_policy_setting_category(f->pol, setting_index(f->pol, "small_group_home")),
                   CPW_CATEGORY_FAMILY_TYPE);
  assert_int_equal(cpw_policy_setting_category(f->pol, setting_index(f->pol, "institution")),
                   CPW_CATEGORY_RESIDENTIAL);
  assert_null(cpw_policy_setting(f->pol, 9));
  assert_int_equal(cpw_policy_setting_category(f->pol, 9), CPW_EINVALID);
  assert_int_equal(cpw_registry_occupancy(f->reg, "tbilisi_infant_house"), 0);
  assert_int_equal(cpw_registry_occupancy(f->reg, "kojori"), 0);
  assert_int_equal(cpw_registry_occupancy(f->reg, "nowhere"), CPW_ENOTFOUND);
  assert_int_equal(cpw_registry_episode_count(f->reg), 0);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  assert_string_equal(cpw_category_name(CPW_CATEGORY_FAMILY_TYPE), "family_type");
  assert_string_equal(cpw_exit_reason_name(CPW_EXIT_AGED_OUT), "aged_out");
  assert_int_equal(cpw_exit_reason_from_name("moved"), CPW_EXIT_MOVED);
  assert_int_equal(cpw_exit_reason_from_name("escaped"), CPW_ENOTFOUND);
}

/* ------------------------------------------------------------------ residential under 3 */

static void test_placement__residential_under_3(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  cpw_placement_info info;
  assert_int_equal(cpw_registry_add_child(f->reg, "C1", D(2020, 6, 15), NULL), CPW_OK);
  /* the day before the 3rd birthday: 2 years old */
  r = req_facility("C1", "tbilisi_infant_house", D(2023, 6, 14));
  expect_denied(f, &r, 0, UNDER3);
  assert_contains(cpw_registry_explain(f->reg), "age is 2");
  assert_not_contains(cpw_registry_explain(f->reg), AGES);
  assert_int_equal(cpw_registry_current(f->reg, "C1", &info), CPW_ESTATE);
  /* a setting (no facility) is checked the same way */
  r = req_setting("C1", "infant_home", D(2023, 6, 14));
  expect_denied(f, &r, 0, UNDER3);
  /* on the 3rd birthday */
  r = req_facility("C1", "tbilisi_infant_house", D(2023, 6, 15));
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  assert_int_equal(cpw_registry_occupancy(f->reg, "tbilisi_infant_house"), 1);
  assert_int_equal(cpw_registry_current(f->reg, "C1", &info), CPW_OK);
  assert_string_equal(info.setting, "infant_home");
  assert_string_equal(info.facility, "tbilisi_infant_house");
  assert_string_equal(info.region, "Tbilisi");
  assert_int_equal(info.category, CPW_CATEGORY_RESIDENTIAL);
  assert_int_equal(info.start, D(2023, 6, 15));
}

static void test_placement__residential_under_3_exceptions(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  assert_int_equal(cpw_registry_add_child(f->reg, "E", D(2022, 1, 10), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "S", D(2022, 1, 10), "fam-1"), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "N", D(2023, 9, 1), NULL), CPW_OK);
  /* an emergency */
  r = req_facility("E", "tbilisi_infant_house", D(2023, 2, 1));
  r.emergency = 1;
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  /* to keep siblings together */
  r = req_facility("S", "tbilisi_infant_house", D(2023, 2, 1));
  r.keep_siblings_together = 1;
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  assert_int_equal(cpw_registry_occupancy(f->reg, "tbilisi_infant_house"), 2);
  /* neither: a newborn */
  r = req_facility("N", "tbilisi_infant_house", D(2023, 9, 1));
  expect_denied(f, &r, 0, UNDER3);
  assert_contains(cpw_registry_explain(f->reg), "age is 0");
  /* the exception does not open family settings' age ranges or residential ones' */
  r = req_facility("N", "kojori", D(2023, 9, 1));
  r.emergency = 1;
  expect_denied(f, &r, 0, AGES);
  assert_not_contains(cpw_registry_explain(f->reg), UNDER3);
}

static void test_placement__residential_under_3_leap_birthday(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  /* born 29 February 2020: 3 on 1 March 2023 (a common year), still 2 on 28 February */
  assert_int_equal(cpw_registry_add_child(f->reg, "L", D(2020, 2, 29), NULL), CPW_OK);
  r = req_facility("L", "tbilisi_infant_house", D(2023, 2, 27));
  expect_denied(f, &r, 0, UNDER3);
  r.date = D(2023, 2, 28);
  expect_denied(f, &r, 0, UNDER3);
  assert_contains(cpw_registry_explain(f->reg), "age is 2");
  r.date = D(2023, 3, 1);
  place_ok(f, &r);
  /* a 28 February birthday: reached on the 28th, also in a leap year */
  assert_int_equal(cpw_registry_add_child(f->reg, "M", D(2021, 2, 28), NULL), CPW_OK);
  r = req_facility("M", "tbilisi_infant_house", D(2024, 2, 27));
  expect_denied(f, &r, 0, UNDER3);
  r.date = D(2024, 2, 28);
  place_ok(f, &r);
}

/* ------------------------------------------------------------------ capacity */

static void test_placement__facility_full(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  snapshot before;
  assert_int_equal(cpw_registry_add_facility(f->reg, "sgh-kutaisi-1", "small_group_home",
                                             "Small group home 1", "Kutaisi", 2, -1, -1),
                   CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "A", D(2012, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "B", D(2012, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "C", D(2012, 1, 1), NULL), CPW_OK);
  r = req_facility("A", "sgh-kutaisi-1", D(2023, 1, 1));
  place_ok(f, &r);
  /* two children for the last place: the first is placed, the second is denied */
  r = req_facility("B", "sgh-kutaisi-1", D(2023, 1, 2));
  place_ok(f, &r);
  assert_int_equal(cpw_registry_occupancy(f->reg, "sgh-kutaisi-1"), 2);
  r = req_facility("C", "sgh-kutaisi-1", D(2023, 1, 2));
  expect_denied(f, &r, 0, FULL);
  assert_contains(cpw_registry_explain(f->reg), "occupancy is 2, at least capacity (2)");
  assert_int_equal(cpw_registry_occupancy(f->reg, "sgh-kutaisi-1"), 2);
  /* a child moving within the full home does not take a second place */
  r = req_facility("B", "sgh-kutaisi-1", D(2023, 2, 1));
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_OK);
  assert_int_equal(cpw_registry_occupancy(f->reg, "sgh-kutaisi-1"), 2);
  /* a move into it is refused and the child stays where they are */
  r = req_setting("C", "foster_care", D(2023, 2, 1));
  place_ok(f, &r);
  r = req_facility("C", "sgh-kutaisi-1", D(2023, 3, 1));
  expect_denied(f, &r, 1, FULL);
  /* a place frees up */
  before = snap(f, "A", "sgh-kutaisi-1");
  assert_int_equal(before.extra, 2);
  expect_rc(f, cpw_registry_end(f->reg, "A", D(2023, 3, 1), CPW_EXIT_REUNIFIED, "sw-1",
                                "social_worker"), CPW_OK);
  assert_int_equal(cpw_registry_occupancy(f->reg, "sgh-kutaisi-1"), 1);
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_OK);
  assert_int_equal(cpw_registry_occupancy(f->reg, "sgh-kutaisi-1"), 2);
  assert_int_equal(cpw_registry_episode_count(f->reg), 5);
  /* the facility's capacity comes from the setting when not given (10) */
  assert_int_equal(cpw_registry_add_facility(f->reg, "sgh-2", "small_group_home", NULL, "Kutaisi",
                                             -1, -1, -1), CPW_OK);
  {
    int i;
    char id[16];
    for (i = 0; i < 11; i++) {
      snprintf(id, sizeof id, "K%d", i);
      assert_int_equal(cpw_registry_add_child(f->reg, id, D(2010, 5, 5), NULL), CPW_OK);
      r = req_facility(id, "sgh-2", D(2023, 5, 5));
      if (i < 10)
        place_ok(f, &r);
      else
        expect_denied(f, &r, 0, FULL);
    }
    assert_int_equal(cpw_registry_occupancy(f->reg, "sgh-2"), 10);
  }
}

/* ------------------------------------------------------------------ age ranges */

static void test_placement__age_range_lower_bound(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  /* Kojori takes children from 6 */
  assert_int_equal(cpw_registry_add_child(f->reg, "K", D(2010, 4, 10), NULL), CPW_OK);
  r = req_facility("K", "kojori", D(2016, 4, 9));
  expect_denied(f, &r, 0, AGES);
  assert_contains(cpw_registry_explain(f->reg), "age is 5");
  assert_not_contains(cpw_registry_explain(f->reg), UNDER3);
  r.date = D(2016, 4, 10);
  place_ok(f, &r);
  assert_int_equal(cpw_registry_occupancy(f->reg, "kojori"), 1);
  /* the shelter from 5 */
  assert_int_equal(cpw_registry_add_child(f->reg, "S", D(2015, 2, 28), NULL), CPW_OK);
  r = req_setting("S", "shelter_24h", D(2020, 2, 27));
  expect_denied(f, &r, 0, AGES);
  r.date = D(2020, 2, 28);
  place_ok(f, &r);
}

static void test_placement__age_range_upper_bound(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  /* Kojori: until the 18th birthday (care ends at 18) */
  assert_int_equal(cpw_registry_add_child(f->reg, "K1", D(2000, 4, 10), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "K2", D(2000, 4, 10), NULL), CPW_OK);
  r = req_facility("K1", "kojori", D(2018, 4, 9));
  place_ok(f, &r);
  r = req_facility("K2", "kojori", D(2018, 4, 10));
  expect_denied(f, &r, 0, AGES);
  assert_contains(cpw_registry_explain(f->reg), "age is 18");
  r.date = D(2019, 1, 1);
  expect_denied(f, &r, 0, AGES);
  /* the Infant House: under 7 (0 to 6), so not on the 7th birthday */
  assert_int_equal(cpw_registry_add_child(f->reg, "I1", D(2016, 4, 10), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "I2", D(2016, 4, 10), NULL), CPW_OK);
  r = req_facility("I1", "tbilisi_infant_house", D(2023, 4, 9));
  place_ok(f, &r);
  r = req_facility("I2", "tbilisi_infant_house", D(2023, 4, 10));
  expect_denied(f, &r, 0, AGES);
  assert_contains(cpw_registry_explain(f->reg), "age is 7");
  /* foster care: 0 to 17, so turning 18 ends it */
  assert_int_equal(cpw_registry_add_child(f->reg, "F1", D(2005, 7, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "F2", D(2005, 7, 1), NULL), CPW_OK);
  r = req_setting("F1", "foster_care", D(2023, 6, 30));
  place_ok(f, &r);
  r = req_setting("F2", "foster_care", D(2023, 7, 1));
  expect_denied(f, &r, 0, AGES);
  /* born 29 February: 17 until 28 February of a common year, 18 on 1 March */
  assert_int_equal(cpw_registry_add_child(f->reg, "F3", D(2004, 2, 29), NULL), CPW_OK);
  r = req_setting("F3", "foster_care", D(2022, 3, 1));
  expect_denied(f, &r, 0, AGES);
  r.date = D(2022, 2, 28);
  place_ok(f, &r);
  /* emergency foster care: infants up to 2 */
  assert_int_equal(cpw_registry_add_child(f->reg, "B1", D(2020, 3, 3), NULL), CPW_OK);
  r = req_setting("B1", "emergency_foster", D(2023, 3, 3));
  expect_denied(f, &r, 0, AGES);
  r.date = D(2023, 3, 2);
  place_ok(f, &r);
}

/* ------------------------------------------------------------------ siblings */

static void test_placement__siblings_split_warning(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  assert_int_equal(cpw_registry_add_child(f->reg, "S1", D(2012, 1, 1), "fam-7"), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "S2", D(2013, 1, 1), "fam-7"), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "S3", D(2014, 1, 1), "fam-7"), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "S4", D(2014, 1, 1), "fam-7"), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "X", D(2014, 1, 1), "fam-8"), CPW_OK);
  /* the first sibling: nobody to split from */
  r = req_facility("S1", "kojori", D(2023, 1, 1));
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  /* the second in the same facility: together */
  r = req_facility("S2", "kojori", D(2023, 1, 1));
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  /* the third elsewhere: the placement goes ahead with a warning */
  r = req_setting("S3", "foster_care", D(2023, 1, 2));
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_OK);
  assert_contains(cpw_registry_explain(f->reg), SIBLINGS);
  assert_contains(cpw_registry_explain(f->reg), "siblings_elsewhere is true");
  assert_not_contains(cpw_registry_explain(f->reg), "denied");
  assert_int_equal(cpw_registry_episode_count(f->reg), 3);
  /* the fourth elsewhere, placed to keep (other) siblings together: no warning */
  r = req_setting("S4", "small_group_home", D(2023, 1, 3));
  r.keep_siblings_together = 1;
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  /* a child of another family: no warning */
  r = req_setting("X", "foster_care", D(2023, 1, 3));
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  /* moving S1 to foster care where S3 is: kojori still holds S2, so a warning */
  r = req_setting("S1", "foster_care", D(2023, 2, 1));
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_OK);
  assert_contains(cpw_registry_explain(f->reg), SIBLINGS);
  /* the next call clears the warning */
  expect_rc(f, cpw_registry_review(f->reg, "S1", D(2023, 3, 1), "sw-1", "social_worker"),
            CPW_OK);
  assert_string_equal(cpw_registry_explain(f->reg), "");
}

/* ------------------------------------------------------------------ disability */

/* A version-2 request carries the child's disability, which the gatekeeping slot `disability`
 * reads; a version-1 request (a caller built against 1.0) is still accepted, its disability
 * unread; a disability outside the slot's values is refused. */
static void test_placement__request_disability(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  const char *opts[16];
  size_t n;
  assert_int_equal(cpw_registry_add_child(f->reg, "S1", D(2015, 3, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "S2", D(2015, 3, 1), NULL), CPW_OK);
  r = req_setting("S1", "specialised_group_home", D(2026, 5, 1));
  r.disability = "mild";
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_EINVALID);
  assert_contains(cpw_ctx_last_error(f->ctx)->message, "disability must be");
  assert_int_equal(cpw_registry_request_options(f->reg, &r, opts, 16), 0);
  /* version 1: the field is not read (it may not exist in the caller's struct) */
  r.version = 1;
  expect_denied(f, &r, 0, "could not be checked");
  r.version = 2;
  r.disability = "severe";
  n = cpw_registry_request_options(f->reg, &r, opts, 16);
  assert_true(n > 0);
  place_ok(f, &r);
  /* the version is checked */
  r = req_setting("S2", "specialised_group_home", D(2026, 5, 1));
  r.version = 3;
  r.disability = "severe";
  assert_int_equal(cpw_registry_request_options(f->reg, &r, opts, 16), 0);
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_EVERSION);
  /* options without a disability leave the specialised home out; an unknown child has none */
  n = cpw_registry_options(f->reg, "S2", D(2026, 5, 1), 0, 0, opts, 16);
  while (n-- > 0)
    assert_string_not_equal(opts[n], "specialised_group_home");
  r.version = 2;
  r.child = "nobody";
  assert_int_equal(cpw_registry_request_options(f->reg, &r, opts, 16), 0);
  assert_int_equal(cpw_registry_request_options(f->reg, NULL, opts, 16), 0);
  assert_int_equal(cpw_registry_request_options(NULL, &r, opts, 16), 0);
}

/* ------------------------------------------------------------------ roles */

static void test_placement__roles(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  assert_int_equal(cpw_registry_add_child(f->reg, "R", D(2012, 1, 1), NULL), CPW_OK);
  r = req_setting("R", "foster_care", D(2023, 1, 1));
  r.role = "teacher";
  expect_denied(f, &r, 0, "denied: role teacher may not place children");
  r.role = NULL;
  expect_denied(f, &r, 0, "denied: role (none) may not place children");
  r.role = "Social_Worker"; /* roles are exact */
  expect_denied(f, &r, 0, "may not place children");
  r.role = "court";
  place_ok(f, &r);
  /* a move by a role that may not place is denied too, and the child stays */
  r = req_facility("R", "kojori", D(2023, 2, 1));
  r.role = "police";
  expect_denied(f, &r, 1, "denied: role police may not place children");
  r.role = "supervisor";
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_OK);
}

/* ------------------------------------------------------------------ unknown birth date */

static void test_placement__unknown_birth_date(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  const char *opts[16];
  size_t n;
  assert_int_equal(cpw_registry_add_child(f->reg, "U", CPW_DATE_MIN, NULL), CPW_OK);
  /* residential: both age rules need the age */
  r = req_facility("U", "kojori", D(2023, 1, 1));
  expect_denied(f, &r, 0, UNDER3);
  assert_contains(cpw_registry_explain(f->reg), "no residential care for a child under 3 unless "
                                                "it is an emergency or keeps siblings together "
                                                "(could not be checked)");
  assert_contains(cpw_registry_explain(f->reg),
                  "denied: the child's age is outside the setting's age range (could not be "
                  "checked)");
  assert_contains(cpw_registry_explain(f->reg), "age is missing");
  /* an emergency answers the under-3 rule but not the age range */
  r.emergency = 1;
  expect_denied(f, &r, 0, AGES);
  assert_not_contains(cpw_registry_explain(f->reg), UNDER3);
  /* family settings with an age range: could not be checked */
  r = req_setting("U", "foster_care", D(2023, 1, 1));
  expect_denied(f, &r, 0, "(could not be checked)");
  /* settings without an age rule are open */
  n = cpw_registry_options(f->reg, "U", D(2023, 1, 1), 0, 0, opts, 16);
  assert_int_equal(n, 2);
  assert_string_equal(opts[0], "biological_family");
  assert_string_equal(opts[1], "kinship");
  r = req_setting("U", "kinship", D(2023, 1, 1));
  place_ok(f, &r);
  {
    cpw_placement_info info;
    assert_int_equal(cpw_registry_current(f->reg, "U", &info), CPW_OK);
    assert_int_equal(info.turns_adult, CPW_DATE_MAX);
    assert_int_equal(cpw_registry_aging_out(f->reg, D(2100, 1, 1), NULL, 0), 0);
  }
}

/* ------------------------------------------------------------------ data migration */

static void test_placement__existing_bypasses_gatekeeping(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  assert_int_equal(cpw_registry_add_child(f->reg, "OLD", D(2022, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "U", CPW_DATE_MIN, NULL), CPW_OK);
  /* a baby in Kojori: denied on two rules... */
  r = req_facility("OLD", "kojori", D(2023, 1, 1));
  expect_denied(f, &r, 0, UNDER3);
  /* ...but recorded as an existing placement, with no role */
  r.flags = CPW_PLACE_EXISTING;
  r.role = NULL;
  place_ok(f, &r);
  assert_string_equal(cpw_registry_explain(f->reg), "");
  assert_int_equal(cpw_registry_occupancy(f->reg, "kojori"), 1);
  r = req_facility("U", "kojori", D(2023, 1, 1));
  r.flags = CPW_PLACE_EXISTING;
  place_ok(f, &r);
  assert_int_equal(cpw_registry_occupancy(f->reg, "kojori"), 2);
  /* existing placements count against capacity later */
  assert_int_equal(cpw_registry_add_facility(f->reg, "tiny", "institution", "Tiny", "Gori", 1,
                                             -1, -1), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "T1", D(2010, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "T2", D(2010, 1, 1), NULL), CPW_OK);
  r = req_facility("T1", "tiny", D(2023, 1, 1));
  r.flags = CPW_PLACE_EXISTING;
  place_ok(f, &r);
  r = req_facility("T2", "tiny", D(2023, 1, 1));
  expect_denied(f, &r, 0, FULL);
  /* even over capacity when migrating (the data say so) */
  r.flags = CPW_PLACE_EXISTING;
  place_ok(f, &r);
  assert_int_equal(cpw_registry_occupancy(f->reg, "tiny"), 2);
}

/* ------------------------------------------------------------------ state and date errors */

static void test_placement__state_errors(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  snapshot before;
  assert_int_equal(cpw_registry_add_child(f->reg, "P", D(2012, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "Q", D(2012, 1, 1), NULL), CPW_OK);
  /* move, end and review of an unplaced child */
  r = req_setting("P", "foster_care", D(2023, 1, 1));
  before = snap(f, "P", NULL);
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_ESTATE);
  expect_rc(f, cpw_registry_end(f->reg, "P", D(2023, 1, 1), CPW_EXIT_REUNIFIED, "sw-1",
                                "social_worker"), CPW_ESTATE);
  expect_rc(f, cpw_registry_review(f->reg, "P", D(2023, 1, 1), "sw-1", "social_worker"),
            CPW_ESTATE);
  assert_unchanged(f, &before, "P", NULL);
  /* place a placed child */
  place_ok(f, &r);
  before = snap(f, "P", NULL);
  r = req_facility("P", "kojori", D(2023, 2, 1));
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_ESTATE);
  assert_unchanged(f, &before, "P", NULL);
  /* unknown names */
  r = req_facility("nobody", "kojori", D(2023, 2, 1));
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_ENOTFOUND);
  r = req_facility("Q", "nowhere", D(2023, 2, 1));
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_ENOTFOUND);
  r = req_setting("Q", "boarding_school", D(2023, 2, 1));
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_ENOTFOUND);
  r = req_setting("Q", NULL, D(2023, 2, 1));
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_ENOTFOUND);
  r = req_facility("Q", "kojori", D(2023, 2, 1));
  r.setting = "foster_care"; /* a facility of another type */
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_EINVALID);
  r.setting = "institution"; /* its own type is fine */
  before = snap(f, "Q", NULL);
  expect_rc(f, cpw_registry_end(f->reg, "nobody", D(2023, 2, 1), 0, NULL, NULL), CPW_ENOTFOUND);
  expect_rc(f, cpw_registry_review(f->reg, "nobody", D(2023, 2, 1), NULL, NULL), CPW_ENOTFOUND);
  expect_rc(f, cpw_registry_end(f->reg, "P", D(2023, 2, 1), CPW_EXIT_REASON_COUNT, NULL, NULL),
            CPW_EINVALID);
  expect_rc(f, cpw_registry_end(f->reg, "P", D(2023, 2, 1), -1, NULL, NULL), CPW_EINVALID);
  assert_unchanged(f, &before, "Q", NULL);
  place_ok(f, &r);
  /* request versions */
  {
    cpw_placement_request bad = r;
    bad.version = 0;
    bad.child = "P";
    expect_rc(f, cpw_registry_move(f->reg, &bad), CPW_EVERSION);
    expect_rc(f, cpw_registry_place(f->reg, NULL), CPW_EINVALID);
    assert_int_equal(cpw_registry_place(NULL, &r), CPW_EINVALID);
  }
  assert_int_equal(cpw_registry_episode_count(f->reg), 2);
}

static void test_placement__dates_before_start(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  snapshot before;
  assert_int_equal(cpw_registry_add_child(f->reg, "P", D(2012, 1, 1), NULL), CPW_OK);
  r = req_facility("P", "kojori", D(2023, 5, 10));
  place_ok(f, &r);
  before = snap(f, "P", NULL);
  /* the day before the start */
  r = req_setting("P", "foster_care", D(2023, 5, 9));
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_EINVALID);
  expect_rc(f, cpw_registry_end(f->reg, "P", D(2023, 5, 9), CPW_EXIT_REUNIFIED, NULL, NULL),
            CPW_EINVALID);
  expect_rc(f, cpw_registry_review(f->reg, "P", D(2023, 5, 9), NULL, NULL), CPW_EINVALID);
  r.date = CPW_DATE_MAX + 1;
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_EINVALID);
  expect_rc(f, cpw_registry_end(f->reg, "P", CPW_DATE_MAX + 1, CPW_EXIT_REUNIFIED, NULL, NULL),
            CPW_EINVALID);
  assert_unchanged(f, &before, "P", NULL);
  /* the start day itself is fine: a same-day move */
  r.date = D(2023, 5, 10);
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_OK);
  assert_int_equal(cpw_registry_occupancy(f->reg, "kojori"), 0);
  expect_rc(f, cpw_registry_end(f->reg, "P", D(2023, 8, 1), CPW_EXIT_REUNIFIED, NULL, NULL),
            CPW_OK);
  /* a new placement cannot start before the last one ended */
  before = snap(f, "P", NULL);
  r = req_facility("P", "kojori", D(2023, 7, 31));
  expect_rc(f, cpw_registry_place(f->reg, &r), CPW_EINVALID);
  assert_unchanged(f, &before, "P", NULL);
  r.date = D(2023, 8, 1);
  place_ok(f, &r);
  assert_int_equal(cpw_registry_episode_count(f->reg), 3);
}

static void test_placement__denied_move_changes_nothing(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  cpw_placement_info info;
  assert_int_equal(cpw_registry_add_child(f->reg, "M", D(2021, 3, 1), NULL), CPW_OK);
  r = req_setting("M", "foster_care", D(2022, 1, 1));
  place_ok(f, &r);
  expect_rc(f, cpw_registry_review(f->reg, "M", D(2022, 3, 1), NULL, NULL), CPW_OK);
  /* a 1-year-old into Kojori: two denials at once */
  r = req_facility("M", "kojori", D(2022, 6, 1));
  expect_denied(f, &r, 1, UNDER3);
  assert_contains(cpw_registry_explain(f->reg), AGES);
  assert_int_equal(cpw_registry_current(f->reg, "M", &info), CPW_OK);
  assert_string_equal(info.setting, "foster_care");
  assert_int_equal(info.review_due, D(2022, 6, 1));
}

/* ------------------------------------------------------------------ registration */

static void test_placement__registration_errors(void **state)
{
  fixture *f = *state;
  char long_id[300];
  memset(long_id, 'x', sizeof long_id - 1);
  long_id[sizeof long_id - 1] = '\0';
  expect_rc(f, cpw_registry_add_facility(f->reg, "kojori", "institution", "Again", "Tbilisi", 5,
                                         -1, -1), CPW_EEXISTS);
  expect_rc(f, cpw_registry_add_facility(f->reg, "h1", "hotel", "H", "Tbilisi", 5, -1, -1),
            CPW_ENOTFOUND);
  expect_rc(f, cpw_registry_add_facility(f->reg, "h1", "institution", "H", "Tbilisi", 5, 10, 8),
            CPW_EINVALID);
  expect_rc(f, cpw_registry_add_facility(f->reg, "h1", "institution", "H", "Tbilisi", 5, -1,
                                         151), CPW_EINVALID);
  expect_rc(f, cpw_registry_add_facility(f->reg, "", "institution", "H", "Tbilisi", 5, -1, -1),
            CPW_EINVALID);
  expect_rc(f, cpw_registry_add_facility(f->reg, long_id, "institution", "H", NULL, 5, -1, -1),
            CPW_EINVALID);
  expect_rc(f, cpw_registry_add_child(f->reg, "", D(2012, 1, 1), NULL), CPW_EINVALID);
  expect_rc(f, cpw_registry_add_child(f->reg, NULL, D(2012, 1, 1), NULL), CPW_EINVALID);
  expect_rc(f, cpw_registry_add_child(f->reg, "c", CPW_DATE_MAX + 1, NULL), CPW_EINVALID);
  expect_rc(f, cpw_registry_add_child(f->reg, "c", D(2012, 1, 1), ""), CPW_OK);
  expect_rc(f, cpw_registry_add_child(f->reg, "c", D(2012, 1, 1), NULL), CPW_EEXISTS);
  assert_int_equal(cpw_registry_occupancy(f->reg, "h1"), CPW_ENOTFOUND);
  /* a facility's own limits override the setting's */
  expect_rc(f, cpw_registry_add_facility(f->reg, "teen", "institution", "Teens", "Rustavi", 3, 14,
                                         17), CPW_OK);
  {
    cpw_placement_request r = req_facility("c", "teen", D(2025, 12, 31));
    expect_denied(f, &r, 0, AGES);
    r.date = D(2026, 1, 1);
    place_ok(f, &r);
    assert_int_equal(cpw_registry_current(f->reg, "c", &(cpw_placement_info){ 0 }), CPW_OK);
  }
}

/* ------------------------------------------------------------------ options */

static void assert_options(fixture *f, const char *child, cpw_date date, int emergency,
                           int keep, const char *const *want, size_t nwant)
{
  const char *got[16];
  size_t n, i;
  n = cpw_registry_options(f->reg, child, date, emergency, keep, got, 16);
  if (n != nwant) {
    for (i = 0; i < n && i < 16; i++)
      print_message("  got %s\n", got[i]);
    fail_msg("%s: %zu options, expected %zu", child, n, nwant);
  }
  for (i = 0; i < n; i++)
    assert_string_equal(got[i], want[i]);
}

static void test_placement__options_in_preference_order(void **state)
{
  fixture *f = *state;
  /* (the specialised home needs a disability, which these options do not give) */
  static const char *const infant[] = { "biological_family", "kinship", "foster_care",
                                        "emergency_foster", "small_group_home" };
  static const char *const infant_emergency[] = { "biological_family", "kinship", "foster_care",
                                                  "emergency_foster", "small_group_home",
                                                  "infant_home" };
  static const char *const ten[] = { "biological_family", "kinship", "foster_care",
                                     "small_group_home", "shelter_24h", "institution" };
  static const char *const adult[] = { "biological_family", "kinship" };
  static const char *const six[] = { "biological_family", "kinship", "foster_care",
                                     "small_group_home", "infant_home", "shelter_24h",
                                     "institution" };
  const char *two[2];
  cpw_placement_request r;
  size_t n;
  assert_int_equal(cpw_registry_add_child(f->reg, "baby", D(2022, 8, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "ten", D(2013, 2, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "six", D(2017, 2, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "adult", D(2005, 2, 1), NULL), CPW_OK);
  assert_options(f, "baby", D(2023, 8, 1), 0, 0, infant, 5);
  assert_options(f, "baby", D(2023, 8, 1), 1, 0, infant_emergency, 6);
  assert_options(f, "baby", D(2023, 8, 1), 0, 1, infant_emergency, 6);
  assert_options(f, "ten", D(2023, 8, 1), 0, 0, ten, 6);
  assert_options(f, "ten", D(2023, 8, 1), 1, 0, ten, 6);
  assert_options(f, "six", D(2023, 8, 1), 0, 0, six, 7);
  assert_options(f, "adult", D(2023, 8, 1), 0, 0, adult, 2);
  /* fewer slots than options: the most preferred, and the full count */
  n = cpw_registry_options(f->reg, "ten", D(2023, 8, 1), 0, 0, two, 2);
  assert_int_equal(n, 6);
  assert_string_equal(two[0], "biological_family");
  assert_string_equal(two[1], "kinship");
  assert_int_equal(cpw_registry_options(f->reg, "ten", D(2023, 8, 1), 0, 0, NULL, 0), 6);
  assert_int_equal(cpw_registry_options(f->reg, "nobody", D(2023, 8, 1), 0, 0, two, 2), 0);
  /* options change nothing and keep the last explanation */
  r = req_facility("ten", "tbilisi_infant_house", D(2023, 8, 1));
  expect_denied(f, &r, 0, AGES);
  assert_options(f, "ten", D(2023, 8, 1), 0, 0, ten, 6);
  assert_contains(cpw_registry_explain(f->reg), AGES);
  /* with the disability, the specialised home is an option */
  {
    const char *got[16];
    cpw_placement_request q = req_setting("ten", NULL, D(2023, 8, 1));
    q.disability = "profound";
    assert_int_equal(cpw_registry_request_options(f->reg, &q, got, 16), 7);
    assert_string_equal(got[4], "specialised_group_home");
  }
  assert_int_equal(cpw_registry_episode_count(f->reg), 0);
}

/* ------------------------------------------------------------------ reviews due */

static void test_placement__reviews_due(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  cpw_placement_info info, due[8];
  char b[CPW_DATE_BUFSIZE];
  size_t n;
  assert_int_equal(cpw_registry_add_child(f->reg, "A", D(2012, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "B", D(2012, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "C", D(2012, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "D", D(2012, 1, 1), NULL), CPW_OK);
  /* placed on 30 November: due 3 months later, on the last day of February */
  r = req_setting("A", "foster_care", D(2023, 11, 30));
  place_ok(f, &r);
  assert_int_equal(cpw_registry_current(f->reg, "A", &info), CPW_OK);
  assert_string_equal(fmt_date(info.review_due, b), "2024-02-29");
  r = req_setting("B", "foster_care", D(2022, 11, 30));
  place_ok(f, &r);
  assert_int_equal(cpw_registry_current(f->reg, "B", &info), CPW_OK);
  assert_string_equal(fmt_date(info.review_due, b), "2023-02-28");
  r = req_setting("C", "kinship", D(2023, 1, 15));
  place_ok(f, &r);
  r = req_setting("D", "kinship", D(2023, 1, 15));
  place_ok(f, &r);
  expect_rc(f, cpw_registry_end(f->reg, "D", D(2023, 2, 1), CPW_EXIT_REUNIFIED, NULL, NULL),
            CPW_OK);
  /* due on or before the date, earliest first; ended placements are not listed */
  n = cpw_registry_reviews_due(f->reg, D(2023, 4, 15), due, 8);
  assert_int_equal(n, 2);
  assert_string_equal(due[0].child, "B");
  assert_string_equal(due[1].child, "C");
  assert_string_equal(fmt_date(due[1].review_due, b), "2023-04-15");
  assert_int_equal(cpw_registry_reviews_due(f->reg, D(2023, 4, 14), due, 8), 1);
  assert_int_equal(cpw_registry_reviews_due(f->reg, D(2023, 2, 27), due, 8), 0);
  /* a review resets the clock */
  expect_rc(f, cpw_registry_review(f->reg, "B", D(2023, 3, 10), "sw-1", "social_worker"), CPW_OK);
  assert_int_equal(cpw_registry_current(f->reg, "B", &info), CPW_OK);
  assert_string_equal(fmt_date(info.review_due, b), "2023-06-10");
  assert_int_equal(info.start, D(2022, 11, 30));
  n = cpw_registry_reviews_due(f->reg, D(2023, 4, 15), due, 8);
  assert_int_equal(n, 1);
  assert_string_equal(due[0].child, "C");
  /* a review recorded late (dated before the last one) does not bring the due date back */
  expect_rc(f, cpw_registry_review(f->reg, "B", D(2023, 1, 10), "sw-1", "social_worker"), CPW_OK);
  assert_int_equal(cpw_registry_current(f->reg, "B", &info), CPW_OK);
  assert_string_equal(fmt_date(info.review_due, b), "2023-06-10");
  /* a move starts a new placement with its own clock */
  r = req_setting("C", "foster_care", D(2023, 5, 31));
  expect_rc(f, cpw_registry_move(f->reg, &r), CPW_OK);
  assert_int_equal(cpw_registry_current(f->reg, "C", &info), CPW_OK);
  assert_string_equal(fmt_date(info.review_due, b), "2023-08-31");
  /* everyone by 2030, earliest first, and `max` smaller than the count keeps the earliest */
  n = cpw_registry_reviews_due(f->reg, D(2030, 1, 1), due, 8);
  assert_int_equal(n, 3);
  assert_string_equal(due[0].child, "B");
  assert_string_equal(due[1].child, "C");
  assert_string_equal(due[2].child, "A");
  memset(due, 0, sizeof due);
  n = cpw_registry_reviews_due(f->reg, D(2030, 1, 1), due, 2);
  assert_int_equal(n, 3);
  assert_string_equal(due[0].child, "B");
  assert_string_equal(due[1].child, "C");
  assert_null(due[2].child);
  n = cpw_registry_reviews_due(f->reg, D(2030, 1, 1), due, 1);
  assert_int_equal(n, 3);
  assert_string_equal(due[0].child, "B");
  assert_int_equal(cpw_registry_reviews_due(f->reg, D(2030, 1, 1), NULL, 0), 3);
}

static void test_placement__reviews_due_keeps_earliest(void **state)
{
  fixture *f = *state;
  cpw_placement_info due[4];
  int i;
  char id[8];
  /* placed on days given in a scrambled order: the 4 earliest of 20 come back, sorted */
  static const int days[20] = { 17, 3, 12, 9, 1, 20, 5, 14, 2, 11, 8, 19, 4, 16, 7, 13, 6, 18,
                                10, 15 };
  for (i = 0; i < 20; i++) {
    cpw_placement_request r;
    snprintf(id, sizeof id, "C%02d", days[i]);
    assert_int_equal(cpw_registry_add_child(f->reg, id, D(2012, 1, 1), NULL), CPW_OK);
    r = req_setting(id, "kinship", D(2023, 1, days[i]));
    place_ok(f, &r);
  }
  assert_int_equal(cpw_registry_reviews_due(f->reg, D(2023, 12, 31), due, 4), 20);
  assert_string_equal(due[0].child, "C01");
  assert_string_equal(due[1].child, "C02");
  assert_string_equal(due[2].child, "C03");
  assert_string_equal(due[3].child, "C04");
  assert_int_equal(due[3].review_due, D(2023, 4, 4));
}

/* ------------------------------------------------------------------ aging out */

static void test_placement__aging_out(void **state)
{
  fixture *f = *state;
  cpw_placement_request r;
  cpw_placement_info out[8], info;
  char b[CPW_DATE_BUFSIZE];
  size_t n;
  assert_int_equal(cpw_registry_add_child(f->reg, "A", D(2006, 5, 20), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "L", D(2008, 2, 29), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "Y", D(2015, 1, 1), NULL), CPW_OK);
  assert_int_equal(cpw_registry_add_child(f->reg, "Z", D(2006, 1, 1), NULL), CPW_OK);
  r = req_facility("A", "kojori", D(2020, 1, 1));
  place_ok(f, &r);
  r = req_setting("L", "foster_care", D(2020, 1, 1));
  place_ok(f, &r);
  r = req_setting("Y", "foster_care", D(2020, 1, 1));
  place_ok(f, &r);
  /* Z is not placed: not listed */
  assert_int_equal(cpw_registry_current(f->reg, "A", &info), CPW_OK);
  assert_string_equal(fmt_date(info.turns_adult, b), "2024-05-20");
  assert_int_equal(cpw_registry_current(f->reg, "L", &info), CPW_OK);
  assert_string_equal(fmt_date(info.turns_adult, b), "2026-03-01");
  /* the 18th birthday itself, not the day before */
  assert_int_equal(cpw_registry_aging_out(f->reg, D(2024, 5, 19), out, 8), 0);
  n = cpw_registry_aging_out(f->reg, D(2024, 5, 20), out, 8);
  assert_int_equal(n, 1);
  assert_string_equal(out[0].child, "A");
  assert_string_equal(out[0].facility, "kojori");
  /* 29 February births: 1 March in a common year */
  assert_int_equal(cpw_registry_aging_out(f->reg, D(2026, 2, 28), out, 8), 1);
  n = cpw_registry_aging_out(f->reg, D(2026, 3, 1), out, 8);
  assert_int_equal(n, 2);
  assert_string_equal(out[0].child, "A");
  assert_string_equal(out[1].child, "L");
  /* earliest first with a small max */
  n = cpw_registry_aging_out(f->reg, D(2040, 1, 1), out, 2);
  assert_int_equal(n, 3);
  assert_string_equal(out[0].child, "A");
  assert_string_equal(out[1].child, "L");
  n = cpw_registry_aging_out(f->reg, D(2040, 1, 1), out, 1);
  assert_int_equal(n, 3);
  assert_string_equal(out[0].child, "A");
  /* leaving care takes them off the list */
  expect_rc(f, cpw_registry_end(f->reg, "A", D(2024, 5, 20), CPW_EXIT_AGED_OUT, NULL, NULL),
            CPW_OK);
  assert_int_equal(cpw_registry_aging_out(f->reg, D(2040, 1, 1), out, 8), 2);
  assert_string_equal(out[0].child, "L");
  assert_string_equal(out[1].child, "Y");
  assert_string_equal(fmt_date(out[1].turns_adult, b), "2033-01-01");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(test_placement__##name, setup, teardown)
  const struct CMUnitTest tests[] = {
    T(policy_settings),
    T(residential_under_3),
    T(residential_under_3_exceptions),
    T(residential_under_3_leap_birthday),
    T(facility_full),
    T(age_range_lower_bound),
    T(age_range_upper_bound),
    T(siblings_split_warning),
    T(roles),
    T(request_disability),
    T(unknown_birth_date),
    T(existing_bypasses_gatekeeping),
    T(state_errors),
    T(dates_before_start),
    T(denied_move_changes_nothing),
    T(registration_errors),
    T(options_in_preference_order),
    T(reviews_due),
    T(reviews_due_keeps_earliest),
    T(aging_out),
  };
#undef T
  return cmocka_run_group_tests_name("placement", tests, NULL, NULL);
}
