# Audits one generated change log with --threads 1, 2 and 4, in every bulk
# format (JSON, JSON Lines and CSV findings are formatted in batches of 128
# on the threads, HTML post sections in batches of 8) and as text, and
# requires the same bytes and the same exit code every time.
# -DPATUH=binary -DPYTHON=python3 -DGENERATOR=bench/generate.py -DWORK=folder
file(MAKE_DIRECTORY ${WORK})
set(log ${WORK}/events.jsonl)
# 24 regions and 40,000 lines: violations, late approvals, warnings, cutoffs,
# restores, double posts, people moving between regions, malformed lines.
execute_process(COMMAND ${PYTHON} ${GENERATOR} 40000 --seed 11 --regions 24 -o ${log} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the generator failed (${code})")
endif()
foreach(format json jsonl csv html text)
  set(first "")
  foreach(threads 1 2 4)
    set(out ${WORK}/report-${threads}.${format})
    execute_process(
      COMMAND ${PATUH} audit --lang en --color never --format ${format} --threads ${threads} -o ${out} ${log}
      RESULT_VARIABLE code ERROR_VARIABLE err)
    if(NOT code EQUAL 1)
      message(FATAL_ERROR "--threads ${threads} --format ${format}: exit code ${code}, expected 1 (findings)\n${err}")
    endif()
    file(SHA256 ${out} hash)
    if(first STREQUAL "")
      set(first ${hash})
      file(READ ${out} report)
    elseif(NOT hash STREQUAL first)
      message(FATAL_ERROR "--threads ${threads} --format ${format}: the report differs from --threads 1 (${out})")
    endif()
  endforeach()
  # The log exercises what the partition must keep: every kind of finding and
  # region state, and rejected lines.
  if(format STREQUAL "json")
    foreach(needle "\"rangkap\"" "\"kekosongan\"" "\"reinstated\"" "\"approved\"" "\"left_post\"" "\"R0101\""
                   "\"R0108\"" "\"cut_off\": true" "\"restored\": \"")
      string(FIND "${report}" "${needle}" at)
      if(at EQUAL -1)
        message(FATAL_ERROR "the generated log gives no ${needle} in the report: it no longer tests enough")
      endif()
    endforeach()
  endif()
endforeach()
