/* SPDX-License-Identifier: Apache-2.0 */
/* placement/registry.h: the registry's internals, shared with the journal floor (which checks
 * an operation, appends it, then applies it). */
#ifndef CPW_PLACEMENT_REGISTRY_H
#define CPW_PLACEMENT_REGISTRY_H

#include "base/buf.h"
#include "policy/explain.h"
#include "policy/pl_model.h"

#define CPW__PL_NONE UINT32_MAX

typedef struct cpw__child {
  const char *id;
  int64_t birth;             /* CPW_DATE_MIN: unknown */
  uint32_t group;            /* sibling group, or CPW__PL_NONE */
  uint32_t next_sibling;     /* the next child of the group (a list from group_first), or NONE */
  uint32_t current;          /* the open episode, or CPW__PL_NONE */
  int64_t last_end;          /* when the last episode ended (CPW_DATE_MIN: never placed) */
  int64_t last_review;       /* of the current episode (its start until reviewed) */
} cpw__child;

typedef struct cpw__facility {
  const char *id, *name;
  uint32_t region;
  uint32_t setting;
  int64_t capacity, min_age, max_age;
  int64_t occupancy;
} cpw__facility;

typedef struct cpw__episode {
  uint32_t child, setting, facility, region;
  int64_t start, end;        /* [start, end): end is the exit date, CPW_DATE_MAX while open */
  uint8_t exit_reason;
  uint8_t category;
} cpw__episode;

/* an operation, checked and staged by cpw__registry_check, made by cpw__registry_apply */
enum { CPW__OP_FACILITY, CPW__OP_CHILD, CPW__OP_PLACE, CPW__OP_MOVE, CPW__OP_END, CPW__OP_REVIEW };

typedef struct cpw__pl_op {
  int kind;
  /* resolved */
  uint32_t child, facility, setting, region;
  int64_t date;
  int reason;
  /* facility / child registration: the arguments... */
  const char *id, *setting_name, *display_name, *region_name, *group;
  int64_t capacity, min_age, max_age, birth;
  /* ...and what cpw__registry_prepare made of them (copies in the registry's arena) */
  const char *id_copy, *name_copy;
  uint32_t group_index;
  const char *group_copy;    /* a new sibling group's name, or NULL */
} cpw__pl_op;

struct cpw_registry {
  cpw_ctx *ctx;
  const cpw_policy *policy;
  const cpw__placement_policy *pp;
  cpw__arena arena;
  cpw__child *children;
  size_t nchildren, children_cap;
  cpw__map child_index;
  cpw__facility *facilities;
  size_t nfacilities, facilities_cap;
  cpw__map facility_index;
  cpw__episode *episodes;
  size_t nepisodes, episodes_cap;
  const char **regions;      /* interned region names; 0 is "" */
  size_t nregions, regions_cap;
  cpw__map region_index;
  cpw__map group_index;
  uint32_t ngroups;
  uint32_t *group_first;     /* per sibling group: its last registered child (list head) */
  size_t group_first_cap;
  cpw__vm vm;
  cpw__trace_entry *trace;
  size_t trace_cap;
  uint32_t gen;
  int64_t vals[CPW__PL_NSLOTS];
  uint64_t known[CPW__PL_NSLOTS];
  const int64_t *cols[CPW__PL_NSLOTS];
  cpw__explainer ex;
  cpw__buf msg;
};

/* Check an operation against the registry and the policy (gatekeeping included) without
 * changing anything, and reserve what applying it needs. CPW_OK, CPW_EDENIED, or an error. */
int cpw__registry_check(cpw_registry *reg, const cpw_placement_request *req, cpw__pl_op *op);
/* Apply a checked operation; cannot fail. */
void cpw__registry_apply(cpw_registry *reg, const cpw__pl_op *op);
/* Build an operation from the arguments of the public function (the registry's and the
 * journal's twin share these): a facility, a child, an ending or review (kind CPW__OP_END or
 * CPW__OP_REVIEW; `reason` for an ending). */
void cpw__pl_op_facility(cpw__pl_op *op, const char *id, const char *setting, const char *name,
                         const char *region, int capacity, int min_age, int max_age);
void cpw__pl_op_child(cpw__pl_op *op, const char *child, cpw_date birth_date,
                      const char *sibling_group);
void cpw__pl_op_end(cpw__pl_op *op, int kind, const char *child, cpw_date date, int reason);
/* Prepare the simple operations (facility, child, end, review). */
int cpw__registry_prepare(cpw_registry *reg, cpw__pl_op *op);

#endif
