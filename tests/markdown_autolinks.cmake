# Text from the input on a Markdown page becomes no link when GitHub renders
# it: cmark-gfm (GitHub's renderer) with its autolink and table extensions
# turns each Markdown golden (plans and rule tables) into HTML, which must
# hold no <a> element: none of them has a link of its own.
# -DCMARK=cmark-gfm -DGOLDEN=tests/golden
file(GLOB files ${GOLDEN}/plan/*.md ${GOLDEN}/rules-table/*.md)
if(NOT files)
  message(FATAL_ERROR "no Markdown golden in ${GOLDEN}")
endif()
foreach(md IN LISTS files)
  execute_process(COMMAND ${CMARK} -e autolink -e table ${md} OUTPUT_VARIABLE html RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "cmark-gfm failed on ${md}")
  endif()
  string(FIND "${html}" "<a " at)
  if(NOT at EQUAL -1)
    string(SUBSTRING "${html}" ${at} 120 link)
    message(FATAL_ERROR "${md} renders a link: ${link}")
  endif()
endforeach()
