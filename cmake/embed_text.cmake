# Turns a text file into a C++ source defining `std::string_view edgeprobe::embedded::SYMBOL()`.
file(READ ${INPUT} content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
"// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace edgeprobe::embedded {\nnamespace { const char data[] = {${bytes} 0}; }\nstd::string_view ${SYMBOL}() { return {data, ${byte_count}}; }\n}\n")
