# SPDX-License-Identifier: Apache-2.0
# The one source list of the library (shared and static builds use it): every .c file of the
# library's floors, base, policy, engines and journal.
file(GLOB CPW_SOURCES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/lib/base/*.c
  ${PROJECT_SOURCE_DIR}/lib/policy/*.c
  ${PROJECT_SOURCE_DIR}/lib/eligibility/*.c
  ${PROJECT_SOURCE_DIR}/lib/workflow/*.c
  ${PROJECT_SOURCE_DIR}/lib/placement/*.c
  ${PROJECT_SOURCE_DIR}/lib/journal/*.c)
list(SORT CPW_SOURCES)
