/* SPDX-License-Identifier: Apache-2.0 */
/* policy/check.h: name resolution and type checking; builds the policy model from the
 * declarations of all source files. */
#ifndef CPW_POLICY_CHECK_H
#define CPW_POLICY_CHECK_H

#include "policy/policy_int.h"

/* The names an expression may use: the fields of one scope (slot = index), the policy's
 * parameters, and (in the policy scope only) its definitions. */
typedef struct cpw__scope {
  const cpw__field *fields;
  uint32_t nfields;
  const cpw__map *index;
  int allow_defines;
  int allow_asof;            /* as_of / today */
} cpw__scope;

typedef struct cpw__checker {
  struct cpw_policy *pol;
  cpw__diags *diags;
  const char *file;          /* file of the declaration being checked */
  cpw__map enum_keys;        /* "a,b,c" -> enum id (interning by member list) */
  int has_calendar;
  uint32_t define_nesting;   /* definitions being checked inside one another */
} cpw__checker;

#define CPW__NO_ENUM 0xFFFFu

/* Check `n` in scope `sc`. `want` is the required type (T_ERROR: any). For enum contexts
 * (a bare member name), `enum_ctx` is the enum id or CPW__NO_ENUM. Returns the node's type
 * (T_ERROR after reporting). */
uint8_t cpw__check_expr(cpw__checker *ck, const cpw__scope *sc, cpw__node *n, uint8_t want,
                        uint16_t enum_ctx);

/* Build the model of `decls` into ck->pol (fields, enums, params, defines, calendars,
 * programmes; workflows through cpw__check_workflow). */
void cpw__check_decls(cpw__checker *ck, cpw__decl *decls);

/* Intern an enum type from its member list; returns the id or CPW__NO_ENUM on error. */
uint16_t cpw__intern_enum(cpw__checker *ck, const cpw__ast_type *t, const char *file);

/* Register a field in a (growing) field array + index, reporting duplicates. */
int cpw__declare_field(cpw__checker *ck, cpw__field **fields, uint32_t *n, cpw__map *index,
                       const cpw__ast_name *name, const cpw__ast_type *type, const char *title,
                       uint32_t title_len, const char *file);

/* Constant value of a literal expression of the given type (params, initial values). */
int cpw__const_value(cpw__checker *ck, const cpw__scope *sc, cpw__node *n, uint8_t type,
                     uint16_t enum_id, int64_t *out);

/* Copy n bytes into the policy arena as a NUL-terminated string (NULL on OOM). */
const char *cpw__pol_str(cpw__checker *ck, const char *s, size_t n);
/* diagnostics at a position (cpw__diag_add formats and bounds the message) */
#define cpw__check_error(ck, file, line, col, ...)                                         \
  cpw__diag_add((ck)->diags, CPW__SEV_ERROR, (file), (line), (col), __VA_ARGS__)
#define cpw__check_warning(ck, file, line, col, ...)                                       \
  cpw__diag_add((ck)->diags, CPW__SEV_WARNING, (file), (line), (col), __VA_ARGS__)
/* n bytes (at least 1) from the policy's arena; on failure marks the compile out of memory */
void *cpw__check_alloc(cpw__checker *ck, size_t n);


#endif
