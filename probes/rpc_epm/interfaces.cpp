// The interfaces the rpc-epm probe knows by name.
#include "probes/rpc_epm/interfaces.hpp"

#include "wire/ascii.hpp"

namespace edgeprobe::dcerpc {

namespace {

constexpr syntax_id iface(std::string_view text, std::uint16_t major, std::uint16_t minor) {
  return syntax_id{*parse_uuid(text), major, minor};
}

// Versions: the Windows protocol specifications ([MS-LSAD], [MS-SAMR],
// [MS-NRPC], [MS-DRSR], [MS-SRVS], [MS-RRP], [MS-RPRN], [MS-OXCRPC] 0.81,
// [MS-OXNSPI] 56.0, [MS-OXABREF] 1.0), checked against what Samba 4.17's
// endpoint mapper registers for the ones it serves.
constexpr known_interface table[] = {
    {"epm", "epmapper", "endpoint mapper (C706)", iface("e1af8308-5d1f-11c9-91a4-08002b14a0fa", 3, 0)},
    {"lsarpc", "", "LSA (MS-LSAD)", iface("12345778-1234-abcd-ef00-0123456789ab", 0, 0)},
    {"samr", "", "SAM remote (MS-SAMR)", iface("12345778-1234-abcd-ef00-0123456789ac", 1, 0)},
    {"netlogon", "", "Netlogon (MS-NRPC)", iface("12345678-1234-abcd-ef00-01234567cffb", 1, 0)},
    {"drsuapi", "", "directory replication (MS-DRSR)", iface("e3514235-4b06-11d1-ab04-00c04fc2dcd2", 4, 0)},
    {"srvsvc", "", "server service (MS-SRVS)", iface("4b324fc8-1670-01d3-1278-5a47bf6ee188", 3, 0)},
    {"winreg", "", "remote registry (MS-RRP)", iface("338cd001-2244-31f1-aaaa-900038001003", 1, 0)},
    {"spoolss", "", "print spooler (MS-RPRN)", iface("12345678-1234-abcd-ef00-0123456789ab", 1, 0)},
    {"emsmdb", "mapi", "Exchange MAPI (MS-OXCRPC)", iface("a4f1db00-ca47-1067-b31f-00dd010662da", 0, 81)},
    {"nspi", "", "Exchange address book (MS-OXNSPI)", iface("f5cc5a18-4264-101a-8c59-08002b2f8426", 56, 0)},
    {"rfr", "", "Exchange address book referral (MS-OXABREF)", iface("1544f5e0-613c-11d1-93df-00c04fd7bd09", 1, 0)},
    // Further interfaces a Windows or Samba endpoint mapper lists, so that
    // enumerated endpoints get a name in evidence.
    {"wkssvc", "", "workstation service (MS-WKST)", iface("6bffd098-a112-3610-9833-46c3f87e345a", 1, 0)},
    {"svcctl", "", "service control manager (MS-SCMR)", iface("367abb81-9844-35f1-ad32-98f038001003", 2, 0)},
    {"eventlog", "", "event log (MS-EVEN)", iface("82273fdc-e32a-18c3-3f78-827929dc23ea", 0, 0)},
    {"netdfs", "", "DFS (MS-DFSNM)", iface("4fc742e0-4a10-11cf-8273-00aa004ae673", 3, 0)},
    {"dssetup", "", "directory services setup (MS-DSSP)", iface("3919286a-b10c-11d0-9ba8-00c04fd92ef5", 0, 0)},
    {"initshutdown", "", "remote shutdown (MS-RSP)", iface("894de0c0-0d55-11d3-a322-00c04fa321a1", 1, 0)},
    {"ntsvcs", "", "plug and play (MS-PNPR)", iface("8d9f4e40-a03d-11ce-8f69-08003e30051b", 1, 0)},
};

} // namespace

std::span<const known_interface> known_interfaces() { return table; }

const known_interface* find_interface(std::string_view name) {
  // An empty name would match every interface without an alias.
  if (name.empty()) return nullptr;
  for (const auto& k : table)
    if (iequals_ascii(k.name, name) || iequals_ascii(k.alias, name)) return &k;
  return nullptr;
}

const known_interface* find_interface(const uuid& id) {
  for (const auto& k : table)
    if (k.id.id == id) return &k;
  return nullptr;
}

} // namespace edgeprobe::dcerpc
