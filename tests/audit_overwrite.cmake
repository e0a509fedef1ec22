# `patuh audit` refuses, before reading anything, to write its rejects file or
# its report over one of its inputs (the rejects file would be emptied before
# the input is read, the report would replace the log) or to write both to one
# file; `patuh plan` its report over the plan or a state log; and an input
# named twice (one file under two names, standard input twice) in either:
# exit 2, the message in tests/golden/overwrite/, every file unchanged.
# -DPATUH=binary -DLOG=a JSON Lines log with rejected records -DGOLDEN=folder -DWORK=folder
# With PATUH_UPDATE_GOLDEN=1 in the environment, rewrites the expected messages.
include(${CMAKE_CURRENT_LIST_DIR}/golden_text.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY_FILE ${LOG} ${WORK}/log.jsonl)
file(SHA256 ${WORK}/log.jsonl original)
file(WRITE ${WORK}/plan.csv "")

# name | exit code | standard input (or -) | arguments
set(cases
  "rejects-is-input|2|-|audit --rejects log.jsonl log.jsonl"
  "rejects-is-second-input|2|-|audit --rejects ./log.jsonl other.jsonl log.jsonl"
  "output-is-input|2|-|audit -o log.jsonl log.jsonl"
  "rejects-is-stdin|2|log.jsonl|audit --rejects log.jsonl -"
  "rejects-is-output|2|-|audit --rejects both.txt -o ./both.txt log.jsonl"
  "plan-output-is-plan|2|-|plan -o plan.csv plan.csv"
  "plan-output-is-state|2|-|plan --state other.jsonl --state log.jsonl -o ./log.jsonl plan.csv"
  "input-twice|2|-|audit --rejects twice.jsonl -o twice.txt log.jsonl other.jsonl ./log.jsonl"
  "stdin-twice|2|log.jsonl|audit --rejects twice.jsonl - -"
  "stdin-and-its-file|2|log.jsonl|audit - log.jsonl"
  "plan-state-twice|2|-|plan --state log.jsonl --state ./log.jsonl -o twice.txt plan.csv"
  "apart|1|-|audit --rejects rejects.jsonl -o report.txt log.jsonl")
file(WRITE ${WORK}/other.jsonl "")
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 expected_code)
  list(GET parts 2 stdin)
  list(GET parts 3 arguments)
  separate_arguments(arguments UNIX_COMMAND "${arguments}")
  list(POP_FRONT arguments command)
  set(input "")
  if(NOT stdin STREQUAL "-")
    set(input INPUT_FILE ${WORK}/${stdin})
  endif()
  foreach(lang en id)
    execute_process(COMMAND ${PATUH} ${command} --lang ${lang} ${arguments}
                    WORKING_DIRECTORY ${WORK} ${input} OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE code)
    if(NOT code EQUAL expected_code)
      message(FATAL_ERROR "${name} (${lang}): exit code ${code}, expected ${expected_code}\n${err}")
    endif()
    file(SHA256 ${WORK}/log.jsonl now)
    if(NOT now STREQUAL original)
      message(FATAL_ERROR "${name} (${lang}): the input log.jsonl was changed")
    endif()
    file(SIZE ${WORK}/plan.csv plan_size)
    if(NOT plan_size EQUAL 0)
      message(FATAL_ERROR "${name} (${lang}): the plan plan.csv was changed")
    endif()
    if(expected_code EQUAL 2)
      check_golden_text(${GOLDEN}/${name}.${lang}.err.txt "${err}" "${name} (${lang}), stderr")
    endif()
  endforeach()
endforeach()
# An input named twice is refused before the rejects file or the report is written.
foreach(file twice.jsonl twice.txt)
  if(EXISTS ${WORK}/${file})
    message(FATAL_ERROR "an input named twice: ${file} was written")
  endif()
endforeach()
# Kept apart, the rejects file holds the rejected records and the report was written.
file(STRINGS ${WORK}/rejects.jsonl rejected)
list(LENGTH rejected count)
if(count EQUAL 0)
  message(FATAL_ERROR "apart: the rejects file is empty")
endif()
