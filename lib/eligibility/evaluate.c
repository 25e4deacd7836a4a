/* SPDX-License-Identifier: Apache-2.0 */
/* eligibility/evaluate.c: decisions (one record) and batch evaluation (columns). Both run the
 * policy's compiled code on the one VM: one lane for a record, 64 lanes at a time for a batch. */
#include <stdio.h>

#include "eligibility/decision.h"
#include "policy/labels.h"
#include "eligibility/record.h"
#include "policy/basis.h"
#include "policy/explain.h"

typedef struct benefit_out {
  const char *id;
  cpw_money amount;
  int period;
  int cap;                 /* "up to": the amount is a maximum */
} benefit_out;

struct cpw_decision {
  cpw_ctx *ctx;
  const cpw_program *program;
  int outcome;
  cpw_date as_of;
  cpw__vm vm;
  cpw__trace_entry *trace;
  size_t trace_cap;
  uint32_t gen;
  uint8_t *slot_mark, *param_mark;   /* missing-input marks (per field / parameter) */
  size_t mark_cap, pmark_cap;
  const char **missing;
  size_t nmissing, missing_cap;
  const char **services;
  size_t nservices, services_cap;
  benefit_out *benefits;
  size_t nbenefits, benefits_cap;
  cpw__explainer ex;
  cpw__buf text;                     /* the explanation text */
  int explained;
  cpw__buf basis;                    /* the bases of the deciding rules, built when asked */
  int basis_built;
  int clean;                         /* what reset() clears is clear (the fast path skips it) */
};

int cpw_decision_new(cpw_decision **out, cpw_ctx *ctx)
{
  cpw_decision *d;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_decision_new: NULL argument");
  d = cpw__calloc(ctx, 1, sizeof *d);
  if (d == NULL)
    return CPW_ENOMEM;
  d->ctx = ctx;
  d->outcome = CPW_UNDETERMINED;
  cpw__explainer_init(&d->ex, ctx);
  cpw__buf_init(&d->text, ctx);
  cpw__buf_init(&d->basis, ctx);
  *out = d;
  return CPW_OK;
}

void cpw_decision_free(cpw_decision *d)
{
  if (d == NULL)
    return;
  cpw__vm_free(&d->vm);
  cpw__free(d->ctx, d->trace, d->trace_cap * sizeof *d->trace);
  cpw__free(d->ctx, d->slot_mark, d->mark_cap);
  cpw__free(d->ctx, d->param_mark, d->pmark_cap);
  cpw__free(d->ctx, (void *)d->missing, d->missing_cap * sizeof *d->missing);
  cpw__free(d->ctx, (void *)d->services, d->services_cap * sizeof *d->services);
  cpw__free(d->ctx, d->benefits, d->benefits_cap * sizeof *d->benefits);
  cpw__explainer_free(&d->ex);
  cpw__buf_free(&d->text);
  cpw__buf_free(&d->basis);
  cpw__free(d->ctx, d, sizeof *d);
}

const char *cpw_outcome_name(int outcome)
{
  switch (outcome) {
  case CPW_NOT_ELIGIBLE: return "not_eligible";
  case CPW_ELIGIBLE: return "eligible";
  case CPW_UNDETERMINED: return "undetermined";
  case CPW_OUTCOME_ERROR: return "error";
  default: return "unknown";
  }
}

static void reset(cpw_decision *d)
{
  d->nmissing = 0;
  d->nservices = 0;
  d->nbenefits = 0;
  d->ex.count = 0;
  d->explained = 0;
  d->basis_built = 0;
  if (d->text.len != 0)
    cpw__buf_clear(&d->text);
  d->clean = 1;
}

/* Make sure the VM fits the policy's code (the fast path needs only this). */
static int prepare_vm(cpw_decision *d, const cpw_policy *pol)
{
  if (d->vm.nregs < pol->max_regs) {
    cpw__vm_free(&d->vm);
    if (cpw__vm_init(&d->vm, d->ctx, pol->max_regs, 1) != CPW_OK)
      return CPW_ENOMEM;
  }
  return CPW_OK;
}

/* Make sure the trace and the missing-input marks fit the policy (traced runs, explanations). */
static int prepare_trace(cpw_decision *d, const cpw_policy *pol)
{
  size_t nodes = (size_t)pol->max_nodes + 1;
  if (d->trace_cap < nodes) {
    cpw__trace_entry *t = cpw__calloc(d->ctx, nodes, sizeof *t);
    if (t == NULL)
      return CPW_ENOMEM;
    cpw__free(d->ctx, d->trace, d->trace_cap * sizeof *d->trace);
    d->trace = t;
    d->trace_cap = nodes;
    d->gen = 0;
  }
  if (d->mark_cap < (size_t)pol->nfields + 1) {
    uint8_t *m = cpw__calloc(d->ctx, (size_t)pol->nfields + 1, 1);
    if (m == NULL)
      return CPW_ENOMEM;
    cpw__free(d->ctx, d->slot_mark, d->mark_cap);
    d->slot_mark = m;
    d->mark_cap = (size_t)pol->nfields + 1;
  }
  if (d->pmark_cap < (size_t)pol->nparams + 1) {
    uint8_t *m = cpw__calloc(d->ctx, (size_t)pol->nparams + 1, 1);
    if (m == NULL)
      return CPW_ENOMEM;
    cpw__free(d->ctx, d->param_mark, d->pmark_cap);
    d->param_mark = m;
    d->pmark_cap = (size_t)pol->nparams + 1;
  }
  return CPW_OK;
}

/* CPW__TRUE, CPW__FALSE, CPW__UNKNOWN, CPW__EVAL_ERROR (the one formula runner, vm.h) */
static int run_bool(cpw_decision *d, const cpw__code *code, const cpw__vm_in *in, int traced)
{
  return cpw__formula(&d->vm, code, in, traced ? d->trace : NULL, &d->gen);
}

static int add_name(cpw_decision *d, const char ***arr, size_t *n, size_t *cap, const char *s)
{
  size_t i;
  for (i = 0; i < *n; i++)
    if ((*arr)[i] == s)
      return CPW_OK;
  if (cpw__grow(d->ctx, (void **)arr, cap, *n + 1, sizeof **arr) != CPW_OK)
    return CPW_ENOMEM;
  (*arr)[(*n)++] = s;
  return CPW_OK;
}

/* Traced run of `traced_code` whose root is `root`; adds missing inputs (and reasons). */
static int collect(cpw_decision *d, const cpw_policy *pol, const cpw__code *traced_code,
                   const cpw__node *root, const cpw__vm_in *in, int explain)
{
  uint32_t i;
  int v;
  if (prepare_trace(d, pol) != CPW_OK)
    return CPW_ENOMEM;
  v = run_bool(d, traced_code, in, 1);
  if (v == 2)
    return CPW_OK;
  memset(d->slot_mark, 0, pol->nfields);
  memset(d->param_mark, 0, pol->nparams);
  cpw__missing_inputs(pol, root, d->trace, d->gen, d->slot_mark, d->param_mark);
  for (i = 0; i < pol->nfields; i++)
    if (d->slot_mark[i] &&
        add_name(d, &d->missing, &d->nmissing, &d->missing_cap, pol->fields[i].name) != CPW_OK)
      return CPW_ENOMEM;
  for (i = 0; i < pol->nparams; i++)
    if (d->param_mark[i] &&
        add_name(d, &d->missing, &d->nmissing, &d->missing_cap, pol->params[i].name) != CPW_OK)
      return CPW_ENOMEM;
  if (explain) {
    d->ex.trace = d->trace;
    d->ex.gen = d->gen;
    cpw__explain_node(&d->ex, root);
    if (d->ex.oom)
      return CPW_ENOMEM;
  }
  return CPW_OK;
}

static int build_text(cpw_decision *d)
{
  static const int heads[] = { MSG_NOT_ELIGIBLE, MSG_ELIGIBLE, MSG_UNDETERMINED, MSG_ERROR };
  int rc = cpw__explain_finish(&d->ex);
  if (rc != CPW_OK)
    return rc;
  rc = cpw__buf_adds(&d->text, d->ex.lang->msg[heads[d->outcome]]);
  if (rc == CPW_OK && d->ex.nroots > 0)
    rc = cpw__buf_adds(&d->text, ": ");
  if (rc == CPW_OK)
    rc = cpw__explain_render(&d->ex, &d->text);
  d->explained = 1;
  return rc;
}

/* An evaluation error in the rule, or in a benefit's or service's condition or amount: the
 * decision is CPW_OUTCOME_ERROR, whatever was found before; the message (and, with
 * CPW_EVAL_EXPLAIN, the explanation) names the part at fault. No value is shown. */
static int eval_error(cpw_decision *d, const cpw_program *program, const char *item,
                      const char *part, int explain)
{
  char s[300];
  const cpw__lang *lang = d->ex.lang;
  reset(d);
  d->clean = 0; /* the explanation may follow */
  d->program = program;
  d->outcome = CPW_OUTCOME_ERROR;
  snprintf(s, sizeof s, "%s%s%s%s could not be evaluated: a division by zero, an overflow or "
           "a date out of range", part, item != NULL ? " '" : "", item != NULL ? item : "",
           item != NULL ? "'" : "");
  if (explain) {
    /* the same in the explanation's language: the part by its message, the item's label */
    char p[200], t[400];
    const char *args[1];
    int m = item == NULL ? MSG_PART_RULE
            : strcmp(part, "the condition of benefit") == 0 ? MSG_PART_BENEFIT_WHEN
            : strcmp(part, "the condition of service") == 0 ? MSG_PART_SERVICE_WHEN
                                                             : MSG_PART_BENEFIT_AMOUNT;
    const char *label = NULL;
    if (item != NULL) {
      char key[300];
      int k = snprintf(key, sizeof key, "%s.%s", program->id, item);
      if (k > 0 && (size_t)k < sizeof key)
        label = cpw__label(program->policy, lang,
                           m == MSG_PART_SERVICE_WHEN ? "service" : "benefit", key, (size_t)k);
    }
    args[0] = label != NULL ? label : item;
    cpw__lang_fill(p, sizeof p, lang->msg[m], args, 1);
    args[0] = p;
    cpw__lang_fill(t, sizeof t, lang->msg[MSG_EVAL_ERROR], args, 1);
    cpw__explainer_reset(&d->ex, program->policy, d->trace, 0, NULL);
    cpw__explainer_lang(&d->ex, lang);
    cpw__explain_note(&d->ex, 0, t);
    if (build_text(d) != CPW_OK) {
      reset(d);
      d->outcome = CPW_OUTCOME_ERROR;
    }
  }
  return cpw__set_error(d->ctx, CPW_EINVALID, "programme '%s': %s", program->id, s);
}

#define NOT_RUN (-3) /* evaluate: the rule has not run yet */

/* cpw_evaluate in full; `ran` is the rule's result when the fast path already ran it; `from`
 * (when not NULL) is where the fast path's lists stopped, the rule to be run on from there. */
static CPW__NOINLINE int evaluate(cpw_decision *d, const cpw_program *program,
                                       const cpw_record *record, cpw_date as_of,
                                       unsigned int flags, int ran, const cpw__insn *from,
                                       const char *tag)
{
  const cpw_policy *pol;
  const cpw__lang *lang = NULL;
  cpw__vm_in in;
  int v, rc, explain = (flags & CPW_EVAL_EXPLAIN) != 0;
  uint32_t i;

  if (d == NULL)
    return CPW_EINVALID;
  reset(d);
  d->clean = 0; /* what follows may fill it */
  d->program = program;
  d->as_of = as_of;
  d->outcome = CPW_UNDETERMINED;
  if (program == NULL || record == NULL)
    return cpw__set_error(d->ctx, CPW_EINVALID, "cpw_evaluate: NULL programme or record");
  if ((flags & ~CPW_EVAL_EXPLAIN) != 0)
    return cpw__set_error(d->ctx, CPW_EINVALID, "cpw_evaluate: unknown flags 0x%x",
                          flags & ~CPW_EVAL_EXPLAIN);
  pol = program->policy;
  if (record->policy != pol)
    return cpw__set_error(d->ctx, CPW_EINVALID,
                          "the record was made for another policy than the programme's");
  if (as_of < CPW_DATE_MIN || as_of > CPW_DATE_MAX)
    return cpw__set_error(d->ctx, CPW_EINVALID, "the evaluation date is out of range");
  if (explain) {
    if (tag == NULL)
      tag = d->ctx->lang;
    lang = cpw__policy_lang(pol, tag);
    if (lang == NULL)
      return cpw__set_error(d->ctx, CPW_ENOTFOUND,
                            "no language '%.40s': the library has en and ka, and the policy "
                            "declares labels for no language of that tag", tag);
  }
  rc = prepare_vm(d, pol);
  if (rc == CPW_OK && explain)
    rc = prepare_trace(d, pol);
  if (rc != CPW_OK)
    return rc;
  d->vm.policy = pol;
  d->vm.tz_minutes = pol->tz_minutes;
  d->vm.calendar = pol->ncalendars > 0 ? pol->calendars[0].cal : NULL;
  if (explain) {
    cpw__explainer_reset(&d->ex, pol, d->trace, 0, NULL);
    cpw__explainer_lang(&d->ex, lang);
  }

  if (as_of < program->from || as_of > program->until) {
    char a[80], b[80], s[400];
    const char *args[2];
    d->outcome = CPW_NOT_ELIGIBLE;
    if (explain) {
      cpw__lang_date(a, sizeof a, lang->style, as_of);
      if (as_of < program->from && program->from_prec != CPW__PREC_DAY) {
        /* a start whose day is not known is written as it is known ("2015") and says so */
        char y[CPW_DATE_BUFSIZE];
        cpw__date_text(y, program->from, program->from_prec);
        snprintf(b, sizeof b, "%s%s", y, lang->msg[MSG_DAY_UNKNOWN]);
      } else {
        cpw__lang_date(b, sizeof b, lang->style,
                       as_of < program->from ? program->from : program->until);
      }
      args[0] = b;
      args[1] = a;
      cpw__lang_fill(s, sizeof s,
                     lang->msg[as_of < program->from ? MSG_IN_FORCE_FROM : MSG_IN_FORCE_UNTIL],
                     args, 2);
      cpw__explain_note(&d->ex, 0, s);
      return build_text(d);
    }
    return CPW_OK;
  }

  in.col = record->cols;
  in.known = record->known;
  d->vm.as_of = as_of;
  if (from != NULL)
    v = cpw__vm_run1_from(&d->vm, &program->code, &in, from);
  else
    v = ran != NOT_RUN ? ran : run_bool(d, &program->code, &in, 0);
  if (v == 2)
    return eval_error(d, program, NULL, "its rule", explain);
  d->outcome = v < 0 ? CPW_UNDETERMINED : v ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE;
  if (v < 0 || explain) {
    rc = collect(d, pol, &program->traced, program->rule, &in, explain);
    if (rc != CPW_OK)
      goto oom;
  }
  if (v == 1) {
    uint32_t nitems = program->nbenefits + program->nservices;
    for (i = 0; i < nitems; i++) {
      const cpw__item *it = &program->items[i];
      int w = run_bool(d, &it->when, &in, 0);
      if (w == 2)
        return eval_error(d, program, it->id,
                          i < program->nbenefits ? "the condition of benefit"
                                                 : "the condition of service", explain);
      if (w < 0) {
        /* the item's own condition needs data: say which */
        rc = collect(d, pol, &it->when_traced, it->when_ast, &in, 0);
        if (rc != CPW_OK)
          goto oom;
        continue;
      }
      if (w == 0)
        continue;
      if (i < program->nbenefits) {
        int64_t amount;
        benefit_out *b;
        int a = cpw__formula_value(&d->vm, &it->amount, &in, &amount);
        if (a == CPW__EVAL_ERROR)
          return eval_error(d, program, it->id, "the amount of benefit", explain);
        if (a == CPW__UNKNOWN)
          continue; /* amount unknown (a parameter without a value then) */
        if (cpw__grow(d->ctx, (void **)&d->benefits, &d->benefits_cap, d->nbenefits + 1,
                      sizeof *d->benefits) != CPW_OK)
          goto oom;
        b = &d->benefits[d->nbenefits++];
        b->id = it->id;
        b->amount = amount;
        b->period = it->period;
        b->cap = it->cap;
      } else if (add_name(d, &d->services, &d->nservices, &d->services_cap, it->id) != CPW_OK) {
        goto oom;
      }
    }
  }
  if (explain) {
    rc = build_text(d);
    if (rc != CPW_OK)
      goto oom;
  }
  return CPW_OK;
oom:
  reset(d);
  d->outcome = CPW_UNDETERMINED;
  return cpw__set_error(d->ctx, CPW_ENOMEM, "out of memory while evaluating");
}

/* The fast path of a rule that has no test graph, or whose graph met a missing field:
 * valid arguments, no explanation, the programme in force, a VM that fits; the rule's test
 * lists and logic run inline (cpw__vm_run1_lists), and whatever else the rule has runs in
 * evaluate, which goes on from where they stopped. Only an outcome that needs more (missing
 * inputs, services and benefits, an error) goes on to the full evaluation, which does not run
 * the rule again. It takes cpw_evaluate's arguments, so that cpw_evaluate reaches it by a
 * jump. */
static CPW__NOINLINE int evaluate_lists(cpw_decision *d, const cpw_program *program,
                                             const cpw_record *record, cpw_date as_of,
                                             unsigned int flags)
{
  const cpw__insn *ip = NULL;
  int v;
  if (d == NULL || program == NULL || record == NULL || flags != 0 ||
      record->policy != program->policy || as_of < program->from || as_of > program->until ||
      d->vm.nregs < program->policy->max_regs || program->code.code == NULL)
    return evaluate(d, program, record, as_of, flags, NOT_RUN, NULL, NULL);
  v = program->code.graph != NULL
          ? cpw__vm_run1_graph(&program->code, CPW__G_VALUES, NULL, record->vals, record->known,
                               NULL, 0, record->mask)
          : CPW__RUN1_MORE;
  if (v == CPW__RUN1_MORE)
    v = cpw__vm_run1_lists(&d->vm, &program->code, record->cols, record->known, &ip);
  if (v == 0 || (v == 1 && program->nbenefits == 0 && program->nservices == 0)) {
    if (!d->clean)
      reset(d);
    d->program = program;
    d->as_of = as_of;
    d->outcome = v ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE;
    return CPW_OK;
  }
  return evaluate(d, program, record, as_of, flags, v == CPW__RUN1_MORE ? NOT_RUN : v, ip, NULL);
}

/* The fastest path: a rule of `and`, `or` and `not` over range tests runs as its test graph
 * (cpw__vm_run1_ranges; a program with no graph has graph_need 0) into a clean decision,
 * filled before the run so that little is kept across it, and with no call but jumps.
 * Anything else (no graph of ranges, a field it may read missing, an eligible outcome with
 * services or benefits to find, a decision to clear first) goes on to evaluate_lists by a
 * jump, which runs the graph test by test. */
int cpw_evaluate(cpw_decision *d, const cpw_program *program, const cpw_record *record,
                 cpw_date as_of, unsigned int flags)
{
  int v;
  if (d == NULL || program == NULL || record == NULL || flags != 0 ||
      record->policy != program->policy || as_of < program->from || as_of > program->until ||
      !d->clean)
    return evaluate_lists(d, program, record, as_of, flags);
  d->program = program;
  d->as_of = as_of;
  v = cpw__vm_run1_ranges(&d->program->code, CPW__G_VALUES, record->vals, NULL, 0,
                          record->mask);
  /* (the programme's lists first: that branch goes the same way every time, the outcome's
   * does not) */
  if (v == CPW__RUN1_MORE || (d->program->nbenefits + d->program->nservices != 0 && v == 1))
    return evaluate_lists(d, d->program, record, d->as_of, 0);
  d->outcome = v ? CPW_ELIGIBLE : CPW_NOT_ELIGIBLE;
  return CPW_OK;
}

int cpw_evaluate_with(cpw_decision *d, const cpw_program *program, const cpw_record *record,
                      cpw_date as_of, unsigned int flags, const cpw_text_options *opts)
{
  if (d != NULL && opts != NULL && (opts->version == 0 || opts->version > CPW_TEXT_OPTIONS_VERSION))
    return cpw__set_error(d->ctx, CPW_EVERSION, "cpw_text_options version %u is not supported",
                          opts->version);
  if (opts == NULL || opts->lang == NULL || (flags & CPW_EVAL_EXPLAIN) == 0)
    return cpw_evaluate(d, program, record, as_of, flags);
  return evaluate(d, program, record, as_of, flags, NOT_RUN, NULL, opts->lang);
}

int cpw_decision_outcome(const cpw_decision *d) { return d != NULL ? d->outcome : CPW_UNDETERMINED; }
const cpw_program *cpw_decision_program(const cpw_decision *d) { return d != NULL ? d->program : NULL; }
cpw_date cpw_decision_as_of(const cpw_decision *d) { return d != NULL ? d->as_of : 0; }
size_t cpw_decision_missing_count(const cpw_decision *d) { return d != NULL ? d->nmissing : 0; }
size_t cpw_decision_service_count(const cpw_decision *d) { return d != NULL ? d->nservices : 0; }
size_t cpw_decision_benefit_count(const cpw_decision *d) { return d != NULL ? d->nbenefits : 0; }

const char *cpw_decision_missing(const cpw_decision *d, size_t i)
{
  return d != NULL && i < d->nmissing ? d->missing[i] : NULL;
}

const char *cpw_decision_service(const cpw_decision *d, size_t i)
{
  return d != NULL && i < d->nservices ? d->services[i] : NULL;
}

const char *cpw_decision_benefit(const cpw_decision *d, size_t i, cpw_money *amount, int *period)
{
  if (d == NULL || i >= d->nbenefits)
    return NULL;
  if (amount != NULL)
    *amount = d->benefits[i].amount;
  if (period != NULL)
    *period = d->benefits[i].period;
  return d->benefits[i].id;
}

const cpw__explainer *cpw__decision_explainer(const cpw_decision *d)
{
  return &d->ex;
}

int cpw_decision_benefit_is_cap(const cpw_decision *d, size_t i)
{
  if (d == NULL || i >= d->nbenefits)
    return CPW_ENOTFOUND;
  return d->benefits[i].cap != 0;
}

const char *cpw_decision_explain(const cpw_decision *d)
{
  return d != NULL && d->explained ? cpw__buf_str(&d->text) : "";
}

size_t cpw_decision_reason_count(const cpw_decision *d)
{
  return d != NULL && d->explained ? d->ex.count : 0;
}

const cpw_reason *cpw_decision_reason(const cpw_decision *d, size_t i)
{
  return d != NULL && d->explained && i < d->ex.count ? &d->ex.pub[i] : NULL;
}

/* ------------------------------------------------------------------ bases (1.1) */

/* The rules that decided the decision, in this order: the programme; when it was in force,
 * each parameter its formulas read, by the value in force on the evaluation date; then the
 * benefits and services that apply. Computed from the decision (nothing is kept per
 * evaluation, so the fast path costs nothing more). Returns how many; out[i] when i < max. */
static size_t decision_rules(const cpw_decision *d, const cpw_rule **out, size_t max)
{
  const cpw_program *g = d->program;
  const cpw_policy *pol;
  size_t n = 0;
  uint32_t i, k;
#define PUT(r)                                                                                 \
  do {                                                                                         \
    const cpw_rule *r_ = (r);                                                                  \
    if (r_ != NULL) {                                                                          \
      if (n < max)                                                                             \
        out[n] = r_;                                                                           \
      n++;                                                                                     \
    }                                                                                          \
  } while (0)
  if (g == NULL)
    return 0;
  pol = g->policy;
  PUT(cpw__rule(pol, g->rule_index));
  if (d->as_of < g->from || d->as_of > g->until || d->outcome == CPW_OUTCOME_ERROR)
    return n;
  for (k = 0; k < g->nparams_used; k++) {
    const cpw__param *pm = &pol->params[g->params_used[k]];
    uint32_t per = pm->nperiods;
    if (d->as_of > pm->until)
      continue;
    for (i = 0; i < pm->nperiods && pm->from[i] <= d->as_of; i++)
      per = i;
    if (per < pm->nperiods)
      PUT(cpw__rule(pol, pm->rules[per]));
  }
  for (k = 0; k < d->nbenefits; k++)
    for (i = 0; i < g->nbenefits; i++)
      if (g->items[i].id == d->benefits[k].id)
        PUT(cpw__rule(pol, g->items[i].rule));
  for (k = 0; k < d->nservices; k++)
    for (i = g->nbenefits; i < g->nbenefits + g->nservices; i++)
      if (g->items[i].id == d->services[k])
        PUT(cpw__rule(pol, g->items[i].rule));
#undef PUT
  return n;
}

size_t cpw_decision_rule_count(const cpw_decision *d)
{
  return d != NULL ? decision_rules(d, NULL, 0) : 0;
}

const cpw_rule *cpw_decision_rule(const cpw_decision *d, size_t index)
{
  const cpw_rule *r[64];
  size_t n;
  if (d == NULL)
    return NULL;
  n = decision_rules(d, r, 64);
  if (index >= n)
    return NULL;
  if (index < 64)
    return r[index];
  {
    /* more than 64 rules: a second pass with room for them (rare) */
    const cpw_rule **all = cpw__calloc(d->ctx, n, sizeof *all);
    const cpw_rule *found;
    if (all == NULL)
      return NULL;
    decision_rules(d, all, n);
    found = all[index];
    cpw__free(d->ctx, (void *)all, n * sizeof *all);
    return found;
  }
}

const char *cpw_decision_basis(const cpw_decision *dc)
{
  cpw_decision *d = (cpw_decision *)(uintptr_t)dc; /* the text is built when first asked */
  size_t i, n;
  int rc = CPW_OK;
  if (d == NULL)
    return "";
  if (d->basis_built)
    return cpw__buf_str(&d->basis);
  cpw__buf_clear(&d->basis);
  n = cpw_decision_rule_count(d);
  for (i = 0; rc == CPW_OK && i < n; i++) {
    const cpw_rule *r = cpw_decision_rule(d, i);
    if (r == NULL)
      break;
    rc = cpw__buf_printf(&d->basis, "%s%s: %s", i > 0 ? "; " : "", r->name, r->basis_text);
  }
  if (rc != CPW_OK) {
    cpw__buf_clear(&d->basis);
    return "";
  }
  d->basis_built = 1;
  d->clean = 0;
  return cpw__buf_str(&d->basis);
}

/* ------------------------------------------------------------------ batch */

/* The values column c must give (texts or values); with `scan`, the first value (in record
 * order) out of range for field f is an error naming the column and record. */
static int check_column(cpw_ctx *ctx, const cpw_policy *pol, uint32_t f, const cpw_column *c,
                        size_t n, int scan)
{
  const cpw__field *fd = &pol->fields[f];
  size_t i;
  if (fd->type == T_TEXT) {
    if (c->texts == NULL)
      return cpw__set_error(ctx, CPW_EINVALID, "column '%s' is a text field: give texts",
                            fd->name);
    return CPW_OK;
  }
  if (c->values == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "column '%s' has no values", fd->name);
  for (i = 0; scan && i < n; i++) {
    int64_t v = c->values[i];
    int ok = 1;
    if (c->missing != NULL && c->missing[i])
      continue;
    switch (fd->type) {
    case T_BOOL: ok = v == 0 || v == 1; break;
    case T_DATE: ok = v >= CPW_DATE_MIN && v <= CPW_DATE_MAX; break;
    case T_ENUM: ok = v >= 0 && (uint64_t)v < pol->enums[fd->enum_id].nmembers; break;
    case T_SET: {
      uint32_t m = pol->enums[fd->enum_id].nmembers;
      ok = m >= 64 || ((uint64_t)v >> m) == 0;
      break;
    }
    default: break;
    }
    if (!ok)
      return cpw__set_error(ctx, CPW_EINVALID,
                            "column '%s', record %zu: value out of range for %s %s field",
                            fd->name, i, fd->type == T_ENUM ? "an" : "a",
                            cpw__type_name(fd->type));
  }
  return CPW_OK;
}

/* The values a field of this type may take: v - lo <= span (unsigned), as check_column
 * tests them; 0 when every value is valid. */
static int valid_range(const cpw_policy *pol, uint32_t f, uint64_t *lo, uint64_t *span)
{
  const cpw__field *fd = &pol->fields[f];
  uint32_t m;
  *lo = 0;
  switch (fd->type) {
  case T_BOOL:
    *span = 1;
    return 1;
  case T_DATE:
    *lo = (uint64_t)(int64_t)CPW_DATE_MIN;
    *span = (uint64_t)(int64_t)CPW_DATE_MAX - *lo;
    return 1;
  case T_ENUM:
    m = pol->enums[fd->enum_id].nmembers;
    if (m == 0)
      return 0;
    *span = m - 1;
    return 1;
  case T_SET:
    m = pol->enums[fd->enum_id].nmembers;
    if (m >= 64)
      return 0;
    *span = (UINT64_C(1) << m) - 1;
    return 1;
  default:
    return 0;
  }
}

/* bit j: m[j] != 0 (j < n <= 64), eight marks at a time */
static uint64_t marks_mask(const uint8_t *m, uint32_t n)
{
  const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
  uint64_t bits = 0;
  uint32_t j = 0;
#if defined(CPW__VECTORS)
  if (n == CPW__LANES) { /* 16 marks a compare, weighted bit b % 8 of byte b, then summed */
    const cpw__vu8x16 zero = { 0 };
    const cpw__vu8x16 weight = { 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128 };
    cpw__vu8x16 v[4];
    cpw__vu64x2 any;
    memcpy(v, m, sizeof v);
    any = (cpw__vu64x2)(v[0] | v[1] | v[2] | v[3]);
    if ((any[0] | any[1]) == 0) /* most chunks: nothing missing */
      return 0;
    for (; j < 4; j++) {
      const cpw__vu64x2 w = (cpw__vu64x2)((cpw__vu8x16)(v[j] != zero) & weight);
      bits |= ((w[0] * UINT64_C(0x0101010101010101)) >> 56) << (16 * j) |
              ((w[1] * UINT64_C(0x0101010101010101)) >> 56) << (16 * j + 8);
    }
    return bits;
  }
#endif
  for (; j + 8 <= n; j += 8) {
    const uint8_t *q = m + j;
    uint64_t w = (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 |
                 (uint64_t)q[3] << 24 | (uint64_t)q[4] << 32 | (uint64_t)q[5] << 40 |
                 (uint64_t)q[6] << 48 | (uint64_t)q[7] << 56;
    w = (((w & low7) + low7) | w) >> 7 & UINT64_C(0x0101010101010101); /* byte: 1 if != 0 */
    bits |= ((w * UINT64_C(0x0102040810204080)) >> 56) << j;           /* byte i -> bit i */
  }
  for (; j < n; j++)
    bits |= (uint64_t)(m[j] != 0) << j;
  return bits;
}

/* Whether the 64 values of a full chunk are all in v - lo <= span < 2^32 - 1 (0: some may
 * not be): a loop of additions and ors the compiler makes wide, one pass over the values.
 * x = v - lo > span exactly when x or x + 2^32 - 1 - span has a bit at 32 or above (x + c
 * cannot wrap unless x has). With lo 0 and span 2^k - 1 (bools, most enums), when no value
 * has a bit above span. In two loops, so that the compiler keeps each loop to its
 * registers; sixteen lanes a turn in vectors of four, which SSE2 runs as pairs of two and
 * AVX2 as they are: one body, in two out-of-line functions, the second compiled for AVX2
 * alone and run only when the CPU has it. */
#if defined(CPW__VECTORS)
CPW__ALWAYS_INLINE int chunk_in_range_body(const int64_t *v, uint64_t lo, uint64_t span)
{
  const uint64_t c = UINT64_C(0xffffffff) - span;
  const cpw__vu64x4 vlo = { lo, lo, lo, lo }, vc = { c, c, c, c };
  cpw__vu64x4 wide = { 0, 0, 0, 0 };
  uint32_t j;
  if (lo == 0 && (span & (span + 1)) == 0) {
    for (j = 0; j < CPW__LANES; j += 16) {
      cpw__vu64x4 x0, x1, x2, x3;
      memcpy(&x0, v + j, sizeof x0);
      memcpy(&x1, v + j + 4, sizeof x1);
      memcpy(&x2, v + j + 8, sizeof x2);
      memcpy(&x3, v + j + 12, sizeof x3);
      wide |= (x0 | x1) | (x2 | x3);
    }
    return ((wide[0] | wide[1] | wide[2] | wide[3]) & ~span) == 0;
  }
  for (j = 0; j < CPW__LANES; j += 16) {
    cpw__vu64x4 x0, x1, x2, x3;
    memcpy(&x0, v + j, sizeof x0);
    memcpy(&x1, v + j + 4, sizeof x1);
    memcpy(&x2, v + j + 8, sizeof x2);
    memcpy(&x3, v + j + 12, sizeof x3);
    x0 -= vlo;
    x1 -= vlo;
    x2 -= vlo;
    x3 -= vlo;
    wide |= (x0 | (x0 + vc) | x1 | (x1 + vc)) | (x2 | (x2 + vc) | x3 | (x3 + vc));
  }
  return ((wide[0] | wide[1] | wide[2] | wide[3]) >> 32) == 0;
}

static CPW__NOINLINE int chunk_in_range(const int64_t *v, uint64_t lo, uint64_t span)
{
  return chunk_in_range_body(v, lo, span);
}

#  if defined(CPW__AVX2)
static CPW__NOINLINE CPW__TARGET_AVX2 int chunk_in_range_avx2(const int64_t *v, uint64_t lo,
                                                              uint64_t span)
{
  return chunk_in_range_body(v, lo, span);
}
#  endif
#else
static CPW__NOINLINE int chunk_in_range(const int64_t *v, uint64_t lo, uint64_t span)
{
  const uint64_t c = UINT64_C(0xffffffff) - span;
  uint64_t any = 0;
  uint32_t j;
  for (j = 0; j < CPW__LANES; j++) {
    uint64_t x = (uint64_t)v[j] - lo;
    any |= x | (x + c);
  }
  return (any >> 32) == 0;
}
#endif

/* bit j: v[j] - lo > span (j < n); eight lanes a byte each, their bits gathered by a multiply.
 * A full chunk rarely holds a value out of range: chunk_in_range finds that out first. */
static uint64_t out_of_range(const int64_t *v, uint32_t n, uint64_t lo, uint64_t span)
{
  uint64_t bits = 0;
  uint32_t j = 0, b;
  if (n == CPW__LANES && span < UINT64_C(0xffffffff) &&
#if defined(CPW__AVX2)
      (CPW__HAS_AVX2() ? chunk_in_range_avx2(v, lo, span) : chunk_in_range(v, lo, span))
#else
      chunk_in_range(v, lo, span)
#endif
  )
    return 0;
  for (; j + 8 <= n; j += 8) {
    uint64_t w = 0;
    for (b = 0; b < 8; b++)
      w |= (uint64_t)((uint64_t)v[j + b] - lo > span) << (8 * b);
    bits |= ((w * UINT64_C(0x0102040810204080)) >> 56) << j;
  }
  for (; j < n; j++)
    bits |= (uint64_t)((uint64_t)v[j] - lo > span) << j;
  return bits;
}

/* spread[b]: the 8 bits of b, one per byte (0 or 1), bit i in byte i */
#define SPREAD1(b)                                                                         \
  ((uint64_t)((b) & 1) | (uint64_t)((b) >> 1 & 1) << 8 | (uint64_t)((b) >> 2 & 1) << 16 |   \
   (uint64_t)((b) >> 3 & 1) << 24 | (uint64_t)((b) >> 4 & 1) << 32 |                      \
   (uint64_t)((b) >> 5 & 1) << 40 | (uint64_t)((b) >> 6 & 1) << 48 |                      \
   (uint64_t)((b) >> 7 & 1) << 56)
#define SPREAD4(b) SPREAD1(b), SPREAD1((b) + 1), SPREAD1((b) + 2), SPREAD1((b) + 3)
#define SPREAD16(b) SPREAD4(b), SPREAD4((b) + 4), SPREAD4((b) + 8), SPREAD4((b) + 12)
#define SPREAD64(b) SPREAD16(b), SPREAD16((b) + 16), SPREAD16((b) + 32), SPREAD16((b) + 48)
static const uint64_t spread[256] = { SPREAD64(0), SPREAD64(64), SPREAD64(128),
                                      SPREAD64(192) };
#undef SPREAD1
#undef SPREAD4
#undef SPREAD16
#undef SPREAD64

/* outcomes of n lanes: error, else undetermined, else eligible or not (truth within known),
 * eight a table look-up */
static void put_outcomes(uint8_t *out, uint32_t n, uint64_t truth, uint64_t known, uint64_t err)
{
  /* CPW_NOT_ELIGIBLE 0, CPW_ELIGIBLE 1, CPW_UNDETERMINED 2, CPW_OUTCOME_ERROR 3 */
  uint64_t one = (truth & known) | err, two = ~known | err;
  uint32_t j = 0, b;
  if (n == CPW__LANES && two == 0) { /* every outcome known: eligible or not */
    for (; j < CPW__LANES; j += 8) {
      uint64_t o = spread[(one >> j) & 0xff];
#if defined(CPW__VECTORS) /* little-endian: byte b of o is out[j + b] */
      memcpy(out + j, &o, sizeof o);
#else
      for (b = 0; b < 8; b++)
        out[j + b] = (uint8_t)(o >> (8 * b));
#endif
    }
    return;
  }
  for (; j + 8 <= n; j += 8) {
    uint64_t o = spread[(one >> j) & 0xff] | spread[(two >> j) & 0xff] << 1;
    for (b = 0; b < 8; b++)
      out[j + b] = (uint8_t)(o >> (8 * b));
  }
  for (; j < n; j++)
    out[j] = (uint8_t)(((one >> j) & 1) | ((two >> j) & 1) << 1);
}

/* A column the programme reads, as the chunk loop loads it. */
typedef struct batch_input {
  uint32_t field;
  uint32_t column;
  const int64_t *values;       /* NULL for a text column */
  const char *const *texts;
  const uint8_t *missing;
  int check;                   /* values must be in v - lo <= span */
  uint64_t lo, span;
} batch_input;

int cpw_evaluate_batch(cpw_ctx *ctx, const cpw_program *program, cpw_date as_of,
                       const cpw_column *columns, size_t ncolumns, size_t nrecords,
                       uint8_t *outcomes, uint64_t *services)
{
  const cpw_policy *pol;
  cpw__vm vm;
  const int64_t **colp = NULL;       /* per field: values of the current chunk */
  uint64_t *known = NULL;            /* per field: known lanes of the current chunk */
  int64_t *textbuf = NULL;           /* text pointers of the current chunk, per text field */
  int32_t *colmap = NULL;            /* per field: column index or -1 */
  uint8_t *fits32 = NULL;            /* per field: its checked values fit int32 */
  batch_input *inputs = NULL;        /* the columns read, in slot order */
  uint32_t nf, i, ninputs = 0;
  size_t base;
  int rc = CPW_OK;
  static const int64_t zeros[CPW__LANES];

  if (ctx == NULL)
    return CPW_EINVALID;
  if (program == NULL || (columns == NULL && ncolumns != 0) ||
      (outcomes == NULL && nrecords != 0))
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_evaluate_batch: NULL argument");
  pol = program->policy;
  nf = pol->nfields;
  if (as_of < CPW_DATE_MIN || as_of > CPW_DATE_MAX)
    return cpw__set_error(ctx, CPW_EINVALID, "the evaluation date is out of range");
  colmap = cpw__calloc(ctx, (size_t)nf + 1, sizeof *colmap);
  colp = cpw__calloc(ctx, (size_t)nf + 1, sizeof *colp);
  known = cpw__calloc(ctx, (size_t)nf + 1, sizeof *known);
  inputs = cpw__calloc(ctx, (size_t)program->nslots_used + 1, sizeof *inputs);
  fits32 = cpw__calloc(ctx, (size_t)nf + 1, sizeof *fits32);
  if (colmap == NULL || colp == NULL || known == NULL || inputs == NULL || fits32 == NULL) {
    rc = CPW_ENOMEM;
    goto done;
  }
  for (i = 0; i < nf; i++) {
    colmap[i] = -1;
    colp[i] = zeros;
  }
  for (i = 0; i < ncolumns; i++) {
    uint32_t f;
    const char *name = columns[i].field;
    if (name == NULL) {
      rc = cpw__set_error(ctx, CPW_EINVALID, "column %u has no field name", i);
      goto done;
    }
    if (!cpw__map_get(&pol->field_index, name, strlen(name), &f)) {
      size_t n = strlen(name);
      rc = cpw__set_error(ctx, CPW_ENOTFOUND, "unknown field '%.*s' (column %u)",
                          (int)(n > 64 ? 64 : n), name, i);
      goto done;
    }
    if (colmap[f] >= 0) {
      rc = cpw__set_error(ctx, CPW_EINVALID, "field '%s' has two columns", pol->fields[f].name);
      goto done;
    }
    rc = check_column(ctx, pol, f, &columns[i], nrecords, 0);
    if (rc != CPW_OK)
      goto done;
    colmap[f] = (int32_t)i;
  }
  /* The columns the programme reads; their values are checked chunk by chunk as they are
   * loaded. A field without a column is missing in every record: no work per chunk. */
  for (i = 0; i < program->nslots_used; i++) {
    uint32_t f = program->slots_used[i];
    batch_input *bi = &inputs[ninputs];
    if (colmap[f] < 0)
      continue;
    bi->field = f;
    bi->column = (uint32_t)colmap[f];
    bi->values = columns[colmap[f]].values;
    bi->texts = columns[colmap[f]].texts;
    bi->missing = columns[colmap[f]].missing;
    if (pol->fields[f].type == T_TEXT) {
      bi->values = NULL;
      if (textbuf == NULL) {
        textbuf = cpw__calloc(ctx, ((size_t)nf + 1) * CPW__LANES, sizeof *textbuf);
        if (textbuf == NULL) {
          rc = CPW_ENOMEM;
          goto done;
        }
      }
      colp[f] = textbuf + (size_t)f * CPW__LANES;
    } else {
      bi->check = valid_range(pol, f, &bi->lo, &bi->span);
      /* the known values of a checked field within int32 (a chunk with any other is an error) */
      fits32[f] = bi->check && bi->lo + UINT64_C(0x80000000) <= UINT64_C(0xffffffff) &&
                  bi->span <= UINT64_C(0xffffffff) - (bi->lo + UINT64_C(0x80000000));
    }
    ninputs++;
  }
  if (as_of < program->from || as_of > program->until) {
    for (base = 0; base < nrecords; base++) {
      outcomes[base] = CPW_NOT_ELIGIBLE;
      if (services != NULL)
        services[base] = 0;
    }
    goto done;
  }
  rc = cpw__vm_init(&vm, ctx, pol->max_regs, CPW__LANES);
  if (rc != CPW_OK)
    goto done;
  vm.policy = pol;
  vm.tz_minutes = pol->tz_minutes;
  vm.calendar = pol->ncalendars > 0 ? pol->calendars[0].cal : NULL;
  vm.as_of = as_of;
  vm.fits32 = fits32;
  for (base = 0; base < nrecords; base += CPW__LANES) {
    uint32_t n = nrecords - base < CPW__LANES ? (uint32_t)(nrecords - base) : CPW__LANES;
    uint64_t lanes = n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1, bad = 0;
    uint32_t r, j, s;
    cpw__vm_in in;
    /* load this chunk of every column read */
    for (s = 0; s < ninputs; s++) {
      const batch_input *bi = &inputs[s];
      uint64_t k = lanes;
      if (bi->missing != NULL)
        k &= ~marks_mask(bi->missing + base, n);
      if (bi->values != NULL) {
        colp[bi->field] = bi->values + base;
        if (bi->check)
          bad |= out_of_range(bi->values + base, n, bi->lo, bi->span) & k;
      } else {
        int64_t *tb = textbuf + (size_t)bi->field * CPW__LANES;
        for (j = 0; j < n; j++) {
          const char *t = bi->texts[base + j];
          /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): textbuf is set for text inputs */
          tb[j] = (int64_t)(intptr_t)t;
          k &= ~((uint64_t)(t == NULL) << j);
        }
      }
      known[bi->field] = k;
    }
    if (bad != 0) {
      /* report the first bad value as a scan of the columns read, in column order, does */
      for (i = 0; i < ncolumns && rc == CPW_OK; i++)
        for (s = 0; s < ninputs && rc == CPW_OK; s++)
          if (inputs[s].column == i)
            rc = check_column(ctx, pol, inputs[s].field, &columns[i], nrecords, 1);
      if (rc == CPW_OK) /* cannot happen: the chunk had a bad value */
        rc = cpw__set_error(ctx, CPW_EINVALID, "a column has a value out of range");
      break;
    }
    in.col = colp;
    in.known = known;
    cpw__vm_run(&vm, &program->code, &in, n, &r);
    {
      uint64_t truth = vm.truth[r], kn = vm.known[r], failed = vm.err;
      uint64_t eligible = truth & kn & ~failed;
      if (services != NULL)
        for (j = 0; j < n; j++)
          services[base + j] = 0;
      /* benefits and services of the eligible records: an evaluation error in any of them
       * makes the record's outcome an error, as cpw_evaluate does */
      for (s = 0; eligible != 0 && s < program->nbenefits + program->nservices; s++) {
        const cpw__item *it = &program->items[s];
        uint64_t applies = eligible;
        if (it->when.code != NULL) {
          cpw__vm_run(&vm, &it->when, &in, n, &r);
          failed |= vm.err & eligible;
          applies &= vm.truth[r] & vm.known[r] & ~vm.err;
        }
        if (s < program->nbenefits) {
          if (applies != 0 && it->amount.code != NULL) {
            cpw__vm_run(&vm, &it->amount, &in, n, &r);
            failed |= vm.err & applies;
          }
        } else if (services != NULL && s - program->nbenefits < 64) {
          uint32_t bit = s - program->nbenefits;
          for (j = 0; j < n; j++)
            if ((applies >> j) & 1)
              services[base + j] |= UINT64_C(1) << bit;
        }
      }
      if (services != NULL && (failed & eligible) != 0)
        for (j = 0; j < n; j++)
          if ((failed >> j) & 1)
            services[base + j] = 0;
      put_outcomes(outcomes + base, n, truth, kn, failed);
    }
  }
  cpw__vm_free(&vm);
done:
  cpw__free(ctx, colmap, ((size_t)nf + 1) * sizeof *colmap);
  cpw__free(ctx, (void *)colp, ((size_t)nf + 1) * sizeof *colp);
  cpw__free(ctx, known, ((size_t)nf + 1) * sizeof *known);
  cpw__free(ctx, textbuf, ((size_t)nf + 1) * CPW__LANES * sizeof *textbuf);
  cpw__free(ctx, inputs, ((size_t)program->nslots_used + 1) * sizeof *inputs);
  cpw__free(ctx, fits32, ((size_t)nf + 1) * sizeof *fits32);
  return rc;
}
