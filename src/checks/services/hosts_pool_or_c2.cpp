// SPDX-License-Identifier: Apache-2.0
// services/hosts_pool_or_c2: /etc/hosts entries naming mining pools or dynamic-DNS hosts.
// Miners pin their pool there and blackhole competitors' pools (mapping them to 0.0.0.0 or
// 127.0.0.1), so either direction is evidence. Ref: https://attack.mitre.org/techniques/T1496/001/
#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

bool under(std::string_view name, std::string_view zone) {
  if (zone.empty()) return false;
  if (name == zone) return true;
  return name.size() > zone.size() && name.ends_with(zone) &&
         name[name.size() - zone.size() - 1] == '.';
}

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  const auto& pools = k.list("pool_domains");
  const auto& ddns = k.list("dynamic_dns_suffixes");
  for (const auto& r : records.of("unix/hosts")) {
    const std::string ip(r.str("ip").value_or(""));
    const bool sinkhole = ip == "0.0.0.0" || ip.starts_with("127.") || ip == "::1" || ip == "::";
    std::string_view names = r.str("names").value_or("");
    size_t count = 0;
    while (!names.empty() && count++ < 64) {
      const auto sp = names.find(' ');
      const std::string_view name = names.substr(0, sp);
      names = sp == std::string_view::npos ? std::string_view{} : names.substr(sp + 1);
      std::string zone, kind;
      for (const auto& p : pools)
        if (under(name, p)) zone = p, kind = "mining pool";
      if (zone.empty())
        for (const auto& d : ddns)
          if (under(name, d)) zone = d, kind = "dynamic-DNS";
      if (zone.empty()) continue;
      Finding f;
      const bool pool = kind == "mining pool";
      f.severity = pool ? Severity::kHigh : Severity::kMedium;
      f.attack_id = pool ? "T1496.001" : "T1568";
      f.message = "/etc/hosts maps " + kind + " name " + cmd::cap(name, 120) + " (" + zone +
                  ") to " + cmd::cap(ip, 60) +
                  (sinkhole ? ": blackholed, typical of a miner removing competitors"
                            : ": pinned address");
      f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or("")));
      out.add(std::move(f));
    }
  }
}

}  // namespace

extern const Check kServicesHostsPoolOrC2{
    .id = "services/hosts_pool_or_c2",
    .title = "/etc/hosts names a mining pool or dynamic-DNS host",
    .severity = Severity::kHigh,
    .attack_id = "T1496.001",
    .description =
        "/etc/hosts entries whose names fall under a mining-pool domain (pool_domains list; "
        "high, T1496.001 Compute Hijacking) or a dynamic-DNS zone such as 3322.org, no-ip.com, "
        "duckdns.org (dynamic_dns_suffixes list; medium, T1568 Dynamic Resolution). Entries "
        "pointing pools at 0.0.0.0/127.0.0.1 are reported too: miners blackhole rival pools.",
    .false_positives = "Administrators blocking pools on purpose via /etc/hosts; home users "
                       "reaching their own dynamic-DNS name.",
    .needs = {"unix/hosts"},
    .references = {"https://attack.mitre.org/techniques/T1496/001/",
                   "https://attack.mitre.org/techniques/T1568/"},
    .run = &run};

}  // namespace deadbox::checks
