// SPDX-License-Identifier: Apache-2.0
// TSK 3.x bodyfile lines. Ref: sleuthkit tsk/fs/fs_name.c (tsk_fs_name_print_mac_md5,
// tsk_fs_meta_make_ls); sleuthkit wiki "Body file".
#include "deadbox/timeline/bodyfile.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>

#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::timeline {
namespace {

template <class T>
void append_int(std::string& out, T v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void append_time(std::string& out, const std::optional<int64_t>& t, bool ns) {
  if (!t) {
    out += '0';
    return;
  }
  if (!ns) {
    // fls prints time_t through PRIu32: only the low 32 bits survive. Matching that keeps the
    // default output byte-identical to fls (and mactime, which wants \d+, reads every line).
    append_int(out, static_cast<uint32_t>(timefmt::seconds_of(*t)));
    return;
  }
  append_int(out, timefmt::seconds_of(*t));
  char frac[10];
  frac[0] = '.';
  uint32_t sub = timefmt::subsec_ns_of(*t);
  for (int i = 9; i >= 1; --i, sub /= 10) frac[i] = static_cast<char>('0' + sub % 10);
  out.append(frac, sizeof frac);
}

/// The whole line appended to out; scratch holds the raw name in plaso mode.
void append_line(std::string& out, std::string& scratch, const std::string& prefix,
                 const tree::FileEntry& entry, const BodyfileOptions& options) {
  out += "0|";
  if (options.escape == NameEscape::kFls) {
    // escape::bodyfile_fls in place: control bytes become '^', everything else stays raw.
    const size_t at = out.size();
    append_display_name(out, prefix, entry);
    for (size_t i = at; i < out.size(); ++i)
      if (static_cast<unsigned char>(out[i]) < 0x20) out[i] = '^';
  } else {
    scratch.clear();
    append_display_name(scratch, prefix, entry);
    out += escape::bodyfile_plaso(scratch);
  }
  out += '|';
  append_int(out, entry.stat.inode);
  out += '|';
  append_mode_string(out, entry);
  out += '|';
  if (!entry.has_meta) {
    out += "0|0|0|0|0|0|0\n";
    return;
  }
  append_int(out, entry.stat.uid);
  out += '|';
  append_int(out, entry.stat.gid);
  out += '|';
  append_int(out, entry.stat.size);
  for (const auto* t :
       {&entry.stat.atime, &entry.stat.mtime, &entry.stat.ctime, &entry.stat.crtime}) {
    out += '|';
    append_time(out, *t, options.ns);
  }
  out += '\n';
}

}  // namespace

namespace {

void put_ls_mode(char* s, tree::FileType type, uint32_t mode) {
  std::memcpy(s, "----------", 10);
  s[0] = tree::type_letter(type);
  if (mode & 0400) s[1] = 'r';
  if (mode & 0200) s[2] = 'w';
  if (mode & 04000)
    s[3] = (mode & 0100) ? 's' : 'S';
  else if (mode & 0100)
    s[3] = 'x';
  if (mode & 040) s[4] = 'r';
  if (mode & 020) s[5] = 'w';
  if (mode & 02000)
    s[6] = (mode & 010) ? 's' : 'S';
  else if (mode & 010)
    s[6] = 'x';
  if (mode & 04) s[7] = 'r';
  if (mode & 02) s[8] = 'w';
  if (mode & 01000)
    s[9] = (mode & 01) ? 't' : 'T';
  else if (mode & 01)
    s[9] = 'x';
}

}  // namespace

std::string ls_mode(tree::FileType type, uint32_t mode) {
  std::string s(10, '-');
  put_ls_mode(s.data(), type, mode);
  return s;
}

void append_mode_string(std::string& out, const tree::FileEntry& entry) {
  char s[12];
  s[0] = tree::type_letter(entry.name_type);
  s[1] = '/';
  if (entry.has_meta) {
    put_ls_mode(s + 2, entry.stat.type, entry.stat.mode);
  } else {
    std::memcpy(s + 2, "----------", 10);
  }
  out.append(s, sizeof s);
}

std::string mode_string(const tree::FileEntry& entry) {
  std::string s;
  append_mode_string(s, entry);
  return s;
}

void append_display_name(std::string& out, std::string_view prefix, const tree::FileEntry& entry) {
  // fls -m P prints P, a '/' unless P ends in one, then the path below the root. The prefix
  // comes from the image's own fstab, so it is escaped like any name by the sinks.
  std::string_view path = entry.path;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  out += prefix;
  if (prefix.empty() || prefix.back() != '/') out += '/';
  out += path;
  // fls writes the link target raw (a newline in it splits the line); deadbox escapes it with
  // the name, so a line is always one line.
  if (entry.has_meta && entry.stat.type == tree::FileType::kSymlink &&
      !entry.symlink_target.empty()) {
    out += " -> ";
    out += entry.symlink_target;
  }
  if (entry.name_deleted) out += entry.meta_reallocated ? " (deleted-realloc)" : " (deleted)";
}

std::string display_name(const std::string& prefix, const tree::FileEntry& entry) {
  std::string raw;
  raw.reserve(prefix.size() + entry.path.size() + 24);
  append_display_name(raw, prefix, entry);
  return raw;
}

std::string bodyfile_name(const std::string& prefix, const tree::FileEntry& entry,
                          NameEscape escape) {
  const std::string raw = display_name(prefix, entry);
  return escape == NameEscape::kPlaso ? escape::bodyfile_plaso(raw) : escape::bodyfile_fls(raw);
}

std::string bodyfile_line(const std::string& prefix, const tree::FileEntry& entry,
                          const BodyfileOptions& options) {
  std::string line, scratch;
  line.reserve(128 + entry.path.size());
  append_line(line, scratch, prefix, entry, options);
  return line;
}

void BodyfileWriter::on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) {
  line_.clear();
  append_line(line_, name_, ctx.path_prefix, entry, options_);
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  ++lines_;
}

}  // namespace deadbox::timeline
