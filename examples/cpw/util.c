/* SPDX-License-Identifier: Apache-2.0 */
/* examples/cpw/util.c: helpers shared by the subcommands. */
#include "cpw.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int add_policy_path_grow(char ***paths, size_t *cap)
{
  size_t ncap = *cap ? *cap * 2 : 16;
  char **np = realloc(*paths, ncap * sizeof *np);
  if (np == NULL)
    return -1;
  *paths = np;
  *cap = ncap;
  return 0;
}

/* The line of a diagnostic and a caret under its column (columns count characters; a tab is
 * kept so the caret lines up). */
static void print_excerpt(const char *text, int line, int column)
{
  const char *p = text, *end;
  int l = 1, c;
  if (line < 1 || column < 1)
    return;
  while (l < line && (p = strchr(p, '\n')) != NULL) {
    p++;
    l++;
  }
  if (p == NULL)
    return;
  end = strchr(p, '\n');
  if (end == NULL)
    end = p + strlen(p);
  if (end > p && end[-1] == '\r')
    end--;
  if (end - p > 300)
    return; /* a line that long helps nobody */
  fprintf(stderr, "  %.*s\n  ", (int)(end - p), p);
  for (c = 1; c < column && p < end; p++) {
    if (((unsigned char)*p & 0xC0) == 0x80)
      continue; /* a continuation byte: same character */
    fputc(*p == '\t' ? '\t' : ' ', stderr);
    c++;
  }
  fputs("^\n", stderr);
}

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
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
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
        if (f != stdin)
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
    if (f != stdin)
      fclose(f);
    errno = e;
    return NULL;
  }
  if (f != stdin)
    fclose(f);
  buf[n] = '\0';
  if (len != NULL)
    *len = n;
  return buf;
}

/* ------------------------------------------------------------------ options */

int cpw_tool_opt(const char *cmd, int argc, char **argv, int *i, const char *name,
                 const char **value)
{
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0)
    return 0;
  if (a[n] == '=') {
    *value = a + n + 1;
    return 1;
  }
  if (a[n] != '\0')
    return 0;
  if (*i + 1 >= argc) {
    fprintf(stderr, "cpw %s: %s needs a value (see cpw %s --help)\n", cmd, name, cmd);
    return -1;
  }
  *value = argv[++*i];
  return 1;
}

int cpw_tool_required(const char *cmd, const char *what, const char *hint)
{
  fprintf(stderr, "cpw %s: %s is required%s%s%s (see cpw %s --help)\n", cmd, what,
          hint != NULL ? " (" : "", hint != NULL ? hint : "", hint != NULL ? ")" : "", cmd);
  return CPW_EXIT_USAGE;
}

int cpw_tool_finish(const char *cmd, FILE *f, int rc)
{
  /* a write that failed earlier (output larger than the buffer) left its errno */
  int e = ferror(f) ? errno : 0;
  errno = 0;
  if (fflush(f) == 0 && !ferror(f))
    return rc;
  if (errno != 0)
    e = errno;
  if (e == 0)
    e = EIO;
  fprintf(stderr, "cpw %s: cannot write the output: %s\n", cmd, strerror(e));
  return CPW_EXIT_ERROR;
}

/* ------------------------------------------------------------------ policies */

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append path to the list (a directory: its *.cpw files, sorted). -1 with errno on failure,
 * -2 for a directory without .cpw files. */
static int add_policy_path(const char *path, char ***paths, size_t *n, size_t *cap)
{
  struct stat st;
  DIR *d;
  struct dirent *de;
  size_t first = *n;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    d = opendir(path);
    if (d == NULL)
      return -1;
    while ((de = readdir(d)) != NULL) {
      size_t len = strlen(de->d_name);
      char *p;
      if (len < 5 || strcmp(de->d_name + len - 4, ".cpw") != 0 || de->d_name[0] == '.')
        continue;
      p = malloc(strlen(path) + len + 2);
      if (p == NULL || (*n == *cap && add_policy_path_grow(paths, cap) != 0)) {
        free(p);
        closedir(d);
        errno = ENOMEM;
        return -1;
      }
      sprintf(p, "%s/%s", path, de->d_name);
      (*paths)[(*n)++] = p;
    }
    closedir(d);
    if (*n == first)
      return -2; /* no policy file in the directory */
    qsort(*paths + first, *n - first, sizeof **paths, cmp_str);
    return 0;
  }
  if (*n == *cap && add_policy_path_grow(paths, cap) != 0) {
    errno = ENOMEM;
    return -1;
  }
  (*paths)[*n] = malloc(strlen(path) + 1);
  if ((*paths)[*n] == NULL) {
    errno = ENOMEM;
    return -1;
  }
  strcpy((*paths)[(*n)++], path);
  return 0;
}

void cpw_tool_free_sources(char **names, char **texts, size_t n)
{
  size_t i;
  for (i = 0; i < n; i++) {
    if (names != NULL)
      free(names[i]);
    if (texts != NULL)
      free(texts[i]);
  }
  free(names);
  free(texts);
}

static char *dup_n(const char *s, size_t len)
{
  char *p = malloc(len + 1);
  if (p != NULL) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

int cpw_tool_policy_sources(const char *const *files, size_t nfiles, char ***names_out,
                            char ***texts_out, size_t *n_out)
{
  char **paths = NULL, **texts = NULL;
  size_t n = 0, cap = 0, i;
  *names_out = *texts_out = NULL;
  *n_out = 0;
  if (nfiles == 0) { /* the embedded policy */
    n = cpw_policy_default_source_count();
    paths = calloc(n + 1, sizeof *paths);
    texts = calloc(n + 1, sizeof *texts);
    if (paths == NULL || texts == NULL)
      goto nomem;
    for (i = 0; i < n; i++) {
      const char *name;
      size_t len;
      const char *text = cpw_policy_default_source(i, &name, &len);
      paths[i] = dup_n(name, strlen(name));
      texts[i] = dup_n(text, len);
      if (paths[i] == NULL || texts[i] == NULL)
        goto nomem;
    }
    *names_out = paths;
    *texts_out = texts;
    *n_out = n;
    return CPW_EXIT_OK;
  }
  for (i = 0; i < nfiles; i++) {
    int r = add_policy_path(files[i], &paths, &n, &cap);
    if (r != 0) {
      fprintf(stderr, "cpw: cannot read %s: %s\n", files[i],
              r == -2 ? "a directory without .cpw files" : strerror(errno));
      cpw_tool_free_sources(paths, NULL, n);
      return CPW_EXIT_ERROR;
    }
  }
  texts = calloc(n + 1, sizeof *texts);
  if (texts == NULL)
    goto nomem;
  for (i = 0; i < n; i++) {
    size_t len;
    texts[i] = cpw_tool_read_file(paths[i], &len);
    if (texts[i] == NULL) {
      fprintf(stderr, "cpw: cannot read %s: %s\n", paths[i], strerror(errno));
      cpw_tool_free_sources(paths, texts, n);
      return CPW_EXIT_ERROR;
    }
    if (strlen(texts[i]) != len) {
      fprintf(stderr, "cpw: %s: a policy file holds no NUL byte\n", paths[i]);
      cpw_tool_free_sources(paths, texts, n);
      return CPW_EXIT_FAILURE;
    }
  }
  *names_out = paths;
  *texts_out = texts;
  *n_out = n;
  return CPW_EXIT_OK;
nomem:
  fprintf(stderr, "cpw: out of memory\n");
  cpw_tool_free_sources(paths, texts, n);
  return CPW_EXIT_ERROR;
}

int cpw_tool_load_policy(cpw_ctx *ctx, const char *const *files, size_t nfiles,
                         cpw_policy **out)
{
  cpw_policy_source *src;
  char **names, **texts;
  cpw_diagnostics *diags = NULL;
  size_t i, n;
  int rc;
  if (nfiles == 0) {
    rc = cpw_policy_default(out, ctx);
    return rc == CPW_OK ? CPW_EXIT_OK : cpw_tool_fail(ctx, rc, "the embedded policy");
  }
  rc = cpw_tool_policy_sources(files, nfiles, &names, &texts, &n);
  if (rc != CPW_EXIT_OK)
    return rc;
  src = calloc(n + 1, sizeof *src);
  if (src == NULL) {
    cpw_tool_free_sources(names, texts, n);
    return cpw_tool_fail(ctx, CPW_ENOMEM, "reading the policy");
  }
  for (i = 0; i < n; i++) {
    src[i].name = names[i];
    src[i].text = texts[i];
    src[i].len = strlen(texts[i]);
  }
  rc = cpw_policy_compile(out, ctx, src, n, &diags);
  for (i = 0; i < cpw_diagnostics_count(diags); i++) {
    const cpw_diagnostic *d = cpw_diagnostics_get(diags, i);
    size_t k;
    fprintf(stderr, "%s:%d:%d: %s: %s\n", d->file, d->line, d->column,
            d->severity == CPW_SEVERITY_ERROR ? "error" : "warning", d->message);
    /* the line, and a caret under the column */
    for (k = 0; k < n; k++)
      if (strcmp(names[k], d->file) == 0)
        print_excerpt(texts[k], d->line, d->column);
  }
  cpw_diagnostics_free(diags);
  free(src);
  cpw_tool_free_sources(names, texts, n);
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
  for (;;) { /* runs up to each quote, written at once; the quote doubled */
    const char *q = strchr(s, '"');
    if (q == NULL) {
      fputs(s, f);
      break;
    }
    fwrite(s, 1, (size_t)(q - s) + 1, f);
    fputc('"', f);
    s = q + 1;
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

/* ------------------------------------------------------------------ fields */

void cpw_tool_print_values(FILE *f, const cpw_policy *pol, size_t field)
{
  size_t v, n = cpw_policy_field_value_count(pol, field);
  for (v = 0; v < n; v++)
    fprintf(f, "%s%s", v ? ", " : "", cpw_policy_field_value(pol, field, v));
}

void cpw_tool_print_type(FILE *f, const cpw_policy *pol, size_t field)
{
  int t = cpw_policy_field_type(pol, field);
  if (t == CPW_TYPE_ENUM || t == CPW_TYPE_SET) {
    fputs(t == CPW_TYPE_ENUM ? "enum(" : "set of (", f);
    cpw_tool_print_values(f, pol, field);
    fputc(')', f);
  } else {
    fputs(cpw_type_name(t), f);
  }
}

int cpw_tool_program_fields(cpw_ctx *ctx, const cpw_policy *pol, const cpw_program *prog,
                            unsigned char *used)
{
  size_t i, nf = cpw_policy_field_count(pol);
  (void)ctx;
  memset(used, 0, nf);
  for (i = 0; i < cpw_program_field_count(prog); i++) {
    size_t f = cpw_program_field(prog, i);
    if (f < nf)
      used[f] = 1;
  }
  return CPW_OK;
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
  size_t fi, used = 0;
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
    name = NULL;
    if (cpw_policy_field_value_index(pol, fi, part, NULL) != CPW_OK) {
      /* a label of one of this field's own values, in any language of the policy (two
       * fields may give the same label to their values: city.batumi, found_in.batumi) */
      size_t v, l;
      for (v = 0; name == NULL && v < cpw_policy_field_value_count(pol, fi); v++) {
        char key[600];
        const char *val = cpw_policy_field_value(pol, fi, v);
        if ((size_t)snprintf(key, sizeof key, "%s.%s", field, val) >= sizeof key)
          continue;
        for (l = 0; name == NULL && l < cpw_policy_language_count(pol); l++) {
          const char *lab = cpw_policy_label(pol, cpw_policy_language(pol, l), "value", key);
          if (lab != NULL && strcmp(lab, part) == 0)
            name = val;
        }
      }
    }
    if (name != NULL)
      changed = 1;
    else
      name = part;
    if (used + strlen(name) + 2 > size)
      return value;
    used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "|" : "", name);
    p = *end != '\0' ? end + 1 : end;
  }
  return changed ? buf : value;
}
