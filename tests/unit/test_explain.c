/* SPDX-License-Identifier: Apache-2.0 */
/* Explanations follow the formula's logic.
 *
 * The shapes, one test each: a failed `and` names the conjuncts that failed; a failed `or`
 * says none of its alternatives held ("none of: A; B; C"); an undetermined result names the
 * missing facts and says whether any one of them would suffice; `not` and comparisons read
 * naturally ("must not be", "at most").
 *
 * And a property test over generated formulas and records (seeded: CPW_TEST_SEED=n repeats a
 * run, CPW_TEST_CASES=n sets how many formulas): for every explanation,
 *  (a) each clause it names, re-evaluated alone with the values it quotes, holds or fails as
 *      the explanation says;
 *  (b) its groups combine their clauses into the outcome (an `and` group of failed clauses
 *      fails, "none of" fails, an `or` group of unknown clauses is unknown, ...);
 *  (c) for a decided outcome, the values it quotes suffice: any record with those values (the
 *      others random) gets the same outcome; for an undetermined one, every missing field of
 *      the decision is named;
 *  (d) the text joins the children of each group with that group's word (alternatives with
 *      "; or " or "; ", never "and"), and a formula of alternatives alone is never explained
 *      with "; and ". */
#include "policytest.h"

#include "base/utf8.h"
#include "eligibility/decision.h"

/* ------------------------------------------------------------------ shapes */

static const char SHAPES[] =
  "field a: bool\n"
  "field b: bool\n"
  "field c: bool\n"
  "field n: int\n"
  "field m: int\n"
  "field place: enum(tbilisi, rustavi, batumi)\n"
  "program and3 \"\" { eligible when a and n > 3 and place = tbilisi }\n"
  "program or3 \"\" { eligible when a or n > 3 or place in {tbilisi, rustavi} }\n"
  "program nested \"\" { eligible when c and (a or b) }\n"
  "program not_or \"\" { eligible when not (a or b) }\n"
  "program ne \"\" { eligible when place != batumi and n <= m }\n"
  "program unknown_or \"\" { eligible when a or (b and n >= 2) }\n"
  "labels ka {\n"
  "  field a \"ა\"\n  field b \"ბ\"\n  field c \"გ\"\n  field n \"რიცხვი\"\n"
  "  field m \"ზღვარი\"\n  field place \"ქალაქი\"\n  value place.tbilisi \"თბილისი\"\n"
  "  value place.rustavi \"რუსთავი\"\n  value place.batumi \"ბათუმი\"\n"
  "}\n";

static void shape(pt_env *e, const char *program, const char *json, const char *want)
{
  pt_eval(e, program, json, "2026-01-01");
  assert_string_equal(pt_explain(e), want);
}

/* the same in Georgian (cpw_evaluate_with): labels, "label: value" forms */
static void shape_ka(pt_env *e, const char *program, const char *json, const char *want)
{
  cpw_text_options o = CPW_TEXT_OPTIONS_INIT;
  const char *text;
  o.lang = "ka";
  pt_record(e, json);
  assert_int_equal(cpw_evaluate_with(e->dec, pt_program(e, program), e->rec,
                                     pt_date("2026-01-01"), CPW_EVAL_EXPLAIN, &o), CPW_OK);
  text = cpw_decision_explain(e->dec);
  assert_true(cpw__utf8_valid(text, strlen(text)));
  assert_string_equal(text, want);
}

static void test_explain__failed_and_names_every_failed_conjunct(void **state)
{
  pt_env e;
  (void)state;
  pt_open(&e, SHAPES);
  /* two of three fail: both are named, joined by "and" (both are needed) */
  shape(&e, "and3", "{\"a\": false, \"n\": 1, \"place\": \"tbilisi\"}",
        "not eligible: a is false, but must be true; and n is 1, but must be more than 3");
  /* one fails: only it */
  shape(&e, "and3", "{\"a\": true, \"n\": 5, \"place\": \"batumi\"}",
        "not eligible: place is batumi, but must be tbilisi");
  /* one fails and one is missing: the failure decides; the missing one is not needed */
  shape(&e, "and3", "{\"a\": false, \"place\": \"tbilisi\"}",
        "not eligible: a is false, but must be true");
  /* all hold: all are named */
  shape(&e, "and3", "{\"a\": true, \"n\": 5, \"place\": \"tbilisi\"}",
        "eligible: a is true; and n is 5, more than 3; and place is tbilisi");
  shape_ka(&e, "and3", "{\"a\": false, \"n\": 1, \"place\": \"tbilisi\"}",
           "არ აკმაყოფილებს პირობებს: ა: არა (საჭიროა: დიახ); და რიცხვი: 1 (საჭიროა: მეტი, "
           "ვიდრე 3)");
  shape_ka(&e, "and3", "{\"a\": true, \"n\": 5, \"place\": \"tbilisi\"}",
           "აკმაყოფილებს პირობებს: ა: დიახ; და რიცხვი: 5 (მეტი, ვიდრე 3); და ქალაქი: თბილისი");
  pt_close(&e);
}

static void test_explain__failed_or_says_none_of(void **state)
{
  pt_env e;
  (void)state;
  pt_open(&e, SHAPES);
  shape(&e, "or3", "{\"a\": false, \"n\": 1, \"place\": \"batumi\"}",
        "not eligible: none of: a is false, but must be true; n is 1, but must be more than 3; "
        "place is batumi, but must be one of tbilisi, rustavi");
  /* one alternative holds: it alone explains */
  shape(&e, "or3", "{\"a\": false, \"n\": 4}", "eligible: n is 4, more than 3");
  /* a failed `or` inside an `and`: in parentheses, still "none of" */
  shape(&e, "nested", "{\"a\": false, \"b\": false, \"c\": false}",
        "not eligible: c is false, but must be true; and none of (a is false, but must be "
        "true; b is false, but must be true)");
  shape_ka(&e, "or3", "{\"a\": false, \"n\": 1, \"place\": \"batumi\"}",
           "არ აკმაყოფილებს პირობებს: არცერთი პირობა არ სრულდება: ა: არა (საჭიროა: დიახ); "
           "რიცხვი: 1 (საჭიროა: მეტი, ვიდრე 3); ქალაქი: ბათუმი (საჭიროა: ერთ-ერთი: თბილისი, "
           "რუსთავი)");
  shape_ka(&e, "nested", "{\"a\": false, \"b\": false, \"c\": false}",
           "არ აკმაყოფილებს პირობებს: გ: არა (საჭიროა: დიახ); და არცერთი პირობა არ სრულდება "
           "(ა: არა (საჭიროა: დიახ); ბ: არა (საჭიროა: დიახ))");
  pt_close(&e);
}

static void test_explain__undetermined_names_the_missing_facts(void **state)
{
  pt_env e;
  (void)state;
  pt_open(&e, SHAPES);
  /* an `or` of unknowns: any one would do */
  shape(&e, "or3", "{\"a\": false}",
        "undetermined: n is missing (it must be more than 3); or place is missing (it must be "
        "one of tbilisi, rustavi) \xE2\x80\x94 any one of them would suffice");
  /* an `and` of unknowns: all are needed */
  shape(&e, "and3", "{\"n\": 5}",
        "undetermined: a is missing (it must be true); and place is missing (it must be "
        "tbilisi) \xE2\x80\x94 all of them are needed");
  /* mixed: a (alone) or both b and n */
  shape(&e, "unknown_or", "{}",
        "undetermined: a is missing (it must be true); or (b is missing (it must be true); and "
        "n is missing (it must be at least 2)) \xE2\x80\x94 any one of them would suffice");
  /* a missing operand names itself and the clause it is for */
  shape(&e, "ne", "{\"place\": \"tbilisi\", \"n\": 2}",
        "undetermined: m is missing (n must be at most m)");
  shape_ka(&e, "or3", "{\"a\": false}",
           "ვერ დადგინდა: რიცხვი: არ არის მითითებული (საჭიროა: მეტი, ვიდრე 3); ან ქალაქი: არ "
           "არის მითითებული (საჭიროა: ერთ-ერთი: თბილისი, რუსთავი) — საკმარისია რომელიმე ერთი");
  shape_ka(&e, "and3", "{\"n\": 5}",
           "ვერ დადგინდა: ა: არ არის მითითებული (საჭიროა: დიახ); და ქალაქი: არ არის მითითებული "
           "(საჭიროა: თბილისი) — საჭიროა ყველა");
  shape_ka(&e, "unknown_or", "{}",
           "ვერ დადგინდა: ა: არ არის მითითებული (საჭიროა: დიახ); ან (ბ: არ არის მითითებული "
           "(საჭიროა: დიახ); და რიცხვი: არ არის მითითებული (საჭიროა: არანაკლებ 2)) — "
           "საკმარისია რომელიმე ერთი");
  shape_ka(&e, "ne", "{\"place\": \"tbilisi\", \"n\": 2}",
           "ვერ დადგინდა: ზღვარი: არ არის მითითებული (საჭიროა: რიცხვი — არაუმეტეს ზღვარი)");
  pt_close(&e);
}

static void test_explain__not_and_comparisons_read_naturally(void **state)
{
  pt_env e;
  (void)state;
  pt_open(&e, SHAPES);
  /* not (a or b) is "not a and not b": the one that is true is named */
  shape(&e, "not_or", "{\"a\": false, \"b\": true}",
        "not eligible: b is true, but must be false");
  shape(&e, "not_or", "{\"a\": false, \"b\": false}",
        "eligible: a is false; and b is false");
  shape(&e, "ne", "{\"place\": \"batumi\", \"n\": 5, \"m\": 4}",
        "not eligible: place is batumi, but must not be batumi; and n is 5, but must be at "
        "most m (4)");
  shape(&e, "ne", "{\"place\": \"rustavi\", \"n\": 4, \"m\": 4}",
        "eligible: place is rustavi, not batumi; and n is 4, at most m (4)");
  shape_ka(&e, "not_or", "{\"a\": false, \"b\": true}",
           "არ აკმაყოფილებს პირობებს: ბ: დიახ (საჭიროა: არა)");
  shape_ka(&e, "ne", "{\"place\": \"batumi\", \"n\": 5, \"m\": 4}",
           "არ აკმაყოფილებს პირობებს: ქალაქი: ბათუმი (საჭიროა: არა ბათუმი); და რიცხვი: 5 "
           "(საჭიროა: არაუმეტეს 4 („ზღვარი“))");
  shape_ka(&e, "ne", "{\"place\": \"rustavi\", \"n\": 4, \"m\": 4}",
           "აკმაყოფილებს პირობებს: ქალაქი: რუსთავი (არა ბათუმი); და რიცხვი: 4 (არაუმეტეს 4 "
           "(„ზღვარი“))");
  pt_close(&e);
}

/* ------------------------------------------------------------------ the property test */

typedef struct rng {
  uint64_t s;
} rng;

static uint32_t rnd(rng *r, uint32_t n)
{
  r->s ^= r->s << 13; /* xorshift64 */
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return (uint32_t)(r->s % n);
}

#define NFIELDS 7
static const char *const FIELD[NFIELDS] = { "b1", "b2", "b3", "n1", "n2", "e", "d1" };
static const char *const DECLS =
  "field b1: bool\nfield b2: bool\nfield b3: bool\nfield n1: int\nfield n2: int\n"
  "field e: enum(a, b, c)\nfield d1: date\n"
  "define big = n1 > 3 and b3\n";
static const char *const DEFINE_LEAVES[] = { "n1 > 3", "b3" };

typedef struct gen {
  rng *r;
  char text[4096];
  size_t len;
  char leaves[64][64];
  size_t nleaves;
  int ands;                 /* the formula uses `and`, `not` or the definition */
} gen;

static void put(gen *g, const char *s)
{
  size_t n = strlen(s);
  assert_true(g->len + n < sizeof g->text);
  memcpy(g->text + g->len, s, n + 1);
  g->len += n;
}

static void add_leaf(gen *g, const char *s)
{
  size_t i;
  for (i = 0; i < g->nleaves; i++)
    if (strcmp(g->leaves[i], s) == 0)
      return;
  assert_true(g->nleaves < 64);
  snprintf(g->leaves[g->nleaves++], 64, "%s", s);
}

static void gen_leaf(gen *g)
{
  char s[64];
  uint32_t k = rnd(g->r, 5);
  switch (rnd(g->r, 14)) {
  case 0: snprintf(s, sizeof s, "b1"); break;
  case 1: snprintf(s, sizeof s, "b2"); break;
  case 2: snprintf(s, sizeof s, "n1 > %u", k); break;
  case 3: snprintf(s, sizeof s, "n1 <= n2"); break;
  case 4: snprintf(s, sizeof s, "n2 = %u", k); break;
  case 5: snprintf(s, sizeof s, "n1 != %u", k); break;
  case 6: snprintf(s, sizeof s, "n2 between %u and %u", k, k + 2); break;
  case 7: snprintf(s, sizeof s, "e = %s", k % 3 == 0 ? "a" : k % 3 == 1 ? "b" : "c"); break;
  case 8: snprintf(s, sizeof s, "e in {a, b}"); break;
  case 9: snprintf(s, sizeof s, "e not in {c}"); break;
  case 10: snprintf(s, sizeof s, "b2 is missing"); break;
  case 11: snprintf(s, sizeof s, "n2 is given"); break;
  case 12: snprintf(s, sizeof s, "d1 >= 2020-01-0%u", k + 1); break;
  default:
    g->ands = 1;
    put(g, "big");
    add_leaf(g, DEFINE_LEAVES[0]);
    add_leaf(g, DEFINE_LEAVES[1]);
    return;
  }
  put(g, s);
  add_leaf(g, s);
}

static void gen_formula(gen *g, int depth)
{
  uint32_t kind = depth >= 3 ? 9 : rnd(g->r, 10), n, i;
  if (kind >= 6) {
    gen_leaf(g);
    return;
  }
  if (kind == 5) {
    g->ands = 1;
    put(g, "not (");
    gen_formula(g, depth + 1);
    put(g, ")");
    return;
  }
  if (kind < 2)
    g->ands = 1;
  n = 2 + rnd(g->r, 3);
  put(g, "(");
  for (i = 0; i < n; i++) {
    if (i > 0)
      put(g, kind < 2 ? " and " : " or ");
    gen_formula(g, depth + 1);
  }
  put(g, ")");
}

/* a record's values as text ("" missing) */
typedef struct vals {
  char v[NFIELDS][16];
} vals;

static void random_value(rng *r, int f, char *out, size_t size)
{
  if (rnd(r, 10) < 3) {
    out[0] = '\0';
    return;
  }
  switch (f) {
  case 0: case 1: case 2: snprintf(out, size, "%s", rnd(r, 2) ? "true" : "false"); break;
  case 3: case 4: snprintf(out, size, "%u", rnd(r, 7)); break;
  case 5: snprintf(out, size, "%s", rnd(r, 3) == 0 ? "a" : rnd(r, 2) ? "b" : "c"); break;
  default: snprintf(out, size, "2020-01-0%u", 1 + rnd(r, 6)); break;
  }
}

static const char *any_value(int f)
{
  return f < 3 ? "true" : f < 5 ? "1" : f == 5 ? "a" : "2020-01-01";
}

static int field_index(const char *s, size_t n)
{
  int i;
  for (i = 0; i < NFIELDS; i++)
    if (strlen(FIELD[i]) == n && memcmp(FIELD[i], s, n) == 0)
      return i;
  return -1;
}

/* 1 eligible, 0 not eligible, -1 undetermined */
static int outcome_of(cpw_decision *d)
{
  int o = cpw_decision_outcome(d);
  assert_true(o == CPW_ELIGIBLE || o == CPW_NOT_ELIGIBLE || o == CPW_UNDETERMINED);
  return o == CPW_ELIGIBLE ? 1 : o == CPW_NOT_ELIGIBLE ? 0 : -1;
}

static long stats[4]; /* explanations per outcome (not eligible, eligible, undetermined) and
                         clauses re-evaluated */

/* Evaluate with e->dec, or with e->dec2 (re-evaluations while e->dec's explanation is read). */
static cpw_decision *dec2;

static int evaluate(pt_env *e, const char *program, const vals *v, unsigned flags)
{
  int f;
  cpw_decision *d = flags != 0 ? e->dec : dec2;
  cpw_record_clear(e->rec);
  for (f = 0; f < NFIELDS; f++)
    if (v->v[f][0] != '\0')
      assert_int_equal(cpw_record_set_string(e->rec, FIELD[f], v->v[f], strlen(v->v[f])), CPW_OK);
  assert_int_equal(cpw_evaluate(d, cpw_policy_program(e->pol, program), e->rec,
                                pt_date("2026-01-01"), flags), CPW_OK);
  return outcome_of(d);
}

/* The values a reason quotes: its subject's value, and "name (value)" for other fields of
 * its clause. quoted[f]: 0 not quoted, 1 a value (in q), 2 missing, 3 given. */
static void quotes_of(const cpw_reason *r, int *quoted, vals *q)
{
  const char *p = r->clause;
  int s = field_index(r->subject, strlen(r->subject));
  assert_true(s >= 0); /* the generator's clauses are about fields */
  if (strcmp(r->value, "missing") == 0) {
    quoted[s] = 2;
  } else if (strcmp(r->value, "given") == 0) {
    if (quoted[s] == 0)
      quoted[s] = 3;
  } else {
    quoted[s] = 1;
    snprintf(q->v[s], sizeof q->v[s], "%s", r->value);
  }
  while (*p != '\0') { /* the clause's other fields */
    size_t n = 0;
    int f;
    while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9'))
      n++;
    if (n == 0) {
      p++;
      continue;
    }
    f = field_index(p, n);
    if (f >= 0 && f != s) {
      char key[32];
      const char *at;
      snprintf(key, sizeof key, "%s (", FIELD[f]);
      at = strstr(r->requirement, key);
      if (at != NULL) {
        const char *end = strchr(at + strlen(key), ')');
        assert_non_null(end);
        quoted[f] = 1;
        snprintf(q->v[f], sizeof q->v[f], "%.*s", (int)(end - at - strlen(key)),
                 at + strlen(key));
      } else {
        quoted[f] = 2; /* a field named without its value: missing */
      }
    }
    p += n;
  }
}

typedef struct ctxt {
  pt_env *e;
  const cpw__explainer *ex;
  const char *text;
  const gen *g;
  rng *r;
  int all_quoted[NFIELDS];
  vals all_values;
} ctxt;

static int leaf_index(const gen *g, const char *clause)
{
  size_t i, n = strlen(clause);
  while (n >= 2 && clause[0] == '(' && clause[n - 1] == ')') { /* "not (x > 1)": (x > 1) */
    clause++;
    n -= 2;
  }
  for (i = 0; i < g->nleaves; i++)
    if (strlen(g->leaves[i]) == n && memcmp(g->leaves[i], clause, n) == 0)
      return (int)i;
  fail_msg("the explanation names a clause the formula does not have: '%s'", clause);
  return -1;
}

/* (a), (b), (d) on node id; returns its value as the rule needs it */
static int check_node(ctxt *c, uint32_t id, const char *const *seps)
{
  const cpw__xnode *x = &c->ex->nodes[id];
  uint32_t k;
  assert_true(x->span0 < x->span1 && x->span1 <= strlen(c->text));
  if (x->kind == X_LEAF) {
    const cpw_reason *r = cpw_decision_reason(c->e->dec, x->reason);
    int quoted[NFIELDS] = { 0 }, f, v;
    vals q;
    char prog[16];
    memset(&q, 0, sizeof q);
    assert_non_null(r);
    assert_int_equal(r->holds, x->holds);
    quotes_of(r, quoted, &q);
    for (f = 0; f < NFIELDS; f++) {
      if (quoted[f] == 3)
        snprintf(q.v[f], sizeof q.v[f], "%s", any_value(f));
      if (quoted[f] != 0 && (c->all_quoted[f] == 0 || c->all_quoted[f] == 3)) {
        c->all_quoted[f] = quoted[f];
        memcpy(c->all_values.v[f], q.v[f], sizeof q.v[f]);
      }
    }
    /* (a) the clause alone, with the values quoted, holds as said */
    stats[3]++;
    snprintf(prog, sizeof prog, "l%d", leaf_index(c->g, r->clause));
    {
      pt_env *e = c->e;
      const char *clause = r->clause;
      v = evaluate(e, prog, &q, 0);
      if (v >= 0 && x->negated)
        v = !v;
      if (v != x->holds)
        fail_msg("clause '%s' with the values quoted gives %d, the explanation says %d (%s)",
                 clause, v, x->holds, c->text);
    }
    return x->holds;
  }
  /* (b) the group's children combine into its value */
  for (k = 0; k < x->nkids; k++) {
    uint32_t kid = c->ex->kids[x->kids + k];
    int v = check_node(c, kid, seps);
    x = &c->ex->nodes[id];
    if (x->kind == X_ALL)
      assert_int_equal(v, x->holds); /* every failed / holding / unknown conjunct */
    else if (x->kind == X_NONE)
      assert_int_equal(v, 0);        /* every alternative failed */
    else
      assert_int_equal(v, -1);       /* X_ANY: unknown alternatives */
    if (k > 0) {
      /* (d) the words between two children are the group's */
      const cpw__xnode *p = &c->ex->nodes[c->ex->kids[x->kids + k - 1]];
      const cpw__xnode *q = &c->ex->nodes[kid];
      const char *want = seps[x->kind];
      size_t gap = q->span0 - p->span1;
      if (gap != strlen(want) || memcmp(c->text + p->span1, want, gap) != 0)
        fail_msg("children of a group are joined by '%.*s', not '%s': %s", (int)gap,
                 c->text + p->span1, want, c->text);
      if (x->kind != X_ALL && strstr(want, "and") != NULL)
        fail_msg("alternatives joined with 'and'");
    }
  }
  assert_true(x->nkids >= 2);
  if (x->kind == X_NONE)
    assert_int_equal(x->holds, 0);
  if (x->kind == X_ANY)
    assert_int_equal(x->holds, -1);
  return x->holds;
}

/* (d) in another language: the words between the children of each group are that
 * language's for the group (`and_word` never between alternatives) */
static void check_words(const cpw__explainer *ex, const char *text, uint32_t id,
                        const char *const *seps, const char *and_word)
{
  const cpw__xnode *x = &ex->nodes[id];
  uint32_t k;
  assert_true(x->span0 < x->span1 && x->span1 <= strlen(text));
  for (k = 0; x->kind != X_LEAF && k < x->nkids; k++) {
    check_words(ex, text, ex->kids[x->kids + k], seps, and_word);
    if (k > 0) {
      const cpw__xnode *p = &ex->nodes[ex->kids[x->kids + k - 1]];
      const cpw__xnode *q = &ex->nodes[ex->kids[x->kids + k]];
      size_t gap = q->span0 - p->span1;
      if (gap != strlen(seps[x->kind]) || memcmp(text + p->span1, seps[x->kind], gap) != 0)
        fail_msg("children of a group joined by '%.*s', not '%s': %s", (int)gap,
                 text + p->span1, seps[x->kind], text);
      if (x->kind != X_ALL && strstr(seps[x->kind], and_word) != NULL)
        fail_msg("alternatives joined with '%s'", and_word);
    }
  }
}

static void check_case(pt_env *e, const gen *g, const vals *rec, rng *r)
{
  static const char *const seps[] = { "", "; and ", "; or ", "; " };
  ctxt c;
  int outcome, k, f;
  size_t i;
  memset(&c, 0, sizeof c);
  c.e = e;
  c.g = g;
  c.r = r;
  outcome = evaluate(e, "p", rec, CPW_EVAL_EXPLAIN);
  stats[outcome < 0 ? 2 : outcome]++;
  c.text = cpw_decision_explain(e->dec);
  c.ex = cpw__decision_explainer(e->dec);
  assert_true(cpw__utf8_valid(c.text, strlen(c.text)));
  assert_int_equal(c.ex->nroots, 1);
  if (check_node(&c, c.ex->roots[0], seps) != outcome)
    fail_msg("the explanation's groups give another outcome than %d: %s", outcome, c.text);
  if (!g->ands && strstr(c.text, "; and ") != NULL)
    fail_msg("alternatives explained with 'and': %s (%s)", c.text, g->text);
  {
    /* the same explanation in Georgian: the same tree, Georgian words between its parts */
    static const char *const ka_seps[] = { "", "; და ", "; ან ", "; " };
    cpw_text_options o = CPW_TEXT_OPTIONS_INIT;
    const cpw__explainer *ex2;
    const char *ka;
    o.lang = "ka";
    cpw_record_clear(e->rec);
    for (f = 0; f < NFIELDS; f++)
      if (rec->v[f][0] != '\0')
        assert_int_equal(cpw_record_set_string(e->rec, FIELD[f], rec->v[f], strlen(rec->v[f])),
                         CPW_OK);
    assert_int_equal(cpw_evaluate_with(dec2, cpw_policy_program(e->pol, "p"), e->rec,
                                       pt_date("2026-01-01"), CPW_EVAL_EXPLAIN, &o), CPW_OK);
    assert_int_equal(outcome_of(dec2), outcome);
    ka = cpw_decision_explain(dec2);
    ex2 = cpw__decision_explainer(dec2);
    assert_true(cpw__utf8_valid(ka, strlen(ka)));
    assert_int_equal(ex2->nnodes, c.ex->nnodes);
    check_words(ex2, ka, ex2->roots[0], ka_seps, "და");
    if (!g->ands && strstr(ka, "; და ") != NULL)
      fail_msg("alternatives explained with 'და': %s (%s)", ka, g->text);
  }
  if (outcome >= 0) {
    /* (c) the quoted values decide: other fields random, the same outcome */
    for (k = 0; k < 4; k++) {
      vals v;
      for (f = 0; f < NFIELDS; f++) {
        if (c.all_quoted[f] == 1 || c.all_quoted[f] == 3)
          snprintf(v.v[f], sizeof v.v[f], "%s", c.all_values.v[f]);
        else if (c.all_quoted[f] == 2)
          v.v[f][0] = '\0';
        else
          random_value(r, f, v.v[f], sizeof v.v[f]);
      }
      if (evaluate(e, "p", &v, 0) != outcome)
        fail_msg("the values quoted do not decide the outcome %d of %s: %s", outcome, g->text,
                 c.text);
    }
  } else {
    /* every missing field of the decision is named */
    for (i = 0; i < cpw_decision_missing_count(e->dec); i++)
      assert_non_null(strstr(c.text, cpw_decision_missing(e->dec, i)));
  }
}

static void test_explain__property_over_generated_formulas(void **state)
{
  rng r;
  const char *seed_env = getenv("CPW_TEST_SEED"), *cases_env = getenv("CPW_TEST_CASES");
  uint64_t seed = seed_env != NULL ? strtoull(seed_env, NULL, 10) : 20261213;
  int cases = cases_env != NULL ? atoi(cases_env) : 400, n, k;
  (void)state;
  r.s = seed * 2654435761u + 1;
  print_message("seed %llu, %d formulas (CPW_TEST_SEED, CPW_TEST_CASES)\n",
                (unsigned long long)seed, cases);
  for (n = 0; n < cases; n++) {
    gen g;
    char *policy;
    size_t i, cap;
    pt_env e;
    memset(&g, 0, sizeof g);
    g.r = &r;
    gen_formula(&g, 0);
    cap = strlen(DECLS) + g.len + 128 + g.nleaves * 128;
    policy = malloc(cap);
    assert_non_null(policy);
    snprintf(policy, cap, "%sprogram p \"\" { eligible when %s }\n", DECLS, g.text);
    for (i = 0; i < g.nleaves; i++) {
      size_t l = strlen(policy);
      snprintf(policy + l, cap - l, "program l%zu \"\" { eligible when %s }\n", i, g.leaves[i]);
    }
    pt_open(&e, policy);
    assert_int_equal(cpw_decision_new(&dec2, e.ctx), CPW_OK);
    for (k = 0; k < 8; k++) {
      vals v;
      int f;
      for (f = 0; f < NFIELDS; f++)
        random_value(&r, f, v.v[f], sizeof v.v[f]);
      check_case(&e, &g, &v, &r);
    }
    cpw_decision_free(dec2);
    pt_close(&e);
    free(policy);
  }
  print_message("explanations: %ld not eligible, %ld eligible, %ld undetermined; %ld clauses "
                "re-evaluated\n", stats[0], stats[1], stats[2], stats[3]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_explain__failed_and_names_every_failed_conjunct),
    cmocka_unit_test(test_explain__failed_or_says_none_of),
    cmocka_unit_test(test_explain__undetermined_names_the_missing_facts),
    cmocka_unit_test(test_explain__not_and_comparisons_read_naturally),
    cmocka_unit_test(test_explain__property_over_generated_formulas),
  };
  return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
