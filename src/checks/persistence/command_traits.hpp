// SPDX-License-Identifier: Apache-2.0
// What a shell command line does, as far as text can tell: downloads, decodes, pipes into a
// shell, opens a reverse shell, or runs a program from a temporary or hidden place. Shared by
// the cron, at, systemd, start-up script and history checks so they judge commands alike.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "deadbox/checks/check.hpp"
#include "deadbox/parsers/record.hpp"

namespace deadbox::checks::cmd {

struct Traits {
  std::string download_tool;  ///< "curl", "wget", "python one-liner", … (empty: none)
  bool pipes_to_shell = false;     ///< `| sh`, `| bash -s`, `| python`
  bool runs_download = false;      ///< `$(curl …)`, `sh <(wget …)`, download + chmod/./x
  bool decodes = false;            ///< base64 -d, xxd -r, openssl enc -d
  bool reverse_shell = false;      ///< /dev/tcp, nc -e, socat exec:, scripted socket+shell
  bool chmod_exec = false;         ///< chmod +x / 7xx
  bool background = false;         ///< nohup or a trailing '&'
  bool raw_ip_url = false;         ///< a URL whose host is a bare IP address
  bool https_named_url = false;    ///< an https URL with a DNS name
  std::string odd_program;         ///< program run from an odd place
  std::string odd_place;           ///< "temporary directory", "hidden path", "home directory"

  bool downloads() const { return !download_tool.empty(); }
  /// Human summary: "downloads with curl, pipes into a shell".
  std::string summary() const;
};

/// Analyses one command line. Lists used: download_tools, benign_hidden_exec_paths.
Traits analyze(std::string_view command, const Knowledge& knowledge);

/// "temporary directory", "hidden path" or "home directory" when `path` is an odd place to
/// run a program from (benign_hidden_exec_paths consulted), nullopt otherwise.
std::optional<std::string> odd_place(std::string_view path, const Knowledge& knowledge);

/// Evidence for a record: provenance, line number, capped excerpt, the record's times.
Evidence evidence_of(const parsers::Record& record, std::string_view excerpt);

/// Caps untrusted text for messages/excerpts (bytes kept raw; writers escape them).
std::string cap(std::string_view s, size_t max = 400);

/// "T1053.003" → "https://attack.mitre.org/techniques/T1053/003/".
std::string attack_url(std::string_view id);

}  // namespace deadbox::checks::cmd
