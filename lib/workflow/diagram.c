/* workflow/diagram.c: a workflow as Graphviz DOT or Mermaid stateDiagram-v2, with roles and
 * guards on the edges and deadlines as notes. Transitions and clocks whose basis is not law
 * or regulation are marked "(agency default)", "(proposal)" or "(no basis)". */
#include <stdio.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "policy/basis.h"
#include "policy/workflow.h"

/* the guard's text as written, folded to one line, comments left out, quotes replaced */
static void guard_text(const cpw__node *n, char *buf, size_t size)
{
  size_t i, o = 0;
  int space = 0, quoted = 0;
  for (i = 0; n != NULL && n->src != NULL && i < n->len && o + 1 < size; i++) {
    char c = n->src[i];
    if (c == '#' && !quoted) { /* a comment runs to the end of the line */
      while (i + 1 < n->len && n->src[i + 1] != '\n')
        i++;
      continue;
    }
    if (c == '"' && (i == 0 || n->src[i - 1] != '\\'))
      quoted = !quoted;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!space && o > 0)
        buf[o++] = ' ';
      space = 1;
      continue;
    }
    space = 0;
    buf[o++] = c == '"' ? '\'' : c;
  }
  buf[o] = '\0';
  cpw__utf8_sanitize(buf); /* cut short inside a character */
}

static int edge_label(cpw__buf *b, const cpw_workflow *wf, const cpw__wf_trans *t, int mermaid)
{
  int rc = cpw__buf_adds(b, wf->events[t->event]);
  uint32_t r;
  int first = 1;
  if (rc == CPW_OK && t->roles != ~UINT64_C(0)) {
    rc = cpw__buf_adds(b, mermaid ? " by " : "\\nby ");
    for (r = 0; rc == CPW_OK && r < wf->nroles; r++)
      if ((t->roles >> r) & 1) {
        rc = cpw__buf_printf(b, "%s%s", first ? "" : ", ", wf->roles[r]);
        first = 0;
      }
  }
  if (rc == CPW_OK && t->guard_ast != NULL) {
    char g[300];
    guard_text(t->guard_ast, g, sizeof g);
    rc = cpw__buf_printf(b, mermaid ? " [%s]" : "\\n[%s]", g);
  }
  if (rc == CPW_OK && t->nsets > 0) {
    uint32_t i;
    rc = cpw__buf_adds(b, mermaid ? " / " : "\\n/ ");
    for (i = 0; rc == CPW_OK && i < t->nsets; i++)
      rc = cpw__buf_printf(b, "%s%s", i ? ", " : "", wf->fields[t->set_fields[i]].name);
  }
  if (rc == CPW_OK) {
    const char *mark = cpw__basis_mark(cpw__rule(wf->policy, t->rule));
    if (mark[0] != '\0')
      rc = cpw__buf_printf(b, mermaid ? " (%s)" : "\\n(%s)", mark);
  }
  return rc;
}

static const char *unit_name(unsigned unit)
{
  switch (unit) {
  case 1: return "minutes";
  case 2: return "hours";
  case 3: return "days";
  case 4: return "weeks";
  case 5: return "months";
  case 6: return "years";
  default: return "working days";
  }
}

/* ", else ESCALATION to ROLE (agency default)" of a deadline's note */
static void note_tail(const cpw_workflow *wf, const cpw__wf_deadline *d, char *buf, size_t size)
{
  const char *mark = cpw__basis_mark(cpw__rule(wf->policy, d->rule));
  snprintf(buf, size, "else %s to %s%s%s%s", wf->events[d->esc_event], wf->roles[d->esc_role],
           mark[0] ? " (" : "", mark, mark[0] ? ")" : "");
}

/* The states a clock that runs across states starts in: where its start events lead. */
static int across_notes(cpw__buf *b, const cpw_workflow *wf, uint32_t di, int mermaid,
                        const char *cond, const char *tail)
{
  const cpw__wf_deadline *d = &wf->deadlines[di];
  uint32_t s, i, k;
  int rc = CPW_OK;
  char stops[300] = "";
  size_t used = 0;
  for (k = 0; k < d->nstops && used + 1 < sizeof stops; k++) {
    int n = snprintf(stops + used, sizeof stops - used, "%s%s", k ? ", " : " until ",
                     wf->events[d->stops[k]]);
    if (n < 0)
      break;
    used += (size_t)n;
  }
  for (s = 0; rc == CPW_OK && s < wf->nstates; s++) {
    int starts_here = 0;
    for (i = 0; i < wf->ntrans && !starts_here; i++) {
      const cpw__wf_trans *t = &wf->trans[i];
      uint32_t from, cell;
      int found = 0;
      for (k = 0; k < d->nstarts; k++)
        found |= t->event == d->starts[k];
      if (!found)
        continue;
      for (from = 0; from < wf->nstates && !starts_here; from++) {
        uint32_t c;
        cell = from * wf->nevents + t->event;
        for (c = wf->cand_start[cell]; c < wf->cand_start[cell + 1]; c++)
          if (wf->cand[c] == i && (t->to == CPW__WF_NONE ? from : t->to) == s)
            starts_here = 1;
      }
    }
    if (!starts_here)
      continue;
    if (mermaid) {
      rc = cpw__buf_printf(b, "    note right of %s : %s within %lld %s from ", wf->states[s],
                           wf->events[d->event], (long long)d->amount, unit_name(d->unit));
      for (k = 0; rc == CPW_OK && k < d->nstarts; k++)
        rc = cpw__buf_printf(b, "%s%s", k ? ", " : "", wf->events[d->starts[k]]);
      if (rc == CPW_OK)
        rc = cpw__buf_printf(b, "%s%s across states, %s\n", stops, cond, tail);
    } else {
      rc = cpw__buf_printf(b, "  \"deadline%u_%u\" [shape=note, label=\"%s within %lld %s from ",
                           di, s, wf->events[d->event], (long long)d->amount,
                           unit_name(d->unit));
      for (k = 0; rc == CPW_OK && k < d->nstarts; k++)
        rc = cpw__buf_printf(b, "%s%s", k ? ", " : "", wf->events[d->starts[k]]);
      if (rc == CPW_OK)
        rc = cpw__buf_printf(b, "%s%s across states\\n%s\"];\n  \"deadline%u_%u\" -> \"%s\" "
                             "[style=dotted, arrowhead=none];\n", stops, cond, tail, di, s,
                             wf->states[s]);
    }
  }
  return rc;
}

/* Mermaid state names cannot hold every character; ours are plain identifiers already. */
int cpw_workflow_diagram(const cpw_workflow *wf, cpw_ctx *ctx, int format, char **out,
                         size_t *len)
{
  cpw__buf b;
  uint32_t s, i;
  int rc, mermaid = format == CPW_DIAGRAM_MERMAID;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (wf == NULL || out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_workflow_diagram: NULL argument");
  if (format != CPW_DIAGRAM_DOT && format != CPW_DIAGRAM_MERMAID)
    return cpw__set_error(ctx, CPW_EINVALID, "unknown diagram format %d", format);
  cpw__buf_init(&b, ctx);
  if (mermaid) {
    /* the title as a YAML double-quoted scalar: a title such as "Referral: Georgia" or one
     * with a '#' would otherwise break the front matter */
    const char *title = wf->title[0] ? wf->title : wf->name;
    rc = cpw__buf_adds(&b, "---\ntitle: \"");
    for (; rc == CPW_OK && *title != '\0'; title++) {
      unsigned char ch = (unsigned char)*title;
      if (ch == '"' || ch == '\\')
        rc = cpw__buf_printf(&b, "\\%c", ch);
      else
        rc = cpw__buf_addc(&b, ch < 0x20 ? ' ' : (char)ch);
    }
    if (rc == CPW_OK)
      rc = cpw__buf_adds(&b, "\"\n---\nstateDiagram-v2\n");
    if (rc == CPW_OK)
      rc = cpw__buf_printf(&b, "    [*] --> %s\n", wf->states[wf->initial]);
  } else {
    rc = cpw__buf_printf(&b, "digraph \"%s\" {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n"
                             "  __start [shape=point];\n  __start -> \"%s\";\n", wf->name,
                         wf->states[wf->initial]);
  }
  for (s = 0; rc == CPW_OK && s < wf->nstates; s++) {
    if (wf->state_flags[s] & CPW__ST_FINAL) {
      rc = mermaid ? cpw__buf_printf(&b, "    %s --> [*]\n", wf->states[s])
                   : cpw__buf_printf(&b, "  \"%s\" [peripheries=2];\n", wf->states[s]);
    }
  }
  for (i = 0; rc == CPW_OK && i < wf->ntrans; i++) {
    const cpw__wf_trans *t = &wf->trans[i];
    for (s = 0; rc == CPW_OK && s < wf->nstates; s++) {
      uint32_t cell = s * wf->nevents + t->event, k;
      int from = 0;
      for (k = wf->cand_start[cell]; k < wf->cand_start[cell + 1]; k++)
        if (wf->cand[k] == i)
          from = 1;
      if (!from)
        continue;
      {
        const char *to = wf->states[t->to == CPW__WF_NONE ? s : t->to];
        if (mermaid) {
          rc = cpw__buf_printf(&b, "    %s --> %s : ", wf->states[s], to);
          if (rc == CPW_OK)
            rc = edge_label(&b, wf, t, 1);
          if (rc == CPW_OK)
            rc = cpw__buf_addc(&b, '\n');
        } else {
          rc = cpw__buf_printf(&b, "  \"%s\" -> \"%s\" [label=\"", wf->states[s], to);
          if (rc == CPW_OK)
            rc = edge_label(&b, wf, t, 0);
          if (rc == CPW_OK)
            rc = cpw__buf_adds(&b, "\"];\n");
        }
      }
    }
  }
  for (i = 0; rc == CPW_OK && i < wf->ndeadlines; i++) {
    const cpw__wf_deadline *d = &wf->deadlines[i];
    char cond[300] = "", tail[300];
    if (d->when_ast != NULL) {
      char g[280];
      guard_text(d->when_ast, g, sizeof g);
      snprintf(cond, sizeof cond, " when %s", g);
    }
    note_tail(wf, d, tail, sizeof tail);
    if (d->state == CPW__WF_NONE)
      rc = across_notes(&b, wf, i, mermaid, cond, tail);
    else if (mermaid)
      rc = cpw__buf_printf(&b, "    note right of %s : %s %s %lld %s%s, %s\n",
                           wf->states[d->state], wf->events[d->event],
                           d->every ? "every" : "within", (long long)d->amount,
                           unit_name(d->unit), cond, tail);
    else
      rc = cpw__buf_printf(&b, "  \"deadline%u\" [shape=note, label=\"%s %s %lld %s%s\\n"
                               "%s\"];\n  \"deadline%u\" -> \"%s\" [style=dotted, "
                               "arrowhead=none];\n", i, wf->events[d->event],
                           d->every ? "every" : "within", (long long)d->amount,
                           unit_name(d->unit), cond, tail, i, wf->states[d->state]);
  }
  if (rc == CPW_OK && !mermaid)
    rc = cpw__buf_adds(&b, "}\n");
  if (rc == CPW_OK)
    rc = cpw__buf_export(&b, out, len);
  cpw__buf_free(&b);
  return rc;
}
