# patuh fmt on a copy of a messy file: --check lists it and exits 1, a plain
# run rewrites it in place to the golden layout, then --check is quiet.
# -DPATUH=binary -DSOURCE=messy file -DGOLDEN=formatted file -DWORK=scratch folder
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY_FILE ${SOURCE} ${WORK}/messy.patuh)

execute_process(COMMAND ${PATUH} fmt --check messy.patuh WORKING_DIRECTORY ${WORK}
                OUTPUT_VARIABLE out RESULT_VARIABLE code)
if(NOT code EQUAL 1 OR NOT out STREQUAL "messy.patuh\n")
  message(FATAL_ERROR "fmt --check on a messy file: exit ${code}, output '${out}'")
endif()

execute_process(COMMAND ${PATUH} fmt messy.patuh WORKING_DIRECTORY ${WORK} RESULT_VARIABLE code)
file(READ ${WORK}/messy.patuh rewritten)
file(READ ${GOLDEN} expected)
if(NOT code EQUAL 0 OR NOT rewritten STREQUAL expected)
  message(FATAL_ERROR "fmt in place: exit ${code}\n${rewritten}")
endif()

execute_process(COMMAND ${PATUH} fmt --check messy.patuh WORKING_DIRECTORY ${WORK}
                OUTPUT_VARIABLE out RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out STREQUAL "")
  message(FATAL_ERROR "fmt --check after fmt: exit ${code}, output '${out}'")
endif()
