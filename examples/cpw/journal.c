/* examples/cpw/journal.c: `cpw journal verify|replay|export|repair FILE`. */
#include "cpw.h"

#include <string.h>

static void usage(FILE *f)
{
  fprintf(f, "usage: cpw journal verify FILE\n"
             "       cpw journal replay [--policy FILE]... [--allow-policy-change] FILE\n"
             "       cpw journal export FILE\n"
             "       cpw journal repair [--aside PATH] FILE\n\n"
             "verify  check the header, every checksum and the whole hash chain, and print the\n"
             "        head hash (compare it with a copy kept elsewhere). Nothing is changed.\n"
             "        Exit 1 when bytes would be cut: an unfinished last commit (a crash during\n"
             "        a commit; a writer cuts it, it was never acknowledged) or damage (a\n"
             "        writer refuses the file; see repair).\n"
             "replay  rebuild the cases and placements with the policy (the embedded one by\n"
             "        default; it must be the policy the journal was written under) and print\n"
             "        a summary: cases by workflow and state, placements, deadlines due.\n"
             "        Another policy than the journal's is refused (its rules would judge\n"
             "        the entries) unless --allow-policy-change, and then the output says so.\n"
             "export  print every committed entry as JSON Lines.\n"
             "repair  cut a damaged journal at the end of the last valid commit before the\n"
             "        damage, after writing the removed bytes to PATH (default FILE.removed; it\n"
             "        must not exist). Entries committed after the damage are among those\n"
             "        bytes: they are kept there, not lost. Says what it removes.\n"
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

static int export_one(const cpw_journal_entry *e, void *payload)
{
  char t[CPW_TIME_BUFSIZE];
  size_t i;
  (void)payload;
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
  fputs("}}\n", stdout);
  return ferror(stdout) ? 1 : 0;
}

static int status_of(int rc)
{
  return rc == CPW_ECORRUPT || rc == CPW_EVERSION || rc == CPW_EINVALID ? CPW_EXIT_FAILURE
                                                                        : CPW_EXIT_ERROR;
}

int cpw_cmd_journal(int argc, char **argv)
{
  const char *files[64], *path = NULL, *sub, *aside = NULL;
  size_t nfiles = 0;
  int i, rc = CPW_EXIT_OK, allow_change = 0;
  cpw_ctx *ctx;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : CPW_EXIT_OK;
  }
  sub = argv[1];
  if (strcmp(sub, "verify") != 0 && strcmp(sub, "replay") != 0 && strcmp(sub, "export") != 0 &&
      strcmp(sub, "repair") != 0) {
    fprintf(stderr, "cpw journal: unknown subcommand '%s' (verify, replay, export, repair)\n",
            sub);
    return CPW_EXIT_USAGE;
  }
  for (i = 2; i < argc; i++) {
    if (cpw_tool_is_help(argv[i])) {
      usage(stdout);
      return CPW_EXIT_OK;
    } else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc && nfiles < 64) {
      files[nfiles++] = argv[++i];
    } else if (strcmp(argv[i], "--allow-policy-change") == 0 && strcmp(sub, "replay") == 0) {
      allow_change = 1;
    } else if (strcmp(argv[i], "--aside") == 0 && i + 1 < argc && strcmp(sub, "repair") == 0) {
      aside = argv[++i];
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
    cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
    int r = cpw_journal_check(ctx, path, &st);
    if (r == CPW_ECORRUPT && st.damaged && st.damaged_at > 0) {
      cpw_tool_fail(ctx, r, "verify");
      fprintf(stderr, "%s: the %llu entries in %llu commits before the damage are intact; a "
              "repair (cpw journal repair %s) would cut the %lld bytes from offset %lld and "
              "keep them aside\n", path, (unsigned long long)st.rec.entries,
              (unsigned long long)st.rec.commits, path, (long long)st.rec.truncated_bytes,
              (long long)st.rec.truncated_at);
      rc = CPW_EXIT_FAILURE;
    } else if (r != CPW_OK) {
      cpw_tool_fail(ctx, r, "verify");
      rc = status_of(r);
    } else if (st.rec.truncated_bytes > 0) {
      printf("%s: %llu entries in %llu commits, then an unfinished commit: %lld bytes at "
             "offset %lld holding %llu complete entries, never acknowledged (a crash during "
             "a commit); a writer opening the file will cut them\nhead %s\n", path,
             (unsigned long long)st.rec.entries, (unsigned long long)st.rec.commits,
             (long long)st.rec.truncated_bytes, (long long)st.rec.truncated_at,
             (unsigned long long)st.tail_entries, st.rec.head_hash);
      rc = CPW_EXIT_FAILURE;
    } else {
      printf("%s: ok: %llu entries in %llu commits, %llu bytes\nhead %s\n", path,
             (unsigned long long)st.rec.entries, (unsigned long long)st.rec.commits,
             (unsigned long long)st.rec.file_bytes, st.rec.head_hash);
    }
  } else if (strcmp(sub, "repair") == 0) {
    cpw_journal_status st = CPW_JOURNAL_STATUS_INIT;
    char def[4096];
    int r;
    if (aside == NULL) {
      if ((size_t)snprintf(def, sizeof def, "%s.removed", path) >= sizeof def) {
        fprintf(stderr, "cpw journal: the path is too long; name the file with --aside\n");
        cpw_ctx_free(ctx);
        return CPW_EXIT_USAGE;
      }
      aside = def;
    }
    r = cpw_journal_repair(ctx, path, aside, &st);
    if (r != CPW_OK) {
      cpw_tool_fail(ctx, r, "repair");
      rc = status_of(r);
    } else if (st.rec.truncated_bytes == 0) {
      printf("%s: nothing to repair: %llu entries in %llu commits, head %s\n", path,
             (unsigned long long)st.rec.entries, (unsigned long long)st.rec.commits,
             st.rec.head_hash);
    } else {
      printf("%s: %s at offset %lld: removed %lld bytes (written to %s); kept %llu entries "
             "in %llu commits, %llu bytes\nhead %s\n", path,
             st.damaged ? "damaged" : "an unfinished commit",
             (long long)(st.damaged ? st.damaged_at : st.rec.truncated_at),
             (long long)st.rec.truncated_bytes, aside, (unsigned long long)st.rec.entries,
             (unsigned long long)st.rec.commits, (unsigned long long)st.rec.file_bytes,
             st.rec.head_hash);
    }
  } else if (strcmp(sub, "export") == 0) {
    cpw_journal *j;
    cpw_journal_options o = CPW_JOURNAL_OPTIONS_INIT;
    int r;
    o.flags = CPW_JOURNAL_READONLY;
    r = cpw_journal_open(&j, ctx, path, NULL, &o);
    if (r == CPW_OK) {
      r = cpw_journal_foreach(j, ctx, export_one, NULL);
      cpw_journal_close(j);
    }
    if (r != CPW_OK) {
      cpw_tool_fail(ctx, r, "export");
      rc = status_of(r);
    }
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
    }
    cpw_registry_free(reg);
    cpw_caseload_free(cl);
    cpw_journal_close(j);
    cpw_policy_free(pol);
  }
  cpw_ctx_free(ctx);
  return rc;
}
