// SPDX-License-Identifier: Apache-2.0
// files/indicator_content: the responders' `egrep 'curl|wget' -R /` done offline and scoped:
// mining pools, stratum URLs and wallets (critical), IRC bot traffic and dynamic-DNS names
// (high), download tools in unpackaged files in odd places (medium; high inside ELF).
#include <map>
#include <set>
#include <vector>

#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

constexpr size_t kMaxEvidence = 10;
constexpr std::string_view kHistoryNames[] = {".bash_history", ".zsh_history", ".sh_history",
                                              ".ash_history",  ".history",     ".zhistory",
                                              "fish_history"};

struct Group {
  std::string kind;  // miner, c2, download
  std::vector<const parsers::Record*> hits;
};

std::string_view group_of(std::string_view kind) {
  if (kind == "miner" || kind == "mining_pool" || kind == "wallet") return "miner";
  if (kind == "irc") return "irc";
  if (kind == "dynamic_dns") return "dynamic_dns";
  if (kind == "download_tool") return "download";
  return {};
}

bool odd_place(std::string_view path) {
  return under_any(path, {"/boot", "/tmp", "/var/tmp", "/dev/shm", "/etc", "/var/spool",
                          "/usr/local", "/opt", "/root"}) ||
         path.find("/.") != std::string_view::npos;
}

void emit(const std::string& group, const std::vector<const parsers::Record*>& hits,
          FindingSink& out) {
  const parsers::Record& first = *hits.front();
  const std::string_view path = path_of(first);
  const bool elf = first.flag("is_elf").value_or(false);
  const bool packaged = first.flag("package_owned").value_or(false);
  const bool swap = first.flag("in_swap").value_or(false);
  std::set<std::string> indicators;
  for (const auto* h : hits) indicators.insert(std::string(h->str("indicator").value_or("")));
  Finding f;
  std::string what;
  if (group == "miner") {
    f.severity = packaged ? Severity::kMedium : Severity::kCritical;
    f.attack_id = "T1496.001";
    what = swap ? "Cryptominer strings in swap (a miner ran)" : "Cryptominer indicators";
  } else if (group == "irc") {
    if (indicators.size() < 2 || packaged) return;  // one IRC word alone is too common
    f.severity = Severity::kHigh;
    f.attack_id = "T1071";
    what = "IRC bot commands";
  } else if (group == "dynamic_dns") {
    if (packaged) return;
    f.severity = swap ? Severity::kMedium : Severity::kHigh;
    f.attack_id = "T1568";
    what = "Dynamic-DNS names";
  } else {
    // Shell histories are the execution checks' business; packaged scripts are expected.
    const std::string_view name = first.str("name").value_or("");
    for (std::string_view h : kHistoryNames)
      if (name == h) return;
    if (packaged || swap || !(elf || odd_place(path))) return;
    f.severity = elf ? Severity::kHigh : Severity::kMedium;
    f.attack_id = "T1105";
    what = elf ? "Download commands inside an executable" : "Download commands in a file";
  }
  f.message = what + " (";
  size_t n = 0;
  for (const auto& i : indicators) f.message += (n++ ? ", " : "") + i;
  f.message += "): " + std::string(path);
  for (const auto* h : hits) {
    if (f.evidence.size() >= kMaxEvidence) break;
    Evidence e = evidence_of(*h, std::string(h->str("excerpt").value_or("")));
    e.line = 0;
    f.evidence.push_back(std::move(e));
  }
  set_seen(f);
  out.add(std::move(f));
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  // (volume, path, inode, group) → hits, in record order (files sorted by path).
  std::map<std::tuple<std::string, std::string, uint64_t, std::string>,
           std::vector<const parsers::Record*>>
      groups;
  std::vector<std::tuple<std::string, std::string, uint64_t, std::string>> order;
  for (const auto& r : records.of(kContent)) {
    const std::string_view g = group_of(r.str("indicator_kind").value_or(""));
    if (g.empty() || !r.source) continue;
    auto key = std::make_tuple(r.source->volume, r.source->path, r.source->inode, std::string(g));
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) order.push_back(key);
    it->second.push_back(&r);
  }
  for (const auto& key : order) emit(std::get<3>(key), groups[key], out);
}

}  // namespace

extern const Check kFilesIndicatorContent{
    .id = "files/indicator_content",
    .title = "Malware indicators in file contents",
    .severity = Severity::kHigh,
    .attack_id = "T1496.001",
    .description =
        "Content scan of unpackaged files in odd places, everything under /boot, /tmp, /etc, "
        "/root, /home, /var/spool, /usr/local and /opt, ELF files outside the binary "
        "directories, core dumps and swap, for mining-pool domains, stratum URLs and Monero "
        "wallets (critical, T1496.001), IRC bot commands (two different ones, high, T1071), "
        "dynamic-DNS domains (high, T1568) and download tools (medium in files, high inside "
        "an ELF, T1105). Indicator lists are data in artifacts/lists/.",
    .false_positives =
        "Admin scripts in /etc or /usr/local that call curl or wget (medium); documentation "
        "mentioning a pool or a dynamic-DNS provider; a packaged miner (reported medium). "
        "Shell histories are left to the execution checks.",
    .needs = {"fs/content_match"},
    .references = {"https://attack.mitre.org/techniques/T1496/001/",
                   "https://attack.mitre.org/techniques/T1105/",
                   "https://attack.mitre.org/techniques/T1568/",
                   "https://attack.mitre.org/techniques/T1071/"},
    .run = &run,
};

}  // namespace deadbox::checks
