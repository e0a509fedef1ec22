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

# check_refused(WHAT CODE OUT ERR GOLDEN): a command refused what it was
# given: exit code CODE is 2, standard output OUT is empty and standard error
# ERR is the text of GOLDEN (check_golden_text).
function(check_refused what code out err golden)
  if(NOT code EQUAL 2)
    message(FATAL_ERROR "${what}: exit code ${code}, expected 2\n${out}${err}")
  endif()
  if(NOT out STREQUAL "")
    message(FATAL_ERROR "${what}: nothing is reported, yet standard output has\n${out}")
  endif()
  check_golden_text(${golden} "${err}" "${what}")
endfunction()
