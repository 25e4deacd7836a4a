/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/cpw.h: shared declarations of the cpw command-line tool's subcommands. The tool
 * uses the public API only (<cpw.h>). */
#ifndef CPW_TOOL_H
#define CPW_TOOL_H

#include <cpw.h>
#include <stdio.h>

/* Exit codes (documented in `cpw --help` and the README). */
enum {
  CPW_EXIT_OK = 0,       /* success */
  CPW_EXIT_FAILURE = 1,  /* the command ran and found problems (policy errors, bad rows) */
  CPW_EXIT_USAGE = 2,    /* bad command line */
  CPW_EXIT_ERROR = 3     /* an I/O or library error stopped the command */
};

typedef struct cpw_tool_cmd {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
} cpw_tool_cmd;

int cpw_cmd_demo(int argc, char **argv);
int cpw_cmd_version(int argc, char **argv);
int cpw_cmd_check(int argc, char **argv);
int cpw_cmd_eval(int argc, char **argv);
int cpw_cmd_diagram(int argc, char **argv);
int cpw_cmd_journal(int argc, char **argv);
int cpw_cmd_report(int argc, char **argv);
int cpw_cmd_programs(int argc, char **argv);
int cpw_cmd_fields(int argc, char **argv);
int cpw_cmd_show(int argc, char **argv);
int cpw_cmd_sources(int argc, char **argv);

/* `cpw report --notifications` (notifications.c): notifications registered per year by
 * reporter type, case type and channel, from the journal's referral cases. */
int cpw_tool_notifications(cpw_ctx *ctx, const cpw_policy *pol, cpw_journal *j, cpw_date from,
                           cpw_date to, int csv);

/* Print "cpw: <what>: <library message>" for a failed library call and return CPW_EXIT_ERROR. */
int cpw_tool_fail(cpw_ctx *ctx, int rc, const char *what);
/* 1 if arg is -h or --help. */
int cpw_tool_is_help(const char *arg);
/* Option `name` ("--program") at argv[*i], as "--program ID" or "--program=ID": 1 with *value
 * set (*i moves past a separate value), 0 when argv[*i] is something else, -1 when the value
 * is missing (the message names the option and `cmd`). */
int cpw_tool_opt(const char *cmd, int argc, char **argv, int *i, const char *name,
                 const char **value);
/* "cpw CMD: --opt is required (...)" on stderr, then CPW_EXIT_USAGE. */
int cpw_tool_required(const char *cmd, const char *what, const char *hint);
/* End of a command that wrote to `f` (stdout): flush it and check that every write
 * succeeded. On a failure print "cpw CMD: cannot write the output: REASON" and return
 * CPW_EXIT_ERROR; otherwise return rc. */
int cpw_tool_finish(const char *cmd, FILE *f, int rc);
/* The policy: the files given (compiled together; a directory gives its *.cpw files in name
 * order), or the embedded default when none. Prints diagnostics on failure. */
int cpw_tool_load_policy(cpw_ctx *ctx, const char *const *files, size_t nfiles,
                         cpw_policy **out);
/* The source texts of the policy the same arguments give (the embedded files when none):
 * *names and *texts are arrays of n malloc'ed strings; free with cpw_tool_free_sources. */
int cpw_tool_policy_sources(const char *const *files, size_t nfiles, char ***names,
                            char ***texts, size_t *n);
void cpw_tool_free_sources(char **names, char **texts, size_t n);
/* A field's type as a user reads it: "bool", "int", "enum(a, b, c)", "set of (a, b)". */
void cpw_tool_print_type(FILE *f, const cpw_policy *pol, size_t field);
/* Print the values of an enum or set field as "a, b, c". */
void cpw_tool_print_values(FILE *f, const cpw_policy *pol, size_t field);
/* The fields a programme reads, found through the public API: the facts its rule needs (an
 * empty record's missing fields, on a day the programme is in force) and the bool, date,
 * enum and set fields its service and benefit conditions read (cpw_evaluate_batch refuses
 * an out-of-range value only in a column the programme reads). Sets used[i] for field i;
 * used has cpw_policy_field_count entries. CPW_OK or a library error. */
int cpw_tool_program_fields(cpw_ctx *ctx, const cpw_policy *pol, const cpw_program *prog,
                            unsigned char *used);
/* Read a whole file, "-" for standard input (NUL-terminated; free with free()). NULL on
 * failure, errno set. */
char *cpw_tool_read_file(const char *path, size_t *len);
/* Write s as a CSV field (quoted when needed) / a JSON string. */
void cpw_tool_csv_field(FILE *f, const char *s);
void cpw_tool_json_string(FILE *f, const char *s);
/* --lang: set the context's language for the texts the library writes (explanations,
 * diagrams, tables); a usage error (printed) when neither the library nor the policy has it. */
int cpw_tool_set_lang(cpw_ctx *ctx, const cpw_policy *pol, const char *cmd, const char *lang);
/* Input given by label (a spreadsheet in Georgian): the field whose label (in any language of
 * the policy) is `header`, or NULL; an enum value (or '|'/';'-separated set members) given by
 * label turned into names (into buf), or `value` itself. */
const char *cpw_tool_field_by_label(const cpw_policy *pol, const char *header);
const char *cpw_tool_value_by_label(const cpw_policy *pol, const char *field, const char *value,
                                    char *buf, size_t size);
/* Parse an option value that is a date. */
int cpw_tool_date(const char *s, cpw_date *out);

/* ---- CSV and JSON Lines readers (csv.c) ---- */

/* A streaming line reader: each call returns one logical line (a CSV record may span lines
 * inside quotes). Lines longer than the limit are an error, so memory stays bounded. */
typedef struct cpw_tool_reader {
  FILE *f;
  char *buf;
  size_t cap, len;
  long line;          /* the number of the first physical line of the last record */
  long next_line;
  int csv;            /* count quotes: a record continues while a quote is open */
  int started;        /* the byte order mark has been looked for */
  unsigned char pending[3];  /* bytes read while looking for it, to read again */
  int npending, next_pending;
  size_t limit;
} cpw_tool_reader;

void cpw_tool_reader_init(cpw_tool_reader *r, FILE *f, int csv, size_t limit);
void cpw_tool_reader_free(cpw_tool_reader *r);
/* 1: a record in r->buf (NUL-terminated, no line end); 0: end of input; -1: error (message in
 * err: too long, a quote not closed, read error). */
int cpw_tool_read_record(cpw_tool_reader *r, char *err, size_t errsize);

/* Split a CSV record in place into fields (quotes removed, "" unescaped). Returns the number of
 * fields or -1 (message in err) for malformed quoting. */
int cpw_tool_csv_split(char *record, char **fields, int max, char *err, size_t errsize);

/* Find a top-level key's scalar value in a JSON object text (a string without escapes, a
 * number, true/false): copies it to out and returns 1; 0 when absent or not a plain scalar. */
int cpw_tool_json_scalar(const char *json, const char *key, char *out, size_t size);

#endif
