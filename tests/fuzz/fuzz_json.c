/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_json: the JSON pull reader over arbitrary bytes, with invariant checks.
 *
 * Pass 1 reads the input to the end (EOF or an error) and checks every token: strings and keys
 * are valid UTF-8 and survive a write/read round trip, offsets only grow, the depth stays within
 * the limit, and an error carries a positioned message. Pass 2 reads the input again skipping
 * every array and object it meets (cpw__json_skip) and must end the same way: same status, same
 * error position. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(cpw_ctx *ctx, const char *s, size_t len)
{
  cpw__buf b;
  cpw__json_reader r;
  cpw__json_token t;
  cpw__buf_init(&b, ctx);
  CHECK(cpw__json_write_string(&b, s, len) == CPW_OK);
  cpw__json_reader_init(&r, ctx, b.data, b.len);
  CHECK(cpw__json_next(&r, &t) == CPW_OK);
  CHECK(t.type == CPW__JSON_STRING && t.len == len);
  CHECK(len == 0 || memcmp(t.str, s, len) == 0);
  CHECK(cpw__json_next(&r, &t) == CPW_OK && t.type == CPW__JSON_EOF);
  cpw__json_reader_free(&r);
  cpw__buf_free(&b);
}

/* Read to the end; with skip set, skip every container. Returns the status and the error
 * offset (or -1). */
static int read_all(cpw_ctx *ctx, const char *text, size_t len, int skip, int64_t *err_offset)
{
  cpw__json_reader r;
  cpw__json_token t;
  size_t last = 0;
  int rc, in_skip = 0;
  cpw__json_reader_init(&r, ctx, text, len);
  for (;;) {
    rc = cpw__json_next(&r, &t);
    if (rc != CPW_OK)
      break;
    CHECK(t.offset >= last && t.offset <= len);
    CHECK(t.line >= 1 && t.column >= 1);
    last = t.offset;
    CHECK(r.depth >= 0 && r.depth <= CPW__JSON_MAX_DEPTH);
    if (t.type == CPW__JSON_EOF)
      break;
    if (t.type == CPW__JSON_STRING || t.type == CPW__JSON_KEY) {
      CHECK(cpw__utf8_valid(t.str, t.len));
      if (!skip)
        round_trip(ctx, t.str, t.len);
    }
    if (t.type == CPW__JSON_NUMBER)
      CHECK(t.len > 0 && t.str >= text && t.str + t.len <= text + len);
    if (skip && (t.type == CPW__JSON_ARRAY || t.type == CPW__JSON_OBJECT)) {
      int depth = r.depth;
      rc = cpw__json_skip(&r, &t);
      if (rc != CPW_OK) {
        in_skip = 1;
        break;
      }
      CHECK(r.depth == depth - 1);
    }
  }
  if (rc != CPW_OK) {
    const cpw_error *e = cpw_ctx_last_error(ctx);
    CHECK(rc == CPW_EINVALID || rc == CPW_ELIMIT || rc == CPW_ENOMEM);
    CHECK(in_skip || t.type == CPW__JSON_NONE);
    CHECK(e->code == rc);
    if (rc != CPW_ENOMEM) {
      CHECK(strncmp(e->message, "line ", 5) == 0);
      CHECK(e->offset >= 0 && (size_t)e->offset <= len);
    }
    *err_offset = e->offset;
    CHECK(cpw__json_next(&r, &t) == rc); /* sticky */
  } else {
    *err_offset = -1;
    CHECK(cpw__json_next(&r, &t) == CPW_OK && t.type == CPW__JSON_EOF);
  }
  cpw__json_reader_free(&r);
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  cpw_ctx *ctx;
  int64_t off1, off2;
  int rc1, rc2;
  if (cpw_ctx_new(&ctx, NULL) != CPW_OK)
    return 0;
  rc1 = read_all(ctx, (const char *)data, size, 0, &off1);
  rc2 = read_all(ctx, (const char *)data, size, 1, &off2);
  CHECK(rc1 == rc2);
  CHECK(off1 == off2);
  cpw_ctx_free(ctx);
  return 0;
}
