/* policy/basis.h: the legal basis of rules as data: `source` declarations (a citation declared
 * once and referred to by id), the `basis` clause of every rule-bearing declaration, and the
 * compiled table of rules that the API, explanations, deadlines, diagrams and `cpw sources`
 * show. Syntax in basis_parse.c, model in basis.c. */
#ifndef CPW_POLICY_BASIS_H
#define CPW_POLICY_BASIS_H

#include "policy/check.h"
#include "policy/parse.h"

/* ---------------------------------------------------------------- syntax */
typedef struct cpw__ast_source {   /* the `ext` of a D_SOURCE declaration */
  const char *number, *article, *address, *note;
  uint32_t number_len, article_len, address_len, note_len;
  int64_t date;                    /* CPW_DATE_MIN: none */
  uint8_t date_prec;
} cpw__ast_source;

/* source ID "citation" [{ number "..." article "..." date DATE address "..." note "..." }] */
int cpw__parse_source(cpw__parser *p, cpw__decl *d);
/* After the word 'basis': STATUS [( SOURCE ["pinpoint"], ... )] [note "..."]. */
int cpw__parse_basis(cpw__parser *p, cpw__ast_basis *b);
/* An item's own basis: 'basis ...' right after the item that began at source offset `start`
 * (only on the line where the item ends when `same_line`; the default policy's language puts
 * no such limit: callers pass 0). Records the item's text for listings. 0 on a syntax
 * error. */
int cpw__parse_item_basis(cpw__parser *p, cpw__ast_basis *b, uint32_t start, int same_line);
/* At the word 'basis' on a line of its own in a block: the block's own basis. */
int cpw__parse_block_basis(cpw__parser *p, cpw__ast_basis *b);
/* Record the text of a block's rule (its header) in b, from `start` to the end of the last
 * token read. */
void cpw__basis_text(cpw__parser *p, cpw__ast_basis *b, uint32_t start);
/* A date whose day, or day and month, may be unknown: YYYY-MM-DD, YYYY-MM or YYYY (the first
 * day of the month or year is used; *prec says how much is known). */
int cpw__parse_date_prec(cpw__parser *p, int64_t *out, uint8_t *prec, const char *what);

/* ---------------------------------------------------------------- compiled */
#define CPW__NO_RULE UINT32_MAX

typedef struct cpw__basis {
  uint8_t status;                  /* cpw_basis_status (0: none stated) */
  uint8_t inherited;               /* taken from the enclosing block */
  uint32_t nrefs;
  uint32_t *ref_source;            /* indexes into pol->cites */
  const char **ref_pin;            /* "" when none */
  const char *note;                /* "" when none */
} cpw__basis;

struct cpw_source {
  const struct cpw_policy *policy;
  uint32_t index;
  const char *id, *citation, *number, *article, *address, *note;
  int64_t date;                    /* CPW_DATE_MIN: none */
  uint8_t date_prec;
  const char *file;
  int line;
};

struct cpw_rule {
  const struct cpw_policy *policy;
  uint32_t index;
  uint8_t kind;                    /* cpw_rule_kind */
  const char *name;                /* what it is: "tsa_child_benefit", "referral: register" */
  const char *text;                /* the rule as written, on one line */
  const char *file;
  int line;
  int64_t start;                   /* when it starts applying, or CPW_DATE_MIN */
  int8_t start_prec;               /* CPW__PREC_*, or -1 when it has no start */
  cpw__basis basis;
  const char *basis_text;          /* "agency default, not law (...)" */
};

/* Declare every `source` of the policy (before anything cites one). */
void cpw__declare_sources(cpw__checker *ck, cpw__decl *decls);
/* Add a rule with basis `b` (or, when b is absent, `inherit`'s basis, marked inherited) and
 * return its index (CPW__NO_RULE after an error). Its text is `text` when given, else b's
 * text folded to one line, else its name. Unknown source ids are errors. */
uint32_t cpw__rule_add(cpw__checker *ck, int kind, const char *file, int line, const char *name,
                       const cpw__ast_basis *b, uint32_t inherit, const char *text_fallback,
                       int64_t start, int start_prec);
/* `prefix` then src[0..len) folded to one line (comments left out), cut after 400 bytes; in
 * the policy's arena (NULL on OOM, marked). */
const char *cpw__fold_text(cpw__checker *ck, const char *prefix, const char *src, uint32_t len);
/* A date as written with its precision: "2015", "2022-07", "2021-07-01". */
void cpw__date_text(char buf[CPW_DATE_BUFSIZE], int64_t date, int prec);
/* The parameters a programme's formulas read (through definitions), into pg->params_used. */
void cpw__collect_params(cpw__checker *ck, struct cpw_program *pg);
/* The rule of index i, or NULL. */
const struct cpw_rule *cpw__rule(const struct cpw_policy *pol, uint32_t i);
/* A short label of a rule's status for diagrams: "" for law and regulation, else
 * "agency default" / "proposal" / "no basis". */
const char *cpw__basis_mark(const struct cpw_rule *r);

#endif
