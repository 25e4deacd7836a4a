/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the case engine's fast paths (lib/workflow/case.c, lib/policy/value.c):
 *
 * - a guard that is one field test runs on the event's values without the VM: for every value
 *   (boundaries, signs, the extremes, missing) its answer is the VM's (cpw__formula), and the
 *   guards that are not one test still go to the VM;
 * - the shaped updates (k, field + k, field - k) compute what cpw__formula_value computes,
 *   overflow included, each seeing the ones before, also after a VM update or a VM guard;
 * - an enum's members are found by a perfect hash built at policy load (first byte, last byte,
 *   length), or by the index when no multiplier separates them: members that share a prefix,
 *   that differ only in the middle, non-ASCII names, and names that are not members;
 * - carried enum texts remembered by address are taken only when their bytes still spell the
 *   member (a reused buffer);
 * - whole numbers of up to 18 digits skip the overflow check per digit: leading zeros, signs,
 *   the 18/19 digit border, the extremes and overflow. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpw.h"
#include "base/utf8.h"
#include "policy/value.h"
#include "policy/wf_model.h"
#include "testalloc.h"
#include "workflow/case.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static const char policy_text[] =
  "workflow g \"G\" {\n"
  "  roles r\n"
  "  field n: int\n"
  "  field m: int = 0\n"
  "  field risk: enum(none, low, medium, high)\n"
  "  field flag: bool\n"
  "  field tags: set of enum(p, q, s)\n"
  "  state a initial\n"
  "  state done final\n"
  "  event put carries n, m, risk, flag, tags\n"
  "  event t_lt\n  event t_ge\n  event t_eq\n  event t_ne\n  event t_in\n  event t_notin\n"
  "  event t_flag\n  event t_notflag\n  event t_tags\n  event t_between\n  event t_or\n"
  "  event t_and\n  event t_mixed\n"
  "  event inc\n  event dec\n  event konst\n  event twice\n  event vmguard\n  event neg\n"
  "  event sync\n  event sync2\n  event addneg\n  event addzero\n"
  "  event finish\n"
  "  on put: a\n"
  "  on t_lt: a when n < 2\n"
  "  on t_ge: a when n >= -1\n"
  "  on t_eq: a when risk = high\n"
  "  on t_ne: a when risk != low\n"
  "  on t_in: a when risk in {none, high}\n"
  "  on t_notin: a when risk not in {none, medium}\n"
  "  on t_flag: a when flag\n"
  "  on t_notflag: a when not flag\n"
  "  on t_tags: a when tags contains q\n"
  "  on t_between: a when n between 3 and 63\n"
  "  on t_or: a when n > 5 or n < 1\n"
  "  on t_and: a when n > 0 and m > 0\n"
  "  on t_mixed: a when n < 2 and m * 2 > 3\n"
  "  on inc: a set n = n + 1, m = n + 1\n"
  "  on dec: a set n = n - 3\n"
  "  on konst: a set n = 7, m = n - 9223372036854775807\n"
  "  on twice: a set n = n * 2, m = n + 1\n"
  "  on vmguard: a when n > 5 or n < 1 set m = m + 1, n = m - 1\n"
  "  on neg: a set n = 0 - n\n"
  "  on sync: a when n > 5 or n < 1 or n is missing set m = n + 1, n = m * 2\n"
  "  on sync2: a set m = n + 1, n = m * 2\n"
  "  on addneg: a set n = n + -5, m = -5 + m\n"
  "  on addzero: a set n = n + 0, m = m - 0\n"
  "  on finish: a -> done when n < 100\n"
  "}\n";

typedef struct fx {
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
  const cpw_workflow *wf;
  cpw_case *c;
  int ncases;
} fx;

static int setup(void **state)
{
  fx *f = calloc(1, sizeof *f);
  if (f == NULL)
    return -1;
  cpw_test_alloc_init(&f->ta);
  f->ctx = cpw_test_ctx(&f->ta);
  if (f->ctx == NULL ||
      cpw_policy_from_string(&f->pol, f->ctx, "g.cpw", policy_text, strlen(policy_text)) !=
        CPW_OK ||
      cpw_caseload_new(&f->cl, f->ctx, f->pol) != CPW_OK)
    return -1;
  f->wf = cpw_policy_workflow(f->pol, "g");
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  cpw_caseload_free(f->cl);
  cpw_policy_free(f->pol);
  cpw_ctx_free(f->ctx);
  assert_int_equal(f->ta.live_blocks, 0);
  assert_int_equal(f->ta.bad_sizes, 0);
  free(f);
  return 0;
}

/* a new case with these carried values ("" missing) */
static cpw_case *case_with(fx *f, const char *n, const char *m, const char *risk,
                           const char *flag, const char *tags)
{
  char id[32];
  cpw_case *c = NULL;
  cpw_field_value v[5] = { { "n", n }, { "m", m }, { "risk", risk }, { "flag", flag },
                           { "tags", tags } };
  snprintf(id, sizeof id, "c%d", f->ncases++);
  assert_int_equal(cpw_caseload_open(f->cl, &c, id, "g", NULL, 0, T0, "u", "r"), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 1, v, LEN(v)), CPW_OK);
  return c;
}

static const cpw__wf_trans *trans_of(const cpw_workflow *wf, const char *event)
{
  int e = cpw_workflow_event_index(wf, event);
  uint32_t t;
  assert_true(e >= 0);
  for (t = 0; t < wf->ntrans; t++)
    if (wf->trans[t].event == (uint16_t)e)
      return &wf->trans[t];
  fail();
  return NULL;
}

/* what the VM answers for code on the case's values */
static int vm_answer(fx *f, const cpw_case *c, const cpw__code *code, int value, int64_t *out)
{
  const int64_t *cols[CPW__WF_MAX_FIELDS];
  uint64_t known[CPW__WF_MAX_FIELDS];
  cpw__vm vm;
  cpw__vm_in in;
  uint32_t i, gen = 0;
  int r;
  for (i = 0; i < f->wf->nfields; i++) {
    cols[i] = &c->vals[i];
    known[i] = (c->known >> i) & 1;
  }
  in.col = cols;
  in.known = known;
  assert_int_equal(cpw__vm_init(&vm, f->ctx, f->pol->max_regs, 1), CPW_OK);
  vm.policy = f->pol;
  vm.as_of = 20454;
  r = value ? cpw__formula_value(&vm, code, &in, out) : cpw__formula(&vm, code, &in, NULL, &gen);
  cpw__vm_free(&vm);
  return r;
}

static const char *const ints[] = { "-9223372036854775808", "-9223372036854775807", "-65", "-2",
                                    "-1", "0", "1", "2", "3", "5", "6", "63", "64", "65",
                                    "9223372036854775806", "9223372036854775807", "" };
static const char *const risks[] = { "none", "low", "medium", "high", "" };
static const char *const flags[] = { "true", "false", "" };
static const char *const tagsets[] = { "", "p", "q", "s", "p|q", "q|s", "p|s", "p|q|s" };

/* apply `event` to a case with these values: the answer is the VM's on the same values */
static void check_guard(fx *f, const char *event, const char *n, const char *risk,
                        const char *flag, const char *tags)
{
  const cpw__wf_trans *t = trans_of(f->wf, event);
  cpw_case *c = case_with(f, n, "1", risk, flag, tags);
  int want = vm_answer(f, c, &t->guard, 0, NULL);
  uint64_t before = cpw_case_event_count(c);
  int rc = cpw_case_apply(c, event, "u", "r", T0 + 2, NULL, 0);
  if (want == CPW__TRUE) {
    assert_int_equal(rc, CPW_OK);
    assert_int_equal(cpw_case_event_count(c), before + 1);
  } else {
    assert_int_equal(rc, CPW_EDENIED);
    assert_int_equal(cpw_case_refusal(c), CPW_REFUSED_GUARD);
    assert_int_equal(cpw_case_event_count(c), before);
    /* the explanation says what the guard saw: not holding, or undetermined (missing) */
    assert_non_null(strstr(cpw_case_explain(c),
                           want == CPW__UNKNOWN ? "guard undetermined" : "guard failed"));
  }
}

static void test_case_fastpaths__one_test_guards_answer_as_the_vm(void **state)
{
  fx *f = *state;
  static const char *const int_guards[] = { "t_lt", "t_ge", "t_between" };
  static const char *const enum_guards[] = { "t_eq", "t_ne", "t_in", "t_notin" };
  static const char *const flag_guards[] = { "t_flag", "t_notflag" };
  size_t i, j;
  /* these have a test graph (the fast path): one test each, t_or and t_and two; t_mixed has
   * none (the VM) */
  for (i = 0; i < LEN(int_guards); i++)
    assert_non_null(trans_of(f->wf, int_guards[i])->guard.graph);
  for (i = 0; i < LEN(enum_guards); i++)
    assert_non_null(trans_of(f->wf, enum_guards[i])->guard.graph);
  for (i = 0; i < LEN(flag_guards); i++)
    assert_non_null(trans_of(f->wf, flag_guards[i])->guard.graph);
  assert_non_null(trans_of(f->wf, "t_tags")->guard.graph);
  assert_non_null(trans_of(f->wf, "t_or")->guard.graph);
  assert_non_null(trans_of(f->wf, "t_and")->guard.graph);
  assert_null(trans_of(f->wf, "t_mixed")->guard.graph); /* one test, then the VM */
  for (j = 0; j < LEN(ints); j++) {
    for (i = 0; i < LEN(int_guards); i++)
      check_guard(f, int_guards[i], ints[j], "", "", "");
    check_guard(f, "t_or", ints[j], "", "", "");
    check_guard(f, "t_and", ints[j], "", "", "");
    check_guard(f, "t_mixed", ints[j], "", "", "");
  }
  for (j = 0; j < LEN(risks); j++)
    for (i = 0; i < LEN(enum_guards); i++)
      check_guard(f, enum_guards[i], "", risks[j], "", "");
  for (j = 0; j < LEN(flags); j++)
    for (i = 0; i < LEN(flag_guards); i++)
      check_guard(f, flag_guards[i], "", "", flags[j], "");
  for (j = 0; j < LEN(tagsets); j++)
    check_guard(f, "t_tags", "", "", "", tagsets[j]);
}

/* A refused one-test guard's explanation shows the value the guard saw (the fast path keeps
 * only the changed fields in the staging area: the refusal stages the others first). */
static void test_case_fastpaths__refused_guard_explains_seen_values(void **state)
{
  fx *f = *state;
  cpw_case *c = case_with(f, "63", "1", "low", "true", "p");
  cpw_field_value n5 = { "n", "5" };
  assert_int_equal(cpw_case_apply(c, "t_between", "u", "r", T0 + 2, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "t_lt", "u", "r", T0 + 3, NULL, 0), CPW_EDENIED);
  assert_string_equal(cpw_case_explain(c), "guard failed: n is 63, but must be less than 2");
  /* the same after a put that changed n to 5 and a refused t_lt */
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 4, &n5, 1), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "t_lt", "u", "r", T0 + 5, NULL, 0), CPW_EDENIED);
  assert_string_equal(cpw_case_explain(c), "guard failed: n is 5, but must be less than 2");
  /* another case staged n = 9 last: the refusal of this one still shows its own 5 */
  {
    cpw_case *other = case_with(f, "9", "1", "", "", "");
    assert_int_equal(cpw_case_get(other, "n", NULL), 1);
    assert_int_equal(cpw_case_apply(c, "t_lt", "u", "r", T0 + 6, NULL, 0), CPW_EDENIED);
    assert_string_equal(cpw_case_explain(c), "guard failed: n is 5, but must be less than 2");
  }
  /* the message in the context names the event and the state, never a value */
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message,
                      "the guard of t_lt from a does not hold (cpw_case_explain says why)");
}

static int64_t get(const cpw_case *c, const char *field, int *known)
{
  int64_t v = 0;
  *known = cpw_case_get(c, field, &v);
  assert_true(*known == 0 || *known == 1);
  return v;
}

/* the shaped updates on every value: what the VM computes, overflow an error that changes
 * nothing, each update seeing the ones before */
static void test_case_fastpaths__shaped_updates_compute_as_the_vm(void **state)
{
  fx *f = *state;
  static const char *const events[] = { "inc", "dec", "konst", "twice", "neg", "sync2",
                                        "addneg", "addzero" };
  size_t i, j;
  /* the shapes (k, field + k, field - k; k = 0 too) and VM updates among them (the code
   * generator folds no negative constant: `n + -5` runs on the VM) */
  assert_int_equal(trans_of(f->wf, "inc")->set_codes[0].shape, CPW__SHAPE_ADDK);
  assert_int_equal(trans_of(f->wf, "dec")->set_codes[0].shape, CPW__SHAPE_SUBK);
  assert_int_equal(trans_of(f->wf, "konst")->set_codes[0].shape, CPW__SHAPE_CONST);
  assert_int_equal(trans_of(f->wf, "twice")->set_codes[0].shape, CPW__SHAPE_NONE);
  assert_int_equal(trans_of(f->wf, "addneg")->set_codes[0].shape, CPW__SHAPE_NONE);
  assert_int_equal(trans_of(f->wf, "addzero")->set_codes[0].shape, CPW__SHAPE_ADDK);
  assert_int_equal(trans_of(f->wf, "addzero")->set_codes[1].shape, CPW__SHAPE_SUBK);
  assert_int_equal(trans_of(f->wf, "addzero")->set_codes[1].shape_k, 0);
  for (i = 0; i < LEN(events); i++) {
    const cpw__wf_trans *t = trans_of(f->wf, events[i]);
    for (j = 0; j < LEN(ints); j++) {
      cpw_case *c = case_with(f, ints[j], "1", "", "", "");
      cpw_case shadow = *c;
      int64_t vals[CPW__WF_MAX_FIELDS], v = 0;
      uint32_t k;
      int w = CPW__TRUE, kn, rc;
      int64_t n0, m0;
      int n0k, m0k;
      memcpy(vals, c->vals, f->wf->nfields * sizeof *vals);
      shadow.vals = vals;
      /* the VM, update after update on a copy */
      for (k = 0; k < t->nsets && w != CPW__EVAL_ERROR; k++) {
        w = vm_answer(f, &shadow, &t->set_codes[k], 1, &v);
        if (w == CPW__TRUE) {
          vals[t->set_fields[k]] = v;
          shadow.known |= UINT64_C(1) << t->set_fields[k];
        } else if (w == CPW__UNKNOWN) {
          shadow.known &= ~(UINT64_C(1) << t->set_fields[k]);
        }
      }
      n0 = get(c, "n", &n0k);
      m0 = get(c, "m", &m0k);
      rc = cpw_case_apply(c, events[i], "u", "r", T0 + 2, NULL, 0);
      if (w == CPW__EVAL_ERROR) {
        assert_int_equal(rc, CPW_EINVALID);
        assert_non_null(strstr(cpw_ctx_last_error(f->ctx)->message, "could not be computed"));
        assert_int_equal(get(c, "n", &kn), n0);
        assert_int_equal(kn, n0k);
        assert_int_equal(get(c, "m", &kn), m0);
        assert_int_equal(kn, m0k);
        continue;
      }
      assert_int_equal(rc, CPW_OK);
      for (k = 0; k < 2; k++) {
        const char *name = k == 0 ? "n" : "m";
        uint32_t fi = k; /* n and m are fields 0 and 1 */
        int64_t got = get(c, name, &kn);
        assert_int_equal(kn, (int)((shadow.known >> fi) & 1));
        if (kn)
          assert_int_equal(got, vals[fi]);
      }
    }
  }
}

/* a VM guard, then shaped updates that read what the one before wrote (the VM's columns are
 * staged by then, and stay in step) */
static void test_case_fastpaths__shaped_updates_after_a_vm_guard(void **state)
{
  fx *f = *state;
  cpw_case *c = case_with(f, "9", "4", "", "", "");
  int kn;
  assert_int_equal(cpw_case_apply(c, "vmguard", "u", "r", T0 + 2, NULL, 0), CPW_OK);
  assert_int_equal(get(c, "m", &kn), 5);
  assert_int_equal(get(c, "n", &kn), 4);
  /* now n = 4: the guard (n > 5 or n < 1) is false, nothing changes */
  assert_int_equal(cpw_case_apply(c, "vmguard", "u", "r", T0 + 3, NULL, 0), CPW_EDENIED);
  assert_int_equal(get(c, "m", &kn), 5);
  assert_int_equal(get(c, "n", &kn), 4);
  /* twice: n = n * 2 by the VM, then m = n + 1 shaped, reading the VM's 8 */
  assert_int_equal(cpw_case_apply(c, "twice", "u", "r", T0 + 4, NULL, 0), CPW_OK);
  assert_int_equal(get(c, "n", &kn), 8);
  assert_int_equal(get(c, "m", &kn), 9);
  /* then a VM guard after shaped updates of an earlier event: it sees the committed values */
  assert_int_equal(cpw_case_apply(c, "vmguard", "u", "r", T0 + 5, NULL, 0), CPW_OK);
  assert_int_equal(get(c, "m", &kn), 10);
  assert_int_equal(get(c, "n", &kn), 9);
  /* a VM guard stages the VM's columns; the shaped m = n + 1 then changes m, known or not,
   * and the VM's n = m * 2 must read that m */
  assert_int_equal(cpw_case_apply(c, "sync", "u", "r", T0 + 6, NULL, 0), CPW_OK);
  assert_int_equal(get(c, "m", &kn), 10);
  assert_int_equal(get(c, "n", &kn), 20);
  {
    cpw_field_value none = { "n", "" };
    assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 7, &none, 1), CPW_OK);
    assert_int_equal(cpw_case_apply(c, "sync", "u", "r", T0 + 8, NULL, 0), CPW_OK);
    get(c, "m", &kn);
    assert_int_equal(kn, 0);
    get(c, "n", &kn);
    assert_int_equal(kn, 0);
    assert_int_equal(cpw_case_apply(c, "konst", "u", "r", T0 + 9, NULL, 0), CPW_OK);
  }
  assert_int_equal(cpw_case_apply(c, "finish", "u", "r", T0 + 10, NULL, 0), CPW_OK);
  assert_string_equal(cpw_case_state(c), "done");
}

/* enum names: the perfect hash and the index give the same members, and refuse the same names */
static void check_enum(cpw_ctx *ctx, const char *members, const char *const *names, size_t n,
                       const char *const *bad, size_t nbad, int hashed)
{
  char text[1024];
  cpw_policy *pol;
  const cpw_workflow *wf;
  const cpw__field *fd;
  const cpw__enum *e;
  size_t i;
  snprintf(text, sizeof text,
           "workflow e \"E\" {\n roles r\n field x: enum(%s)\n field xs: set of enum(%s)\n"
           " state a initial\n state z final\n event go carries x, xs\n on go: a -> z\n}\n",
           members, members);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "e.cpw", text, strlen(text)), CPW_OK);
  wf = cpw_policy_workflow(pol, "e");
  fd = &wf->fields[0];
  e = &pol->enums[fd->enum_id];
  assert_int_equal(e->mul != 0, hashed);
  assert_int_equal(e->nmembers, n);
  for (i = 0; i < n; i++) {
    int64_t v = -1;
    uint32_t m = 99;
    assert_int_equal(cpw__value_parse(ctx, pol, fd, names[i], strlen(names[i]), &v), CPW_OK);
    assert_int_equal(v, (int64_t)i);
    assert_int_equal(cpw__enum_find(e, names[i], strlen(names[i]), &m), 1);
    assert_int_equal(m, i);
    /* the set of one member */
    assert_int_equal(cpw__value_parse(ctx, pol, &wf->fields[1], names[i], strlen(names[i]), &v),
                     CPW_OK);
    assert_int_equal(v, (int64_t)(UINT64_C(1) << i));
  }
  for (i = 0; i < nbad; i++) {
    int64_t v = -1;
    size_t len = strlen(bad[i]);
    assert_int_equal(cpw__value_parse(ctx, pol, fd, bad[i], len, &v), CPW_EINVALID);
    assert_string_equal(cpw_ctx_last_error(ctx)->message, "field 'x': not one of its values");
    assert_int_equal(v, -1);
  }
  /* a name with a NUL inside its length is no member (the bytes after it count) */
  {
    char buf[80];
    int64_t v = -1;
    size_t len = strlen(names[0]);
    memcpy(buf, names[0], len);
    buf[len] = '\0';
    buf[len + 1] = 'z';
    assert_int_equal(cpw__value_parse(ctx, pol, fd, buf, len + 2, &v), CPW_EINVALID);
  }
  cpw_policy_free(pol);
}

static void test_case_fastpaths__enum_names(void **state)
{
  fx *f = *state;
  /* shared prefixes, a prefix of another, lengths 1 to 9 (members are ASCII names; the names
   * given may be anything: non-ASCII, the bytes of a member's slot with another middle) */
  static const char *const a[] = { "fo", "fo_care", "fo_family", "f", "out", "fo_cares",
                                   "f2", "o_o" };
  static const char *const abad[] = { "", "fo_", "fo_car", "fo_caree", "fo_cXre", "fo_Care",
                                      "FO", "foo", "\xe1\x83", "\xe1\x83\x94", "o", "o_x",
                                      "fo_familx", "xo_family", "fo_care ", " fo", "f\xc3\xb6",
                                      "\xe1\x83\x93\xe1\x83\x90", ("fo_c\xc3\xa1" "e") };
  /* every member the same first byte, last byte and length: no perfect hash, the index */
  static const char *const b[] = { "abc", "axc", "ayc", "azc" };
  static const char *const bbad[] = { "", "abd", "aac", "ab", "abcc", "a", "c" };
  check_enum(f->ctx, "fo, fo_care, fo_family, f, out, fo_cares, f2, o_o", a, LEN(a), abad,
             LEN(abad), 1);
  check_enum(f->ctx, "abc, axc, ayc, azc", b, LEN(b), bbad, LEN(bbad), 0);
}

/* A name that is a prefix of a member and falls in the member's slot is no member: the length
 * is compared before the bytes. The member is searched for so that they collide. */
static void test_case_fastpaths__prefix_in_the_same_slot(void **state)
{
  fx *f = *state;
  char name[8] = "abcdef";
  const char *members[1];
  uint32_t lens[1] = { 6 }, m;
  cpw__enum e;
  int b1, b2, found = 0;
  for (b1 = 'a'; b1 <= 'z' && !found; b1++)
    for (b2 = 'a'; b2 <= 'z' && !found; b2++) {
      memset(&e, 0, sizeof e);
      name[2] = (char)b1; /* the prefix "ab?" ends with it */
      name[5] = (char)b2; /* the member ends with it */
      members[0] = name;
      e.members = members;
      e.lens = lens;
      e.nmembers = 1;
      cpw__map_init(&e.index, f->ctx);
      cpw__enum_hash(&e);
      assert_int_not_equal(e.mul, 0);
      found = cpw__enum_slot(e.mul, name, 3) == cpw__enum_slot(e.mul, name, 6);
      cpw__map_free(&e.index);
    }
  assert_true(found);
  assert_int_equal(cpw__enum_find(&e, name, 6, &m), 1);
  assert_int_equal(m, 0);
  assert_int_equal(cpw__enum_find(&e, name, 3, &m), 0);
}

/* carried enum values through an event: the inline lookup and its error */
static void test_case_fastpaths__carried_enum(void **state)
{
  fx *f = *state;
  cpw_case *c = case_with(f, "1", "1", "medium", "", "");
  cpw_field_value bad = { "risk", "mediun" }, prefix = { "risk", "med" }, ok = { "risk", "high" };
  cpw_field_value named_int = { "n", "none" }, named_bool = { "flag", "low" };
  char buf[32];
  assert_int_equal(cpw_case_get_string(c, "risk", buf, sizeof buf), 1);
  assert_string_equal(buf, "medium");
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 2, &bad, 1), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message, "field 'risk': not one of its values");
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 2, &prefix, 1), CPW_EINVALID);
  assert_int_equal(cpw_case_get_string(c, "risk", buf, sizeof buf), 1);
  assert_string_equal(buf, "medium");
  /* an enum member's name is no value of an int or a bool field */
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 2, &named_int, 1), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message, "field 'n': expected a whole number");
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 2, &named_bool, 1), CPW_EINVALID);
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 2, &ok, 1), CPW_OK);
  assert_int_equal(cpw_case_get_string(c, "risk", buf, sizeof buf), 1);
  assert_string_equal(buf, "high");
}

/* Carried enum texts found before are remembered by their address (cpw_caseload.seen), but
 * taken only when the bytes there still spell the member: one buffer reused for each value
 * (as a caller parsing events into one buffer does) gets each value, never the one before;
 * the same text at another address, and texts that are a prefix or an extension of the
 * member remembered, are read as they are. */
static void test_case_fastpaths__seen_enum_texts(void **state)
{
  fx *f = *state;
  cpw_case *c = case_with(f, "1", "1", "none", "", "");
  static const char *const seq[] = { "high", "low", "high", "high", "none", "medium", "low",
                                     "medium", "none", "none" };
  char buf[16], other[16];
  cpw_field_value v = { "risk", buf };
  int64_t got;
  size_t i;
  int64_t at = T0 + 2;
  for (i = 0; i < LEN(seq); i++) {
    strcpy(buf, seq[i]);
    assert_int_equal(cpw_case_apply(c, "put", "u", "r", at++, &v, 1), CPW_OK);
    assert_int_equal(cpw_case_get(c, "risk", &got), 1);
    assert_int_equal(got, (int64_t)(strcmp(seq[i], "none") == 0     ? 0
                                    : strcmp(seq[i], "low") == 0    ? 1
                                    : strcmp(seq[i], "medium") == 0 ? 2
                                                                    : 3));
  }
  /* a prefix and an extension of the member last found at this address: no value */
  strcpy(buf, "high");
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", at++, &v, 1), CPW_OK);
  strcpy(buf, "hig");
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", at++, &v, 1), CPW_EINVALID);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message, "field 'risk': not one of its values");
  strcpy(buf, "highs");
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", at++, &v, 1), CPW_EINVALID);
  assert_int_equal(cpw_case_get(c, "risk", &got), 1);
  assert_int_equal(got, 3);
  /* the same text at another address */
  strcpy(other, "low");
  v.value = other;
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", at++, &v, 1), CPW_OK);
  assert_int_equal(cpw_case_get(c, "risk", &got), 1);
  assert_int_equal(got, 1);
  /* back to the first buffer, which now holds what the other one did */
  strcpy(buf, "medium");
  v.value = buf;
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", at++, &v, 1), CPW_OK);
  assert_int_equal(cpw_case_get(c, "risk", &got), 1);
  assert_int_equal(got, 2);
}

/* whole numbers: the short fast path and the long checked one */
static void test_case_fastpaths__whole_numbers(void **state)
{
  static const struct {
    const char *text;
    int ok;
    int64_t value;
  } cases[] = {
    { "0", 1, 0 },
    { "-0", 1, 0 },
    { "+0", 1, 0 },
    { "7", 1, 7 },
    { "007", 1, 7 },
    { "+42", 1, 42 },
    { "-42", 1, -42 },
    { "999999999999999999", 1, INT64_C(999999999999999999) },    /* 18 digits: fast */
    { "-999999999999999999", 1, -INT64_C(999999999999999999) },
    { "1000000000000000000", 1, INT64_C(1000000000000000000) },  /* 19: checked */
    { "9223372036854775807", 1, INT64_MAX },
    { "-9223372036854775808", 1, INT64_MIN },
    { "+9223372036854775807", 1, INT64_MAX },
    { "9223372036854775808", 0, 0 },
    { "-9223372036854775809", 0, 0 },
    { "99999999999999999999", 0, 0 },
    { "000000000000000000000000042", 1, 42 },                    /* leading zeros, long */
    { "-000000000000000000000009223372036854775808", 1, INT64_MIN },
    { "00000000000000000000009223372036854775808", 0, 0 },
    { "000000000000000042", 1, 42 },                             /* 18 with zeros: fast */
    { "", 0, 0 },
    { "-", 0, 0 },
    { "+", 0, 0 },
    { "--1", 0, 0 },
    { "+-1", 0, 0 },
    { "1-", 0, 0 },
    { "1 2", 0, 0 },
    { " 12", 0, 0 },
    { "12 ", 0, 0 },
    { "1/", 0, 0 },   /* '/' and ':' are the bytes beside the digits */
    { ":1", 0, 0 },
    { "1.0", 0, 0 },
    { "1e3", 0, 0 },
    { "0x10", 0, 0 },
    { "\xd9\xa1", 0, 0 },                                        /* Arabic-Indic one */
    { "1\xef\xbc\x92", 0, 0 },                                   /* fullwidth two */
    { "12345678901234567\x80", 0, 0 },
    { "123456789012345678\x80", 0, 0 },                          /* 19 bytes: checked path */
  };
  size_t i;
  (void)state;
  for (i = 0; i < LEN(cases); i++) {
    int64_t v = 12345;
    int r = cpw__parse_int(cases[i].text, strlen(cases[i].text), &v);
    if (r != (cases[i].ok ? 0 : -1))
      fail_msg("cpw__parse_int(\"%s\") returned %d", cases[i].text, r);
    if (cases[i].ok && v != cases[i].value)
      fail_msg("cpw__parse_int(\"%s\") read %lld", cases[i].text, (long long)v);
    if (!cases[i].ok)
      assert_int_equal(v, 12345); /* untouched */
  }
  /* a length that stops before the end: only the first len bytes count */
  {
    int64_t v = 0;
    assert_int_equal(cpw__parse_int("12x", 2, &v), 0);
    assert_int_equal(v, 12);
    assert_int_equal(cpw__parse_int("-5", 1, &v), -1);
  }
}

/* Refusal messages skip the UTF-8 check of pieces known valid, unless the message was cut:
 * a non-ASCII case id comes through whole, and a cut inside a character leaves no broken one. */
static void test_case_fastpaths__refusal_message_utf8(void **state)
{
  fx *f = *state;
  char id[300], big[600], want[700];
  const cpw_error *e;
  cpw_case *c = NULL;
  size_t i;
  cpw_field_value n1 = { "n", "1" };
  for (i = 0; i < 83; i++) /* 83 Georgian letters: 249 bytes */
    memcpy(id + 3 * i, "\xe1\x83\x93", 3);
  id[249] = '\0';
  assert_int_equal(cpw_caseload_open(f->cl, &c, id, "g", &n1, 1, T0, "u", "r"), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "finish", "u", "r", T0 + 1, NULL, 0), CPW_OK);
  assert_int_equal(cpw_case_apply(c, "put", "u", "r", T0 + 2, NULL, 0), CPW_EDENIED);
  snprintf(want, sizeof want, "case %s is in final state done: no event applies", id);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message, want);
  /* cut at the context's 511 bytes, inside a three-byte character */
  for (i = 0; i < 199; i++)
    memcpy(big + 3 * i, "\xe1\x83\x93", 3);
  big[597] = '\0';
  assert_int_equal(cpw__set_error_cat_utf8(f->ctx, CPW_EDENIED, "ab", big, (const char *)NULL),
                   CPW_EDENIED);
  e = cpw_ctx_last_error(f->ctx);
  assert_int_equal(e->code, CPW_EDENIED);
  assert_int_equal(strlen(e->message), 511);
  assert_true(cpw__utf8_valid(e->message, 511));
  assert_memory_equal(e->message, "ab", 2);
  assert_memory_equal(e->message + 2, big, 507); /* 169 whole letters, then the broken one */
  /* not cut: as given */
  assert_int_equal(
    cpw__set_error_cat_utf8(f->ctx, CPW_EINVALID, "x ", id, " y", (const char *)NULL),
    CPW_EINVALID);
  snprintf(want, sizeof want, "x %s y", id);
  assert_string_equal(cpw_ctx_last_error(f->ctx)->message, want);
  assert_int_equal(cpw__set_error_cat_utf8(NULL, CPW_EINVALID, "x", (const char *)NULL),
                   CPW_EINVALID);
}

/* Opening a case looks its role up again only when the name differs from the last opening's
 * (of the same workflow): the name is compared, never the caller's pointer. */
static void test_case_fastpaths__opening_roles(void **state)
{
  static const char text[] =
    "workflow w1 \"W1\" {\n roles alpha, beta\n state s0 initial\n state s1 final\n event go\n"
    " on go: s0 -> s1 by beta\n}\n"
    "workflow w2 \"W2\" {\n roles beta\n state s0 initial\n state s1 final\n event go\n"
    " on go: s0 -> s1 by beta\n}\n";
  cpw_test_alloc ta;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_caseload *cl;
  char role[16];
  (void)state;
  cpw_test_alloc_init(&ta);
  ctx = cpw_test_ctx(&ta);
  assert_non_null(ctx);
  assert_int_equal(cpw_policy_from_string(&pol, ctx, "roles.cpw", text, strlen(text)), CPW_OK);
  assert_int_equal(cpw_caseload_new(&cl, ctx, pol), CPW_OK);
  strcpy(role, "alpha");
  assert_int_equal(cpw_caseload_open(cl, NULL, "c1", "w1", NULL, 0, 1, "u", role), CPW_OK);
  strcpy(role, "gamma"); /* the same buffer, another name */
  assert_int_equal(cpw_caseload_open(cl, NULL, "c2", "w1", NULL, 0, 1, "u", role),
                   CPW_ENOTFOUND);
  strcpy(role, "alph"); /* a prefix */
  assert_int_equal(cpw_caseload_open(cl, NULL, "c2", "w1", NULL, 0, 1, "u", role),
                   CPW_ENOTFOUND);
  strcpy(role, "beta");
  assert_int_equal(cpw_caseload_open(cl, NULL, "c2", "w1", NULL, 0, 1, "u", role), CPW_OK);
  strcpy(role, "alpha");
  assert_int_equal(cpw_caseload_open(cl, NULL, "c3", "w1", NULL, 0, 1, "u", role), CPW_OK);
  /* another workflow: alpha is not its role */
  assert_int_equal(cpw_caseload_open(cl, NULL, "c4", "w2", NULL, 0, 1, "u", role),
                   CPW_ENOTFOUND);
  assert_int_equal(cpw_caseload_open(cl, NULL, "c4", "w2", NULL, 0, 1, "u", "beta"), CPW_OK);
  assert_int_equal(cpw_caseload_open(cl, NULL, "c5", "w1", NULL, 0, 1, "u", "alpha"), CPW_OK);
  assert_non_null(cpw_caseload_find(cl, "c5"));
  assert_null(cpw_caseload_find(cl, "c6"));
  cpw_caseload_free(cl);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  assert_int_equal(ta.live_bytes, 0);
  assert_int_equal(ta.bad_sizes, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_case_fastpaths__opening_roles),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__one_test_guards_answer_as_the_vm, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__refused_guard_explains_seen_values,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__shaped_updates_compute_as_the_vm, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__shaped_updates_after_a_vm_guard, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__enum_names, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__prefix_in_the_same_slot, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__carried_enum, setup, teardown),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__seen_enum_texts, setup, teardown),
    cmocka_unit_test(test_case_fastpaths__whole_numbers),
    cmocka_unit_test_setup_teardown(test_case_fastpaths__refusal_message_utf8, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
