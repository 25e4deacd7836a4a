/* SPDX-License-Identifier: Apache-2.0 */
/* policy/ast.h: the syntax tree of a policy file, in the policy's arena (the compiled model keeps
 * the formulas' trees: the explainer and the diagrams read them). */
#ifndef CPW_POLICY_AST_H
#define CPW_POLICY_AST_H

#include "base/base.h"
#include "policy/lex.h" /* an operator node's op is the token kind that wrote it (TK_LT...) */

/* ---- types of values ---- */
typedef enum cpw__type {
  T_ERROR = 0,   /* a sub-expression that already failed to check */
  T_BOOL,
  T_INT,
  T_MONEY,
  T_DATE,
  T_DATETIME,
  T_TEXT,
  T_ENUM,        /* enum_id says which enum */
  T_SET,         /* a set of members of enum enum_id */
  T_DURATION     /* only as the right operand of + or - on a date or date-time */
} cpw__type;

typedef enum cpw__unit {
  U_NONE = 0, U_MINUTES, U_HOURS, U_DAYS, U_WEEKS, U_MONTHS, U_YEARS, U_WORKING_DAYS
} cpw__unit;

/* ---- expression nodes ---- */
typedef enum cpw__nkind {
  N_BOOL, N_INT, N_MONEY, N_DATE, N_DATETIME, N_TEXT, N_DURATION,
  N_NAME,        /* a field, parameter, definition, enum member or builtin (as_of) */
  N_SETLIT,      /* { a, b, c } */
  N_CALL,        /* name(args) */
  N_NEG, N_NOT,
  N_AND, N_OR,
  N_CMP,         /* op: TK_EQ .. TK_GE */
  N_ARITH,       /* op: TK_PLUS TK_MINUS TK_STAR TK_SLASH */
  N_IN,          /* a in b; negated when flag */
  N_CONTAINS,    /* set contains member */
  N_BETWEEN,     /* a between b and c (inclusive) */
  N_MISSING,     /* a is missing (flag: is given) */
  N_IF           /* if a then b else c */
} cpw__nkind;

/* What an N_NAME resolved to. */
typedef enum cpw__ref {
  R_NONE = 0, R_FIELD, R_PARAM, R_DEFINE, R_MEMBER, R_ASOF
} cpw__ref;

typedef struct cpw__node cpw__node;
struct cpw__node {
  uint8_t kind;        /* cpw__nkind */
  uint8_t op;          /* cpw__tok for N_CMP / N_ARITH */
  uint8_t type;        /* cpw__type, set by the checker */
  uint8_t unit;        /* cpw__unit for N_DURATION */
  uint8_t flag;        /* N_IN / N_MISSING: negated */
  uint8_t ref;         /* cpw__ref for N_NAME */
  uint16_t enum_id;    /* T_ENUM / T_SET: the enum */
  int line, col;
  uint32_t off, len;   /* source span of the whole expression */
  const char *src;     /* the expression's text (len bytes, in the policy's copy) */
  uint32_t id;         /* numbering for explanation traces (set by the compiler) */
  uint32_t index;      /* R_FIELD/R_PARAM/R_DEFINE index, or member index for R_MEMBER */
  int64_t ival;        /* literal value */
  const char *str;     /* N_NAME / N_CALL name, N_TEXT text */
  uint32_t slen;
  cpw__node *a, *b, *c;
  cpw__node **args;    /* N_CALL arguments, N_SETLIT members */
  uint32_t nargs;
};

/* ---- declarations ---- */
typedef struct cpw__ast_type {
  uint8_t base;              /* cpw__type (T_ENUM or T_SET with members) */
  int line, col;
  const char **members;      /* enum members (names point into the source) */
  uint32_t *member_lens;
  uint32_t nmembers;
} cpw__ast_type;

typedef struct cpw__ast_name {
  const char *str;
  uint32_t len;
  int line, col;
} cpw__ast_name;

/* ---- legal basis (basis_parse.c) ----
 * A basis: a status (law, regulation, agency_default, proposal), the sources it cites (ids of
 * `source` declarations, each with an optional pinpoint such as "Art. 30(3)") and a note. */
typedef struct cpw__ast_ref {
  cpw__ast_name source;
  const char *pin;           /* "Art. 30" or NULL */
  uint32_t pin_len;
} cpw__ast_ref;

typedef struct cpw__ast_basis {
  int present;               /* 0: none written */
  uint8_t status;            /* cpw_basis_status */
  cpw__ast_ref *refs;
  uint32_t nrefs;
  const char *note;
  uint32_t note_len;
  int line, col;
  const char *text;          /* the rule it belongs to, as written (set by the item's parser) */
  uint32_t text_len;
} cpw__ast_basis;

/* How much of a date is known: all of it, or only its year and month, or only its year
 * ("from 2015": the year is sourced, the day is not; evaluated from 1 January). */
enum { CPW__PREC_DAY = 0, CPW__PREC_MONTH = 1, CPW__PREC_YEAR = 2 };

typedef struct cpw__ast_period {
  cpw__node *value;
  int64_t from;              /* cpw_date */
  int line, col;
  uint8_t from_prec;         /* CPW__PREC_* */
  cpw__ast_basis basis;
} cpw__ast_period;

typedef enum cpw__dkind {
  D_POLICY, D_TIMEZONE, D_CALENDAR, D_FIELD, D_PARAM, D_DEFINE, D_PROGRAM, D_WORKFLOW,
  D_SETTING, D_FACILITY, D_PLACEMENT, D_LABELS, D_SOURCE
} cpw__dkind;

typedef struct cpw__ast_holiday {
  int kind;                  /* 0 annual (month/day), 1 easter offset, 2 one date,
                                3 days off (date .. date_to, for administrative bodies) */
  int month, day, offset;
  int64_t date, date_to;
  int64_t from, until;       /* effective range of annual rules */
  uint8_t from_prec;
  const char *name;
  uint32_t name_len;
  int line, col;
  cpw__ast_basis basis;
} cpw__ast_holiday;

typedef struct cpw__ast_item {   /* a programme's benefit or service */
  cpw__ast_name id;
  cpw__node *amount;          /* benefits: money expression */
  int period;                 /* benefits: 0 once, 1 monthly, 2 yearly */
  int cap;                    /* benefits: "up to": the amount is a maximum */
  cpw__node *when;            /* NULL: always (when eligible) */
  const char *title;
  uint32_t title_len;
  cpw__ast_basis basis;
} cpw__ast_item;

typedef struct cpw__decl cpw__decl;
struct cpw__decl {
  uint8_t kind;              /* cpw__dkind */
  int line, col;
  const char *file;
  cpw__ast_name name;
  const char *title;         /* quoted description */
  uint32_t title_len;
  const char *text2;         /* D_POLICY: version; D_PROGRAM: source */
  uint32_t text2_len;
  cpw__ast_type type;        /* D_FIELD, D_PARAM */
  cpw__node *expr;           /* D_DEFINE body; D_PROGRAM eligible-when */
  int expr_line, expr_col;
  cpw__ast_period *periods;  /* D_PARAM values */
  uint32_t nperiods;
  int64_t from, until;       /* D_PROGRAM in force (CPW_DATE_MIN/MAX when unset); D_PARAM until */
  int has_from;
  uint8_t from_prec;         /* D_PROGRAM: how much of `from` is known (CPW__PREC_*) */
  cpw__ast_basis basis;      /* D_PROGRAM, D_SETTING, D_FACILITY; blocks (workflow, calendar,
                                placement rules): their own basis, inherited by their items */
  cpw__ast_item *items;      /* D_PROGRAM benefits then services */
  uint32_t nbenefits, nservices;
  cpw__ast_holiday *holidays;/* D_CALENDAR */
  uint32_t nholidays;
  unsigned weekend_mask;     /* D_CALENDAR */
  int tz_minutes;            /* D_TIMEZONE */
  void *ext;                 /* D_WORKFLOW / D_SETTING / ...: engine-specific syntax */
  cpw__decl *next;
};

#endif
