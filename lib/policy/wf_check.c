/* SPDX-License-Identifier: Apache-2.0 */
/* policy/wf_check.c: checks a workflow declaration and compiles it: names, types, guards,
 * updates, deadlines, and the static checks (one initial state, unreachable states, states
 * with no way to a final state, final states with transitions, unknown names). */
#include <stdio.h>

#include "policy/basis_syntax.h"
#include "policy/wf_syntax.h"

/* short local names for the checker's helpers (check.h) */
#define werr cpw__check_error
#define wwarn cpw__check_warning
#define walloc cpw__check_alloc

/* Register names (roles, states, events) into an arena array and a map; duplicates are
 * errors. Returns 0 on failure. */
static int register_name(cpw__checker *ck, const char *file, cpw__map *index, const char **names,
                         uint32_t *count, const cpw__ast_name *nm, const char *what)
{
  uint32_t prev;
  if (cpw__map_get(index, nm->str, nm->len, &prev)) {
    werr(ck, file, nm->line, nm->col, "%s '%.*s' is declared twice", what, (int)nm->len,
         nm->str);
    return 0;
  }
  names[*count] = cpw__pol_str(ck, nm->str, nm->len);
  if (names[*count] == NULL ||
      cpw__map_put(index, names[*count], nm->len, *count) != CPW_OK) {
    ck->diags->oom = 1;
    return 0;
  }
  (*count)++;
  return 1;
}

static int lookup(cpw__checker *ck, const char *file, const cpw__map *index,
                  const cpw__ast_name *nm, const char *what, const char *hint, uint16_t *out)
{
  uint32_t v;
  if (!cpw__map_get(index, nm->str, nm->len, &v)) {
    werr(ck, file, nm->line, nm->col, "unknown %s '%.*s'%s", what, (int)nm->len, nm->str, hint);
    return 0;
  }
  *out = (uint16_t)v;
  return 1;
}

void cpw__workflow_free_maps(struct cpw_workflow *wf)
{
  cpw__map_free(&wf->role_index);
  cpw__map_free(&wf->state_index);
  cpw__map_free(&wf->event_index);
  cpw__map_free(&wf->field_index);
}

static int compile(cpw__checker *ck, cpw__compiler *cc, cpw__node *n, int traced,
                   cpw__code *out)
{
  int rc = cpw__compile_expr(cc, n, traced, out);
  if (rc == CPW_ENOMEM)
    ck->diags->oom = 1;
  return rc == CPW_OK;
}

/* where state s is declared (its name in the syntax) */
static const cpw__ast_name *state_decl(const cpw__wf_ast *w, const struct cpw_workflow *wf,
                                       uint32_t s)
{
  uint32_t i;
  size_t len = strlen(wf->states[s]);
  for (i = 0; i < w->nstates; i++)
    if (w->states[i].name.len == len && memcmp(w->states[i].name.str, wf->states[s], len) == 0)
      return &w->states[i].name;
  return NULL;
}

static void graph_checks(cpw__checker *ck, const cpw__wf_ast *w, struct cpw_workflow *wf)
{
  uint8_t *reach = walloc(ck, wf->nstates), *back = walloc(ck, wf->nstates);
  uint16_t *queue = walloc(ck, wf->nstates * sizeof *queue);
  uint32_t head = 0, tail = 0, s, i;
  int changed;
  if (reach == NULL || back == NULL || queue == NULL)
    return;
  /* forward: which states can a case reach from the initial state */
  reach[wf->initial] = 1;
  queue[tail++] = wf->initial;
  while (head < tail) {
    uint32_t from = queue[head++];
    uint32_t e;
    for (e = 0; e < wf->nevents; e++) {
      uint32_t k = from * wf->nevents + e;
      for (i = wf->cand_start[k]; i < wf->cand_start[k + 1]; i++) {
        uint16_t to = wf->trans[wf->cand[i]].to;
        if (to != CPW__WF_NONE && !reach[to]) {
          reach[to] = 1;
          queue[tail++] = to;
        }
      }
    }
  }
  /* backward: which states can still end in a final state (or are allowed not to) */
  for (s = 0; s < wf->nstates; s++)
    back[s] = (wf->state_flags[s] & CPW__ST_FINAL) != 0;
  do {
    changed = 0;
    for (s = 0; s < wf->nstates; s++) {
      uint32_t e;
      if (back[s])
        continue;
      for (e = 0; e < wf->nevents && !back[s]; e++) {
        uint32_t k = s * wf->nevents + e;
        for (i = wf->cand_start[k]; i < wf->cand_start[k + 1]; i++) {
          uint16_t to = wf->trans[wf->cand[i]].to;
          if (to != CPW__WF_NONE && back[to]) {
            back[s] = 1;
            changed = 1;
            break;
          }
        }
      }
    }
  } while (changed);
  for (s = 0; s < wf->nstates; s++) {
    const cpw__ast_name *at = state_decl(w, wf, s);
    int line = at != NULL ? at->line : wf->line, col = at != NULL ? at->col : 1;
    if (!reach[s])
      werr(ck, wf->file, line, col,
           "workflow '%s': state '%s' cannot be reached from the initial state '%s'", wf->name,
           wf->states[s], wf->states[wf->initial]);
    else if (!back[s] && !(wf->state_flags[s] & CPW__ST_ONGOING))
      werr(ck, wf->file, line, col,
           "workflow '%s': from state '%s' no sequence of events leads to a final state (mark "
           "it 'ongoing' if cases may stay there)", wf->name, wf->states[s]);
  }
}

/* One workflow being checked: the checker's state, apart from the compiled model (the model
 * keeps no pointer into the syntax it came from). */
typedef struct wfc {
  cpw__checker *ck;
  cpw__compiler *cc;
  const cpw__decl *d;
  const cpw__wf_ast *w;
  struct cpw_workflow *wf;
  const char *file;
  cpw__scope sc;                  /* the case fields, for guards, updates and conditions */
  uint16_t esc_event, esc_role;   /* the default escalation */
  uint32_t ncand;                 /* (from-state, transition) pairs */
  const cpw__wf_ast_trans **tast; /* per compiled transition: its syntax */
} wfc;

/* Register the workflow in the policy (which owns it from then on). */
static int declare_workflow(wfc *c)
{
  cpw__checker *ck = c->ck;
  cpw_policy *pol = ck->pol;
  const cpw__decl *d = c->d;
  struct cpw_workflow *wf, **arr;
  if (cpw__map_get(&pol->workflow_index, d->name.str, d->name.len, NULL)) {
    werr(ck, c->file, d->name.line, d->name.col, "workflow '%.*s' is declared twice",
         (int)d->name.len, d->name.str);
    return 0;
  }
  if (pol->nworkflows >= CPW__WF_MAX_WORKFLOWS) {
    werr(ck, c->file, d->name.line, d->name.col, "a policy may declare at most %d workflows",
         CPW__WF_MAX_WORKFLOWS);
    return 0;
  }
  wf = walloc(ck, sizeof *wf);
  if (wf == NULL)
    return 0;
  cpw__map_init(&wf->role_index, pol->ctx);
  cpw__map_init(&wf->state_index, pol->ctx);
  cpw__map_init(&wf->event_index, pol->ctx);
  cpw__map_init(&wf->field_index, pol->ctx);
  /* the policy owns it from now on (its maps are freed with the policy) */
  arr = walloc(ck, (pol->nworkflows + 1) * sizeof *arr);
  if (arr == NULL)
    return 0;
  if (pol->nworkflows != 0)
    memcpy(arr, pol->workflows, pol->nworkflows * sizeof *arr);
  pol->workflows = arr;
  pol->workflows[pol->nworkflows] = wf;
  c->wf = wf;
  wf->policy = pol;
  wf->index = pol->nworkflows;
  wf->name = cpw__pol_str(ck, d->name.str, d->name.len);
  wf->title = cpw__pol_str(ck, d->title, d->title_len);
  wf->file = c->file;
  wf->line = d->name.line;
  if (wf->name == NULL || wf->title == NULL ||
      cpw__map_put(&pol->workflow_index, wf->name, d->name.len, pol->nworkflows) != CPW_OK) {
    ck->diags->oom = 1;
    return 0;
  }
  pol->nworkflows++;
  wf->rule = cpw__rule_add(ck, CPW_RULE_WORKFLOW, c->file, d->name.line, wf->name, &d->basis,
                           CPW__NO_RULE, NULL, CPW_DATE_MIN, -1);
  return 1;
}

/* Its calendar: the one named, else the policy's first. */
static void resolve_calendar(wfc *c)
{
  const cpw__wf_ast *w = c->w;
  cpw_policy *pol = c->ck->pol;
  uint32_t i;
  if (w->has_calendar) {
    for (i = 0; i < pol->ncalendars; i++)
      if (strlen(pol->calendars[i].name) == w->calendar.len &&
          memcmp(pol->calendars[i].name, w->calendar.str, w->calendar.len) == 0)
        c->wf->calendar = pol->calendars[i].cal;
    if (c->wf->calendar == NULL)
      werr(c->ck, c->file, w->calendar.line, w->calendar.col, "unknown calendar '%.*s'",
           (int)w->calendar.len, w->calendar.str);
  } else if (pol->ncalendars > 0) {
    c->wf->calendar = pol->calendars[0].cal;
  }
}

/* Roles, states (one initial; finals) and events, each name once. */
static int declare_names(wfc *c)
{
  cpw__checker *ck = c->ck;
  const cpw__wf_ast *w = c->w;
  struct cpw_workflow *wf = c->wf;
  const char *file = c->file;
  uint32_t i;
  int initials = 0;
  if (w->nroles > CPW__WF_MAX_ROLES) {
    werr(ck, file, w->roles[CPW__WF_MAX_ROLES].line, w->roles[CPW__WF_MAX_ROLES].col,
         "a workflow may have at most %d roles", CPW__WF_MAX_ROLES);
    return 0;
  }
  if (w->nstates > CPW__WF_MAX_STATES || w->nevents > CPW__WF_MAX_EVENTS) {
    werr(ck, file, c->d->line, c->d->col, "a workflow may have at most %d states and %d events",
         CPW__WF_MAX_STATES, CPW__WF_MAX_EVENTS);
    return 0;
  }
  wf->roles = walloc(ck, (w->nroles + 1) * sizeof *wf->roles);
  wf->states = walloc(ck, (w->nstates + 1) * sizeof *wf->states);
  wf->state_flags = walloc(ck, w->nstates + 1);
  wf->events = walloc(ck, (w->nevents + 1) * sizeof *wf->events);
  wf->carries = walloc(ck, (w->nevents + 1) * sizeof *wf->carries);
  if (wf->roles == NULL || wf->states == NULL || wf->state_flags == NULL || wf->events == NULL ||
      wf->carries == NULL)
    return 0;
  for (i = 0; i < w->nroles; i++)
    register_name(ck, file, &wf->role_index, wf->roles, &wf->nroles, &w->roles[i], "role");
  for (i = 0; i < w->nstates; i++) {
    const cpw__wf_ast_state *s = &w->states[i];
    if (!register_name(ck, file, &wf->state_index, wf->states, &wf->nstates, &s->name, "state"))
      continue;
    if (s->initial) {
      if (initials++ > 0)
        werr(ck, file, s->name.line, s->name.col,
             "state '%.*s' is a second initial state (a workflow has exactly one)",
             (int)s->name.len, s->name.str);
      wf->initial = (uint16_t)(wf->nstates - 1);
      if (s->final)
        werr(ck, file, s->name.line, s->name.col, "the initial state cannot be final");
    }
    wf->state_flags[wf->nstates - 1] =
      (uint8_t)((s->final ? CPW__ST_FINAL : 0) | (s->ongoing ? CPW__ST_ONGOING : 0));
  }
  if (initials == 0 && w->nstates > 0)
    werr(ck, file, c->d->line, c->d->col,
         "workflow '%s' has no initial state (mark one 'initial')", wf->name);
  if (w->nstates == 0)
    werr(ck, file, c->d->line, c->d->col, "workflow '%s' declares no states", wf->name);
  for (i = 0; i < w->nevents; i++)
    register_name(ck, file, &wf->event_index, wf->events, &wf->nevents, &w->events[i].name,
                  "event");
  return 1;
}

/* The case fields (no text), their defaults, the fields each event carries; the default
 * escalation. */
static int check_fields(wfc *c)
{
  cpw__checker *ck = c->ck;
  const cpw__wf_ast *w = c->w;
  struct cpw_workflow *wf = c->wf;
  const char *file = c->file;
  uint32_t i, j;
  if (w->nfields > CPW__WF_MAX_FIELDS) {
    werr(ck, file, c->d->line, c->d->col, "a workflow may have at most %d fields",
         CPW__WF_MAX_FIELDS);
    return 0;
  }
  for (i = 0; i < w->nfields; i++) {
    const cpw__wf_ast_field *f = &w->fields[i];
    if (f->type.base == T_TEXT) {
      werr(ck, file, f->name.line, f->name.col,
           "case fields cannot be text: keep names and notes in the agency's records, and "
           "use enums, flags, numbers and dates here");
      continue;
    }
    cpw__declare_field(ck, &wf->fields, &wf->nfields, &wf->field_index, &f->name, &f->type,
                       f->title, f->title_len, file);
  }
  wf->defaults = walloc(ck, (wf->nfields + 1) * sizeof *wf->defaults);
  if (wf->defaults == NULL)
    return 0;
  c->sc.fields = wf->fields;
  c->sc.nfields = wf->nfields;
  c->sc.index = &wf->field_index;
  c->sc.allow_defines = 0;
  c->sc.allow_asof = 1;
  for (i = 0; i < w->nfields; i++) {
    const cpw__wf_ast_field *f = &w->fields[i];
    uint32_t slot;
    if (f->init == NULL || !cpw__map_get(&wf->field_index, f->name.str, f->name.len, &slot))
      continue;
    if (cpw__const_value(ck, &c->sc, f->init, wf->fields[slot].type, wf->fields[slot].enum_id,
                         &wf->defaults[slot]) == CPW_OK)
      wf->default_known |= UINT64_C(1) << slot;
  }
  for (i = 0; i < w->nevents && i < wf->nevents; i++) {
    const cpw__wf_ast_event *e = &w->events[i];
    for (j = 0; j < e->ncarries; j++) {
      uint32_t slot;
      if (!cpw__map_get(&wf->field_index, e->carries[j].str, e->carries[j].len, &slot)) {
        werr(ck, file, e->carries[j].line, e->carries[j].col,
             "event '%s' carries unknown field '%.*s'", wf->events[i], (int)e->carries[j].len,
             e->carries[j].str);
        continue;
      }
      wf->carries[i] |= UINT64_C(1) << slot;
    }
  }
  c->esc_event = c->esc_role = CPW__WF_NONE;
  if (w->has_escalate) {
    lookup(ck, file, &wf->event_index, &w->esc_event, "event",
           ": declare it with 'event' and give it transitions", &c->esc_event);
    lookup(ck, file, &wf->role_index, &w->esc_role, "role", "", &c->esc_role);
  }
  return 1;
}

/* The fields a transition sets: known, of the right type. 0 on an error, -1 out of memory. */
static int check_sets(wfc *c, const cpw__wf_ast_trans *a, cpw__wf_trans *t)
{
  cpw__checker *ck = c->ck;
  struct cpw_workflow *wf = c->wf;
  uint32_t j;
  int ok = 1;
  if (a->nsets == 0)
    return 1;
  t->set_fields = walloc(ck, a->nsets * sizeof *t->set_fields);
  t->set_asts = walloc(ck, a->nsets * sizeof *t->set_asts);
  t->set_codes = walloc(ck, a->nsets * sizeof *t->set_codes);
  if (t->set_fields == NULL || t->set_asts == NULL || t->set_codes == NULL)
    return -1;
  for (j = 0; j < a->nsets; j++) {
    uint32_t slot;
    const cpw__field *fd;
    if (!cpw__map_get(&wf->field_index, a->sets[j].field.str, a->sets[j].field.len, &slot)) {
      werr(ck, c->file, a->sets[j].field.line, a->sets[j].field.col,
           "unknown field '%.*s' (declare it with 'field' in the workflow)",
           (int)a->sets[j].field.len, a->sets[j].field.str);
      ok = 0;
      continue;
    }
    fd = &wf->fields[slot];
    if (cpw__check_expr(ck, &c->sc, a->sets[j].expr, fd->type,
                        fd->type == T_ENUM || fd->type == T_SET ? fd->enum_id
                                                                : CPW__NO_ENUM) == T_ERROR) {
      ok = 0;
      continue;
    }
    if ((fd->type == T_ENUM || fd->type == T_SET) && a->sets[j].expr->enum_id != fd->enum_id) {
      werr(ck, c->file, a->sets[j].expr->line, a->sets[j].expr->col,
           "the value is not one of field '%s''s values", fd->name);
      ok = 0;
      continue;
    }
    t->set_fields[t->nsets] = (uint16_t)slot;
    t->set_asts[t->nsets] = a->sets[j].expr;
    t->nsets++;
  }
  return ok;
}

/* Transitions: event, from- and to-states, roles, guard, field updates, basis. */
static int check_transitions(wfc *c)
{
  cpw__checker *ck = c->ck;
  const cpw__wf_ast *w = c->w;
  struct cpw_workflow *wf = c->wf;
  const char *file = c->file;
  uint32_t i, j;
  if (w->ntrans > CPW__WF_MAX_TRANS) {
    werr(ck, file, w->trans[CPW__WF_MAX_TRANS].line, w->trans[CPW__WF_MAX_TRANS].col,
         "a workflow may have at most %d transitions", CPW__WF_MAX_TRANS);
    return 0;
  }
  wf->trans = walloc(ck, (w->ntrans + 1) * sizeof *wf->trans);
  c->tast = walloc(ck, (w->ntrans + 1) * sizeof *c->tast);
  if (wf->trans == NULL || c->tast == NULL)
    return 0;
  c->ncand = 0;
  for (i = 0; i < w->ntrans; i++) {
    const cpw__wf_ast_trans *a = &w->trans[i];
    cpw__wf_trans *t = &wf->trans[wf->ntrans];
    uint16_t idx;
    int ok = 1, sets;
    memset(t, 0, sizeof *t);
    t->line = a->line;
    t->to = CPW__WF_NONE;
    t->title = cpw__pol_str(ck, a->title, a->title_len);
    if (!lookup(ck, file, &wf->event_index, &a->event, "event",
                ": declare it with 'event NAME'", &t->event))
      ok = 0;
    for (j = 0; j < a->nfrom; j++) {
      if (!lookup(ck, file, &wf->state_index, &a->from[j], "state", "", &idx))
        ok = 0;
      else if (wf->state_flags[idx] & CPW__ST_FINAL) {
        werr(ck, file, a->from[j].line, a->from[j].col,
             "final state '%s' cannot have outgoing transitions", wf->states[idx]);
        ok = 0;
      }
    }
    if (a->has_to && !lookup(ck, file, &wf->state_index, &a->to, "state", "", &t->to))
      ok = 0;
    if (a->nroles == 0) {
      t->roles = ~UINT64_C(0);
    } else {
      for (j = 0; j < a->nroles; j++) {
        if (!lookup(ck, file, &wf->role_index, &a->roles[j], "role",
                    ": declare it in 'roles'", &idx))
          ok = 0;
        else
          t->roles |= UINT64_C(1) << idx;
      }
    }
    if (a->guard != NULL) {
      if (cpw__check_expr(ck, &c->sc, a->guard, T_BOOL, CPW__NO_ENUM) == T_BOOL)
        t->guard_ast = a->guard;
      else
        ok = 0;
    }
    sets = check_sets(c, a, t);
    if (sets < 0)
      return 0;
    if (!ok || !sets)
      continue;
    {
      char name[300];
      snprintf(name, sizeof name, "%s: on %s", wf->name, wf->events[t->event]);
      t->rule = cpw__rule_add(ck, CPW_RULE_TRANSITION, file, a->line,
                              cpw__pol_str(ck, name, strlen(name)), &a->basis, wf->rule, NULL,
                              CPW_DATE_MIN, -1);
    }
    c->tast[wf->ntrans] = a;
    c->ncand += a->any_from ? wf->nstates : a->nfrom;
    wf->ntrans++;
  }
  return 1;
}

/* Deadlines: the event expected, the state (or the start and stop events of a clock that runs
 * across states), units, condition, escalation, basis. */
static int check_deadlines(wfc *c)
{
  cpw__checker *ck = c->ck;
  const cpw__wf_ast *w = c->w;
  struct cpw_workflow *wf = c->wf;
  const char *file = c->file;
  uint32_t i, j;
  wf->deadlines = walloc(ck, (w->ndeadlines + 1) * sizeof *wf->deadlines);
  if (wf->deadlines == NULL)
    return 0;
  for (i = 0; i < w->ndeadlines; i++) {
    const cpw__wf_ast_deadline *a = &w->deadlines[i];
    cpw__wf_deadline *dl = &wf->deadlines[wf->ndeadlines];
    int ok = 1;
    memset(dl, 0, sizeof *dl);
    dl->every = (uint8_t)a->every;
    dl->unit = a->unit;
    dl->amount = a->amount;
    dl->line = a->line;
    if (!lookup(ck, file, &wf->event_index, &a->event, "event",
                " in deadline: declare it with 'event'", &dl->event))
      ok = 0;
    if (a->nstarts > 0) {
      /* a clock from an event: its start and stop events */
      dl->state = CPW__WF_NONE;
      dl->starts = walloc(ck, a->nstarts * sizeof *dl->starts);
      dl->stops = walloc(ck, (a->nstops + 1) * sizeof *dl->stops);
      if (dl->starts == NULL || dl->stops == NULL)
        return 0;
      for (j = 0; j < a->nstarts; j++)
        if (!lookup(ck, file, &wf->event_index, &a->starts[j], "event",
                    " (the event that starts the clock)", &dl->starts[dl->nstarts++]))
          ok = 0;
      for (j = 0; j < a->nstops; j++)
        if (!lookup(ck, file, &wf->event_index, &a->stops[j], "event",
                    " (an event that stops the clock)", &dl->stops[dl->nstops++]))
          ok = 0;
    } else if (!lookup(ck, file, &wf->state_index, &a->state, "state", " in deadline",
                       &dl->state))
      ok = 0;
    else if (wf->state_flags[dl->state] & CPW__ST_FINAL) {
      werr(ck, file, a->state.line, a->state.col, "a deadline cannot run in final state '%s'",
           wf->states[dl->state]);
      ok = 0;
    }
    if (a->unit == U_WORKING_DAYS && wf->calendar == NULL) {
      werr(ck, file, a->line, a->col, "working days need a calendar: declare one with "
                                      "'calendar'");
      ok = 0;
    }
    if (a->when != NULL) {
      if (cpw__check_expr(ck, &c->sc, a->when, T_BOOL, CPW__NO_ENUM) == T_BOOL)
        dl->when_ast = a->when;
      else
        ok = 0;
    }
    if (a->has_escalate) {
      if (!lookup(ck, file, &wf->event_index, &a->esc_event, "event",
                  " (escalation): declare it with 'event'", &dl->esc_event))
        ok = 0;
      if (!lookup(ck, file, &wf->role_index, &a->esc_role, "role", "", &dl->esc_role))
        ok = 0;
    } else if (w->has_escalate) {
      dl->esc_event = c->esc_event;
      dl->esc_role = c->esc_role;
    } else {
      werr(ck, file, a->line, a->col, "the deadline has no escalation: add 'escalate EVENT to "
                                      "ROLE' to it or to the workflow");
      ok = 0;
    }
    if (ok) {
      char name[300];
      snprintf(name, sizeof name, "%s: %s", wf->name, wf->events[dl->event]);
      dl->event_name = cpw__pol_str(ck, wf->events[dl->event], strlen(wf->events[dl->event]));
      dl->rule = cpw__rule_add(ck, CPW_RULE_DEADLINE, file, a->line,
                               cpw__pol_str(ck, name, strlen(name)), &a->basis, wf->rule, NULL,
                               CPW_DATE_MIN, -1);
      if (dl->event_name == NULL)
        return 0;
      wf->ndeadlines++;
    }
  }
  return 1;
}

/* Is state s one transition t may leave? ('*': every state that is not final) */
static int is_from(const wfc *c, uint32_t t, uint32_t s)
{
  const cpw__wf_ast_trans *a = c->tast[t];
  const struct cpw_workflow *wf = c->wf;
  uint32_t k;
  if (a->any_from)
    return !(wf->state_flags[s] & CPW__ST_FINAL);
  for (k = 0; k < a->nfrom; k++)
    if (strlen(wf->states[s]) == a->from[k].len &&
        memcmp(wf->states[s], a->from[k].str, a->from[k].len) == 0)
      return 1;
  return 0;
}

/* The run-time tables: transitions by (state, event) in declaration order; deadlines by
 * state, and the clocks that run across states. */
static int build_tables(wfc *c)
{
  cpw__checker *ck = c->ck;
  struct cpw_workflow *wf = c->wf;
  uint32_t cells = wf->nstates * wf->nevents, i, s, *count;
  count = walloc(ck, (cells + 1) * sizeof *count);
  wf->cand_start = walloc(ck, (cells + 1) * sizeof *wf->cand_start);
  wf->cand = walloc(ck, (c->ncand + 1) * sizeof *wf->cand);
  if (count == NULL || wf->cand_start == NULL || wf->cand == NULL)
    return 0;
  for (i = 0; i < wf->ntrans; i++)
    for (s = 0; s < wf->nstates; s++)
      if (is_from(c, i, s))
        count[s * wf->nevents + wf->trans[i].event]++;
  wf->cand_start[0] = 0;
  for (i = 0; i < cells; i++)
    wf->cand_start[i + 1] = wf->cand_start[i] + count[i];
  memset(count, 0, (cells + 1) * sizeof *count);
  for (i = 0; i < wf->ntrans; i++)
    for (s = 0; s < wf->nstates; s++)
      if (is_from(c, i, s)) {
        uint32_t cell = s * wf->nevents + wf->trans[i].event;
        wf->cand[wf->cand_start[cell] + count[cell]++] = (uint16_t)i;
      }
  count = walloc(ck, (wf->nstates + 1) * sizeof *count);
  wf->dl_start = walloc(ck, (wf->nstates + 1) * sizeof *wf->dl_start);
  wf->dl = walloc(ck, (wf->ndeadlines + 1) * sizeof *wf->dl);
  wf->across = walloc(ck, (wf->ndeadlines + 1) * sizeof *wf->across);
  if (count == NULL || wf->dl_start == NULL || wf->dl == NULL || wf->across == NULL)
    return 0;
  for (i = 0; i < wf->ndeadlines; i++) {
    if (wf->deadlines[i].state == CPW__WF_NONE)
      wf->across[wf->nacross++] = (uint16_t)i;
    else
      count[wf->deadlines[i].state]++;
  }
  for (i = 0; i < wf->nstates; i++) {
    wf->dl_start[i + 1] = wf->dl_start[i] + count[i];
    /* a case holds the clocks of its state and every clock that runs across states */
    if (count[i] + wf->nacross > CPW__WF_MAX_PENDING)
      werr(ck, c->file, c->d->line, c->d->col, "state '%s' has more than %d deadlines "
           "(counting the %u clocks that run across states)", wf->states[i],
           CPW__WF_MAX_PENDING, (unsigned)wf->nacross);
  }
  memset(count, 0, (wf->nstates + 1) * sizeof *count);
  for (i = 0; i < wf->ndeadlines; i++) {
    uint16_t st = wf->deadlines[i].state;
    if (st != CPW__WF_NONE)
      wf->dl[wf->dl_start[st] + count[st]++] = (uint16_t)i;
  }
  return 1;
}

/* Warnings: a transition that can never fire (an earlier one on the same state and event has
 * no guard and allows every role it allows), an event without a transition. */
static void lint_transitions(wfc *c)
{
  const struct cpw_workflow *wf = c->wf;
  uint32_t cell, i, j;
  for (cell = 0; cell < wf->nstates * wf->nevents; cell++)
    for (i = wf->cand_start[cell]; i < wf->cand_start[cell + 1]; i++)
      for (j = wf->cand_start[cell]; j < i; j++) {
        const cpw__wf_trans *early = &wf->trans[wf->cand[j]];
        const cpw__wf_trans *late = &wf->trans[wf->cand[i]];
        if (early->guard_ast == NULL && (late->roles & ~early->roles) == 0) {
          wwarn(c->ck, c->file, late->line, c->tast[wf->cand[i]]->col,
                "this transition on '%s' from '%s' can never fire: the one at line %d "
                "comes first, has no guard and allows the same roles",
                wf->events[late->event], wf->states[cell / wf->nevents], early->line);
          break;
        }
      }
  for (i = 0; i < wf->nevents; i++) {
    int used = 0;
    uint32_t t;
    for (t = 0; t < wf->ntrans && !used; t++)
      used = wf->trans[t].event == i;
    if (!used)
      wwarn(c->ck, c->file, c->w->events[i].name.line, c->w->events[i].name.col,
            "event '%s' has no transition: no case will ever accept it", wf->events[i]);
  }
}

/* The guards, updates and deadline conditions as VM code (fast, and traced for the
 * explanations of refused guards). */
static void compile_code(wfc *c)
{
  struct cpw_workflow *wf = c->wf;
  uint32_t i, j;
  for (i = 0; i < wf->ntrans; i++) {
    cpw__wf_trans *t = &wf->trans[i];
    if (t->guard_ast != NULL &&
        (!compile(c->ck, c->cc, t->guard_ast, 0, &t->guard) ||
         !compile(c->ck, c->cc, t->guard_ast, 1, &t->guard_traced)))
      return;
    for (j = 0; j < t->nsets; j++)
      if (!compile(c->ck, c->cc, t->set_asts[j], 0, &t->set_codes[j]))
        return;
  }
  for (i = 0; i < wf->ndeadlines; i++)
    if (wf->deadlines[i].when_ast != NULL &&
        !compile(c->ck, c->cc, wf->deadlines[i].when_ast, 0, &wf->deadlines[i].when))
      return;
}

/* A workflow declaration, in phases: declare it, its calendar, its names, its fields, its
 * transitions and deadlines; then (no error so far) the run-time tables, the warnings, the
 * graph checks (reachable states, a way to a final state), and the code. */
void cpw__check_workflow(cpw__checker *ck, cpw__compiler *cc, cpw__decl *d)
{
  wfc c;
  uint32_t errors_before = (uint32_t)ck->diags->errors;
  memset(&c, 0, sizeof c);
  c.ck = ck;
  c.cc = cc;
  c.d = d;
  c.w = d->ext;
  c.file = d->file;
  ck->file = d->file;
  cc->file = d->file;
  if (!declare_workflow(&c))
    return;
  resolve_calendar(&c);
  if (!declare_names(&c) || !check_fields(&c) || !check_transitions(&c) ||
      !check_deadlines(&c))
    return;
  if ((uint32_t)ck->diags->errors != errors_before || ck->diags->oom)
    return;
  if (!build_tables(&c))
    return;
  lint_transitions(&c);
  graph_checks(ck, c.w, c.wf);
  if ((uint32_t)ck->diags->errors != errors_before)
    return;
  compile_code(&c);
}
