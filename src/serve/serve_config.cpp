#include "serve/serve_config.hpp"

#include "core/json_locator.hpp"
#include "core/json_text.hpp"
#include "core/suggest.hpp"
#include "core/syntax.hpp"
#include "core/text_file.hpp"
#include "probes/modules.hpp"
#include "serve/password_hash.hpp"
#include "serve/serve_tls.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace edgeprobe {

const scheduled_suite* serve_config::find_suite(std::string_view name) const {
  for (const auto& s : suites)
    if (s.name == name) return &s;
  return nullptr;
}

std::string serve_config::suite_names() const {
  std::string out;
  for (const auto& s : suites) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

namespace {

using json = nlohmann::json;

// The smallest interval: a soak test runs a suite many times a second, but a
// typo such as "1ms" would only burn the CPU.
constexpr duration min_interval = std::chrono::milliseconds(100);

// Reads one config document, collecting every mistake with its position.
class config_reader {
public:
  config_reader(std::string text, std::string label, std::filesystem::path base_dir)
      : text_(std::move(text)), label_(std::move(label)), base_dir_(std::move(base_dir)) {}

  serve_load_result run() {
    if (const auto bad = parse_json_text(text_, doc_)) {
      const auto at = position_of(text_, bad->offset);
      errors_.push_back({label_, "", at.line, at.column, bad->message, bad->suggestion});
      return finish();
    }
    locator_ = json_locator(text_);
    if (!doc_.is_object()) {
      error("", "must be an object with \"suites\"", "{\"suites\": [{\"file\": \"edge.json\", \"interval\": \"60s\"}]}");
      return finish();
    }
    config_.file = label_;
    known_keys("", doc_, {"listen", "tls", "auth", "limits", "close", "concurrency", "reload_timeout", "suites"});
    read_listen();
    read_tls();
    read_auth();
    read_limits();
    read_close();
    if (auto n = count_at("/concurrency", doc_, "concurrency", 1, 65536)) config_.concurrency = *n;
    if (auto d = duration_between("/reload_timeout", doc_, "reload_timeout", std::chrono::milliseconds(100),
                                  std::chrono::minutes(10)))
      config_.reload_timeout = *d;
    read_suites();
    return finish();
  }

private:
  void error(const std::string& pointer, std::string message, std::string suggestion = {}, bool at_key = false) {
    const auto at = locator_.find(pointer, at_key).value_or(text_position{});
    errors_.push_back({label_, pointer, at.line, at.column, std::move(message), std::move(suggestion)});
  }

  void known_keys(const std::string& pointer, const json& object, std::vector<std::string_view> keys) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
      const auto near = nearest(key, keys);
      error(child_pointer(pointer, key), "unknown key", near ? "did you mean \"" + *near + "\"?" : "", true);
    }
  }

  const json* member(const json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  std::optional<std::string> string_at(const std::string& pointer, const json& object, const char* key,
                                       bool required = false) {
    const json* v = member(object, key);
    if (!v) {
      if (required) error(pointer.substr(0, pointer.rfind('/')), "needs \"" + std::string(key) + "\"");
      return std::nullopt;
    }
    if (!v->is_string() || v->get_ref<const std::string&>().empty()) {
      error(pointer, "must be a non-empty string");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<std::size_t> count_at(const std::string& pointer, const json& object, const char* key,
                                      std::size_t low, std::size_t high) {
    const json* v = member(object, key);
    if (!v) return std::nullopt;
    if (!v->is_number_integer() || v->get<long long>() < static_cast<long long>(low) ||
        v->get<long long>() > static_cast<long long>(high)) {
      error(pointer, "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
      return std::nullopt;
    }
    return v->get<std::size_t>();
  }

  std::optional<double> number_at(const std::string& pointer, const json& object, const char* key, double low,
                                  double high) {
    const json* v = member(object, key);
    if (!v) return std::nullopt;
    if (!v->is_number() || !(v->get<double>() >= low && v->get<double>() <= high)) {
      error(pointer, "must be a number from " + json(low).dump() + " to " + json(high).dump());
      return std::nullopt;
    }
    return v->get<double>();
  }

  std::optional<duration> duration_at(const std::string& pointer, const json& object, const char* key) {
    auto text = string_at(pointer, object, key);
    if (!text) return std::nullopt;
    auto d = parse_duration(*text);
    if (!d) error(pointer, "must be a duration such as \"30s\", \"5m\" or \"500ms\", not \"" + *text + "\"");
    return d;
  }

  std::optional<duration> duration_between(const std::string& pointer, const json& object, const char* key,
                                          duration low, duration high) {
    auto d = duration_at(pointer, object, key);
    if (d && (*d < low || *d > high)) {
      error(pointer, "must be from " + format_duration(low) + " to " + format_duration(high));
      return std::nullopt;
    }
    return d;
  }

  std::filesystem::path relative_path(const std::string& text) const {
    const std::filesystem::path p(text);
    return p.is_absolute() ? p : base_dir_ / p;
  }

  // "127.0.0.1:9443", "[::1]:9443", "0.0.0.0:9443": an address, never a name,
  // so where serve listens is exactly what the file says.
  void read_listen() {
    auto text = string_at("/listen", doc_, "listen");
    if (!text) return;
    const auto colon = text->rfind(':');
    std::string host = colon == std::string::npos ? "" : text->substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    int port = -1;
    if (colon != std::string::npos && colon + 1 < text->size() &&
        text->find_first_not_of("0123456789", colon + 1) == std::string::npos && text->size() - colon <= 6)
      port = std::stoi(text->substr(colon + 1));
    // Port 0: any free port (serve prints the one it got), for tests and one-off runs.
    if (ec || port < 0 || port > 65535)
      return error("/listen", "must be ADDRESS:PORT with an IP address, not \"" + *text + "\"",
                   "\"127.0.0.1:9443\" (the default), or \"0.0.0.0:9443\" to be reachable from other hosts");
    config_.listen = {address, static_cast<std::uint16_t>(port)};
  }

  void read_tls() {
    const json* tls = member(doc_, "tls");
    if (!tls) return;
    if (!tls->is_object()) return error("/tls", "must be an object", "{\"cert\": \"serve.crt\", \"key\": \"serve.key\"}");
    known_keys("/tls", *tls, {"cert", "key"});
    auto cert = string_at("/tls/cert", *tls, "cert", true);
    auto key = string_at("/tls/key", *tls, "key", true);
    if (!cert || !key) return;
    serve_tls_files files{relative_path(*cert), relative_path(*key)};
    std::string why;
    if (!make_serve_tls_context(files, why)) error("/tls", why);
    config_.tls = std::move(files);
  }

  void read_auth() {
    const json* auth = member(doc_, "auth");
    if (!auth) return;
    if (!auth->is_object()) return error("/auth", "must be an object", "{\"basic\": [{\"username\": …, \"password_hash\": …}]}");
    known_keys("/auth", *auth, {"basic"});
    const json* basic = member(*auth, "basic");
    if (!basic || !basic->is_array() || basic->empty())
      return error(basic ? "/auth/basic" : "/auth", "needs \"basic\": a non-empty list of users");
    std::set<std::string> names;
    for (std::size_t i = 0; i < basic->size(); ++i) {
      const std::string pointer = child_pointer("/auth/basic", i);
      const json& user = (*basic)[i];
      if (!user.is_object()) {
        error(pointer, "must be an object with \"username\" and \"password_hash\"");
        continue;
      }
      known_keys(pointer, user, {"username", "password_hash"});
      auto name = string_at(pointer + "/username", user, "username", true);
      auto hash = string_at(pointer + "/password_hash", user, "password_hash", true);
      if (name && name->find(':') != std::string::npos)
        error(pointer + "/username", "cannot contain ':' (basic auth splits on it)");
      else if (name && !names.insert(*name).second)
        error(pointer + "/username", "\"" + *name + "\" is listed twice");
      // The message never quotes the hash: it is as good as a password to an offline attack.
      if (hash)
        if (auto problem = password_hash_problem(*hash)) error(pointer + "/password_hash", *problem);
      if (name && hash) config_.users.push_back({*name, *hash});
    }
  }

  void read_limits() {
    const json* limits = member(doc_, "limits");
    if (!limits) return;
    if (!limits->is_object()) return error("/limits", "must be an object");
    known_keys("/limits", *limits,
               {"max_request_bytes", "requests_per_second", "burst", "max_connections", "max_connections_per_address",
                "request_head_timeout"});
    auto& out = config_.limits;
    if (auto n = count_at("/limits/max_request_bytes", *limits, "max_request_bytes", 1024, 1 << 20)) out.max_request_bytes = *n;
    if (auto n = number_at("/limits/requests_per_second", *limits, "requests_per_second", 0.01, 1e6)) out.requests_per_second = *n;
    if (auto n = number_at("/limits/burst", *limits, "burst", 1, 1e6)) out.burst = *n;
    if (auto n = count_at("/limits/max_connections", *limits, "max_connections", 1, 10000)) out.max_connections = *n;
    out.max_connections_per_address = std::max<std::size_t>(1, out.max_connections / 4);
    if (auto n = count_at("/limits/max_connections_per_address", *limits, "max_connections_per_address", 1, 10000)) {
      if (*n > out.max_connections)
        error("/limits/max_connections_per_address", "must not be more than max_connections (" +
                                                         std::to_string(out.max_connections) + ")");
      out.max_connections_per_address = *n;
    }
    if (auto d = duration_between("/limits/request_head_timeout", *limits, "request_head_timeout",
                                  std::chrono::milliseconds(100), std::chrono::minutes(1)))
      out.request_head_timeout = *d;
  }

  void read_close() {
    auto text = string_at("/close", doc_, "close");
    if (!text) return;
    if (*text != "fin" && *text != "rst")
      return error("/close", "must be \"fin\" or \"rst\", not \"" + *text + "\"",
                   "\"rst\" leaves no TIME_WAIT on this host when checks run often");
    config_.close_rst = *text == "rst";
  }

  void read_suites() {
    const json* suites = member(doc_, "suites");
    if (!suites) return error("", "needs \"suites\"", "\"suites\": [{\"file\": \"edge.json\", \"interval\": \"60s\"}]");
    if (!suites->is_array() || suites->empty()) return error("/suites", "must be a non-empty list");
    for (std::size_t i = 0; i < suites->size(); ++i) read_suite(child_pointer("/suites", i), (*suites)[i]);
  }

  void read_suite(const std::string& pointer, const json& entry) {
    if (!entry.is_object()) return error(pointer, "must be an object with \"file\" and \"interval\"");
    known_keys(pointer, entry, {"name", "file", "interval", "jitter", "vars", "timeout_scale"});
    scheduled_suite out;
    auto file = string_at(pointer + "/file", entry, "file", true);
    auto interval = duration_at(pointer + "/interval", entry, "interval");
    if (!member(entry, "interval")) error(pointer, "needs \"interval\"", "\"interval\": \"60s\"");
    if (interval && *interval < min_interval) {
      error(pointer + "/interval", "must be at least 100ms");
      interval.reset();
    }
    if (interval) out.interval = *interval;
    if (auto jitter = duration_at(pointer + "/jitter", entry, "jitter")) {
      if (interval && *jitter > *interval) error(pointer + "/jitter", "must not be longer than the interval");
      out.jitter = *jitter;
    }
    if (auto scale = number_at(pointer + "/timeout_scale", entry, "timeout_scale", 0.01, 100)) out.timeout_scale = *scale;
    load_options load{.probes = builtin_probes()};
    if (config_.close_rst) load.outer_defaults["close"] = "rst";
    if (const json* vars = member(entry, "vars")) {
      if (!vars->is_object()) error(pointer + "/vars", "must be an object of strings");
      else
        for (const auto& [name, value] : vars->items()) {
          if (value.is_string()) load.vars[name] = value.get<std::string>();
          else error(child_pointer(pointer + "/vars", name), "must be a string");
        }
    }
    if (!file) return;
    out.file = relative_path(*file);
    auto loaded = load_suite_file(out.file, load);
    if (!loaded.suite) {
      error(pointer + "/file", "the suite " + out.file.string() + " does not load (its errors follow)");
      suite_errors_.insert(suite_errors_.end(), loaded.errors.begin(), loaded.errors.end());
      return;
    }
    auto name = string_at(pointer + "/name", entry, "name");
    if (name && !syntax::matches(syntax::suite_name(), *name))
      return error(pointer + "/name", "must be letters, digits, '.', '_' and '-'", "for example \"edge-dmz\"");
    out.name = name ? *name : loaded.suite->name;
    if (config_.find_suite(out.name))
      return error(pointer + (name ? "/name" : "/file"), "another suite is already named \"" + out.name + "\"",
                   "give one of them a \"name\"");
    out.loaded = std::make_shared<const suite>(std::move(*loaded.suite));
    config_.suites.push_back(std::move(out));
  }

  serve_load_result finish() {
    serve_load_result result;
    std::stable_sort(errors_.begin(), errors_.end(), [](const diagnostic& a, const diagnostic& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    result.errors = std::move(errors_);
    result.errors.insert(result.errors.end(), suite_errors_.begin(), suite_errors_.end());
    if (result.errors.empty()) result.config = std::move(config_);
    return result;
  }

  std::string text_, label_;
  std::filesystem::path base_dir_;
  json doc_;
  json_locator locator_;
  serve_config config_;
  std::vector<diagnostic> errors_, suite_errors_;
};

} // namespace

serve_load_result load_serve_config_text(std::string text, const std::string& label,
                                         const std::filesystem::path& base_dir) {
  return config_reader(std::move(text), label, base_dir).run();
}

serve_load_result load_serve_config(const std::filesystem::path& path) {
  std::string text, why;
  if (!read_text_file(path, text, why)) {
    serve_load_result result;
    result.errors.push_back({path.string(), "", 0, 0, "cannot read the serve config: " + why, ""});
    return result;
  }
  return load_serve_config_text(std::move(text), path.string(), path.parent_path());
}

} // namespace edgeprobe
