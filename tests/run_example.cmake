# Runs one example command and compares its output with the expected file.
# -DPATUH=binary -DDIR=example folder -DEXPECTED=file -DEXIT=code -DARGS=list
# An expected file named *.err.txt holds what the command writes on stderr
# (messages about unusable input); any other holds its stdout.
# With PATUH_UPDATE_GOLDEN=1 in the environment, rewrites the expected file.
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(
  COMMAND ${PATUH} ${args}
  WORKING_DIRECTORY ${DIR}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE code)
if(EXPECTED MATCHES "\\.err\\.txt$")
  set(out "${err}")
endif()
if("$ENV{PATUH_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE ${DIR}/${EXPECTED} "${out}")
endif()
file(READ ${DIR}/${EXPECTED} expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "output differs from ${DIR}/${EXPECTED}\n--- actual output ---\n${out}\n--- stderr ---\n${err}")
endif()
if(NOT code STREQUAL EXIT)
  message(FATAL_ERROR "exit code ${code}, expected ${EXIT}\n--- stderr ---\n${err}")
endif()
