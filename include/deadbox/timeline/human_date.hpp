// SPDX-License-Identifier: Apache-2.0
// mactime's human date ("Thu Jan 01 1970 00:01:40") in a chosen zone, from the host's tz
// database. The zone is always explicit, so the analyst's own TZ never changes an output byte.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace deadbox::timeline {

class HumanDate {
 public:
  /// zone: "UTC" (default, no tz database needed) or an IANA name under /usr/share/zoneinfo
  /// ("Europe/Berlin"). Throws deadbox::Error (layer timeline, code "bad_zone") when the name
  /// is malformed or not installed. While a non-UTC HumanDate lives, the process TZ is set to
  /// the zone (restored by the destructor): not for concurrent use with other TZ users.
  explicit HumanDate(std::string zone = "UTC");
  ~HumanDate();
  HumanDate(const HumanDate&) = delete;
  HumanDate& operator=(const HumanDate&) = delete;

  /// "Thu Jan 01 1970 00:01:40" (seconds; C-locale names regardless of LC_TIME).
  std::string format(int64_t ns) const;
  const std::string& zone() const { return zone_; }

 private:
  std::string zone_;
  bool utc_ = true;
  std::optional<std::string> saved_tz_;
};

}  // namespace deadbox::timeline
