# A command that runs out of memory stops with exit code 2 and says so in the
# language asked for (--lang), or else the locale's (LANG), as the golden
# files in tests/golden/out-of-memory/ say. The log is one JSON Lines record
# of 300 MiB, gzip compressed (300 KB), read with a record limit above its
# size in an address space of 256 MiB (ulimit -v): the line cannot be held.
# -DPATUH=binary -DPYTHON=python3 -DGOLDEN=folder -DWORK=folder
# -DSANITIZE=ON|OFF (AddressSanitizer reserves terabytes of address space: skipped)
include(${CMAKE_CURRENT_LIST_DIR}/golden_text.cmake)
if(SANITIZE)
  message(STATUS "out-of-memory: skipped in a sanitizer build, which needs more address space than the limit")
  return()
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(
  COMMAND ${PYTHON} -c [[
import gzip, sys
with gzip.open(sys.argv[1], "wb", compresslevel=9) as f:
    f.write(b'{"id": "w1", "kind": "warn", "date": "2017-02-08", "region": "73.73", "note": "')
    spaces = b" " * (1 << 20)
    for _ in range(300):
        f.write(spaces)
    f.write(b'"}\n')
]] ${WORK}/huge.jsonl.gz
  RESULT_VARIABLE made)
if(NOT made EQUAL 0)
  message(FATAL_ERROR "out-of-memory: the log could not be generated")
endif()

# "name|environment|arguments": each must exit with 2 and say what its golden file says.
foreach(case IN ITEMS "audit.en|LANG=C.UTF-8|--lang en --threads 2" "audit.id|LANG=C.UTF-8|--lang id --threads 2"
                      "audit-locale.id|LANG=id_ID.UTF-8|--threads 2")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 environment)
  list(GET parts 2 arguments)
  separate_arguments(arguments UNIX_COMMAND "${arguments}")
  execute_process(
    COMMAND env -u LC_ALL -u LC_MESSAGES ${environment}
            sh -c "ulimit -v 262144 && exec \"$0\" \"$@\"" ${PATUH} audit ${arguments} --max-record-bytes 1000000000 huge.jsonl.gz
    WORKING_DIRECTORY ${WORK} OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE code)
  if(NOT code EQUAL 2)
    message(FATAL_ERROR "${name}: exit code ${code}, expected 2\n${out}")
  endif()
  check_golden_text(${GOLDEN}/${name}.err.txt "${out}" "${name}")
endforeach()
