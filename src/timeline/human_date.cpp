// SPDX-License-Identifier: Apache-2.0
// Human dates in a zone via the system tz database (localtime_r with TZ set explicitly).
#include "deadbox/timeline/human_date.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::timeline {
namespace {

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool valid_zone_name(const std::string& z) {
  // An IANA name is letters, digits and _+-/ with no "." component: nothing can escape
  // /usr/share/zoneinfo or name a host file.
  if (z.empty() || z.size() > 64 || z.front() == '/') return false;
  for (char c : z) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return z.find("//") == std::string::npos;
}

}  // namespace

HumanDate::HumanDate(std::string zone) : zone_(std::move(zone)) {
  if (zone_ == "UTC" || zone_ == "Etc/UTC" || zone_ == "Z") return;
  struct stat st {};
  const std::string file = "/usr/share/zoneinfo/" + zone_;
  if (!valid_zone_name(zone_) || ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw Error(Layer::kTimeline, "bad_zone", "--tz",
                "unknown time zone '" + escape::terminal(zone_) + "' (not in /usr/share/zoneinfo)");
  utc_ = false;
  if (const char* old = std::getenv("TZ")) saved_tz_ = old;
  ::setenv("TZ", zone_.c_str(), 1);
  ::tzset();
}

HumanDate::~HumanDate() {
  if (utc_) return;
  if (saved_tz_) {
    ::setenv("TZ", saved_tz_->c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

std::string HumanDate::format(int64_t ns) const {
  const time_t secs = static_cast<time_t>(timefmt::seconds_of(ns));
  struct tm tm {};
  if ((utc_ ? ::gmtime_r(&secs, &tm) : ::localtime_r(&secs, &tm)) == nullptr)
    return "Xxx Xxx 00 0000 00:00:00";  // mactime's rendering of an unrepresentable time
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %s %02d %04lld %02d:%02d:%02d", kDays[tm.tm_wday % 7],
                kMonths[tm.tm_mon % 12], tm.tm_mday, static_cast<long long>(tm.tm_year) + 1900,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace deadbox::timeline
