// SPDX-License-Identifier: Apache-2.0
// Recognises the log lines a responder greps for (sshd logins, useradd/userdel, sudo, su, cron
// CMD, ZMODEM) and extracts their fields. Private to the syslog parser.
#pragma once
#include <string_view>

#include "deadbox/parsers/record.hpp"

namespace deadbox::parsers {

/// Sets event, user, target_user, src_ip, src_port, method, command, uid, shell, group,
/// invalid_user on r when (program, message) is a known event; leaves r alone otherwise.
void extract_event(std::string_view program, std::string_view message, Record& r);

}  // namespace deadbox::parsers
