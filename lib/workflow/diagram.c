/* SPDX-License-Identifier: Apache-2.0 */
/* workflow/diagram.c: a workflow as Graphviz DOT or Mermaid stateDiagram-v2, with roles and
 * guards on the edges and deadlines as notes. Transitions and clocks whose basis is not law
 * or regulation are marked "(agency default)", "(proposal)" or "(no basis)". */
#include <stdio.h>

#include "base/buf.h"
#include "base/lang.h"
#include "base/utf8.h"
#include "policy/basis.h"
#include "policy/explain.h"
#include "policy/labels.h"
#include "policy/wf_model.h"

/* How a diagram is written: its format and language. */
typedef struct dg {
  const cpw_workflow *wf;
  const cpw__lang *lang;
  int mermaid;
} dg;

/* A name of the workflow as a reader sees it: its label in the language, or the name. */
static const char *name_of(const dg *g, const char *kind, const char *name)
{
  char key[300];
  const char *l = NULL;
  int n;
  if (!g->lang->labels)
    return name;
  if (strcmp(kind, "role") == 0)
    l = cpw__label(g->wf->policy, g->lang, kind, name, strlen(name));
  else if ((n = snprintf(key, sizeof key, "%s.%s", g->wf->name, name)) > 0 &&
           (size_t)n < sizeof key)
    l = cpw__label(g->wf->policy, g->lang, kind, key, (size_t)n);
  return l != NULL ? l : name;
}

/* Text inside a label. DOT: '"' and '\\' escaped. Mermaid: a transition's or a note's text
 * ends at ':' or ';' and '#' starts an entity, so these are written as the entity codes
 * Mermaid decodes when it draws (#58; #59; #35;), as is '"' (#quot;) in a quoted state label
 * (`quoted`: only '"' and '#' need it there). Line breaks become spaces. */
static int add_quoted(cpw__buf *b, const dg *g, const char *s, int quoted)
{
  int rc = CPW_OK;
  for (; rc == CPW_OK && *s != '\0'; s++) {
    char c = *s;
    if (c == '\n' || c == '\r' || c == '\t')
      rc = cpw__buf_addc(b, ' ');
    else if (g->mermaid && c == '#')
      rc = cpw__buf_adds(b, "#35;");
    else if (g->mermaid && c == '"')
      rc = cpw__buf_adds(b, "#quot;");
    else if (g->mermaid && !quoted && c == ':')
      rc = cpw__buf_adds(b, "#58;");
    else if (g->mermaid && !quoted && c == ';')
      rc = cpw__buf_adds(b, "#59;");
    else if (!g->mermaid && (c == '"' || c == '\\'))
      rc = cpw__buf_printf(b, "\\%c", c);
    else
      rc = cpw__buf_addc(b, c);
  }
  return rc;
}

static int add_text(cpw__buf *b, const dg *g, const char *s)
{
  return add_quoted(b, g, s, 0);
}

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

/* A rule's basis mark in the diagram's language ("agency default", "proposal", "no basis"),
 * or "" for law and regulation. */
static const char *mark_of(const dg *g, uint32_t rule)
{
  const char *m = cpw__basis_mark(cpw__rule(g->wf->policy, rule));
  if (m[0] == '\0')
    return m;
  return g->lang->msg[strcmp(m, "agency default") == 0 ? MSG_MARK_DEFAULT
                      : strcmp(m, "proposal") == 0 ? MSG_MARK_PROPOSAL : MSG_MARK_NONE];
}

static int edge_label(cpw__buf *b, const dg *g, const cpw__wf_trans *t)
{
  const cpw_workflow *wf = g->wf;
  int mermaid = g->mermaid;
  int rc = add_text(b, g, name_of(g, "event", wf->events[t->event]));
  uint32_t r;
  int first = 1;
  if (rc == CPW_OK && t->roles != ~UINT64_C(0)) {
    rc = cpw__buf_adds(b, mermaid ? " " : "\\n");
    if (rc == CPW_OK)
      rc = add_text(b, g, g->lang->msg[MSG_DIAG_BY]);
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, ' ');
    for (r = 0; rc == CPW_OK && r < wf->nroles; r++)
      if ((t->roles >> r) & 1) {
        if (!first)
          rc = cpw__buf_adds(b, ", ");
        if (rc == CPW_OK)
          rc = add_text(b, g, name_of(g, "role", wf->roles[r]));
        first = 0;
      }
  }
  if (rc == CPW_OK && t->guard_ast != NULL) {
    char gt[600];
    if (g->lang->labels)
      cpw__expr_text(wf->policy, g->lang, wf, 0, t->guard_ast, gt, sizeof gt);
    else
      guard_text(t->guard_ast, gt, sizeof gt);
    rc = cpw__buf_adds(b, mermaid ? " [" : "\\n[");
    if (rc == CPW_OK)
      rc = add_text(b, g, gt);
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, ']');
  }
  if (rc == CPW_OK && t->nsets > 0) {
    uint32_t i;
    rc = cpw__buf_adds(b, mermaid ? " / " : "\\n/ ");
    for (i = 0; rc == CPW_OK && i < t->nsets; i++) {
      if (i > 0)
        rc = cpw__buf_adds(b, ", ");
      if (rc == CPW_OK)
        rc = add_text(b, g, name_of(g, "field", wf->fields[t->set_fields[i]].name));
    }
  }
  if (rc == CPW_OK) {
    const char *mark = mark_of(g, t->rule);
    if (mark[0] != '\0')
      rc = cpw__buf_printf(b, mermaid ? " (%s)" : "\\n(%s)", mark);
  }
  return rc;
}

/* "3 working days", "3 სამუშაო დღე" */
static void amount_text(const dg *g, int64_t amount, unsigned unit, char *buf, size_t size)
{
  static const int unit_msg[] = { MSG_UNIT_WORKING_DAY, MSG_UNIT_MINUTE, MSG_UNIT_HOUR,
                                  MSG_UNIT_DAY, MSG_UNIT_WEEK, MSG_UNIT_MONTH, MSG_UNIT_YEAR,
                                  MSG_UNIT_WORKING_DAY };
  char n[40];
  const char *args[2];
  int m = unit < CPW__ARRAY_LEN(unit_msg) ? unit_msg[unit] : MSG_UNIT_WORKING_DAY;
  cpw__lang_int(n, sizeof n, g->lang->style, amount);
  args[0] = n;
  /* the policy's own names keep the plural the diagrams always had ("1 hours" stays as it
   * was written); a language writes one as one */
  args[1] = g->lang->msg[g->lang->labels && (amount == 1 || amount == -1) ? m : m + 1];
  cpw__lang_fill(buf, size, "{0} {1}", args, 2);
}

/* events joined with ", " by their names in the diagram's language; a name that does not fit
 * is left out whole (never cut inside a character) and "..." says so */
static void events_text(const dg *g, const uint16_t *ev, uint32_t n, char *buf, size_t size)
{
  size_t used = 0;
  uint32_t k;
  buf[0] = '\0';
  for (k = 0; k < n; k++) {
    const char *name = name_of(g, "event", g->wf->events[ev[k]]);
    size_t need = strlen(name) + (k ? 2 : 0);
    if (used + need + 4 >= size) {
      snprintf(buf + used, size - used, "...");
      return;
    }
    used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? ", " : "", name);
  }
}

/* A deadline's note: "start_assessment within 3 working days when x, else deadline_missed to
 * supervisor (agency default)", in the diagram's language; a clock that runs across states
 * adds "from E1, E2 until E3 ... across states". */
static void deadline_text(const dg *g, const cpw__wf_deadline *d, char *buf, size_t size)
{
  const cpw_workflow *wf = g->wf;
  char amount[2600], cond[1400] = "", gt[1200], evs[1200], part[1300];
  const char *args[5], *mark;
  size_t n;
  if (d->when_ast != NULL) {
    if (g->lang->labels)
      cpw__expr_text(wf->policy, g->lang, wf, 0, d->when_ast, gt, sizeof gt);
    else
      guard_text(d->when_ast, gt, sizeof gt);
    args[0] = gt;
    cpw__lang_fill(cond, sizeof cond, g->lang->msg[MSG_DL_WHEN], args, 1);
  }
  amount_text(g, d->amount, d->unit, amount, sizeof amount);
  if (d->state == CPW__WF_NONE) {
    events_text(g, d->starts, d->nstarts, evs, sizeof evs);
    args[0] = evs;
    cpw__lang_fill(part, sizeof part, g->lang->msg[MSG_DL_FROM], args, 1);
    n = strlen(amount);
    snprintf(amount + n, sizeof amount - n, "%s", part);
    if (d->nstops > 0) {
      events_text(g, d->stops, d->nstops, evs, sizeof evs);
      cpw__lang_fill(part, sizeof part, g->lang->msg[MSG_DL_UNTIL], args, 1);
      n = strlen(amount);
      snprintf(amount + n, sizeof amount - n, "%s", part);
    }
    n = strlen(cond);
    snprintf(cond + n, sizeof cond - n, "%s", g->lang->msg[MSG_DL_ACROSS]);
  }
  args[0] = name_of(g, "event", wf->events[d->event]);
  args[1] = amount;
  args[2] = cond;
  args[3] = name_of(g, "event", wf->events[d->esc_event]);
  args[4] = name_of(g, "role", wf->roles[d->esc_role]);
  cpw__lang_fill(buf, size, g->lang->msg[d->every ? MSG_DL_EVERY : MSG_DL_WITHIN], args, 5);
  mark = mark_of(g, d->rule);
  if (mark[0] != '\0') {
    n = strlen(buf);
    snprintf(buf + n, size - n, " (%s)", mark);
  }
  cpw__utf8_sanitize(buf); /* a note longer than the buffer is cut between characters */
}

/* Does a clock that runs across states start in state s: does one of its start events lead
 * there? */
static int starts_in(const cpw_workflow *wf, const cpw__wf_deadline *d, uint32_t s)
{
  uint32_t i, k, from;
  for (i = 0; i < wf->ntrans; i++) {
    const cpw__wf_trans *t = &wf->trans[i];
    int found = 0;
    for (k = 0; k < d->nstarts; k++)
      found |= t->event == d->starts[k];
    if (!found)
      continue;
    for (from = 0; from < wf->nstates; from++) {
      uint32_t c, cell = from * wf->nevents + t->event;
      for (c = wf->cand_start[cell]; c < wf->cand_start[cell + 1]; c++)
        if (wf->cand[c] == i && (t->to == CPW__WF_NONE ? from : t->to) == s)
          return 1;
    }
  }
  return 0;
}

/* A deadline's note beside state s (note id: "deadlineI", or "deadlineI_S" for a clock that
 * runs across states and has a note in each state it starts in). */
static int deadline_note(cpw__buf *b, const dg *g, uint32_t i, uint32_t s, char *note)
{
  int rc;
  const cpw_workflow *wf = g->wf;
  char id[40];
  if (wf->deadlines[i].state == CPW__WF_NONE)
    snprintf(id, sizeof id, "deadline%u_%u", i, s);
  else
    snprintf(id, sizeof id, "deadline%u", i);
  if (g->mermaid) {
    rc = cpw__buf_printf(b, "    note right of %s : ", wf->states[s]);
    if (rc == CPW_OK)
      rc = add_text(b, g, note);
    if (rc == CPW_OK)
      rc = cpw__buf_addc(b, '\n');
  } else {
    /* the note on two lines: the deadline, then what its expiry brings */
    char *cut = g->lang->labels ? NULL : strstr(note, ", else ");
    rc = cpw__buf_printf(b, "  \"%s\" [shape=note, label=\"", id);
    if (cut != NULL) {
      *cut = '\0';
      if (rc == CPW_OK)
        rc = add_text(b, g, note);
      if (rc == CPW_OK)
        rc = cpw__buf_adds(b, "\\n");
      if (rc == CPW_OK)
        rc = add_text(b, g, cut + 2);
      *cut = ',';
    } else if (rc == CPW_OK) {
      rc = add_text(b, g, note);
    }
    if (rc == CPW_OK)
      rc = cpw__buf_printf(b, "\"];\n  \"%s\" -> \"%s\" [style=dotted, arrowhead=none];\n",
                           id, wf->states[s]);
  }
  return rc;
}

/* Mermaid state names cannot hold every character; ours are plain identifiers, and in a
 * language the states are declared with their labels (state "label" as id). */
static int diagram(const cpw_workflow *wf, cpw_ctx *ctx, int format, const cpw__lang *lang,
                   char **out, size_t *len)
{
  cpw__buf b;
  uint32_t s, i;
  int rc, mermaid = format == CPW_DIAGRAM_MERMAID;
  dg g;
  g.wf = wf;
  g.lang = lang;
  g.mermaid = mermaid;
  cpw__buf_init(&b, ctx);
  if (mermaid) {
    /* the title as a YAML double-quoted scalar: a title such as "Referral: Georgia" or one
     * with a '#' would otherwise break the front matter */
    const char *title = wf->title[0] ? wf->title : wf->name;
    if (lang->labels) {
      const char *l = cpw__label(wf->policy, lang, "workflow", wf->name, strlen(wf->name));
      if (l != NULL)
        title = l;
    }
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
    for (s = 0; rc == CPW_OK && lang->labels && s < wf->nstates; s++) {
      rc = cpw__buf_adds(&b, "    state \"");
      if (rc == CPW_OK)
        rc = add_quoted(&b, &g, name_of(&g, "state", wf->states[s]), 1);
      if (rc == CPW_OK)
        rc = cpw__buf_printf(&b, "\" as %s\n", wf->states[s]);
    }
    if (rc == CPW_OK)
      rc = cpw__buf_printf(&b, "    [*] --> %s\n", wf->states[wf->initial]);
  } else {
    rc = cpw__buf_printf(&b, "digraph \"%s\" {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n"
                             "  __start [shape=point];\n  __start -> \"%s\";\n", wf->name,
                         wf->states[wf->initial]);
    for (s = 0; rc == CPW_OK && lang->labels && s < wf->nstates; s++) {
      rc = cpw__buf_printf(&b, "  \"%s\" [label=\"", wf->states[s]);
      if (rc == CPW_OK)
        rc = add_text(&b, &g, name_of(&g, "state", wf->states[s]));
      if (rc == CPW_OK)
        rc = cpw__buf_adds(&b, "\"];\n");
    }
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
            rc = edge_label(&b, &g, t);
          if (rc == CPW_OK)
            rc = cpw__buf_addc(&b, '\n');
        } else {
          rc = cpw__buf_printf(&b, "  \"%s\" -> \"%s\" [label=\"", wf->states[s], to);
          if (rc == CPW_OK)
            rc = edge_label(&b, &g, t);
          if (rc == CPW_OK)
            rc = cpw__buf_adds(&b, "\"];\n");
        }
      }
    }
  }
  for (i = 0; rc == CPW_OK && i < wf->ndeadlines; i++) {
    const cpw__wf_deadline *d = &wf->deadlines[i];
    char note[6000];
    deadline_text(&g, d, note, sizeof note);
    if (d->state != CPW__WF_NONE) {
      rc = deadline_note(&b, &g, i, d->state, note);
    } else {
      for (s = 0; rc == CPW_OK && s < wf->nstates; s++)
        if (starts_in(wf, d, s))
          rc = deadline_note(&b, &g, i, s, note);
    }
  }
  if (rc == CPW_OK && !mermaid)
    rc = cpw__buf_adds(&b, "}\n");
  if (rc == CPW_OK)
    rc = cpw__buf_export(&b, out, len);
  cpw__buf_free(&b);
  return rc;
}

/* The language of a text: opts' tag, or the context's; CPW_ENOTFOUND for one neither built
 * in nor declared by the policy. */
static int text_lang(cpw_ctx *ctx, const cpw_policy *pol, const cpw_text_options *opts,
                     const cpw__lang **lang)
{
  const char *tag = opts != NULL && opts->lang != NULL ? opts->lang : ctx->lang;
  if (opts != NULL && (opts->version == 0 || opts->version > CPW_TEXT_OPTIONS_VERSION))
    return cpw__set_error(ctx, CPW_EVERSION, "cpw_text_options version %u is not supported",
                          opts->version);
  *lang = cpw__policy_lang(pol, tag);
  if (*lang == NULL)
    return cpw__set_error(ctx, CPW_ENOTFOUND, "no language '%.40s' in the library or the policy",
                          tag);
  return CPW_OK;
}

int cpw_workflow_diagram_with(const cpw_workflow *wf, cpw_ctx *ctx, int format,
                              const cpw_text_options *opts, char **out, size_t *len)
{
  const cpw__lang *lang;
  int rc;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (wf == NULL || out == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_workflow_diagram: NULL argument");
  if (format != CPW_DIAGRAM_DOT && format != CPW_DIAGRAM_MERMAID)
    return cpw__set_error(ctx, CPW_EINVALID, "unknown diagram format %d", format);
  rc = text_lang(ctx, wf->policy, opts, &lang);
  if (rc != CPW_OK)
    return rc;
  return diagram(wf, ctx, format, lang, out, len);
}

int cpw_workflow_diagram(const cpw_workflow *wf, cpw_ctx *ctx, int format, char **out,
                         size_t *len)
{
  return cpw_workflow_diagram_with(wf, ctx, format, NULL, out, len);
}
