# check_golden_text(GOLDEN ACTUAL WHAT): ACTUAL must be the text of the file
# GOLDEN, else the test fails naming WHAT and showing ACTUAL. With
# PATUH_UPDATE_GOLDEN=1 in the environment, GOLDEN is rewritten first.
function(check_golden_text golden actual what)
  if("$ENV{PATUH_UPDATE_GOLDEN}" STREQUAL "1")
    file(WRITE ${golden} "${actual}")
  endif()
  file(READ ${golden} expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${what}: the output differs from ${golden}\n--- actual ---\n${actual}")
  endif()
endfunction()
