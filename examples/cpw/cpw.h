/* examples/cpw/cpw.h: shared declarations of the cpw command-line tool's subcommands. */
#ifndef CPW_TOOL_H
#define CPW_TOOL_H

#include <cpw.h>
#include <stdio.h>

/* Exit codes (documented in `cpw --help` and the README). */
enum {
  CPW_EXIT_OK = 0,       /* success */
  CPW_EXIT_FAILURE = 1,  /* the command ran and found problems (bad policy, bad rows) */
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

/* Print "cpw: <what>: <library message>" for a failed library call and return CPW_EXIT_ERROR. */
int cpw_tool_fail(cpw_ctx *ctx, int rc, const char *what);
/* 1 if argv[i] is -h or --help. */
int cpw_tool_is_help(const char *arg);

#endif
