/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/eval.c: `cpw eval`: evaluate people from CSV or JSON Lines, streaming. */
#include "cpw.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_COLUMNS 512
#define MAX_RECORD (16u * 1024u * 1024u)
#define CSV_HEADER "line,id,as_of,outcome,missing,services,benefits,explanation,error\n"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: cpw eval --program ID [--as-of DATE] [--policy FILE|DIR]... [--input csv|jsonl]\n"
          "                [--output csv|jsonl] [--on-error skip|stop] [--ignore-unknown]\n"
          "                [--id COLUMN] [--lang en|ka] [INPUT]\n\n"
          "Evaluate a programme (cpw programs lists them, with the fields each needs) for\n"
          "every person in INPUT (a file, or standard input when absent or '-'): CSV with a\n"
          "header row of field names, or JSON Lines (one object per line), in UTF-8 (a\n"
          "byte order mark is skipped). The format follows the file name (.csv,\n"
          ".jsonl/.ndjson/.json) or --input. Options take their value as --opt VALUE or\n"
          "--opt=VALUE.\n\n"
          "Writes one row per person, in input order (CSV by default, or JSON Lines): the\n"
          "input line, the id column (default 'id', when present), the as-of date, the\n"
          "outcome (eligible, not_eligible, undetermined, error, or invalid for a row that\n"
          "could not be read), the missing fields, the services and benefits that apply\n"
          "(NAME:AMOUNT:PERIOD, with ':up_to' when the amount is a maximum, not owed), the\n"
          "explanation, and the error of an invalid row. No row is dropped: a bad row\n"
          "(unknown field, invalid date or value, a NUL byte, a key twice) is in the output\n"
          "as invalid and on standard error with its line number; --on-error stop ends the\n"
          "run there. Standard error ends with a summary: rows read, evaluated (by outcome)\n"
          "and invalid.\n\n"
          "Cells are read by the field's type: booleans true/false, yes/no, 1/0 in any case;\n"
          "spaces around a value are ignored (except in text fields); an enum value may\n"
          "differ in case. --as-of defaults to today in the policy's time zone (said on\n"
          "standard error); the date is in every output row. --id names the id column (it\n"
          "must exist when given). --policy takes a file or a directory of .cpw files\n"
          "(default: the embedded Georgian policy). Input is read a record at a time, so\n"
          "files larger than memory work.\n\n"
          "--lang writes the explanations in that language (ka: Georgian); CSV headers and\n"
          "enum values may be given by their labels in any language of the policy.\n\n"
          "Exit status: 0 all rows evaluated, 1 some rows were invalid, 2 usage, 3 I/O or\n"
          "library error (output that cannot be written included).\n");
}

typedef struct eval_run {
  FILE *f;
  int jsonl;
  char as_of[CPW_DATE_BUFSIZE];
  long read, evaluated, invalid, by_outcome[4];
} eval_run;

static const char *const periods[] = { "once", "monthly", "yearly" };

static void json_list_start(FILE *f, const char *key)
{
  fprintf(f, ",\"%s\":[", key);
}

static void write_head(const eval_run *o, long line, const char *id, const char *outcome)
{
  FILE *f = o->f;
  if (o->jsonl) {
    fprintf(f, "{\"line\":%ld", line);
    if (id != NULL) {
      fputs(",\"id\":", f);
      cpw_tool_json_string(f, id);
    }
    fprintf(f, ",\"as_of\":\"%s\",\"outcome\":\"%s\"", o->as_of, outcome);
  } else {
    fprintf(f, "%ld,", line);
    cpw_tool_csv_field(f, id != NULL ? id : "");
    fprintf(f, ",%s,%s,", o->as_of, outcome);
  }
}

static void write_result(const eval_run *o, const cpw_decision *d, long line, const char *id)
{
  size_t i;
  FILE *f = o->f;
  int outcome = cpw_decision_outcome(d);
  write_head(o, line, id, cpw_outcome_name(outcome));
  if (o->jsonl) {
    json_list_start(f, "missing");
    for (i = 0; i < cpw_decision_missing_count(d); i++) {
      if (i)
        fputc(',', f);
      cpw_tool_json_string(f, cpw_decision_missing(d, i));
    }
    fputc(']', f);
    json_list_start(f, "services");
    for (i = 0; i < cpw_decision_service_count(d); i++) {
      if (i)
        fputc(',', f);
      cpw_tool_json_string(f, cpw_decision_service(d, i));
    }
    fputc(']', f);
    json_list_start(f, "benefits");
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
    fputs(",\n", f);
  }
}

/* A row that could not be read: in the output as "invalid", with its error. */
static void write_invalid(const eval_run *o, long line, const char *id, const char *error)
{
  write_head(o, line, id, "invalid");
  if (o->jsonl) {
    fputs(",\"missing\":[],\"services\":[],\"benefits\":[],\"explanation\":\"\",\"error\":", o->f);
    cpw_tool_json_string(o->f, error);
    fputs("}\n", o->f);
  } else {
    fputs(",,,,", o->f);
    cpw_tool_csv_field(o->f, error);
    fputc('\n', o->f);
  }
}

/* 1 when s is valid UTF-8 (RFC 3629: no overlong form, surrogate or code point above
 * U+10FFFF): an id is printed only then, as the output is UTF-8 */
static int utf8_ok(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p, n, k;
    unsigned long cp;
    if (c < 0x80) {
      p++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
      n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
      n = 3, cp = c & 0x07;
    else
      return 0;
    for (k = 1; k <= n; k++) {
      if ((p[k] & 0xC0) != 0x80)
        return 0;
      cp = cp << 6 | (p[k] & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return 0;
    p += n + 1;
  }
  return 1;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A header cell we may print: a lower-case ASCII name, as policy fields are written. Other
 * cells (capitalised or non-Latin names, dates, numbers) may be a person's data when the
 * header row is missing, and are named by their column number only. */
static int printable_name(const char *s)
{
  size_t n = 0;
  if (!(*s == '_' || (*s >= 'a' && *s <= 'z')))
    return 0;
  for (; *s; s++, n++)
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
      return 0;
  return n <= 64;
}

/* Levenshtein distance of a and b, or a large number when above 2 (a typo, not a name). */
static size_t distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b), i, j, prev[65], cur[65];
  if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > 2)
    return 99;
  for (j = 0; j <= lb; j++)
    prev[j] = j;
  for (i = 1; i <= la; i++) {
    cur[0] = i;
    for (j = 1; j <= lb; j++) {
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1, sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      cur[j] = del < ins ? (del < sub ? del : sub) : (ins < sub ? ins : sub);
    }
    memcpy(prev, cur, (lb + 1) * sizeof *prev);
  }
  return prev[lb];
}

/* The field whose name is closest to s (at most 2 edits, and fewer than a third of it). */
static const char *closest_field(const cpw_policy *pol, const char *s)
{
  size_t i, best = 3, n = strlen(s);
  const char *name = NULL;
  for (i = 0; i < cpw_policy_field_count(pol); i++) {
    size_t dist = distance(s, cpw_policy_field_name(pol, i));
    if (dist < best && dist * 3 < n) {
      best = dist;
      name = cpw_policy_field_name(pol, i);
    }
  }
  return name;
}

/* The library's message for a field's value, made more useful: the valid values of an enum
 * or set are listed; a JSON position inside the line becomes the line's own. */
static void row_error(char *out, size_t size, const cpw_policy *pol, const char *msg)
{
  const char *p;
  char *q;
  size_t used;
  int col;
  if (sscanf(msg, "line 1, column %d: ", &col) == 1 && (p = strchr(msg, ':')) != NULL) {
    snprintf(out, size, "column %d:%s", col, p + 1);
    return;
  }
  snprintf(out, size, "%s", msg);
  if ((q = strstr(out, " (line 1, column ")) != NULL) /* unknown field 'x' (line 1, column 9) */
    memmove(q + 2, q + 10, strlen(q + 10) + 1);
  if (strncmp(msg, "field '", 7) == 0 && (p = strstr(msg, "': not one of its values")) != NULL &&
      p[strlen("': not one of its values")] == '\0') {
    char name[128];
    size_t idx, n = (size_t)(p - (msg + 7));
    FILE *mem;
    if (n >= sizeof name)
      return;
    memcpy(name, msg + 7, n);
    name[n] = '\0';
    if (cpw_policy_field_index(pol, name, &idx) != CPW_OK)
      return;
    used = strlen(out);
    mem = fmemopen(out + used, size - used, "w");
    if (mem == NULL)
      return;
    fputs(" (", mem);
    cpw_tool_print_values(mem, pol, idx);
    fputc(')', mem);
    fclose(mem);
  }
}

/* ---- reading a cell by its field's type ---- */

typedef struct column {
  const char *name;
  int field;      /* 1 when the column is a policy field */
  size_t index;   /* the field's index */
  int type;
} column;

static int set_cell(cpw_record *rec, const cpw_policy *pol, const column *c, char *v)
{
  size_t len = strlen(v);
  char buf[16];
  int rc;
  if (c->type != CPW_TYPE_TEXT) { /* spaces around a value are padding */
    while (*v == ' ' || *v == '\t') {
      v++;
      len--;
    }
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
      v[--len] = '\0';
  }
  if (c->type == CPW_TYPE_BOOL && len < sizeof buf) { /* TRUE, False, YES */
    size_t i;
    for (i = 0; i <= len; i++)
      buf[i] = (char)tolower((unsigned char)v[i]);
    v = buf;
  }
  rc = cpw_record_set_string(rec, c->name, v, len);
  if (rc == CPW_EINVALID && c->type == CPW_TYPE_ENUM) { /* Tbilisi for tbilisi */
    size_t k, n = cpw_policy_field_value_count(pol, c->index), match = n, hits = 0;
    for (k = 0; k < n; k++) {
      const char *name = cpw_policy_field_value(pol, c->index, k);
      size_t j;
      if (strlen(name) != len)
        continue;
      for (j = 0; j < len && tolower((unsigned char)name[j]) == tolower((unsigned char)v[j]); j++)
        ;
      if (j == len) {
        match = k;
        hits++;
      }
    }
    if (hits == 1)
      rc = cpw_record_set_enum(rec, c->name, cpw_policy_field_value(pol, c->index, match));
    else
      rc = cpw_record_set_string(rec, c->name, v, len); /* the original error again */
  }
  return rc;
}

static void print_summary(const eval_run *o)
{
  fprintf(stderr, "cpw eval: %ld rows read: %ld evaluated (eligible %ld, not_eligible %ld, "
                  "undetermined %ld, error %ld), %ld invalid; as of %s\n",
          o->read, o->evaluated, o->by_outcome[CPW_ELIGIBLE], o->by_outcome[CPW_NOT_ELIGIBLE],
          o->by_outcome[CPW_UNDETERMINED], o->by_outcome[CPW_OUTCOME_ERROR], o->invalid,
          o->as_of);
}

int cpw_cmd_eval(int argc, char **argv)
{
  const char *files[64], *program = NULL, *input = NULL, *as_of_text = NULL, *idcol = "id";
  size_t nfiles = 0;
  int i, rc = CPW_EXIT_OK, jsonl_in = -1, stop = 0, ignore_unknown = 0, id_given = 0;
  eval_run out;
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  const cpw_program *prog;
  cpw_record *rec = NULL;
  cpw_decision *d = NULL;
  cpw_date as_of;
  FILE *in = NULL;
  cpw_tool_reader r;
  char err[512], msg[1024];
  char *header = NULL, *cols[MAX_COLUMNS], *vals[MAX_COLUMNS];
  int ncols = 0, id_index = -1, progress, reading = 0;
  column *colinfo = NULL;
  const char *lang = NULL;
  char vbuf[4096];

  memset(&out, 0, sizeof out);
  out.f = stdout;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    int m;
    if (cpw_tool_is_help(a)) {
      usage(stdout);
      return cpw_tool_finish("eval", stdout, CPW_EXIT_OK);
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--program", &program)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--as-of", &as_of_text)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--policy", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (nfiles == 64) {
        fprintf(stderr, "cpw eval: at most 64 --policy options (give a directory)\n");
        return CPW_EXIT_USAGE;
      }
      files[nfiles++] = v;
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--input", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (strcmp(v, "csv") == 0)
        jsonl_in = 0;
      else if (strcmp(v, "jsonl") == 0)
        jsonl_in = 1;
      else {
        fprintf(stderr, "cpw eval: --input is csv or jsonl\n");
        return CPW_EXIT_USAGE;
      }
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--output", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (strcmp(v, "csv") == 0)
        out.jsonl = 0;
      else if (strcmp(v, "jsonl") == 0)
        out.jsonl = 1;
      else {
        fprintf(stderr, "cpw eval: --output is csv or jsonl\n");
        return CPW_EXIT_USAGE;
      }
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--on-error", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (strcmp(v, "skip") == 0)
        stop = 0;
      else if (strcmp(v, "stop") == 0)
        stop = 1;
      else {
        fprintf(stderr, "cpw eval: --on-error is skip or stop\n");
        return CPW_EXIT_USAGE;
      }
    } else if (strcmp(a, "--ignore-unknown") == 0) {
      ignore_unknown = 1;
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--id", &idcol)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      id_given = 1;
    } else if ((m = cpw_tool_opt("eval", argc, argv, &i, "--lang", &lang)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
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
  if (program == NULL)
    return cpw_tool_required("eval", "--program", "cpw programs lists the programmes");
  if (as_of_text != NULL && cpw_tool_date(as_of_text, &as_of) != CPW_EXIT_OK)
    return CPW_EXIT_USAGE;
  if (jsonl_in < 0)
    jsonl_in = input != NULL && (ends_with(input, ".jsonl") || ends_with(input, ".ndjson") ||
                                 ends_with(input, ".json"));
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc == CPW_EXIT_OK && (rc = cpw_tool_set_lang(ctx, pol, "eval", lang)) != CPW_EXIT_OK)
    cpw_policy_free(pol);
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
    /* today in the policy's time zone, said aloud: results change from one day to the next */
    int tz = cpw_policy_timezone(pol);
    as_of = cpw_time_to_date((cpw_time)time(NULL), tz);
    cpw_date_format(out.as_of, sizeof out.as_of, as_of);
    fprintf(stderr, "cpw eval: evaluating as of %s (today in the policy's time zone, "
                    "%c%02d:%02d; --as-of DATE fixes the date)\n", out.as_of,
            tz < 0 ? '-' : '+', abs(tz) / 60, abs(tz) % 60);
  }
  cpw_date_format(out.as_of, sizeof out.as_of, as_of);
  if (input == NULL || strcmp(input, "-") == 0) {
    in = stdin;
  } else {
    struct stat st;
    in = fopen(input, "rb");
    if (in == NULL || (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode))) {
      int e = in == NULL ? errno : EISDIR;
      if (in != NULL)
        fclose(in);
      in = NULL;
      if (e == EISDIR)
        fprintf(stderr, "cpw eval: %s: %s\n", input, strerror(e));
      else
        fprintf(stderr, "cpw eval: cannot open %s: %s\n", input, strerror(e));
      rc = CPW_EXIT_ERROR;
      goto done;
    }
  }
  if (cpw_record_new(&rec, ctx, pol) != CPW_OK || cpw_decision_new(&d, ctx) != CPW_OK) {
    rc = cpw_tool_fail(ctx, CPW_ENOMEM, "starting");
    goto done;
  }
  progress = isatty(2);
  cpw_tool_reader_init(&r, in, !jsonl_in, MAX_RECORD);
  reading = jsonl_in ? 2 : 1;
  if (!out.jsonl && jsonl_in)
    fputs(CSV_HEADER, out.f);
  for (;;) {
    int st = cpw_tool_read_record(&r, err, sizeof err);
    const char *id = NULL;
    char idbuf[256];
    int row_ok = 1;
    if (st == 0)
      break;
    if (ferror(out.f))
      break; /* the output cannot be written: no use reading on (reported below) */
    if (st < 0) {
      if (strstr(err, "read error") != NULL || strstr(err, "out of memory") != NULL) {
        fprintf(stderr, "cpw eval: %s\n", err);
        rc = CPW_EXIT_ERROR;
        break;
      }
      if (!jsonl_in && header == NULL) {
        /* the header itself: the file is refused, as for any bad header (no row is written:
         * the CSV output would have no header row) */
        fprintf(stderr, "cpw eval: %s (header)\n", err);
        rc = CPW_EXIT_FAILURE;
        break;
      }
      /* too long, or a quote never closed: the row is invalid */
      fprintf(stderr, "cpw eval: %s\n", err);
      out.read++;
      out.invalid++;
      write_invalid(&out, r.line, NULL, strchr(err, ':') != NULL ? strchr(err, ':') + 2 : err);
      if (stop || strstr(err, "not closed") != NULL)
        break;
      continue;
    }
    if (r.len == 0)
      continue; /* blank lines are allowed */
    if (!jsonl_in && header == NULL) {
      int k, known = 0;
      if (memchr(r.buf, '\0', r.len) != NULL) {
        fprintf(stderr, "cpw eval: line %ld (header): a NUL byte in the header\n", r.line);
        rc = CPW_EXIT_FAILURE;
        break;
      }
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
      colinfo = calloc((size_t)ncols, sizeof *colinfo);
      if (colinfo == NULL) {
        rc = CPW_EXIT_ERROR;
        break;
      }
      for (k = 0; k < ncols; k++) {
        colinfo[k].name = cols[k];
        colinfo[k].field = cpw_policy_field_index(pol, cols[k], &colinfo[k].index) == CPW_OK;
        if (!colinfo[k].field && cpw_tool_field_by_label(pol, cols[k]) != NULL) {
          colinfo[k].name = cpw_tool_field_by_label(pol, cols[k]); /* given by its label */
          colinfo[k].field =
            cpw_policy_field_index(pol, colinfo[k].name, &colinfo[k].index) == CPW_OK;
        }
        if (colinfo[k].field) {
          colinfo[k].type = cpw_policy_field_type(pol, colinfo[k].index);
          known++;
        }
        if (id_index < 0 && strcmp(cols[k], idcol) == 0) {
          id_index = k;
          known++;
        }
      }
      /* a column that is read (a field, the id) named twice: which cell would be the value? */
      for (k = 0; k < ncols && rc == CPW_EXIT_OK; k++) {
        int j;
        if (!colinfo[k].field && strcmp(cols[k], idcol) != 0)
          continue;
        for (j = 0; j < k; j++)
          if (strcmp(cols[j], cols[k]) == 0) {
            fprintf(stderr, "cpw eval: line %ld: the column '%s' appears twice in the header\n",
                    r.line, cols[k]);
            rc = CPW_EXIT_FAILURE;
            break;
          }
      }
      if (rc != CPW_EXIT_OK)
        goto done_reader;
      if (known == 0 && !ignore_unknown) {
        /* probably no header row: its cells are a person's data, so none is printed */
        fprintf(stderr, "cpw eval: line %ld: the first line names no field of the policy; is "
                        "the header row missing? (the first line must name the columns: "
                        "cpw fields lists the field names)\n", r.line);
        rc = CPW_EXIT_FAILURE;
        goto done_reader;
      }
      if (id_given && id_index < 0) {
        fprintf(stderr, "cpw eval: no column '%s' (--id) in the header\n", idcol);
        rc = CPW_EXIT_USAGE;
        goto done_reader;
      }
      for (k = 0; k < ncols; k++) {
        if (colinfo[k].field || k == id_index || ignore_unknown)
          continue;
        if (printable_name(cols[k]) && closest_field(pol, cols[k]) != NULL)
          fprintf(stderr, "cpw eval: line %ld: unknown field '%s' in the header (did you mean "
                          "'%s'?)\n", r.line, cols[k], closest_field(pol, cols[k]));
        else if (printable_name(cols[k]))
          fprintf(stderr, "cpw eval: line %ld: unknown field '%s' in the header (use "
                          "--ignore-unknown to skip such columns; cpw fields lists the "
                          "fields)\n", r.line, cols[k]);
        else
          fprintf(stderr, "cpw eval: line %ld: column %d of the header is not a field of the "
                          "policy (use --ignore-unknown to skip such columns; cpw fields lists "
                          "the fields)\n", r.line, k + 1);
        rc = CPW_EXIT_FAILURE;
        goto done_reader;
      }
      reading = 2; /* the header is good: the rows follow */
      if (!out.jsonl)
        fputs(CSV_HEADER, out.f);
      continue;
    }
    out.read++;
    cpw_record_clear(rec);
    msg[0] = '\0';
    if (memchr(r.buf, '\0', r.len) != NULL) {
      snprintf(msg, sizeof msg, "a NUL byte in the row");
      row_ok = 0;
      if (!jsonl_in) { /* the id cell, when it comes before the NUL */
        int n = cpw_tool_csv_split(r.buf, vals, MAX_COLUMNS, err, sizeof err);
        if (id_index >= 0 && id_index < n - 1)
          id = vals[id_index];
      }
    } else if (jsonl_in) {
      size_t idx;
      if (cpw_tool_json_scalar(r.buf, idcol, idbuf, sizeof idbuf))
        id = idbuf;
      /* a key given twice (a field, the id key or a key skipped as unknown) is refused here */
      if (cpw_record_set_json_except(rec, r.buf, r.len,
                                     ignore_unknown ? CPW_RECORD_IGNORE_UNKNOWN : 0,
                                     cpw_policy_field_index(pol, idcol, &idx) == CPW_OK
                                       ? NULL : idcol) != CPW_OK) {
        row_error(msg, sizeof msg, pol, cpw_ctx_last_error(ctx)->message);
        row_ok = 0;
      }
      if (row_ok && id_given && id == NULL) {
        snprintf(msg, sizeof msg, "no key '%s' (--id)", idcol);
        row_ok = 0;
      }
    } else {
      int k, n = cpw_tool_csv_split(r.buf, vals, MAX_COLUMNS, err, sizeof err);
      if (id_index >= 0 && id_index < n)
        id = vals[id_index];
      if (n < 0) {
        snprintf(msg, sizeof msg, "%s", err);
        row_ok = 0;
      } else if (n != ncols) {
        snprintf(msg, sizeof msg, "%d fields, the header has %d", n, ncols);
        row_ok = 0;
      } else {
        for (k = 0; k < n && row_ok; k++) {
          if (!colinfo[k].field)
            continue;
          {
            const char *v = cpw_tool_value_by_label(pol, colinfo[k].name, vals[k], vbuf,
                                                    sizeof vbuf);
            if (v == vbuf)
              vals[k] = vbuf;
          }
          if (set_cell(rec, pol, &colinfo[k], vals[k]) != CPW_OK) {
            row_error(msg, sizeof msg, pol, cpw_ctx_last_error(ctx)->message);
            row_ok = 0;
          }
        }
      }
    }
    if (id != NULL && !utf8_ok(id)) {
      id = NULL; /* not printed */
      if (row_ok) {
        snprintf(msg, sizeof msg, "the id is not valid UTF-8");
        row_ok = 0;
      }
    }
    if (!row_ok) {
      fprintf(stderr, "cpw eval: line %ld%s%s\n", r.line,
              strncmp(msg, "column ", 7) == 0 ? ", " : ": ", msg);
      out.invalid++;
      write_invalid(&out, r.line, id, msg);
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
    out.evaluated++;
    out.by_outcome[cpw_decision_outcome(d) & 3]++;
    if (progress && out.read % 100000 == 0)
      fprintf(stderr, "\rcpw eval: %ld rows", out.read);
  }
done_reader:
  if (progress && out.read >= 100000)
    fputc('\n', stderr);
  cpw_tool_reader_free(&r);
  if (rc == CPW_EXIT_OK && out.invalid > 0)
    rc = CPW_EXIT_FAILURE;
  rc = cpw_tool_finish("eval", out.f, rc);
done:
  if (reading == 2)
    print_summary(&out);
  free(colinfo);
  free(header);
  if (in != NULL && in != stdin)
    fclose(in);
  cpw_decision_free(d);
  cpw_record_free(rec);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return rc;
}
