/* SPDX-License-Identifier: Apache-2.0 */
/* policy/pl_check.c: checks and compiles care settings, facilities and placement rules. */
#include <stdio.h>

#include "policy/basis_syntax.h"
#include "policy/pl_syntax.h"

/* short local names for the checker's helpers (check.h) */
#define perr cpw__check_error
#define palloc cpw__check_alloc

void cpw__placement_free_maps(cpw__placement_policy *pp)
{
  if (pp == NULL)
    return;
  cpw__map_free(&pp->setting_index);
  cpw__map_free(&pp->slot_index);
}

static int64_t or_default(int64_t v, int64_t def)
{
  return v != CPW__NO_LIMIT ? v : def;
}

const char *const cpw__pl_disability_levels[CPW__PL_NDISABILITY] = {
  "none", "moderate", "severe", "profound"
};

/* a field of the gatekeeping scope */
static void slot(cpw__checker *ck, cpw__placement_policy *pp, const char *name, uint8_t type,
                 const char *const *members, uint32_t nmembers)
{
  cpw__ast_name nm;
  cpw__ast_type t;
  uint32_t lens[CPW__MAX_ENUM_MEMBERS], i;
  const char *mem[CPW__MAX_ENUM_MEMBERS];
  memset(&nm, 0, sizeof nm);
  memset(&t, 0, sizeof t);
  nm.str = name;
  nm.len = (uint32_t)strlen(name);
  t.base = type;
  if (members != NULL) {
    for (i = 0; i < nmembers && i < CPW__MAX_ENUM_MEMBERS; i++) {
      lens[i] = (uint32_t)strlen(members[i]);
      mem[i] = members[i];
    }
    t.members = mem;
    t.member_lens = lens;
    t.nmembers = nmembers;
  }
  cpw__declare_field(ck, &pp->slots, &pp->nslots, &pp->slot_index, &nm, &t, NULL, 0, "<policy>");
}

/* The rules of a setting or facility: the declaration, and its capacity and ages when it
 * states them (else they are the setting's: `capacity_inherit`, `ages_inherit`). A stated
 * capacity or age range without a basis of its own has the declaration's. */
static void limit_rules(cpw__checker *ck, const cpw__decl *d, const cpw__pl_ast *a, int kind,
                        const char *id, uint32_t inherit, uint32_t capacity_inherit,
                        uint32_t ages_inherit, uint32_t *rule, uint32_t *capacity_rule,
                        uint32_t *ages_rule)
{
  char name[300], prefix[300];
  snprintf(prefix, sizeof prefix, "%s %s: ", kind == CPW_RULE_SETTING ? "setting" : "facility",
           id);
  *rule = cpw__rule_add(ck, kind, d->file, d->name.line, id, &d->basis, inherit, NULL,
                        CPW_DATE_MIN, -1);
  *capacity_rule = capacity_inherit;
  *ages_rule = ages_inherit;
  if (a->capacity != CPW__NO_LIMIT) {
    snprintf(name, sizeof name, "%s capacity", id);
    *capacity_rule = cpw__rule_add(ck, kind, d->file,
                                   a->capacity_basis.line ? a->capacity_basis.line : d->name.line,
                                   cpw__pol_str(ck, name, strlen(name)), &a->capacity_basis,
                                   *rule,
                                   cpw__fold_text(ck, prefix, a->capacity_basis.text,
                                                  a->capacity_basis.text_len),
                                   CPW_DATE_MIN, -1);
  }
  if (a->min_age != CPW__NO_LIMIT) {
    snprintf(name, sizeof name, "%s ages", id);
    *ages_rule = cpw__rule_add(ck, kind, d->file,
                               a->ages_basis.line ? a->ages_basis.line : d->name.line,
                               cpw__pol_str(ck, name, strlen(name)), &a->ages_basis, *rule,
                               cpw__fold_text(ck, prefix, a->ages_basis.text,
                                              a->ages_basis.text_len),
                               CPW_DATE_MIN, -1);
  }
}

/* The placement part of a policy being checked. */
typedef struct plc {
  cpw__checker *ck;
  cpw__compiler *cc;
  cpw__decl *decls;
  cpw__decl *rules;              /* the placement rules, or NULL */
  cpw__placement_policy *pp;
  const char **setting_names;
} plc;

/* Count the declarations and make the model; 0 when there is nothing to check or an error. */
static int declare_placement(plc *c)
{
  cpw__checker *ck = c->ck;
  cpw_policy *pol = ck->pol;
  cpw__placement_policy *pp;
  cpw__decl *d;
  uint32_t n = 0, nf = 0;
  for (d = c->decls; d != NULL; d = d->next) {
    n += d->kind == D_SETTING;
    nf += d->kind == D_FACILITY;
    if (d->kind == D_PLACEMENT) {
      if (c->rules != NULL) {
        perr(ck, d->file, d->line, d->col, "placement rules are already declared at %s:%d",
             c->rules->file, c->rules->line);
        return 0;
      }
      c->rules = d;
    }
  }
  if (n == 0 && nf == 0 && c->rules == NULL)
    return 0;
  pp = palloc(ck, sizeof *pp);
  if (pp == NULL)
    return 0;
  cpw__map_init(&pp->setting_index, pol->ctx);
  cpw__map_init(&pp->slot_index, pol->ctx);
  pol->placement = pp; /* owned by the policy from here (its maps are freed with it) */
  c->pp = pp;
  pp->settings = palloc(ck, (n + 1) * sizeof *pp->settings);
  pp->facilities = palloc(ck, (nf + 1) * sizeof *pp->facilities);
  c->setting_names = palloc(ck, (n + 1) * sizeof *c->setting_names);
  if (pp->settings == NULL || pp->facilities == NULL || c->setting_names == NULL)
    return 0;
  if (n > CPW__MAX_ENUM_MEMBERS) {
    perr(ck, c->decls->file, 1, 1, "a policy may declare at most %d care settings",
         CPW__MAX_ENUM_MEMBERS);
    return 0;
  }
  return 1;
}

/* Care settings: each once, with its category, limits and bases. */
static int check_setting_decls(plc *c)
{
  cpw__checker *ck = c->ck;
  cpw__placement_policy *pp = c->pp;
  cpw__decl *d;
  for (d = c->decls; d != NULL; d = d->next) {
    const cpw__pl_ast *a = d->ext;
    cpw__setting *s;
    if (d->kind != D_SETTING)
      continue;
    if (cpw__map_get(&pp->setting_index, d->name.str, d->name.len, NULL)) {
      perr(ck, d->file, d->name.line, d->name.col, "setting '%.*s' is declared twice",
           (int)d->name.len, d->name.str);
      continue;
    }
    s = &pp->settings[pp->nsettings];
    s->id = cpw__pol_str(ck, d->name.str, d->name.len);
    s->title = cpw__pol_str(ck, d->title, d->title_len);
    if (s->id == NULL || s->title == NULL ||
        cpw__map_put(&pp->setting_index, s->id, d->name.len, pp->nsettings) != CPW_OK) {
      ck->diags->oom = 1;
      return 0;
    }
    s->category = a->category;
    s->capacity = a->capacity;
    s->min_age = a->min_age;
    s->max_age = a->max_age;
    limit_rules(ck, d, a, CPW_RULE_SETTING, s->id, CPW__NO_RULE, CPW__NO_RULE, CPW__NO_RULE,
                &s->rule, &s->capacity_rule, &s->ages_rule);
    c->setting_names[pp->nsettings] = s->id;
    pp->nsettings++;
  }
  return 1;
}

/* Facilities: each once, of a declared setting, whose limits they inherit unless they state
 * their own. */
static int check_facility_decls(plc *c)
{
  cpw__checker *ck = c->ck;
  cpw__placement_policy *pp = c->pp;
  cpw__decl *d;
  for (d = c->decls; d != NULL; d = d->next) {
    const cpw__pl_ast *a = d->ext;
    cpw__facility_decl *f;
    uint32_t s, k;
    if (d->kind != D_FACILITY)
      continue;
    for (k = 0; k < pp->nfacilities; k++)
      if (strlen(pp->facilities[k].id) == d->name.len &&
          memcmp(pp->facilities[k].id, d->name.str, d->name.len) == 0)
        break;
    if (k < pp->nfacilities) {
      perr(ck, d->file, d->name.line, d->name.col, "facility '%.*s' is declared twice",
           (int)d->name.len, d->name.str);
      continue;
    }
    if (!cpw__map_get(&pp->setting_index, a->setting.str, a->setting.len, &s)) {
      perr(ck, d->file, a->setting.line, a->setting.col,
           "unknown setting '%.*s' (declare it with 'setting')", (int)a->setting.len,
           a->setting.str);
      continue;
    }
    f = &pp->facilities[pp->nfacilities];
    f->id = cpw__pol_str(ck, d->name.str, d->name.len);
    f->name = cpw__pol_str(ck, d->title, d->title_len);
    f->region = cpw__pol_str(ck, a->region, a->region_len);
    if (f->id == NULL || f->name == NULL || f->region == NULL)
      return 0;
    f->setting = s;
    f->capacity = or_default(a->capacity, pp->settings[s].capacity);
    f->min_age = or_default(a->min_age, pp->settings[s].min_age);
    f->max_age = or_default(a->max_age, pp->settings[s].max_age);
    limit_rules(ck, d, a, CPW_RULE_FACILITY, f->id, pp->settings[s].rule,
                pp->settings[s].capacity_rule, pp->settings[s].ages_rule, &f->rule,
                &f->capacity_rule, &f->ages_rule);
    pp->nfacilities++;
  }
  return 1;
}

/* The facts a gatekeeping formula reads (slot order = the CPW__PL_* enum). */
static int declare_slots(plc *c)
{
  static const char *const cats[] = { "family", "family_type", "residential", "own_family" };
  static const char *const none[] = { "none" };
  cpw__checker *ck = c->ck;
  cpw__placement_policy *pp = c->pp;
  slot(ck, pp, "age", T_INT, NULL, 0);
  slot(ck, pp, "category", T_ENUM, cats, CPW__NCATEGORIES);
  if (pp->nsettings > 0)
    slot(ck, pp, "setting", T_ENUM, c->setting_names, pp->nsettings);
  else
    slot(ck, pp, "setting", T_ENUM, none, 1);
  slot(ck, pp, "capacity", T_INT, NULL, 0);
  slot(ck, pp, "occupancy", T_INT, NULL, 0);
  slot(ck, pp, "min_age", T_INT, NULL, 0);
  slot(ck, pp, "max_age", T_INT, NULL, 0);
  slot(ck, pp, "emergency", T_BOOL, NULL, 0);
  slot(ck, pp, "keep_siblings_together", T_BOOL, NULL, 0);
  slot(ck, pp, "siblings_elsewhere", T_BOOL, NULL, 0);
  slot(ck, pp, "disability", T_ENUM, cpw__pl_disability_levels, CPW__PL_NDISABILITY);
  return !ck->diags->oom && pp->nslots == CPW__PL_NSLOTS;
}

/* The placement rules: their bases, the preference order, the roles that place, the review
 * period and leaving-care age, and each gatekeeping formula (checked). */
static int check_placement_rules(plc *c)
{
  cpw__checker *ck = c->ck;
  cpw__placement_policy *pp = c->pp;
  cpw__decl *rules = c->rules;
  const cpw__pl_ast *a = rules->ext;
  cpw__scope sc;
  uint32_t i;
  pp->declared = 1;
  pp->rule = cpw__rule_add(ck, CPW_RULE_PLACEMENT, rules->file, rules->line,
                           "placement rules", &rules->basis, CPW__NO_RULE, NULL,
                           CPW_DATE_MIN, -1);
  if (a->npreference > 0)
    pp->preference_rule = cpw__rule_add(ck, CPW_RULE_PLACEMENT, rules->file,
                                        a->preference[0].line, "placement: preference",
                                        &a->preference_basis, pp->rule, NULL, CPW_DATE_MIN, -1);
  if (a->review_amount > 0)
    pp->review_rule = cpw__rule_add(ck, CPW_RULE_PLACEMENT, rules->file, rules->line,
                                    "placement: review", &a->review_basis, pp->rule, NULL,
                                    CPW_DATE_MIN, -1);
  if (a->leaving_age > 0)
    pp->leaving_rule = cpw__rule_add(ck, CPW_RULE_PLACEMENT, rules->file, rules->line,
                                     "placement: leaving care", &a->leaving_basis, pp->rule,
                                     NULL, CPW_DATE_MIN, -1);
  pp->preference = palloc(ck, (a->npreference + 1) * sizeof *pp->preference);
  pp->roles = palloc(ck, (a->nroles + 1) * sizeof *pp->roles);
  pp->rules = palloc(ck, (a->nrules + 1) * sizeof *pp->rules);
  if (pp->preference == NULL || pp->roles == NULL || pp->rules == NULL)
    return 0;
  for (i = 0; i < a->npreference; i++) {
    uint32_t s, k;
    if (!cpw__map_get(&pp->setting_index, a->preference[i].str, a->preference[i].len, &s)) {
      perr(ck, rules->file, a->preference[i].line, a->preference[i].col,
           "unknown setting '%.*s' in the preference order", (int)a->preference[i].len,
           a->preference[i].str);
      continue;
    }
    for (k = 0; k < pp->npreference; k++)
      if (pp->preference[k] == s)
        perr(ck, rules->file, a->preference[i].line, a->preference[i].col,
             "setting '%s' is listed twice in the preference order", pp->settings[s].id);
    pp->preference[pp->npreference++] = s;
  }
  for (i = 0; i < a->nroles; i++) {
    pp->roles[i] = cpw__pol_str(ck, a->roles[i].str, a->roles[i].len);
    if (pp->roles[i] == NULL)
      return 0;
  }
  pp->nroles = a->nroles;
  pp->review_amount = a->review_amount;
  pp->review_unit = a->review_unit;
  pp->leaving_age = a->leaving_age;
  sc.fields = pp->slots;
  sc.nfields = pp->nslots;
  sc.index = &pp->slot_index;
  sc.allow_defines = 0;
  sc.allow_asof = 1;
  ck->file = rules->file;
  c->cc->file = rules->file;
  for (i = 0; i < a->nrules; i++) {
    cpw__pl_rule *r = &pp->rules[pp->nrules];
    char name[300];
    r->warn = a->rules[i].warn;
    r->line = a->rules[i].line;
    r->reason = cpw__pol_str(ck, a->rules[i].reason, a->rules[i].reason_len);
    if (r->reason == NULL)
      return 0;
    if (cpw__check_expr(ck, &sc, a->rules[i].when, T_BOOL, CPW__NO_ENUM) != T_BOOL)
      continue;
    r->when_ast = a->rules[i].when;
    snprintf(name, sizeof name, "placement: %s \"%.200s\"", r->warn ? "warn" : "deny",
             r->reason);
    r->rule = cpw__rule_add(ck, CPW_RULE_GATEKEEPING, rules->file, r->line,
                            cpw__pol_str(ck, name, strlen(name)), &a->rules[i].basis,
                            pp->rule, NULL, CPW_DATE_MIN, -1);
    pp->nrules++;
  }
  return 1;
}

/* The gatekeeping formulas as VM code (fast, and traced for the explanations of denials). */
static void compile_rules(plc *c)
{
  cpw__placement_policy *pp = c->pp;
  uint32_t i;
  for (i = 0; i < pp->nrules; i++) {
    cpw__pl_rule *r = &pp->rules[i];
    int rc = cpw__compile_expr(c->cc, r->when_ast, 0, &r->when);
    if (rc == CPW_OK)
      rc = cpw__compile_expr(c->cc, r->when_ast, 1, &r->when_traced);
    if (rc != CPW_OK) {
      if (rc == CPW_ENOMEM)
        c->ck->diags->oom = 1;
      return;
    }
  }
}

/* Care settings, facilities and the placement rules, in phases: declare the model, the
 * settings, the facilities, the facts gatekeeping reads, the rules; then (no error so far)
 * their code. */
void cpw__check_settings(cpw__checker *ck, cpw__compiler *cc, cpw__decl *decls)
{
  plc c;
  memset(&c, 0, sizeof c);
  c.ck = ck;
  c.cc = cc;
  c.decls = decls;
  if (!declare_placement(&c) || !check_setting_decls(&c) || !check_facility_decls(&c) ||
      !declare_slots(&c))
    return;
  c.pp->rule = c.pp->preference_rule = c.pp->review_rule = c.pp->leaving_rule = CPW__NO_RULE;
  if (c.rules == NULL)
    return;
  if (!check_placement_rules(&c) || ck->diags->errors != 0)
    return;
  compile_rules(&c);
}
