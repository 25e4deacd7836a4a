/* examples/cpw/util.c: helpers shared by the subcommands. */
#include "cpw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cpw_tool_is_help(const char *arg)
{
  return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cpw_tool_fail(cpw_ctx *ctx, int rc, const char *what)
{
  const cpw_error *e = cpw_ctx_last_error(ctx);
  const char *msg = (e->code == rc && e->message[0] != '\0') ? e->message : cpw_strerror(rc);
  if (e->code == rc && e->file != NULL && e->line > 0)
    fprintf(stderr, "%s:%d:%d: error: %s\n", e->file, e->line, e->column, msg);
  else
    fprintf(stderr, "cpw: %s: %s\n", what, msg);
  return CPW_EXIT_ERROR;
}

char *cpw_tool_read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  if (f == NULL)
    return NULL;
  for (;;) {
    size_t got;
    if (n + 65536 + 1 > cap) {
      char *nb;
      cap = cap ? cap * 2 : 131072;
      nb = realloc(buf, cap);
      if (nb == NULL) {
        free(buf);
        fclose(f);
        errno = ENOMEM;
        return NULL;
      }
      buf = nb;
    }
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    int e = errno;
    free(buf);
    fclose(f);
    errno = e;
    return NULL;
  }
  fclose(f);
  buf[n] = '\0';
  if (len != NULL)
    *len = n;
  return buf;
}

int cpw_tool_load_policy(cpw_ctx *ctx, const char *const *files, size_t nfiles,
                         cpw_policy **out)
{
  cpw_policy_source src[64];
  char *texts[64];
  cpw_diagnostics *diags = NULL;
  size_t i;
  int rc;
  if (nfiles == 0) {
    rc = cpw_policy_default(out, ctx);
    return rc == CPW_OK ? CPW_EXIT_OK : cpw_tool_fail(ctx, rc, "the embedded policy");
  }
  if (nfiles > 64) {
    fprintf(stderr, "cpw: at most 64 policy files\n");
    return CPW_EXIT_USAGE;
  }
  for (i = 0; i < nfiles; i++) {
    size_t len;
    texts[i] = cpw_tool_read_file(files[i], &len);
    if (texts[i] == NULL) {
      fprintf(stderr, "cpw: cannot read %s: %s\n", files[i], strerror(errno));
      while (i-- > 0)
        free(texts[i]);
      return CPW_EXIT_ERROR;
    }
    src[i].name = files[i];
    src[i].text = texts[i];
    src[i].len = len;
  }
  rc = cpw_policy_compile(out, ctx, src, nfiles, &diags);
  for (i = 0; i < cpw_diagnostics_count(diags); i++) {
    const cpw_diagnostic *d = cpw_diagnostics_get(diags, i);
    fprintf(stderr, "%s:%d:%d: %s: %s\n", d->file, d->line, d->column,
            d->severity == CPW_SEVERITY_ERROR ? "error" : "warning", d->message);
  }
  cpw_diagnostics_free(diags);
  for (i = 0; i < nfiles; i++)
    free(texts[i]);
  if (rc == CPW_EPOLICY)
    return CPW_EXIT_FAILURE;
  return rc == CPW_OK ? CPW_EXIT_OK : cpw_tool_fail(ctx, rc, "compiling the policy");
}

void cpw_tool_csv_field(FILE *f, const char *s)
{
  if (s == NULL)
    return;
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void cpw_tool_json_string(FILE *f, const char *s)
{
  fputc('"', f);
  for (; s != NULL && *s; s++) {
    unsigned char c = (unsigned char)*s;
    switch (c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
      if (c < 0x20)
        fprintf(f, "\\u%04x", c);
      else
        fputc(c, f);
    }
  }
  fputc('"', f);
}

int cpw_tool_date(const char *s, cpw_date *out)
{
  if (s == NULL || cpw_date_parse(out, NULL, s, strlen(s)) != CPW_OK) {
    fprintf(stderr, "cpw: '%s' is not a date (YYYY-MM-DD)\n", s != NULL ? s : "");
    return CPW_EXIT_USAGE;
  }
  return CPW_EXIT_OK;
}

/* ------------------------------------------------------------------ languages (--lang) */

int cpw_tool_set_lang(cpw_ctx *ctx, const cpw_policy *pol, const char *cmd, const char *lang)
{
  size_t i;
  if (lang == NULL)
    return CPW_EXIT_OK;
  if (lang[0] != '\0' && cpw_language_name(lang) == NULL) {
    for (i = 0; i < cpw_policy_language_count(pol); i++)
      if (strcmp(cpw_policy_language(pol, i), lang) == 0)
        break;
    if (i == cpw_policy_language_count(pol)) {
      fprintf(stderr, "cpw %s: no language '%s': the library has en and ka", cmd, lang);
      for (i = 0; i < cpw_policy_language_count(pol); i++)
        fprintf(stderr, "%s%s", i ? ", " : "; the policy has labels in ",
                cpw_policy_language(pol, i));
      fputc('\n', stderr);
      return CPW_EXIT_USAGE;
    }
  }
  if (cpw_ctx_set_language(ctx, lang) != CPW_OK) {
    fprintf(stderr, "cpw %s: --lang: %s\n", cmd, cpw_ctx_last_error(ctx)->message);
    return CPW_EXIT_USAGE;
  }
  return CPW_EXIT_OK;
}

const char *cpw_tool_field_by_label(const cpw_policy *pol, const char *header)
{
  const char *name = cpw_policy_name_of_label(pol, NULL, "field", header);
  return name != NULL && strchr(name, '.') == NULL ? name : NULL; /* not a case field */
}

const char *cpw_tool_value_by_label(const cpw_policy *pol, const char *field, const char *value,
                                    char *buf, size_t size)
{
  size_t fi, used = 0, flen = strlen(field);
  const char *p = value;
  int changed = 0;
  if (cpw_policy_field_index(pol, field, &fi) != CPW_OK ||
      cpw_policy_field_value_count(pol, fi) == 0 || value[0] == '\0')
    return value;
  /* an enum value, or set members separated by '|' or ';': each by name or by label */
  while (*p != '\0') {
    char part[512];
    const char *end = p + strcspn(p, "|;"), *name;
    size_t n = (size_t)(end - p);
    if (n >= sizeof part)
      return value;
    memcpy(part, p, n);
    part[n] = '\0';
    name = cpw_policy_field_value_index(pol, fi, part, NULL) == CPW_OK
             ? NULL : cpw_policy_name_of_label(pol, NULL, "value", part);
    if (name != NULL && strncmp(name, field, flen) == 0 && name[flen] == '.' &&
        strchr(name + flen + 1, '.') == NULL) {
      name += flen + 1;
      changed = 1;
    } else {
      name = part;
    }
    if (used + strlen(name) + 2 > size)
      return value;
    used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "|" : "", name);
    p = *end != '\0' ? end + 1 : end;
  }
  return changed ? buf : value;
}
