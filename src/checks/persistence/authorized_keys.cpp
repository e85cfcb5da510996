// SPDX-License-Identifier: Apache-2.0
// persistence/authorized_keys: SSH keys that grant access in unusual ways: forced commands,
// keys in system accounts' homes, keys for root, authorized_keys2, keys written by Redis
// (reported by persistence/redis_written_file). Ref: https://attack.mitre.org/techniques/T1098/004/
#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  for (const auto& r : records.of("unix/ssh_authorized_key")) {
    if (r.flag("redis_rdb") == true) continue;  // one finding, from redis_written_file
    const std::string_view path = r.source->path;
    const auto user = r.str("user");
    const auto fp = r.str("fingerprint").value_or("(unparsed key)");
    const auto comment = r.str("comment").value_or("");
    Severity sev = Severity::kInfo;
    std::vector<std::string> why;
    auto raise = [&](Severity s, std::string reason) {
      sev = std::max(sev, s);
      why.push_back(std::move(reason));
    };
    // Homes outside /root and /home belong to service accounts, which nobody logs into.
    if (!user) raise(Severity::kHigh, "key in a system account's home (" + cmd::cap(path, 120) + ")");
    else if (*user == "root") raise(Severity::kLow, "key grants root login");
    if (path.ends_with("authorized_keys2"))
      raise(Severity::kMedium, "uses the deprecated authorized_keys2 file");
    if (auto c = r.str("command")) {
      const auto t = cmd::analyze(*c, k);
      const bool bad = t.reverse_shell || t.downloads() || t.decodes || !t.odd_program.empty();
      raise(bad ? Severity::kHigh : Severity::kMedium,
            "forced command" + (bad ? " that " + t.summary() : std::string()) + ": " + cmd::cap(*c, 120));
    }
    if (why.empty()) continue;  // an ordinary user's key: recorded, not a finding
    Finding f;
    f.severity = sev;
    std::string msg = "authorized key " + std::string(fp);
    if (!comment.empty()) msg += " (" + cmd::cap(comment, 80) + ")";
    msg += ": ";
    for (size_t i = 0; i < why.size(); ++i) msg += (i ? "; " : "") + why[i];
    if (auto from = r.str("from")) msg += "; restricted to from=" + cmd::cap(*from, 80);
    f.message = msg;
    f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or("")));
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kPersistenceAuthorizedKeys{
    .id = "persistence/authorized_keys",
    .title = "SSH authorized key with unusual placement or options",
    .severity = Severity::kMedium,
    .attack_id = "T1098.004",
    .description =
        "authorized_keys entries that give access in ways admins rarely set up: keys in system "
        "accounts' homes (high), forced commands (command=; high when the command downloads or "
        "runs from odd places), the deprecated authorized_keys2 file (medium), and keys for "
        "root (low, listed for review). Keys written through Redis are reported by "
        "persistence/redis_written_file. An ordinary user's key is not a finding.",
    .false_positives = "Backup and deployment keys often use command= (rrsync, borg serve); "
                       "some distributions keep service homes under /var/lib with real keys.",
    .needs = {"unix/ssh_authorized_key"},
    .references = {"https://attack.mitre.org/techniques/T1098/004/",
                   "https://man.openbsd.org/sshd.8#AUTHORIZED_KEYS_FILE_FORMAT"},
    .run = &run};

}  // namespace deadbox::checks
