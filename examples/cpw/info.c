/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/info.c: what a policy holds, for the people who write its input:
 * `cpw programs [ID...]`, `cpw fields`, `cpw show policy`. */
#include "cpw.h"

#include <stdlib.h>
#include <string.h>

/* Options common to the three commands: --policy FILE|DIR (repeatable) and names. Returns
 * CPW_EXIT_OK, or an exit status (help printed, bad option). */
static int parse(const char *cmd, int argc, char **argv, const char **files, size_t *nfiles,
                 const char **names, size_t *nnames, void (*usage)(FILE *))
{
  int i, m;
  *nfiles = *nnames = 0;
  for (i = 1; i < argc; i++) {
    const char *v;
    if (cpw_tool_is_help(argv[i])) {
      usage(stdout);
      return cpw_tool_finish(cmd, stdout, -1) == -1 ? -1 : CPW_EXIT_ERROR;
    } else if ((m = cpw_tool_opt(cmd, argc, argv, &i, "--policy", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (*nfiles == 64) {
        fprintf(stderr, "cpw %s: at most 64 --policy options (give a directory)\n", cmd);
        return CPW_EXIT_USAGE;
      }
      files[(*nfiles)++] = v;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "cpw %s: unknown option '%s' (see cpw %s --help)\n", cmd, argv[i], cmd);
      return CPW_EXIT_USAGE;
    } else if (*nnames < 64) {
      names[(*nnames)++] = argv[i];
    } else {
      fprintf(stderr, "cpw %s: too many arguments\n", cmd);
      return CPW_EXIT_USAGE;
    }
  }
  return CPW_EXIT_OK;
}

/* ------------------------------------------------------------------ programs */

static void programs_usage(FILE *f)
{
  fprintf(f, "usage: cpw programs [--policy FILE|DIR]... [ID...]\n\n"
             "List the programmes of the policy (the embedded Georgian one by default), or\n"
             "the ones named: id and title, the dates it is in force, the source it cites,\n"
             "the fields it reads with their types and allowed values (the columns a CSV\n"
             "for `cpw eval --program ID` needs), its services and benefits.\n\n"
             "The fields are the facts its rule needs and the bool, date, enum and set\n"
             "fields the conditions of its services and benefits read.\n"
             "Exit status: 0, 1 policy errors, 2 usage (an unknown programme), 3 error.\n");
}

static void print_list(const char *label, size_t n, const cpw_program *p,
                       const char *(*item)(const cpw_program *, size_t))
{
  size_t i;
  if (n == 0)
    return;
  printf("  %-10s", label);
  for (i = 0; i < n; i++)
    printf("%s%s", i ? ", " : "", item(p, i));
  putchar('\n');
}

static int print_program(cpw_ctx *ctx, const cpw_policy *pol, const cpw_program *p,
                         unsigned char *used)
{
  size_t i, nf = cpw_policy_field_count(pol), width = 0, n = 0;
  cpw_date from = cpw_program_from(p), until = cpw_program_until(p);
  char a[CPW_DATE_BUFSIZE + 40], b[CPW_DATE_BUFSIZE];
  int rc = cpw_tool_program_fields(ctx, pol, p, used);
  if (rc != CPW_OK)
    return cpw_tool_fail(ctx, rc, "finding the fields of a programme");
  printf("%s  %s\n", cpw_program_id(p), cpw_program_title(p));
  cpw_date_format(a, sizeof a, from);
  {
    /* a start whose day is not known is written as it is known ("2015") and says so */
    cpw_date s;
    int prec = cpw_rule_start(cpw_program_rule(p), &s);
    if (s == from && (prec == CPW_PRECISION_YEAR || prec == CPW_PRECISION_MONTH))
      strcpy(a + (prec == CPW_PRECISION_YEAR ? 4 : 7), " (the day is not known)");
  }
  cpw_date_format(b, sizeof b, until);
  if (from > CPW_DATE_MIN && until < CPW_DATE_MAX)
    printf("  %-10sfrom %s until %s\n", "in force:", a, b);
  else if (from > CPW_DATE_MIN)
    printf("  %-10sfrom %s\n", "in force:", a);
  else if (until < CPW_DATE_MAX)
    printf("  %-10suntil %s\n", "in force:", b);
  if (cpw_program_source(p)[0] != '\0')
    printf("  %-10s%s\n", "source:", cpw_program_source(p));
  for (i = 0; i < nf; i++)
    if (used[i] && strlen(cpw_policy_field_name(pol, i)) > width)
      width = strlen(cpw_policy_field_name(pol, i));
  for (i = 0; i < nf; i++) {
    if (!used[i])
      continue;
    printf(n++ ? "    %-*s  " : "  fields:\n    %-*s  ", (int)width, cpw_policy_field_name(pol, i));
    cpw_tool_print_type(stdout, pol, i);
    putchar('\n');
  }
  print_list("services:", cpw_program_service_count(p), p, cpw_program_service);
  print_list("benefits:", cpw_program_benefit_count(p), p, cpw_program_benefit);
  return CPW_EXIT_OK;
}

int cpw_cmd_programs(int argc, char **argv)
{
  const char *files[64], *names[64];
  size_t nfiles, nnames, i;
  cpw_ctx *ctx;
  cpw_policy *pol;
  unsigned char *used;
  int rc = parse("programs", argc, argv, files, &nfiles, names, &nnames, programs_usage);
  if (rc != CPW_EXIT_OK)
    return rc < 0 ? CPW_EXIT_OK : rc;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc != CPW_EXIT_OK) {
    cpw_ctx_free(ctx);
    return rc;
  }
  for (i = 0; i < nnames; i++)
    if (cpw_policy_program(pol, names[i]) == NULL) {
      size_t k;
      fprintf(stderr, "cpw programs: no programme '%s'; the policy has:", names[i]);
      for (k = 0; k < cpw_policy_program_count(pol); k++)
        fprintf(stderr, " %s", cpw_program_id(cpw_policy_program_at(pol, k)));
      fputc('\n', stderr);
      cpw_policy_free(pol);
      cpw_ctx_free(ctx);
      return CPW_EXIT_USAGE;
    }
  used = malloc(cpw_policy_field_count(pol) + 1);
  if (used == NULL) {
    rc = cpw_tool_fail(ctx, CPW_ENOMEM, "programs");
  } else if (nnames > 0) {
    for (i = 0; i < nnames && rc == CPW_EXIT_OK; i++) {
      if (i)
        putchar('\n');
      rc = print_program(ctx, pol, cpw_policy_program(pol, names[i]), used);
    }
  } else {
    for (i = 0; i < cpw_policy_program_count(pol) && rc == CPW_EXIT_OK; i++) {
      if (i)
        putchar('\n');
      rc = print_program(ctx, pol, cpw_policy_program_at(pol, i), used);
    }
  }
  free(used);
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return cpw_tool_finish("programs", stdout, rc);
}

/* ------------------------------------------------------------------ fields */

static void fields_usage(FILE *f)
{
  fprintf(f, "usage: cpw fields [--policy FILE|DIR]...\n\n"
             "List the fields a record may hold (the column names of `cpw eval`'s input):\n"
             "name, type (bool, int, money in GEL, date YYYY-MM-DD, datetime with an offset,\n"
             "text, enum, set) and description, with the values of an enum or set.\n"
             "`cpw programs` shows which fields each programme reads.\n"
             "Exit status: 0, 1 policy errors, 2 usage, 3 error.\n");
}

int cpw_cmd_fields(int argc, char **argv)
{
  const char *files[64], *names[64];
  size_t nfiles, nnames, i, width = 0;
  cpw_ctx *ctx;
  cpw_policy *pol;
  int rc = parse("fields", argc, argv, files, &nfiles, names, &nnames, fields_usage);
  if (rc != CPW_EXIT_OK)
    return rc < 0 ? CPW_EXIT_OK : rc;
  if (nnames > 0) {
    fprintf(stderr, "cpw fields: unexpected '%s' (see cpw fields --help)\n", names[0]);
    return CPW_EXIT_USAGE;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
  if (rc != CPW_EXIT_OK) {
    cpw_ctx_free(ctx);
    return rc;
  }
  for (i = 0; i < cpw_policy_field_count(pol); i++)
    if (strlen(cpw_policy_field_name(pol, i)) > width)
      width = strlen(cpw_policy_field_name(pol, i));
  for (i = 0; i < cpw_policy_field_count(pol); i++) {
    int t = cpw_policy_field_type(pol, i);
    const char *desc = cpw_policy_field_description(pol, i);
    printf("%-*s  %-8s  %s", (int)width, cpw_policy_field_name(pol, i), cpw_type_name(t), desc);
    if (t == CPW_TYPE_ENUM || t == CPW_TYPE_SET) {
      fputs(desc[0] != '\0' ? ": " : "", stdout);
      cpw_tool_print_values(stdout, pol, i);
    }
    putchar('\n');
  }
  cpw_policy_free(pol);
  cpw_ctx_free(ctx);
  return cpw_tool_finish("fields", stdout, CPW_EXIT_OK);
}

/* ------------------------------------------------------------------ show policy */

static void show_usage(FILE *f)
{
  fprintf(f, "usage: cpw show policy [--policy FILE|DIR]...\n\n"
             "Print the source text of the policy: the files embedded in the library (the\n"
             "Georgian policy every command uses by default), or the files given, each after\n"
             "a line '# ---- NAME'. Save them to edit a copy, then use --policy.\n"
             "Exit status: 0, 2 usage, 3 error.\n");
}

int cpw_cmd_show(int argc, char **argv)
{
  const char *files[64], *names[64];
  size_t nfiles, nnames, i, n;
  char **srcnames, **texts;
  int rc = parse("show", argc, argv, files, &nfiles, names, &nnames, show_usage);
  if (rc != CPW_EXIT_OK)
    return rc < 0 ? CPW_EXIT_OK : rc;
  if (nnames != 1 || strcmp(names[0], "policy") != 0) {
    fprintf(stderr, "cpw show: what to show: policy (see cpw show --help)\n");
    return CPW_EXIT_USAGE;
  }
  rc = cpw_tool_policy_sources(files, nfiles, &srcnames, &texts, &n);
  if (rc != CPW_EXIT_OK)
    return rc;
  for (i = 0; i < n; i++) {
    size_t len = strlen(texts[i]);
    printf("%s# ---- %s\n", i ? "\n" : "", srcnames[i]);
    fwrite(texts[i], 1, len, stdout);
    if (len > 0 && texts[i][len - 1] != '\n')
      putchar('\n');
  }
  cpw_tool_free_sources(srcnames, texts, n);
  return cpw_tool_finish("show", stdout, CPW_EXIT_OK);
}
