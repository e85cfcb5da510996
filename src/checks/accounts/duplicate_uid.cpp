// SPDX-License-Identifier: Apache-2.0
// accounts/duplicate_uid: two account names sharing one uid in the same passwd file.
#include <map>
#include <tuple>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  // Per file: /etc/passwd and its backup passwd- are separate views, not duplicates.
  std::map<std::tuple<std::string, std::string, int64_t>, std::vector<const parsers::Record*>> by;
  for (const auto& r : records.of(logins::kPasswd))
    if (auto uid = r.i64("uid"); uid && *uid != 0)  // uid 0: accounts/uid0_non_root
      by[{r.source->volume, r.source->path, *uid}].push_back(&r);
  for (const auto& [key, recs] : by) {
    if (recs.size() < 2) continue;
    Finding f;
    f.severity = Severity::kMedium;
    std::string names;
    for (const auto* r : recs) {
      names += (names.empty() ? "'" : ", '") + std::string(r->str("name").value_or("")) + "'";
      logins::add_evidence(f, *r);
    }
    f.message = "uid " + std::to_string(std::get<2>(key)) + " is shared by " +
                std::to_string(recs.size()) + " accounts in " + std::get<1>(key) + ": " + names;
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kAccountsDuplicateUid{
    .id = "accounts/duplicate_uid",
    .title = "Several accounts share one uid",
    .severity = Severity::kMedium,
    .attack_id = "T1136.001",
    .description =
        "Two or more names with the same uid in one passwd file: a second name for an "
        "existing account gives its rights under a login the owner does not watch.",
    .false_positives =
        "Deliberate aliases (a second name for a service account), some NIS "
        "setups.",
    .needs = {"unix/passwd"},
    .references = {"https://attack.mitre.org/techniques/T1136/001/"},
    .run = &run,
};

}  // namespace deadbox::checks
