/* SPDX-License-Identifier: Apache-2.0 */
/* examples/eligibility_explain.c: check eligibility for a programme and explain the decision,
 * including what is missing when the facts are incomplete. */
#include <string.h>

#include "common.h"

static void show(const cpw_decision *d)
{
  size_t i;
  printf("%s\n", cpw_decision_explain(d));
  for (i = 0; i < cpw_decision_missing_count(d); i++)
    printf("  needs: %s\n", cpw_decision_missing(d, i));
  for (i = 0; i < cpw_decision_service_count(d); i++)
    printf("  service: %s\n", cpw_decision_service(d, i));
  for (i = 0; i < cpw_decision_benefit_count(d); i++) {
    cpw_money m;
    int period;
    const char *b = cpw_decision_benefit(d, i, &m, &period);
    printf("  benefit: %s %s%lld.%02lld GEL %s\n", b,
           cpw_decision_benefit_is_cap(d, i) == 1 ? "up to " : "", (long long)(m / 100),
           (long long)(m % 100),
           period == CPW_PERIOD_MONTHLY ? "monthly" : period == CPW_PERIOD_YEARLY ? "yearly"
                                                                                   : "once");
  }
}

int main(void)
{
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_record *rec;
  cpw_decision *d;
  cpw_date as_of, birth;
  const cpw_program *benefit;
  const char *person = "{\"tsa_registered\": true, \"tsa_score\": 118500}";

  CHECK(cpw_ctx_new(&ctx, NULL), NULL);
  CHECK(cpw_policy_default(&pol, ctx), ctx);
  CHECK(cpw_record_new(&rec, ctx, pol), ctx);
  CHECK(cpw_decision_new(&d, ctx), ctx);
  CHECK(cpw_date_parse(&as_of, ctx, "2024-03-01", 10), ctx);
  benefit = cpw_policy_program(pol, "tsa_child_benefit");
  printf("%s (%s)\n", cpw_program_title(benefit), cpw_program_source(benefit));

  /* the birth date is not known yet: undetermined, and the decision says what it needs */
  CHECK(cpw_record_set_json(rec, person, strlen(person), 0), ctx);
  CHECK(cpw_evaluate(d, benefit, rec, as_of, CPW_EVAL_EXPLAIN), ctx);
  show(d);

  /* with it: eligible, 200 GEL a month */
  CHECK(cpw_date_parse(&birth, ctx, "2012-02-29", 10), ctx);
  CHECK(cpw_record_set_date(rec, "birth_date", birth), ctx);
  CHECK(cpw_evaluate(d, benefit, rec, as_of, CPW_EVAL_EXPLAIN), ctx);
  show(d);

  /* the same child two years earlier: the benefit was then 100 GEL, and the score had to be
   * less than 120,000 */
  CHECK(cpw_date_parse(&as_of, ctx, "2022-03-01", 10), ctx);
  CHECK(cpw_evaluate(d, benefit, rec, as_of, CPW_EVAL_EXPLAIN), ctx);
  show(d);
  printf("  basis: %s\n", cpw_decision_basis(d));

  /* and before the programme: its start year is sourced, its day is not */
  CHECK(cpw_date_parse(&as_of, ctx, "2014-06-01", 10), ctx);
  CHECK(cpw_evaluate(d, benefit, rec, as_of, CPW_EVAL_EXPLAIN), ctx);
  show(d);
  printf("decided under policy %s %s, hash %.16s...\n", cpw_policy_name(pol),
         cpw_policy_version(pol), cpw_policy_hash(pol));

  cpw_decision_free(d);
  cpw_record_free(rec);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return 0;
}
