/* SPDX-License-Identifier: Apache-2.0 */
/* placement/registry.c: facilities, children and placement episodes; gatekeeping; reviews and
 * leaving care. */
#include <stdio.h>
#include <stdlib.h>

#include "base/utf8.h"
#include "placement/registry.h"
#include "policy/labels.h"
#include "policy/basis.h"
#include "policy/units.h"

static const char *const exit_names[CPW_EXIT_REASON_COUNT] = {
  "reunified", "kinship", "fostered", "adopted", "moved", "aged_out", "died", "other",
};
static const char *const category_names[CPW__NCATEGORIES] = { "family", "family_type",
                                                               "residential", "own_family" };

const char *cpw_exit_reason_name(int r)
{
  return r >= 0 && r < CPW_EXIT_REASON_COUNT ? exit_names[r] : "unknown";
}

int cpw_exit_reason_from_name(const char *name)
{
  int i;
  if (name == NULL)
    return CPW_EINVALID;
  for (i = 0; i < CPW_EXIT_REASON_COUNT; i++)
    if (strcmp(name, exit_names[i]) == 0)
      return i;
  return CPW_ENOTFOUND;
}

const char *cpw_category_name(int c)
{
  return c >= 0 && c < CPW__NCATEGORIES ? category_names[c] : "unknown";
}

size_t cpw_policy_setting_count(const cpw_policy *p)
{
  return p != NULL && p->placement != NULL ? p->placement->nsettings : 0;
}

const char *cpw_policy_setting(const cpw_policy *p, size_t i)
{
  return i < cpw_policy_setting_count(p) ? p->placement->settings[i].id : NULL;
}

int cpw_policy_setting_category(const cpw_policy *p, size_t i)
{
  return i < cpw_policy_setting_count(p) ? p->placement->settings[i].category : CPW_EINVALID;
}

/* ------------------------------------------------------------------ lifecycle */

static uint32_t region_of(cpw_registry *reg, const char *name, int add)
{
  uint32_t v;
  size_t n = name != NULL ? strlen(name) : 0;
  if (n == 0)
    return 0;
  if (cpw__map_get(&reg->region_index, name, n, &v))
    return v;
  if (!add)
    return CPW__PL_NONE;
  {
    char *copy = cpw__arena_strndup(&reg->arena, name, n);
    if (copy == NULL ||
        cpw__grow(reg->ctx, (void **)&reg->regions, &reg->regions_cap, reg->nregions + 1,
                  sizeof *reg->regions) != CPW_OK ||
        cpw__map_put(&reg->region_index, copy, n, (uint32_t)reg->nregions) != CPW_OK)
      return CPW__PL_NONE - 1;
    reg->regions[reg->nregions] = copy;
    return (uint32_t)reg->nregions++;
  }
}

void cpw_registry_free(cpw_registry *reg)
{
  if (reg == NULL)
    return;
  cpw__free(reg->ctx, reg->children, reg->children_cap * sizeof *reg->children);
  cpw__free(reg->ctx, reg->facilities, reg->facilities_cap * sizeof *reg->facilities);
  cpw__free(reg->ctx, reg->episodes, reg->episodes_cap * sizeof *reg->episodes);
  cpw__free(reg->ctx, (void *)reg->regions, reg->regions_cap * sizeof *reg->regions);
  cpw__map_free(&reg->child_index);
  cpw__map_free(&reg->facility_index);
  cpw__map_free(&reg->region_index);
  cpw__map_free(&reg->group_index);
  cpw__free(reg->ctx, reg->group_first, reg->group_first_cap * sizeof *reg->group_first);
  cpw__vm_free(&reg->vm);
  cpw__free(reg->ctx, reg->trace, reg->trace_cap * sizeof *reg->trace);
  cpw__explainer_free(&reg->ex);
  cpw__buf_free(&reg->msg);
  cpw__arena_free(&reg->arena);
  cpw__free(reg->ctx, reg, sizeof *reg);
}

int cpw_registry_new(cpw_registry **out, cpw_ctx *ctx, const cpw_policy *policy)
{
  cpw_registry *reg;
  uint32_t i;
  int rc = CPW_OK;
  if (out != NULL)
    *out = NULL;
  if (ctx == NULL)
    return CPW_EINVALID;
  if (out == NULL || policy == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "cpw_registry_new: NULL argument");
  if (policy->placement == NULL)
    return cpw__set_error(ctx, CPW_EINVALID, "the policy declares no care settings");
  reg = cpw__calloc(ctx, 1, sizeof *reg);
  if (reg == NULL)
    return CPW_ENOMEM;
  reg->ctx = ctx;
  reg->policy = policy;
  reg->pp = policy->placement;
  cpw__arena_init(&reg->arena, ctx);
  cpw__map_init(&reg->child_index, ctx);
  cpw__map_init(&reg->facility_index, ctx);
  cpw__map_init(&reg->region_index, ctx);
  cpw__map_init(&reg->group_index, ctx);
  cpw__explainer_init(&reg->ex, ctx);
  cpw__buf_init(&reg->msg, ctx);
  for (i = 0; i < CPW__PL_NSLOTS; i++)
    reg->cols[i] = &reg->vals[i];
  if (cpw__grow(ctx, (void **)&reg->regions, &reg->regions_cap, 1, sizeof *reg->regions) !=
        CPW_OK ||
      cpw__vm_init(&reg->vm, ctx, policy->max_regs, 1) != CPW_OK) {
    cpw_registry_free(reg);
    return CPW_ENOMEM;
  }
  reg->regions[0] = "";
  reg->nregions = 1;
  reg->trace_cap = (size_t)policy->max_nodes + 1;
  reg->trace = cpw__calloc(ctx, reg->trace_cap, sizeof *reg->trace);
  if (reg->trace == NULL) {
    cpw_registry_free(reg);
    return CPW_ENOMEM;
  }
  reg->vm.policy = policy;
  reg->vm.tz_minutes = policy->tz_minutes;
  reg->vm.calendar = policy->ncalendars > 0 ? policy->calendars[0].cal : NULL;
  for (i = 0; i < reg->pp->nfacilities && rc == CPW_OK; i++) {
    const cpw__facility_decl *f = &reg->pp->facilities[i];
    rc = cpw_registry_add_facility(reg, f->id, reg->pp->settings[f->setting].id, f->name,
                                   f->region, (int)f->capacity, (int)f->min_age,
                                   (int)f->max_age);
  }
  if (rc != CPW_OK) {
    cpw_registry_free(reg);
    return rc;
  }
  *out = reg;
  return CPW_OK;
}

/* ------------------------------------------------------------------ checking */

static int find(const cpw__map *m, const char *id, uint32_t *v)
{
  return id != NULL && cpw__map_get(m, id, strlen(id), v);
}

static int id_ok(cpw_registry *reg, const char *id, const char *what)
{
  size_t n;
  if (id == NULL || (n = strlen(id)) == 0 || n > 256 || !cpw__utf8_valid(id, n))
    return cpw__set_error(reg->ctx, CPW_EINVALID, "%s: an id of 1 to 256 bytes of UTF-8 is "
                          "needed", what);
  return CPW_OK;
}

/* names, regions and groups are stored and journaled: valid UTF-8 (or NULL) */
static int text_ok(const char *s)
{
  return s == NULL || cpw__utf8_valid(s, strlen(s));
}

static int64_t age_on(int64_t birth, int64_t date)
{
  int years;
  if (birth == CPW_DATE_MIN || cpw_date_age(&years, (cpw_date)birth, (cpw_date)date) != CPW_OK)
    return -1;
  return years;
}

/* Fill the gatekeeping slots for placing child c in setting s (facility f or none). */
static void fill_slots(cpw_registry *reg, const cpw__child *c, uint32_t s, uint32_t f,
                       int64_t date, const cpw_placement_request *req)
{
  const cpw__setting *st = &reg->pp->settings[s];
  int64_t age = age_on(c->birth, date), cap, lo, hi, occ = 0;
  int elsewhere = 0;
  uint32_t i;
  memset(reg->known, 0, sizeof reg->known);
#define SET(slot, v) (reg->vals[slot] = (v), reg->known[slot] = 1)
  if (age >= 0)
    SET(CPW__PL_AGE, age);
  SET(CPW__PL_CATEGORY, st->category);
  SET(CPW__PL_SETTING, s);
  if (f != CPW__PL_NONE) {
    const cpw__facility *fa = &reg->facilities[f];
    cap = fa->capacity;
    lo = fa->min_age;
    hi = fa->max_age;
    occ = fa->occupancy;
    if (c->current != CPW__PL_NONE && reg->episodes[c->current].facility == f)
      occ--; /* moving within the facility does not take a second place */
  } else {
    cap = st->capacity;
    lo = st->min_age;
    hi = st->max_age;
  }
  if (cap != CPW__NO_LIMIT)
    SET(CPW__PL_CAPACITY, cap);
  SET(CPW__PL_OCCUPANCY, occ);
  if (lo != CPW__NO_LIMIT)
    SET(CPW__PL_MIN_AGE, lo);
  if (hi != CPW__NO_LIMIT)
    SET(CPW__PL_MAX_AGE, hi);
  SET(CPW__PL_EMERGENCY, req->emergency != 0);
  SET(CPW__PL_KEEP_SIBLINGS, req->keep_siblings_together != 0);
  if (c->group != CPW__PL_NONE) {
    /* the group's own list: a linear scan of every child made placing siblings O(children) */
    for (i = reg->group_first[c->group]; i != CPW__PL_NONE && !elsewhere;
         i = reg->children[i].next_sibling) {
      const cpw__child *o = &reg->children[i];
      if (o == c || o->current == CPW__PL_NONE)
        continue;
      {
        const cpw__episode *e = &reg->episodes[o->current];
        elsewhere = f != CPW__PL_NONE ? e->facility != f : (e->setting != s ||
                                                               e->facility != CPW__PL_NONE);
      }
    }
  }
  SET(CPW__PL_SIBLINGS_ELSEWHERE, elsewhere);
  if (req->version >= 2 && req->disability != NULL) {
    for (i = 0; i < CPW__PL_NDISABILITY; i++)
      if (strcmp(req->disability, cpw__pl_disability_levels[i]) == 0)
        SET(CPW__PL_DISABILITY, (int64_t)i);
  }
#undef SET
  reg->vm.as_of = date;
}

/* CPW__TRUE, CPW__FALSE, CPW__UNKNOWN, CPW__EVAL_ERROR (the one formula runner, vm.h) */
static int run_rule(cpw_registry *reg, const cpw__code *code, int traced)
{
  cpw__vm_in in;
  in.col = reg->cols;
  in.known = reg->known;
  return cpw__formula(&reg->vm, code, &in, traced ? reg->trace : NULL, &reg->gen);
}

/* "reason (age is 2, category is residential, ...)" into reg->msg: CPW_OK or CPW_ENOMEM (a
 * denial or warning is never given with its explanation cut short) */
static int explain_rule(cpw_registry *reg, const cpw__pl_rule *rule, int value)
{
  int rc = CPW_OK;
  /* in the context's language (the policy's names and English words by default) */
  const cpw__lang *lang = cpw__policy_lang(reg->policy, reg->ctx->lang);
  const char *reason = NULL;
  if (lang == NULL)
    lang = cpw__lang_names();
  if (lang->labels)
    reason = cpw__label(reg->policy, lang, "reason", rule->reason, strlen(rule->reason));
  if (reg->msg.len > 0)
    rc = cpw__buf_adds(&reg->msg, "; ");
  if (rc == CPW_OK)
    rc = cpw__buf_adds(&reg->msg, lang->msg[rule->warn ? MSG_WARNING : MSG_DENIED]);
  if (rc == CPW_OK)
    rc = cpw__buf_adds(&reg->msg, ": ");
  if (rc == CPW_OK)
    rc = cpw__buf_adds(&reg->msg, reason != NULL ? reason : rule->reason);
  if (rc == CPW_OK && value < 0)
    rc = cpw__buf_adds(&reg->msg, lang->msg[MSG_NOT_CHECKED]);
  if (rc != CPW_OK)
    return rc;
  run_rule(reg, &rule->when_traced, 1);
  cpw__explainer_reset(&reg->ex, reg->policy, reg->trace, reg->gen, NULL);
  cpw__explainer_lang(&reg->ex, lang);
  cpw__explainer_scope(&reg->ex, NULL, 1);
  cpw__explain_node(&reg->ex, rule->when_ast);
  if (reg->ex.oom || cpw__explain_finish(&reg->ex) != CPW_OK)
    return cpw__set_error(reg->ctx, CPW_ENOMEM, "out of memory explaining a placement rule");
  if (reg->ex.count > 0) {
    rc = cpw__buf_adds(&reg->msg, " (");
    if (rc == CPW_OK)
      rc = cpw__explain_render(&reg->ex, &reg->msg);
    if (rc == CPW_OK)
      rc = cpw__buf_adds(&reg->msg, ")");
  }
  {
    /* the rule's basis: "agency default, not law (UN Guidelines ..., para. 22)" */
    const struct cpw_rule *r = cpw__rule(reg->policy, rule->rule);
    if (rc == CPW_OK && r != NULL && r->basis_text != NULL && r->basis_text[0] != '\0')
      rc = cpw__buf_printf(&reg->msg, " [basis: %s]", r->basis_text);
  }
  return rc;
}

/* Run the gatekeeping rules: CPW_OK (warnings in reg->msg), CPW_EDENIED, or CPW_ENOMEM when
 * the explanation could not be written. */
static int gatekeep(cpw_registry *reg, const cpw__child *c, uint32_t s, uint32_t f,
                    int64_t date, const cpw_placement_request *req, int explain)
{
  uint32_t i;
  int denied = 0;
  fill_slots(reg, c, s, f, date, req);
  for (i = 0; i < reg->pp->nrules; i++) {
    const cpw__pl_rule *rule = &reg->pp->rules[i];
    int v = run_rule(reg, &rule->when, 0);
    if (v == CPW__FALSE)
      continue;
    /* true, or unknown for missing data or a value out of range (not checked): a denial
     * stands (never place on unchecked rules); a warning is given */
    if (v == CPW__EVAL_ERROR)
      v = CPW__UNKNOWN;
    if (!rule->warn)
      denied = 1;
    if (explain && explain_rule(reg, rule, v) != CPW_OK) {
      cpw__buf_clear(&reg->msg);
      return CPW_ENOMEM;
    }
    if (denied && !explain)
      break;
  }
  return denied ? CPW_EDENIED : CPW_OK;
}

/* CPW_EDENIED with the denial in the context's message: the whole explanation when it fits,
 * else its beginning, cut between characters, and a pointer to cpw_registry_explain (never a
 * message silently cut short) */
static int denied_error(cpw_registry *reg)
{
  const char *msg = cpw__buf_str(&reg->msg);
  size_t n = strlen(msg), k = CPW__ERRMSG_SIZE - 80;
  if (n < CPW__ERRMSG_SIZE - 1)
    return cpw__set_error(reg->ctx, CPW_EDENIED, "%s", msg);
  while (k > 0 && ((unsigned char)msg[k] & 0xC0) == 0x80)
    k--;
  return cpw__set_error(reg->ctx, CPW_EDENIED, "%.*s... (cut: cpw_registry_explain gives all "
                        "the reasons)", (int)k, msg);
}

static int role_ok(cpw_registry *reg, const char *role)
{
  uint32_t i;
  if (reg->pp->nroles == 0)
    return CPW_OK;
  for (i = 0; role != NULL && i < reg->pp->nroles; i++)
    if (strcmp(reg->pp->roles[i], role) == 0)
      return CPW_OK;
  cpw__buf_clear(&reg->msg);
  if (cpw__buf_printf(&reg->msg, "denied: role %.64s may not place children",
                      role ? role : "(none)") != CPW_OK) {
    cpw__buf_clear(&reg->msg);
    return CPW_ENOMEM;
  }
  cpw__utf8_sanitize(reg->msg.data); /* the role, as given, may not be UTF-8 */
  return cpw__set_error(reg->ctx, CPW_EDENIED, "%s", cpw__buf_str(&reg->msg));
}

static int reserve(cpw_registry *reg, int episodes, int children, int facilities)
{
  if (episodes && cpw__grow(reg->ctx, (void **)&reg->episodes, &reg->episodes_cap,
                            reg->nepisodes + 1, sizeof *reg->episodes) != CPW_OK)
    return CPW_ENOMEM;
  if (children && (cpw__grow(reg->ctx, (void **)&reg->children, &reg->children_cap,
                             reg->nchildren + 1, sizeof *reg->children) != CPW_OK ||
                   cpw__map_reserve(&reg->child_index, reg->nchildren + 1) != CPW_OK))
    return CPW_ENOMEM;
  if (facilities && (cpw__grow(reg->ctx, (void **)&reg->facilities, &reg->facilities_cap,
                               reg->nfacilities + 1, sizeof *reg->facilities) != CPW_OK ||
                     cpw__map_reserve(&reg->facility_index, reg->nfacilities + 1) != CPW_OK))
    return CPW_ENOMEM;
  return CPW_OK;
}

/* A version-2 request's disability: NULL or one of the slot's values. */
static int disability_ok(cpw_registry *reg, const cpw_placement_request *req)
{
  uint32_t i;
  if (req->version < 2 || req->disability == NULL)
    return CPW_OK;
  for (i = 0; i < CPW__PL_NDISABILITY; i++)
    if (strcmp(req->disability, cpw__pl_disability_levels[i]) == 0)
      return CPW_OK;
  return cpw__set_error(reg->ctx, CPW_EINVALID,
                        "placement request: disability must be none, moderate, severe or "
                        "profound");
}

int cpw__registry_check(cpw_registry *reg, const cpw_placement_request *req, cpw__pl_op *op)
{
  uint32_t s, f = CPW__PL_NONE;
  const cpw__child *c;
  int rc;
  cpw__buf_clear(&reg->msg);
  if (req == NULL)
    return cpw__set_error(reg->ctx, CPW_EINVALID, "NULL placement request");
  rc = cpw__check_version(reg->ctx, req->version, CPW_PLACEMENT_REQUEST_VERSION,
                          "placement request");
  if (rc != CPW_OK)
    return rc;
  if ((req->flags & ~CPW_PLACE_EXISTING) != 0)
    return cpw__set_error(reg->ctx, CPW_EINVALID, "placement request: unknown flags 0x%x",
                          req->flags);
  if (!find(&reg->child_index, req->child, &op->child))
    return cpw__set_error(reg->ctx, CPW_ENOTFOUND, "child '%.64s' is not registered",
                          req->child != NULL ? req->child : "(null)");
  c = &reg->children[op->child];
  if (req->date < CPW_DATE_MIN || req->date > CPW_DATE_MAX)
    return cpw__set_error(reg->ctx, CPW_EINVALID, "the placement date is out of range");
  if (!text_ok(req->region))
    return cpw__set_error(reg->ctx, CPW_EINVALID, "the placement's region is not valid UTF-8");
  rc = disability_ok(reg, req);
  if (rc != CPW_OK)
    return rc;
  if (op->kind == CPW__OP_PLACE && c->current != CPW__PL_NONE)
    return cpw__set_error(reg->ctx, CPW_ESTATE, "child '%s' is placed already: move them",
                          c->id);
  if (op->kind == CPW__OP_MOVE && c->current == CPW__PL_NONE)
    return cpw__set_error(reg->ctx, CPW_ESTATE, "child '%s' is not placed: place them", c->id);
  if (op->kind == CPW__OP_PLACE && req->date < c->last_end)
    return cpw__set_error(reg->ctx, CPW_EINVALID,
                          "child '%s': the placement starts before the previous one ended",
                          c->id);
  if (op->kind == CPW__OP_MOVE && req->date < reg->episodes[c->current].start)
    return cpw__set_error(reg->ctx, CPW_EINVALID,
                          "child '%s': the move is dated before the current placement began",
                          c->id);
  if (req->facility != NULL) {
    if (!find(&reg->facility_index, req->facility, &f))
      return cpw__set_error(reg->ctx, CPW_ENOTFOUND, "facility '%.64s' is not registered",
                            req->facility);
    s = reg->facilities[f].setting;
    if (req->setting != NULL && strcmp(req->setting, reg->pp->settings[s].id) != 0)
      return cpw__set_error(reg->ctx, CPW_EINVALID, "facility '%s' is a %s, not a %.64s",
                            reg->facilities[f].id, reg->pp->settings[s].id, req->setting);
    op->region = reg->facilities[f].region;
  } else {
    if (!find(&reg->pp->setting_index, req->setting, &s))
      return cpw__set_error(reg->ctx, CPW_ENOTFOUND, "setting '%.64s' is not declared",
                            req->setting != NULL ? req->setting : "(none)");
    op->region = region_of(reg, req->region, 0);
  }
  op->facility = f;
  op->setting = s;
  op->date = req->date;
  if (!(req->flags & CPW_PLACE_EXISTING)) {
    rc = role_ok(reg, req->role);
    if (rc != CPW_OK)
      return rc;
    rc = gatekeep(reg, c, s, f, req->date, req, 1);
    if (rc == CPW_EDENIED)
      return denied_error(reg);
    if (rc != CPW_OK)
      return rc;
  }
  if (op->region == CPW__PL_NONE) {
    op->region_name = req->region;
    if (region_of(reg, req->region, 1) >= CPW__PL_NONE - 1)
      return CPW_ENOMEM;
    op->region = region_of(reg, req->region, 0);
  }
  return reserve(reg, 1, 0, 0);
}

int cpw__registry_prepare(cpw_registry *reg, cpw__pl_op *op)
{
  uint32_t v;
  int rc;
  cpw__buf_clear(&reg->msg);
  switch (op->kind) {
  case CPW__OP_FACILITY:
    if ((rc = id_ok(reg, op->id, "facility")) != CPW_OK)
      return rc;
    if (find(&reg->facility_index, op->id, &v))
      return cpw__set_error(reg->ctx, CPW_EEXISTS, "facility '%.64s' is registered already",
                            op->id);
    if (!find(&reg->pp->setting_index, op->setting_name, &op->setting))
      return cpw__set_error(reg->ctx, CPW_ENOTFOUND, "setting '%.64s' is not declared",
                            op->setting_name != NULL ? op->setting_name : "(null)");
    if (op->capacity < CPW__NO_LIMIT || op->capacity > 1000000 || op->max_age > 150 ||
        op->min_age < CPW__NO_LIMIT || op->max_age < CPW__NO_LIMIT ||
        (op->min_age != CPW__NO_LIMIT && op->max_age != CPW__NO_LIMIT &&
         op->max_age < op->min_age))
      return cpw__set_error(reg->ctx, CPW_EINVALID, "facility '%.64s': bad capacity or ages",
                            op->id);
    if (!text_ok(op->display_name) || !text_ok(op->region_name))
      return cpw__set_error(reg->ctx, CPW_EINVALID, "facility '%.64s': the name and region "
                            "must be valid UTF-8", op->id);
    if (region_of(reg, op->region_name, 1) >= CPW__PL_NONE - 1)
      return CPW_ENOMEM;
    op->region = region_of(reg, op->region_name, 0);
    op->id_copy = cpw__arena_strndup(&reg->arena, op->id, strlen(op->id));
    op->name_copy = cpw__arena_strndup(&reg->arena, op->display_name ? op->display_name : "",
                                       op->display_name ? strlen(op->display_name) : 0);
    if (op->id_copy == NULL || op->name_copy == NULL)
      return CPW_ENOMEM;
    return reserve(reg, 0, 0, 1);
  case CPW__OP_CHILD:
    if ((rc = id_ok(reg, op->id, "child")) != CPW_OK)
      return rc;
    if (find(&reg->child_index, op->id, &v))
      return cpw__set_error(reg->ctx, CPW_EEXISTS, "child '%.64s' is registered already",
                            op->id);
    if (op->birth < CPW_DATE_MIN || op->birth > CPW_DATE_MAX)
      return cpw__set_error(reg->ctx, CPW_EINVALID, "child '%.64s': birth date out of range",
                            op->id);
    if (!text_ok(op->group))
      return cpw__set_error(reg->ctx, CPW_EINVALID, "child '%.64s': the sibling group must be "
                            "valid UTF-8", op->id);
    op->group_index = CPW__PL_NONE;
    op->group_copy = NULL;
    if (op->group != NULL && op->group[0] != '\0') {
      if (!find(&reg->group_index, op->group, &op->group_index)) {
        op->group_copy = cpw__arena_strndup(&reg->arena, op->group, strlen(op->group));
        if (op->group_copy == NULL ||
            cpw__map_reserve(&reg->group_index, reg->ngroups + 1) != CPW_OK ||
            cpw__grow(reg->ctx, (void **)&reg->group_first, &reg->group_first_cap,
                      (size_t)reg->ngroups + 1, sizeof *reg->group_first) != CPW_OK)
          return CPW_ENOMEM;
        op->group_index = reg->ngroups;
      }
    }
    op->id_copy = cpw__arena_strndup(&reg->arena, op->id, strlen(op->id));
    if (op->id_copy == NULL)
      return CPW_ENOMEM;
    return reserve(reg, 0, 1, 0);
  case CPW__OP_END:
  case CPW__OP_REVIEW: {
    const cpw__child *c;
    if (!find(&reg->child_index, op->id, &op->child))
      return cpw__set_error(reg->ctx, CPW_ENOTFOUND, "child '%.64s' is not registered",
                            op->id != NULL ? op->id : "(null)");
    c = &reg->children[op->child];
    if (c->current == CPW__PL_NONE)
      return cpw__set_error(reg->ctx, CPW_ESTATE, "child '%s' is not placed", c->id);
    if (op->date < reg->episodes[c->current].start || op->date > CPW_DATE_MAX)
      return cpw__set_error(reg->ctx, CPW_EINVALID,
                            "child '%s': the date is before the placement began", c->id);
    if (op->kind == CPW__OP_END && (op->reason < 0 || op->reason >= CPW_EXIT_REASON_COUNT))
      return cpw__set_error(reg->ctx, CPW_EINVALID, "unknown exit reason %d", op->reason);
    return CPW_OK;
  }
  default:
    return cpw__set_error(reg->ctx, CPW_EINVALID, "unknown registry operation");
  }
}

static void end_current(cpw_registry *reg, cpw__child *c, int64_t date, int reason)
{
  cpw__episode *e = &reg->episodes[c->current];
  e->end = date;
  e->exit_reason = (uint8_t)reason;
  if (e->facility != CPW__PL_NONE)
    reg->facilities[e->facility].occupancy--;
  c->current = CPW__PL_NONE;
  c->last_end = date;
}

void cpw__registry_apply(cpw_registry *reg, const cpw__pl_op *op)
{
  switch (op->kind) {
  case CPW__OP_FACILITY: {
    cpw__facility *f = &reg->facilities[reg->nfacilities];
    const cpw__setting *s = &reg->pp->settings[op->setting];
    f->id = op->id_copy;
    f->name = op->name_copy;
    f->setting = op->setting;
    f->region = op->region;
    f->capacity = op->capacity != CPW__NO_LIMIT ? op->capacity : s->capacity;
    f->min_age = op->min_age != CPW__NO_LIMIT ? op->min_age : s->min_age;
    f->max_age = op->max_age != CPW__NO_LIMIT ? op->max_age : s->max_age;
    f->occupancy = 0;
    cpw__map_put(&reg->facility_index, f->id, strlen(f->id), (uint32_t)reg->nfacilities);
    reg->nfacilities++;
    break;
  }
  case CPW__OP_CHILD: {
    cpw__child *c = &reg->children[reg->nchildren];
    memset(c, 0, sizeof *c);
    c->id = op->id_copy;
    c->birth = op->birth;
    c->group = op->group_index;
    c->next_sibling = CPW__PL_NONE;
    if (op->group_copy != NULL) {
      cpw__map_put(&reg->group_index, op->group_copy, strlen(op->group_copy), reg->ngroups);
      reg->group_first[reg->ngroups] = CPW__PL_NONE;
      reg->ngroups++;
    }
    if (c->group != CPW__PL_NONE) {
      c->next_sibling = reg->group_first[c->group];
      reg->group_first[c->group] = (uint32_t)reg->nchildren;
    }
    c->current = CPW__PL_NONE;
    c->last_end = CPW_DATE_MIN;
    cpw__map_put(&reg->child_index, c->id, strlen(c->id), (uint32_t)reg->nchildren);
    reg->nchildren++;
    break;
  }
  case CPW__OP_PLACE:
  case CPW__OP_MOVE: {
    cpw__child *c = &reg->children[op->child];
    cpw__episode *e;
    if (op->kind == CPW__OP_MOVE)
      end_current(reg, c, op->date, CPW_EXIT_MOVED);
    e = &reg->episodes[reg->nepisodes];
    e->child = op->child;
    e->setting = op->setting;
    e->facility = op->facility;
    e->region = op->region;
    e->start = op->date;
    e->end = CPW_DATE_MAX;
    e->exit_reason = 0;
    e->category = (uint8_t)reg->pp->settings[op->setting].category;
    if (op->facility != CPW__PL_NONE)
      reg->facilities[op->facility].occupancy++;
    c->current = (uint32_t)reg->nepisodes++;
    c->last_review = op->date;
    break;
  }
  case CPW__OP_END:
    end_current(reg, &reg->children[op->child], op->date, op->reason);
    break;
  case CPW__OP_REVIEW:
    /* a review recorded late (dated before the last one) does not bring the next one forward */
    if (op->date > reg->children[op->child].last_review)
      reg->children[op->child].last_review = op->date;
    break;
  default:
    break;
  }
}

/* ------------------------------------------------------------------ the public operations */

static int run_op(cpw_registry *reg, cpw__pl_op *op)
{
  int rc = cpw__registry_prepare(reg, op);
  if (rc == CPW_OK)
    cpw__registry_apply(reg, op);
  return rc;
}

/* The operations, built in one place for the registry's functions and their journaled twins
 * (lib/journal/placements.c). */
void cpw__pl_op_facility(cpw__pl_op *op, const char *id, const char *setting, const char *name,
                         const char *region, int capacity, int min_age, int max_age)
{
  memset(op, 0, sizeof *op);
  op->kind = CPW__OP_FACILITY;
  op->id = id;
  op->setting_name = setting;
  op->display_name = name;
  op->region_name = region;
  op->capacity = capacity < 0 ? CPW__NO_LIMIT : capacity;
  op->min_age = min_age < 0 ? CPW__NO_LIMIT : min_age;
  op->max_age = max_age < 0 ? CPW__NO_LIMIT : max_age;
}

void cpw__pl_op_child(cpw__pl_op *op, const char *child, cpw_date birth_date,
                      const char *sibling_group)
{
  memset(op, 0, sizeof *op);
  op->kind = CPW__OP_CHILD;
  op->id = child;
  op->birth = birth_date;
  op->group = sibling_group;
}

void cpw__pl_op_end(cpw__pl_op *op, int kind, const char *child, cpw_date date, int reason)
{
  memset(op, 0, sizeof *op);
  op->kind = kind;
  op->id = child;
  op->date = date;
  op->reason = kind == CPW__OP_END ? reason : 0;
}

int cpw_registry_add_facility(cpw_registry *reg, const char *id, const char *setting,
                              const char *name, const char *region, int capacity, int min_age,
                              int max_age)
{
  cpw__pl_op op;
  if (reg == NULL)
    return CPW_EINVALID;
  cpw__pl_op_facility(&op, id, setting, name, region, capacity, min_age, max_age);
  return run_op(reg, &op);
}

int cpw_registry_add_child(cpw_registry *reg, const char *child, cpw_date birth_date,
                           const char *sibling_group)
{
  cpw__pl_op op;
  if (reg == NULL)
    return CPW_EINVALID;
  cpw__pl_op_child(&op, child, birth_date, sibling_group);
  return run_op(reg, &op);
}

static int place_or_move(cpw_registry *reg, const cpw_placement_request *req, int kind)
{
  cpw__pl_op op;
  int rc;
  if (reg == NULL)
    return CPW_EINVALID;
  memset(&op, 0, sizeof op);
  op.kind = kind;
  rc = cpw__registry_check(reg, req, &op);
  if (rc == CPW_OK)
    cpw__registry_apply(reg, &op);
  return rc;
}

int cpw_registry_place(cpw_registry *reg, const cpw_placement_request *req)
{
  return place_or_move(reg, req, CPW__OP_PLACE);
}

int cpw_registry_move(cpw_registry *reg, const cpw_placement_request *req)
{
  return place_or_move(reg, req, CPW__OP_MOVE);
}

/* An ending or a review is the registry's fact whoever records it: `actor` and `role` are for
 * the journaled twins, which write them down (placement.h says so). */
int cpw_registry_end(cpw_registry *reg, const char *child, cpw_date date, int reason,
                     const char *actor, const char *role)
{
  cpw__pl_op op;
  (void)actor;
  (void)role;
  if (reg == NULL)
    return CPW_EINVALID;
  cpw__pl_op_end(&op, CPW__OP_END, child, date, reason);
  return run_op(reg, &op);
}

int cpw_registry_review(cpw_registry *reg, const char *child, cpw_date date, const char *actor,
                        const char *role)
{
  cpw__pl_op op;
  (void)actor;
  (void)role;
  if (reg == NULL)
    return CPW_EINVALID;
  cpw__pl_op_end(&op, CPW__OP_REVIEW, child, date, 0);
  return run_op(reg, &op);
}

const char *cpw_registry_explain(const cpw_registry *reg)
{
  return reg != NULL ? cpw__buf_str(&reg->msg) : "";
}

static size_t options(cpw_registry *reg, uint32_t c, const cpw_placement_request *req,
                      const char **settings, size_t max)
{
  uint32_t i;
  size_t n = 0;
  for (i = 0; i < reg->pp->npreference; i++) {
    uint32_t s = reg->pp->preference[i];
    if (gatekeep(reg, &reg->children[c], s, CPW__PL_NONE, req->date, req, 0) != CPW_OK)
      continue;
    if (settings != NULL && n < max)
      settings[n] = reg->pp->settings[s].id;
    n++;
  }
  return n;
}

size_t cpw_registry_options(cpw_registry *reg, const char *child, cpw_date date, int emergency,
                            int keep_siblings_together, const char **settings, size_t max)
{
  uint32_t c;
  cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
  if (reg == NULL || !find(&reg->child_index, child, &c))
    return 0;
  req.date = date;
  req.emergency = emergency;
  req.keep_siblings_together = keep_siblings_together;
  return options(reg, c, &req, settings, max);
}

size_t cpw_registry_request_options(cpw_registry *reg, const cpw_placement_request *req,
                                    const char **settings, size_t max)
{
  uint32_t c;
  if (reg == NULL || req == NULL || !find(&reg->child_index, req->child, &c))
    return 0;
  if (cpw__check_version(reg->ctx, req->version, CPW_PLACEMENT_REQUEST_VERSION,
                         "placement request") != CPW_OK ||
      disability_ok(reg, req) != CPW_OK)
    return 0;
  return options(reg, c, req, settings, max);
}

/* ------------------------------------------------------------------ queries */

static int64_t turns_adult(const cpw_registry *reg, int64_t birth)
{
  int y, m, d;
  cpw_date r;
  if (birth == CPW_DATE_MIN || reg->pp->leaving_age == 0)
    return CPW_DATE_MAX;
  cpw_date_to_ymd((cpw_date)birth, &y, &m, &d);
  y += (int)reg->pp->leaving_age;
  if (cpw_date_from_ymd(&r, y, m, d) == CPW_OK)
    return r;
  /* 29 February in a common year: the birthday is reached on 1 March */
  if (cpw_date_from_ymd(&r, y, 3, 1) == CPW_OK)
    return r;
  return CPW_DATE_MAX;
}

static int64_t review_due(const cpw_registry *reg, const cpw__child *c)
{
  int64_t due;
  if (reg->pp->review_amount == 0)
    return CPW_DATE_MAX;
  if (cpw__date_add_unit(NULL, c->last_review, reg->pp->review_unit, reg->pp->review_amount,
                         &due) != 0)
    return CPW_DATE_MAX;
  return due;
}

static void info_of(const cpw_registry *reg, const cpw__child *c, cpw_placement_info *out)
{
  const cpw__episode *e = &reg->episodes[c->current];
  out->child = c->id;
  out->setting = reg->pp->settings[e->setting].id;
  out->facility = e->facility != CPW__PL_NONE ? reg->facilities[e->facility].id : NULL;
  out->region = reg->regions[e->region];
  out->category = e->category;
  out->start = (cpw_date)e->start;
  out->review_due = (cpw_date)review_due(reg, c);
  out->turns_adult = (cpw_date)turns_adult(reg, c->birth);
}

int cpw_registry_current(const cpw_registry *reg, const char *child, cpw_placement_info *out)
{
  uint32_t c;
  if (reg == NULL || out == NULL)
    return CPW_EINVALID;
  if (!find(&reg->child_index, child, &c))
    return CPW_ENOTFOUND;
  if (reg->children[c].current == CPW__PL_NONE)
    return CPW_ESTATE;
  info_of(reg, &reg->children[c], out);
  return CPW_OK;
}

static int cmp_review(const void *a, const void *b)
{
  const cpw_placement_info *x = a, *y = b;
  if (x->review_due != y->review_due)
    return x->review_due < y->review_due ? -1 : 1;
  return strcmp(x->child, y->child);
}

static int cmp_adult(const void *a, const void *b)
{
  const cpw_placement_info *x = a, *y = b;
  if (x->turns_adult != y->turns_adult)
    return x->turns_adult < y->turns_adult ? -1 : 1;
  return strcmp(x->child, y->child);
}

/* placed children with key(child) <= date, sorted: the first `max` written */
static size_t list_due(const cpw_registry *reg, cpw_date date, cpw_placement_info *out,
                       size_t max, int adult)
{
  size_t i, n = 0;
  cpw_placement_info tmp;
  if (reg == NULL)
    return 0;
  for (i = 0; i < reg->nchildren; i++) {
    const cpw__child *c = &reg->children[i];
    int64_t key;
    if (c->current == CPW__PL_NONE)
      continue;
    key = adult ? turns_adult(reg, c->birth) : review_due(reg, c);
    if (key > date)
      continue;
    if (out != NULL && n < max) {
      info_of(reg, c, &out[n]);
    } else if (out != NULL && max > 0) {
      /* keep the earliest: replace the latest kept if this one is earlier */
      size_t k, worst = 0;
      for (k = 1; k < max; k++)
        if ((adult ? cmp_adult : cmp_review)(&out[k], &out[worst]) > 0)
          worst = k;
      info_of(reg, c, &tmp);
      if ((adult ? cmp_adult : cmp_review)(&tmp, &out[worst]) < 0)
        out[worst] = tmp;
    }
    n++;
  }
  if (out != NULL)
    qsort(out, n < max ? n : max, sizeof *out, adult ? cmp_adult : cmp_review);
  return n;
}

size_t cpw_registry_reviews_due(const cpw_registry *reg, cpw_date date, cpw_placement_info *out,
                                size_t max)
{
  return list_due(reg, date, out, max, 0);
}

size_t cpw_registry_aging_out(const cpw_registry *reg, cpw_date date, cpw_placement_info *out,
                              size_t max)
{
  return list_due(reg, date, out, max, 1);
}

int64_t cpw_registry_occupancy(const cpw_registry *reg, const char *facility)
{
  uint32_t f;
  if (reg == NULL)
    return CPW_EINVALID;
  if (!find(&reg->facility_index, facility, &f))
    return CPW_ENOTFOUND;
  return reg->facilities[f].occupancy;
}

size_t cpw_registry_episode_count(const cpw_registry *reg)
{
  return reg != NULL ? reg->nepisodes : 0;
}
