/* SPDX-License-Identifier: Apache-2.0 */
/* policy/decls.c: the declarations of a policy file, as one table: each kind's word, its
 * AST kind and its parser (the core ones in parse.c, a workflow's in wf_parse.c, care
 * settings, facilities and placement rules in pl_parse.c, labels in labels.c, sources in
 * basis.c), and the file-level loop that dispatches through it and resynchronises after an
 * error. The parsers use parse.c's helpers; parse.c knows none of them. A new declaration
 * kind is a row here, its AST kind (ast.h) and its parser and checker. */
#include <stdio.h>

#include "base/base.h"
#include "policy/basis_syntax.h"
#include "policy/labels_syntax.h"
#include "policy/parse.h"
#include "policy/pl_syntax.h"
#include "policy/wf_syntax.h"

typedef struct decl_kind {
  const char *word;
  uint8_t kind;                                           /* D_* (ast.h) */
  int (*parse)(cpw__parser *p, cpw__decl *d);             /* one of the two */
  int (*parse_at)(cpw__parser *p, cpw__decl *d, uint32_t start);
} decl_kind;

static const decl_kind kinds[] = {
  { "policy", D_POLICY, cpw__parse_policy, NULL },
  { "timezone", D_TIMEZONE, cpw__parse_timezone, NULL },
  { "calendar", D_CALENDAR, NULL, cpw__parse_calendar },
  { "field", D_FIELD, cpw__parse_field, NULL },
  { "param", D_PARAM, cpw__parse_param, NULL },
  { "define", D_DEFINE, cpw__parse_define, NULL },
  { "program", D_PROGRAM, NULL, cpw__parse_program },
  { "workflow", D_WORKFLOW, NULL, cpw__parse_workflow },
  { "setting", D_SETTING, NULL, cpw__parse_setting },
  { "facility", D_FACILITY, NULL, cpw__parse_facility },
  { "placement", D_PLACEMENT, NULL, cpw__parse_placement },
  { "labels", D_LABELS, cpw__parse_labels, NULL },
  { "source", D_SOURCE, cpw__parse_source, NULL },
};

/* the kind whose word the current token is, or NULL */
static const decl_kind *kind_at(const cpw__parser *p)
{
  size_t i;
  for (i = 0; i < CPW__ARRAY_LEN(kinds); i++)
    if (cpw__parse_is_word(p, kinds[i].word))
      return &kinds[i];
  return NULL;
}

static int at_top_word(const cpw__parser *p)
{
  return kind_at(p) != NULL;
}

/* After an error: skip to the next line that starts with a declaration keyword. Braces are
 * counted so that a broken block is skipped whole. */
static void sync_top(cpw__parser *p)
{
  int depth = 0;
  while (!cpw__parse_check(p, TK_EOF)) {
    if (depth <= 0 && p->lx.cur.line != p->prev_line && at_top_word(p))
      break;
    if (cpw__parse_check(p, TK_LBRACE))
      depth++;
    else if (cpw__parse_check(p, TK_RBRACE))
      depth--;
    cpw__parse_advance(p);
  }
  p->failed = 0;
}

static cpw__decl *new_decl(cpw__parser *p, uint8_t kind)
{
  cpw__decl *d = cpw__parse_alloc(p, sizeof *d);
  if (d == NULL)
    return NULL;
  d->kind = kind;
  d->line = p->lx.cur.line;
  d->col = p->lx.cur.col;
  d->file = p->lx.file;
  d->from = CPW_DATE_MIN;
  d->until = CPW_DATE_MAX;
  return d;
}

void cpw__parse_file(const char *file, const char *src, size_t len, struct cpw__arena *arena,
                     struct cpw__diags *diags, cpw__decl ***tail)
{
  cpw__parser p;
  memset(&p, 0, sizeof p);
  p.arena = arena;
  p.diags = diags;
  cpw__lex_init(&p.lx, file, src, len, arena, diags);
  cpw__parse_advance(&p);
  while (!cpw__parse_check(&p, TK_EOF) && !diags->oom) {
    const decl_kind *k = kind_at(&p);
    cpw__decl *d = k != NULL ? new_decl(&p, k->kind) : NULL;
    int ok = 0;
    uint32_t start = p.lx.cur.off;
    if (d == NULL) {
      if (!diags->oom && !cpw__parse_check(&p, TK_ERROR)) { /* the lexer said why */
        char got[64], words[300];
        size_t i, used = 0;
        for (i = 0; i < CPW__ARRAY_LEN(kinds); i++)
          used += (size_t)snprintf(words + used, sizeof words - used, "%s%s", i ? ", " : "",
                                   kinds[i].word);
        cpw__parse_describe(&p, got, sizeof got);
        cpw__parse_error(&p, "expected a declaration (%s), found %s", words, got);
      }
      /* move on before resynchronising: sync_top stops at a declaration word ("workflow")
       * without consuming it, and this loop would meet it again forever */
      cpw__parse_advance(&p);
      sync_top(&p);
      continue;
    }
    cpw__parse_advance(&p);
    ok = k->parse != NULL ? k->parse(&p, d) : k->parse_at(&p, d, start);
    if (ok && !p.failed) {
      **tail = d;
      *tail = &d->next;
      /* a declaration ends its line: "field a: int field b: int" is refused */
      if (!cpw__parse_check(&p, TK_EOF) && p.lx.cur.line == p.prev_line &&
          !cpw__parse_check(&p, TK_ERROR)) {
        char got[64];
        cpw__parse_describe(&p, got, sizeof got);
        cpw__parse_error(&p, "unexpected %s after the declaration", got);
        sync_top(&p);
      }
    } else {
      if (!p.failed && !diags->oom)
        p.failed = 1;
      sync_top(&p);
    }
  }
}
