# cmake -DDIR=<folder with package.json and package-lock.json> -P npm_ci.cmake
# Runs `npm ci` in DIR unless node_modules already matches package-lock.json (a stamp
# written after the last successful install holds the lock it installed).
file(READ ${DIR}/package-lock.json lock)
if(EXISTS ${DIR}/node_modules/.switchboard-installed-lock)
  file(READ ${DIR}/node_modules/.switchboard-installed-lock installed)
  if(installed STREQUAL lock)
    message(STATUS "node_modules in ${DIR} is up to date with package-lock.json")
    return()
  endif()
endif()
execute_process(COMMAND npm ci --no-audit --no-fund --loglevel=error WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm ci in ${DIR} failed (${rc})")
endif()
file(WRITE ${DIR}/node_modules/.switchboard-installed-lock "${lock}")
