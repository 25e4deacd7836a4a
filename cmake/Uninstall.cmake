# SPDX-License-Identifier: Apache-2.0
# cmake -DMANIFEST=build/install_manifest.txt -P cmake/Uninstall.cmake: remove the files the
# last `cmake --install` wrote (the `uninstall` target runs this). Directories are left.
if(NOT EXISTS "${MANIFEST}")
  message(FATAL_ERROR "${MANIFEST} does not exist: nothing was installed from this build")
endif()
file(STRINGS "${MANIFEST}" files)
foreach(f IN LISTS files)
  if(IS_SYMLINK "$ENV{DESTDIR}${f}" OR EXISTS "$ENV{DESTDIR}${f}")
    message(STATUS "Removing $ENV{DESTDIR}${f}")
    file(REMOVE "$ENV{DESTDIR}${f}")
  endif()
endforeach()
