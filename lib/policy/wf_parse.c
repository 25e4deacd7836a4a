/* SPDX-License-Identifier: Apache-2.0 */
/* policy/wf_parse.c: the syntax of workflows.
 *
 *   workflow NAME ["title"] {
 *     calendar NAME                                  (default: the policy's first calendar)
 *     roles ROLE, ROLE, ...
 *     field NAME: TYPE [= VALUE] ["description"]    (case fields; not text)
 *     state NAME [initial] [final] [ongoing] ["description"]
 *     event NAME [carries FIELD, ...] ["description"]
 *     on EVENT: FROM, FROM [-> TO] [by ROLE, ...] [when GUARD] [set FIELD = EXPR, ...] ["text"]
 *     on EVENT: * ...                                (from every state that is not final)
 *     deadline EVENT within|every N UNIT in STATE [when CONDITION] [escalate EVENT to ROLE]
 *     deadline EVENT within N UNIT from EVENT, ... [until EVENT, ...] [when ...] [escalate ...]
 *                                                    (until may also follow the condition)
 *                                                    (a clock that runs across states)
 *     escalate EVENT to ROLE                         (the default escalation)
 *     basis ...                                      (after a transition or deadline: its own;
 *                                                     else the workflow's: basis_parse.c)
 * A deadline's own "escalate" must be on the line where the deadline ends; on a line of its
 * own, "escalate" sets the workflow's default.
 *   }
 */
#include "policy/basis_syntax.h"
#include "policy/wf_syntax.h"

static int names_list(cpw__parser *p, cpw__ast_name **list, uint32_t *n, const char *what)
{
  do {
    cpw__ast_name nm;
    if (!cpw__parse_name(p, &nm, what))
      return 0;
    *list = cpw__parse_push(p, *list, *n, sizeof **list);
    if (*list == NULL)
      return 0;
    (*list)[(*n)++] = nm;
  } while (cpw__parse_accept(p, TK_COMMA));
  return 1;
}

static int parse_state(cpw__parser *p, cpw__wf_ast *w)
{
  cpw__wf_ast_state s;
  memset(&s, 0, sizeof s);
  if (!cpw__parse_name(p, &s.name, "a state name"))
    return 0;
  for (;;) {
    if (cpw__parse_accept_word(p, "initial"))
      s.initial = 1;
    else if (cpw__parse_accept_word(p, "final"))
      s.final = 1;
    else if (cpw__parse_accept_word(p, "ongoing"))
      s.ongoing = 1;
    else
      break;
  }
  cpw__parse_string(p, &s.title, &s.title_len);
  w->states = cpw__parse_push(p, w->states, w->nstates, sizeof *w->states);
  if (w->states == NULL)
    return 0;
  w->states[w->nstates++] = s;
  return 1;
}

static int parse_event(cpw__parser *p, cpw__wf_ast *w)
{
  cpw__wf_ast_event e;
  memset(&e, 0, sizeof e);
  if (!cpw__parse_name(p, &e.name, "an event name"))
    return 0;
  if (cpw__parse_accept_word(p, "carries") &&
      !names_list(p, &e.carries, &e.ncarries, "a field the event carries"))
    return 0;
  cpw__parse_string(p, &e.title, &e.title_len);
  w->events = cpw__parse_push(p, w->events, w->nevents, sizeof *w->events);
  if (w->events == NULL)
    return 0;
  w->events[w->nevents++] = e;
  return 1;
}

static int parse_field(cpw__parser *p, cpw__wf_ast *w)
{
  cpw__wf_ast_field f;
  memset(&f, 0, sizeof f);
  if (!cpw__parse_name(p, &f.name, "a field name"))
    return 0;
  if (!cpw__parse_expect(p, TK_COLON, "after the field name"))
    return 0;
  if (!cpw__parse_type(p, &f.type))
    return 0;
  if (cpw__parse_accept(p, TK_EQ)) {
    f.init = cpw__parse_expr(p);
    if (f.init == NULL)
      return 0;
  }
  cpw__parse_string(p, &f.title, &f.title_len);
  w->fields = cpw__parse_push(p, w->fields, w->nfields, sizeof *w->fields);
  if (w->fields == NULL)
    return 0;
  w->fields[w->nfields++] = f;
  return 1;
}

static int parse_transition(cpw__parser *p, cpw__wf_ast *w, uint32_t start)
{
  cpw__wf_ast_trans t;
  memset(&t, 0, sizeof t);
  t.line = p->lx.cur.line;
  t.col = p->lx.cur.col;
  if (!cpw__parse_name(p, &t.event, "an event name"))
    return 0;
  if (!cpw__parse_expect(p, TK_COLON, "after the event (on EVENT: FROM -> TO)"))
    return 0;
  if (cpw__parse_accept(p, TK_STAR))
    t.any_from = 1;
  else if (!names_list(p, &t.from, &t.nfrom, "a state"))
    return 0;
  if (cpw__parse_accept(p, TK_ARROW)) {
    if (!cpw__parse_name(p, &t.to, "the target state"))
      return 0;
    t.has_to = 1;
  }
  if (cpw__parse_accept(p, TK_BY) && !names_list(p, &t.roles, &t.nroles, "a role"))
    return 0;
  if (cpw__parse_accept(p, TK_WHEN)) {
    t.guard = cpw__parse_expr(p);
    if (t.guard == NULL)
      return 0;
  }
  if (cpw__parse_accept(p, TK_SET)) {
    do {
      cpw__wf_ast_set s;
      if (!cpw__parse_name(p, &s.field, "a field to set"))
        return 0;
      if (!cpw__parse_expect(p, TK_EQ, "after the field (set FIELD = VALUE)"))
        return 0;
      s.expr = cpw__parse_expr(p);
      if (s.expr == NULL)
        return 0;
      t.sets = cpw__parse_push(p, t.sets, t.nsets, sizeof *t.sets);
      if (t.sets == NULL)
        return 0;
      t.sets[t.nsets++] = s;
    } while (cpw__parse_accept(p, TK_COMMA));
  }
  cpw__parse_string(p, &t.title, &t.title_len);
  if (!cpw__parse_item_basis(p, &t.basis, start, 0))
    return 0;
  w->trans = cpw__parse_push(p, w->trans, w->ntrans, sizeof *w->trans);
  if (w->trans == NULL)
    return 0;
  w->trans[w->ntrans++] = t;
  return 1;
}

static const struct { const char *word; uint8_t unit; } units[] = {
  { "minute", U_MINUTES }, { "minutes", U_MINUTES }, { "hour", U_HOURS }, { "hours", U_HOURS },
  { "day", U_DAYS }, { "days", U_DAYS }, { "week", U_WEEKS }, { "weeks", U_WEEKS },
  { "month", U_MONTHS }, { "months", U_MONTHS }, { "year", U_YEARS }, { "years", U_YEARS },
};

static int parse_escalation(cpw__parser *p, cpw__ast_name *event, cpw__ast_name *role)
{
  if (!cpw__parse_name(p, event, "the escalation event"))
    return 0;
  if (!cpw__parse_accept_word(p, "to")) {
    cpw__parse_error(p, "expected 'to ROLE' after the escalation event");
    return 0;
  }
  return cpw__parse_name(p, role, "the role the escalation goes to");
}

static int parse_deadline(cpw__parser *p, cpw__wf_ast *w, uint32_t start)
{
  cpw__wf_ast_deadline dl;
  size_t i;
  memset(&dl, 0, sizeof dl);
  dl.line = p->lx.cur.line;
  dl.col = p->lx.cur.col;
  if (!cpw__parse_name(p, &dl.event, "the event expected before the deadline"))
    return 0;
  if (cpw__parse_accept_word(p, "every"))
    dl.every = 1;
  else if (!cpw__parse_accept_word(p, "within")) {
    cpw__parse_error(p, "expected 'within' or 'every' after the deadline's event");
    return 0;
  }
  if (!cpw__parse_check(p, TK_INT) || p->lx.cur.ival < 1 || p->lx.cur.ival > 100000) {
    cpw__parse_error(p, "expected a duration such as '24 hours' or '3 working days' (1 to "
                        "100000 units)");
    return 0;
  }
  dl.amount = p->lx.cur.ival;
  cpw__parse_advance(p);
  if (cpw__parse_accept_word(p, "working")) {
    if (!cpw__parse_accept_word(p, "days") && !cpw__parse_accept_word(p, "day")) {
      cpw__parse_error(p, "expected 'days' after 'working'");
      return 0;
    }
    dl.unit = U_WORKING_DAYS;
  } else {
    for (i = 0; i < CPW__ARRAY_LEN(units); i++)
      if (cpw__parse_accept_word(p, units[i].word)) {
        dl.unit = units[i].unit;
        break;
      }
    if (dl.unit == U_NONE) {
      cpw__parse_error(p, "expected a unit: minutes, hours, days, working days, weeks, months "
                          "or years");
      return 0;
    }
  }
  if (cpw__parse_accept(p, TK_FROM)) {
    /* a clock from an event to another, whatever states the case goes through */
    if (dl.every) {
      cpw__parse_error(p, "a clock from an event runs 'within' a time: 'every' clocks belong "
                          "to a state ('in STATE')");
      return 0;
    }
    if (!names_list(p, &dl.starts, &dl.nstarts, "the event that starts the clock"))
      return 0;
    if (cpw__parse_accept(p, TK_UNTIL) &&
        !names_list(p, &dl.stops, &dl.nstops, "an event that stops the clock"))
      return 0;
  } else {
    if (!cpw__parse_expect(p, TK_IN, "before the state the deadline applies in (or 'from "
                                     "EVENT' for a clock that runs across states)"))
      return 0;
    if (!cpw__parse_name(p, &dl.state, "a state"))
      return 0;
  }
  if (cpw__parse_accept(p, TK_WHEN)) {
    dl.when = cpw__parse_expr(p);
    if (dl.when == NULL)
      return 0;
    /* a clock from an event may also name its stop events after its condition */
    if (dl.nstarts > 0 && dl.nstops == 0 && cpw__parse_accept(p, TK_UNTIL) &&
        !names_list(p, &dl.stops, &dl.nstops, "an event that stops the clock"))
      return 0;
  }
  /* "escalate" on the deadline's own line belongs to it; on a new line it is the workflow's
   * default escalation */
  if (p->lx.cur.line == p->prev_line && cpw__parse_accept_word(p, "escalate")) {
    dl.has_escalate = 1;
    if (!parse_escalation(p, &dl.esc_event, &dl.esc_role))
      return 0;
  }
  if (!cpw__parse_item_basis(p, &dl.basis, start, 0))
    return 0;
  w->deadlines = cpw__parse_push(p, w->deadlines, w->ndeadlines, sizeof *w->deadlines);
  if (w->deadlines == NULL)
    return 0;
  w->deadlines[w->ndeadlines++] = dl;
  return 1;
}

int cpw__parse_workflow(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  cpw__wf_ast *w = cpw__parse_alloc(p, sizeof *w);
  if (w == NULL)
    return 0;
  d->ext = w;
  if (!cpw__parse_name(p, &d->name, "the workflow's name"))
    return 0;
  cpw__parse_string(p, &d->title, &d->title_len);
  cpw__basis_text(p, &d->basis, start);
  if (!cpw__parse_expect(p, TK_LBRACE, "to open the workflow"))
    return 0;
  while (!cpw__parse_check(p, TK_RBRACE) && !cpw__parse_check(p, TK_EOF)) {
    int ok;
    uint32_t item = p->lx.cur.off;
    if (cpw__parse_is_word(p, "basis")) {
      ok = cpw__parse_block_basis(p, &d->basis);
    } else if (cpw__parse_accept_word(p, "calendar")) {
      ok = cpw__parse_name(p, &w->calendar, "a calendar name");
      w->has_calendar = 1;
    } else if (cpw__parse_accept_word(p, "roles")) {
      ok = names_list(p, &w->roles, &w->nroles, "a role name");
    } else if (cpw__parse_accept_word(p, "field")) {
      ok = parse_field(p, w);
    } else if (cpw__parse_accept_word(p, "state")) {
      ok = parse_state(p, w);
    } else if (cpw__parse_accept_word(p, "event")) {
      ok = parse_event(p, w);
    } else if (cpw__parse_accept_word(p, "on")) {
      ok = parse_transition(p, w, item);
    } else if (cpw__parse_accept_word(p, "deadline")) {
      ok = parse_deadline(p, w, item);
    } else if (cpw__parse_check(p, TK_IDENT) && cpw__parse_is_word(p, "escalate")) {
      w->esc_line = p->lx.cur.line;
      w->esc_col = p->lx.cur.col;
      cpw__parse_advance(p);
      ok = parse_escalation(p, &w->esc_event, &w->esc_role);
      w->has_escalate = 1;
    } else {
      cpw__parse_error(p, "expected calendar, roles, field, state, event, on, deadline, "
                          "escalate or basis in a workflow");
      ok = 0;
    }
    if (!ok)
      return 0;
  }
  return cpw__parse_expect(p, TK_RBRACE, "to close the workflow");
}
