/* SPDX-License-Identifier: Apache-2.0 */
/* tests/support/cmocka_all.h: cmocka needs these standard headers first. */
#ifndef CPW_CMOCKA_ALL_H
#define CPW_CMOCKA_ALL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
