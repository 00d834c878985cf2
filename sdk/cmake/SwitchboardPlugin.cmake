# switchboard_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...])
#
# Builds libswitchboard-<name>.so, a module the `switchboard` host loads with Boost.DLL.
# Symbols are hidden by default; the SDK marks what must be visible (the ABI constant,
# the descriptor alias, and its interface classes, whose typeinfo must be shared).
# The module lands in SWITCHBOARD_PLUGIN_OUTPUT_DIR when that is set (the build tree's
# plugin folder), and installs into SWITCHBOARD_PLUGIN_DIR.
function(switchboard_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "switchboard_add_plugin(${name}): SOURCES is required")
  endif()
  set(target switchboard-plugin-${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Switchboard::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME switchboard-${name}
    PREFIX lib
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(SWITCHBOARD_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SWITCHBOARD_PLUGIN_OUTPUT_DIR})
  endif()
  if(SWITCHBOARD_PLUGIN_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${SWITCHBOARD_PLUGIN_DIR})
  elseif(SWITCHBOARD_PLUGIN_SUBDIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${SWITCHBOARD_PLUGIN_SUBDIR})
  endif()
endfunction()
