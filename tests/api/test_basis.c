/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the legal basis as data (issue 12, part 1): `source` declarations, the `basis`
 * clause on every rule-bearing declaration (and what inherits it), dates whose day is not
 * known, days off, clocks that run from an event across states, and what the API gives:
 * rules and sources of a policy, the rules that decided a decision, the rule behind a
 * deadline and behind a refusal. */
#include "policytest.h"

static const char BASIS_POLICY[] =
  "policy b \"Bases\" version \"1\"\n"
  "timezone \"+04:00\"\n"
  "source code \"Code on Things\" {\n"
  "  number \"12-a\"\n"
  "  date 2019-09-20\n"
  "  article \"4\"\n"
  "  address \"https://example.org/code\"\n"
  "  note \"a note\"\n"
  "}\n"
  "source news \"A news report\" { date 2021 }\n"
  "source decree \"Decree 5\"\n"
  "calendar c \"Holidays\" {\n"
  "  basis law (code)\n"
  "  weekend saturday, sunday\n"
  "  holiday 1 January \"New Year\"\n"
  "  holiday 17 May \"Family Day\" from 2025\n"
  "    basis law (code \"Art. 30(1)\") note \"from 2025\"\n"
  "  day off 2024-05-07 to 2024-05-08 \"Days off\" basis regulation (decree)\n"
  "  day off 2024-05-10\n"
  "}\n"
  "field n: int\n"
  "field ok: bool\n"
  "param amount: money = 50 GEL from 2019 basis proposal (news) note \"year only\",\n"
  "                      100 GEL from 2021-07-01 basis proposal (news),\n"
  "                      150 GEL from 2022-06\n"
  "param unused: int = 1 from 2020-01-01 basis agency_default\n"
  "program p \"P\" {\n"
  "  basis regulation (decree \"Art. 2\", code) note \"the programme\"\n"
  "  in force from 2015\n"
  "  eligible when n < 16 and ok\n"
  "  benefit money amount monthly \"Money\"\n"
  "  service s1 \"Service one\"\n"
  "  service s2 when n > 5 \"Service two\" basis proposal note \"an inference\"\n"
  "}\n"
  "program q \"Q\" { eligible when ok }\n"
  "workflow w \"W\" {\n"
  "  roles a, b\n"
  "  basis proposal (news) note \"stages: a proposal\"\n"
  "  field late: int = 0\n"
  "  state s0 initial\n"
  "  state s1\n"
  "  state s2\n"
  "  state end final\n"
  "  event go\n"
  "  event next\n"
  "  event finish\n"
  "  event stop\n"
  "  event miss\n"
  "  on go: s0 -> s1 by a\n"
  "  on next: s1 -> s2 by a when late = 0 basis law (code)\n"
  "  on finish: s1, s2 -> end by b\n"
  "  on stop: s1, s2 by a\n"
  "  on miss: * by b set late = late + 1\n"
  "  deadline go within 2 working days in s0 basis agency_default note \"the agency's\"\n"
  "  deadline finish within 3 working days from go until stop\n"
  "    basis agency_default (code)\n"
  "  escalate miss to b\n"
  "}\n"
  "setting home \"Home\" category family_type basis proposal (news)\n"
  "  capacity 8 basis agency_default ages 0 to 17\n"
  "setting inst \"Institution\" category residential\n"
  "facility f1 \"F1\" setting home region \"T\" capacity 5\n"
  "placement rules {\n"
  "  basis agency_default (code)\n"
  "  preference home, inst\n"
  "  review every 3 months basis proposal\n"
  "  deny \"too young\" when category = residential and age < 3\n"
  "    basis agency_default (code \"para. 22\")\n"
  "  deny \"full\" when capacity is given and occupancy >= capacity\n"
  "}\n";

static const cpw_rule *find_rule(const cpw_policy *pol, const char *name)
{
  size_t i;
  for (i = 0; i < cpw_policy_rule_count(pol); i++)
    if (strcmp(cpw_rule_name(cpw_policy_rule_at(pol, i)), name) == 0)
      return cpw_policy_rule_at(pol, i);
  fail_msg("no rule '%s'", name);
  return NULL;
}

static void expect_rule(const cpw_policy *pol, const char *name, int kind, int status,
                        int inherited, const char *basis)
{
  const cpw_rule *r = find_rule(pol, name);
  if (cpw_rule_kind_of(r) != kind || cpw_rule_status(r) != status ||
      cpw_rule_inherited(r) != inherited || strcmp(cpw_rule_basis(r), basis) != 0)
    fail_msg("rule %s: kind %s, status %s, inherited %d, basis \"%s\"; expected %s, %s, %d, "
             "\"%s\"", name, cpw_rule_kind_name(cpw_rule_kind_of(r)),
             cpw_basis_status_name(cpw_rule_status(r)), cpw_rule_inherited(r),
             cpw_rule_basis(r), cpw_rule_kind_name(kind), cpw_basis_status_name(status),
             inherited, basis);
}

static void test_basis__sources(void **state)
{
  pt_env e;
  const cpw_source *s;
  cpw_date d;
  (void)state;
  pt_open(&e, BASIS_POLICY);
  assert_int_equal(cpw_policy_source_count(e.pol), 3);
  s = cpw_policy_source_find(e.pol, "code");
  assert_ptr_equal(s, cpw_policy_source_at(e.pol, 0));
  assert_string_equal(cpw_source_id(s), "code");
  assert_string_equal(cpw_source_citation(s), "Code on Things");
  assert_string_equal(cpw_source_number(s), "12-a");
  assert_string_equal(cpw_source_article(s), "4");
  assert_string_equal(cpw_source_address(s), "https://example.org/code");
  assert_string_equal(cpw_source_note(s), "a note");
  assert_int_equal(cpw_source_date(s, &d), CPW_PRECISION_DAY);
  assert_int_equal(d, pt_date("2019-09-20"));
  s = cpw_policy_source_find(e.pol, "news");
  assert_int_equal(cpw_source_date(s, &d), CPW_PRECISION_YEAR);
  assert_int_equal(d, pt_date("2021-01-01"));
  s = cpw_policy_source_find(e.pol, "decree");
  assert_string_equal(cpw_source_number(s), "");
  assert_int_equal(cpw_source_date(s, NULL), CPW_ENOTFOUND);
  assert_null(cpw_policy_source_find(e.pol, "nope"));
  pt_close(&e);
}

static void test_basis__every_kind_of_rule(void **state)
{
  pt_env e;
  const cpw_rule *r;
  const char *pin;
  (void)state;
  pt_open(&e, BASIS_POLICY);
  /* a programme, its benefit and services (inherited unless stated) */
  expect_rule(e.pol, "p", CPW_RULE_PROGRAM, CPW_BASIS_REGULATION, 0,
              "regulation (Decree 5, Art. 2; Code on Things, Art. 4): the programme");
  r = cpw_program_rule(pt_program(&e, "p"));
  assert_ptr_equal(r, find_rule(e.pol, "p"));
  assert_int_equal(cpw_rule_source_count(r), 2);
  assert_string_equal(cpw_source_id(cpw_rule_source(r, 0, &pin)), "decree");
  assert_string_equal(pin, "Art. 2");
  assert_string_equal(cpw_source_id(cpw_rule_source(r, 1, &pin)), "code");
  assert_string_equal(pin, "");
  assert_string_equal(cpw_rule_note(r), "the programme");
  assert_string_equal(cpw_rule_text(r), "program p \"P\"");
  expect_rule(e.pol, "p.money", CPW_RULE_BENEFIT, CPW_BASIS_REGULATION, 1,
              "regulation (Decree 5, Art. 2; Code on Things, Art. 4): the programme");
  expect_rule(e.pol, "p.s1", CPW_RULE_SERVICE, CPW_BASIS_REGULATION, 1,
              "regulation (Decree 5, Art. 2; Code on Things, Art. 4): the programme");
  expect_rule(e.pol, "p.s2", CPW_RULE_SERVICE, CPW_BASIS_PROPOSAL, 0,
              "proposal, not confirmed: an inference");
  assert_string_equal(cpw_rule_text(find_rule(e.pol, "p.s2")),
                      "service s2 when n > 5 \"Service two\"");
  expect_rule(e.pol, "q", CPW_RULE_PROGRAM, CPW_BASIS_NONE, 0, "no basis stated");
  /* each dated parameter value */
  expect_rule(e.pol, "amount from 2019", CPW_RULE_PARAM, CPW_BASIS_PROPOSAL, 0,
              "proposal, not confirmed (A news report): year only");
  assert_string_equal(cpw_rule_text(find_rule(e.pol, "amount from 2019")),
                      "param amount = 50 GEL from 2019");
  expect_rule(e.pol, "amount from 2021-07-01", CPW_RULE_PARAM, CPW_BASIS_PROPOSAL, 0,
              "proposal, not confirmed (A news report)");
  expect_rule(e.pol, "amount from 2022-06", CPW_RULE_PARAM, CPW_BASIS_NONE, 0,
              "no basis stated");
  expect_rule(e.pol, "unused from 2020-01-01", CPW_RULE_PARAM, CPW_BASIS_AGENCY_DEFAULT, 0,
              "agency default, not law");
  /* the calendar, its holidays and days off */
  expect_rule(e.pol, "c", CPW_RULE_CALENDAR, CPW_BASIS_LAW, 0, "law (Code on Things, Art. 4)");
  expect_rule(e.pol, "c: New Year", CPW_RULE_HOLIDAY, CPW_BASIS_LAW, 1,
              "law (Code on Things, Art. 4)");
  expect_rule(e.pol, "c: Family Day", CPW_RULE_HOLIDAY, CPW_BASIS_LAW, 0,
              "law (Code on Things, Art. 30(1)): from 2025");
  expect_rule(e.pol, "c: Days off", CPW_RULE_DAY_OFF, CPW_BASIS_REGULATION, 0,
              "regulation (Decree 5)");
  expect_rule(e.pol, "c: holiday", CPW_RULE_DAY_OFF, CPW_BASIS_LAW, 1,
              "law (Code on Things, Art. 4)");
  /* the workflow, its transitions and deadlines */
  expect_rule(e.pol, "w", CPW_RULE_WORKFLOW, CPW_BASIS_PROPOSAL, 0,
              "proposal, not confirmed (A news report): stages: a proposal");
  assert_ptr_equal(cpw_workflow_rule(cpw_policy_workflow(e.pol, "w")), find_rule(e.pol, "w"));
  expect_rule(e.pol, "w: on go", CPW_RULE_TRANSITION, CPW_BASIS_PROPOSAL, 1,
              "proposal, not confirmed (A news report): stages: a proposal");
  expect_rule(e.pol, "w: on next", CPW_RULE_TRANSITION, CPW_BASIS_LAW, 0,
              "law (Code on Things, Art. 4)");
  assert_string_equal(cpw_rule_text(find_rule(e.pol, "w: on next")),
                      "on next: s1 -> s2 by a when late = 0");
  expect_rule(e.pol, "w: go", CPW_RULE_DEADLINE, CPW_BASIS_AGENCY_DEFAULT, 0,
              "agency default, not law: the agency's");
  expect_rule(e.pol, "w: finish", CPW_RULE_DEADLINE, CPW_BASIS_AGENCY_DEFAULT, 0,
              "agency default, not law (Code on Things, Art. 4)");
  /* settings, facilities (their capacity and ages), placement rules, gatekeeping */
  expect_rule(e.pol, "home", CPW_RULE_SETTING, CPW_BASIS_PROPOSAL, 0,
              "proposal, not confirmed (A news report)");
  expect_rule(e.pol, "home capacity", CPW_RULE_SETTING, CPW_BASIS_AGENCY_DEFAULT, 0,
              "agency default, not law");
  assert_string_equal(cpw_rule_text(find_rule(e.pol, "home capacity")),
                      "setting home: capacity 8");
  expect_rule(e.pol, "home ages", CPW_RULE_SETTING, CPW_BASIS_PROPOSAL, 1,
              "proposal, not confirmed (A news report)");
  expect_rule(e.pol, "inst", CPW_RULE_SETTING, CPW_BASIS_NONE, 0, "no basis stated");
  expect_rule(e.pol, "f1", CPW_RULE_FACILITY, CPW_BASIS_PROPOSAL, 1,
              "proposal, not confirmed (A news report)");
  expect_rule(e.pol, "f1 capacity", CPW_RULE_FACILITY, CPW_BASIS_PROPOSAL, 1,
              "proposal, not confirmed (A news report)");
  expect_rule(e.pol, "placement rules", CPW_RULE_PLACEMENT, CPW_BASIS_AGENCY_DEFAULT, 0,
              "agency default, not law (Code on Things, Art. 4)");
  expect_rule(e.pol, "placement: preference", CPW_RULE_PLACEMENT, CPW_BASIS_AGENCY_DEFAULT, 1,
              "agency default, not law (Code on Things, Art. 4)");
  expect_rule(e.pol, "placement: review", CPW_RULE_PLACEMENT, CPW_BASIS_PROPOSAL, 0,
              "proposal, not confirmed");
  expect_rule(e.pol, "placement: deny \"too young\"", CPW_RULE_GATEKEEPING,
              CPW_BASIS_AGENCY_DEFAULT, 0, "agency default, not law (Code on Things, para. 22)");
  expect_rule(e.pol, "placement: deny \"full\"", CPW_RULE_GATEKEEPING, CPW_BASIS_AGENCY_DEFAULT,
              1, "agency default, not law (Code on Things, Art. 4)");
  {
    int line = 0;
    assert_string_equal(cpw_rule_file(find_rule(e.pol, "w: on next"), &line), "test.cpw");
    assert_int_equal(line, 50);
  }
  pt_close(&e);
}

/* A start whose day is not known: "from 2015" is 1 January, marked as year-only. */
static void test_basis__dates_whose_day_is_not_known(void **state)
{
  pt_env e;
  cpw_date d = 0;
  (void)state;
  pt_open(&e, BASIS_POLICY);
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "p"), &d), CPW_PRECISION_YEAR);
  assert_int_equal(d, pt_date("2015-01-01"));
  assert_int_equal(cpw_program_from(pt_program(&e, "p")), pt_date("2015-01-01"));
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "amount from 2019"), &d), CPW_PRECISION_YEAR);
  assert_int_equal(d, pt_date("2019-01-01"));
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "amount from 2021-07-01"), &d),
                   CPW_PRECISION_DAY);
  assert_int_equal(d, pt_date("2021-07-01"));
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "amount from 2022-06"), &d),
                   CPW_PRECISION_MONTH);
  assert_int_equal(d, pt_date("2022-06-01"));
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "c: Family Day"), &d), CPW_PRECISION_YEAR);
  assert_int_equal(d, pt_date("2025-01-01"));
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "c: Days off"), &d), CPW_PRECISION_DAY);
  assert_int_equal(d, pt_date("2024-05-07"));
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "w: on go"), &d), CPW_ENOTFOUND);
  assert_int_equal(cpw_rule_start(find_rule(e.pol, "c: New Year"), NULL), CPW_ENOTFOUND);
  /* the values apply from those dates */
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 3, \"ok\": true}", "2019-01-01"), CPW_ELIGIBLE);
  assert_string_equal(pt_benefits(&e), "money=5000/monthly");
  assert_int_equal(pt_run(&e, "p", "2022-06-01"), CPW_ELIGIBLE);
  assert_string_equal(pt_benefits(&e), "money=15000/monthly");
  assert_int_equal(pt_run(&e, "p", "2014-12-31"), CPW_NOT_ELIGIBLE);
  /* 17 May is a holiday from 2025 only */
  assert_int_equal(cpw_calendar_is_working_day(cpw_policy_calendar(e.pol, "c"),
                                               pt_date("2024-05-17")), 1);
  assert_int_equal(cpw_calendar_is_working_day(cpw_policy_calendar(e.pol, "c"),
                                               pt_date("2025-05-17")), 0);
  pt_close(&e);
}

/* Days off are not working days: a range, and one day. */
static void test_basis__days_off(void **state)
{
  pt_env e;
  const cpw_calendar *cal;
  cpw_date due = 0;
  const char *name = NULL;
  (void)state;
  pt_open(&e, BASIS_POLICY);
  cal = cpw_policy_calendar(e.pol, "c");
  assert_int_equal(cpw_calendar_is_holiday(cal, pt_date("2024-05-08"), &name), 1);
  assert_string_equal(name, "Days off");
  assert_int_equal(cpw_calendar_is_working_day(cal, pt_date("2024-05-07")), 0);
  assert_int_equal(cpw_calendar_is_working_day(cal, pt_date("2024-05-09")), 1);
  assert_int_equal(cpw_calendar_is_working_day(cal, pt_date("2024-05-10")), 0);
  /* Thursday 2 May 2024 + 3 working days: Fri 3, Mon 6, (7, 8 off) Thu 9 */
  assert_int_equal(cpw_calendar_add_working_days(cal, &due, pt_date("2024-05-02"), 3), CPW_OK);
  assert_int_equal(due, pt_date("2024-05-09"));
  assert_int_equal(cpw_calendar_add_working_days(cal, &due, pt_date("2024-05-02"), 4), CPW_OK);
  assert_int_equal(due, pt_date("2024-05-13")); /* 10 May is off too */
  pt_close(&e);
}

/* The rules that decided a decision: the programme, the parameter values in force on the
 * date, the benefits and services given. */
static void test_basis__decision_rules(void **state)
{
  pt_env e;
  (void)state;
  pt_open(&e, BASIS_POLICY);
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 9, \"ok\": true}", "2021-07-01"), CPW_ELIGIBLE);
  assert_int_equal(cpw_decision_rule_count(e.dec), 5);
  assert_string_equal(cpw_rule_name(cpw_decision_rule(e.dec, 0)), "p");
  assert_string_equal(cpw_rule_name(cpw_decision_rule(e.dec, 1)), "amount from 2021-07-01");
  assert_string_equal(cpw_rule_name(cpw_decision_rule(e.dec, 2)), "p.money");
  assert_string_equal(cpw_rule_name(cpw_decision_rule(e.dec, 3)), "p.s1");
  assert_string_equal(cpw_rule_name(cpw_decision_rule(e.dec, 4)), "p.s2");
  assert_null(cpw_decision_rule(e.dec, 5));
  assert_string_equal(cpw_decision_basis(e.dec),
                      "p: regulation (Decree 5, Art. 2; Code on Things, Art. 4): the programme; "
                      "amount from 2021-07-01: proposal, not confirmed (A news report); "
                      "p.money: regulation (Decree 5, Art. 2; Code on Things, Art. 4): the "
                      "programme; p.s1: regulation (Decree 5, Art. 2; Code on Things, Art. 4): "
                      "the programme; p.s2: proposal, not confirmed: an inference");
  /* not eligible: the programme and the parameter its rule reads (none here) */
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 20, \"ok\": true}", "2020-01-01"),
                   CPW_NOT_ELIGIBLE);
  assert_int_equal(cpw_decision_rule_count(e.dec), 2);
  assert_string_equal(cpw_rule_name(cpw_decision_rule(e.dec, 1)), "amount from 2019");
  /* not in force: the programme alone */
  assert_int_equal(pt_eval(&e, "p", "{\"n\": 3, \"ok\": true}", "2014-06-01"), CPW_NOT_ELIGIBLE);
  assert_int_equal(cpw_decision_rule_count(e.dec), 1);
  /* the fast path (no explanation) gives the same rules */
  pt_record(&e, "{\"n\": 3, \"ok\": true}");
  assert_int_equal(cpw_evaluate(e.dec, pt_program(&e, "p"), e.rec, pt_date("2023-01-01"), 0),
                   CPW_OK);
  assert_int_equal(cpw_decision_rule_count(e.dec), 4);
  assert_string_equal(cpw_rule_name(cpw_decision_rule(e.dec, 1)), "amount from 2022-06");
  pt_close(&e);
}

/* A clock from an event to another runs whatever states the case goes through; it stops when
 * the event it waits for comes, on a stop event, or in a final state. */
static void test_basis__clock_across_states(void **state)
{
  pt_env e;
  cpw_caseload *cl;
  cpw_case *c;
  cpw_deadline dl[8];
  cpw_time t = pt_time("2024-05-02T10:00:00+04:00");
  (void)state;
  pt_open(&e, BASIS_POLICY);
  assert_int_equal(cpw_caseload_new(&cl, e.ctx, e.pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &c, "C1", "w", NULL, 0, t, "u", "a"), CPW_OK);
  assert_int_equal(cpw_case_deadlines(c, dl, 8), 1);
  assert_string_equal(dl[0].event, "go");
  assert_ptr_equal(cpw_deadline_rule(&dl[0]), find_rule(e.pol, "w: go"));
  /* go: the state clock is answered; the clock across states starts */
  assert_int_equal(cpw_case_apply(c, "go", "u", "a", t, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_deadlines(c, dl, 8), 1);
  assert_string_equal(dl[0].event, "finish");
  assert_int_equal(dl[0].started, t);
  assert_int_equal(dl[0].due, pt_time("2024-05-09T10:00:00+04:00")); /* days off 7, 8 */
  assert_ptr_equal(cpw_deadline_rule(&dl[0]), find_rule(e.pol, "w: finish"));
  assert_string_equal(cpw_rule_basis(cpw_deadline_rule(&dl[0])),
                      "agency default, not law (Code on Things, Art. 4)");
  /* moving to another state keeps it, as do events that neither answer nor stop it */
  assert_int_equal(cpw_case_apply(c, "next", "u", "a", t + 60, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "miss", "u", "b", t + 120, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_deadlines(c, dl, 8), 1);
  assert_string_equal(dl[0].event, "finish");
  assert_int_equal(dl[0].started, t);
  assert_int_equal(cpw_caseload_overdue(cl, pt_time("2024-05-09T10:00:00+04:00"), dl, 8), 0);
  assert_int_equal(cpw_caseload_overdue(cl, pt_time("2024-05-09T10:00:01+04:00"), dl, 8), 1);
  /* a stop event ends it */
  assert_int_equal(cpw_case_apply(c, "stop", "u", "a", t + 180, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
  /* a final state ends it */
  assert_int_equal(cpw_caseload_open(cl, &c, "C2", "w", NULL, 0, t, "u", "a"), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "go", "u", "a", t, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 1);
  assert_int_equal(cpw_case_apply(c, "finish", "u", "b", t + 60, NULL, 0), CPW_OK);
  assert_string_equal(cpw_case_state(c), "end");
  assert_int_equal(cpw_case_deadlines(c, NULL, 0), 0);
  assert_int_equal(cpw_caseload_overdue(cl, pt_time("2030-01-01T00:00:00Z"), NULL, 0), 0);
  cpw_caseload_free(cl);
  pt_close(&e);
}

/* The rule behind a refusal: the transition whose guard failed, or that the role may not
 * fire. */
static void test_basis__refusal_rule(void **state)
{
  pt_env e;
  cpw_caseload *cl;
  cpw_case *c;
  cpw_time t = pt_time("2024-05-02T10:00:00+04:00");
  (void)state;
  pt_open(&e, BASIS_POLICY);
  assert_int_equal(cpw_caseload_new(&cl, e.ctx, e.pol), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, &c, "C1", "w", NULL, 0, t, "u", "a"), CPW_OK);
  assert_null(cpw_case_refusal_rule(c));
  assert_int_equal(cpw_case_apply(c, "go", "u", "b", t, NULL, 0), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_ROLE);
  assert_ptr_equal(cpw_case_refusal_rule(c), find_rule(e.pol, "w: on go"));
  assert_int_equal(cpw_case_apply(c, "go", "u", "a", t, NULL, 0), CPW_OK);
  assert_null(cpw_case_refusal_rule(c));
  assert_int_equal(cpw_case_apply(c, "miss", "u", "b", t, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "next", "u", "a", t, NULL, 0), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_GUARD);
  assert_ptr_equal(cpw_case_refusal_rule(c), find_rule(e.pol, "w: on next"));
  assert_int_equal(cpw_rule_status(cpw_case_refusal_rule(c)), CPW_BASIS_LAW);
  assert_int_equal(cpw_case_apply(c, "go", "u", "a", t, NULL, 0), CPW_EDENIED);
  assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_NO_TRANSITION);
  assert_null(cpw_case_refusal_rule(c));
  cpw_caseload_free(cl);
  pt_close(&e);
}

static void expect_error(const char *text, int line, int col, const char *message)
{
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  cpw_policy_source s;
  cpw_diagnostics *dg = NULL;
  size_t i;
  int found = 0;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  s.name = "e.cpw";
  s.text = text;
  s.len = strlen(text);
  assert_int_equal(cpw_policy_compile(&pol, ctx, &s, 1, &dg), CPW_EPOLICY);
  for (i = 0; i < cpw_diagnostics_count(dg); i++) {
    const cpw_diagnostic *g = cpw_diagnostics_get(dg, i);
    if (g->line == line && g->column == col && strcmp(g->message, message) == 0)
      found = 1;
  }
  if (!found) {
    pt_print_diags(dg);
    fail_msg("no error %d:%d: %s", line, col, message);
  }
  cpw_diagnostics_free(dg);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_blocks, 0);
}

static void test_basis__errors(void **state)
{
  (void)state;
  expect_error("field n: int\nprogram p \"P\" {\n  basis law (nope)\n  eligible when n > 1\n}\n",
               3, 14, "unknown source 'nope' (declare it with 'source ID \"citation\"')");
  expect_error("source a \"A\"\nsource a \"B\"\n", 2, 8,
               "source 'a' is already declared at e.cpw:1");
  expect_error("field n: int\nprogram p \"P\" {\n  basis lawful\n  eligible when n > 1\n}\n",
               3, 9, "expected the status of the basis: law, regulation, agency_default or "
                     "proposal");
  expect_error("field n: int\nprogram p \"P\" {\n  basis law\n  basis proposal\n"
               "  eligible when n > 1\n}\n", 4, 3,
               "this declaration already has a basis (a basis belongs to the rule it "
               "follows)");
  expect_error("source a \"A\"\nfield n: int\nparam x: int = 1 from 2020 basis law (a)\n"
               "  basis law (a)\n", 4, 3, "this rule already has a basis");
  expect_error("source a \"A\" { date 2022-13 }\n", 1, 26,
               "invalid date: month 13 is out of range (1-12)");
  expect_error("source a \"A\" { title \"x\" }\n", 1, 16,
               "expected number, article, date, address or note in a source");
  expect_error("source a \"A\" { number \"1\" number \"2\" }\n", 1, 27, "a source has one 'number'");
  expect_error("source a\n", 2, 1, "expected the citation as a string after the source's id "
                                   "(the act, report or page, as a reviewer would cite it)");
  expect_error("calendar c { day off 2024-05-07 to 2024-05-01 }\n", 1, 36,
               "days off run from a date to a later one, at most 31 days on");
  expect_error("calendar c { day 2024-05-07 }\n", 1, 18, "expected 'day off DATE'");
  expect_error("setting s \"S\" category family capacity 3 basis proposal\n  basis law\n", 2, 3,
               "this rule already has a basis");
  expect_error("workflow w {\n roles a\n state s initial ongoing\n event e\n on e: s by a\n"
               " deadline e every 2 days from e\n escalate e to a\n}\n", 6, 31,
               "a clock from an event runs 'within' a time: 'every' clocks belong to a state "
               "('in STATE')");
  expect_error("workflow w {\n roles a\n state s initial ongoing\n event e\n on e: s by a\n"
               " deadline e within 2 days from f\n escalate e to a\n}\n", 6, 32,
               "unknown event 'f' (the event that starts the clock)");
}

/* The default policy: every rule states a basis, and the sources it cites are declared. */
static void test_basis__default_policy_states_every_basis(void **state)
{
  pt_env e;
  size_t i;
  (void)state;
  pt_open_default(&e);
  assert_true(cpw_policy_source_count(e.pol) > 10);
  assert_true(cpw_policy_rule_count(e.pol) > 50);
  for (i = 0; i < cpw_policy_rule_count(e.pol); i++) {
    const cpw_rule *r = cpw_policy_rule_at(e.pol, i);
    if (cpw_rule_status(r) == CPW_BASIS_NONE)
      fail_msg("rule %s (%s) states no basis", cpw_rule_name(r), cpw_rule_text(r));
  }
  /* the deadlines of the referral workflow are agency defaults, and say so */
  {
    cpw_caseload *cl;
    cpw_case *c;
    cpw_deadline dl[8];
    cpw_time t = pt_time("2026-04-08T10:00:00+04:00");
    assert_int_equal(cpw_caseload_new(&cl, e.ctx, e.pol), CPW_OK);
    assert_int_equal(cpw_caseload_open(cl, &c, "R-1", "referral", NULL, 0, t, "u", "reporter"),
                     CPW_OK);
    assert_int_equal(cpw_case_apply(c, "register", "u", "intake_officer", t, NULL, 0), CPW_OK);
    assert_true(cpw_case_deadlines(c, dl, 8) >= 1);
    assert_int_equal(cpw_rule_status(cpw_deadline_rule(&dl[0])), CPW_BASIS_AGENCY_DEFAULT);
    assert_non_null(strstr(cpw_rule_basis(cpw_deadline_rule(&dl[0])),
                           "agency default, not law"));
    cpw_caseload_free(cl);
  }
  pt_close(&e);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_basis__sources),
    cmocka_unit_test(test_basis__every_kind_of_rule),
    cmocka_unit_test(test_basis__dates_whose_day_is_not_known),
    cmocka_unit_test(test_basis__days_off),
    cmocka_unit_test(test_basis__decision_rules),
    cmocka_unit_test(test_basis__clock_across_states),
    cmocka_unit_test(test_basis__refusal_rule),
    cmocka_unit_test(test_basis__errors),
    cmocka_unit_test(test_basis__default_policy_states_every_basis),
  };
  return cmocka_run_group_tests_name("basis", tests, NULL, NULL);
}
