# A file that cannot be opened, read or written stops the command with exit
# code 2 and one message naming the file and the reason, in English and in
# Indonesian: inputs, state logs, mapping files, rule files (named or
# included) and plans read; reports (-o, or on standard output) and rejects
# files (--rejects) written. The messages (standard error, and standard output
# for patuh check) are in tests/golden/file-errors/.
# -DPATUH=binary -DLOG=a JSON Lines log -DGOLDEN=folder -DWORK=folder
# With PATUH_UPDATE_GOLDEN=1 in the environment, rewrites the expected messages.
include(${CMAKE_CURRENT_LIST_DIR}/golden_text.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/folder)
file(COPY_FILE ${LOG} ${WORK}/log.jsonl)
file(WRITE ${WORK}/plan.csv "nip,region,effective\n")
# A rule file that includes a folder named like a rule file.
file(MAKE_DIRECTORY ${WORK}/shared.patuh)
file(WRITE ${WORK}/includes-folder.patuh "include \"shared.patuh\"\n")
# A rule file that patuh fmt would change.
file(WRITE ${WORK}/messy.patuh "rank    II\n")
string(REPEAT "x" 300 long_name)

# Each case is "name|arguments"; run in both languages, it must exit with 2
# and say what its golden files say. Standard output is taken with the
# messages, or written to the file `stdout_file` when the caller sets one;
# standard input is the file `stdin_file` when the caller sets one; patuh is
# started through the command `runner` when the caller sets one.
function(check_cases)
  if(stdout_file)
    set(stdout OUTPUT_FILE ${stdout_file})
  else()
    set(stdout OUTPUT_VARIABLE out)
  endif()
  set(stdin "")
  if(stdin_file)
    set(stdin INPUT_FILE ${stdin_file})
  endif()
  foreach(case IN LISTS ARGN)
    string(REPLACE "|" ";" parts "${case}")
    list(GET parts 0 name)
    list(GET parts 1 arguments)
    separate_arguments(arguments UNIX_COMMAND "${arguments}")
    list(POP_FRONT arguments command)
    foreach(lang en id)
      # patuh check writes its diagnostics on standard output, the others on standard error.
      execute_process(COMMAND ${runner} ${PATUH} ${command} --lang ${lang} ${arguments}
                      WORKING_DIRECTORY ${WORK} ${stdin} ${stdout} ERROR_VARIABLE out RESULT_VARIABLE code)
      if(NOT code EQUAL 2)
        message(FATAL_ERROR "${name} (${lang}): exit code ${code}, expected 2\n${out}")
      endif()
      string(REPLACE "${long_name}" "<300 x>" out "${out}")
      check_golden_text(${GOLDEN}/${name}.${lang}.err.txt "${out}" "${name} (${lang})")
    endforeach()
  endforeach()
endfunction()

# /proc/self/mem reads fail with EIO at its start, /dev/full takes no byte (ENOSPC).
check_cases(
  "input-missing|audit missing.jsonl"
  "input-not-a-folder|audit log.jsonl/events.jsonl"
  "input-name-too-long|audit ${long_name}.jsonl"
  "input-read-error|audit /proc/self/mem"
  "input-read-error-csv|audit --input-format csv /proc/self/mem"
  "explain-input-missing|explain --event x missing.jsonl"
  "state-missing|plan --state missing.jsonl plan.csv"
  "mapping-missing|audit --mapping missing.json log.jsonl"
  "mapping-folder|audit --mapping folder log.jsonl"
  "rules-missing|check missing.patuh"
  "rules-folder-file|audit --rules log.jsonl/x.patuh log.jsonl"
  "rules-include-folder|check includes-folder.patuh"
  "fmt-missing|fmt missing.patuh"
  "plan-missing|plan missing.csv"
  "plan-folder|plan folder"
  "output-disk-full|audit -o /dev/full log.jsonl"
  "output-no-folder|audit -o missing/report.txt log.jsonl"
  "output-is-folder|audit -o folder log.jsonl"
  "rejects-disk-full|audit --rejects /dev/full -o /dev/null log.jsonl"
  "plan-output-disk-full|plan -o /dev/full plan.csv")

# Reports on standard output, when it is /dev/full.
set(stdout_file /dev/full)
check_cases(
  "stdout-disk-full|audit log.jsonl"
  "rules-stdout-disk-full|rules"
  "check-stdout-disk-full|check"
  "test-stdout-disk-full|test"
  "explain-stdout-disk-full|explain --event plp-2016-001 log.jsonl"
  "fmt-stdout-disk-full|fmt --check messy.patuh")
# patuh fmt - writes the formatted rules, and with --check the name <stdin>, to standard output.
set(stdin_file ${WORK}/messy.patuh)
check_cases(
  "fmt-stdin-stdout-disk-full|fmt -"
  "fmt-check-stdin-stdout-disk-full|fmt --check -")
unset(stdin_file)
unset(stdout_file)

# --sort cannot make its temporary file: no file can be made in /proc. (The
# log four times over: more than the 1 KiB of events sorted in memory.)
file(READ ${LOG} log_text)
file(WRITE ${WORK}/long.jsonl "${log_text}${log_text}${log_text}${log_text}")
set(ENV{TMPDIR} /proc)
check_cases("sort-temporary-file|audit --sort --sort-memory 1K long.jsonl")
# --sort cannot write its temporary file (as on a full disk): no file may
# grow past 512 bytes (ulimit -f), and a write past it fails (EFBIG) instead
# of ending the process (SIGXFSZ ignored).
set(ENV{TMPDIR} /tmp)
file(WRITE ${WORK}/small-files.sh "trap '' XFSZ\nulimit -f 1\nexec \"$@\"\n")
set(runner sh ${WORK}/small-files.sh)
check_cases("sort-temporary-file-full|audit --sort --sort-memory 1K long.jsonl")
unset(runner)
unset(ENV{TMPDIR})

# A file without read permission, and a folder without write permission.
# Root reads and writes them all the same: then these cases are skipped.
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(uid STREQUAL "0")
  message(STATUS "file-errors: permission cases skipped: running as root, who may read and write any file")
else()
  file(WRITE ${WORK}/secret.jsonl "")
  file(CHMOD ${WORK}/secret.jsonl PERMISSIONS OWNER_WRITE)
  file(MAKE_DIRECTORY ${WORK}/locked)
  file(CHMOD ${WORK}/locked PERMISSIONS OWNER_READ OWNER_EXECUTE)
  check_cases("permission-input|audit secret.jsonl" "permission-output|audit -o locked/report.txt log.jsonl")
  file(CHMOD ${WORK}/locked PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
endif()
