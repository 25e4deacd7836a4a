/* SPDX-License-Identifier: Apache-2.0 */
/* policy/basis_parse.c: the syntax of legal sources and of the basis of rules.
 *
 *   source ID "citation" [{
 *     number "4113-რს"   article "30"   date 2010-12-17   address "https://..."   note "..."
 *   }]
 *   basis STATUS [( SOURCE ["pinpoint"] {, SOURCE ["pinpoint"]} )] [note "..."]
 *     STATUS: law | regulation | agency_default | proposal
 *
 * A basis belongs to the rule it follows, on the same line or the next. Inside a block
 * (programme, calendar, workflow, placement rules) a basis that follows no rule (right after
 * the opening brace, or after a line that is not a rule: roles, states, weekend, eligible
 * when) is the block's own, and the block's rules without one of their own inherit it.
 * Dates whose day is not known are written YYYY-MM or YYYY (see cpw__parse_date_prec).
 * These functions are the only parser code of the feature (parse.c, wf_parse.c and
 * pl_parse.c call them at the end of each rule-bearing declaration). */
#include "policy/basis_syntax.h"

#include <cpw/policy.h>

static const char *const status_words[] = { "law", "regulation", "agency_default", "proposal" };

int cpw__parse_date_prec(cpw__parser *p, int64_t *out, uint8_t *prec, const char *what)
{
  const cpw__token *t = &p->lx.cur;
  *prec = CPW__PREC_DAY;
  if (t->kind == TK_INT && t->len == 4 && t->ival >= 1 && t->ival <= 9999) {
    int year = (int)t->ival, month = 1;
    uint32_t end = t->off + t->len;
    cpw_date d;
    cpw__parse_advance(p);
    *prec = CPW__PREC_YEAR;
    /* YYYY-MM, written without spaces */
    if (p->lx.cur.kind == TK_MINUS && p->lx.cur.off == end) {
      const cpw__token *m = cpw__lex_peek(&p->lx);
      if (m->kind == TK_INT && m->off == end + 1 && m->len == 2) {
        if (m->ival < 1 || m->ival > 12) {
          cpw__parse_advance(p);
          cpw__parse_error(p, "invalid date: month %d is out of range (1-12)", (int)m->ival);
          return 0;
        }
        month = (int)m->ival;
        cpw__parse_advance(p);
        cpw__parse_advance(p);
        *prec = CPW__PREC_MONTH;
      }
    }
    cpw_date_from_ymd(&d, year, month, 1);
    *out = d;
    return 1;
  }
  return cpw__parse_date(p, out, what);
}

static int parse_status(cpw__parser *p, uint8_t *status)
{
  size_t i;
  for (i = 0; i < CPW__ARRAY_LEN(status_words); i++)
    if (cpw__parse_accept_word(p, status_words[i])) {
      *status = (uint8_t)(CPW_BASIS_LAW + i);
      return 1;
    }
  cpw__parse_error(p, "expected the status of the basis: law, regulation, agency_default or "
                      "proposal");
  return 0;
}

int cpw__parse_basis(cpw__parser *p, cpw__ast_basis *b)
{
  cpw__ast_basis nb;
  memset(&nb, 0, sizeof nb);
  nb.present = 1;
  nb.line = p->lx.cur.line;
  nb.col = p->lx.cur.col;
  nb.text = b->text;
  nb.text_len = b->text_len;
  if (!parse_status(p, &nb.status))
    return 0;
  if (cpw__parse_accept(p, TK_LPAREN)) {
    do {
      cpw__ast_ref r;
      memset(&r, 0, sizeof r);
      if (!cpw__parse_name(p, &r.source, "the id of a source (declared with 'source')"))
        return 0;
      cpw__parse_string(p, &r.pin, &r.pin_len);
      nb.refs = cpw__parse_push(p, nb.refs, nb.nrefs, sizeof *nb.refs);
      if (nb.refs == NULL)
        return 0;
      nb.refs[nb.nrefs++] = r;
    } while (cpw__parse_accept(p, TK_COMMA));
    if (!cpw__parse_expect(p, TK_RPAREN, "after the sources of the basis"))
      return 0;
  }
  if (cpw__parse_accept_word(p, "note") && !cpw__parse_string(p, &nb.note, &nb.note_len)) {
    cpw__parse_error(p, "expected the note as a string: note \"...\"");
    return 0;
  }
  *b = nb;
  return 1;
}

void cpw__basis_text(cpw__parser *p, cpw__ast_basis *b, uint32_t start)
{
  if (p->prev_end > start) {
    b->text = p->lx.src + start;
    b->text_len = p->prev_end - start;
  }
}

int cpw__parse_item_basis(cpw__parser *p, cpw__ast_basis *b, uint32_t start, int same_line)
{
  cpw__basis_text(p, b, start);
  if (!cpw__parse_is_word(p, "basis") || (same_line && p->lx.cur.line != p->prev_line))
    return 1; /* none: the block's applies */
  if (b->present) {
    cpw__parse_error(p, "this rule already has a basis");
    return 0;
  }
  cpw__parse_advance(p);
  if (!cpw__parse_basis(p, b))
    return 0;
  if (cpw__parse_is_word(p, "basis")) {
    cpw__parse_error(p, "this rule already has a basis");
    return 0;
  }
  return 1;
}

int cpw__parse_block_basis(cpw__parser *p, cpw__ast_basis *b)
{
  if (b->present) {
    cpw__parse_error(p, "this declaration already has a basis (a basis belongs to the rule it "
                        "follows)");
    return 0;
  }
  cpw__parse_advance(p); /* 'basis' */
  return cpw__parse_basis(p, b);
}

/* At the word `what`: its string value, once. */
static int source_text(cpw__parser *p, const char **s, uint32_t *len, const char *what)
{
  if (*s != NULL) {
    cpw__parse_error(p, "a source has one '%s'", what);
    return 0;
  }
  cpw__parse_advance(p);
  if (!cpw__parse_string(p, s, len)) {
    cpw__parse_error(p, "expected the %s as a string", what);
    return 0;
  }
  return 1;
}

int cpw__parse_source(cpw__parser *p, cpw__decl *d)
{
  cpw__ast_source *s = cpw__parse_alloc(p, sizeof *s);
  if (s == NULL)
    return 0;
  s->date = CPW_DATE_MIN;
  d->ext = s;
  if (!cpw__parse_name(p, &d->name, "the source's id"))
    return 0;
  if (!cpw__parse_string(p, &d->title, &d->title_len)) {
    cpw__parse_error(p, "expected the citation as a string after the source's id (the act, "
                        "report or page, as a reviewer would cite it)");
    return 0;
  }
  if (!cpw__parse_accept(p, TK_LBRACE))
    return 1;
  while (!cpw__parse_check(p, TK_RBRACE) && !cpw__parse_check(p, TK_EOF)) {
    int ok;
    if (cpw__parse_is_word(p, "number"))
      ok = source_text(p, &s->number, &s->number_len, "number");
    else if (cpw__parse_is_word(p, "article"))
      ok = source_text(p, &s->article, &s->article_len, "article");
    else if (cpw__parse_is_word(p, "address"))
      ok = source_text(p, &s->address, &s->address_len, "address");
    else if (cpw__parse_is_word(p, "note"))
      ok = source_text(p, &s->note, &s->note_len, "note");
    else if (cpw__parse_is_word(p, "date")) {
      if (s->date != CPW_DATE_MIN) {
        cpw__parse_error(p, "a source has one 'date'");
        return 0;
      }
      cpw__parse_advance(p);
      ok = cpw__parse_date_prec(p, &s->date, &s->date_prec, "after 'date'");
    } else {
      cpw__parse_error(p, "expected number, article, date, address or note in a source");
      ok = 0;
    }
    if (!ok)
      return 0;
  }
  return cpw__parse_expect(p, TK_RBRACE, "to close the source");
}
