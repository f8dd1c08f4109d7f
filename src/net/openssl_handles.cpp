#include "net/openssl_handles.hpp"

#include <openssl/err.h>

namespace edgeprobe::ossl {

std::string take_errors() {
  std::string text;
  while (const unsigned long e = ERR_get_error()) {
    const char* why = ERR_reason_error_string(e);
    const std::string item = why ? why : "error " + std::to_string(ERR_GET_REASON(e));
    if (text.find(item) == std::string::npos) text += (text.empty() ? "" : "; ") + item;
  }
  return text;
}

} // namespace edgeprobe::ossl
