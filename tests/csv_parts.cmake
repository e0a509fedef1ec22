# `patuh audit --format csv --csv-rows-per-file N -o FILE` writes the CSV
# report in files of at most N findings (FILE, then FILE-2, FILE-3, ... with
# the name's extension kept), each with the byte-order mark and the header row:
# joined again they are the report written as one file. It says on stderr
# which files it wrote, and names a further part an earlier run left; it is
# refused without -o, with another format, and when a part would be written
# over an input (nothing is written then).
# The same for `patuh impact --format csv`.
# -DPATUH=binary -DLOG=a log with several findings -DRULES=the shipped rules -DAMENDMENT=a draft that
# changes findings of LOG (examples/draft-impact) -DGOLDEN=folder -DWORK=folder
# With PATUH_UPDATE_GOLDEN=1 in the environment, rewrites the expected messages.
include(${CMAKE_CURRENT_LIST_DIR}/golden_text.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY_FILE ${LOG} ${WORK}/log.jsonl)

# run(NAME EXPECTED_CODE ARGS...): runs patuh in WORK; its stderr in ${NAME}_err.
function(run name expected_code)
  execute_process(COMMAND ${PATUH} ${ARGN} WORKING_DIRECTORY ${WORK}
                  OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL expected_code)
    message(FATAL_ERROR "${name}: exit code ${code}, expected ${expected_code}\n${err}")
  endif()
  set(${name}_err "${err}" PARENT_SCOPE)
endfunction()

# check_parts(NAME PER_FILE THREADS ARGS...): `patuh ARGS --format csv -o NAME.csv` written whole and then
# with --csv-rows-per-file PER_FILE into parts/: each part holds the BOM, the header and at most PER_FILE
# rows, and the parts joined are the whole report.
function(check_parts name per_file threads)
  run(whole 1 ${ARGN} --format csv --lang en -o ${name}.csv)
  file(READ ${WORK}/${name}.csv whole)
  string(FIND "${whole}" "\n" header_end)
  math(EXPR header_end "${header_end} + 1")
  string(SUBSTRING "${whole}" 0 ${header_end} header)
  string(REGEX MATCHALL "\n" row_ends "${whole}")
  list(LENGTH row_ends lines)
  math(EXPR rows "${lines} - 1")
  if(rows LESS 5)
    message(FATAL_ERROR "${name}: the report has ${rows} rows; the test needs 5 or more")
  endif()
  file(REMOVE_RECURSE ${WORK}/parts)
  file(MAKE_DIRECTORY ${WORK}/parts)
  run(split 1 ${ARGN} --format csv --lang en --threads ${threads} --csv-rows-per-file ${per_file}
      -o parts/${name}.csv)
  math(EXPR parts "(${rows} + ${per_file} - 1) / ${per_file}")
  set(joined "${header}")
  foreach(k RANGE 1 ${parts})
    set(part_name ${name}-${k}.csv)
    if(k EQUAL 1)
      set(part_name ${name}.csv)
    endif()
    if(NOT EXISTS ${WORK}/parts/${part_name})
      message(FATAL_ERROR "--csv-rows-per-file ${per_file}: ${part_name} was not written\n${split_err}")
    endif()
    # CMake reads text without its CRs: the bytes are checked in hexadecimal.
    file(READ ${WORK}/parts/${part_name} bytes HEX)
    if(NOT bytes MATCHES "^efbbbf" OR NOT bytes MATCHES "0d0a$")
      message(FATAL_ERROR "--csv-rows-per-file ${per_file}: ${part_name} lacks the byte-order mark or CRLF")
    endif()
    file(READ ${WORK}/parts/${part_name} part)
    string(FIND "${part}" "${header}" at)
    if(NOT at EQUAL 0)
      message(FATAL_ERROR "--csv-rows-per-file ${per_file}: ${part_name} does not start with the header")
    endif()
    string(SUBSTRING "${part}" ${header_end} -1 part_rows)
    string(REGEX MATCHALL "\n" row_ends "${part_rows}")
    list(LENGTH row_ends count)
    if(count GREATER per_file OR count EQUAL 0)
      message(FATAL_ERROR "--csv-rows-per-file ${per_file}: ${part_name} holds ${count} rows")
    endif()
    string(APPEND joined "${part_rows}")
  endforeach()
  math(EXPR next "${parts} + 1")
  if(EXISTS ${WORK}/parts/${name}-${next}.csv)
    message(FATAL_ERROR "--csv-rows-per-file ${per_file}: more parts than ${parts} were written")
  endif()
  if(NOT joined STREQUAL whole)
    message(FATAL_ERROR "${name}, --csv-rows-per-file ${per_file}, ${threads} threads: the parts joined are not the report")
  endif()
  set(split_err "${split_err}" PARENT_SCOPE)
endfunction()

# Each size of part, on one thread and two.
foreach(per_file 1 2 3)
  foreach(threads 1 2)
    check_parts(findings ${per_file} ${threads} audit log.jsonl)
  endforeach()
endforeach()
# patuh impact's report: its rows new, gone and changed.
set(draft --draft ${RULES} --draft ${AMENDMENT})
foreach(per_file 1 2)
  check_parts(impact ${per_file} 1 impact ${draft} log.jsonl)
endforeach()
check_golden_text(${GOLDEN}/impact-split.en.err.txt "${split_err}" "impact split, stderr")

# What it says: the files written; a part of an earlier run after the last one.
file(REMOVE_RECURSE ${WORK}/parts)
file(MAKE_DIRECTORY ${WORK}/parts)
foreach(lang en id)
  run(split 1 audit --format csv --lang ${lang} --csv-rows-per-file 2 -o parts/findings.csv log.jsonl)
  check_golden_text(${GOLDEN}/split.${lang}.err.txt "${split_err}" "split (${lang}), stderr")
  run(fewer 1 audit --format csv --lang ${lang} --csv-rows-per-file 4 -o parts/findings.csv log.jsonl)
  check_golden_text(${GOLDEN}/earlier-part.${lang}.err.txt "${fewer_err}" "earlier part (${lang}), stderr")
endforeach()
# A name without an extension: report, report-2, ...
run(bare 1 audit --format csv --csv-rows-per-file 4 -o parts/report log.jsonl)
if(NOT EXISTS ${WORK}/parts/report-2)
  message(FATAL_ERROR "-o parts/report: report-2 was not written")
endif()

# Refused: exit 2, nothing written.
file(COPY_FILE ${LOG} ${WORK}/log-2.jsonl)
foreach(lang en id)
  run(no_output 2 audit --format csv --lang ${lang} --csv-rows-per-file 2 log.jsonl)
  check_golden_text(${GOLDEN}/no-output.${lang}.err.txt "${no_output_err}" "no -o (${lang}), stderr")
  run(not_csv 2 audit --format json --lang ${lang} --csv-rows-per-file 2 -o not-csv.json log.jsonl)
  check_golden_text(${GOLDEN}/not-csv.${lang}.err.txt "${not_csv_err}" "not CSV (${lang}), stderr")
  run(impact_not_csv 2 impact ${draft} --lang ${lang} --csv-rows-per-file 2 -o not-csv.txt log.jsonl)
  check_golden_text(${GOLDEN}/impact-not-csv.${lang}.err.txt "${impact_not_csv_err}" "impact, not CSV (${lang}), stderr")
  run(over_input 2 audit --format csv --lang ${lang} --csv-rows-per-file 2 -o log.jsonl log-2.jsonl)
  check_golden_text(${GOLDEN}/part-is-input.${lang}.err.txt "${over_input_err}" "a part is an input (${lang}), stderr")
  run(over_rejects 2 audit --format csv --lang ${lang} --csv-rows-per-file 2 --rejects r-3.csv -o r.csv log.jsonl)
  check_golden_text(${GOLDEN}/part-is-rejects.${lang}.err.txt "${over_rejects_err}"
                    "a part is the rejects file (${lang}), stderr")
endforeach()
file(READ ${WORK}/log-2.jsonl after)
file(READ ${LOG} before)
if(NOT after STREQUAL before OR EXISTS ${WORK}/not-csv.json OR EXISTS ${WORK}/not-csv.txt OR EXISTS ${WORK}/r.csv)
  message(FATAL_ERROR "a refused run wrote a file")
endif()
