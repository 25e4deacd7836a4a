/* SPDX-License-Identifier: Apache-2.0 */
/* policy/pl_model.h: the compiled form of care settings, facilities and gatekeeping rules
 * (part of a compiled policy): what the registry (lib/placement/) runs. The syntax and its
 * checker are in pl_syntax.h; the registry never includes them. */
#ifndef CPW_POLICY_PL_MODEL_H
#define CPW_POLICY_PL_MODEL_H

#include "policy/policy_int.h"


/* categories of care settings */
enum { CPW__CAT_FAMILY = 0, CPW__CAT_FAMILY_TYPE = 1, CPW__CAT_RESIDENTIAL = 2,
       CPW__CAT_OWN_FAMILY = 3, CPW__NCATEGORIES = 4 };
#define CPW__NO_LIMIT (-1)

/* ---------------------------------------------------------------- compiled */
typedef struct cpw__setting {
  const char *id;
  const char *title;
  int category;
  int64_t capacity, min_age, max_age;    /* CPW__NO_LIMIT when not stated */
  uint32_t rule, capacity_rule, ages_rule; /* bases (policy/basis.h) */
} cpw__setting;

typedef struct cpw__facility_decl {
  const char *id, *name, *region;
  uint32_t setting;
  int64_t capacity, min_age, max_age;
  uint32_t rule, capacity_rule, ages_rule; /* bases (its own, else its setting's) */
} cpw__facility_decl;

typedef struct cpw__pl_rule {
  int warn;
  const char *reason;
  cpw__node *when_ast;
  cpw__code when, when_traced;
  int line;
  uint32_t rule;             /* its basis (policy/basis.h) */
} cpw__pl_rule;

/* the inputs of gatekeeping formulas, in this slot order */
enum {
  CPW__PL_AGE, CPW__PL_CATEGORY, CPW__PL_SETTING, CPW__PL_CAPACITY, CPW__PL_OCCUPANCY,
  CPW__PL_MIN_AGE, CPW__PL_MAX_AGE, CPW__PL_EMERGENCY, CPW__PL_KEEP_SIBLINGS,
  CPW__PL_SIBLINGS_ELSEWHERE, CPW__PL_DISABILITY, CPW__PL_NSLOTS
};

/* the values of the `disability` slot (a placement request's disability), in order */
#define CPW__PL_NDISABILITY 4
extern const char *const cpw__pl_disability_levels[CPW__PL_NDISABILITY];

typedef struct cpw__placement_policy {
  cpw__setting *settings;
  uint32_t nsettings;
  cpw__map setting_index;
  cpw__facility_decl *facilities;
  uint32_t nfacilities;
  uint32_t *preference;          /* setting indexes, most preferred first */
  uint32_t npreference;
  uint64_t roles_mask;           /* unused when roles are open */
  const char **roles;
  uint32_t nroles;               /* 0: any role may place */
  uint8_t review_unit;
  int64_t review_amount;         /* 0: no reviews */
  int64_t leaving_age;           /* 0: none */
  cpw__pl_rule *rules;
  uint32_t nrules;
  cpw__field *slots;             /* the gatekeeping scope */
  uint32_t nslots;
  cpw__map slot_index;
  int declared;                  /* a 'placement rules' block exists */
  uint32_t rule, preference_rule, review_rule, leaving_rule;   /* bases */
} cpw__placement_policy;

void cpw__placement_free_maps(cpw__placement_policy *pp);

#endif
