# A file of another kind given where patuh reads a log, a state log or a plan
# (a spreadsheet workbook, a PDF, UTF-16 text, a web page saved as .xls, data
# compressed with xz) stops the command with exit code 2 before any record is
# read, and one message naming the file, what it is and what to do, in
# English and in Indonesian (standard error, golden files in
# tests/golden/foreign-files/). The files are in tests/data/foreign/.
# -DPATUH=binary -DDATA=tests/data/foreign -DGOLDEN=folder -DWORK=folder
# With PATUH_UPDATE_GOLDEN=1 in the environment, rewrites the expected messages.
include(${CMAKE_CURRENT_LIST_DIR}/golden_text.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/plan.csv "nip,region,effective\n")
file(WRITE ${WORK}/events.jsonl "")

# Each case is "name|arguments|standard input" (a file in DATA, or "none").
foreach(case
    "audit-xlsx|audit riwayat-jabatan.xlsx|none"
    "audit-xls|audit rekap-2017.xls|none"
    "audit-web-page|audit riwayat-web.xls|none"
    "audit-pdf-after-a-log|audit ${WORK}/events.jsonl laporan.pdf|none"
    "audit-xz|audit --threads 2 events.jsonl.xz|none"
    "audit-utf16-stdin|audit --input-format csv -|riwayat-unicode.txt"
    "explain-xlsx|explain --event x riwayat-jabatan.xlsx|none"
    "plan-state-xz|plan --state events.jsonl.xz ${WORK}/plan.csv|none"
    "plan-xlsx|plan riwayat-jabatan.xlsx|none")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 arguments)
  list(GET parts 2 input)
  separate_arguments(arguments UNIX_COMMAND "${arguments}")
  list(POP_FRONT arguments command)
  set(stdin /dev/null)
  if(NOT input STREQUAL "none")
    set(stdin ${DATA}/${input})
  endif()
  foreach(lang en id)
    execute_process(COMMAND ${PATUH} ${command} --lang ${lang} ${arguments}
                    WORKING_DIRECTORY ${DATA} INPUT_FILE ${stdin}
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
    string(REPLACE "${WORK}/" "" err "${err}")
    check_refused("${name} (${lang})" "${code}" "${out}" "${err}" ${GOLDEN}/${name}.${lang}.err.txt)
  endforeach()
endforeach()
