/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/demo.c: `cpw demo`, the README's main job: a year of referrals, the size of
 * 2018's (1,472 notifications, domain reference 1.5), simulated deterministically through
 * Georgia's embedded policy: the `referral` workflow with a journal in a temporary directory,
 * care decisions for the children who need them (their own family with support, or alternative
 * care; with gatekeeping), eligibility for every state programme, and the report. Needs no
 * file; about a second. */
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#include "cpw.h"
#include "pictures.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTIFICATIONS 1472
#define YEAR 2025

typedef struct demo {
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
  cpw_registry *reg;
  cpw_journal *j;
  uint32_t rng;
  const cpw_calendar *cal;
  int tz;
  long accepted, refused, denied_placements, warned_placements, at_home;
  double *to_assessment;   /* days from notification to the start of the assessment */
  size_t nassess, assess_on_time;
  int ka;                  /* --lang ka: the report in Georgian */
  const char *lang;        /* --lang, or NULL */
} demo;

/* The demo's own sentences are in English or Georgian here (T picks one of two literals); the
 * library gives the rest (outcomes, labels of states, events, roles, programmes and settings,
 * dates, the indicator table). */
#define T(d, e, k) ((d)->ka ? (k) : (e))

/* spaces, then s, to `width` characters */
static void pad_left_print(const char *s, int width)
{
  const unsigned char *p;
  int chars = 0;
  for (p = (const unsigned char *)s; *p != '\0'; p++)
    chars += (*p & 0xC0) != 0x80;
  for (; chars < width; chars++)
    fputc(' ', stdout);
  fputs(s, stdout);
}

/* A name's label in the report's language (kind as in cpw_policy_label), or the name. */
static const char *label(const demo *d, const char *kind, const char *name)
{
  const char *l = d->lang != NULL ? cpw_policy_label(d->pol, d->lang, kind, name) : NULL;
  return l != NULL ? l : name;
}

/* the label of `b` of `a` (a state of a workflow), or b */
static const char *label2(const demo *d, const char *kind, const char *a, const char *b)
{
  char key[256];
  const char *l;
  snprintf(key, sizeof key, "%s.%s", a, b);
  l = d->lang != NULL ? cpw_policy_label(d->pol, d->lang, kind, key) : NULL;
  return l != NULL ? l : b;
}

/* mulberry32: small, deterministic, identical everywhere */
static uint32_t next(demo *d)
{
  uint32_t t = (d->rng += 0x6D2B79F5u);
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return t ^ (t >> 14);
}

static double unit(demo *d) { return (double)next(d) / 4294967296.0; }
static int below(demo *d, int n) { return (int)(unit(d) * n); }

#define TRY(call)                                                                         \
  do {                                                                                    \
    int rc_ = (call);                                                                     \
    if (rc_ != CPW_OK)                                                                    \
      return cpw_tool_fail(d->ctx, rc_, #call);                                           \
  } while (0)

/* a time `days` working days (or calendar days) after t, at a working hour */
static cpw_time later(demo *d, cpw_time t, int days, int working)
{
  cpw_date day = cpw_time_to_date(t, d->tz), out = day;
  cpw_time r;
  if (working)
    cpw_calendar_add_working_days(d->cal, &out, day, days);
  else
    cpw_date_add_days(&out, day, days);
  cpw_time_from_date(&r, out, 9 + below(d, 8), below(d, 60), 0, d->tz);
  return r > t ? r : t + 60;
}

static int apply(demo *d, cpw_case *c, const char *event, const char *role, cpw_time at,
                 const char *field, const char *value)
{
  cpw_field_value v;
  int rc;
  v.field = field;
  v.value = value;
  rc = cpw_journal_case_apply(d->j, c, event, "demo-user", role, at, &v, field != NULL);
  if (rc == CPW_OK)
    d->accepted++;
  else if (rc == CPW_EDENIED)
    d->refused++;
  else
    return cpw_tool_fail(d->ctx, rc, event);
  return CPW_OK;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* one of `values` (NULL-terminated) with the weights (in percent) of `weights` */
static const char *pick(demo *d, const char *const *values, const int *weights)
{
  int x = below(d, 100), k;
  for (k = 0; values[k + 1] != NULL && x >= weights[k]; k++)
    x -= weights[k];
  return values[k];
}

/* one referral from notification to wherever it is at the end of the year; who notified,
 * how, and the case type are simulated (made-up shares: Decree 437's own statistics were not
 * found) */
static int one_case(demo *d, int n, cpw_time t0, cpw_time end, int *needs_care)
{
  static const char *const reporters[] = { "school", "police", "citizen", "medical",
                                           "municipality", "other", NULL };
  static const int reporter_w[] = { 30, 30, 15, 10, 10, 5 };
  static const char *const channels[] = { "written", "emergency_112", "hotline_111",
                                          "hotline_1505", "in_person", NULL };
  static const int channel_w[] = { 40, 20, 15, 15, 10 };
  static const char *const types[] = { "neglect", "physical", "psychological", "sexual",
                                       "economic", "street_child", "without_parental_care",
                                       "begging", "labour_exploitation", "trafficking",
                                       "coercion", "other", NULL };
  static const int type_w[] = { 30, 25, 15, 5, 5, 5, 5, 4, 3, 1, 1, 1 };
  char id[32];
  cpw_case *c;
  cpw_time t;
  int danger = unit(d) < 0.06, rc;
  cpw_field_value note[3];
  snprintf(id, sizeof id, "R-%d-%04d", YEAR, n);
  *needs_care = 0;
  note[0].field = "reporter_type";
  note[0].value = pick(d, reporters, reporter_w);
  note[1].field = "channel";
  note[1].value = pick(d, channels, channel_w);
  note[2].field = "case_type";
  note[2].value = pick(d, types, type_w);
  TRY(cpw_journal_case_open(d->j, d->cl, &c, id, "referral", note, 3, t0, "school-7",
                            "reporter"));
  d->accepted++;
  t = later(d, t0, below(d, 2), 1);
  if (t > end)
    return CPW_OK;
  if (unit(d) < 0.04) /* a duplicate notification about a child with an open case */
    return apply(d, c, "merge", "intake_officer", t, NULL, NULL);
  if ((rc = apply(d, c, "register", "intake_officer", t, "immediate_danger",
                  danger ? "true" : "false")) != CPW_OK)
    return rc;
  if (unit(d) < 0.02) /* someone in the wrong role tries: refused, nothing changes */
    apply(d, c, "approve_plan", "intake_officer", t + 60, NULL, NULL);
  if (unit(d) < 0.09) {
    t = later(d, t, 1 + below(d, 3), 1);
    return t > end ? CPW_OK : apply(d, c, "screen_out", "supervisor", t, NULL, NULL);
  }
  if (danger) {
    t += 3600 * (1 + below(d, 5));
    if ((rc = apply(d, c, "flag_urgent", "police", t, NULL, NULL)) != CPW_OK)
      return rc;
    if (unit(d) < 0.5) {
      t += 3600;
      /* in an immediate danger: separated first, then the court is applied to (and decides
       * during the assessment, below) */
      if ((rc = apply(d, c, "separate_child", "social_worker", t, "restraining_order",
                      "true")) != CPW_OK)
        return rc;
      t += 3600;
      if ((rc = apply(d, c, "apply_to_court", "social_worker", t, NULL, NULL)) != CPW_OK)
        return rc;
      *needs_care = 1;
    }
    t += 3600 * (2 + below(d, 20));
  } else {
    t = later(d, t, below(d, 7), 1); /* sometimes later than the 3 working days allowed */
  }
  if (t > end)
    return CPW_OK;
  {
    /* within the deadline the policy set for it (working days, or hours when urgent)? */
    cpw_deadline dl[8];
    size_t k, nd = cpw_case_deadlines(c, dl, 8);
    for (k = 0; k < nd && k < 8; k++)
      if (strcmp(dl[k].event, "start_assessment") == 0 && t <= dl[k].due)
        d->assess_on_time++;
  }
  if ((rc = apply(d, c, "start_assessment", "social_worker", t, NULL, NULL)) != CPW_OK)
    return rc;
  d->to_assessment[d->nassess++] = (double)(t - t0) / 86400.0;
  if (*needs_care) {
    /* the court decides on the separation; the social worker visits the child */
    t = later(d, t, 1 + below(d, 3), 1);
    if (t > end)
      return CPW_OK;
    if ((rc = apply(d, c, "court_decision", "court", t, "court_order",
                    unit(d) < 0.9 ? "true" : "false")) != CPW_OK)
      return rc;
    t = later(d, t, 1, 1);
    if (t > end)
      return CPW_OK;
    if ((rc = apply(d, c, "follow_up", "social_worker", t, NULL, NULL)) != CPW_OK)
      return rc;
  }
  t = later(d, t, 3 + below(d, 12), 1);
  if (t > end)
    return CPW_OK;
  {
    int confirmed = unit(d) < 0.65;
    if ((rc = apply(d, c, "assessment_done", "social_worker", t, "concern_confirmed",
                    confirmed ? "true" : "false")) != CPW_OK || !confirmed)
      return rc;
    if (!*needs_care)
      *needs_care = unit(d) < 0.12;
  }
  t = later(d, t, 2 + below(d, 6), 1);
  if (t > end || (rc = apply(d, c, "approve_plan", "supervisor", t, NULL, NULL)) != CPW_OK)
    return rc;
  {
    int services = 1 + below(d, 2), s;
    for (s = 0; s < services; s++) {
      t = later(d, t, 1 + below(d, 10), 1);
      if (t > end || (rc = apply(d, c, "start_service", "social_worker", t, NULL, NULL)) != CPW_OK)
        return rc;
    }
    t = later(d, t, 20 + below(d, 60), 0);
    if (t > end || (rc = apply(d, c, "begin_monitoring", "social_worker", t, NULL, NULL)) != CPW_OK)
      return rc;
    for (;;) {
      cpw_time next_review = later(d, t, 60 + below(d, 45), 0);
      if (next_review > end)
        return CPW_OK;
      t = next_review;
      if ((rc = apply(d, c, "review", "social_worker", t, NULL, NULL)) != CPW_OK)
        return rc;
      if (unit(d) < 0.5) {
        for (s = 0; s < services; s++)
          if ((rc = apply(d, c, "end_service", "social_worker", t + 60 * (s + 1), NULL,
                          NULL)) != CPW_OK)
            return rc;
        return apply(d, c, "close", "supervisor", t + 600, NULL, NULL);
      }
    }
  }
}

/* place a child who needs alternative care: the preferred setting first, gatekeeping decides */
static int place_child(demo *d, int n, cpw_date on)
{
  static const char *const wanted[] = { "biological_family", "kinship", "foster_care",
                                        "small_group_home", "infant_home" };
  static const double weight[] = { 0.30, 0.20, 0.30, 0.12, 0.08 };
  char id[32];
  cpw_date birth;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  double x = unit(d);
  int k = 0, rc;
  snprintf(id, sizeof id, "CH-%d-%04d", YEAR, n);
  cpw_date_add_days(&birth, on, -(int64_t)below(d, 17 * 365));
  TRY(cpw_journal_add_child(d->j, d->reg, id, birth, NULL));
  while (k < 4 && x > weight[k]) {
    x -= weight[k];
    k++;
  }
  req.child = id;
  req.date = on;
  req.actor = "sw-1";
  req.role = "social_worker";
  req.reason = "care plan";
  req.region = "Tbilisi";
  if (strcmp(wanted[k], "infant_home") == 0)
    req.facility = "tbilisi_infant_house";
  else
    req.setting = wanted[k];
  rc = cpw_journal_place(d->j, d->reg, &req);
  if (rc == CPW_EDENIED) {
    /* gatekeeping said no: the first setting it allows, in the policy's preference order */
    const char *opts[16];
    size_t nopt = cpw_registry_options(d->reg, id, on, 0, 0, opts, 16);
    d->denied_placements++;
    if (nopt == 0)
      return CPW_OK;
    req.facility = NULL;
    req.setting = opts[0];
    rc = cpw_journal_place(d->j, d->reg, &req);
  }
  if (rc == CPW_OK && strstr(cpw_registry_explain(d->reg), "warning") != NULL)
    d->warned_placements++;
  if (rc == CPW_OK) {
    cpw_placement_info info;
    if (cpw_registry_current(d->reg, id, &info) == CPW_OK &&
        info.category == CPW_CATEGORY_OWN_FAMILY)
      d->at_home++; /* with their own family, supported: not alternative care */
  }
  return rc == CPW_OK || rc == CPW_EDENIED ? CPW_OK : cpw_tool_fail(d->ctx, rc, "placing");
}

/* the two remaining institutions at the start of the year (S2: 54 + 24 in 2020) */
static int institutions(demo *d, cpw_date jan1)
{
  int n;
  for (n = 0; n < 78; n++) {
    char id[32];
    cpw_date birth, start;
    cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
    snprintf(id, sizeof id, "INST-%03d", n);
    cpw_date_add_days(&birth, jan1, -(int64_t)(n < 54 ? 200 + below(d, 6 * 365)
                                                       : 6 * 365 + below(d, 12 * 365)));
    cpw_date_add_days(&start, jan1, -(int64_t)(30 + below(d, 900)));
    if (start < birth)
      start = birth;
    TRY(cpw_journal_add_child(d->j, d->reg, id, birth, NULL));
    req.child = id;
    req.facility = n < 54 ? "tbilisi_infant_house" : "kojori";
    req.date = start;
    req.actor = "sw-1";
    req.role = "social_worker";
    req.reason = "in care before the year";
    req.flags = CPW_PLACE_EXISTING;
    TRY(cpw_journal_place(d->j, d->reg, &req));
    if (unit(d) < 0.15) { /* deinstitutionalization during the year */
      cpw_date out;
      static const int reasons[] = { CPW_EXIT_REUNIFIED, CPW_EXIT_FOSTERED, CPW_EXIT_ADOPTED };
      cpw_date_add_days(&out, jan1, below(d, 360));
      TRY(cpw_journal_end_placement(d->j, d->reg, id, out, reasons[below(d, 3)], "sw-1",
                                    "social_worker"));
    }
  }
  return CPW_OK;
}

static int eligibility(demo *d, cpw_date as_of)
{
  cpw_record *rec;
  cpw_decision *dec;
  size_t p, np = cpw_policy_program_count(d->pol);
  long counts[32][4];
  int n;
  static const char *const cities[] = { "tbilisi", "rustavi", "kutaisi", "batumi", "other" };
  static const char *const citizenship[] = { "georgian", "stateless", "foreign" };
  static const char *const disability[] = { "none", "moderate", "severe", "profound" };
  memset(counts, 0, sizeof counts);
  TRY(cpw_record_new(&rec, d->ctx, d->pol));
  TRY(cpw_decision_new(&dec, d->ctx));
  for (n = 0; n < NOTIFICATIONS; n++) {
    cpw_date birth, ret, reg;
    cpw_record_clear(rec);
    cpw_date_add_days(&birth, as_of, -(int64_t)below(d, 18 * 365));
    cpw_record_set_date(rec, "birth_date", birth);
    cpw_record_set_enum(rec, "citizenship", citizenship[unit(d) < 0.92 ? 0 : 1 + below(d, 2)]);
    cpw_record_set_bool(rec, "stateless_status", unit(d) < 0.5);
    cpw_record_set_enum(rec, "city", cities[below(d, 5)]);
    cpw_record_set_enum(rec, "disability_level", disability[unit(d) < 0.9 ? 0 : below(d, 4)]);
    cpw_record_set_bool(rec, "street_situation", unit(d) < 0.05);
    cpw_record_set_bool(rec, "violence_victim_status", unit(d) < 0.08);
    cpw_record_set_bool(rec, "alleged_violence_victim", unit(d) < 0.2);
    cpw_record_set_bool(rec, "alleged_sexual_violence", unit(d) < 0.03);
    cpw_record_set_bool(rec, "trafficking_victim_status", unit(d) < 0.01);
    cpw_record_set_bool(rec, "potential_trafficking_victim", unit(d) < 0.005);
    cpw_record_set_bool(rec, "compensation_received", 0);
    cpw_record_set_bool(rec, "tsa_registered", unit(d) < 0.35);
    cpw_record_set_int(rec, "tsa_score", below(d, 200000));
    cpw_record_set_bool(rec, "international_protection", 0);
    cpw_record_set_bool(rec, "asylum_seeker", unit(d) < 0.005);
    if (unit(d) < 0.1) { /* the family returned from abroad */
      cpw_date from;
      cpw_record_set_bool(rec, "asylum_applied_abroad", unit(d) < 0.3);
      cpw_record_set_bool(rec, "asylum_granted_abroad", 0);
      cpw_date_add_days(&ret, as_of, -(int64_t)below(d, 700));
      /* the irregular stay, as dates: "more than one year" is counted in days */
      cpw_date_add_days(&from, ret, -(int64_t)below(d, 4 * 365));
      cpw_record_set_date(rec, "irregular_stay_from", from);
      cpw_date_add_days(&reg, ret, below(d, 500));
      cpw_record_set_date(rec, "return_date", ret);
      cpw_record_set_date(rec, "registration_date", reg);
    } else { /* recorded as never abroad */
      cpw_record_set_int(rec, "months_abroad_irregular", 0);
      cpw_record_set_bool(rec, "asylum_applied_abroad", 0);
      cpw_record_set_bool(rec, "asylum_granted_abroad", 0);
    }
    if (unit(d) < 0.04) { /* a fact nobody recorded: the programmes that need it cannot decide */
      static const char *const facts[] = { "birth_date", "tsa_score", "citizenship",
                                           "street_situation" };
      cpw_record_unset(rec, facts[below(d, 4)]);
    }
    for (p = 0; p < np && p < 32; p++) {
      if (cpw_evaluate(dec, cpw_policy_program_at(d->pol, p), rec, as_of, 0) != CPW_OK &&
          cpw_decision_outcome(dec) != CPW_OUTCOME_ERROR)
        return cpw_tool_fail(d->ctx, cpw_ctx_last_error(d->ctx)->code, "evaluating");
      counts[p][cpw_decision_outcome(dec) & 3]++;
    }
  }
  {
    char day[80];
    cpw_date_format_lang(day, sizeof day, as_of, d->lang);
    printf(T(d, "\nEligibility of the %d children, as of %s\n",
             "\n%d ბავშვის შესაბამისობა პროგრამების პირობებთან, %s მდგომარეობით\n"),
           NOTIFICATIONS, day);
  }
  if (!d->ka) {
    printf("  %-28s %9s %12s %13s\n", "programme", "eligible", "not eligible", "undetermined");
    for (p = 0; p < np && p < 32; p++)
      printf("  %-28s %9ld %12ld %13ld\n",
             label(d, "program", cpw_program_id(cpw_policy_program_at(d->pol, p))),
             counts[p][CPW_ELIGIBLE], counts[p][CPW_NOT_ELIGIBLE], counts[p][CPW_UNDETERMINED]);
  } else {
    /* the counts first: Georgian programme names are long */
    printf("  ");
    pad_left_print(T(d, "eligible",
           "აკმაყოფილებს"), 13);
    printf(" ");
    pad_left_print(T(d, "not eligible",
           "არ აკმაყოფილებს"), 16);
    printf(" ");
    pad_left_print(T(d, "undetermined",
           "ვერ დადგინდა"), 13);
    printf("  %s\n", T(d, "programme",
           "პროგრამა"));
    for (p = 0; p < np && p < 32; p++)
      printf("  %13ld %16ld %13ld  %s\n", counts[p][CPW_ELIGIBLE], counts[p][CPW_NOT_ELIGIBLE],
             counts[p][CPW_UNDETERMINED],
             label(d, "program", cpw_program_id(cpw_policy_program_at(d->pol, p))));
  }
  cpw_decision_free(dec);
  cpw_record_free(rec);
  return CPW_OK;
}

static int run(demo *d, const char *path)
{
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  cpw_time start, end, *times;
  cpw_date jan1, dec31;
  char iso[64];
  int n, needs, placed = 0;
  size_t w, s;

  d->tz = cpw_policy_timezone(d->pol);
  d->cal = cpw_policy_calendar(d->pol, "georgia");
  snprintf(iso, sizeof iso, "%d-01-01", YEAR);
  cpw_date_parse(&jan1, NULL, iso, strlen(iso));
  snprintf(iso, sizeof iso, "%d-12-31", YEAR);
  cpw_date_parse(&dec31, NULL, iso, strlen(iso));
  cpw_time_from_date(&start, jan1, 0, 0, 0, d->tz);
  cpw_time_from_date(&end, dec31, 23, 59, 59, d->tz);
  o.flags = CPW_JOURNAL_CREATE;
  o.group_commit = 1000;
  TRY(cpw_journal_open(&d->j, d->ctx, path, d->pol, &o));
  TRY(cpw_caseload_new(&d->cl, d->ctx, d->pol));
  TRY(cpw_registry_new(&d->reg, d->ctx, d->pol));
  d->to_assessment = calloc(NOTIFICATIONS, sizeof *d->to_assessment);
  times = calloc(NOTIFICATIONS, sizeof *times);
  if (d->to_assessment == NULL || times == NULL)
    return cpw_tool_fail(d->ctx, CPW_ENOMEM, "memory");
  for (n = 0; n < NOTIFICATIONS; n++)
    times[n] = start + (cpw_time)(unit(d) * (double)(end - start - 86400));
  for (n = 1; n < NOTIFICATIONS; n++) { /* notifications in time order */
    cpw_time t = times[n];
    int k = n;
    while (k > 0 && times[k - 1] > t) {
      times[k] = times[k - 1];
      k--;
    }
    times[k] = t;
  }
  TRY(institutions(d, jan1));
  for (n = 0; n < NOTIFICATIONS; n++) {
    if (one_case(d, n + 1, times[n], end, &needs) != CPW_OK)
      return CPW_EXIT_ERROR;
    if (needs) {
      if (place_child(d, n + 1, cpw_time_to_date(times[n], d->tz)) != CPW_OK)
        return CPW_EXIT_ERROR;
      placed++;
    }
  }
  TRY(cpw_journal_commit(d->j, d->ctx));
  free(times);
  {
    /* what an auditor does: verify the whole chain from the file, compare the head hash */
    cpw_journal_recovery info;
    TRY(cpw_journal_verify(d->ctx, path, &info));
    if (strcmp(info.head_hash, cpw_journal_head_hash(d->j)) != 0) {
      fprintf(stderr, "cpw demo: the journal's head hash does not verify\n");
      return CPW_EXIT_ERROR;
    }
  }

  printf(T(d, "libcpw %s, policy %s %s (%.16s...)\n",
           "libcpw %s, პოლიტიკა: %s %s (%.16s...)\n"), cpw_version_string(),
         d->ka ? label(d, "policy", "") : cpw_policy_name(d->pol), cpw_policy_version(d->pol),
         cpw_policy_hash(d->pol));
  printf(T(d, "Simulated %d notifications in %d through workflow '%s': %ld events accepted "
             "(case openings included), %ld refused (each refusal changed nothing)\n",
             "სიმულაცია: %d შეტყობინება, %d წელი, „%s“: მიღებულია %ld მოქმედება (შემთხვევის "
             "გახსნის ჩათვლით), უარყოფილია %ld (უარყოფილი მოქმედება არაფერს ცვლის)\n"),
         NOTIFICATIONS, YEAR, d->ka ? label(d, "workflow", "referral") : "referral", d->accepted,
         d->refused);
  printf(T(d, "Journal: %llu entries (the %ld accepted case events and %lld placement records) "
             "in %llu commits, head %.16s..., chain verified from the file\n",
             "ჟურნალი: %llu ჩანაწერი (%ld მიღებული მოქმედება და %lld განთავსების ჩანაწერი), "
             "%llu შენახვა, ბოლო ჰეში %.16s...; ჯაჭვი შემოწმებულია ფაილიდან\n"),
         (unsigned long long)cpw_journal_recovery_info(d->j)->entries, d->accepted,
         (long long)cpw_journal_recovery_info(d->j)->entries - d->accepted,
         (unsigned long long)cpw_journal_recovery_info(d->j)->commits,
         cpw_journal_head_hash(d->j));

  cpw_date_format_lang(iso, sizeof iso, dec31, d->lang);
  printf(T(d, "\nCases by state on %s\n",
           "\nშემთხვევები ეტაპების მიხედვით: %s\n"), iso);
  for (w = 0; w < 1; w++) {
    const cpw_workflow *wf = cpw_policy_workflow(d->pol, "referral");
    for (s = 0; s < cpw_workflow_state_count(wf); s++) {
      printf("  ");
      if (d->ka) /* the count first: Georgian state names are long */
        printf("%6lld  %s\n",
               (long long)cpw_caseload_count(d->cl, "referral", cpw_workflow_state(wf, s)),
               label2(d, "state", "referral", cpw_workflow_state(wf, s)));
      else
        printf("%-18s %6lld\n", label2(d, "state", "referral", cpw_workflow_state(wf, s)),
               (long long)cpw_caseload_count(d->cl, "referral", cpw_workflow_state(wf, s)));
    }
  }
  {
    cpw_deadline od[5];
    size_t k, nover = cpw_caseload_overdue(d->cl, end, od, 5);
    printf(T(d, "\nOverdue deadlines at the end of the year: %zu",
           "\nვადაგადაცილებული ვადები წლის ბოლოს: %zu"), nover);
    fputs(nover > 0 ? T(d, " (earliest: ", " (ყველაზე ადრეული: ") : "\n", stdout);
    for (k = 0; k < nover && k < 3; k++) {
      char due[128], what[600];
      const char *args_fmt = d->lang != NULL ? cpw_message(d->lang, "deadline_due") : NULL;
      cpw_time_format_lang(due, sizeof due, od[k].due, d->tz, d->lang);
      if (args_fmt != NULL && d->ka) {
        /* the catalogue's "{0} — ვადა: {1}" with the case and the event's label */
        const char *brace = strstr(args_fmt, "{1}");
        snprintf(what, sizeof what, "%s „%s“%.*s%s", od[k].case_id,
                 label2(d, "event", "referral", od[k].event),
                 brace != NULL ? (int)(brace - args_fmt - 3) : 0, args_fmt + 3, due);
        printf("%s%s", k ? "; " : "", what);
      } else {
        printf("%s%s %s due %s", k ? "; " : "", od[k].case_id,
               label2(d, "event", "referral", od[k].event), due);
      }
    }
    if (nover > 0)
      printf(T(d, ");\n  the earliest raises the event '%s' for the %s to act on; the clock is %s\n",
               ");\n  ყველაზე ადრეულის შემდეგი ნაბიჯი: „%s“; შემსრულებელი: %s; ვადის საფუძველი: "
               "%s\n"),
             label2(d, "event", "referral", od[0].escalation), label(d, "role", od[0].role),
             cpw_basis_status_label(cpw_rule_status(cpw_deadline_rule(&od[0]))));
  }
  {
    /* Decree 437's statistics: notifications registered, by reporter type and case type */
    static const char *const fields[] = { "reporter_type", "case_type" };
    const cpw_workflow *wf = cpw_policy_workflow(d->pol, "referral");
    size_t f, i, v;
    printf(T(d, "\nNotifications registered in %d: %lld (reporters and case types simulated)\n",
             "\n%d წელს დარეგისტრირებული შეტყობინებები: %lld (შემტყობინებლები და შემთხვევის "
             "ტიპები სიმულირებულია)\n"), YEAR,
           (long long)cpw_caseload_tally(d->cl, "referral", "registered_on", jan1, dec31, NULL,
                                         NULL));
    for (f = 0; f < 2; f++)
      for (i = 0; i < cpw_workflow_field_count(wf); i++)
        if (strcmp(cpw_workflow_field(wf, i), fields[f]) == 0) {
          printf("  by %-14s", fields[f]);
          for (v = 0; v < cpw_workflow_field_value_count(wf, i); v++) {
            const char *value = cpw_workflow_field_value(wf, i, v);
            long long k = (long long)cpw_caseload_tally(d->cl, "referral", "registered_on",
                                                        jan1, dec31, fields[f], value);
            if (k > 0)
              printf(" %s %lld", value, k);
          }
          printf("\n");
        }
  }
  if (d->nassess > 0) {
    qsort(d->to_assessment, d->nassess, sizeof *d->to_assessment, cmp_double);
    printf(T(d, "Assessments started: %zu; %.1f%% within the deadline the policy sets (working "
                "days after registration, hours when urgent); median %.1f calendar days after "
                "the notification\n",
             "დაწყებული შეფასებები: %zu; პოლიტიკით დადგენილ ვადაში: %.1f%% (სამუშაო დღეები "
             "რეგისტრაციიდან, გადაუდებელ შემთხვევაში საათები); მედიანა: შეტყობინებიდან %.1f "
             "კალენდარული დღე\n"),
           d->nassess, 100.0 * (double)d->assess_on_time / (double)d->nassess,
           d->nassess % 2 ? d->to_assessment[d->nassess / 2]
                          : (d->to_assessment[d->nassess / 2 - 1] +
                             d->to_assessment[d->nassess / 2]) / 2);
  }
  if (eligibility(d, dec31) != CPW_OK)
    return CPW_EXIT_ERROR;
  printf(T(d, "\nPlacements: %d children needed care decisions: %ld stay with their own family "
             "with support (not alternative care), the others were placed in alternative care; "
             "gatekeeping denied %ld first choices (the next allowed setting in the preference "
             "order was used), %ld placements with a warning\n",
             "\nგანთავსება: გადაწყვეტილება დასჭირდა %d ბავშვს: %ld რჩება საკუთარ ოჯახში "
             "მხარდაჭერით (არ არის ალტერნატიული ზრუნვა), დანარჩენები განთავსდა ალტერნატიულ "
             "ზრუნვაში; გეითქიფინგმა უარყო %ld პირველი არჩევანი (გამოყენებულია უპირატესობის "
             "რიგით შემდეგი დაშვებული მომსახურება); გაფრთხილებით: %ld განთავსება\n"),
         placed, d->at_home, d->denied_placements, d->warned_placements);
  {
    cpw_indicators *ind;
    char *text;
    TRY(cpw_registry_indicators(d->reg, d->ctx, jan1, dec31, NULL, &ind));
    TRY(cpw_indicators_format(ind, d->ctx, CPW_INDICATORS_TABLE, &text, NULL));
    printf("\n%s", text);
    cpw_free(d->ctx, text);
    cpw_indicators_free(ind);
  }
  return CPW_EXIT_OK;
}

/* --keep DIR: the year's report page beside the journal, DIR/report.html */
static int write_page(demo *d, const char *dir, const char *path, char *page)
{
  cpw_date jan1, dec31;
  FILE *f;
  int rc;
  snprintf(page, 620, "%s/report.html", dir);
  cpw_date_from_ymd(&jan1, YEAR, 1, 1);
  cpw_date_from_ymd(&dec31, YEAR, 12, 31);
  f = fopen(page, "w");
  if (f == NULL) {
    fprintf(stderr, "cpw demo: cannot write %s: %s\n", page, strerror(errno));
    return CPW_EXIT_ERROR;
  }
  rc = cpw_tool_page(f, d->ctx, d->j, d->reg, d->pol, d->lang, jan1, dec31, NULL, path);
  if (ferror(f) | fclose(f)) {
    fprintf(stderr, "cpw demo: cannot write %s: %s\n", page, strerror(errno));
    return CPW_EXIT_ERROR;
  }
  return rc == CPW_OK ? CPW_EXIT_OK : cpw_tool_fail(d->ctx, rc, "the report page");
}

int cpw_cmd_demo(int argc, char **argv)
{
  demo d;
  char dir[512], path[600];
  const char *tmp = getenv("TMPDIR"), *keep = NULL, *lang = NULL;
  char page[620];
  int rc, i, m;
  for (i = 1; i < argc; i++) {
    if (cpw_tool_is_help(argv[i])) {
      printf("usage: cpw demo [--keep DIR] [--lang en|ka]\n\n"
             "Simulate a year of child-protection referrals (1,472 notifications, the size of\n"
             "2018's) with the embedded Georgian policy: the referral workflow with a journal\n"
             "in a temporary directory (removed afterwards), placements with gatekeeping,\n"
             "eligibility for every programme; then report cases by state, overdue deadlines,\n"
             "days to assessment, eligibility counts and the deinstitutionalization\n"
             "indicators. Deterministic.\n\n"
             "--keep DIR  write the journal to DIR/referrals.journal (DIR is created if it\n"
             "            does not exist) and keep it, to explore with cpw journal verify,\n"
             "            replay and export, and cpw report; and the year's report page,\n"
             "            charts and tables, to DIR/report.html (cpw report --format html).\n"
             "--lang ka   write the report in Georgian (en: with English labels).\n"
             "Exit status: 0, 2 usage (DIR already holds a journal), 3 on an error.\n");
      return cpw_tool_finish("demo", stdout, CPW_EXIT_OK);
    } else if ((m = cpw_tool_opt("demo", argc, argv, &i, "--keep", &keep)) != 0 ||
               (m = cpw_tool_opt("demo", argc, argv, &i, "--lang", &lang)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
    } else {
      fprintf(stderr, "cpw demo: unexpected argument '%s' (see cpw demo --help)\n", argv[i]);
      return CPW_EXIT_USAGE;
    }
  }
  memset(&d, 0, sizeof d);
  d.lang = lang;
  d.ka = lang != NULL && strcmp(lang, "ka") == 0;
  d.rng = 2018;
  if (keep != NULL) {
    struct stat st;
    snprintf(dir, sizeof dir, "%s", keep);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "cpw demo: cannot create %s: %s\n", dir, strerror(errno));
      return CPW_EXIT_ERROR;
    }
    snprintf(path, sizeof path, "%s/referrals.journal", dir);
    if (stat(path, &st) == 0) {
      fprintf(stderr, "cpw demo: %s already holds a journal (%s): remove it, or keep the demo "
                      "in another directory\n", dir, path);
      return CPW_EXIT_USAGE;
    }
  } else {
    snprintf(dir, sizeof dir, "%s/cpw-demo-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
      fprintf(stderr, "cpw demo: cannot create a temporary directory in %s: %s\n", dir,
              strerror(errno));
      return CPW_EXIT_ERROR;
    }
    snprintf(path, sizeof path, "%s/referrals.journal", dir);
  }
  if (cpw_ctx_new(&d.ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_policy_default(&d.pol, d.ctx);
  if (rc == CPW_OK && (rc = cpw_tool_set_lang(d.ctx, d.pol, "demo", lang)) != CPW_EXIT_OK) {
    cpw_policy_free(d.pol);
    cpw_ctx_free(d.ctx);
    rmdir(dir);
    return rc;
  }
  rc = rc == CPW_OK ? run(&d, path) : cpw_tool_fail(d.ctx, rc, "the embedded policy");
  if (rc == CPW_EXIT_OK && keep != NULL)
    rc = write_page(&d, dir, path, page);
  cpw_journal_close(d.j);
  cpw_registry_free(d.reg);
  cpw_caseload_free(d.cl);
  cpw_policy_free(d.pol);
  cpw_ctx_free(d.ctx);
  free(d.to_assessment);
  if (keep == NULL) {
    unlink(path);
    rmdir(dir);
  } else if (rc == CPW_EXIT_OK) {
    printf("\nThe journal kept: %s\n  cpw journal verify %s\n  cpw journal replay %s\n"
           "  cpw journal export %s\n  cpw report --journal %s --from %d-01-01 --to %d-12-31\n"
           "The year in charts and tables: %s (open it in a browser; made by\n"
           "  cpw report --journal %s --from %d-01-01 --to %d-12-31 --format html)\n",
           path, path, path, path, path, YEAR, YEAR, page, path, YEAR, YEAR);
  }
  return cpw_tool_finish("demo", stdout, rc);
}
