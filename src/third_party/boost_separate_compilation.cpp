// Asio and Beast compiled once, here, instead of in every file that includes
// them (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION,
// set for every target in CMakeLists.txt): their non-template code is
// generated in this one object, which took most of the build's time when each
// of ~150 files generated its own copy.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
