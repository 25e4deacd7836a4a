/* SPDX-License-Identifier: Apache-2.0 */
/* workflow/declared.c: what a compiled workflow declares (read-only accessors of the model in
 * policy/wf_model.h). */
#include "policy/basis.h"
#include "policy/wf_model.h"

const cpw_rule *cpw_workflow_rule(const cpw_workflow *wf)
{
  return wf != NULL ? cpw__rule(wf->policy, wf->rule) : NULL;
}

size_t cpw_policy_workflow_count(const cpw_policy *p) { return p != NULL ? p->nworkflows : 0; }

const cpw_workflow *cpw_policy_workflow_at(const cpw_policy *p, size_t i)
{
  return p != NULL && i < p->nworkflows ? p->workflows[i] : NULL;
}

const cpw_workflow *cpw_policy_workflow(const cpw_policy *p, const char *name)
{
  uint32_t v;
  if (p == NULL || name == NULL || !cpw__map_get(&p->workflow_index, name, strlen(name), &v))
    return NULL;
  return p->workflows[v];
}

const char *cpw_workflow_name(const cpw_workflow *wf) { return wf != NULL ? wf->name : NULL; }
const char *cpw_workflow_title(const cpw_workflow *wf) { return wf != NULL ? wf->title : NULL; }
size_t cpw_workflow_state_count(const cpw_workflow *wf) { return wf != NULL ? wf->nstates : 0; }
size_t cpw_workflow_event_count(const cpw_workflow *wf) { return wf != NULL ? wf->nevents : 0; }
size_t cpw_workflow_role_count(const cpw_workflow *wf) { return wf != NULL ? wf->nroles : 0; }
size_t cpw_workflow_field_count(const cpw_workflow *wf) { return wf != NULL ? wf->nfields : 0; }

const char *cpw_workflow_state(const cpw_workflow *wf, size_t i)
{
  return wf != NULL && i < wf->nstates ? wf->states[i] : NULL;
}

int cpw_workflow_state_is_final(const cpw_workflow *wf, size_t i)
{
  return wf != NULL && i < wf->nstates && (wf->state_flags[i] & CPW__ST_FINAL) != 0;
}

const char *cpw_workflow_event(const cpw_workflow *wf, size_t i)
{
  return wf != NULL && i < wf->nevents ? wf->events[i] : NULL;
}

const char *cpw_workflow_role(const cpw_workflow *wf, size_t i)
{
  return wf != NULL && i < wf->nroles ? wf->roles[i] : NULL;
}

const char *cpw_workflow_field(const cpw_workflow *wf, size_t i)
{
  return wf != NULL && i < wf->nfields ? wf->fields[i].name : NULL;
}

int cpw_workflow_field_type(const cpw_workflow *wf, size_t i)
{
  if (wf == NULL || i >= wf->nfields)
    return 0;
  switch (wf->fields[i].type) {
  case T_BOOL: return CPW_TYPE_BOOL;
  case T_INT: return CPW_TYPE_INT;
  case T_MONEY: return CPW_TYPE_MONEY;
  case T_DATE: return CPW_TYPE_DATE;
  case T_DATETIME: return CPW_TYPE_DATETIME;
  case T_ENUM: return CPW_TYPE_ENUM;
  case T_SET: return CPW_TYPE_SET;
  default: return 0;
  }
}

static int index_of(const cpw__map *m, const char *name)
{
  uint32_t v;
  if (name == NULL)
    return CPW_EINVALID;
  if (!cpw__map_get(m, name, strlen(name), &v))
    return CPW_ENOTFOUND;
  return (int)v;
}

int cpw_workflow_state_index(const cpw_workflow *wf, const char *name)
{
  return wf != NULL ? index_of(&wf->state_index, name) : CPW_EINVALID;
}

int cpw_workflow_event_index(const cpw_workflow *wf, const char *name)
{
  return wf != NULL ? index_of(&wf->event_index, name) : CPW_EINVALID;
}

int cpw_workflow_role_index(const cpw_workflow *wf, const char *name)
{
  return wf != NULL ? index_of(&wf->role_index, name) : CPW_EINVALID;
}

size_t cpw_workflow_field_value_count(const cpw_workflow *wf, size_t i)
{
  if (wf == NULL || i >= wf->nfields ||
      (wf->fields[i].type != T_ENUM && wf->fields[i].type != T_SET))
    return 0;
  return wf->policy->enums[wf->fields[i].enum_id].nmembers;
}

const char *cpw_workflow_field_value(const cpw_workflow *wf, size_t i, size_t v)
{
  if (v >= cpw_workflow_field_value_count(wf, i))
    return NULL;
  return wf->policy->enums[wf->fields[i].enum_id].members[v];
}
