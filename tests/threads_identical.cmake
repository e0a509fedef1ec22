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
# Audits `input` as `format` with --threads 1, 2 and 4 (with a rejects file
# when `with_rejects`), requires exit code 1 and the same bytes every time,
# and sets `report` (and `rejected_rows`) to what --threads 1 wrote.
function(same_for_any_threads name input format with_rejects)
  set(first "")
  foreach(threads 1 2 4)
    set(out ${WORK}/${name}-${threads}.${format})
    set(rejects ${WORK}/${name}-rejects-${threads})
    set(rejects_option)
    if(with_rejects)
      set(rejects_option --rejects ${rejects})
    endif()
    execute_process(
      COMMAND ${PATUH} audit --lang en --color never --format ${format} --threads ${threads} ${rejects_option}
              -o ${out} ${input}
      RESULT_VARIABLE code ERROR_VARIABLE err)
    if(NOT code EQUAL 1)
      message(FATAL_ERROR "${name}, --threads ${threads}: exit code ${code}, expected 1 (findings)\n${err}")
    endif()
    file(SHA256 ${out} hash)
    set(rejects_hash "")
    if(with_rejects)
      file(SHA256 ${rejects} rejects_hash)
    endif()
    if(first STREQUAL "")
      set(first ${hash})
      set(first_rejects "${rejects_hash}")
      file(READ ${out} text)
      set(report "${text}" PARENT_SCOPE)
      if(with_rejects)
        file(READ ${rejects} text)
        set(rejected_rows "${text}" PARENT_SCOPE)
      endif()
    elseif(NOT hash STREQUAL first)
      message(FATAL_ERROR "${name}, --threads ${threads}: the report differs from --threads 1 (${out})")
    elseif(NOT rejects_hash STREQUAL first_rejects)
      message(FATAL_ERROR "${name}, --threads ${threads}: the rejects file differs from --threads 1 (${rejects})")
    endif()
  endforeach()
endfunction()

# Requires each needle in `text`: what the input must exercise.
function(require_in what text)
  foreach(needle ${ARGN})
    string(FIND "${text}" "${needle}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${what} gives no ${needle} in the report: it no longer tests enough")
    endif()
  endforeach()
endfunction()

foreach(format json jsonl csv html text)
  same_for_any_threads(report ${log} ${format} OFF)
  # The log exercises what the partition must keep: every kind of finding and
  # region state, and rejected lines.
  if(format STREQUAL "json")
    require_in("the generated log" "${report}" "\"rangkap\"" "\"kekosongan\"" "\"reinstated\"" "\"approved\""
               "\"left_post\"" "\"R0101\"" "\"R0108\"" "\"cut_off\": true" "\"restored\": \"")
  endif()
endforeach()

# The export: its report and its rejects file (the header line, then the
# rejected rows) are the same for any --threads.
set(export ${WORK}/export.csv)
execute_process(COMMAND ${PYTHON} ${TO_CSV} ${log} -o ${export} RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "to_csv.py failed (${code})")
endif()
same_for_any_threads(export ${export} json ON)
require_in("the export" "${report}" "\"kekosongan\"" "\"kadis\"" "\"R0108\"" "\"R0111\"")
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
same_for_any_threads(array ${array} json OFF)
require_in("the JSON array" "${report}" "\"rangkap\"" "not closed with")

# A rejects file that cannot be written stops the audit while the export's
# reading thread is still going: the run ends with the message and exit 2.
if(EXISTS /dev/full)
  execute_process(
    COMMAND ${PATUH} audit --lang en --format json --threads 2 --rejects /dev/full -o ${WORK}/unused.json ${export}
    RESULT_VARIABLE code ERROR_VARIABLE err)
  string(FIND "${err}" "/dev/full: cannot write the file" at)
  if(NOT code EQUAL 2 OR at EQUAL -1)
    message(FATAL_ERROR "export, --rejects /dev/full: exit code ${code}, expected 2 and the message\n${err}")
  endif()
endif()
