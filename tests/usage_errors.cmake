# A command line patuh cannot use is refused with exit 2 and one message in
# the user's language (--lang, else LC_ALL, LC_MESSAGES or LANG): what was
# wrong, what it takes, and where the options are listed. The help pages are
# in that language too; --help and --version answer on standard output with
# exit 0.
# -DPATUH=binary -DGOLDEN=folder
# With PATUH_UPDATE_GOLDEN=1 in the environment, rewrites the expected messages.
include(${CMAKE_CURRENT_LIST_DIR}/golden_text.cmake)

# name | arguments (the language comes from LANG)
set(cases
  "no-command|"
  "unknown-command|audti events.jsonl"
  "option-before-command|--bogus"
  "no-files|audit"
  "no-plan|plan"
  "required-option|explain events.jsonl"
  "number-out-of-range|audit --threads 0 events.jsonl"
  "not-a-number|audit --threads many events.jsonl"
  "not-a-choice|audit --format jsn events.jsonl"
  "unknown-option|audit --formt json events.jsonl"
  "value-missing|audit events.jsonl --region"
  "exclusive-options|audit --progress --no-progress events.jsonl"
  "extra-argument|rules extra")
# run_patuh(LANG ARGS...): patuh ARGS with the locale of LANG (en or id) and no
# other locale variable set; sets out, err and code.
function(run_patuh lang)
  set(locale en_US.UTF-8)
  if(lang STREQUAL "id")
    set(locale id_ID.UTF-8)
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env LC_ALL= LC_MESSAGES= LANG=${locale} ${PATUH} ${ARGN}
                  OUTPUT_VARIABLE o ERROR_VARIABLE e RESULT_VARIABLE c)
  set(out "${o}" PARENT_SCOPE)
  set(err "${e}" PARENT_SCOPE)
  set(code "${c}" PARENT_SCOPE)
endfunction()

foreach(case IN LISTS cases)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(LENGTH parts n)
  set(arguments "")
  if(n GREATER 1)
    list(GET parts 1 arguments)
    separate_arguments(arguments UNIX_COMMAND "${arguments}")
  endif()
  foreach(lang en id)
    run_patuh(${lang} ${arguments})
    check_refused("${name} (${lang})" "${code}" "${out}" "${err}" ${GOLDEN}/${name}.${lang}.err.txt)
  endforeach()
endforeach()

# --lang comes before the locale, even on a line refused for another option
# before it; a --lang that is not a language leaves the locale's.
run_patuh(en audit --threads 0 events.jsonl --lang id)
check_refused("--lang id" "${code}" "${out}" "${err}" ${GOLDEN}/lang-option.id.err.txt)
run_patuh(id check --lang xx)
check_refused("--lang xx" "${code}" "${out}" "${err}" ${GOLDEN}/lang-not-a-language.id.err.txt)

# The help pages, in the language of the locale or of --lang (exit 0, on standard output).
foreach(command "" audit check fmt rules explain test plan impact)
  set(name help)
  if(NOT command STREQUAL "")
    set(name help-${command})
  endif()
  foreach(lang en id)
    run_patuh(${lang} ${command} --help)
    if(NOT code EQUAL 0 OR NOT err STREQUAL "")
      message(FATAL_ERROR "patuh ${command} --help (${lang}): exit code ${code}, stderr '${err}'")
    endif()
    check_golden_text(${GOLDEN}/${name}.${lang}.txt "${out}" "patuh ${command} --help (${lang})")
  endforeach()
endforeach()
run_patuh(en audit --lang id --help)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "patuh audit --lang id --help: exit code ${code}")
endif()
check_golden_text(${GOLDEN}/help-audit.id.txt "${out}" "patuh audit --lang id --help")
execute_process(COMMAND ${PATUH} --version OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out STREQUAL "patuh 0.1.0\n" OR NOT err STREQUAL "")
  message(FATAL_ERROR "patuh --version: exit code ${code}, stdout '${out}', stderr '${err}'")
endif()
