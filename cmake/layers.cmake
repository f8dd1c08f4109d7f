# The layers the build enforces (docs/developing.md, "Layers").
#
# Every target gets an include root of its own under build/include/<target>,
# holding symbolic links to its own folders only: src/core is reachable as
# "core/...", probes/tcp as "probes/tcp/...". A target sees its own headers and
# those of the targets it links, and nothing else, so an include that runs up a
# layer (core including a probe, one probe including another it does not
# declare) fails to compile with "No such file or directory".

# edgeprobe_include_root(TARGET SCOPE PATH...): PATH is a folder or a header,
# relative to the source tree; its include name drops a leading "src/".
function(edgeprobe_include_root target scope)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  foreach(path IN LISTS ARGN)
    string(REGEX REPLACE "^src/" "" name "${path}")
    set(link ${root}/${name})
    get_filename_component(parent ${link} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    # Made anew at every configure: a checkout that moved must not leave links
    # into the old one.
    file(REMOVE ${link})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${path} ${link} SYMBOLIC)
    # Every header is compiled on its own, through its owner's include root, by
    # the header check (tests/CMakeLists.txt).
    if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${path})
      file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/${path}
           ${PROJECT_SOURCE_DIR}/${path}/*.hpp)
      foreach(header IN LISTS headers)
        set_property(GLOBAL APPEND PROPERTY EDGEPROBE_HEADERS "${target}|${name}/${header}")
      endforeach()
    else()
      set_property(GLOBAL APPEND PROPERTY EDGEPROBE_HEADERS "${target}|${name}")
    endif()
  endforeach()
  target_include_directories(${target} ${scope} ${root})
endfunction()

# The one narrow precompiled header (src/pch.hpp), built once.
function(edgeprobe_use_pch target)
  target_precompile_headers(${target} REUSE_FROM edgeprobe_pch)
endfunction()

# edgeprobe_layer(NAME FOLDERS folder... [LINKS target...] [SOURCES file...]
#                 [EXCLUDE file...] [NO_PCH]): the static library edgeprobe_NAME
# of every .cpp under its folders but EXCLUDE (paths in the source tree).
function(edgeprobe_layer name)
  cmake_parse_arguments(L "NO_PCH" "" "FOLDERS;LINKS;SOURCES;EXCLUDE" ${ARGN})
  set(sources ${L_SOURCES})
  foreach(folder IN LISTS L_FOLDERS)
    file(GLOB_RECURSE found CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp)
    list(APPEND sources ${found})
  endforeach()
  foreach(excluded IN LISTS L_EXCLUDE)
    list(REMOVE_ITEM sources ${PROJECT_SOURCE_DIR}/${excluded})
  endforeach()
  add_library(edgeprobe_${name} STATIC ${sources})
  edgeprobe_include_root(edgeprobe_${name} PUBLIC ${L_FOLDERS})
  target_link_libraries(edgeprobe_${name} PUBLIC edgeprobe_build_flags ${L_LINKS})
  if(NOT L_NO_PCH)
    edgeprobe_use_pch(edgeprobe_${name})
  endif()
endfunction()

# edgeprobe_probe(FOLDER [DEPENDS probe-folder...] [LINKS target...]), called
# from probes/FOLDER/CMakeLists.txt: the probe module's library. A probe sees
# src/wire, src/core and src/net; another probe's headers only when it builds
# on that probe's protocol and says so in DEPENDS (http on tls, turn on stun).
function(edgeprobe_probe folder)
  cmake_parse_arguments(P "" "" "DEPENDS;LINKS" ${ARGN})
  set(depends)
  foreach(other IN LISTS P_DEPENDS)
    list(APPEND depends edgeprobe_probe_${other})
  endforeach()
  edgeprobe_layer(probe_${folder} FOLDERS probes/${folder} LINKS edgeprobe_probe_api ${depends} ${P_LINKS})
  set_property(GLOBAL APPEND PROPERTY EDGEPROBE_PROBE_TARGETS edgeprobe_probe_${folder})
endfunction()
