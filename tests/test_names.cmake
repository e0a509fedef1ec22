# catch_discover_tests passes each test's name to Catch as a filter: a name
# with ';' becomes two tests that match nothing, and one with '[' or ']' is
# read as tags (or breaks the list of every test after it). Such a test would
# pass under ctest without running; none may exist.
# -DTESTS=patuh_tests
# (Catch exits with the number of tests listed.)
execute_process(COMMAND ${TESTS} --list-test-names-only OUTPUT_VARIABLE names)
if(names STREQUAL "")
  message(FATAL_ERROR "${TESTS} --list-test-names-only listed no test")
endif()
foreach(character ";" "[" "]")
  string(FIND "${names}" "${character}" at)
  if(NOT at EQUAL -1)
    string(SUBSTRING "${names}" ${at} 200 rest)
    message(FATAL_ERROR "a test name holds '${character}', which ctest cannot run: ...${rest}")
  endif()
endforeach()
