/* SPDX-License-Identifier: Apache-2.0 */
/* journal/cases.c: cases through the journal (apply and append in one call) and replay. */
#include <stdio.h>

#include "journal/journal_int.h"
#include "workflow/case.h"

int cpw_journal_case_open(cpw_journal *j, cpw_caseload *cl, cpw_case **out, const char *case_id,
                          const char *workflow, const cpw_field_value *fields, size_t nfields,
                          cpw_time at, const char *actor, const char *role)
{
  cpw_journal_entry e;
  int rc;
  if (out != NULL)
    *out = NULL;
  if (j == NULL || cl == NULL)
    return cl != NULL ? cpw__set_error(cl->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  if (cl->policy != j->policy)
    return cpw__set_error(cl->ctx, CPW_EINVALID,
                          "the caseload and the journal belong to different policies");
  rc = cpw__case_open_try(cl, case_id, workflow, fields, nfields, at, role);
  if (rc != CPW_OK)
    return rc;
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_CASE_OPEN;
  e.at = at;
  e.actor = actor;
  e.role = role;
  e.subject = case_id;
  e.name = workflow;
  e.fields = fields;
  e.nfields = nfields;
  pthread_mutex_lock(&j->lock);
  {
    size_t len_before = j->pending.len;
    uint64_t seq_before = j->next_seq, entry_no = j->rec.entries + j->npending + 1;
    uint8_t chain_before[32];
    int orc;
    memcpy(chain_before, j->chain, 32);
    rc = cpw__journal_append_locked(j, cl->ctx, &e);
    if (rc != CPW_OK && rc != CPW_EUSER) {
      pthread_mutex_unlock(&j->lock);
      return rc; /* nothing opened */
    }
    /* cpw__case_open_commit can still fail (memory for the case's id and values): take the
     * entry back while it is only pending; once committed it cannot be, and the error says
     * so (replaying the journal into a new caseload gives the case) */
    orc = cpw__case_open_commit(cl, case_id, out);
    if (orc != CPW_OK) {
      if (j->npending > 0 && j->next_seq == seq_before + 1) {
        cpw__journal_drop_last(j, len_before, chain_before);
      } else {
        cpw__set_error(cl->ctx, orc, "the opening of case '%.64s' is journaled (entry %llu) "
                       "but the case could not be created: out of memory; replay the journal "
                       "into a new caseload", case_id, (unsigned long long)entry_no);
      }
      rc = orc;
    }
    pthread_mutex_unlock(&j->lock);
  }
  return rc;
}

int cpw_journal_case_apply(cpw_journal *j, cpw_case *c, const char *event, const char *actor,
                           const char *role, cpw_time at, const cpw_field_value *fields,
                           size_t nfields)
{
  cpw_caseload *cl;
  const cpw_workflow *wf;
  cpw_journal_entry e;
  int ev, r, rc;
  if (c == NULL)
    return CPW_EINVALID;
  cl = c->cl;
  if (j == NULL)
    return cpw__set_error(cl->ctx, CPW_EINVALID, "no journal");
  if (cl->policy != j->policy)
    return cpw__set_error(cl->ctx, CPW_EINVALID,
                          "the case and the journal belong to different policies");
  if (event == NULL || role == NULL)
    return cpw__set_error(cl->ctx, CPW_EINVALID, "NULL event or role");
  wf = cl->policy->workflows[c->workflow];
  ev = cpw_workflow_event_index(wf, event);
  r = cpw_workflow_role_index(wf, role);
  if (ev < 0 || r < 0)
    return cpw__set_error(cl->ctx, CPW_ENOTFOUND, "workflow '%s' has no %s '%.64s'", wf->name,
                          ev < 0 ? "event" : "role", ev < 0 ? event : role);
  rc = cpw__case_try(cl, c, ev, r, at, fields, nfields);
  if (rc != CPW_OK)
    return rc; /* refused or invalid: nothing is journaled */
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_CASE_EVENT;
  e.at = at;
  e.actor = actor;
  e.role = role;
  e.subject = c->id;
  e.name = event;
  e.fields = fields;
  e.nfields = nfields;
  pthread_mutex_lock(&j->lock);
  rc = cpw__journal_append_locked(j, cl->ctx, &e);
  pthread_mutex_unlock(&j->lock);
  if (rc != CPW_OK && rc != CPW_EUSER)
    return rc; /* not journaled: the case is unchanged */
  cpw__case_commit(cl, c);
  return rc;
}

typedef struct replay_state {
  cpw_caseload *cl;
  uint64_t n;
} replay_state;

static int replay_one(const cpw_journal_entry *e, void *payload)
{
  replay_state *rs = payload;
  cpw_caseload *cl = rs->cl;
  int rc;
  rs->n++;
  if (e->kind == CPW_JOURNAL_CASE_OPEN) {
    rc = cpw_caseload_open(cl, NULL, e->subject, e->name, e->fields, e->nfields, e->at,
                           e->actor, e->role);
  } else if (e->kind == CPW_JOURNAL_CASE_EVENT) {
    cpw_case *c = cpw_caseload_find(cl, e->subject);
    if (c == NULL)
      return cpw__set_error(cl->ctx, CPW_ECORRUPT,
                            "journal entry %llu: an event for case '%.64s', which was never "
                            "opened", (unsigned long long)e->seq, e->subject);
    rc = cpw_case_apply(c, e->name, e->actor, e->role, e->at, e->fields, e->nfields);
  } else {
    return 0; /* placements and annotations are not cases */
  }
  if (rc != CPW_OK) {
    char why[CPW__ERRMSG_SIZE];
    snprintf(why, sizeof why, "%s", cpw_ctx_last_error(cl->ctx)->message);
    return cpw__set_error(cl->ctx, rc == CPW_ENOMEM ? CPW_ENOMEM : CPW_ECORRUPT,
                          "journal entry %llu cannot be replayed: %s (was it written under "
                          "another policy?)", (unsigned long long)e->seq, why);
  }
  return 0;
}

int cpw_journal_replay(cpw_journal *j, cpw_caseload *cl)
{
  replay_state rs;
  int rc;
  if (j == NULL || cl == NULL)
    return cl != NULL ? cpw__set_error(cl->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  if (j->policy != NULL && cl->policy != j->policy)
    return cpw__set_error(cl->ctx, CPW_EINVALID,
                          "the caseload and the journal belong to different policies");
  rs.cl = cl;
  rs.n = 0;
  rc = cpw_journal_foreach(j, cl->ctx, replay_one, &rs);
  if (rc == CPW_EUSER) /* replay_one stopped with its own error in cl->ctx */
    rc = cpw_ctx_last_error(cl->ctx)->code < 0 ? cpw_ctx_last_error(cl->ctx)->code : rc;
  return rc;
}
