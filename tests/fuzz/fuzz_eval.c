/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_eval: `cpw eval` end to end, as a user runs it: the input is written to a file and the
 * command's own entry point (cpw_cmd_eval, linked from examples/cpw/) runs in-process over it
 * with its standard output and error captured. The harness knows the command only by its
 * documentation (`cpw eval --help`, the CSV and JSON Lines formats), not by its code.
 *
 * The first three bytes choose the options: CSV or JSON Lines in (by the file's extension or
 * --input) and out, --on-error stop, --ignore-unknown, --id (a column, or one that may be
 * missing), --opt VALUE or --opt=VALUE, the programme, the --as-of date, and the policy: the
 * embedded Georgian one (one input in eight) or, with --policy, a small one written once per process (every field
 * type, two programmes with services and benefits). The rest is the file.
 * Invariants:
 * - no crash, no sanitizer report; the exit status is 0, 1 or 2 (3 is for I/O errors, which
 *   cannot happen here);
 * - standard output is valid UTF-8, and valid CSV (RFC 4180: the header row
 *   line,id,as_of,outcome,missing,services,benefits,explanation,error then rows of 9 fields)
 *   or valid JSON Lines (one object per line, RFC 8259, with line, as_of, outcome, missing,
 *   services, benefits, explanation, and error for an invalid row);
 * - every input row appears in the output exactly once, in order, under its line number: the
 *   rows are the input's records (a UTF-8 byte order mark skipped; a CSV record continues
 *   over line ends inside quotes; blank lines skipped; for CSV the first record is the header),
 *   a record whose quote is never closed included (it ends the input); with --on-error stop
 *   the rows stop after the first invalid one;
 * - a CSV file with no record (empty, or blank lines) gives no output and status 0;
 * - a CSV header is refused (exit 1, or 2 for an --id column it lacks, and no row written)
 *   exactly when it holds a NUL byte, is not well-formed CSV, has more than 512 columns, names
 *   a field or the id column twice, or
 *   (without --ignore-unknown) names no field of the policy nor the id column, or any column
 *   that is neither;
 * - each row: outcome eligible, not_eligible, undetermined, error or invalid; the as-of date
 *   given; an invalid row has an error and nothing else, another an explanation and no error;
 *   missing fields are fields of the policy;
 * - the exit status is 0 when no row is invalid, else 1; standard error ends with the summary
 *   (rows read, evaluated by outcome, invalid; the as-of date) and its figures are the
 *   output's, and names the line of every invalid row.
 *
 * Seeds: tests/fuzz/corpus/eval/ (the third byte 0 for Georgia's policy, 1 for the small one).
 *
 * The embedded policy is compiled once per process, not once per run: the target is linked
 * with -Wl,--wrap=cpw_policy_default,--wrap=cpw_policy_free (tests/fuzz/CMakeLists.txt), so
 * the command's cpw_policy_default hands out the harness's compiled copy and its
 * cpw_policy_free leaves that copy alone. Compiling the same constant text on every run was
 * nine tenths of a run's time and fuzzed nothing (fuzz_policy fuzzes the compiler). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../examples/cpw/cpw.h"
#include "base/json.h"
#include "base/utf8.h"

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
      report();                                                                       \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 8192
#define MAX_COLUMNS 512

static cpw_ctx *ctx;
static cpw_policy *georgia, *small, *pol;

/* the linker's --wrap: see the comment at the top */
int __real_cpw_policy_default(cpw_policy **out, cpw_ctx *ctx);
void __real_cpw_policy_free(cpw_policy *policy);
int __wrap_cpw_policy_default(cpw_policy **out, cpw_ctx *ctx);
void __wrap_cpw_policy_free(cpw_policy *policy);

int __wrap_cpw_policy_default(cpw_policy **out, cpw_ctx *ctx)
{
  if (georgia == NULL)
    return __real_cpw_policy_default(out, ctx);
  *out = georgia;
  return CPW_OK;
}

void __wrap_cpw_policy_free(cpw_policy *policy)
{
  if (policy != georgia || policy == NULL)
    __real_cpw_policy_free(policy);
}
static char dir[256], small_path[300];

/* the small policy (--policy FILE) */
static const char small_text[] =
  "policy small \"fuzz_eval\" version \"1\"\n"
  "timezone \"+04:00\"\n"
  "field age: int\n"
  "field birth_date: date\n"
  "field registered_at: datetime\n"
  "field citizenship: enum(georgian, stateless, foreign)\n"
  "field income: money\n"
  "field disabled: bool\n"
  "field note: text\n"
  "field needs: set of enum(food, shelter, care)\n"
  "param grant: money = 100 GEL from 2010-01-01, 150 GEL from 2020-01-01\n"
  "program support \"Support\" {\n"
  "  eligible when age < 18 and citizenship in {georgian, stateless} and not disabled\n"
  "  benefit allowance grant monthly\n"
  "  service shelter when needs contains shelter\n"
  "  service counselling\n"
  "}\n"
  "program care \"Care\" {\n"
  "  in force from 2015-01-01 until 2030-12-31\n"
  "  eligible when (needs contains care or income < 500 GEL) and"
  " age(birth_date) between 0 and 17 and date_of(registered_at) <= as_of and note != \"x\"\n"
  "  benefit once_grant 200 GEL once when disabled\n"
  "}\n";
static char *out_text, *err_text;
static size_t out_len, err_len;
static int exit_status;

static void report(void)
{
  fprintf(stderr,
          "---- exit %d; standard output (%zu bytes):\n%.*s---- standard error:\n%.*s----\n",
          exit_status, out_len, (int)(out_len < 4000 ? out_len : 4000),
          out_text != NULL ? out_text : "", (int)(err_len < 4000 ? err_len : 4000),
          err_text != NULL ? err_text : "");
}

/* ------------------------------------------------------------------ the input's records */

typedef struct record {
  long line;            /* its first physical line */
  size_t start, len;    /* its bytes (line end and a CR before it dropped) */
  int unclosed;         /* a quote never closed: it ends the input */
} record;

static record recs[MAX_ROWS];

/* The records of the file: lines, a CSV record going on over line ends inside quotes, blank
 * ones skipped, a UTF-8 byte order mark at the start skipped. */
static size_t records(const unsigned char *in, size_t n, int csv)
{
  size_t pos = 0, nrec = 0;
  long line = 1;
  if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
    pos = 3;
  while (pos < n && nrec < MAX_ROWS) {
    size_t start = pos, len;
    long first = line;
    int quoted = 0;
    while (pos < n) {
      unsigned char c = in[pos++];
      if (c == '\n') {
        line++;
        if (!quoted)
          break;
      }
      if (csv && c == '"')
        quoted = !quoted;
    }
    len = pos - start;
    if (len > 0 && in[start + len - 1] == '\n')
      len--;
    if (len > 0 && in[start + len - 1] == '\r')
      len--;
    if (quoted) {
      recs[nrec].line = first;
      recs[nrec].start = start;
      recs[nrec].len = len;
      recs[nrec++].unclosed = 1;
      break;
    }
    if (len == 0)
      continue;
    recs[nrec].line = first;
    recs[nrec].start = start;
    recs[nrec].len = len;
    recs[nrec++].unclosed = 0;
  }
  return nrec;
}

/* ------------------------------------------------------------------ CSV (RFC 4180) */

/* Split one CSV record (no line structure of its own) into cells, in `cells` (NUL-separated
 * copies). Returns the number of cells, or -1 when it is not well-formed: a quote inside an
 * unquoted cell, text after a closing quote, a quote not closed. */
static int csv_cells(const char *s, size_t n, char *cells, char **cell, int max)
{
  size_t i = 0;
  int k = 0;
  char *o = cells;
  for (;;) {
    if (k == max)
      return -1;
    cell[k++] = o;
    if (i < n && s[i] == '"') {
      i++;
      for (;;) {
        if (i == n)
          return -1;
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            *o++ = '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        *o++ = s[i++];
      }
      if (i < n && s[i] != ',')
        return -1;
    } else {
      while (i < n && s[i] != ',') {
        if (s[i] == '"')
          return -1;
        *o++ = s[i++];
      }
    }
    *o++ = '\0';
    if (i == n)
      return k;
    i++; /* the comma */
  }
}

/* The output as CSV: rows of cells (RFC 4180, records end with \n). Returns the number of
 * rows, -1 when malformed. cells: each row's cells, NUL-separated, in `store`. */
typedef struct out_row {
  char *cell[9];
  int ncells;
} out_row;

static out_row orows[MAX_ROWS + 1];

static long parse_csv_output(char *s, size_t n)
{
  size_t i = 0;
  long rows = 0;
  while (i < n) {
    out_row *r = &orows[rows];
    char *o = s + i; /* unescape in place: the output only shrinks */
    if (rows > MAX_ROWS)
      return -1;
    r->ncells = 0;
    for (;;) {
      if (r->ncells == 9)
        return -1;
      r->cell[r->ncells++] = o;
      if (i < n && s[i] == '"') {
        i++;
        for (;;) {
          if (i == n)
            return -1;
          if (s[i] == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              *o++ = '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          *o++ = s[i++];
        }
      } else {
        while (i < n && s[i] != ',' && s[i] != '\n') {
          if (s[i] == '"' || s[i] == '\r')
            return -1;
          *o++ = s[i++];
        }
      }
      if (i == n)
        return -1; /* every record ends with a line end */
      if (s[i] == '\n') {
        *o = '\0';
        i++;
        break;
      }
      if (s[i] != ',')
        return -1;
      *o++ = '\0';
      i++;
    }
    rows++;
  }
  return rows;
}

/* ------------------------------------------------------------------ JSON Lines output */

/* One line of output as a JSON object: its keys' values, decoded, into r (strings; arrays
 * as their items joined with '|'). 0 when it is not such an object. */
static char jstore[1 << 20];
static size_t jused;

static char *jsave(const char *s, size_t n)
{
  char *p;
  if (jused + n + 1 > sizeof jstore)
    return NULL;
  p = jstore + jused;
  memcpy(p, s, n);
  p[n] = '\0';
  jused += n + 1;
  return p;
}

static const char *const out_keys[9] = { "line", "id", "as_of", "outcome", "missing",
                                         "services", "benefits", "explanation", "error" };

static int parse_json_line(const char *s, size_t n, out_row *r)
{
  cpw__json_reader rd;
  cpw__json_token t;
  int ok = 0, k;
  memset(r, 0, sizeof *r);
  r->ncells = 9;
  cpw__json_reader_init(&rd, ctx, s, n);
  if (cpw__json_next(&rd, &t) != CPW_OK || t.type != CPW__JSON_OBJECT)
    goto done;
  while (cpw__json_next(&rd, &t) == CPW_OK && t.type == CPW__JSON_KEY) {
    for (k = 0; k < 9; k++)
      if (strlen(out_keys[k]) == t.len && memcmp(out_keys[k], t.str, t.len) == 0)
        break;
    if (k == 9 || r->cell[k] != NULL)
      goto done; /* an unknown key, or a key twice */
    if (cpw__json_next(&rd, &t) != CPW_OK)
      goto done;
    if (t.type == CPW__JSON_STRING || t.type == CPW__JSON_NUMBER) {
      if (memchr(t.str, '\0', t.len) != NULL)
        goto done;
      r->cell[k] = jsave(t.str, t.len);
    } else if (t.type == CPW__JSON_ARRAY) {
      char item[4096];
      size_t used = 0;
      while (cpw__json_next(&rd, &t) == CPW_OK && t.type != CPW__JSON_ARRAY_END) {
        if (t.type == CPW__JSON_OBJECT) { /* a benefit: {"id", "amount_gel", "period"} */
          if (cpw__json_skip(&rd, &t) != CPW_OK)
            goto done;
          t.str = "benefit";
          t.len = 7;
        } else if (t.type != CPW__JSON_STRING) {
          goto done;
        }
        if (used + t.len + 2 > sizeof item)
          goto done;
        if (used > 0)
          item[used++] = '|';
        memcpy(item + used, t.str, t.len);
        used += t.len;
      }
      if (t.type != CPW__JSON_ARRAY_END)
        goto done;
      r->cell[k] = jsave(item, used);
    } else {
      goto done;
    }
    if (r->cell[k] == NULL)
      goto done;
  }
  ok = t.type == CPW__JSON_OBJECT_END && cpw__json_next(&rd, &t) == CPW_OK &&
       t.type == CPW__JSON_EOF;
done:
  cpw__json_reader_free(&rd);
  for (k = 0; ok && k < 9; k++)
    if (r->cell[k] == NULL)
      r->cell[k] = k == 8 || k == 1 ? jsave("", 0) : NULL;
  for (k = 0; ok && k < 9; k++)
    ok = r->cell[k] != NULL;
  return ok;
}

static long parse_jsonl_output(char *s, size_t n)
{
  size_t i = 0;
  long rows = 0;
  jused = 0;
  while (i < n) {
    char *nl = memchr(s + i, '\n', n - i);
    if (nl == NULL || rows > MAX_ROWS)
      return -1;
    if (!parse_json_line(s + i, (size_t)(nl - (s + i)), &orows[rows]))
      return -1;
    rows++;
    i = (size_t)(nl - s) + 1;
  }
  return rows;
}

/* ------------------------------------------------------------------ running the command */

static int run_eval(int argc, char **argv)
{
  FILE *o, *e, *saved_out = stdout, *saved_err = stderr;
  int rc;
  free(out_text);
  free(err_text);
  out_text = err_text = NULL;
  o = open_memstream(&out_text, &out_len);
  e = open_memstream(&err_text, &err_len);
  CHECK(o != NULL && e != NULL);
  stdout = o;
  stderr = e;
  rc = cpw_cmd_eval(argc, argv);
  stdout = saved_out;
  stderr = saved_err;
  CHECK(fclose(o) == 0 && fclose(e) == 0);
  return rc;
}

/* ------------------------------------------------------------------ the checks */

static int is_field(const char *name)
{
  size_t idx;
  return cpw_policy_field_index(pol, name, &idx) == CPW_OK;
}

/* each '|'-separated item of s is a field of the policy */
static int fields_list(const char *s)
{
  char item[256];
  while (*s) {
    size_t n = strcspn(s, "|");
    if (n == 0 || n >= sizeof item)
      return 0;
    memcpy(item, s, n);
    item[n] = '\0';
    if (!is_field(item))
      return 0;
    s += n;
    if (*s == '|')
      s++;
  }
  return 1;
}

/* The exit status the header gives: 0 accepted, 1 or 2 refused. */
static int header_verdict(const unsigned char *in, const record *h, const char *idcol,
                          int ignore_unknown, int id_given)
{
  static char cells[1 << 16];
  char *cell[MAX_COLUMNS];
  int n, k, known = 0, unknown = 0, has_id = 0;
  if (memchr(in + h->start, '\0', h->len) != NULL || h->len >= sizeof cells)
    return 1;
  n = csv_cells((const char *)in + h->start, h->len, cells, cell, MAX_COLUMNS);
  if (n < 0)
    return 1;
  for (k = 0; k < n; k++) { /* a column that is read (a field, the id) named twice */
    int j;
    if (!is_field(cell[k]) && strcmp(cell[k], idcol) != 0)
      continue;
    for (j = 0; j < k; j++)
      if (strcmp(cell[j], cell[k]) == 0)
        return 1;
  }
  for (k = 0; k < n; k++) {
    int f = is_field(cell[k]), id = strcmp(cell[k], idcol) == 0;
    has_id |= id;
    known += f || id;
    unknown += !f && !id;
  }
  if (!ignore_unknown && known == 0)
    return 1;
  if (id_given && !has_id)
    return 2;
  if (!ignore_unknown && unknown > 0)
    return 1;
  return 0;
}

static void remove_dir(void)
{
  unlink(small_path);
  rmdir(dir); /* each input's file is removed after its run */
}

static const char *const outcomes[] = { "eligible", "not_eligible", "undetermined", "error",
                                        "invalid" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const as_ofs[] = { "2019-06-01", "2026-01-01", "2000-02-29",
                                        "2015-01-01" };
  static const char *const idcols[] = { "id", "person_id", "citizenship", "x" };
  char path[300], *argv[24], arg[20][128];
  const unsigned char *in;
  unsigned o1, o2;
  int jsonl_in, jsonl_out, stop, ignore, id_given, eq, argc = 0, na = 0, header_rc = 0, rc;
  size_t n, nrec, first_row = 0, expected, k;
  const char *idcol, *as_of, *program;
  long rows, invalid = 0, by[5] = { 0 };
  FILE *f;

  if (ctx == NULL) {
    const char *base = getenv("TMPDIR");
    struct stat st;
    CHECK(cpw_ctx_new(&ctx, NULL) == CPW_OK);
    CHECK(cpw_policy_default(&georgia, ctx) == CPW_OK);
    CHECK(cpw_policy_from_string(&small, ctx, "small.cpw", small_text, sizeof small_text - 1) ==
          CPW_OK);
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
      base = "/dev/shm";
    snprintf(dir, sizeof dir, "%s/cpw-fuzz-eval-XXXXXX", base != NULL ? base : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    atexit(remove_dir);
    snprintf(small_path, sizeof small_path, "%s/small.cpw", dir);
    f = fopen(small_path, "wb");
    CHECK(f != NULL && fwrite(small_text, 1, sizeof small_text - 1, f) == sizeof small_text - 1);
    CHECK(fclose(f) == 0);
  }
  if (size < 3 || size > (1u << 14)) /* at most MAX_ROWS records */
    return 0;
  o1 = data[0];
  o2 = data[1];
  pol = (data[2] & 7) == 0 ? georgia : small;
  in = data + 3;
  n = size - 3;
  jsonl_in = o1 & 1;
  jsonl_out = (o1 >> 1) & 1;
  stop = (o1 >> 2) & 1;
  ignore = (o1 >> 3) & 1;
  id_given = (o1 >> 4) & 1;
  eq = (o1 >> 7) & 1;
  idcol = id_given ? idcols[(o2 >> 6) & 3] : "id";
  as_of = as_ofs[(o2 >> 4) & 3];
  program = cpw_program_id(cpw_policy_program_at(pol, (o2 & 15) % cpw_policy_program_count(pol)));

  /* the file */
  snprintf(path, sizeof path, "%s/people.%s", dir,
           (o1 >> 5) & 1 ? "dat" : jsonl_in ? "jsonl" : "csv");
  f = fopen(path, "wb");
  CHECK(f != NULL);
  CHECK(n == 0 || fwrite(in, 1, n, f) == n);
  CHECK(fclose(f) == 0);

  /* the command line */
#define ARG(...)                                                  \
  do {                                                            \
    snprintf(arg[na], sizeof arg[na], __VA_ARGS__);               \
    argv[argc++] = arg[na++];                                     \
  } while (0)
#define OPT(name, value)                                          \
  do {                                                            \
    if (eq) {                                                     \
      ARG("%s=%s", name, value);                                  \
    } else {                                                      \
      ARG("%s", name);                                            \
      ARG("%s", value);                                           \
    }                                                             \
  } while (0)
  ARG("eval");
  if (pol == small)
    OPT("--policy", small_path);
  OPT("--program", program);
  OPT("--as-of", as_of);
  if ((o1 >> 5) & 1)
    OPT("--input", jsonl_in ? "jsonl" : "csv");
  if (jsonl_out || (o1 >> 6) & 1)
    OPT("--output", jsonl_out ? "jsonl" : "csv");
  if (stop || (o1 >> 6) & 1)
    OPT("--on-error", stop ? "stop" : "skip");
  if (ignore)
    ARG("--ignore-unknown");
  if (id_given)
    OPT("--id", idcol);
  argv[argc++] = path;
  argv[argc] = NULL;

  exit_status = rc = run_eval(argc, argv);
  unlink(path);

  /* what the file holds */
  nrec = records(in, n, !jsonl_in);
  if (!jsonl_in && nrec > 0) {
    if (recs[0].unclosed)
      header_rc = 1; /* the header's quote is never closed */
    else
      header_rc = header_verdict(in, &recs[0], idcol, ignore, id_given);
    first_row = 1;
  }
  expected = nrec - first_row;

  CHECK(rc == 0 || rc == 1 || rc == 2);
  CHECK(cpw__utf8_valid(out_text, out_len));
  CHECK(memchr(out_text, '\0', out_len) == NULL);
  CHECK(cpw__utf8_valid(err_text, err_len));
  if (header_rc != 0) {
    CHECK(rc == header_rc);
    CHECK(out_len == 0);
    return 0;
  }
  if (!jsonl_in && nrec == 0) {
    /* no header, no rows: nothing to say */
    CHECK(rc == 0 && out_len == 0);
    return 0;
  }
  if (!jsonl_out) {
    static const char head[] = "line,id,as_of,outcome,missing,services,benefits,explanation,"
                               "error\n";
    CHECK(out_len >= sizeof head - 1 && memcmp(out_text, head, sizeof head - 1) == 0);
    rows = parse_csv_output(out_text + (sizeof head - 1), out_len - (sizeof head - 1));
  } else {
    rows = parse_jsonl_output(out_text, out_len);
  }
  CHECK(rows >= 0);
  /* every row once, in order; with --on-error stop up to the first invalid one */
  CHECK(stop ? (size_t)rows <= expected : (size_t)rows == expected);
  for (k = 0; k < (size_t)rows; k++) {
    const out_row *r = &orows[k];
    const record *want = &recs[first_row + k];
    char line[32];
    int oc;
    CHECK(r->ncells == 9);
    snprintf(line, sizeof line, "%ld", want->line);
    CHECK(strcmp(r->cell[0], line) == 0);
    CHECK(strcmp(r->cell[2], as_of) == 0);
    for (oc = 0; oc < 5 && strcmp(r->cell[3], outcomes[oc]) != 0; oc++)
      ;
    CHECK(oc < 5);
    by[oc]++;
    if (oc == 4) {
      char needle[48];
      invalid++;
      CHECK(r->cell[8][0] != '\0');
      CHECK(r->cell[4][0] == '\0' && r->cell[5][0] == '\0' && r->cell[6][0] == '\0' &&
            r->cell[7][0] == '\0');
      snprintf(needle, sizeof needle, "line %ld", want->line);
      CHECK(err_text != NULL && strstr(err_text, needle) != NULL);
    } else {
      CHECK(r->cell[8][0] == '\0');
      CHECK(r->cell[7][0] != '\0');
      CHECK(fields_list(r->cell[4]));
      CHECK(!want->unclosed);
    }
    if (stop && oc == 4)
      CHECK(k + 1 == (size_t)rows); /* it stopped there */
  }
  if (stop && (size_t)rows < expected)
    CHECK(invalid > 0);
  CHECK(rc == (invalid > 0 ? 1 : 0));
  /* the summary, last on standard error */
  {
    const char *last = err_text, *p;
    long nread, nev, e0, e1, e2, e3, ninv;
    char date[16];
    for (p = err_text; p != NULL && (p = strstr(p, "cpw eval: ")) != NULL; p++)
      last = p;
    CHECK(last != NULL &&
          sscanf(last, "cpw eval: %ld rows read: %ld evaluated (eligible %ld, not_eligible %ld, "
                       "undetermined %ld, error %ld), %ld invalid; as of %15s", &nread, &nev, &e0,
                 &e1, &e2, &e3, &ninv, date) == 8);
    CHECK(nread == rows && ninv == invalid && nev == rows - invalid);
    CHECK(e0 == by[0] && e1 == by[1] && e2 == by[2] && e3 == by[3]);
    CHECK(strcmp(date, as_of) == 0);
  }
  return 0;
}
