/* SPDX-License-Identifier: Apache-2.0 */
/* policy/policy_int.h: the compiled, immutable policy shared by the engines. */
#ifndef CPW_POLICY_INT_H
#define CPW_POLICY_INT_H

#include "base/arena.h"
#include "base/map.h"
#include "policy/ast.h"
#include "policy/diag.h"
#include "policy/vm.h"

#define CPW__MAX_ENUM_MEMBERS 64
#define CPW__ENUM_SLOTS 64

typedef struct cpw__enum {
  uint32_t nmembers;
  const char **members;      /* NUL-terminated copies */
  uint32_t *lens;            /* their lengths in bytes */
  cpw__map index;            /* member -> index */
  uint32_t mul;              /* a perfect hash of the members (0: none, use the index) ... */
  uint8_t slot[CPW__ENUM_SLOTS]; /* ... its slots: member + 1, 0 none (cpw__enum_find) */
} cpw__enum;

typedef struct cpw__field {
  const char *name;
  uint8_t type;              /* cpw__type */
  uint16_t enum_id;
  const char *title;         /* "" when none */
  const char *file;
  int line, col;
} cpw__field;

typedef struct cpw__param {
  const char *name;
  uint8_t type;
  uint16_t enum_id;
  uint32_t nperiods;
  int64_t *from;             /* period start dates, increasing */
  int64_t *values;
  int64_t until;             /* no value after this date */
  const char *title;
  int line, col;
  uint32_t *rules;           /* per period: its rule (the value's basis) */
  uint8_t *from_prec;        /* per period: how much of its start date is known */
} cpw__param;

typedef struct cpw__define {
  const char *name;
  cpw__node *expr;
  uint8_t type;
  uint16_t enum_id;
  uint8_t state;             /* checker: 0 unchecked, 1 checking, 2 done */
  uint32_t depth;            /* tree depth with the definitions it uses written out */
  int line, col;
  const char *file;
} cpw__define;

typedef struct cpw__item {
  const char *id;
  const char *title;         /* "" when none */
  int period;                /* benefits: 0 once, 1 monthly, 2 yearly */
  int cap;                   /* benefits: "up to": the amount is a maximum, not owed */
  cpw__node *when_ast;       /* NULL: always */
  cpw__node *amount_ast;     /* benefits */
  cpw__code when, when_traced;
  cpw__code amount;
  uint32_t rule;             /* its basis (policy/basis.h) */
} cpw__item;

struct cpw_program {
  const struct cpw_policy *policy;
  uint32_t index;
  const char *id;
  const char *title;
  const char *source;        /* "" when none */
  int64_t from, until;       /* in force (CPW_DATE_MIN / CPW_DATE_MAX when open) */
  cpw__node *rule;           /* the eligible-when formula */
  cpw__code code;            /* fast code (fused, untraced) */
  cpw__code traced;          /* the same formula with a trace of every node */
  cpw__item *items;          /* benefits first, then services */
  uint32_t nbenefits, nservices;
  uint32_t *slots_used;      /* input slots the rule and items read (batch loading) */
  uint32_t nslots_used;
  const char *file;
  int line, col;
  uint8_t from_prec;         /* how much of `from` is known (CPW__PREC_*) */
  uint32_t rule_index;       /* its basis (policy/basis.h) */
  uint32_t *params_used;     /* parameters the rule, benefits and services read (through
                                definitions): their dated values are bases of a decision */
  uint32_t nparams_used;
};

typedef struct cpw__calendar_decl {
  const char *name;
  struct cpw_calendar *cal;
  uint32_t rule;             /* the calendar's own basis (weekend; default of its holidays) */
} cpw__calendar_decl;

/* Workflows hang off the policy (policy/wf_model.h; their syntax in policy/wf_syntax.h). */
struct cpw_workflow;

struct cpw_policy {
  cpw_ctx *ctx;                  /* the context it was compiled with (used to free it) */
  cpw__arena arena;              /* every part of the policy lives here */
  const char *name;
  const char *title;
  const char *version;
  uint8_t hash[32];              /* SHA-256 of the source texts (with their names) */
  char hash_hex[65];
  int tz_minutes;
  /* schema */
  cpw__field *fields;
  uint32_t nfields;
  cpw__map field_index;
  cpw__enum *enums;
  uint32_t nenums;
  cpw__param *params;
  uint32_t nparams;
  cpw__map param_index;
  cpw__define *defines;
  uint32_t ndefines;
  cpw__map define_index;
  struct cpw_program *programs;
  uint32_t nprograms;
  cpw__map program_index;
  cpw__calendar_decl *calendars;
  uint32_t ncalendars;
  struct cpw_workflow **workflows;
  uint32_t nworkflows;
  cpw__map workflow_index;
  struct cpw__placement_policy *placement; /* settings, facilities, gatekeeping (or NULL) */
  uint32_t max_regs;             /* the most registers any code needs */
  uint32_t max_nodes;            /* node ids for traces */
  const char **source_names;
  uint32_t nsources;
  struct cpw__labels *labels;    /* per language declared (policy/labels.h) */
  uint32_t nlabels;
  /* the legal basis (policy/basis.h): declared sources (citations) and every rule */
  struct cpw_source *cites;
  uint32_t ncites;
  cpw__map cite_index;
  struct cpw_rule *rules;
  uint32_t nrules;
  size_t rules_cap;
};

/* The value of parameter `index` on `date`; 0 when it has none then (*known = 0). */
int64_t cpw__param_value(const struct cpw_policy *pol, uint32_t index, int64_t date, int *known);

/* Type names for messages ("int", "enum(a, b)", ...). */
const char *cpw__type_name(uint8_t type);

#endif
