/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/journal.c: `cpw journal verify|replay|export FILE`. */
#include "cpw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw journal verify FILE\n"
             "       cpw journal replay [--policy FILE|DIR]... [--allow-policy-change] FILE\n"
             "       cpw journal export [--policy FILE|DIR]... [--salvage] [--lang en|ka] FILE\n"
             "       cpw journal repair [--aside PATH] FILE\n\n"
             "verify  check the header, every checksum and the whole hash chain, and print the\n"
             "        head hash (compare it with a copy kept elsewhere). Nothing is changed.\n"
             "        Exit status 1 whenever bytes would be cut: a last commit cut off (a\n"
             "        crash, a copy made while a writer was committing: never acknowledged;\n"
             "        a writer opening the file cuts it; the complete entries it holds are\n"
             "        counted) or damage (a writer refuses the file; see repair).\n"
             "replay  rebuild the cases and placements with the policy (the embedded one by\n"
             "        default; it must be the policy the journal was written under) and print\n"
             "        a summary: cases by workflow and state, placements, deadlines due.\n"
             "        Another policy than the journal's is refused (its rules would judge the\n"
             "        entries) unless --allow-policy-change, and then the output says so.\n"
             "export  print every committed entry as JSON Lines: seq, kind, when (\"at\", a\n"
             "        time with the policy's UTC offset; a placement entry has \"date\"\n"
             "        instead, null for a child's or a facility's registration), actor, role,\n"
             "        subject, name and fields (booleans and numbers as JSON ones, by the\n"
             "        policy's field types). --salvage: when the journal is damaged, export\n"
             "        the entries committed before the damage, then a last line\n"
             "        {\"salvage\":\"stopped\",\"offset\":...,\"entries\":...,\"error\":...}\n"
             "        (exit status 1). --lang en|ka: each entry also has \"text\": its time,\n"
             "        event (or action) and role in that language, by the policy's labels.\n"
             "repair  cut a damaged journal at the end of the last valid commit before the\n"
             "        damage, after writing the removed bytes to PATH (default FILE.removed; it\n"
             "        must not exist). Entries committed after the damage are among those\n"
             "        bytes: kept there, not lost. Says what it removed.\n"
             "Exit status: 0 ok, 1 the journal is damaged, cut short, or cannot be replayed,\n"
             "2 usage, 3 I/O error (output that cannot be written included).\n");
}

typedef struct exporter {
  const cpw_policy *pol;
  int tz;
  unsigned long long entries;
  const char *lang;        /* --lang: the language of the "text" member, or NULL */
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

/* the label of an event name: of the first workflow that has the event, else the name */
static const char *event_label(const exporter *x, const char *name)
{
  size_t w;
  char key[512];
  for (w = 0; w < cpw_policy_workflow_count(x->pol); w++) {
    const cpw_workflow *wf = cpw_policy_workflow_at(x->pol, w);
    const char *l;
    if (cpw_workflow_event_index(wf, name) < 0)
      continue;
    snprintf(key, sizeof key, "%s.%s", cpw_workflow_name(wf), name);
    l = cpw_policy_label(x->pol, x->lang, "event", key);
    return l != NULL ? l : name;
  }
  return name;
}

static void export_text(const cpw_journal_entry *e, const exporter *x)
{
  char t[128];
  const char *role = e->role != NULL ? cpw_policy_label(x->pol, x->lang, "role", e->role) : NULL;
  cpw_time_format_lang(t, sizeof t, e->at, cpw_policy_timezone(x->pol), x->lang);
  fputs(",\"text\":{\"at\":", stdout);
  cpw_tool_json_string(stdout, t);
  fputs(",\"name\":", stdout);
  cpw_tool_json_string(stdout, e->name != NULL ? event_label(x, e->name) : "");
  fputs(",\"role\":", stdout);
  cpw_tool_json_string(stdout, role != NULL ? role : e->role != NULL ? e->role : "");
  fputc('}', stdout);
}

static int export_one(const cpw_journal_entry *e, void *payload)
{
  exporter *x = payload;
  size_t i;
  int first;
  printf("{\"seq\":%llu,\"kind\":\"%s\",", (unsigned long long)e->seq, cpw_journal_kind_name(e->kind));
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
  fputc('}', stdout);
  if (x->lang != NULL)
    export_text(e, x);
  fputs("}\n", stdout);
  x->entries++;
  return ferror(stdout) ? 1 : 0;
}

static int status_of(int rc)
{
  return rc == CPW_ECORRUPT || rc == CPW_EVERSION || rc == CPW_EINVALID ? CPW_EXIT_FAILURE
                                                                        : CPW_EXIT_ERROR;
}


static int cmd_export(cpw_ctx *ctx, const cpw_policy *pol, const char *path, int salvage,
                      const char *lang)
{
  cpw_journal *j;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  exporter x;
  int r;
  x.pol = pol;
  x.tz = cpw_policy_timezone(pol);
  x.entries = 0;
  x.lang = lang;
  /* the policy gives time zone and field types only: another one is no harm here */
  o.flags = CPW_JOURNAL_READONLY | CPW_JOURNAL_ALLOW_POLICY_CHANGE |
            (salvage ? CPW_JOURNAL_SALVAGE : 0u);
  r = cpw_journal_open(&j, ctx, path, pol, &o);
  if (r == CPW_OK) {
    const cpw_journal_recovery *info = cpw_journal_recovery_info(j);
    int64_t cut_at = info->truncated_at, cut = info->truncated_bytes;
    r = cpw_journal_foreach(j, ctx, export_one, &x);
    cpw_journal_close(j);
    if (r == CPW_OK && cut > 0) {
      /* what stops the export: damage (salvaged), or a last commit cut off */
      cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
      int cr = cpw_journal_check(ctx, path, &st);
      if (cr == CPW_ECORRUPT && st.damaged) {
        printf("{\"salvage\":\"stopped\",\"offset\":%lld,\"entries\":%llu,\"error\":",
               (long long)st.damaged_at, x.entries);
        cpw_tool_json_string(stdout, cpw_ctx_last_error(ctx)->message);
        fputs("}\n", stdout);
        fprintf(stderr, "cpw journal export: %s: %s; the %llu entries committed before offset "
                        "%lld were exported\n", path, cpw_ctx_last_error(ctx)->message,
                x.entries, (long long)cut_at);
        return cpw_tool_finish("journal export", stdout, CPW_EXIT_FAILURE);
      }
      fprintf(stderr, "cpw journal export: %s: the last commit is incomplete (%lld bytes at "
                      "offset %lld): not exported\n", path, (long long)cut, (long long)cut_at);
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

static int cmd_replay(cpw_ctx *ctx, const cpw_policy *pol, const char *path, int allow_change)
{
  cpw_journal *j = NULL;
  cpw_caseload *cl = NULL;
  cpw_registry *reg = NULL;
  cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
  int r, rc;
  o.flags = CPW_JOURNAL_READONLY | (allow_change ? CPW_JOURNAL_ALLOW_POLICY_CHANGE : 0u);
  r = cpw_journal_open(&j, ctx, path, pol, &o);
  if (r == CPW_OK && strcmp(cpw_journal_policy_hash(j), cpw_policy_hash(pol)) != 0)
    printf("%s: WARNING: replayed under policy %s (%.16s...), not the journal's own policy "
           "(%.16s...): deadlines, guards and gatekeeping follow the other policy's rules\n",
           path, cpw_policy_name(pol), cpw_policy_hash(pol), cpw_journal_policy_hash(j));
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
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  int r = cpw_journal_check(ctx, path, &st);
  if (r == CPW_ECORRUPT && st.damaged && st.damaged_at > 0) {
    cpw_tool_fail(ctx, r, "verify");
    fprintf(stderr, "%s: the %llu entries in %llu commits before the damage are intact; a "
            "repair (cpw journal repair) would cut the %lld bytes from offset %lld and keep "
            "them aside\n", path, (unsigned long long)st.rec.entries,
            (unsigned long long)st.rec.commits, (long long)st.rec.truncated_bytes,
            (long long)st.rec.truncated_at);
    return CPW_EXIT_FAILURE;
  }
  if (r != CPW_OK) {
    cpw_tool_fail(ctx, r, "verify");
    return status_of(r);
  }
  if (st.rec.truncated_bytes > 0) {
    /* a cut-off commit is not "ok": a writer would remove it */
    printf("%s: the last commit is incomplete: %lld bytes at offset %lld follow the last "
           "complete commit, holding %llu complete entries that were never acknowledged; they "
           "are not part of the journal, and a writer opening it will cut them\n"
           "%s: %llu entries in %llu complete commits verify, %llu bytes\n"
           "head %s (the last complete commit)\n", path, (long long)st.rec.truncated_bytes,
           (long long)st.rec.truncated_at, (unsigned long long)st.tail_entries, path,
           (unsigned long long)st.rec.entries, (unsigned long long)st.rec.commits,
           (unsigned long long)st.rec.file_bytes, st.rec.head_hash);
    return cpw_tool_finish("journal verify", stdout, CPW_EXIT_FAILURE);
  }
  printf("%s: ok: %llu entries in %llu commits, %llu bytes\nhead %s\n", path,
         (unsigned long long)st.rec.entries, (unsigned long long)st.rec.commits,
         (unsigned long long)st.rec.file_bytes, st.rec.head_hash);
  return cpw_tool_finish("journal verify", stdout, CPW_EXIT_OK);
}

static int cmd_repair(cpw_ctx *ctx, const char *path, const char *aside)
{
  cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
  char def[4096];
  int r;
  if (aside == NULL) {
    if ((size_t)snprintf(def, sizeof def, "%s.removed", path) >= sizeof def) {
      fprintf(stderr, "cpw journal repair: the path is too long; name the file with --aside\n");
      return CPW_EXIT_USAGE;
    }
    aside = def;
  }
  r = cpw_journal_repair(ctx, path, aside, &st);
  if (r != CPW_OK) {
    cpw_tool_fail(ctx, r, "repair");
    return status_of(r);
  }
  if (st.rec.truncated_bytes == 0)
    printf("%s: nothing to repair: %llu entries in %llu commits, head %s\n", path,
           (unsigned long long)st.rec.entries, (unsigned long long)st.rec.commits,
           st.rec.head_hash);
  else
    printf("%s: %s at offset %lld: removed %lld bytes (written to %s); kept %llu entries in "
           "%llu commits, %llu bytes\nhead %s\n", path,
           st.damaged ? "damaged" : "an unfinished commit",
           (long long)(st.damaged ? st.damaged_at : st.rec.truncated_at),
           (long long)st.rec.truncated_bytes, aside, (unsigned long long)st.rec.entries,
           (unsigned long long)st.rec.commits, (unsigned long long)st.rec.file_bytes,
           st.rec.head_hash);
  return cpw_tool_finish("journal repair", stdout, CPW_EXIT_OK);
}

int cpw_cmd_journal(int argc, char **argv)
{
  const char *files[64], *path = NULL, *sub, *aside = NULL, *lang = NULL;
  size_t nfiles = 0;
  int i, rc = CPW_EXIT_OK, salvage = 0, allow_change = 0, m;
  cpw_ctx *ctx;
  cpw_policy *pol = NULL;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : cpw_tool_finish("journal", stdout, CPW_EXIT_OK);
  }
  sub = argv[1];
  if (strcmp(sub, "verify") != 0 && strcmp(sub, "replay") != 0 && strcmp(sub, "export") != 0 &&
      strcmp(sub, "repair") != 0) {
    fprintf(stderr, "cpw journal: unknown subcommand '%s' (verify, replay, export, repair)\n",
            sub);
    return CPW_EXIT_USAGE;
  }
  for (i = 2; i < argc; i++) {
    const char *v;
    if (cpw_tool_is_help(argv[i])) {
      usage(stdout);
      return cpw_tool_finish("journal", stdout, CPW_EXIT_OK);
    } else if (strcmp(sub, "repair") == 0 &&
               (m = cpw_tool_opt("journal", argc, argv, &i, "--aside", &v)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
      aside = v;
    } else if (strcmp(sub, "replay") == 0 && strcmp(argv[i], "--allow-policy-change") == 0) {
      allow_change = 1;
    } else if (strcmp(sub, "verify") != 0 && strcmp(sub, "repair") != 0 &&
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
    } else if (strcmp(sub, "export") == 0 &&
               (m = cpw_tool_opt("journal", argc, argv, &i, "--lang", &lang)) != 0) {
      if (m < 0)
        return CPW_EXIT_USAGE;
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
  } else if (strcmp(sub, "repair") == 0) {
    rc = cmd_repair(ctx, path, aside);
  } else {
    /* export reads the policy for its time zone and field types only */
    rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
    if (rc == CPW_EXIT_OK && lang != NULL)
      rc = cpw_tool_set_lang(ctx, pol, "journal export", lang);
    if (rc == CPW_EXIT_OK)
      rc = strcmp(sub, "export") == 0 ? cmd_export(ctx, pol, path, salvage, lang)
                                      : cmd_replay(ctx, pol, path, allow_change);
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
  return rc;
}
