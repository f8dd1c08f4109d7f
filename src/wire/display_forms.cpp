#include "wire/display_forms.hpp"

#include "wire/dns/codec.hpp"
#include "wire/escape_bytes.hpp"

#include <algorithm>
#include <limits>

namespace edgeprobe {

std::vector<std::string> display_forms(std::string_view bytes) {
  std::vector<std::string> forms{
      std::string(bytes),
      escape_bytes(bytes, std::numeric_limits<std::size_t>::max()),
      escape_unprintable(bytes),
      escape_for_quotes(bytes),
      hex_digits(bytes),
      dns::label_text(bytes),
  };
  std::sort(forms.begin(), forms.end());
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  return forms;
}

} // namespace edgeprobe
