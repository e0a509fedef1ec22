# Audits one generated change log with --threads 1, 2 and 4, in every bulk
# format (JSON, JSON Lines and CSV findings are formatted in batches of 128
# on the threads, HTML post sections in batches of 8) and as text, and
# requires the same bytes and the same exit code every time; then the same
# log as a position-history export (bench/to_csv.py), whose rows are read on
# a thread of their own beside the judging one, with its rejects file, and as
# a JSON array, read the same way.
# -DPATUH=binary -DPYTHON=python3 -DGENERATOR=bench/generate.py
# -DTO_CSV=bench/to_csv.py -DWORK=folder
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

# The export: its report and its rejects file (the header line, then the
# rejected rows) are the same for any --threads.
set(export ${WORK}/export.csv)
execute_process(COMMAND ${PYTHON} ${TO_CSV} ${log} -o ${export} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "to_csv.py failed (${code})")
endif()
set(first "")
foreach(threads 1 2 4)
  set(out ${WORK}/export-report-${threads}.json)
  set(rejects ${WORK}/export-rejects-${threads}.csv)
  execute_process(
    COMMAND ${PATUH} audit --lang en --format json --threads ${threads} --rejects ${rejects} -o ${out} ${export}
    RESULT_VARIABLE code ERROR_VARIABLE err)
  if(NOT code EQUAL 1)
    message(FATAL_ERROR "export, --threads ${threads}: exit code ${code}, expected 1 (findings)\n${err}")
  endif()
  file(SHA256 ${out} hash)
  file(SHA256 ${rejects} rejects_hash)
  if(first STREQUAL "")
    set(first ${hash})
    set(first_rejects ${rejects_hash})
    file(READ ${out} report)
    file(READ ${rejects} rejected_rows)
  elseif(NOT hash STREQUAL first)
    message(FATAL_ERROR "export, --threads ${threads}: the report differs from --threads 1 (${out})")
  elseif(NOT rejects_hash STREQUAL first_rejects)
    message(FATAL_ERROR "export, --threads ${threads}: the rejects file differs from --threads 1 (${rejects})")
  endif()
endforeach()
foreach(needle "\"kekosongan\"" "\"kadis\"" "\"R0108\"" "\"R0111\"")
  string(FIND "${report}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the export gives no ${needle} in the report: it no longer tests enough")
  endif()
endforeach()
string(FIND "${rejected_rows}" "No;NIP;" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "the export's rejects file does not start with its header line")
endif()

# The same log as one JSON array (its lines that are JSON, then a broken
# element at the end): the report is the same for any --threads.
set(array ${WORK}/events-array.json)
execute_process(COMMAND ${PYTHON} -c [=[
import json, sys
records = []
for line in open(sys.argv[1], 'rb'):
    try:
        json.loads(line)
    except ValueError:
        continue
    records.append(line.decode('utf-8').rstrip('\n'))
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    out.write('[\n' + ',\n'.join(records) + ',\n{"id": broken\n]\n')
]=] ${log} ${array} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "making the JSON array failed (${code})")
endif()
set(first "")
foreach(threads 1 2 4)
  set(out ${WORK}/array-report-${threads}.json)
  execute_process(
    COMMAND ${PATUH} audit --lang en --format json --threads ${threads} -o ${out} ${array}
    RESULT_VARIABLE code ERROR_VARIABLE err)
  if(NOT code EQUAL 1)
    message(FATAL_ERROR "array, --threads ${threads}: exit code ${code}, expected 1 (findings)\n${err}")
  endif()
  file(SHA256 ${out} hash)
  if(first STREQUAL "")
    set(first ${hash})
    file(READ ${out} report)
  elseif(NOT hash STREQUAL first)
    message(FATAL_ERROR "array, --threads ${threads}: the report differs from --threads 1 (${out})")
  endif()
endforeach()
foreach(needle "\"rangkap\"" "not closed with")
  string(FIND "${report}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the JSON array gives no ${needle} in the report: it no longer tests enough")
  endif()
endforeach()

# A rejects file that cannot be written stops the audit while the export's
# reading thread is still going: the run ends with the message and exit 2.
if(EXISTS /dev/full)
  execute_process(
    COMMAND ${PATUH} audit --lang en --format json --threads 2 --rejects /dev/full -o ${WORK}/unused.json ${export}
    RESULT_VARIABLE code ERROR_VARIABLE err)
  string(FIND "${err}" "/dev/full: cannot be written" at)
  if(NOT code EQUAL 2 OR at EQUAL -1)
    message(FATAL_ERROR "export, --rejects /dev/full: exit code ${code}, expected 2 and the message\n${err}")
  endif()
endif()
