// SPDX-License-Identifier: Apache-2.0
// execution/history_download_exec: shell histories with download-and-execute (one line, or a
// download followed within a few commands by chmod +x / ./x / sh x), reverse shells, and
// programs started from temporary or hidden places. Ref: https://attack.mitre.org/techniques/T1105/,
// https://attack.mitre.org/techniques/T1059/004/
#include <deque>
#include <string>
#include <vector>

#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

// How many following commands may complete a "download, then run it" sequence.
constexpr size_t kFollowWindow = 10;

// Names the download may have produced: the URL's last path segment and any -O/-o target,
// so that `wget …/README` followed by `chmod +x /usr/local/bin/backup.sh` does not match.
std::vector<std::string> fetched_names(std::string_view c) {
  std::vector<std::string> names;
  std::string_view rest = c;
  std::string_view prev;
  while (!rest.empty()) {
    const auto sp = rest.find_first_of(" \t");
    std::string_view w = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    if (w.empty()) continue;
    const bool url = w.find("://") != std::string_view::npos;
    const bool target = prev == "-O" || prev == "-o" || prev == "--output" || prev == "--output-document";
    if (w.starts_with("-O") && w.size() > 2 && w != "-O-") w.remove_prefix(2), prev = "-O";
    if (url || target || prev == "-O") {
      while (!w.empty() && (w.back() == '/' || w.back() == '\'' || w.back() == '"')) w.remove_suffix(1);
      const auto slash = w.rfind('/');
      std::string_view name = slash == std::string_view::npos ? w : w.substr(slash + 1);
      const auto q = name.find_first_of("?#");
      name = name.substr(0, q);
      if (!name.empty() && name != "-" && name.find("://") == std::string_view::npos &&
          !(url && w.find('/', w.find("://") + 3) == std::string_view::npos))
        names.emplace_back(name);
    }
    prev = w;
  }
  return names;
}

// Archive and script suffixes: `wget …/xmrig.tar.gz` is later run as `./xmrig`.
std::string_view stem(std::string_view n) {
  for (std::string_view ext : {".tar.gz", ".tar.xz", ".tar.bz2", ".tgz", ".zip", ".tar", ".gz", ".sh",
                               ".py", ".pl", ".bin", ".elf"})
    if (n.size() > ext.size() && n.ends_with(ext)) return n.substr(0, n.size() - ext.size());
  return n;
}

bool mentions_any(std::string_view c, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    const auto s = stem(n);
    if (s.size() >= 3 && c.find(s) != std::string_view::npos) return true;
  }
  return false;
}

void emit(const parsers::Record& r, Severity sev, std::string_view attack, std::string msg,
          std::vector<Evidence> ev, FindingSink& out) {
  Finding f;
  f.severity = sev;
  f.attack_id = std::string(attack);
  f.message = std::move(msg);
  f.evidence = std::move(ev);
  for (const auto& e : f.evidence)
    for (const auto& [name, t] : e.times)
      if (name == "time") {
        if (!f.first_seen || t < *f.first_seen) f.first_seen = t;
        if (!f.last_seen || t > *f.last_seen) f.last_seen = t;
      }
  (void)r;
  out.add(std::move(f));
}

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  const auto& recs = records.of("unix/shell_history");
  const parsers::Source* file = nullptr;
  struct Download {
    const parsers::Record* record;
    size_t age;
    std::vector<std::string> names;
  };
  std::deque<Download> recent_downloads;
  std::optional<std::string> cwd_place;  // `cd /tmp` typed earlier in the same history
  for (const auto& r : recs) {
    if (r.source.get() != file) {
      file = r.source.get();
      recent_downloads.clear();
      cwd_place.reset();
    }
    for (auto& d : recent_downloads) ++d.age;
    while (!recent_downloads.empty() && recent_downloads.front().age > kFollowWindow)
      recent_downloads.pop_front();
    const std::string_view c = r.str("command").value_or("");
    cmd::Traits t = cmd::analyze(c, k);
    if (c.starts_with("cd ")) {
      const auto dir = c.substr(3, c.find_first_of(" ;&|", 3) - 3);
      cwd_place = cmd::odd_place(std::string(dir) + "/", k);
    }
    if (t.odd_program.empty() && cwd_place && *cwd_place != "home directory") {
      // `./x` (possibly after nohup) run from a temporary or hidden working directory.
      for (std::string_view lead : {"./", "nohup ./", "sh ./", "bash ./"})
        if (c.starts_with(lead)) {
          t.odd_program = std::string(c.substr(lead.size() - 2, c.find(' ', lead.size()) - lead.size() + 2));
          t.odd_place = *cwd_place;
        }
    }
    const auto who = std::string(r.str("user").value_or("?"));
    if (t.reverse_shell) {
      emit(r, Severity::kHigh, "T1059.004", "reverse shell in " + who + "'s history: " + cmd::cap(c, 200),
           {cmd::evidence_of(r, c)}, out);
      continue;
    }
    if (t.downloads() && (t.pipes_to_shell || t.runs_download)) {
      // Vendor installers (`curl -fsSL https://get.docker.com | sh`) look the same; a named
      // https source is medium, plain http or a bare IP high.
      const bool vendorish = t.https_named_url && !t.raw_ip_url;
      emit(r, vendorish ? Severity::kMedium : Severity::kHigh, "T1105",
           "download-and-execute in " + who + "'s history (" + t.summary() + "): " + cmd::cap(c, 200),
           {cmd::evidence_of(r, c)}, out);
      continue;
    }
    if (t.decodes && t.pipes_to_shell) {
      emit(r, Severity::kHigh, "T1059.004",
           "decoded payload piped into a shell in " + who + "'s history: " + cmd::cap(c, 200),
           {cmd::evidence_of(r, c)}, out);
      continue;
    }
    // Running something out of /tmp, /dev/shm or a hidden folder, or chmod +x there,
    // shortly after a download: the classic fetch / chmod / run sequence.
    const bool runs_odd = !t.odd_program.empty() && t.odd_place != "home directory";
    const Download* follows = nullptr;
    if (runs_odd || t.chmod_exec || c.starts_with("./") || c.starts_with("sh ") ||
        c.starts_with("bash ")) {
      for (auto it = recent_downloads.rbegin(); it != recent_downloads.rend() && !follows; ++it)
        if (mentions_any(c, it->names) || (it->names.empty() && runs_odd)) follows = &*it;
    }
    if (follows != nullptr) {
      const auto* d = follows->record;
      emit(r, Severity::kHigh, "T1105",
           "download then execution in " + who + "'s history: " +
               cmd::cap(d->str("command").value_or(""), 150) + " … " + cmd::cap(c, 150),
           {cmd::evidence_of(*d, d->str("command").value_or("")), cmd::evidence_of(r, c)}, out);
      recent_downloads.clear();
      continue;
    }
    if (runs_odd && t.background) {
      emit(r, Severity::kHigh, "T1059.004",
           "program started in the background from a " + t.odd_place + " in " + who +
               "'s history: " + cmd::cap(c, 200),
           {cmd::evidence_of(r, c)}, out);
      continue;
    }
    if (t.downloads()) {
      recent_downloads.push_back({&r, 0, fetched_names(c)});
      // A fetch from a bare IP, or into a temporary folder, is unusual admin behaviour.
      if (t.raw_ip_url)
        emit(r, Severity::kMedium, "T1105",
             "download from a bare IP address in " + who + "'s history: " + cmd::cap(c, 200),
             {cmd::evidence_of(r, c)}, out);
    }
  }
}

}  // namespace

extern const Check kExecutionHistoryDownloadExec{
    .id = "execution/history_download_exec",
    .title = "Shell history shows download-and-execute or a reverse shell",
    .severity = Severity::kHigh,
    .attack_id = "T1105",
    .description =
        "Commands in bash/zsh/fish/sh histories that download and run code in one line (| sh, "
        "$(curl …)), download then make executable or run within the next 10 commands, open "
        "reverse shells (bash -i >& /dev/tcp/…, nc -e, socat exec:, scripted sockets; "
        "T1059.004), or start programs in the background from /tmp, /dev/shm or hidden "
        "directories. Downloads from bare IP addresses alone are medium; plain downloads "
        "(curl -I, wget of a tarball) are not findings.",
    .false_positives = "Vendor installers piped into sh from their https site (reported as "
                       "medium); developers running freshly built binaries after a git pull.",
    .needs = {"unix/shell_history"},
    .references = {"https://attack.mitre.org/techniques/T1105/",
                   "https://attack.mitre.org/techniques/T1059/004/"},
    .run = &run};

}  // namespace deadbox::checks
