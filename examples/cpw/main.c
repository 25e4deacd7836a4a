/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/main.c: the `cpw` command-line tool, dispatching to one file per subcommand. */
#include "cpw.h"

#include <string.h>

static int cmd_help(int argc, char **argv);

static const cpw_tool_cmd commands[] = {
  { "demo", "simulate a year of referrals with the embedded Georgian policy and report",
    cpw_cmd_demo },
  { "programs", "list the programmes, with the fields each reads and their values",
    cpw_cmd_programs },
  { "fields", "list the fields records may hold: type, values, description", cpw_cmd_fields },
  { "show", "print the policy's source text (cpw show policy)", cpw_cmd_show },
  { "check", "compile policy files and print their diagnostics", cpw_cmd_check },
  { "eval", "evaluate a programme for people in a CSV or JSON Lines file", cpw_cmd_eval },
  { "diagram", "draw a workflow as Graphviz DOT or Mermaid", cpw_cmd_diagram },
  { "journal", "verify, replay or export a journal", cpw_cmd_journal },
  { "report", "deinstitutionalization indicators from a journal", cpw_cmd_report },
  { "sources", "every rule of the policy with its legal basis and status", cpw_cmd_sources },
  { "version", "print the library version", cpw_cmd_version },
  { "help", "describe a command (cpw help COMMAND)", cmd_help },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
  size_t i;
  fprintf(f, "usage: cpw COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
  for (i = 0; i < NCOMMANDS; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\n`cpw help COMMAND` or `cpw COMMAND --help` describes each command. Options take\n"
             "their value as --opt VALUE or --opt=VALUE.\n"
             "\nexit codes: 0 success; 1 the command found problems (policy errors, bad rows,\n"
             "            a damaged or cut journal); 2 bad command line; 3 an I/O or library\n"
             "            error stopped the command (output that cannot be written included)\n");
}

static int cmd_help(int argc, char **argv)
{
  size_t i;
  char help[] = "--help";
  char *args[3];
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    if (argc >= 2)
      printf("usage: cpw help COMMAND\n\nDescribe COMMAND (the same as cpw COMMAND --help).\n\n");
    usage(stdout);
    return cpw_tool_finish("help", stdout, CPW_EXIT_OK);
  }
  if (strcmp(argv[1], "help") == 0) {
    printf("usage: cpw help COMMAND\n\nDescribe COMMAND (the same as cpw COMMAND --help).\n");
    return cpw_tool_finish("help", stdout, CPW_EXIT_OK);
  }
  for (i = 0; i < NCOMMANDS; i++)
    if (strcmp(argv[1], commands[i].name) == 0) {
      args[0] = argv[1];
      args[1] = help;
      args[2] = NULL;
      return commands[i].run(2, args);
    }
  fprintf(stderr, "cpw help: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return CPW_EXIT_USAGE;
}

int cpw_cmd_version(int argc, char **argv)
{
  if (argc > 1 && cpw_tool_is_help(argv[1])) {
    printf("usage: cpw version\n\nPrint the version of the libcpw library in use.\n");
    return cpw_tool_finish("version", stdout, CPW_EXIT_OK);
  }
  printf("cpw %s (libcpw %s)\n", CPW_VERSION_STRING, cpw_version_string());
  return cpw_tool_finish("version", stdout, CPW_EXIT_OK);
}

int main(int argc, char **argv)
{
  size_t i;
  if (argc < 2 || cpw_tool_is_help(argv[1])) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CPW_EXIT_USAGE : cpw_tool_finish("help", stdout, CPW_EXIT_OK);
  }
  if (strcmp(argv[1], "--version") == 0)
    return cpw_cmd_version(1, argv);
  for (i = 0; i < NCOMMANDS; i++)
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "cpw: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return CPW_EXIT_USAGE;
}
