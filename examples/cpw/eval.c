/* examples/cpw/eval.c: `cpw eval`: evaluate people from CSV or JSON Lines, streaming. */
#include "cpw.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_COLUMNS 512
#define MAX_RECORD (16u * 1024u * 1024u)

static void usage(FILE *f)
{
  fprintf(f,
          "usage: cpw eval --program ID [--as-of DATE] [--policy FILE]... [--input csv|jsonl]\n"
          "                [--output csv|jsonl] [--on-error skip|stop] [--ignore-unknown]\n"
          "                [--id COLUMN] [INPUT]\n\n"
          "Evaluate a programme for every person in INPUT (a file, or standard input when\n"
          "absent or '-'): CSV with a header row of field names, or JSON Lines (one object\n"
          "per line). The format follows the file name (.csv, .jsonl/.ndjson) or --input.\n"
          "Writes one result per person (CSV by default, or JSON Lines): the input line, the\n"
          "id column (default 'id', when present and not a policy field), the outcome, the\n"
          "missing fields, the services and benefits that apply (NAME:AMOUNT:PERIOD, with\n"
          "':up_to' when the amount is a maximum, not owed), and the explanation.\n"
          "Input is read a record at a time, so files larger than memory work. A bad row\n"
          "(unknown field, invalid date or value) is reported with its line number on\n"
          "standard error and skipped (--on-error skip, the default) or stops the run.\n"
          "Exit status: 0 all rows evaluated, 1 some rows were bad, 2 usage, 3 I/O or library\n"
          "error.\n");
}

typedef struct eval_out {
  FILE *f;
  int jsonl;
} eval_out;

static void write_result(const eval_out *o, const cpw_decision *d, long line, const char *id)
{
  size_t i;
  FILE *f = o->f;
  int outcome = cpw_decision_outcome(d);
  static const char *const periods[] = { "once", "monthly", "yearly" };
  if (o->jsonl) {
    fprintf(f, "{\"line\":%ld", line);
    if (id != NULL) {
      fputs(",\"id\":", f);
      cpw_tool_json_string(f, id);
    }
    fprintf(f, ",\"outcome\":\"%s\",\"missing\":[", cpw_outcome_name(outcome));
    for (i = 0; i < cpw_decision_missing_count(d); i++) {
      if (i)
        fputc(',', f);
      cpw_tool_json_string(f, cpw_decision_missing(d, i));
    }
    fputs("],\"services\":[", f);
    for (i = 0; i < cpw_decision_service_count(d); i++) {
      if (i)
        fputc(',', f);
      cpw_tool_json_string(f, cpw_decision_service(d, i));
    }
    fputs("],\"benefits\":[", f);
    for (i = 0; i < cpw_decision_benefit_count(d); i++) {
      cpw_money m;
      int p;
      const char *b = cpw_decision_benefit(d, i, &m, &p);
      fprintf(f, "%s{\"id\":", i ? "," : "");
      cpw_tool_json_string(f, b);
      fprintf(f, ",\"amount_gel\":\"%lld.%02lld\",\"period\":\"%s\"%s}", (long long)(m / 100),
              (long long)(m < 0 ? -m % 100 : m % 100), periods[p < 0 || p > 2 ? 0 : p],
              cpw_decision_benefit_is_cap(d, i) == 1 ? ",\"up_to\":true" : "");
    }
    fputs("],\"explanation\":", f);
    cpw_tool_json_string(f, cpw_decision_explain(d));
    fputs("}\n", f);
  } else {
    fprintf(f, "%ld,", line);
    cpw_tool_csv_field(f, id != NULL ? id : "");
    fprintf(f, ",%s,", cpw_outcome_name(outcome));
    for (i = 0; i < cpw_decision_missing_count(d); i++)
      fprintf(f, "%s%s", i ? "|" : "", cpw_decision_missing(d, i));
    fputc(',', f);
    for (i = 0; i < cpw_decision_service_count(d); i++)
      fprintf(f, "%s%s", i ? "|" : "", cpw_decision_service(d, i));
    fputc(',', f);
    for (i = 0; i < cpw_decision_benefit_count(d); i++) {
      cpw_money m;
      int p;
      const char *b = cpw_decision_benefit(d, i, &m, &p);
      fprintf(f, "%s%s:%lld.%02lld:%s%s", i ? "|" : "", b, (long long)(m / 100),
              (long long)(m < 0 ? -m % 100 : m % 100), periods[p < 0 || p > 2 ? 0 : p],
              cpw_decision_benefit_is_cap(d, i) == 1 ? ":up_to" : "");
    }
    fputc(',', f);
    cpw_tool_csv_field(f, cpw_decision_explain(d));
    fputc('\n', f);
  }
}

static int ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

int cpw_cmd_eval(int argc, char **argv)
{
  const char *files[64], *program = NULL, *input = NULL, *as_of_text = NULL, *idcol = "id";
  size_t nfiles = 0;
  int i, rc = CPW_EXIT_OK, jsonl_in = -1, stop = 0, ignore_unknown = 0;
  eval_out out = { stdout, 0 };
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  const cpw_program *prog;
  cpw_record *rec = NULL;
  cpw_decision *d = NULL;
  cpw_date as_of;
  FILE *in;
  cpw_tool_reader r;
  char err[512];
  long rows = 0, bad = 0;
  char *header = NULL, *cols[MAX_COLUMNS], *vals[MAX_COLUMNS];
  int ncols = 0, id_index = -1, progress;
  unsigned char is_field[MAX_COLUMNS];

  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (cpw_tool_is_help(a)) {
      usage(stdout);
      return CPW_EXIT_OK;
    } else if (strcmp(a, "--program") == 0 && i + 1 < argc) {
      program = argv[++i];
    } else if (strcmp(a, "--as-of") == 0 && i + 1 < argc) {
      as_of_text = argv[++i];
    } else if (strcmp(a, "--policy") == 0 && i + 1 < argc && nfiles < 64) {
      files[nfiles++] = argv[++i];
    } else if (strcmp(a, "--input") == 0 && i + 1 < argc) {
      i++;
      if (strcmp(argv[i], "csv") == 0)
        jsonl_in = 0;
      else if (strcmp(argv[i], "jsonl") == 0)
        jsonl_in = 1;
      else {
        fprintf(stderr, "cpw eval: --input is csv or jsonl\n");
        return CPW_EXIT_USAGE;
      }
    } else if (strcmp(a, "--output") == 0 && i + 1 < argc) {
      i++;
      if (strcmp(argv[i], "csv") == 0)
        out.jsonl = 0;
      else if (strcmp(argv[i], "jsonl") == 0)
        out.jsonl = 1;
      else {
        fprintf(stderr, "cpw eval: --output is csv or jsonl\n");
        return CPW_EXIT_USAGE;
      }
    } else if (strcmp(a, "--on-error") == 0 && i + 1 < argc) {
      i++;
      if (strcmp(argv[i], "skip") == 0)
        stop = 0;
      else if (strcmp(argv[i], "stop") == 0)
        stop = 1;
      else {
        fprintf(stderr, "cpw eval: --on-error is skip or stop\n");
        return CPW_EXIT_USAGE;
      }
    } else if (strcmp(a, "--ignore-unknown") == 0) {
      ignore_unknown = 1;
    } else if (strcmp(a, "--id") == 0 && i + 1 < argc) {
      idcol = argv[++i];
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "cpw eval: unknown option '%s' (see cpw eval --help)\n", a);
      return CPW_EXIT_USAGE;
    } else if (input == NULL) {
      input = a;
    } else {
      fprintf(stderr, "cpw eval: one input at a time\n");
      return CPW_EXIT_USAGE;
    }
  }
  if (program == NULL) {
    usage(stderr);
    return CPW_EXIT_USAGE;
  }
  if (as_of_text != NULL && cpw_tool_date(as_of_text, &as_of) != CPW_EXIT_OK)
    return CPW_EXIT_USAGE;
  if (jsonl_in < 0)
    jsonl_in = input != NULL && (ends_with(input, ".jsonl") || ends_with(input, ".ndjson") ||
                                 ends_with(input, ".json"));
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc != CPW_EXIT_OK) {
    cpw_ctx_free(ctx);
    return rc;
  }
  prog = cpw_policy_program(pol, program);
  if (prog == NULL) {
    size_t k;
    fprintf(stderr, "cpw eval: no programme '%s'; the policy has:", program);
    for (k = 0; k < cpw_policy_program_count(pol); k++)
      fprintf(stderr, " %s", cpw_program_id(cpw_policy_program_at(pol, k)));
    fprintf(stderr, "\n");
    cpw_policy_free(pol);
    cpw_ctx_free(ctx);
    return CPW_EXIT_USAGE;
  }
  if (as_of_text == NULL) {
    /* today in the policy's time zone */
    cpw_time now = (cpw_time)time(NULL);
    as_of = cpw_time_to_date(now, cpw_policy_timezone(pol));
  }
  in = input == NULL || strcmp(input, "-") == 0 ? stdin : fopen(input, "rb");
  if (in == NULL) {
    fprintf(stderr, "cpw eval: cannot open %s\n", input);
    cpw_policy_free(pol);
    cpw_ctx_free(ctx);
    return CPW_EXIT_ERROR;
  }
  if (cpw_record_new(&rec, ctx, pol) != CPW_OK || cpw_decision_new(&d, ctx) != CPW_OK) {
    rc = cpw_tool_fail(ctx, CPW_ENOMEM, "starting");
    goto done;
  }
  progress = isatty(2);
  cpw_tool_reader_init(&r, in, !jsonl_in, MAX_RECORD);
  if (!out.jsonl)
    fputs("line,id,outcome,missing,services,benefits,explanation\n", out.f);
  for (;;) {
    int st = cpw_tool_read_record(&r, err, sizeof err);
    const char *id = NULL;
    char idbuf[256];
    int row_ok = 1;
    if (st == 0)
      break;
    if (st < 0) {
      fprintf(stderr, "cpw eval: %s\n", err);
      bad++;
      if (stop || strstr(err, "not closed") != NULL || strstr(err, "read error") != NULL ||
          strstr(err, "out of memory") != NULL) {
        rc = strstr(err, "read error") != NULL ? CPW_EXIT_ERROR : CPW_EXIT_FAILURE;
        break;
      }
      continue;
    }
    if (r.len == 0)
      continue; /* blank lines are allowed */
    if (!jsonl_in && header == NULL) {
      int k;
      header = strdup(r.buf);
      if (header == NULL) {
        rc = CPW_EXIT_ERROR;
        break;
      }
      ncols = cpw_tool_csv_split(header, cols, MAX_COLUMNS, err, sizeof err);
      if (ncols < 0) {
        fprintf(stderr, "cpw eval: line %ld (header): %s\n", r.line, err);
        rc = CPW_EXIT_FAILURE;
        break;
      }
      for (k = 0; k < ncols; k++) {
        size_t idx;
        is_field[k] = cpw_policy_field_index(pol, cols[k], &idx) == CPW_OK;
        if (!is_field[k] && strcmp(cols[k], idcol) == 0)
          id_index = k;
        else if (!is_field[k] && !ignore_unknown) {
          fprintf(stderr, "cpw eval: line %ld: unknown field '%s' in the header (use "
                          "--ignore-unknown to skip such columns)\n", r.line, cols[k]);
          rc = CPW_EXIT_FAILURE;
          goto done_reader;
        }
      }
      continue;
    }
    cpw_record_clear(rec);
    if (jsonl_in) {
      size_t idx;
      int jr = cpw_record_set_json_except(rec, r.buf, r.len,
                                          ignore_unknown ? CPW_RECORD_IGNORE_UNKNOWN : 0,
                                          cpw_policy_field_index(pol, idcol, &idx) == CPW_OK
                                            ? NULL : idcol);
      if (jr != CPW_OK) {
        fprintf(stderr, "cpw eval: line %ld: %s\n", r.line, cpw_ctx_last_error(ctx)->message);
        row_ok = 0;
      } else if (cpw_tool_json_scalar(r.buf, idcol, idbuf, sizeof idbuf)) {
        id = idbuf;
      }
    } else {
      int k, n = cpw_tool_csv_split(r.buf, vals, MAX_COLUMNS, err, sizeof err);
      if (n < 0) {
        fprintf(stderr, "cpw eval: line %ld: %s\n", r.line, err);
        row_ok = 0;
      } else if (n != ncols) {
        fprintf(stderr, "cpw eval: line %ld: %d fields, the header has %d\n", r.line, n, ncols);
        row_ok = 0;
      } else {
        for (k = 0; k < n && row_ok; k++) {
          if (k == id_index) {
            id = vals[k];
            continue;
          }
          if (!is_field[k])
            continue;
          if (cpw_record_set_string(rec, cols[k], vals[k], strlen(vals[k])) != CPW_OK) {
            fprintf(stderr, "cpw eval: line %ld: %s\n", r.line,
                    cpw_ctx_last_error(ctx)->message);
            row_ok = 0;
          }
        }
      }
    }
    if (!row_ok) {
      bad++;
      if (stop) {
        rc = CPW_EXIT_FAILURE;
        break;
      }
      continue;
    }
    if (cpw_evaluate(d, prog, rec, as_of, CPW_EVAL_EXPLAIN) != CPW_OK &&
        cpw_decision_outcome(d) != CPW_OUTCOME_ERROR) {
      rc = cpw_tool_fail(ctx, cpw_ctx_last_error(ctx)->code, "evaluating");
      break;
    }
    write_result(&out, d, r.line, id);
    rows++;
    if (progress && rows % 100000 == 0)
      fprintf(stderr, "\rcpw eval: %ld rows", rows);
  }
done_reader:
  if (progress && rows >= 100000)
    fprintf(stderr, "\rcpw eval: %ld rows, %ld bad\n", rows, bad);
  cpw_tool_reader_free(&r);
  if (rc == CPW_EXIT_OK && bad > 0)
    rc = CPW_EXIT_FAILURE;
  if (fflush(out.f) != 0 || ferror(out.f)) {
    fprintf(stderr, "cpw eval: cannot write the output\n");
    rc = CPW_EXIT_ERROR;
  }
done:
  free(header);
  if (in != stdin)
    fclose(in);
  cpw_decision_free(d);
  cpw_record_free(rec);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}
