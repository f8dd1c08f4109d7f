#include "support/chromium.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace edgeprobe::test {

namespace {

// PNG → pixel counts, in python3's standard library only (zlib for the image
// data; the five scanline filters undone by hand; Up, the most common one in
// Chromium's screenshots, a whole row at a time with masks). Prints one JSON
// object, {"error": ...} when the file is not a PNG it can read.
constexpr const char* png_script = R"py(
import collections, json, struct, sys, zlib

def fail(why):
    print(json.dumps({"error": why}))
    sys.exit(0)

data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n": fail("no PNG signature")
pos, idat, ihdr = 8, [], None
while pos + 12 <= len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] != zlib.crc32(kind + body):
        fail("bad CRC in chunk " + kind.decode("latin-1"))
    if kind == b"IHDR": ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT": idat.append(body)
    elif kind == b"IEND": break
    pos += 12 + length
if ihdr is None: fail("no IHDR chunk")
width, height, depth, colour_type, _, _, interlace = ihdr
if depth != 8 or colour_type not in (2, 6) or interlace:
    fail("unsupported PNG: depth %d, colour type %d, interlace %d" % (depth, colour_type, interlace))
bpp = 3 if colour_type == 2 else 4
stride = width * bpp
raw = zlib.decompress(b"".join(idat))
if len(raw) != height * (stride + 1): fail("image data is %d bytes, not %d" % (len(raw), height * (stride + 1)))
low = int.from_bytes(b"\x7f" * stride, "big")
high = int.from_bytes(b"\x80" * stride, "big")

def add_bytes(a, b):  # (a + b) mod 256 in every byte of a row
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    return bytearray((((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(stride, "big"))

counts = collections.Counter()
prev = bytearray(stride)
for row in range(height):
    start = row * (stride + 1)
    kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
    if kind == 1:
        for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
    elif kind == 2:
        line = add_bytes(line, prev)
    elif kind == 3:
        for i in range(stride): line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif kind == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    elif kind != 0: fail("unknown filter type %d in row %d" % (kind, row))
    counts.update(zip(line[0::bpp], line[1::bpp], line[2::bpp]))
    prev = line
wanted = {}
for colour in sys.argv[2:]:
    target = bytes.fromhex(colour)
    wanted[colour] = sum(n for c, n in counts.items() if all(abs(c[i] - target[i]) <= 3 for i in range(3)))
top = counts.most_common(1)
print(json.dumps({"width": width, "height": height, "pixels": width * height,
                  "white": counts.get((255, 255, 255), 0), "background": top[0][1] if top else 0,
                  "colours": wanted}))
)py";

// Flags that keep the browser quiet on the network and reproducible: a
// throwaway profile, no first-run work, no background fetches (component
// updates, safe browsing lists, ...) and no DNS at all. Measured: without
// them one screenshot sent 40 packets off this host; with them, none.
std::vector<std::string> quiet_flags(const std::filesystem::path& profile) {
  return {"--headless=new",
          "--no-sandbox", // the tests run as root, where Chromium's sandbox refuses to start
          "--disable-gpu",
          "--user-data-dir=" + profile.string(),
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-default-apps",
          "--disable-extensions",
          "--disable-domain-reliability",
          "--no-pings",
          "--host-resolver-rules=MAP * ~NOTFOUND",
          // Console messages (and CSP violations, which are console messages)
          // go to stderr, where console_messages() finds them.
          "--enable-logging=stderr",
          "--v=0"};
}

} // namespace

std::string chromium_path() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / "chromium";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

chromium_render render_screenshot(const std::filesystem::path& html, const std::filesystem::path& png, int width,
                                  int height) {
  temp_dir profile;
  // timeout(1) signals chromium's whole process group, renderer and GPU
  // process included, so a hung render can never outlive the test.
  std::vector<std::string> argv{"timeout", "-k", "5", "60", chromium_path()};
  for (auto& flag : quiet_flags(profile.path())) argv.push_back(std::move(flag));
  argv.push_back("--window-size=" + std::to_string(width) + "," + std::to_string(height));
  argv.push_back("--screenshot=" + png.string());
  argv.push_back("file://" + std::filesystem::absolute(html).string());
  chromium_render result;
  auto run = run_process(argv, std::chrono::seconds(90));
  result.exit_code = run.exit_code;
  result.console = console_messages(run.err);
  result.err = std::move(run.err);
  return result;
}

std::vector<std::string> console_messages(std::string_view chromium_stderr) {
  std::vector<std::string> found;
  while (!chromium_stderr.empty()) {
    const auto end = chromium_stderr.find('\n');
    const auto line = chromium_stderr.substr(0, end);
    chromium_stderr.remove_prefix(end == std::string_view::npos ? chromium_stderr.size() : end + 1);
    const bool console = line.find(":CONSOLE:") != std::string_view::npos ||
                         line.find(":CONSOLE(") != std::string_view::npos;
    const bool policy = line.find("Content Security Policy") != std::string_view::npos ||
                        line.find("Content-Security-Policy") != std::string_view::npos;
    if (console || policy) found.emplace_back(line);
  }
  return found;
}

png_facts read_png(const std::filesystem::path& png, const std::vector<std::string>& colours) {
  std::vector<std::string> argv{"python3", "-c", png_script, png.string()};
  argv.insert(argv.end(), colours.begin(), colours.end());
  const auto run = run_process(argv);
  png_facts facts;
  const auto json = nlohmann::json::parse(run.out, nullptr, false);
  if (run.exit_code != 0 || !json.is_object()) {
    facts.error = "python3 could not read " + png.string() + ": " + run.err;
    return facts;
  }
  if (json.contains("error")) {
    facts.error = json["error"].get<std::string>();
    return facts;
  }
  facts.width = json["width"].get<int>();
  facts.height = json["height"].get<int>();
  facts.pixels = json["pixels"].get<long>();
  facts.white = json["white"].get<long>();
  facts.background = json["background"].get<long>();
  for (const auto& [colour, count] : json["colours"].items()) facts.colours[colour] = count.get<long>();
  return facts;
}

} // namespace edgeprobe::test
