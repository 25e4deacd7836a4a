/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/chart.c: the deinstitutionalization charts as SVG.
 *
 * One small SVG writer (escaping, text, wrapped captions, fills with patterns) serves four
 * charts: children in care at each month end by category (stacked), the family-based share,
 * entries and exits by setting and reason, and the length of stay. Each has a title, its
 * period and region, a legend, axes with units and a caption with the indicator's definition
 * and source. Every mark that shows a number carries it in data-* attributes (the indicator,
 * the setting and reason, the sub-period, the value as `cpw report --format json` prints it),
 * so tests can compare the picture with the JSON. The colours are the Okabe-Ito palette
 * (safe for colour-blind readers), each with its own pattern so that a black-and-white print
 * still tells them apart; 640 units wide, readable at A4 width.
 *
 * To add a chart (a new indicator): a draw function and a table function, an entry in
 * `charts` below, and its words in chart_text.c. */
#include "pictures.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define W 640.0          /* width of every chart */
#define PLOT_LEFT 64.0   /* the y axis */
#define PLOT_RIGHT 616.0
#define PLOT_H 190.0
#define FONT "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
#define MAX_MONTHS 36    /* longer periods are drawn by year */

/* ------------------------------------------------------------------ data */

static int month_end(cpw_date d)
{
  int y, m, day;
  cpw_date_to_ymd(d, &y, &m, &day);
  return day == cpw_date_days_in_month(y, m);
}

/* the ends of the sub-periods: each month (or year) end in [from, to), then `to` */
static size_t part_ends(cpw_date from, cpw_date to, int yearly, cpw_date *out)
{
  int y, m, d;
  size_t n = 0;
  cpw_date e;
  cpw_date_to_ymd(from, &y, &m, &d);
  if (yearly)
    m = 12;
  for (;;) {
    if (cpw_date_from_ymd(&e, y, m, cpw_date_days_in_month(y, m)) != CPW_OK || e >= to)
      break;
    if (out != NULL)
      out[n] = e;
    n++;
    if (yearly || ++m > 12) {
      m = yearly ? 12 : 1;
      y++;
    }
  }
  if (out != NULL)
    out[n] = to;
  return n + 1;
}

int cpw_tool_di_new(cpw_tool_di *di, cpw_ctx *ctx, const cpw_registry *reg,
                    const cpw_policy *pol, const char *lang, cpw_date from, cpw_date to,
                    const char *region, const char *source)
{
  cpw_date *ends;
  cpw_date a = from;
  size_t k;
  int rc;
  memset(di, 0, sizeof *di);
  di->pol = pol;
  di->lang = lang;
  di->text = cpw_tool_text(lang);
  di->region = region;
  if (di->text == NULL)
    return CPW_ENOTFOUND;
  di->source = source;
  rc = cpw_registry_indicators(reg, ctx, from, to, region, &di->whole);
  if (rc != CPW_OK)
    return rc;
  di->yearly = part_ends(from, to, 0, NULL) > MAX_MONTHS;
  di->nparts = part_ends(from, to, di->yearly, NULL);
  ends = calloc(di->nparts, sizeof *ends);
  di->parts = calloc(di->nparts, sizeof *di->parts);
  if (ends == NULL || di->parts == NULL) {
    free(ends);
    cpw_tool_di_free(di);
    return CPW_ENOMEM;
  }
  part_ends(from, to, di->yearly, ends);
  for (k = 0; k < di->nparts && rc == CPW_OK; k++) {
    rc = cpw_registry_indicators(reg, ctx, a, ends[k], region, &di->parts[k]);
    cpw_date_add_days(&a, ends[k], 1);
  }
  free(ends);
  if (rc != CPW_OK)
    cpw_tool_di_free(di);
  return rc;
}

void cpw_tool_di_free(cpw_tool_di *di)
{
  size_t k;
  for (k = 0; di->parts != NULL && k < di->nparts; k++)
    cpw_indicators_free(di->parts[k]);
  free(di->parts);
  cpw_indicators_free(di->whole);
  di->parts = NULL;
  di->whole = NULL;
  di->nparts = 0;
}

/* ------------------------------------------------------------------ the writer */

typedef struct svg {
  FILE *f;                 /* NULL: measure only */
  const cpw_tool_di *di;
  const char *const *t;
  const char *id;          /* the chart's name: the prefix of its ids */
} svg;

static void out(const svg *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(const svg *w, const char *fmt, ...)
{
  va_list ap;
  if (w->f == NULL)
    return;
  va_start(ap, fmt);
  vfprintf(w->f, fmt, ap);
  va_end(ap);
}

/* the length of the valid UTF-8 sequence at s that XML allows, 0 if there is none */
static size_t xml_char(const unsigned char *s, unsigned long *cp)
{
  unsigned long c;
  size_t n, i;
  if (s[0] < 0x80) {
    c = s[0];
    n = 1;
  } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    c = s[0] & 0x1Fu;
    n = 2;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    c = s[0] & 0x0Fu;
    n = 3;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    c = s[0] & 0x07u;
    n = 4;
  } else {
    return 0;
  }
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3Fu);
  }
  if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF ||
      (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D))
    return 0;
  *cp = c;
  return n;
}

void cpw_tool_xml(FILE *f, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  if (f == NULL)
    return;
  while (*p) {
    unsigned long c;
    size_t n = xml_char(p, &c);
    if (n == 0) {
      fputs("\xEF\xBF\xBD", f);
      p++;
      continue;
    }
    switch (c) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fwrite(p, 1, n, f);
    }
    p += n;
  }
}

/* The width of len bytes of UTF-8 text in em of the charts' font, estimated per character
 * (DejaVu Sans): Georgian letters are wider than Latin ones, spaces narrower. */
static double em(const char *s, size_t len)
{
  double w = 0;
  size_t i = 0;
  while (i < len) {
    unsigned long c;
    size_t n = xml_char((const unsigned char *)s + i, &c);
    if (n == 0 || i + n > len) {
      n = 1;
      c = 0xFFFD;
    }
    if (c == ' ')
      w += 0.32;
    else if ((c >= 0x10A0 && c <= 0x10FF) || (c >= 0x1C90 && c <= 0x1CBF) ||
             (c >= 0x2D00 && c <= 0x2D2F))
      w += 0.64;
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 0x7F)
      w += 0.66;
    else
      w += 0.56;
    i += n;
  }
  return w;
}

/* the width of text in the charts' font at size, estimated */
static double text_width(const char *s, double size)
{
  return em(s, strlen(s)) * size;
}

/* <text> at x, y: anchor "start", "middle" or "end"; extra attributes as written */
static void text(const svg *w, double x, double y, const char *anchor, double size,
                 const char *extra, const char *s)
{
  out(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\"", x, y, size);
  if (strcmp(anchor, "start") != 0)
    out(w, " text-anchor=\"%s\"", anchor);
  out(w, "%s%s>", extra[0] ? " " : "", extra);
  cpw_tool_xml(w->f, s);
  out(w, "</text>\n");
}

/* a growable string for captions and labels */
typedef struct sbuf {
  char *s;
  size_t len, cap;
  int failed;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
  size_t n = strlen(s);
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *p = realloc(b->s, cap);
    if (p == NULL) {
      b->failed = 1;
      return;
    }
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

static const char *sb_str(const sbuf *b)
{
  return b->s != NULL && !b->failed ? b->s : "";
}

/* Write s in lines of at most `width` (split at spaces) from baseline y; returns the y
 * after the last line. */
/* The end of the first line of s at most `width` wide (split at a space; a word longer than
 * the line stays whole). */
static const char *line_end(const char *s, double width, double size)
{
  const char *p = s, *cut = NULL;
  for (; *p; p++)
    if (*p == ' ') {
      if (em(s, (size_t)(p - s)) * size > width)
        break;
      cut = p;
    }
  if (*p == '\0' && em(s, (size_t)(p - s)) * size <= width)
    return p;
  return cut != NULL ? cut : p;
}

/* Write s in <text> lines of at most `width` from baseline y; returns the y after the last
 * line. */
static double wrapped(const svg *w, double x, double y, double width, double size,
                      const char *anchor, const char *extra, const char *s)
{
  while (*s) {
    const char *end = line_end(s, width, size);
    char *line = malloc((size_t)(end - s) + 1);
    if (line != NULL) {
      memcpy(line, s, (size_t)(end - s));
      line[end - s] = '\0';
      text(w, x, y, anchor, size, extra, line);
      free(line);
    }
    y += size * 1.35;
    s = *end == ' ' ? end + 1 : end;
  }
  return y;
}

/* s as one <text> of <tspan> lines at most `width` wide (its text is s, the spaces kept);
 * returns the number of lines */
static int text_lines(const svg *w, double x, double y, double width, double size,
                      const char *extra, const char *s)
{
  int n = 0;
  out(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\"%s%s>", x, y, size, extra[0] ? " " : "",
      extra);
  while (*s) {
    const char *end = line_end(s, width, size);
    const char *next = *end == ' ' ? end + 1 : end;
    out(w, "<tspan x=\"%.1f\" dy=\"%.1f\">", x, n ? size * 1.3 : 0.0);
    if (w->f != NULL) {
      char *line = malloc((size_t)(next - s) + 1);
      if (line != NULL) {
        memcpy(line, s, (size_t)(next - s));
        line[next - s] = '\0';
        cpw_tool_xml(w->f, line);
        free(line);
      }
    }
    out(w, "</tspan>");
    n++;
    s = next;
  }
  out(w, "</text>\n");
  return n;
}

/* ------------------------------------------------------------------ fills */

enum { P_SOLID, P_DIAG, P_BACK, P_HORIZ, P_VERT, P_CROSS, P_DOTS };

typedef struct style {
  const char *colour;
  int pattern;
  const char *ink;       /* the pattern's lines: dark on light colours, white on dark */
} style;

/* the three categories (cpw_category order) and the exit reasons (cpw_exit_reason order) */
static const style category_style[3] = {
  { "#009E73", P_SOLID, "#000" },   /* family-based: bluish green, solid */
  { "#56B4E9", P_DIAG, "#000" },    /* family-type: sky blue, diagonal lines */
  { "#D55E00", P_CROSS, "#fff" },   /* residential: vermilion, cross-hatched */
};
static const style reason_style[CPW_EXIT_REASON_COUNT] = {
  { "#009E73", P_SOLID, "#000" },   /* reunified */
  { "#56B4E9", P_DIAG, "#000" },    /* kinship */
  { "#0072B2", P_HORIZ, "#fff" },   /* fostered */
  { "#CC79A7", P_DOTS, "#000" },    /* adopted */
  { "#E69F00", P_BACK, "#000" },    /* moved */
  { "#F0E442", P_CROSS, "#000" },   /* aged out */
  { "#000000", P_SOLID, "#fff" },   /* died */
  { "#999999", P_VERT, "#000" },    /* other */
};
static const style entry_style = { "#ffffff", P_SOLID, "#000" }; /* outlined, white */
#define SHARE_COLOUR "#0072B2"
#define STAY_COLOUR "#0072B2"

/* <pattern id="CHART-pN"> for a patterned style */
static void pattern_def(const svg *w, int n, const style *s)
{
  const char *rot = s->pattern == P_DIAG ? " patternTransform=\"rotate(45)\""
                    : s->pattern == P_BACK ? " patternTransform=\"rotate(-45)\"" : "";
  if (s->pattern == P_SOLID)
    return;
  out(w, "<pattern id=\"%s-p%d\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"%s>"
         "<rect width=\"6\" height=\"6\" fill=\"%s\"/>", w->id, n, rot, s->colour);
  switch (s->pattern) {
  case P_DIAG:
  case P_BACK:
  case P_VERT:
    out(w, "<path d=\"M1.5 0V6\" stroke=\"%s\" stroke-width=\"1.6\" stroke-opacity=\"0.7\"/>",
        s->ink);
    break;
  case P_HORIZ:
    out(w, "<path d=\"M0 1.5H6\" stroke=\"%s\" stroke-width=\"1.6\" stroke-opacity=\"0.7\"/>",
        s->ink);
    break;
  case P_CROSS:
    out(w, "<path d=\"M0 0L6 6M6 0L0 6\" stroke=\"%s\" stroke-width=\"1.1\" "
           "stroke-opacity=\"0.8\"/>", s->ink);
    break;
  default: /* P_DOTS */
    out(w, "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"%s\" fill-opacity=\"0.75\"/>", s->ink);
  }
  out(w, "</pattern>\n");
}

/* fill="..." and a thin outline for style n of a chart */
static void fill(const svg *w, int n, const style *s)
{
  if (s->pattern == P_SOLID)
    out(w, " fill=\"%s\"", s->colour);
  else
    out(w, " fill=\"url(#%s-p%d)\"", w->id, n);
  out(w, " stroke=\"#000\" stroke-width=\"0.6\"");
}

/* ------------------------------------------------------------------ marks and numbers */

/* data-* attributes: what a mark shows, for whoever reads the SVG (tests compare them with
 * `cpw report --format json` of the same period) */
static void data(const svg *w, const char *indicator, const char *setting, int reason,
                 const cpw_indicators *ind, const char *value)
{
  const cpw_indicator_summary *s = cpw_indicators_summary(ind);
  char a[CPW_DATE_BUFSIZE], z[CPW_DATE_BUFSIZE];
  cpw_date_format(a, sizeof a, s->from);
  cpw_date_format(z, sizeof z, s->to);
  out(w, " data-indicator=\"%s\"", indicator);
  if (setting != NULL) {
    out(w, " data-setting=\"");
    cpw_tool_xml(w->f, setting);
    out(w, "\"");
  }
  if (reason >= 0)
    out(w, " data-reason=\"%s\"", cpw_exit_reason_name(reason));
  out(w, " data-from=\"%s\" data-to=\"%s\" data-value=\"%s\"", a, z, value);
}

static void fmt_int(char *buf, size_t size, int64_t v)
{
  snprintf(buf, size, "%lld", (long long)v);
}

void cpw_tool_label(const cpw_policy *pol, const char *lang, const char *kind,
                    const char *name, char *buf, size_t size)
{
  const char *l = cpw_policy_label(pol, lang != NULL && lang[0] ? lang : "en", kind, name);
  size_t i;
  if (l != NULL) {
    snprintf(buf, size, "%s", l);
    return;
  }
  snprintf(buf, size, "%s", name != NULL ? name : "");
  for (i = 0; buf[i]; i++)
    if (buf[i] == '_')
      buf[i] = ' ';
}

void cpw_tool_date_text(char *buf, cpw_date d, const char *lang)
{
  if (cpw_date_format_lang(buf, CPW_TOOL_DATE_SIZE, d, lang != NULL ? lang : "") != CPW_OK)
    cpw_date_format(buf, CPW_TOOL_DATE_SIZE, d); /* a language only the policy has */
}

/* the name of a setting as a reader sees it: its label in the chart's language */
static void setting_label(const svg *w, size_t setting, char *buf, size_t size)
{
  cpw_tool_label(w->di->pol, w->di->lang, "setting", cpw_policy_setting(w->di->pol, setting),
                 buf, size);
}

/* the label of a sub-period's end: the month ("Jan"; "15 Jun" for a period that stops in
 * the month), or the year */
static void part_label(const svg *w, size_t k, char *buf, size_t size, int *year)
{
  const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
  int y, m, d;
  cpw_date_to_ymd(s->to, &y, &m, &d);
  *year = y;
  if (w->di->yearly)
    snprintf(buf, size, "%d", y);
  else if (month_end(s->to))
    snprintf(buf, size, "%s", w->t[T_JAN + m - 1]);
  else
    snprintf(buf, size, "%d %s", d, w->t[T_JAN + m - 1]);
}

/* ------------------------------------------------------------------ layout */

typedef struct axis {
  double top, bottom;      /* the plot's y range */
  double max;              /* the value at the top */
  double ppu;              /* pixels per unit */
} axis;

/* a step of 1, 2 or 5 times a power of ten giving about `want` intervals up to max */
static double nice_step(double max, int want, int integer)
{
  double raw = max / want, p = 1, m[] = { 1, 2, 2.5, 5, 10 };
  size_t i;
  while (p * 10 <= raw)
    p *= 10;
  while (p > raw && p > 1e-9)
    p /= 10;
  for (i = 0; i < 5; i++)
    if (p * m[i] >= raw && (p >= 10 || m[i] != 2.5))
      break;
  p *= m[i < 5 ? i : 4];
  return integer && p < 1 ? 1 : p;
}

/* the title, the period and region, the legend; returns the y where the plot may start */
enum { L_BOX, L_LINE, L_DASHED, L_TEXT };

typedef struct legend_item {
  const char *label;
  const style *style;
  int n;                   /* the style's pattern number */
  int kind;                /* L_BOX; L_LINE: a line with a dot; L_DASHED; L_TEXT: no symbol */
  const char *indicator;   /* a label that shows a number: what it is (else NULL) */
  const cpw_indicators *ind;
  const char *value;
} legend_item;

static double header(const svg *w, int title, const legend_item *items, size_t nitems)
{
  const cpw_indicator_summary *s = cpw_indicators_summary(w->di->whole);
  char a[CPW_TOOL_DATE_SIZE], z[CPW_TOOL_DATE_SIZE], region[160];
  sbuf sub = { NULL, 0, 0, 0 };
  double x = 16, y = 64;
  size_t i;
  cpw_tool_date_text(a, s->from, w->di->lang);
  cpw_tool_date_text(z, s->to, w->di->lang);
  if (w->di->region != NULL)
    cpw_tool_label(w->di->pol, w->di->lang, "region", w->di->region, region, sizeof region);
  {
    char id[64];
    snprintf(id, sizeof id, "font-weight=\"bold\" id=\"%s-heading\"", w->id);
    y += 19.5 * (text_lines(w, 16, 24, W - 32, 15, id, w->t[title]) - 1);
  }
  sb_add(&sub, w->t[T_PERIOD]);
  sb_add(&sub, ": ");
  sb_add(&sub, a);
  sb_add(&sub, " ");
  sb_add(&sub, w->t[T_TO]);
  sb_add(&sub, " ");
  sb_add(&sub, z);
  sb_add(&sub, "   \xC2\xB7   ");
  sb_add(&sub, w->t[T_REGION]);
  sb_add(&sub, ": ");
  sb_add(&sub, w->di->region != NULL ? region : w->t[T_ALL_REGIONS]);
  y = wrapped(w, 16, y - 21, W - 32, 12, "start", "fill=\"#222\"", sb_str(&sub)) + 4.8;
  free(sub.s);
  out(w, "<g class=\"legend\">\n");
  for (i = 0; i < nitems; i++) {
    double sym = items[i].kind == L_TEXT ? 0 : items[i].kind == L_DASHED ? 28 : 20;
    double need = sym + text_width(items[i].label, 11.5) + 18;
    if (x + need > W - 8 && x > 16) {
      x = 16;
      y += 18;
    }
    if (items[i].kind == L_LINE) {
      out(w, "<path d=\"M%.1f %.1fh16\" stroke=\"%s\" stroke-width=\"2.5\"/>"
             "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" stroke=\"#fff\"/>\n",
          x, y - 4, items[i].style->colour, x + 8, y - 4, items[i].style->colour);
    } else if (items[i].kind == L_DASHED) {
      out(w, "<path d=\"M%.1f %.1fh22\" stroke=\"#000\" stroke-width=\"1.5\" "
             "stroke-dasharray=\"6 4\"/>\n", x, y - 4);
    } else if (items[i].kind == L_BOX) {
      out(w, "<rect x=\"%.1f\" y=\"%.1f\" width=\"13\" height=\"13\"", x + 1, y - 11);
      fill(w, items[i].n, items[i].style);
      out(w, "/>\n");
    }
    if (items[i].indicator != NULL) {
      out(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11.5\" class=\"value\"", x + sym, y);
      data(w, items[i].indicator, NULL, -1, items[i].ind, items[i].value);
      out(w, ">");
      cpw_tool_xml(w->f, items[i].label);
      out(w, "</text>\n");
    } else {
      text(w, x + sym, y, "start", 11.5, "", items[i].label);
    }
    x += need;
  }
  out(w, "</g>\n");
  return y + 30;
}

/* the y axis from 0 to a nice maximum at or above max, with grid lines and the unit above
 * it; percent: 0-100 % for values 0-1 */
static axis y_axis(const svg *w, double top, double max, int unit, int percent, int integer)
{
  axis a;
  double step, v;
  char buf[32];
  a.top = top;
  a.bottom = top + PLOT_H;
  if (percent) {
    a.max = 1;
    step = 0.25;
  } else {
    if (max <= 0)
      max = integer ? 4 : 1;
    step = nice_step(max, 5, integer);
    for (a.max = step; a.max < max - 1e-9; a.max += step)
      ;
  }
  a.ppu = PLOT_H / a.max;
  text(w, 16, top - 10, "start", 11.5, "fill=\"#222\"", w->t[unit]);
  out(w, "<g class=\"y-axis\">\n");
  for (v = 0; v <= a.max + 1e-9; v += step) {
    double y = a.bottom - v * a.ppu;
    out(w, "<path d=\"M%.1f %.2fH%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>\n", PLOT_LEFT, y,
        PLOT_RIGHT, v == 0 ? "#000" : "#bbb", v == 0 ? "1" : "0.6");
    if (percent)
      snprintf(buf, sizeof buf, "%.0f%%", v * 100);
    else
      snprintf(buf, sizeof buf, "%g", v);
    text(w, PLOT_LEFT - 6, y + 4, "end", 11, "", buf);
  }
  out(w, "</g>\n");
  return a;
}

/* the x of sub-period k's slot: its left edge and width */
static double slot_width(const svg *w)
{
  return (PLOT_RIGHT - PLOT_LEFT) / (double)w->di->nparts;
}

/* label every n-th sub-period so that labels are at least min_px apart */
static size_t every_n(const svg *w, double min_px)
{
  size_t n = 1;
  while (slot_width(w) * (double)n < min_px)
    n++;
  return n;
}

/* is sub-period k labelled when every n-th is: the first, every n-th, and the last when it is
 * far enough from the one before */
static int labelled(const svg *w, size_t k, size_t n)
{
  return k % n == 0 || (k + 1 == w->di->nparts && k % n >= (n + 1) / 2);
}

/* the sub-periods' labels under the plot (every one, or every second, ... when crowded),
 * the year under the first and under each January, and the axis' title; returns the y
 * after it */
static double x_labels(const svg *w, const axis *a)
{
  double slot = slot_width(w);
  size_t k, every = every_n(w, 34);
  int last_year = 0;
  char buf[32];
  out(w, "<g class=\"x-axis\">\n");
  for (k = 0; k < w->di->nparts; k++) {
    int year;
    double x = PLOT_LEFT + slot * ((double)k + 0.5);
    part_label(w, k, buf, sizeof buf, &year);
    if (labelled(w, k, every))
      text(w, x, a->bottom + 15, "middle", 11, "", buf);
    if (!w->di->yearly && year != last_year) {
      snprintf(buf, sizeof buf, "%d", year);
      text(w, x, a->bottom + 29, "middle", 11, "fill=\"#222\"", buf);
      last_year = year;
    }
  }
  text(w, (PLOT_LEFT + PLOT_RIGHT) / 2, a->bottom + 47, "middle", 11.5, "fill=\"#222\"",
       w->t[w->di->yearly ? T_YEAR_END : T_MONTH_END]);
  out(w, "</g>\n");
  return a->bottom + 47;
}

/* "Definition: ... Source: ..., policy NAME VERSION, hash ...": wrapped under the chart */
static double caption(const svg *w, double y, int definition, const char *extra)
{
  sbuf b = { NULL, 0, 0, 0 };
  char hash[13];
  const char *h = cpw_policy_hash(w->di->pol);
  snprintf(hash, sizeof hash, "%s", h != NULL ? h : "");
  sb_add(&b, w->t[T_DEFINITION]);
  sb_add(&b, ": ");
  sb_add(&b, w->t[definition]);
  if (extra != NULL && extra[0]) {
    sb_add(&b, " ");
    sb_add(&b, extra);
  }
  sb_add(&b, " ");
  sb_add(&b, w->t[T_SOURCE]);
  sb_add(&b, ": ");
  sb_add(&b, w->t[T_SOURCE_TEXT]);
  if (w->di->source != NULL) {
    sb_add(&b, " ");
    sb_add(&b, w->di->source);
  }
  sb_add(&b, ". ");
  sb_add(&b, w->t[T_POLICY]);
  sb_add(&b, ": ");
  sb_add(&b, cpw_policy_name(w->di->pol));
  sb_add(&b, " ");
  sb_add(&b, cpw_policy_version(w->di->pol));
  sb_add(&b, ", ");
  sb_add(&b, w->t[T_HASH]);
  sb_add(&b, " ");
  sb_add(&b, hash);
  sb_add(&b, ".");
  out(w, "<g class=\"caption\" id=\"%s-caption\">\n", w->id);
  y = wrapped(w, 16, y, W - 32, 10.5, "start", "fill=\"#222\"", sb_str(&b));
  out(w, "</g>\n");
  free(b.s);
  return y;
}

/* a number on a mark: black with a white halo, readable on any fill */
static void label(const svg *w, double x, double y, const char *anchor, const char *s,
                  const char *value, const char *indicator, const char *setting, int reason,
                  const cpw_indicators *ind)
{
  out(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10.5\" class=\"value\" stroke=\"#fff\" "
         "stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\"", x, y);
  if (strcmp(anchor, "start") != 0)
    out(w, " text-anchor=\"%s\"", anchor);
  data(w, indicator, setting, reason, ind, value);
  out(w, ">");
  cpw_tool_xml(w->f, s);
  out(w, "</text>\n");
}

/* ------------------------------------------------------------------ the charts */

static const char *const category_indicator[3] = { "family_at_end", "family_type_at_end",
                                                   "residential_at_end" };

static int64_t category_value(const cpw_indicator_summary *s, int c)
{
  return c == CPW_CATEGORY_FAMILY ? s->family_at_end
         : c == CPW_CATEGORY_FAMILY_TYPE ? s->family_type_at_end : s->residential_at_end;
}

/* which settings the policy puts in each category: "family-based: a, b; family-type: ..." */
static void category_members(const svg *w, sbuf *b)
{
  static const int words[3] = { T_CAT_FAMILY, T_CAT_FAMILY_TYPE, T_CAT_RESIDENTIAL };
  size_t n = cpw_policy_setting_count(w->di->pol), k;
  int c;
  char buf[160];
  for (c = 0; c < 3; c++) {
    int first = 1;
    for (k = 0; k < n; k++) {
      if (cpw_policy_setting_category(w->di->pol, k) != c)
        continue;
      sb_add(b, first ? (c ? "; " : "") : ", ");
      if (first) {
        sb_add(b, w->t[words[c]]);
        sb_add(b, ": ");
      }
      setting_label(w, k, buf, sizeof buf);
      sb_add(b, buf);
      first = 0;
    }
  }
  sb_add(b, ".");
}

/* children in care at each sub-period's end, stacked: residential at the bottom, then
 * family-type, then family-based; the total on top */
static double draw_in_care(const svg *w)
{
  static const int order[3] = { CPW_CATEGORY_RESIDENTIAL, CPW_CATEGORY_FAMILY_TYPE,
                                CPW_CATEGORY_FAMILY };
  legend_item items[3];
  double slot = slot_width(w), bw = slot * 0.64, max = 0, y;
  sbuf members = { NULL, 0, 0, 0 };
  axis a;
  size_t k;
  int c;
  char buf[32];
  if (bw > 52)
    bw = 52;
  memset(items, 0, sizeof items);
  out(w, "<defs>");
  for (c = 0; c < 3; c++)
    pattern_def(w, c, &category_style[c]);
  out(w, "</defs>\n");
  for (c = 0; c < 3; c++) {
    items[c].label = w->t[c == 0 ? T_CAT_FAMILY : c == 1 ? T_CAT_FAMILY_TYPE : T_CAT_RESIDENTIAL];
    items[c].style = &category_style[c];
    items[c].n = c;
    items[c].kind = L_BOX;
  }
  for (k = 0; k < w->di->nparts; k++) {
    double t = (double)cpw_indicators_summary(w->di->parts[k])->placed_at_end;
    if (t > max)
      max = t;
  }
  a = y_axis(w, header(w, T_INCARE_TITLE, items, 3), max * 1.06, T_UNIT_CHILDREN, 0, 1);
  out(w, "<g class=\"plot\" data-px-per-unit=\"%.6f\" data-baseline=\"%.2f\">\n", a.ppu,
      a.bottom);
  for (k = 0; k < w->di->nparts; k++) {
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    double x = PLOT_LEFT + slot * (double)k + (slot - bw) / 2, base = a.bottom;
    for (c = 0; c < 3; c++) {
      int cat = order[c];
      int64_t v = category_value(s, cat);
      double h = (double)v * a.ppu;
      fmt_int(buf, sizeof buf, v);
      out(w, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", x, base - h, bw, h);
      fill(w, cat, &category_style[cat]);
      data(w, category_indicator[cat], NULL, -1, w->di->parts[k], buf);
      out(w, "/>\n");
      if (h >= 14 && bw >= 22)
        label(w, x + bw / 2, base - h / 2 + 4, "middle", buf, buf, category_indicator[cat], NULL,
              -1, w->di->parts[k]);
      base -= h;
    }
    if (!labelled(w, k, every_n(w, 28)))
      continue;
    fmt_int(buf, sizeof buf, s->placed_at_end);
    out(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10.5\" font-weight=\"bold\" "
           "text-anchor=\"middle\" class=\"value\"", x + bw / 2, base - 4);
    data(w, "placed_at_end", NULL, -1, w->di->parts[k], buf);
    out(w, ">%s</text>\n", buf);
  }
  out(w, "</g>\n");
  y = x_labels(w, &a);
  category_members(w, &members);
  y = caption(w, y + 22, T_INCARE_DEF, sb_str(&members));
  free(members.s);
  return y + 4;
}

/* the family-based share at each sub-period's end: a line with dots, 0-100 % */
static double draw_share(const svg *w)
{
  legend_item item;
  style line = { SHARE_COLOUR, P_SOLID, "#fff" };
  double slot = slot_width(w), y, px = 0, py = 0;
  int have_prev = 0;
  axis a;
  size_t k;
  char buf[32], pct[16];
  memset(&item, 0, sizeof item);
  item.label = w->t[T_SHARE_LEGEND];
  item.style = &line;
  item.n = 0;
  item.kind = L_LINE;
  a = y_axis(w, header(w, T_SHARE_TITLE, &item, 1), 1, T_UNIT_PERCENT, 1, 0);
  out(w, "<g class=\"plot\" data-px-per-unit=\"%.6f\" data-baseline=\"%.2f\">\n", a.ppu,
      a.bottom);
  for (k = 0; k < w->di->nparts; k++) { /* the line first, the dots over it */
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    double x = PLOT_LEFT + slot * ((double)k + 0.5), yy = a.bottom - s->family_share * a.ppu;
    if (s->placed_at_end == 0) {
      have_prev = 0;
      continue;
    }
    if (have_prev)
      out(w, "<path d=\"M%.2f %.2fL%.2f %.2f\" stroke=\"%s\" stroke-width=\"2.5\" "
             "fill=\"none\"/>\n", px, py, x, yy, SHARE_COLOUR);
    px = x;
    py = yy;
    have_prev = 1;
  }
  for (k = 0; k < w->di->nparts; k++) {
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    double x = PLOT_LEFT + slot * ((double)k + 0.5), yy = a.bottom - s->family_share * a.ppu;
    if (s->placed_at_end == 0) {
      if (slot >= 20)
        text(w, x, a.bottom - 6, "middle", 10, "fill=\"#222\"", "\xE2\x80\x93");
      continue;
    }
    snprintf(buf, sizeof buf, "%.4f", s->family_share);
    out(w, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\" stroke=\"#fff\" "
           "stroke-width=\"1.2\"", x, yy, SHARE_COLOUR);
    data(w, "family_share", NULL, -1, w->di->parts[k], buf);
    out(w, "/>\n");
    if (slot >= 30 || k + 1 == w->di->nparts) {
      snprintf(pct, sizeof pct, "%.0f%%", s->family_share * 100);
      out(w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10.5\" text-anchor=\"middle\" "
             "class=\"value\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"",
          x, yy > a.top + 20 ? yy - 9 : yy + 17);
      data(w, "family_share", NULL, -1, w->di->parts[k], buf);
      out(w, ">%s</text>\n", pct);
    }
  }
  out(w, "</g>\n");
  y = x_labels(w, &a);
  return caption(w, y + 22, T_SHARE_DEF, NULL) + 4;
}

/* entries and exits of the whole period, by setting: two bars per setting, the exits
 * stacked by reason */
static double draw_flows(const svg *w)
{
  const cpw_indicators *ind = w->di->whole;
  size_t ns = cpw_policy_setting_count(w->di->pol), k, nitems = 0, nrows = 0;
  legend_item items[2 + CPW_EXIT_REASON_COUNT];
  svg m = *w; /* measures */
  int used[CPW_EXIT_REASON_COUNT] = { 0 }, r;
  double max = 0, y, x0 = 120, x1 = W - 56, ppu, step, v, top;
  sbuf idle = { NULL, 0, 0, 0 };
  char buf[160], num[32];
  memset(items, 0, sizeof items);
  m.f = NULL;
  for (k = 0; k < ns; k++) {
    int64_t ex = 0, en = cpw_indicators_entries(ind, k);
    for (r = 0; r < CPW_EXIT_REASON_COUNT; r++) {
      int64_t e = cpw_indicators_exits(ind, k, r);
      ex += e;
      used[r] |= e > 0;
    }
    if (en == 0 && ex == 0) {
      setting_label(w, k, buf, sizeof buf);
      sb_add(&idle, idle.len ? ", " : "");
      sb_add(&idle, buf);
      continue;
    }
    nrows++;
    setting_label(w, k, buf, sizeof buf); /* the label column: the widest, up to 250 */
    if (16 + text_width(buf, 11.5) + 10 > x0)
      x0 = 16 + text_width(buf, 11.5) + 10;
    if ((double)en > max)
      max = (double)en;
    if ((double)ex > max)
      max = (double)ex;
  }
  if (x0 > 266)
    x0 = 266;
  out(w, "<defs>");
  for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
    pattern_def(w, r, &reason_style[r]);
  out(w, "</defs>\n");
  items[nitems].label = w->t[T_ENTRIES];
  items[nitems].style = &entry_style;
  items[nitems].n = 99;
  items[nitems++].kind = L_BOX;
  for (r = 0; r < CPW_EXIT_REASON_COUNT && !used[r]; r++)
    ;
  if (r < CPW_EXIT_REASON_COUNT) {
    items[nitems].label = w->t[T_EXITS_BY_REASON];
    items[nitems].style = NULL;
    items[nitems].n = 0;
    items[nitems++].kind = L_TEXT;
  }
  for (r = 0; r < CPW_EXIT_REASON_COUNT; r++) {
    if (!used[r])
      continue;
    items[nitems].label = w->t[T_REASON_REUNIFIED + r];
    items[nitems].style = &reason_style[r];
    items[nitems].n = r;
    items[nitems++].kind = L_BOX;
  }
  top = header(w, T_FLOWS_TITLE, items, nitems);
  if (nrows == 0) {
    text(w, 16, top + 10, "start", 12, "", w->t[T_FLOWS_NONE]);
    y = top + 30;
  } else {
    step = nice_step(max * 1.04, 5, 1);
    for (v = step; v < max * 1.04 - 1e-9; v += step)
      ;
    ppu = (x1 - x0) / v;
    text(w, 16, top - 10, "start", 11.5, "fill=\"#222\"", w->t[T_SETTING]);
    y = top;
    out(w, "<g class=\"plot\" data-px-per-unit=\"%.6f\" data-baseline=\"%.2f\" "
           "data-direction=\"x\">\n", ppu, x0);
    for (k = 0; k < ns; k++) {
      const char *id = cpw_policy_setting(w->di->pol, k);
      int64_t en = cpw_indicators_entries(ind, k), ex = 0;
      double x = x0, bw;
      for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
        ex += cpw_indicators_exits(ind, k, r);
      if (en == 0 && ex == 0)
        continue;
      setting_label(w, k, buf, sizeof buf);
      if (text_width(buf, 11.5) <= x0 - 26)
        text(w, x0 - 8, y + 16, "end", 11.5, "", buf);
      else if (text_lines(&m, 0, 0, x0 - 26, 11.5, "", buf) == 2)
        text_lines(w, x0 - 8, y + 10, x0 - 26, 11.5, "text-anchor=\"end\"", buf);
      else
        text_lines(w, x0 - 8, y + 4, x0 - 26, 11.5, "text-anchor=\"end\"", buf);
      bw = (double)en * ppu;
      fmt_int(num, sizeof num, en);
      out(w, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"11\" fill=\"#fff\" "
             "stroke=\"#000\" stroke-width=\"1.2\"", x0, y + 1, bw);
      data(w, "entries", id, -1, ind, num);
      out(w, "/>\n");
      label(w, x0 + bw + 4, y + 10.5, "start", num, num, "entries", id, -1, ind);
      for (r = 0; r < CPW_EXIT_REASON_COUNT; r++) {
        int64_t e = cpw_indicators_exits(ind, k, r);
        if (e == 0)
          continue;
        bw = (double)e * ppu;
        fmt_int(num, sizeof num, e);
        out(w, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"11\"", x, y + 15, bw);
        fill(w, r, &reason_style[r]);
        data(w, "exits", id, r, ind, num);
        out(w, "/>\n");
        x += bw;
      }
      fmt_int(num, sizeof num, ex);
      label(w, x + 4, y + 24.5, "start", num, num, "exits_total", id, -1, ind);
      y += 36;
    }
    out(w, "</g>\n<g class=\"x-axis\">\n");
    for (v = 0; v * ppu <= x1 - x0 + 1e-6; v += step) {
      snprintf(num, sizeof num, "%g", v);
      out(w, "<path d=\"M%.2f %.1fV%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>\n", x0 + v * ppu,
          top - 4, y, v == 0 ? "#000" : "#bbb", v == 0 ? "1" : "0.6");
      text(w, x0 + v * ppu, y + 14, "middle", 11, "", num);
    }
    text(w, (x0 + x1) / 2, y + 32, "middle", 11.5, "fill=\"#222\"", w->t[T_UNIT_PLACEMENTS]);
    out(w, "</g>\n");
    y += 32;
  }
  if (idle.len > 0) {
    sbuf extra = { NULL, 0, 0, 0 };
    sb_add(&extra, w->t[T_FLOWS_IDLE]);
    sb_add(&extra, ": ");
    sb_add(&extra, sb_str(&idle));
    sb_add(&extra, ".");
    y = caption(w, y + 22, T_FLOWS_DEF, sb_str(&extra));
    free(extra.s);
  } else {
    y = caption(w, y + 22, T_FLOWS_DEF, NULL);
  }
  free(idle.s);
  return y + 4;
}

/* the median stay of the placements that ended in each sub-period, and of the whole period
 * as a dashed line */
static double draw_stay(const svg *w)
{
  legend_item items[2];
  style bars = { STAY_COLOUR, P_SOLID, "#fff" };
  const cpw_indicator_summary *whole = cpw_indicators_summary(w->di->whole);
  double slot = slot_width(w), bw = slot * 0.56, max = whole->median_stay_days, y;
  sbuf wl = { NULL, 0, 0, 0 };
  axis a;
  size_t k;
  char buf[32], shown[32];
  if (bw > 44)
    bw = 44;
  memset(items, 0, sizeof items);
  items[0].label = w->t[T_STAY_LEGEND];
  items[0].style = &bars;
  items[0].n = 0;
  items[0].kind = L_BOX;
  snprintf(shown, sizeof shown, "%.0f", whole->median_stay_days);
  sb_add(&wl, w->t[T_STAY_WHOLE]);
  sb_add(&wl, ": ");
  sb_add(&wl, shown);
  sb_add(&wl, " ");
  sb_add(&wl, w->t[T_UNIT_DAYS]);
  items[1].label = sb_str(&wl);
  items[1].style = NULL;
  items[1].n = 0;
  items[1].kind = L_DASHED;
  snprintf(buf, sizeof buf, "%.1f", whole->median_stay_days);
  items[1].indicator = "median_stay_days";
  items[1].ind = w->di->whole;
  items[1].value = buf;
  for (k = 0; k < w->di->nparts; k++) {
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    if (s->exits > 0 && s->median_stay_days > max)
      max = s->median_stay_days;
  }
  a = y_axis(w, header(w, T_STAY_TITLE, items, whole->exits > 0 ? 2 : 1), max * 1.08,
             T_UNIT_DAYS, 0, 1);
  free(wl.s);
  out(w, "<g class=\"plot\" data-px-per-unit=\"%.6f\" data-baseline=\"%.2f\">\n", a.ppu,
      a.bottom);
  for (k = 0; k < w->di->nparts; k++) {
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    double x = PLOT_LEFT + slot * (double)k + (slot - bw) / 2, h = s->median_stay_days * a.ppu;
    if (s->exits == 0) {
      if (slot >= 20)
        text(w, x + bw / 2, a.bottom - 6, "middle", 10, "fill=\"#222\"", "\xE2\x80\x93");
      continue;
    }
    snprintf(buf, sizeof buf, "%.1f", s->median_stay_days);
    snprintf(shown, sizeof shown, "%.0f", s->median_stay_days);
    out(w, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", x, a.bottom - h, bw, h);
    fill(w, 0, &bars);
    data(w, "median_stay_days", NULL, -1, w->di->parts[k], buf);
    out(w, "/>\n");
    if (slot >= 26)
      label(w, x + bw / 2, a.bottom - h - 4, "middle", shown, buf, "median_stay_days", NULL, -1,
            w->di->parts[k]);
  }
  if (whole->exits > 0) {
    double yy = a.bottom - whole->median_stay_days * a.ppu;
    snprintf(buf, sizeof buf, "%.1f", whole->median_stay_days);
    out(w, "<path d=\"M%.1f %.2fH%.1f\" stroke=\"#000\" stroke-width=\"1.5\" "
           "stroke-dasharray=\"6 4\" fill=\"none\"", PLOT_LEFT, yy, PLOT_RIGHT);
    data(w, "median_stay_days", NULL, -1, w->di->whole, buf);
    out(w, "/>\n");
  }
  out(w, "</g>\n");
  y = x_labels(w, &a);
  return caption(w, y + 22, T_STAY_DEF, NULL) + 4;
}

/* ------------------------------------------------------------------ the tables (pages) */

static void th(const svg *w, const char *s)
{
  out(w, "<th scope=\"col\">");
  cpw_tool_xml(w->f, s);
  out(w, "</th>");
}

static void part_cell(const svg *w, size_t k)
{
  char z[CPW_TOOL_DATE_SIZE];
  cpw_tool_date_text(z, cpw_indicators_summary(w->di->parts[k])->to, w->di->lang);
  out(w, "<tr><th scope=\"row\">");
  cpw_tool_xml(w->f, z);
  out(w, "</th>");
}

static void table_in_care(const svg *w)
{
  size_t k;
  out(w, "<thead><tr>");
  th(w, w->t[w->di->yearly ? T_YEAR_END : T_MONTH_END]);
  th(w, w->t[T_CAT_FAMILY]);
  th(w, w->t[T_CAT_FAMILY_TYPE]);
  th(w, w->t[T_CAT_RESIDENTIAL]);
  th(w, w->t[T_TOTAL]);
  out(w, "</tr></thead>\n<tbody>\n");
  for (k = 0; k < w->di->nparts; k++) {
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    part_cell(w, k);
    out(w, "<td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>\n",
        (long long)s->family_at_end, (long long)s->family_type_at_end,
        (long long)s->residential_at_end, (long long)s->placed_at_end);
  }
  out(w, "</tbody>\n");
}

static void table_share(const svg *w)
{
  size_t k;
  out(w, "<thead><tr>");
  th(w, w->t[w->di->yearly ? T_YEAR_END : T_MONTH_END]);
  th(w, w->t[T_CAT_FAMILY]);
  th(w, w->t[T_TOTAL]);
  th(w, w->t[T_SHARE_LEGEND]);
  out(w, "</tr></thead>\n<tbody>\n");
  for (k = 0; k < w->di->nparts; k++) {
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    part_cell(w, k);
    out(w, "<td>%lld</td><td>%lld</td><td>", (long long)s->family_at_end,
        (long long)s->placed_at_end);
    if (s->placed_at_end > 0)
      out(w, "%.1f%%", 100.0 * s->family_share);
    else
      cpw_tool_xml(w->f, w->t[T_NONE_IN_CARE]);
    out(w, "</td></tr>\n");
  }
  out(w, "</tbody>\n");
}

static void table_flows(const svg *w)
{
  const cpw_indicators *ind = w->di->whole;
  size_t ns = cpw_policy_setting_count(w->di->pol), k;
  int r;
  char buf[160];
  out(w, "<thead><tr>");
  th(w, w->t[T_SETTING]);
  th(w, w->t[T_ENTRIES]);
  th(w, w->t[T_EXITS]);
  th(w, w->t[T_EXITS_BY_REASON]);
  out(w, "</tr></thead>\n<tbody>\n");
  for (k = 0; k < ns; k++) {
    int64_t ex = 0;
    int first = 1;
    for (r = 0; r < CPW_EXIT_REASON_COUNT; r++)
      ex += cpw_indicators_exits(ind, k, r);
    setting_label(w, k, buf, sizeof buf);
    out(w, "<tr><th scope=\"row\">");
    cpw_tool_xml(w->f, buf);
    out(w, "</th><td>%lld</td><td>%lld</td><td class=\"list\">",
        (long long)cpw_indicators_entries(ind, k), (long long)ex);
    for (r = 0; r < CPW_EXIT_REASON_COUNT; r++) {
      int64_t e = cpw_indicators_exits(ind, k, r);
      if (e == 0)
        continue;
      out(w, "%s", first ? "" : "; ");
      cpw_tool_xml(w->f, w->t[T_REASON_REUNIFIED + r]);
      out(w, " %lld", (long long)e);
      first = 0;
    }
    out(w, "</td></tr>\n");
  }
  out(w, "</tbody>\n");
}

static void table_stay(const svg *w)
{
  const cpw_indicator_summary *whole = cpw_indicators_summary(w->di->whole);
  size_t k;
  out(w, "<thead><tr>");
  th(w, w->t[w->di->yearly ? T_YEAR_END : T_MONTH_END]);
  th(w, w->t[T_ENDED]);
  th(w, w->t[T_STAY_LEGEND]);
  out(w, "</tr></thead>\n<tbody>\n");
  for (k = 0; k < w->di->nparts; k++) {
    const cpw_indicator_summary *s = cpw_indicators_summary(w->di->parts[k]);
    part_cell(w, k);
    out(w, "<td>%lld</td><td>", (long long)s->exits);
    if (s->exits > 0)
      out(w, "%.1f", s->median_stay_days);
    else
      cpw_tool_xml(w->f, w->t[T_NONE_ENDED]);
    out(w, "</td></tr>\n");
  }
  out(w, "<tr><th scope=\"row\">");
  cpw_tool_xml(w->f, w->t[T_STAY_WHOLE]);
  out(w, "</th><td>%lld</td><td>", (long long)whole->exits);
  if (whole->exits > 0)
    out(w, "%.1f", whole->median_stay_days);
  else
    cpw_tool_xml(w->f, w->t[T_NONE_ENDED]);
  out(w, "</td></tr>\n</tbody>\n");
}

/* ------------------------------------------------------------------ the charts, written */

typedef struct chart_def {
  const char *name;
  int title, definition;
  double (*draw)(const svg *w);     /* writes the chart's elements; returns its height */
  void (*table)(const svg *w);      /* the numbers, as the rows of an HTML table */
} chart_def;

static const chart_def charts[] = {
  { "in-care", T_INCARE_TITLE, T_INCARE_DEF, draw_in_care, table_in_care },
  { "share", T_SHARE_TITLE, T_SHARE_DEF, draw_share, table_share },
  { "flows", T_FLOWS_TITLE, T_FLOWS_DEF, draw_flows, table_flows },
  { "stay", T_STAY_TITLE, T_STAY_DEF, draw_stay, table_stay },
};
#define NCHARTS (sizeof charts / sizeof charts[0])

const char *const cpw_tool_chart_names[] = { "in-care", "share", "flows", "stay", NULL };

/* one chart as an <svg> element: at y (nested in a standalone document) or inline */
static double write_chart(FILE *f, const cpw_tool_di *di, const chart_def *c, double y,
                          int nested, int xmlns)
{
  svg m = { NULL, di, di->text, c->name }, w = { f, di, di->text, c->name };
  double h = c->draw(&m);
  out(&w, "<svg%s id=\"chart-%s\" class=\"chart\" data-chart=\"%s\" width=\"%.0f\" "
          "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\"",
      xmlns ? " xmlns=\"http://www.w3.org/2000/svg\"" : "", c->name, c->name, W, h, W, h);
  if (nested)
    out(&w, " y=\"%.0f\"", y);
  out(&w, " role=\"img\" aria-labelledby=\"%s-title %s-desc\" font-family=\"%s\" fill=\"#000\">"
          "\n<title id=\"%s-title\">", c->name, c->name, FONT, c->name);
  cpw_tool_xml(f, di->text[c->title]);
  out(&w, "</title>\n<desc id=\"%s-desc\">", c->name);
  cpw_tool_xml(f, di->text[T_DEFINITION]);
  out(&w, ": ");
  cpw_tool_xml(f, di->text[c->definition]);
  out(&w, "</desc>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
  c->draw(&w);
  out(&w, "</svg>\n");
  return h;
}

int cpw_tool_svg(FILE *f, const cpw_tool_di *di, const char *chart, int standalone)
{
  size_t i, first = 0, last = NCHARTS;
  if (chart != NULL) {
    for (i = 0; i < NCHARTS && strcmp(charts[i].name, chart) != 0; i++)
      ;
    if (i == NCHARTS)
      return -1;
    first = i;
    last = i + 1;
  }
  if (standalone) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    if (last - first == 1) {
      write_chart(f, di, &charts[first], 0, 0, 1);
    } else {
      double h = 0, y = 0;
      svg m = { NULL, di, di->text, "" };
      for (i = first; i < last; i++) {
        m.id = charts[i].name;
        h += charts[i].draw(&m) + 16;
      }
      fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                 "viewBox=\"0 0 %.0f %.0f\" xml:lang=\"", W, h, W, h);
      cpw_tool_xml(f, di->text[T_LANG]);
      fputs("\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", f);
      for (i = first; i < last; i++)
        y += write_chart(f, di, &charts[i], y, 1, 0) + 16;
      fputs("</svg>\n", f);
    }
    return 0;
  }
  for (i = first; i < last; i++) {
    svg w = { f, di, di->text, charts[i].name };
    out(&w, "<section class=\"chart-section\" id=\"section-%s\">\n<figure>\n", charts[i].name);
    write_chart(f, di, &charts[i], 0, 0, 1);
    out(&w, "</figure>\n<table id=\"table-%s\" class=\"numbers\">\n<caption>", charts[i].name);
    cpw_tool_xml(f, di->text[T_NUMBERS]);
    out(&w, ": ");
    cpw_tool_xml(f, di->text[charts[i].title]);
    out(&w, "</caption>\n");
    charts[i].table(&w);
    out(&w, "</table>\n</section>\n");
  }
  return 0;
}
