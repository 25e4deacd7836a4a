/* journal/placements.c: registry operations through the journal (check, append, apply) and
 * their replay. */
#include <stdio.h>
#include <stdlib.h>

#include "journal/journal_int.h"
#include "placement/registry.h"

static int64_t at_of(const cpw_registry *reg, cpw_date date)
{
  cpw_time t = 0;
  cpw_time_from_date(&t, date, 0, 0, 0, reg->policy->tz_minutes);
  return t;
}

/* Append the entry of a prepared operation under the lock, then apply the operation to the
 * registry; CPW_EUSER (a hook said stop) still counts as appended, and applied. */
static int append(cpw_journal *j, cpw_registry *reg, const cpw__pl_op *op, const char *subject,
                  const char *name, cpw_date date, const char *actor, const char *role,
                  const cpw_field_value *f, size_t nf)
{
  cpw_journal_entry e;
  int rc;
  if (j->policy != reg->policy)
    return cpw__set_error(reg->ctx, CPW_EINVALID,
                          "the registry and the journal belong to different policies");
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_PLACEMENT;
  e.at = at_of(reg, date);
  e.actor = actor;
  e.role = role;
  e.subject = subject;
  e.name = name;
  e.fields = f;
  e.nfields = nf;
  pthread_mutex_lock(&j->lock);
  rc = cpw__journal_append_locked(j, reg->ctx, &e);
  pthread_mutex_unlock(&j->lock);
  if (rc == CPW_OK || rc == CPW_EUSER)
    cpw__registry_apply(reg, op);
  return rc;
}

static void date_text(cpw_date d, char *buf)
{
  if (d == CPW_DATE_MIN)
    buf[0] = '\0';
  else
    cpw_date_format(buf, CPW_DATE_BUFSIZE, d);
}

int cpw_journal_add_facility(cpw_journal *j, cpw_registry *reg, const char *id,
                             const char *setting, const char *name, const char *region,
                             int capacity, int min_age, int max_age)
{
  cpw__pl_op op;
  cpw_field_value f[6];
  char cap[24], lo[24], hi[24];
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  memset(&op, 0, sizeof op);
  op.kind = CPW__OP_FACILITY;
  op.id = id;
  op.setting_name = setting;
  op.display_name = name;
  op.region_name = region;
  op.capacity = capacity < 0 ? CPW__NO_LIMIT : capacity;
  op.min_age = min_age < 0 ? CPW__NO_LIMIT : min_age;
  op.max_age = max_age < 0 ? CPW__NO_LIMIT : max_age;
  rc = cpw__registry_prepare(reg, &op);
  if (rc != CPW_OK)
    return rc;
  snprintf(cap, sizeof cap, "%d", capacity < 0 ? -1 : capacity);
  snprintf(lo, sizeof lo, "%d", min_age < 0 ? -1 : min_age);
  snprintf(hi, sizeof hi, "%d", max_age < 0 ? -1 : max_age);
  f[0].field = "setting";
  f[0].value = setting;
  f[1].field = "name";
  f[1].value = name;
  f[2].field = "region";
  f[2].value = region;
  f[3].field = "capacity";
  f[3].value = cap;
  f[4].field = "min_age";
  f[4].value = lo;
  f[5].field = "max_age";
  f[5].value = hi;
  return append(j, reg, &op, id, "facility", 0, "", "", f, 6);
}

int cpw_journal_add_child(cpw_journal *j, cpw_registry *reg, const char *child,
                          cpw_date birth_date, const char *sibling_group)
{
  cpw__pl_op op;
  cpw_field_value f[2];
  char bd[CPW_DATE_BUFSIZE];
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  memset(&op, 0, sizeof op);
  op.kind = CPW__OP_CHILD;
  op.id = child;
  op.birth = birth_date;
  op.group = sibling_group;
  rc = cpw__registry_prepare(reg, &op);
  if (rc != CPW_OK)
    return rc;
  date_text(birth_date, bd);
  f[0].field = "birth_date";
  f[0].value = bd[0] ? bd : NULL;
  f[1].field = "sibling_group";
  f[1].value = sibling_group;
  return append(j, reg, &op, child, "child", 0, "", "", f, 2);
}

static int place_or_move(cpw_journal *j, cpw_registry *reg, const cpw_placement_request *req,
                         int kind)
{
  cpw__pl_op op;
  cpw_field_value f[9];
  char d[CPW_DATE_BUFSIZE];
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  memset(&op, 0, sizeof op);
  op.kind = kind;
  rc = cpw__registry_check(reg, req, &op);
  if (rc != CPW_OK)
    return rc;
  date_text(req->date, d);
  f[0].field = "date";
  f[0].value = d;
  f[1].field = "facility";
  f[1].value = req->facility;
  f[2].field = "setting";
  f[2].value = reg->pp->settings[op.setting].id;
  f[3].field = "region";
  f[3].value = req->region;
  f[4].field = "reason";
  f[4].value = req->reason;
  f[5].field = "emergency";
  f[5].value = req->emergency ? "true" : "false";
  f[6].field = "keep_siblings_together";
  f[6].value = req->keep_siblings_together ? "true" : "false";
  f[7].field = "existing";
  f[7].value = (req->flags & CPW_PLACE_EXISTING) ? "true" : "false";
  f[8].field = "disability"; /* what gatekeeping was told (version-2 requests) */
  f[8].value = req->version >= 2 ? req->disability : NULL;
  return append(j, reg, &op, req->child, kind == CPW__OP_PLACE ? "place" : "move", req->date,
                req->actor, req->role, f, 9);
}

int cpw_journal_place(cpw_journal *j, cpw_registry *reg, const cpw_placement_request *req)
{
  return place_or_move(j, reg, req, CPW__OP_PLACE);
}

int cpw_journal_move(cpw_journal *j, cpw_registry *reg, const cpw_placement_request *req)
{
  return place_or_move(j, reg, req, CPW__OP_MOVE);
}

static int end_or_review(cpw_journal *j, cpw_registry *reg, int kind, const char *child,
                         cpw_date date, int reason, const char *actor, const char *role)
{
  cpw__pl_op op;
  cpw_field_value f[2];
  char d[CPW_DATE_BUFSIZE];
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  memset(&op, 0, sizeof op);
  op.kind = kind;
  op.id = child;
  op.date = date;
  op.reason = reason;
  rc = cpw__registry_prepare(reg, &op);
  if (rc != CPW_OK)
    return rc;
  date_text(date, d);
  f[0].field = "date";
  f[0].value = d;
  f[1].field = "reason";
  f[1].value = cpw_exit_reason_name(reason);
  return append(j, reg, &op, child, kind == CPW__OP_END ? "end" : "review", date, actor, role, f,
                kind == CPW__OP_END ? 2 : 1);
}

int cpw_journal_end_placement(cpw_journal *j, cpw_registry *reg, const char *child,
                              cpw_date date, int reason, const char *actor, const char *role)
{
  return end_or_review(j, reg, CPW__OP_END, child, date, reason, actor, role);
}

int cpw_journal_review_placement(cpw_journal *j, cpw_registry *reg, const char *child,
                                 cpw_date date, const char *actor, const char *role)
{
  return end_or_review(j, reg, CPW__OP_REVIEW, child, date, 0, actor, role);
}

/* ------------------------------------------------------------------ replay */

static const char *field(const cpw_journal_entry *e, const char *name)
{
  size_t i;
  for (i = 0; i < e->nfields; i++)
    if (strcmp(e->fields[i].field, name) == 0)
      return e->fields[i].value;
  return NULL;
}

static int num(const char *s)
{
  return s != NULL ? atoi(s) : -1;
}

static cpw_date date_of(const char *s)
{
  cpw_date d = CPW_DATE_MIN;
  if (s != NULL && cpw_date_parse(&d, NULL, s, strlen(s)) != CPW_OK)
    d = CPW_DATE_MIN - 1; /* refused as out of range by the operation */
  return d;
}

static int replay_one(const cpw_journal_entry *e, void *payload)
{
  cpw_registry *reg = payload;
  int rc;
  if (e->kind != CPW_JOURNAL_PLACEMENT)
    return 0;
  if (strcmp(e->name, "facility") == 0) {
    rc = cpw_registry_add_facility(reg, e->subject, field(e, "setting"), field(e, "name"),
                                   field(e, "region"), num(field(e, "capacity")),
                                   num(field(e, "min_age")), num(field(e, "max_age")));
  } else if (strcmp(e->name, "child") == 0) {
    const char *bd = field(e, "birth_date");
    rc = cpw_registry_add_child(reg, e->subject, bd != NULL ? date_of(bd) : CPW_DATE_MIN,
                                field(e, "sibling_group"));
  } else if (strcmp(e->name, "place") == 0 || strcmp(e->name, "move") == 0) {
    cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
    const char *em = field(e, "emergency"), *ks = field(e, "keep_siblings_together");
    req.child = e->subject;
    req.facility = field(e, "facility");
    req.setting = req.facility == NULL ? field(e, "setting") : NULL;
    req.region = field(e, "region");
    req.date = date_of(field(e, "date"));
    req.actor = e->actor;
    req.role = e->role;
    req.reason = field(e, "reason");
    req.emergency = em != NULL && strcmp(em, "true") == 0;
    req.keep_siblings_together = ks != NULL && strcmp(ks, "true") == 0;
    req.disability = field(e, "disability");
    /* what was accepted once is recorded again, without judging it again: gatekeeping and
     * roles come from the policy, which may have changed since (a journal reopened with
     * CPW_JOURNAL_ALLOW_POLICY_CHANGE), and they change nothing but the answer. The
     * "existing" field says how the placement was made; replay treats every one alike. */
    req.flags = CPW_PLACE_EXISTING;
    rc = e->name[0] == 'p' ? cpw_registry_place(reg, &req) : cpw_registry_move(reg, &req);
  } else if (strcmp(e->name, "end") == 0) {
    rc = cpw_registry_end(reg, e->subject, date_of(field(e, "date")),
                          cpw_exit_reason_from_name(field(e, "reason")), e->actor, e->role);
  } else if (strcmp(e->name, "review") == 0) {
    rc = cpw_registry_review(reg, e->subject, date_of(field(e, "date")), e->actor, e->role);
  } else {
    rc = cpw__set_error(reg->ctx, CPW_ECORRUPT, "unknown placement event '%.32s'", e->name);
  }
  if (rc != CPW_OK) {
    char why[CPW__ERRMSG_SIZE];
    snprintf(why, sizeof why, "%s", cpw_ctx_last_error(reg->ctx)->message);
    return cpw__set_error(reg->ctx, rc == CPW_ENOMEM ? CPW_ENOMEM : CPW_ECORRUPT,
                          "journal entry %llu cannot be replayed: %s",
                          (unsigned long long)e->seq, why);
  }
  return 0;
}

int cpw_journal_replay_registry(cpw_journal *j, cpw_registry *reg)
{
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  if (j->policy != NULL && reg->policy != j->policy)
    return cpw__set_error(reg->ctx, CPW_EINVALID,
                          "the registry and the journal belong to different policies");
  rc = cpw_journal_foreach(j, reg->ctx, replay_one, reg);
  if (rc == CPW_EUSER && cpw_ctx_last_error(reg->ctx)->code < 0)
    rc = cpw_ctx_last_error(reg->ctx)->code;
  return rc;
}
