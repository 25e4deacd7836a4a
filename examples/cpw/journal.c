/* examples/cpw/journal.c: `cpw journal verify|replay|export FILE`. */
#include "cpw.h"

#include <string.h>

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw journal verify FILE\n"
             "       cpw journal replay [--policy FILE]... FILE\n"
             "       cpw journal export [--lang en|ka [--policy FILE]...] FILE\n\n"
             "verify  check the header, every checksum and the whole hash chain, and print the\n"
             "        head hash (compare it with a copy kept elsewhere). Nothing is changed.\n"
             "replay  rebuild the cases and placements with the policy (the embedded one by\n"
             "        default; it must be the policy the journal was written under) and print\n"
             "        a summary: cases by workflow and state, placements, deadlines due.\n"
             "export  print every committed entry as JSON Lines; with --lang, each also has\n"
             "        \"text\": its time, event (or action) and role in that language, by the\n"
             "        policy's labels (the embedded policy by default).\n"
             "Exit status: 0 ok, 1 the journal is damaged or cannot be replayed, 2 usage,\n"
             "3 I/O error.\n");
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

/* --lang: the policy whose labels name things, and the language */
typedef struct export_lang {
  const cpw_policy *pol;
  const char *lang;
} export_lang;

/* the label of an event name: of the first workflow that has the event, else the name */
static const char *event_label(const export_lang *x, const char *name)
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

static void export_text(const cpw_journal_entry *e, const export_lang *x)
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
  char t[CPW_TIME_BUFSIZE];
  size_t i;
  const export_lang *x = payload;
  cpw_time_format(t, sizeof t, e->at, 0);
  printf("{\"seq\":%llu,\"kind\":\"%s\",\"at\":\"%s\",\"actor\":", (unsigned long long)e->seq,
         kind_name(e->kind), t);
  cpw_tool_json_string(stdout, e->actor);
  fputs(",\"role\":", stdout);
  cpw_tool_json_string(stdout, e->role);
  fputs(",\"subject\":", stdout);
  cpw_tool_json_string(stdout, e->subject);
  fputs(",\"name\":", stdout);
  cpw_tool_json_string(stdout, e->name);
  fputs(",\"fields\":{", stdout);
  for (i = 0; i < e->nfields; i++) {
    if (i)
      fputc(',', stdout);
    cpw_tool_json_string(stdout, e->fields[i].field);
    fputc(':', stdout);
    if (e->fields[i].value == NULL)
      fputs("null", stdout);
    else
      cpw_tool_json_string(stdout, e->fields[i].value);
  }
  fputc('}', stdout);
  if (x != NULL)
    export_text(e, x);
  fputs("}\n", stdout);
  return ferror(stdout) ? 1 : 0;
}

static int status_of(int rc)
{
  return rc == CPW_ECORRUPT || rc == CPW_EVERSION || rc == CPW_EINVALID ? CPW_EXIT_FAILURE
                                                                        : CPW_EXIT_ERROR;
}

int cpw_cmd_journal(int argc, char **argv)
{
  const char *files[64], *path = NULL, *sub, *lang = NULL;
  size_t nfiles = 0;
  int i, rc = CPW_EXIT_OK;
  cpw_ctx *ctx;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : CPW_EXIT_OK;
  }
  sub = argv[1];
  if (strcmp(sub, "verify") != 0 && strcmp(sub, "replay") != 0 && strcmp(sub, "export") != 0) {
    fprintf(stderr, "cpw journal: unknown subcommand '%s' (verify, replay, export)\n", sub);
    return CPW_EXIT_USAGE;
  }
  for (i = 2; i < argc; i++) {
    if (cpw_tool_is_help(argv[i])) {
      usage(stdout);
      return CPW_EXIT_OK;
    } else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc && nfiles < 64) {
      files[nfiles++] = argv[++i];
    } else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc && strcmp(sub, "export") == 0) {
      lang = argv[++i];
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "cpw journal: unknown option '%s'\n", argv[i]);
      return CPW_EXIT_USAGE;
    } else if (path == NULL) {
      path = argv[i];
    } else {
      fprintf(stderr, "cpw journal: one file at a time\n");
      return CPW_EXIT_USAGE;
    }
  }
  if (path == NULL) {
    usage(stderr);
    return CPW_EXIT_USAGE;
  }
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return CPW_EXIT_ERROR;
  if (strcmp(sub, "verify") == 0) {
    cpw_journal_recovery info;
    int r = cpw_journal_verify(ctx, path, &info);
    if (r != CPW_OK) {
      cpw_tool_fail(ctx, r, "verify");
      rc = status_of(r);
    } else {
      printf("%s: ok: %llu entries in %llu commits, %llu bytes\nhead %s\n", path,
             (unsigned long long)info.entries, (unsigned long long)info.commits,
             (unsigned long long)info.file_bytes, info.head_hash);
      if (info.truncated_bytes > 0)
        printf("an unfinished tail of %lld bytes at offset %lld follows the last commit (it "
               "is not part of the journal; a writer opening the file will cut it)\n",
               (long long)info.truncated_bytes, (long long)info.truncated_at);
    }
  } else if (strcmp(sub, "export") == 0) {
    cpw_journal *j;
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    cpw_policy *pol = NULL;
    export_lang x;
    int r = CPW_OK;
    o.flags = CPW_JOURNAL_READONLY;
    if (lang != NULL) {
      rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
      if (rc == CPW_EXIT_OK)
        rc = cpw_tool_set_lang(ctx, pol, "journal export", lang);
      x.pol = pol;
      x.lang = lang;
    }
    if (rc == CPW_EXIT_OK) {
      r = cpw_journal_open(&j, ctx, path, NULL, &o);
      if (r == CPW_OK) {
        r = cpw_journal_foreach(j, ctx, export_one, lang != NULL ? &x : NULL);
        cpw_journal_close(j);
      }
    }
    if (r != CPW_OK) {
      cpw_tool_fail(ctx, r, "export");
      rc = status_of(r);
    }
    cpw_policy_free(pol);
  } else {
    cpw_policy *pol;
    cpw_journal *j = NULL;
    cpw_caseload *cl = NULL;
    cpw_registry *reg = NULL;
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    int r;
    rc = cpw_tool_load_policy(ctx, files, nfiles, &pol);
    if (rc != CPW_EXIT_OK) {
      cpw_ctx_free(ctx);
      return rc;
    }
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
    }
    cpw_registry_free(reg);
    cpw_caseload_free(cl);
    cpw_journal_close(j);
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
  return rc;
}
