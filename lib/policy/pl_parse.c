/* SPDX-License-Identifier: Apache-2.0 */
/* policy/pl_parse.c: the syntax of care settings, facilities and placement rules.
 *
 *   setting ID "title" category family|family_type|residential [capacity N] [ages A to B]
 *   facility ID "name" setting SETTING [region "name"] [capacity N] [ages A to B]
 *   placement rules {
 *     preference SETTING, SETTING, ...          (most preferred first)
 *     roles ROLE, ...                           (who may place; default: anyone)
 *     review every N months|weeks|days
 *     leaving care at N                         (the age care ends)
 *     deny "reason" when CONDITION              (a placement is refused when it holds)
 *     warn "reason" when CONDITION              (a placement goes ahead with a warning)
 *   }
 * Ages are completed years, both ends included ("ages 6 to 17": from the 6th birthday until
 * the 18th).
 * Bases (basis_parse.c): a basis belongs to what it follows. A setting's or facility's own
 * basis follows its header; its capacity and ages may each be followed by theirs ("capacity
 * 80 basis agency_default"). In the rules block each rule may be followed by its own; a basis
 * that follows no rule (the first line, after 'roles') is the block's.
 */
#include "policy/basis_syntax.h"
#include "policy/pl_syntax.h"

static cpw__pl_ast *new_ast(cpw__parser *p, cpw__decl *d)
{
  cpw__pl_ast *a = cpw__parse_alloc(p, sizeof *a);
  if (a == NULL)
    return NULL;
  a->category = -1;
  a->capacity = a->min_age = a->max_age = CPW__NO_LIMIT;
  d->ext = a;
  return a;
}

static int number(cpw__parser *p, int64_t *out, int64_t max, const char *what)
{
  if (!cpw__parse_check(p, TK_INT) || p->lx.cur.ival > max) {
    cpw__parse_error(p, "expected %s (a whole number up to %lld)", what, (long long)max);
    return 0;
  }
  *out = p->lx.cur.ival;
  cpw__parse_advance(p);
  return 1;
}

static int limits(cpw__parser *p, cpw__decl *d, cpw__pl_ast *a, uint32_t start)
{
  for (;;) {
    uint32_t item = p->lx.cur.off;
    if (cpw__parse_accept_word(p, "capacity")) {
      if (!number(p, &a->capacity, 100000, "a capacity"))
        return 0;
      if (!cpw__parse_item_basis(p, &a->capacity_basis, item, 0))
        return 0;
    } else if (cpw__parse_is_word(p, "basis")) {
      /* here only before a capacity or ages: a basis after them is theirs */
      if (!cpw__parse_item_basis(p, &d->basis, start, 0))
        return 0;
    } else if (cpw__parse_accept_word(p, "ages")) {
      if (!number(p, &a->min_age, 150, "the lowest age"))
        return 0;
      if (!cpw__parse_accept_word(p, "to")) {
        cpw__parse_error(p, "expected 'ages A to B'");
        return 0;
      }
      if (!number(p, &a->max_age, 150, "the highest age"))
        return 0;
      if (a->max_age < a->min_age) {
        cpw__parse_error(p, "the highest age is below the lowest");
        return 0;
      }
      if (!cpw__parse_item_basis(p, &a->ages_basis, item, 0))
        return 0;
    } else {
      if (d->basis.text == NULL)
        cpw__basis_text(p, &d->basis, start);
      return 1;
    }
  }
}

int cpw__parse_setting(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  static const char *const cats[] = { "family", "family_type", "residential", "own_family" };
  cpw__pl_ast *a = new_ast(p, d);
  int i;
  if (a == NULL || !cpw__parse_name(p, &d->name, "the setting's id"))
    return 0;
  cpw__parse_string(p, &d->title, &d->title_len);
  if (!cpw__parse_accept_word(p, "category")) {
    cpw__parse_error(p, "expected 'category family|family_type|residential|own_family'");
    return 0;
  }
  for (i = 0; i < CPW__NCATEGORIES; i++)
    if (cpw__parse_accept_word(p, cats[i]))
      a->category = i;
  if (a->category < 0) {
    cpw__parse_error(p, "the category is family, family_type, residential or own_family");
    return 0;
  }
  return limits(p, d, a, start);
}

int cpw__parse_facility(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  cpw__pl_ast *a = new_ast(p, d);
  if (a == NULL || !cpw__parse_name(p, &d->name, "the facility's id"))
    return 0;
  cpw__parse_string(p, &d->title, &d->title_len);
  if (!cpw__parse_accept_word(p, "setting")) {
    cpw__parse_error(p, "expected 'setting SETTING' (the facility's type)");
    return 0;
  }
  if (!cpw__parse_name(p, &a->setting, "a setting"))
    return 0;
  if (cpw__parse_accept_word(p, "region") &&
      !cpw__parse_string(p, &a->region, &a->region_len)) {
    cpw__parse_error(p, "expected the region as a string");
    return 0;
  }
  return limits(p, d, a, start);
}

static int names(cpw__parser *p, cpw__ast_name **list, uint32_t *n, const char *what)
{
  do {
    cpw__ast_name nm;
    if (!cpw__parse_name(p, &nm, what))
      return 0;
    *list = cpw__parse_push(p, *list, *n, sizeof **list);
    if (*list == NULL)
      return 0;
    (*list)[(*n)++] = nm;
  } while (cpw__parse_accept(p, TK_COMMA));
  return 1;
}

int cpw__parse_placement(cpw__parser *p, cpw__decl *d, uint32_t start)
{
  cpw__pl_ast *a = new_ast(p, d);
  if (a == NULL)
    return 0;
  d->name.str = "placement";
  d->name.len = 9;
  d->name.line = d->line;
  d->name.col = d->col;
  if (!cpw__parse_accept_word(p, "rules")) {
    cpw__parse_error(p, "expected 'placement rules { ... }'");
    return 0;
  }
  cpw__basis_text(p, &d->basis, start);
  if (!cpw__parse_expect(p, TK_LBRACE, "to open the placement rules"))
    return 0;
  while (!cpw__parse_check(p, TK_RBRACE) && !cpw__parse_check(p, TK_EOF)) {
    uint32_t item = p->lx.cur.off;
    if (cpw__parse_is_word(p, "basis")) {
      if (!cpw__parse_block_basis(p, &d->basis))
        return 0;
    } else if (cpw__parse_accept_word(p, "preference")) {
      if (!names(p, &a->preference, &a->npreference, "a setting"))
        return 0;
      if (!cpw__parse_item_basis(p, &a->preference_basis, item, 0))
        return 0;
    } else if (cpw__parse_accept_word(p, "roles")) {
      if (!names(p, &a->roles, &a->nroles, "a role"))
        return 0;
    } else if (cpw__parse_accept_word(p, "review")) {
      if (!cpw__parse_accept_word(p, "every")) {
        cpw__parse_error(p, "expected 'review every N months'");
        return 0;
      }
      if (!number(p, &a->review_amount, 1000, "a number") || a->review_amount == 0) {
        if (!p->failed)
          cpw__parse_error(p, "reviews need a period of at least 1");
        return 0;
      }
      if (cpw__parse_accept_word(p, "months") || cpw__parse_accept_word(p, "month"))
        a->review_unit = U_MONTHS;
      else if (cpw__parse_accept_word(p, "weeks") || cpw__parse_accept_word(p, "week"))
        a->review_unit = U_WEEKS;
      else if (cpw__parse_accept_word(p, "days") || cpw__parse_accept_word(p, "day"))
        a->review_unit = U_DAYS;
      else {
        cpw__parse_error(p, "expected months, weeks or days");
        return 0;
      }
      if (!cpw__parse_item_basis(p, &a->review_basis, item, 0))
        return 0;
    } else if (cpw__parse_accept_word(p, "leaving")) {
      if (!cpw__parse_accept_word(p, "care") || !cpw__parse_accept_word(p, "at")) {
        cpw__parse_error(p, "expected 'leaving care at AGE'");
        return 0;
      }
      if (!number(p, &a->leaving_age, 150, "an age"))
        return 0;
      if (!cpw__parse_item_basis(p, &a->leaving_basis, item, 0))
        return 0;
    } else if (cpw__parse_check(p, TK_IDENT) &&
               (cpw__parse_is_word(p, "deny") || cpw__parse_is_word(p, "warn"))) {
      cpw__pl_ast_rule r;
      memset(&r, 0, sizeof r);
      r.warn = cpw__parse_is_word(p, "warn");
      r.line = p->lx.cur.line;
      r.col = p->lx.cur.col;
      cpw__parse_advance(p);
      if (!cpw__parse_string(p, &r.reason, &r.reason_len)) {
        cpw__parse_error(p, "expected the reason as a string: deny \"reason\" when ...");
        return 0;
      }
      if (!cpw__parse_expect(p, TK_WHEN, "after the reason"))
        return 0;
      r.when = cpw__parse_expr(p);
      if (r.when == NULL)
        return 0;
      if (!cpw__parse_item_basis(p, &r.basis, item, 0))
        return 0;
      a->rules = cpw__parse_push(p, a->rules, a->nrules, sizeof *a->rules);
      if (a->rules == NULL)
        return 0;
      a->rules[a->nrules++] = r;
    } else {
      cpw__parse_error(p, "expected preference, roles, review, leaving care, deny, warn or "
                          "basis in placement rules");
      return 0;
    }
  }
  return cpw__parse_expect(p, TK_RBRACE, "to close the placement rules");
}
