/* examples/cpw/main.c: the `cpw` command-line tool, dispatching to one file per subcommand. */
#include "cpw.h"

#include <string.h>

static const cpw_tool_cmd commands[] = {
  { "demo", "simulate a year of referrals with the embedded Georgian policy and report",
    cpw_cmd_demo },
  { "check", "compile policy files and print their diagnostics", cpw_cmd_check },
  { "eval", "evaluate a programme for people in a CSV or JSON Lines file", cpw_cmd_eval },
  { "diagram", "draw a workflow as Graphviz DOT or Mermaid", cpw_cmd_diagram },
  { "journal", "verify, replay or export a journal", cpw_cmd_journal },
  { "report", "deinstitutionalization indicators from a journal", cpw_cmd_report },
  { "sources", "every rule of the policy with its legal basis and status", cpw_cmd_sources },
  { "version", "print the library version", cpw_cmd_version },
};

static void usage(FILE *f)
{
  size_t i;
  fprintf(f, "usage: cpw COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
  for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\n`cpw COMMAND --help` describes each command.\n"
             "\nexit codes: 0 success; 1 the command found problems (policy errors, bad rows);\n"
             "            2 bad command line; 3 an I/O or library error stopped the command\n");
}

int cpw_cmd_version(int argc, char **argv)
{
  if (argc > 1 && cpw_tool_is_help(argv[1])) {
    printf("usage: cpw version\n\nPrint the version of the libcpw library in use.\n");
    return CPW_EXIT_OK;
  }
  printf("cpw %s (libcpw %s)\n", CPW_VERSION_STRING, cpw_version_string());
  return CPW_EXIT_OK;
}

int main(int argc, char **argv)
{
  size_t i;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : CPW_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0)
    return cpw_cmd_version(1, argv);
  for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "cpw: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return CPW_EXIT_USAGE;
}
