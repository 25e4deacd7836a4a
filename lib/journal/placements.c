/* SPDX-License-Identifier: Apache-2.0 */
/* journal/placements.c: registry operations through the journal (check, append, apply) and
 * their replay. Every placement event the journal writes is described once, in `events`
 * below: its name, the registry operation, and its fields with their types. The writer
 * encodes through that table and replay decodes through it; docs/journal-format.md lists the
 * same table (unit.journal_codec checks it). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "journal/journal_int.h"
#include "placement/registry.h"

/* ------------------------------------------------------------------ the vocabulary */

/* One placement operation as the journal records it. */
typedef struct pl_entry {
  const char *subject;             /* the child's or the facility's id */
  cpw_date date;
  const char *setting, *name, *region, *facility, *reason, *group, *disability;
  int64_t capacity, min_age, max_age; /* -1: no limit */
  cpw_date birth_date;             /* CPW_DATE_MIN: not known */
  int exit_reason;
  int emergency, keep_siblings_together, existing;
} pl_entry;

enum {
  F_TEXT,   /* a string, or missing */
  F_INT,    /* a whole number; -1 when missing */
  F_DATE,   /* YYYY-MM-DD; empty for CPW_DATE_MIN */
  F_BDATE,  /* a birth date: missing when not known */
  F_BOOL,   /* true / false */
  F_EXIT    /* an exit reason by its name (cpw_exit_reason_name) */
};

typedef struct pl_field {
  const char *name;
  int type;
  size_t off;
} pl_field;

#define PL_MAX_FIELDS 9
typedef struct pl_event {
  const char *name;
  int op;                          /* CPW__OP_* */
  size_t nfields;
  pl_field fields[PL_MAX_FIELDS];
} pl_event;

#define AT(member) offsetof(pl_entry, member)
#define PLACED                                                                               \
  9, { { "date", F_DATE, AT(date) }, { "facility", F_TEXT, AT(facility) },                   \
       { "setting", F_TEXT, AT(setting) }, { "region", F_TEXT, AT(region) },                 \
       { "reason", F_TEXT, AT(reason) }, { "emergency", F_BOOL, AT(emergency) },             \
       { "keep_siblings_together", F_BOOL, AT(keep_siblings_together) },                     \
       { "existing", F_BOOL, AT(existing) }, { "disability", F_TEXT, AT(disability) } }

static const pl_event events[] = {
  { "facility", CPW__OP_FACILITY, 6,
    { { "setting", F_TEXT, AT(setting) }, { "name", F_TEXT, AT(name) },
      { "region", F_TEXT, AT(region) }, { "capacity", F_INT, AT(capacity) },
      { "min_age", F_INT, AT(min_age) }, { "max_age", F_INT, AT(max_age) } } },
  { "child", CPW__OP_CHILD, 2,
    { { "birth_date", F_BDATE, AT(birth_date) }, { "sibling_group", F_TEXT, AT(group) } } },
  { "place", CPW__OP_PLACE, PLACED },
  { "move", CPW__OP_MOVE, PLACED },
  { "end", CPW__OP_END, 2, { { "date", F_DATE, AT(date) }, { "reason", F_EXIT, AT(exit_reason) } } },
  { "review", CPW__OP_REVIEW, 1, { { "date", F_DATE, AT(date) } } },
};
#undef PLACED
#undef AT

static const char *const type_names[] = { "text", "int", "date", "date", "bool", "exit reason" };

size_t cpw__journal_placement_events(void)
{
  return sizeof events / sizeof events[0];
}

const char *cpw__journal_placement_event(size_t i, size_t *nfields)
{
  if (i >= sizeof events / sizeof events[0])
    return NULL;
  *nfields = events[i].nfields;
  return events[i].name;
}

const char *cpw__journal_placement_field(size_t i, size_t k, const char **type)
{
  if (i >= sizeof events / sizeof events[0] || k >= events[i].nfields)
    return NULL;
  *type = type_names[events[i].fields[k].type];
  return events[i].fields[k].name;
}

static const pl_event *event_of_op(int op)
{
  size_t i;
  for (i = 0; i < sizeof events / sizeof events[0]; i++)
    if (events[i].op == op)
      return &events[i];
  return NULL;
}

static const pl_event *event_named(const char *name)
{
  size_t i;
  for (i = 0; i < sizeof events / sizeof events[0]; i++)
    if (strcmp(events[i].name, name) == 0)
      return &events[i];
  return NULL;
}

/* ------------------------------------------------------------------ encoding */

/* The text of each field of `x` for event `ev` (buf: room for the numbers and dates). */
static void encode(const pl_event *ev, const pl_entry *x, cpw_field_value *f,
                   char buf[][CPW_DATE_BUFSIZE + 24])
{
  size_t k;
  for (k = 0; k < ev->nfields; k++) {
    const pl_field *fd = &ev->fields[k];
    const char *p = (const char *)x + fd->off;
    f[k].field = fd->name;
    switch (fd->type) {
    case F_TEXT:
      f[k].value = *(const char *const *)(const void *)p;
      break;
    case F_INT: {
      int64_t v = *(const int64_t *)(const void *)p;
      snprintf(buf[k], sizeof buf[k], "%lld", (long long)(v < 0 ? -1 : v));
      f[k].value = buf[k];
      break;
    }
    case F_DATE:
    case F_BDATE: {
      cpw_date d = *(const cpw_date *)(const void *)p;
      buf[k][0] = '\0';
      if (d != CPW_DATE_MIN)
        cpw_date_format(buf[k], CPW_DATE_BUFSIZE, d);
      f[k].value = fd->type == F_BDATE && buf[k][0] == '\0' ? NULL : buf[k];
      break;
    }
    case F_BOOL:
      f[k].value = *(const int *)(const void *)p ? "true" : "false";
      break;
    default: /* F_EXIT */
      f[k].value = cpw_exit_reason_name(*(const int *)(const void *)p);
      break;
    }
  }
}

static int64_t at_of(const cpw_registry *reg, cpw_date date)
{
  cpw_time t = 0;
  cpw_time_from_date(&t, date, 0, 0, 0, reg->policy->tz_minutes);
  return t;
}

/* Append the entry of a prepared operation under the lock, then apply the operation to the
 * registry; CPW_EUSER (a hook said stop) still counts as appended, and applied. */
static int append(cpw_journal *j, cpw_registry *reg, const cpw__pl_op *op, const pl_entry *x,
                  cpw_date date, const char *actor, const char *role)
{
  const pl_event *ev = event_of_op(op->kind);
  cpw_field_value f[PL_MAX_FIELDS];
  char buf[PL_MAX_FIELDS][CPW_DATE_BUFSIZE + 24];
  cpw_journal_entry e;
  int rc;
  if (j->policy != reg->policy)
    return cpw__set_error(reg->ctx, CPW_EINVALID,
                          "the registry and the journal belong to different policies");
  encode(ev, x, f, buf);
  memset(&e, 0, sizeof e);
  e.kind = CPW_JOURNAL_PLACEMENT;
  e.at = at_of(reg, date);
  e.actor = actor;
  e.role = role;
  e.subject = x->subject;
  e.name = ev->name;
  e.fields = f;
  e.nfields = ev->nfields;
  pthread_mutex_lock(&j->lock);
  rc = cpw__journal_append_locked(j, reg->ctx, &e);
  pthread_mutex_unlock(&j->lock);
  if (rc == CPW_OK || rc == CPW_EUSER)
    cpw__registry_apply(reg, op);
  return rc;
}

/* ------------------------------------------------------------------ the journaled operations */

int cpw_journal_add_facility(cpw_journal *j, cpw_registry *reg, const char *id,
                             const char *setting, const char *name, const char *region,
                             int capacity, int min_age, int max_age)
{
  cpw__pl_op op;
  pl_entry x;
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  cpw__pl_op_facility(&op, id, setting, name, region, capacity, min_age, max_age);
  rc = cpw__registry_prepare(reg, &op);
  if (rc != CPW_OK)
    return rc;
  memset(&x, 0, sizeof x);
  x.subject = id;
  x.setting = setting;
  x.name = name;
  x.region = region;
  x.capacity = capacity;
  x.min_age = min_age;
  x.max_age = max_age;
  /* the 1.0 signature names no actor: the entry names the library's registry as its actor */
  return append(j, reg, &op, &x, 0, CPW__SYSTEM_ACTOR, "registry");
}

int cpw_journal_add_child(cpw_journal *j, cpw_registry *reg, const char *child,
                          cpw_date birth_date, const char *sibling_group)
{
  cpw__pl_op op;
  pl_entry x;
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  cpw__pl_op_child(&op, child, birth_date, sibling_group);
  rc = cpw__registry_prepare(reg, &op);
  if (rc != CPW_OK)
    return rc;
  memset(&x, 0, sizeof x);
  x.subject = child;
  x.birth_date = birth_date;
  x.group = sibling_group;
  return append(j, reg, &op, &x, 0, CPW__SYSTEM_ACTOR, "registry");
}

static int place_or_move(cpw_journal *j, cpw_registry *reg, const cpw_placement_request *req,
                         int kind)
{
  cpw__pl_op op;
  pl_entry x;
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  memset(&op, 0, sizeof op);
  op.kind = kind;
  rc = cpw__registry_check(reg, req, &op);
  if (rc != CPW_OK)
    return rc;
  memset(&x, 0, sizeof x);
  x.subject = req->child;
  x.date = req->date;
  x.facility = req->facility;
  x.setting = reg->pp->settings[op.setting].id; /* as the check resolved it */
  x.region = req->region;
  x.reason = req->reason;
  x.emergency = req->emergency != 0;
  x.keep_siblings_together = req->keep_siblings_together != 0;
  x.existing = (req->flags & CPW_PLACE_EXISTING) != 0;
  x.disability = req->version >= 2 ? req->disability : NULL; /* what gatekeeping was told */
  return append(j, reg, &op, &x, req->date, req->actor, req->role);
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
  pl_entry x;
  int rc;
  if (j == NULL || reg == NULL)
    return reg != NULL ? cpw__set_error(reg->ctx, CPW_EINVALID, "no journal") : CPW_EINVALID;
  cpw__pl_op_end(&op, kind, child, date, reason);
  rc = cpw__registry_prepare(reg, &op);
  if (rc != CPW_OK)
    return rc;
  memset(&x, 0, sizeof x);
  x.subject = child;
  x.date = date;
  x.exit_reason = reason;
  return append(j, reg, &op, &x, date, actor, role);
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

/* Read entry e of event ev into x. A field that is missing or unreadable gets a value the
 * operation refuses (so replay says the entry cannot be replayed), or its "not known" value. */
static void decode(const pl_event *ev, const cpw_journal_entry *e, pl_entry *x)
{
  size_t k;
  memset(x, 0, sizeof *x);
  x->subject = e->subject;
  x->birth_date = CPW_DATE_MIN;
  for (k = 0; k < ev->nfields; k++) {
    const pl_field *fd = &ev->fields[k];
    const char *s = field(e, fd->name);
    void *p = (char *)x + fd->off;
    switch (fd->type) {
    case F_TEXT:
      *(const char **)p = s;
      break;
    case F_INT:
      *(int64_t *)p = s != NULL ? atoi(s) : -1;
      break;
    case F_DATE:
    case F_BDATE: {
      cpw_date d = CPW_DATE_MIN;
      if (s != NULL && cpw_date_parse(&d, NULL, s, strlen(s)) != CPW_OK)
        d = CPW_DATE_MIN - 1; /* refused as out of range by the operation */
      *(cpw_date *)p = d;
      break;
    }
    case F_BOOL:
      *(int *)p = s != NULL && strcmp(s, "true") == 0;
      break;
    default: /* F_EXIT */
      *(int *)p = cpw_exit_reason_from_name(s);
      break;
    }
  }
}

static int replay_one(const cpw_journal_entry *e, void *payload)
{
  cpw_registry *reg = payload;
  const pl_event *ev;
  pl_entry x;
  int rc;
  if (e->kind != CPW_JOURNAL_PLACEMENT)
    return 0;
  ev = event_named(e->name);
  if (ev == NULL)
    return cpw__set_error(reg->ctx, CPW_ECORRUPT,
                          "journal entry %llu cannot be replayed: unknown placement event "
                          "'%.32s'", (unsigned long long)e->seq, e->name);
  decode(ev, e, &x);
  switch (ev->op) {
  case CPW__OP_FACILITY:
    rc = cpw_registry_add_facility(reg, x.subject, x.setting, x.name, x.region,
                                   (int)x.capacity, (int)x.min_age, (int)x.max_age);
    break;
  case CPW__OP_CHILD:
    rc = cpw_registry_add_child(reg, x.subject, x.birth_date, x.group);
    break;
  case CPW__OP_PLACE:
  case CPW__OP_MOVE: {
    cpw_placement_request req = CPW_PLACEMENT_REQUEST_INIT;
    req.child = x.subject;
    req.facility = x.facility;
    req.setting = x.facility == NULL ? x.setting : NULL;
    req.region = x.region;
    req.date = x.date;
    req.actor = e->actor;
    req.role = e->role;
    req.reason = x.reason;
    req.emergency = x.emergency;
    req.keep_siblings_together = x.keep_siblings_together;
    req.disability = x.disability;
    /* what was accepted once is recorded again, without judging it again: gatekeeping and
     * roles come from the policy, which may have changed since (a journal reopened with
     * CPW_JOURNAL_ALLOW_POLICY_CHANGE), and they change nothing but the answer. The
     * "existing" field says how the placement was made; replay treats every one alike. */
    req.flags = CPW_PLACE_EXISTING;
    rc = ev->op == CPW__OP_PLACE ? cpw_registry_place(reg, &req) : cpw_registry_move(reg, &req);
    break;
  }
  case CPW__OP_END:
    rc = cpw_registry_end(reg, x.subject, x.date, x.exit_reason, e->actor, e->role);
    break;
  default: /* CPW__OP_REVIEW */
    rc = cpw_registry_review(reg, x.subject, x.date, e->actor, e->role);
    break;
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
