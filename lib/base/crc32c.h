/* SPDX-License-Identifier: Apache-2.0 */
/* base/crc32c.h: CRC-32C (Castagnoli), the checksum of journal entries. */
#ifndef CPW_CRC32C_H
#define CPW_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32C of data[0..len) continuing from `crc` (0 to start): the reflected polynomial
 * 0x1EDC6F41 with the initial value and the final xor (0xFFFFFFFF) handled here, so
 * cpw__crc32c(0, "123456789", 9) == 0xE3069283 and
 * cpw__crc32c(cpw__crc32c(0, a, n), b, m) == the CRC of a followed by b. data may be NULL when
 * len is 0. */
uint32_t cpw__crc32c(uint32_t crc, const void *data, size_t len);

#endif
