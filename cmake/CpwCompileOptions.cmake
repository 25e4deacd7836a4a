# SPDX-License-Identifier: Apache-2.0
# Warnings, sanitizers and coverage for every target of the project.
set(CPW_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings
    -Wformat=2 -Wundef -Wvla -Wconversion -Wno-sign-conversion)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND CPW_WARNINGS -Wno-format-truncation)  # snprintf cuts long texts on purpose
endif()

set(CPW_SAN_FLAGS "")
if(CPW_SANITIZE)
  set(CPW_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
endif()
if(CPW_TSAN)
  set(CPW_SAN_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
endif()
if(CPW_BUILD_FUZZERS)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CPW_BUILD_FUZZERS needs clang (libFuzzer): use -DCMAKE_C_COMPILER=clang")
  endif()
  list(APPEND CPW_SAN_FLAGS -fsanitize=fuzzer-no-link)
endif()
if(CPW_COVERAGE)
  list(APPEND CPW_SAN_FLAGS --coverage -fprofile-update=atomic)
endif()
if(CPW_SAN_FLAGS)
  add_compile_options(${CPW_SAN_FLAGS})
  add_link_options(${CPW_SAN_FLAGS})
endif()

# cpw_add_compile_options(target [LIBRARY]): the project's warning set (and -Werror when asked).
function(cpw_add_compile_options target)
  target_compile_options(${target} PRIVATE ${CPW_WARNINGS})
  if(CPW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
