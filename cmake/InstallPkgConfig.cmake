# SPDX-License-Identifier: Apache-2.0
# Run by `cmake --install` (see CMakeLists.txt): write cpw.pc and cpw-static.pc from the
# templates in CPW_PC_DIR with the prefix of this install, normalised (no "..", no "//", no
# trailing "/"), so pkg-config recognises system directories and drops them.
cmake_path(SET CPW_PC_PREFIX NORMALIZE "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "(.)/$" "\\1" CPW_PC_PREFIX "${CPW_PC_PREFIX}")
foreach(pc cpw cpw-static)
  configure_file("${CPW_PC_DIR}/${pc}.pc.in" "${CPW_PC_DIR}/${pc}.pc" @ONLY)
endforeach()
