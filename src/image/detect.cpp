// SPDX-License-Identifier: Apache-2.0
// open_image: the container opener table (house style §3.1, after TSK's fs_open.c): each entry
// is a probe on magic bytes or file naming plus an open function; raw is last; two matching
// probes are an error naming both. Also groups command-line paths into evidence items.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "deadbox/util/escape.hpp"
#include "image/openers.hpp"

namespace deadbox::image {
namespace {

constexpr uint64_t kMinOddRawSize = 1 << 20;

/// What probes look at: the first and last 512 bytes and the name.
struct ProbeInput {
  std::string path;
  std::string head;
  std::string tail;
  uint64_t size = 0;
};

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

/// Numeric split-raw suffix ".001", ".01", ".0001": returns (stem, width, value) if present.
struct SplitName {
  std::string stem;
  size_t width = 0;
  unsigned long value = 0;
};
std::optional<SplitName> split_name(const std::string& path) {
  auto dot = path.find_last_of('.');
  auto slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  std::string digits = path.substr(dot + 1);
  if (digits.size() < 2 || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return SplitName{path.substr(0, dot + 1), digits.size(), std::stoul(digits)};
}

std::string split_segment(const SplitName& n, unsigned long value) {
  std::string digits = std::to_string(value);
  if (digits.size() < n.width) digits.insert(0, n.width - digits.size(), '0');
  return n.stem + digits;
}

bool is_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// Given the first split segment, the siblings .002, .003… up to the first gap.
std::vector<std::string> discover_split(const std::string& first) {
  std::vector<std::string> out{first};
  auto n = split_name(first);
  for (unsigned long v = n->value + 1; v < 100000; ++v) {
    std::string next = split_segment(*n, v);
    if (!is_file(next)) break;
    out.push_back(next);
  }
  return out;
}

bool probe_e01(const ProbeInput& in) {
  return starts_with(in.head, "EVF\x09\x0d\x0a\xff\x00");
}
bool probe_qcow2(const ProbeInput& in) {
  return starts_with(in.head, "QFI\xfb");
}
bool probe_vmdk(const ProbeInput& in) {
  return starts_with(in.head, "KDMV") || starts_with(in.head, "# Disk DescriptorFile");
}
bool probe_vhd(const ProbeInput& in) {
  // Fixed VHDs carry the footer only at the end; dynamic ones also copy it to offset 0.
  return starts_with(in.head, "conectix") || starts_with(in.tail, "conectix");
}
bool probe_split_raw(const ProbeInput& in) {
  auto n = split_name(in.path);
  return n && n->value == 1;
}

using OpenFn =
    std::function<std::shared_ptr<Image>(const std::vector<std::string>&, const OpenOptions&)>;
struct Opener {
  const char* format;
  bool (*probe)(const ProbeInput&);
  OpenFn open;
};

const Opener kOpeners[] = {
    {"e01", &probe_e01, [](const auto& files, const auto&) { return open_ewf_image(files); }},
    {"qcow2", &probe_qcow2,
     [](const auto& files, const auto& opt) { return open_qcow_image(files.front(), opt); }},
    {"vmdk", &probe_vmdk,
     [](const auto& files, const auto&) { return open_tsk_image("vmdk", files); }},
    {"vhd", &probe_vhd,
     [](const auto& files, const auto&) { return open_tsk_image("vhd", files); }},
    {"split_raw", &probe_split_raw,
     [](const auto& files, const auto&) {
       return open_tsk_image("split_raw", files.size() > 1 ? files : discover_split(files.front()));
     }},
};

ProbeInput read_probe_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw Error(Layer::kImage, "not_found", path, std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
    throw Error(Layer::kImage, "unreadable", path, "not a regular file or block device");
  }
  // O_NONBLOCK: a FIFO swapped in after stat must not hang us.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw Error(Layer::kImage, "unreadable", path, std::strerror(errno));
  ProbeInput in;
  in.path = path;
  in.size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  if (S_ISBLK(st.st_mode)) {
    off_t end = ::lseek(fd, 0, SEEK_END);
    in.size = end > 0 ? static_cast<uint64_t>(end) : 0;
  }
  char buf[512];
  ssize_t got = ::pread(fd, buf, sizeof(buf), 0);
  in.head.assign(buf, got > 0 ? static_cast<size_t>(got) : 0);
  if (in.size >= 512) {
    got = ::pread(fd, buf, sizeof(buf), static_cast<off_t>(in.size - 512));
    in.tail.assign(buf, got > 0 ? static_cast<size_t>(got) : 0);
  }
  ::close(fd);
  return in;
}

}  // namespace

std::shared_ptr<Image> open_image(const std::vector<std::string>& paths,
                                  const OpenOptions& options) {
  if (paths.empty()) throw Error(Layer::kImage, "not_found", "", "no evidence file given");
  const ProbeInput in = read_probe_input(paths.front());
  for (size_t i = 1; i < paths.size(); ++i) read_probe_input(paths[i]);  // existence/type check

  const Opener* match = nullptr;
  for (const auto& opener : kOpeners) {
    if (!opener.probe(in)) continue;
    if (match != nullptr) {
      throw Error(Layer::kImage, "ambiguous_format", paths.front(),
                  std::string("matches both ") + match->format + " and " + opener.format);
    }
    match = &opener;
  }
  if (match != nullptr) return match->open(paths, options);

  // Raw is last and takes anything that is at least one sector: a dd image has no magic.
  if (in.size == 0)
    throw Error(Layer::kImage, "empty", paths.front(), "empty file, not a disk image");
  // A dd image is whole sectors. A small file that is not is a stray document or fragment, not
  // evidence worth a volume scan; a large one is kept (a truncated copy still holds data).
  if (in.size < 512 || (in.size % 512 != 0 && in.size < kMinOddRawSize)) {
    throw Error(Layer::kImage, "unknown_format", paths.front(),
                "not a disk image (" + std::to_string(in.size) +
                    " bytes, no container signature, not whole sectors)");
  }
  if (paths.size() > 1) {
    throw Error(Layer::kImage, "unknown_format", paths.front(),
                "several files given that are not segments of one image");
  }
  return open_tsk_image("raw", paths);
}

std::vector<std::vector<std::string>> group_evidence_paths(const std::vector<std::string>& paths) {
  // A file joins the previous item when it is the next segment of it (same stem, suffix +1):
  // "d.E01 d.E02" and "d.001 d.002" are one item each; anything else starts a new item.
  std::vector<std::vector<std::string>> items;
  auto segment_key = [](const std::string& p) -> std::optional<std::pair<std::string, long>> {
    auto dot = p.find_last_of('.');
    auto slash = p.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
      return std::nullopt;
    std::string ext = p.substr(dot + 1);
    if (auto n = split_name(p)) return std::make_pair(n->stem, static_cast<long>(n->value));
    if (ext.size() == 3 && (ext[0] == 'E' || ext[0] == 'e') &&
        std::isdigit((unsigned char)ext[1]) && std::isdigit((unsigned char)ext[2])) {
      return std::make_pair(p.substr(0, dot + 2), std::stol(ext.substr(1)));
    }
    return std::nullopt;
  };
  std::optional<std::pair<std::string, long>> prev;
  for (const auto& p : paths) {
    auto key = segment_key(p);
    if (key && prev && key->first == prev->first && key->second == prev->second + 1 &&
        !items.empty()) {
      items.back().push_back(p);
    } else {
      items.push_back({p});
    }
    prev = key;
  }
  return items;
}

}  // namespace deadbox::image
