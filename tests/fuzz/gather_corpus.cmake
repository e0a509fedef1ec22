# Gathers the fuzzers' seed corpora from the repository (run with cmake -P):
#   rules:  rules/**/*.patuh and examples/**/*.patuh, each file whole;
#   events: examples/*/events.jsonl, each file whole, each non-blank line on
#           its own, and each file rewritten as a JSON array;
#   input:  examples/*/*.csv and examples/*/events.jsonl, each file whole and gzip compressed.
# Arguments: -DROOT=<source dir> -DOUT=<corpus dir> -DSTAMP=<file to touch>.
cmake_minimum_required(VERSION 3.25)

foreach(v ROOT OUT STAMP)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "gather_corpus.cmake: -D${v}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${OUT}/rules ${OUT}/events ${OUT}/input)
file(MAKE_DIRECTORY ${OUT}/rules ${OUT}/events ${OUT}/input)

# A seed's name: its path in the repository with '/' replaced by '__'.
function(seed_name path out)
  file(RELATIVE_PATH rel ${ROOT} ${path})
  string(REPLACE "/" "__" rel "${rel}")
  set(${out} "${rel}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE rule_files ${ROOT}/rules/*.patuh ${ROOT}/examples/*.patuh)
list(SORT rule_files)
foreach(f IN LISTS rule_files)
  seed_name(${f} name)
  configure_file(${f} ${OUT}/rules/${name} COPYONLY)
endforeach()

file(GLOB event_files ${ROOT}/examples/*/events.jsonl)
list(SORT event_files)
foreach(f IN LISTS event_files)
  seed_name(${f} name)
  configure_file(${f} ${OUT}/events/${name} COPYONLY)
  # Line by line; file(STRINGS) would drop blank lines and split at ';' in
  # list handling, so read the file and cut it at '\n' by hand.
  file(READ ${f} text)
  set(n 0)
  set(array "")
  while(NOT text STREQUAL "")
    string(FIND "${text}" "\n" nl)
    if(nl EQUAL -1)
      set(line "${text}")
      set(text "")
    else()
      string(SUBSTRING "${text}" 0 ${nl} line)
      math(EXPR next "${nl} + 1")
      string(SUBSTRING "${text}" ${next} -1 text)
    endif()
    math(EXPR n "${n} + 1")
    string(STRIP "${line}" stripped)
    if(stripped STREQUAL "")
      continue()
    endif()
    file(WRITE ${OUT}/events/${name}.line-${n} "${line}\n")
    if(array STREQUAL "")
      string(APPEND array "[\n  ${line}")
    else()
      string(APPEND array ",\n  ${line}")
    endif()
  endwhile()
  if(NOT array STREQUAL "")
    file(WRITE ${OUT}/events/${name}.array.json "${array}\n]\n")
  endif()
endforeach()

file(GLOB input_files ${ROOT}/examples/*/*.csv ${ROOT}/examples/*/events.jsonl)
list(SORT input_files)
foreach(f IN LISTS input_files)
  seed_name(${f} name)
  configure_file(${f} ${OUT}/input/${name} COPYONLY)
  file(ARCHIVE_CREATE OUTPUT ${OUT}/input/${name}.gz PATHS ${f} FORMAT raw COMPRESSION GZip)
endforeach()

list(LENGTH rule_files nr)
list(LENGTH event_files ne)
if(nr EQUAL 0 OR ne EQUAL 0)
  message(FATAL_ERROR "gather_corpus.cmake: no seeds found under ${ROOT} (${nr} rule files, ${ne} event files)")
endif()
file(TOUCH ${STAMP})
