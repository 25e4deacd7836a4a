/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/csv.c: streaming CSV (RFC 4180) and JSON Lines input for `cpw eval`. */
#include "cpw.h"

#include <stdlib.h>
#include <string.h>

void cpw_tool_reader_init(cpw_tool_reader *r, FILE *f, int csv, size_t limit)
{
  memset(r, 0, sizeof *r);
  r->f = f;
  r->csv = csv;
  r->limit = limit;
  r->next_line = 1;
}

void cpw_tool_reader_free(cpw_tool_reader *r)
{
  free(r->buf);
  r->buf = NULL;
}

int cpw_tool_read_record(cpw_tool_reader *r, char *err, size_t errsize)
{
  int c, quoted = 0, any = 0;
  r->len = 0;
  r->line = r->next_line;
  if (!r->started) {
    /* a UTF-8 byte order mark (Excel's "CSV UTF-8", Notepad) is not part of the first cell;
     * other bytes read while looking for it are read again below */
    static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
    r->started = 1;
    while (r->npending < 3 && (c = getc(r->f)) != EOF) {
      r->pending[r->npending++] = (unsigned char)c;
      if (c != bom[r->npending - 1])
        break;
    }
    if (r->npending == 3 && memcmp(r->pending, bom, 3) == 0)
      r->npending = 0;
  }
  for (;;) {
    if (r->next_pending < r->npending)
      c = r->pending[r->next_pending++];
    else
      c = getc(r->f);
    if (c == EOF) {
      if (ferror(r->f)) {
        snprintf(err, errsize, "line %ld: read error", r->line);
        return -1;
      }
      if (quoted) {
        snprintf(err, errsize, "line %ld: a quoted field is not closed", r->line);
        return -1;
      }
      if (!any)
        return 0;
      break;
    }
    any = 1;
    if (c == '\n') {
      r->next_line++;
      if (!quoted)
        break;
    }
    if (r->csv && c == '"')
      quoted = !quoted;
    if (r->len + 2 > r->cap) {
      size_t ncap = r->cap ? r->cap * 2 : 4096;
      char *nb;
      if (ncap > r->limit + 2)
        ncap = r->limit + 2;
      if (r->len + 2 > ncap) {
        snprintf(err, errsize, "line %ld: longer than %zu bytes", r->line, r->limit);
        /* skip the rest of the record so a caller that goes on starts afresh */
        while ((c = getc(r->f)) != EOF && (c != '\n' || quoted)) {
          if (r->csv && c == '"')
            quoted = !quoted;
        }
        r->next_line++;
        return -1;
      }
      nb = realloc(r->buf, ncap);
      if (nb == NULL) {
        snprintf(err, errsize, "line %ld: out of memory", r->line);
        return -1;
      }
      r->buf = nb;
      r->cap = ncap;
    }
    r->buf[r->len++] = (char)c;
  }
  /* drop the line end (and a CR before it) */
  if (r->len > 0 && r->buf[r->len - 1] == '\n')
    r->len--;
  if (r->len > 0 && r->buf[r->len - 1] == '\r')
    r->len--;
  if (r->buf == NULL) {
    r->buf = malloc(1);
    if (r->buf == NULL)
      return -1;
    r->cap = 1;
  }
  r->buf[r->len] = '\0';
  return 1;
}

int cpw_tool_csv_split(char *s, char **fields, int max, char *err, size_t errsize)
{
  int n = 0;
  char *out = s;
  for (;;) {
    char *start = out;
    if (n == max) {
      snprintf(err, errsize, "more than %d fields", max);
      return -1;
    }
    if (*s == '"') {
      s++;
      for (;;) {
        if (*s == '\0') {
          snprintf(err, errsize, "a quoted field is not closed");
          return -1;
        }
        if (*s == '"') {
          if (s[1] == '"') {
            *out++ = '"';
            s += 2;
            continue;
          }
          s++;
          break;
        }
        *out++ = *s++;
      }
      if (*s != ',' && *s != '\0') {
        snprintf(err, errsize, "text after a closing quote in field %d", n + 1);
        return -1;
      }
    } else {
      while (*s != ',' && *s != '\0') {
        if (*s == '"') {
          snprintf(err, errsize, "a quote inside an unquoted field %d", n + 1);
          return -1;
        }
        *out++ = *s++;
      }
    }
    fields[n++] = start;
    if (*s == '\0') {
      *out = '\0';
      return n;
    }
    s++; /* the comma */
    *out++ = '\0';
  }
}

int cpw_tool_json_scalar(const char *json, const char *key, char *out, size_t size)
{
  /* a shallow scan: find "key" at depth 1 followed by ':' */
  size_t klen = strlen(key);
  int depth = 0, in_str = 0;
  const char *p;
  for (p = json; *p; p++) {
    if (in_str) {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        in_str = 0;
      continue;
    }
    if (*p == '{' || *p == '[')
      depth++;
    else if (*p == '}' || *p == ']')
      depth--;
    else if (*p == '"') {
      if (depth == 1 && strncmp(p + 1, key, klen) == 0 && p[1 + klen] == '"') {
        const char *v = p + 2 + klen;
        size_t n = 0;
        while (*v == ' ' || *v == '\t')
          v++;
        if (*v != ':')
          return 0;
        v++;
        while (*v == ' ' || *v == '\t')
          v++;
        if (*v == '"') {
          v++;
          while (v[n] != '"' && v[n] != '\0' && v[n] != '\\')
            n++;
          if (v[n] != '"')
            return 0;
        } else {
          while (v[n] != ',' && v[n] != '}' && v[n] != '\0' && v[n] != ' ')
            n++;
        }
        if (n + 1 > size)
          return 0;
        memcpy(out, v, n);
        out[n] = '\0';
        return 1;
      }
      in_str = 1;
    }
  }
  return 0;
}
