/* examples/cpw/journal.c: `cpw journal verify|replay|export FILE`. */
#include "cpw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw journal verify FILE\n"
             "       cpw journal replay [--policy FILE|DIR]... FILE\n"
             "       cpw journal export [--policy FILE|DIR]... [--salvage] FILE\n\n"
             "verify  check the header, every checksum and the whole hash chain, and print the\n"
             "        head hash (compare it with a copy kept elsewhere). Nothing is changed.\n"
             "        A journal whose last commit was cut off (a crash, a copy made while a\n"
             "        writer was committing) is reported with exit status 1: the bytes after\n"
             "        the last complete commit are not part of it, and a writer opening the\n"
             "        file cuts them.\n"
             "replay  rebuild the cases and placements with the policy (the embedded one by\n"
             "        default; it must be the policy the journal was written under) and print\n"
             "        a summary: cases by workflow and state, placements, deadlines due.\n"
             "export  print every committed entry as JSON Lines: seq, kind, when (\"at\", a\n"
             "        time with the policy's UTC offset; a placement entry has \"date\"\n"
             "        instead, null for a child's or a facility's registration), actor, role,\n"
             "        subject, name and fields (booleans and numbers as JSON ones, by the\n"
             "        policy's field types). --salvage: when the journal is damaged, export\n"
             "        the entries committed before the damage, then a last line\n"
             "        {\"salvage\":\"stopped\",\"offset\":...,\"entries\":...,\"error\":...}\n"
             "        (exit status 1).\n"
             "Exit status: 0 ok, 1 the journal is damaged, cut short, or cannot be replayed,\n"
             "2 usage, 3 I/O error (output that cannot be written included).\n");
}

static const char *kind_name(int kind)
{
  switch (kind) {
  case CPW_JOURNAL_CASE_OPEN: return "case_open";
  case CPW_JOURNAL_CASE_EVENT: return "case_event";
  case CPW_JOURNAL_PLACEMENT: return "placement";
  case CPW_JOURNAL_ANNOTATION: return "annotation";
  default: return "unknown";
  }
}

typedef struct exporter {
  const cpw_policy *pol;
  int tz;
  unsigned long long entries;
} exporter;

/* digits with an optional sign: a JSON number as it is */
static int is_integer(const char *s)
{
  if (*s == '-')
    s++;
  if (*s < '0' || *s > '9' || (*s == '0' && s[1] != '\0'))
    return 0;
  while (*s >= '0' && *s <= '9')
    s++;
  return *s == '\0';
}

/* The type of a case entry's field: from the entry's workflow (an opening names it), else
 * from any workflow of the policy that declares the field; 0 when none does. */
static int case_field_type(const cpw_policy *pol, const cpw_journal_entry *e, const char *field)
{
  size_t w, f;
  const cpw_workflow *own =
    e->kind == CPW_JOURNAL_CASE_OPEN ? cpw_policy_workflow(pol, e->name) : NULL;
  for (w = 0; w < cpw_policy_workflow_count(pol) + 1; w++) {
    const cpw_workflow *wf = w == 0 ? own : cpw_policy_workflow_at(pol, w - 1);
    if (wf == NULL)
      continue;
    for (f = 0; f < cpw_workflow_field_count(wf); f++)
      if (strcmp(cpw_workflow_field(wf, f), field) == 0)
        return cpw_workflow_field_type(wf, f);
  }
  return 0;
}

static void field_value(const exporter *x, const cpw_journal_entry *e, const char *field,
                         const char *value)
{
  int type = 0;
  if (value == NULL) {
    fputs("null", stdout);
    return;
  }
  if (e->kind == CPW_JOURNAL_PLACEMENT) {
    static const char *const bools[] = { "emergency", "keep_siblings_together", "existing" };
    static const char *const ints[] = { "capacity", "min_age", "max_age" };
    size_t i;
    for (i = 0; i < 3; i++) {
      if (strcmp(field, bools[i]) == 0)
        type = CPW_TYPE_BOOL;
      if (strcmp(field, ints[i]) == 0) {
        if (strcmp(value, "-1") == 0) { /* no limit */
          fputs("null", stdout);
          return;
        }
        type = CPW_TYPE_INT;
      }
    }
  } else if (e->kind != CPW_JOURNAL_ANNOTATION) {
    type = case_field_type(x->pol, e, field);
  }
  if (type == CPW_TYPE_BOOL && (strcmp(value, "true") == 0 || strcmp(value, "false") == 0))
    fputs(value, stdout);
  else if (type == CPW_TYPE_INT && is_integer(value))
    fputs(value, stdout);
  else
    cpw_tool_json_string(stdout, value);
}

static int export_one(const cpw_journal_entry *e, void *payload)
{
  exporter *x = payload;
  size_t i;
  int first;
  printf("{\"seq\":%llu,\"kind\":\"%s\",", (unsigned long long)e->seq, kind_name(e->kind));
  if (e->kind == CPW_JOURNAL_PLACEMENT) {
    /* placements happen on a day: the date, not the midnight it is stored as */
    const char *date = NULL;
    for (i = 0; i < e->nfields; i++)
      if (strcmp(e->fields[i].field, "date") == 0)
        date = e->fields[i].value;
    fputs("\"date\":", stdout);
    if (date != NULL && date[0] != '\0')
      cpw_tool_json_string(stdout, date);
    else
      fputs("null", stdout);
  } else {
    char t[CPW_TIME_BUFSIZE];
    if (cpw_time_format(t, sizeof t, e->at, x->tz) != CPW_OK)
      cpw_time_format(t, sizeof t, e->at, 0);
    printf("\"at\":\"%s\"", t);
  }
  fputs(",\"actor\":", stdout);
  cpw_tool_json_string(stdout, e->actor);
  fputs(",\"role\":", stdout);
  cpw_tool_json_string(stdout, e->role);
  fputs(",\"subject\":", stdout);
  cpw_tool_json_string(stdout, e->subject);
  fputs(",\"name\":", stdout);
  cpw_tool_json_string(stdout, e->name);
  fputs(",\"fields\":{", stdout);
  for (i = 0, first = 1; i < e->nfields; i++) {
    if (e->kind == CPW_JOURNAL_PLACEMENT && strcmp(e->fields[i].field, "date") == 0)
      continue; /* given above */
    if (!first)
      fputc(',', stdout);
    first = 0;
    cpw_tool_json_string(stdout, e->fields[i].field);
    fputc(':', stdout);
    field_value(x, e, e->fields[i].field, e->fields[i].value);
  }
  fputs("}}\n", stdout);
  x->entries++;
  return ferror(stdout) ? 1 : 0;
}

static int status_of(int rc)
{
  return rc == CPW_ECORRUPT || rc == CPW_EVERSION || rc == CPW_EINVALID ? CPW_EXIT_FAILURE
                                                                        : CPW_EXIT_ERROR;
}

/* Copy the first `len` bytes of `path` to a new temporary file; its name in out. */
static int copy_prefix(const char *path, int64_t len, char *out, size_t size)
{
  const char *tmp = getenv("TMPDIR");
  char buf[65536];
  FILE *in, *o;
  int fd;
  snprintf(out, size, "%s/cpw-salvage-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
  fd = mkstemp(out);
  if (fd < 0)
    return -1;
  o = fdopen(fd, "wb");
  in = fopen(path, "rb");
  if (o == NULL || in == NULL) {
    if (o != NULL)
      fclose(o);
    else
      close(fd);
    if (in != NULL)
      fclose(in);
    unlink(out);
    return -1;
  }
  while (len > 0) {
    size_t want = len < (int64_t)sizeof buf ? (size_t)len : sizeof buf;
    size_t got = fread(buf, 1, want, in);
    if (got == 0 || fwrite(buf, 1, got, o) != got)
      break;
    len -= (int64_t)got;
  }
  fclose(in);
  if (fclose(o) != 0 || len > 0) {
    unlink(out);
    return -1;
  }
  return 0;
}

static int cmd_export(cpw_ctx *ctx, const cpw_policy *pol, const char *path, int salvage)
{
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  exporter x;
  int r;
  x.pol = pol;
  x.tz = cpw_policy_timezone(pol);
  x.entries = 0;
  o.flags = CPW_JOURNAL_READONLY;
  r = cpw_journal_open(&j, ctx, path, pol, &o);
  if (r == CPW_OK) {
    const cpw_journal_recovery *info = cpw_journal_recovery_info(j);
    r = cpw_journal_foreach(j, ctx, export_one, &x);
    if (r == CPW_OK && info->truncated_bytes > 0)
      fprintf(stderr, "cpw journal export: %s: the last commit is incomplete (%lld bytes at "
                      "offset %lld): not exported\n", path, (long long)info->truncated_bytes,
              (long long)info->truncated_at);
    cpw_journal_close(j);
  } else if (r == CPW_ECORRUPT && salvage && cpw_ctx_last_error(ctx)->offset > 0) {
    /* what is before the damage is a journal of its own: export it, then say where it ends */
    char error[512], copy[600];
    int64_t offset = cpw_ctx_last_error(ctx)->offset;
    snprintf(error, sizeof error, "%s", cpw_ctx_last_error(ctx)->message);
    if (copy_prefix(path, offset, copy, sizeof copy) != 0) {
      fprintf(stderr, "cpw journal export: cannot copy the readable part of %s: %s\n", path,
              strerror(errno));
      return CPW_EXIT_ERROR;
    }
    r = cpw_journal_open(&j, ctx, copy, pol, &o);
    if (r == CPW_OK) {
      r = cpw_journal_foreach(j, ctx, export_one, &x);
      cpw_journal_close(j);
    }
    unlink(copy);
    if (r == CPW_OK || r == CPW_ECORRUPT) {
      printf("{\"salvage\":\"stopped\",\"offset\":%lld,\"entries\":%llu,\"error\":",
             (long long)offset, x.entries);
      cpw_tool_json_string(stdout, error);
      fputs("}\n", stdout);
      fprintf(stderr, "cpw journal export: %s: %s; the %llu entries committed before offset "
                      "%lld were exported\n", path, error, x.entries, (long long)offset);
      return cpw_tool_finish("journal export", stdout, CPW_EXIT_FAILURE);
    }
  }
  if (r == CPW_EUSER && ferror(stdout))
    return cpw_tool_finish("journal export", stdout, CPW_EXIT_OK);
  if (r != CPW_OK) {
    cpw_tool_fail(ctx, r, "export");
    if (r == CPW_ECORRUPT && !salvage)
      fprintf(stderr, "cpw journal export: --salvage exports the entries before the damage\n");
    return status_of(r);
  }
  return cpw_tool_finish("journal export", stdout, CPW_EXIT_OK);
}

static int cmd_replay(cpw_ctx *ctx, const cpw_policy *pol, const char *path)
{
  cpw_journal *j = NULL;
  cpw_caseload *cl = NULL;
  cpw_registry *reg = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  int r, rc;
  o.flags = CPW_JOURNAL_READONLY;
  r = cpw_journal_open(&j, ctx, path, pol, &o);
  if (r == CPW_OK)
    r = cpw_caseload_new(&cl, ctx, pol);
  if (r == CPW_OK)
    r = cpw_journal_replay(j, cl);
  if (r == CPW_OK && cpw_policy_setting_count(pol) > 0) {
    r = cpw_registry_new(&reg, ctx, pol);
    if (r == CPW_OK)
      r = cpw_journal_replay_registry(j, reg);
  }
  if (r != CPW_OK) {
    cpw_tool_fail(ctx, r, "replay");
    rc = status_of(r);
  } else {
    size_t w, s;
    printf("%s: %llu entries replayed with policy %s (%.16s...)\n", path,
           (unsigned long long)cpw_journal_recovery_info(j)->entries, cpw_policy_name(pol),
           cpw_policy_hash(pol));
    printf("cases: %zu\n", cpw_caseload_case_count(cl));
    for (w = 0; w < cpw_policy_workflow_count(pol); w++) {
      const cpw_workflow *wf = cpw_policy_workflow_at(pol, w);
      for (s = 0; s < cpw_workflow_state_count(wf); s++) {
        int64_t n = cpw_caseload_count(cl, cpw_workflow_name(wf), cpw_workflow_state(wf, s));
        if (n > 0)
          printf("  %-20s %-16s %8lld\n", cpw_workflow_name(wf), cpw_workflow_state(wf, s),
                 (long long)n);
      }
    }
    if (reg != NULL)
      printf("placement episodes: %zu\n", cpw_registry_episode_count(reg));
    {
      cpw_time last = 0;
      size_t k;
      for (k = 0; k < cpw_caseload_case_count(cl); k++) {
        cpw_time t = cpw_case_last_time(cpw_caseload_case_at(cl, k));
        if (t > last)
          last = t;
      }
      if (cpw_caseload_case_count(cl) > 0) {
        char ts[CPW_TIME_BUFSIZE];
        cpw_time_format(ts, sizeof ts, last, cpw_policy_timezone(pol));
        printf("deadlines overdue at the last event (%s): %zu\n", ts,
               cpw_caseload_overdue(cl, last, NULL, 0));
      }
    }
    rc = cpw_tool_finish("journal replay", stdout, CPW_EXIT_OK);
  }
  cpw_registry_free(reg);
  cpw_caseload_free(cl);
  cpw_journal_close(j);
  return rc;
}

static int cmd_verify(cpw_ctx *ctx, const char *path)
{
  cpw_journal_recovery info;
  int r = cpw_journal_verify(ctx, path, &info);
  if (r != CPW_OK) {
    cpw_tool_fail(ctx, r, "verify");
    return status_of(r);
  }
  if (info.truncated_bytes > 0) {
    /* a cut-off commit is not "ok": a writer would remove it (the bytes may hold whole
     * entries of a commit that was acknowledged before the file was damaged or copied) */
    printf("%s: the last commit is incomplete: %lld bytes at offset %lld follow the last "
           "complete commit; they are not part of the journal, and a writer opening it will "
           "cut them\n%s: %llu entries in %llu complete commits verify, %llu bytes\n"
           "head %s (the last complete commit)\n", path, (long long)info.truncated_bytes,
           (long long)info.truncated_at, path, (unsigned long long)info.entries,
           (unsigned long long)info.commits, (unsigned long long)info.file_bytes,
           info.head_hash);
    return cpw_tool_finish("journal verify", stdout, CPW_EXIT_FAILURE);
  }
  printf("%s: ok: %llu entries in %llu commits, %llu bytes\nhead %s\n", path,
         (unsigned long long)info.entries, (unsigned long long)info.commits,
         (unsigned long long)info.file_bytes, info.head_hash);
  return cpw_tool_finish("journal verify", stdout, CPW_EXIT_OK);
}

int cpw_cmd_journal(int argc, char **argv)
{
  const char *files[64], *path = NULL, *sub;
  size_t nfiles = 0;
  int i, rc = CPW_EXIT_OK, salvage = 0, m;
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : cpw_tool_finish("journal", stdout, CPW_EXIT_OK);
  }
  sub = argv[1];
  if (strcmp(sub, "verify") != 0 && strcmp(sub, "replay") != 0 && strcmp(sub, "export") != 0) {
    fprintf(stderr, "cpw journal: unknown subcommand '%s' (verify, replay, export)\n", sub);
    return CPW_EXIT_USAGE;
  }
  for (i = 2; i < argc; i++) {
    const char *v;
    if (cpw_tool_is_help(argv[i])) {
      usage(stdout);
      return cpw_tool_finish("journal", stdout, CPW_EXIT_OK);
    } else if (strcmp(sub, "verify") != 0 &&
               (m = cpw_tool_opt("journal", argc, argv, &i, "--policy", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      if (nfiles == 64) {
        fprintf(stderr, "cpw journal: at most 64 --policy options (give a directory)\n");
        return CPW_EXIT_USAGE;
      }
      files[nfiles++] = v;
    } else if (strcmp(sub, "export") == 0 && strcmp(argv[i], "--salvage") == 0) {
      salvage = 1;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "cpw journal %s: unknown option '%s'\n", sub, argv[i]);
      return CPW_EXIT_USAGE;
    } else if (path == NULL) {
      path = argv[i];
    } else {
      fprintf(stderr, "cpw journal: one file at a time\n");
      return CPW_EXIT_USAGE;
    }
  }
  if (path == NULL) {
    fprintf(stderr, "cpw journal %s: FILE is required (see cpw journal --help)\n", sub);
    return CPW_EXIT_USAGE;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  if (strcmp(sub, "verify") == 0) {
    rc = cmd_verify(ctx, path);
  } else {
    /* export reads the policy for its time zone and field types only */
    rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
    if (rc == CPW_EXIT_OK)
      rc = strcmp(sub, "export") == 0 ? cmd_export(ctx, pol, path, salvage)
                                      : cmd_replay(ctx, pol, path);
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
  return rc;
}
