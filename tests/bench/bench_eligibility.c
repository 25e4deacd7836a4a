/* SPDX-License-Identifier: Apache-2.0 */
/* tests/bench/bench_eligibility.c: the eligibility engine on the peer benchmark's people.
 *
 *   bench_eligibility --people people.jsonl --rules peer_rules.cpw [--reps 3]
 *
 * Evaluates the six rules of ../shared/bench/peers/rules.json (written in the policy language
 * in peer_rules.cpw) on every person, through the one-record API (cpw_evaluate) and the batch
 * API (cpw_evaluate_batch), and prints one JSON line per API with the checksum defined in
 * ../shared/bench/peers/RESULTS.md (true counts per rule, FNV-1a 32 over "010000\n" lines).
 * Timed: only evaluation over records already in memory (one warm-up pass, then --reps passes,
 * median), as the json-logic-js benchmark does. */
#include <cpw.h>

#include "bench_common.h"

#define NRULES 6
static const char *const rule_ids[NRULES] = {
  "returned_migrant_reintegration", "trafficking_victim_compensation",
  "street_children_day_centre", "small_family_type_home_disability", "tsa_child_benefit",
  "priority_child_support",
};

static void checksum(const uint8_t *bits, size_t people, char *out, size_t size)
{
  size_t counts[NRULES] = { 0 }, p;
  uint32_t h = 0x811c9dc5u;
  int r, used;
  for (p = 0; p < people; p++) {
    char line[NRULES + 1];
    for (r = 0; r < NRULES; r++) {
      counts[r] += bits[p * NRULES + r];
      line[r] = bits[p * NRULES + r] ? '1' : '0';
    }
    line[NRULES] = '\n';
    h = bench_fnv1a(h, line, sizeof line);
  }
  used = snprintf(out, size, "{\"true_per_rule\":{");
  for (r = 0; r < NRULES; r++)
    used += snprintf(out + used, size - (size_t)used, "%s\"%s\":%zu", r ? "," : "", rule_ids[r],
                     counts[r]);
  snprintf(out + used, size - (size_t)used, "},\"fnv1a32\":\"%08x\"}", h);
}

static int fail(cpw_ctx *ctx, const char *what)
{
  fprintf(stderr, "bench_eligibility: %s: %s\n", what, cpw_ctx_last_error(ctx)->message);
  return 1;
}

int main(int argc, char **argv)
{
  const char *people_path = NULL, *rules_path = NULL, *api = "both";
  int reps = 3, i, r;
  char *text;
  size_t len, n = 0, cap = 0, p;
  cpw_ctx *ctx;
  cpw_policy *pol;
  cpw_record **recs = NULL;
  cpw_decision *d;
  const cpw_program *progs[NRULES];
  uint8_t *bits, *out;
  double t[16], load0, load;
  char sum[600];
  size_t nf, f;
  int64_t **colvals;
  uint8_t **colmiss;
  cpw_column *cols;
  cpw_date as_of;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--people") == 0 && i + 1 < argc)
      people_path = argv[++i];
    else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
      rules_path = argv[++i];
    else if (strcmp(argv[i], "--api") == 0 && i + 1 < argc)
      api = argv[++i];
    else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: bench_eligibility --people FILE --rules FILE [--reps N] [--api single|batch|both]\n");
      return 2;
    }
  }
  if (people_path == NULL || rules_path == NULL || reps < 1 || reps > 15) {
    fprintf(stderr, "usage: bench_eligibility --people FILE --rules FILE [--reps N] [--api single|batch|both]\n");
    return 2;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return 1;
  if (cpw_policy_from_file(&pol, ctx, rules_path) != CPW_OK)
    return fail(ctx, "policy");
  for (r = 0; r < NRULES; r++)
    if ((progs[r] = cpw_policy_program(pol, rule_ids[r])) == NULL) {
      fprintf(stderr, "bench_eligibility: programme %s missing\n", rule_ids[r]);
      return 1;
    }
  cpw_date_parse(&as_of, NULL, "2024-01-01", 10);

  /* load: one record per line, through the public JSON record reader */
  load0 = bench_now();
  text = bench_read_file(people_path, &len);
  if (text == NULL) {
    fprintf(stderr, "bench_eligibility: cannot read %s\n", people_path);
    return 1;
  }
  for (p = 0; p < len;) {
    size_t e = p;
    while (e < len && text[e] != '\n')
      e++;
    if (e > p) {
      if (n == cap) {
        cap = cap ? cap * 2 : 1024;
        recs = realloc(recs, cap * sizeof *recs);
      }
      if (cpw_record_new(&recs[n], ctx, pol) != CPW_OK ||
          cpw_record_set_json(recs[n], text + p, e - p, CPW_RECORD_IGNORE_UNKNOWN) != CPW_OK)
        return fail(ctx, "record");
      n++;
    }
    p = e + 1;
  }
  free(text);
  /* the same people as columns, for the batch API */
  nf = cpw_policy_field_count(pol);
  colvals = calloc(nf, sizeof *colvals);
  colmiss = calloc(nf, sizeof *colmiss);
  cols = calloc(nf, sizeof *cols);
  for (f = 0; f < nf; f++) {
    const char *name = cpw_policy_field_name(pol, f);
    colvals[f] = calloc(n, sizeof **colvals);
    colmiss[f] = calloc(n, 1);
    for (p = 0; p < n; p++)
      colmiss[f][p] = cpw_record_get(recs[p], name, &colvals[f][p]) != 1;
    cols[f].field = name;
    cols[f].values = colvals[f];
    cols[f].missing = colmiss[f];
  }
  load = bench_now() - load0;

  bits = calloc(n * NRULES, 1);
  out = calloc(n * NRULES, 1); /* the batch API's outcomes, rule by rule */
  if (cpw_decision_new(&d, ctx) != CPW_OK)
    return fail(ctx, "decision");

  /* one-record API */
  for (i = 0; i <= reps && strcmp(api, "batch") != 0; i++) {
    double t0 = bench_now();
    for (p = 0; p < n; p++)
      for (r = 0; r < NRULES; r++) {
        if (cpw_evaluate(d, progs[r], recs[p], as_of, 0) != CPW_OK)
          return fail(ctx, "evaluate");
        bits[p * NRULES + r] = cpw_decision_outcome(d) == CPW_ELIGIBLE;
      }
    if (i > 0)
      t[i - 1] = bench_now() - t0;
  }
  checksum(bits, n, sum, sizeof sum);
  if (strcmp(api, "batch") != 0) {
    double med = bench_median(t, reps);
    printf("{\"peer\":\"libcpw %s cpw_evaluate\",\"items\":%zu,\"seconds\":%.6f,"
           "\"per_second\":%.0f,\"checksum\":%s,\"people\":%zu,\"rules\":%d,"
           "\"load_seconds\":%.3f,\"reps_seconds\":[", cpw_version_string(), n * NRULES, med,
           (double)(n * NRULES) / med, sum, n, NRULES, load);
    for (i = 0; i < reps; i++)
      printf("%s%.6f", i ? "," : "", t[i]);
    printf("]}\n");
  }

  /* batch API */
  memset(bits, 0, n * NRULES);
  for (i = 0; i <= reps && strcmp(api, "single") != 0; i++) {
    double t0 = bench_now();
    for (r = 0; r < NRULES; r++)
      if (cpw_evaluate_batch(ctx, progs[r], as_of, cols, nf, n, out + (size_t)r * n, NULL) !=
          CPW_OK)
        return fail(ctx, "batch");
    if (i > 0)
      t[i - 1] = bench_now() - t0;
  }
  /* the outcomes as the checksum reads them (person by person), after the timing: the peer's
   * loop writes its matrix in its own order, the batch API writes each rule's column */
  for (r = 0; r < NRULES; r++)
    for (p = 0; p < n; p++)
      bits[p * NRULES + r] = out[(size_t)r * n + p] == CPW_ELIGIBLE;
  checksum(bits, n, sum, sizeof sum);
  if (strcmp(api, "single") != 0) {
    double med = bench_median(t, reps);
    printf("{\"peer\":\"libcpw %s cpw_evaluate_batch\",\"items\":%zu,\"seconds\":%.6f,"
           "\"per_second\":%.0f,\"checksum\":%s,\"people\":%zu,\"rules\":%d,\"reps_seconds\":[",
           cpw_version_string(), n * NRULES, med, (double)(n * NRULES) / med, sum, n, NRULES);
    for (i = 0; i < reps; i++)
      printf("%s%.6f", i ? "," : "", t[i]);
    printf("]}\n");
  }

  for (f = 0; f < nf; f++) {
    free(colvals[f]);
    free(colmiss[f]);
  }
  free(colvals);
  free(colmiss);
  free(cols);
  free(bits);
  free(out);
  for (p = 0; p < n; p++)
    cpw_record_free(recs[p]);
  free(recs);
  cpw_decision_free(d);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return 0;
}
