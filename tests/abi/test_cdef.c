/* SPDX-License-Identifier: Apache-2.0 */
/* tests/abi/test_cdef.c: <cpw.h> and the Python bindings' generated declarations
 * (bindings/python/cpw/_cdef.h) in one translation unit, so that any disagreement between
 * them is a compile error (ctest abi.cdef).
 *
 * C11 lets a function be declared twice (the declarations must have compatible types) but not
 * a struct or an enum. So _cdef.h is included inside a function body:
 *   - its typedefs and opaque struct names refer to the real types; its prototypes redeclare
 *     the real functions, and one with another signature is a "conflicting types" error;
 *   - its struct and enum definitions (last in _cdef.h, after every use of their names)
 *     define block-scope shadows of the real ones;
 *   - cdef_check.h (generated with _cdef.h) then asserts that every typedef is the same type,
 *     every struct has the same size and every member the same offset and type, and every
 *     enumerator and integer constant the same value as in <cpw.h>.
 * A function or constant missing from _cdef.h is caught by ctest python.cdef_check (the
 * header is regenerated and compared) and ctest abi.bound_symbols (the exported symbols). */
#include <cpw.h>

#include <stddef.h>
#include <stdint.h>

#define CPW_CDEF_CHECK_BEFORE 1
#include "cdef_check.h"
#undef CPW_CDEF_CHECK_BEFORE

int cdef_check(void);

int cdef_check(void)
{
#include "cpw/_cdef.h"
#include "cdef_check.h"
  return 0;
}

int main(void)
{
  return cdef_check();
}
