# The options that name files (--rules, --draft, --state) take one file or
# folder each and may be repeated, so options and event files come in any order:
# each pair of command lines below, the same arguments in two orders, must
# give the same exit code and the same output, and neither may be refused.
# -DPATUH=binary -DSOURCE=source folder
set(example ${SOURCE}/examples/draft-impact)
set(rules ${SOURCE}/rules/dukcapil)
set(plan ${SOURCE}/examples/rotation-plan)
# name | first order | second order
set(cases
  "audit --rules|audit --lang en --rules ${rules} --rules ${example}/amendment.patuh ${example}/events.jsonl|audit --rules ${rules} --rules ${example}/amendment.patuh ${example}/events.jsonl --lang en"
  "impact --draft|impact --lang en --draft ${rules} --draft ${example}/amendment.patuh ${example}/events.jsonl|impact --draft ${rules} --draft ${example}/amendment.patuh ${example}/events.jsonl --lang en --color never"
  "impact --rules|impact --lang en --rules ${rules} --draft ${rules} ${example}/events.jsonl|impact --draft ${rules} --rules ${rules} ${example}/events.jsonl --lang en"
  "plan --state|plan --lang en --today 2024-08-20 --state ${plan}/calendar.jsonl --state ${plan}/state.csv ${plan}/plan.csv|plan --state ${plan}/calendar.jsonl --state ${plan}/state.csv ${plan}/plan.csv --today 2024-08-20 --lang en")
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  set(outputs "")
  set(codes "")
  foreach(k 1 2)
    list(GET parts ${k} arguments)
    separate_arguments(arguments UNIX_COMMAND "${arguments}")
    execute_process(COMMAND ${PATUH} ${arguments} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
    if(code GREATER 1)
      message(FATAL_ERROR "${name}, order ${k}: exit code ${code}\n${err}")
    endif()
    list(APPEND codes ${code})
    set(out_${k} "${out}")
  endforeach()
  if(NOT out_1 STREQUAL out_2)
    message(FATAL_ERROR "${name}: the two orders give different reports\n--- first ---\n${out_1}\n--- second ---\n${out_2}")
  endif()
  list(GET codes 0 first_code)
  list(GET codes 1 second_code)
  if(NOT first_code EQUAL second_code)
    message(FATAL_ERROR "${name}: exit codes ${first_code} and ${second_code}")
  endif()
  if(out_1 STREQUAL "")
    message(FATAL_ERROR "${name}: no report")
  endif()
endforeach()
