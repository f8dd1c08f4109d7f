#include "serve/serve_metrics.hpp"

#include "report/prometheus_report.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace edgeprobe {

namespace {

double unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void family(std::ostream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

std::size_t open_descriptors() {
  std::error_code ec;
  std::size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n > 0 ? n - 1 : 0; // the iterator's own descriptor
}

// statm's second field: resident pages.
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  double size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

void write_process_metrics(const serve_state& state, std::ostream& out) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  family(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.");
  out << "process_cpu_seconds_total " << cpu << '\n';
  family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out << "process_resident_memory_bytes " << resident_bytes() << '\n';
  family(out, "process_open_fds", "gauge", "Number of open file descriptors.");
  out << "process_open_fds " << open_descriptors() << '\n';
  family(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
  out << "process_max_fds " << static_cast<double>(files.rlim_cur) << '\n';
  family(out, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.");
  out << "process_start_time_seconds " << static_cast<long long>(unix_seconds(state.started)) << '\n';
}

} // namespace

void write_serve_metrics(const serve_state& state, std::ostream& out) {
  const auto g = state.current();
  const auto suites = g.scheduler->snapshot();
  const auto runs = latest_runs(suites);
  write_prometheus_runs(runs, out);

  // Suite names are restricted to letters, digits, '.', '_' and '-' (serve_config), so they need no escaping.
  family(out, "edgeprobe_serve_runs_total", "counter", "Runs of each scheduled suite that have ended.");
  for (const auto& s : suites) out << "edgeprobe_serve_runs_total{suite=\"" << s.name << "\"} " << s.runs << '\n';
  family(out, "edgeprobe_serve_check_lag_seconds", "histogram",
         "How late edgeprobe ran after the network had answered, per check, over every run since serve started.");
  for (const auto& s : suites) s.lag.write(out, s.name);
  family(out, "edgeprobe_serve_checks_in_flight", "gauge", "Checks of runs in progress that have not ended.");
  out << "edgeprobe_serve_checks_in_flight " << g.scheduler->checks_in_flight() << '\n';
  const auto reloads = state.reloads();
  family(out, "edgeprobe_serve_config_reloads_total", "counter", "Configuration reloads (SIGHUP) by result.");
  out << "edgeprobe_serve_config_reloads_total{result=\"success\"} " << reloads.succeeded << '\n';
  out << "edgeprobe_serve_config_reloads_total{result=\"failure\"} " << reloads.failed << '\n';
  family(out, "edgeprobe_serve_config_last_reload_successful", "gauge",
         "1 when the last configuration reload loaded (or there has been none), 0 when it was refused.");
  out << "edgeprobe_serve_config_last_reload_successful " << (reloads.last_ok ? 1 : 0) << '\n';
  write_process_metrics(state, out);
}

} // namespace edgeprobe
