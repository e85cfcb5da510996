// SPDX-License-Identifier: Apache-2.0
// E01 (EWF-E01, incl. split .E02… segments) through libewf: media stream, acquiry metadata,
// stored MD5/SHA-1, checksum-error ranges. Chunks are inflated by ewf_chunks.cpp; every chunk it
// declines is read by libewf through the same handle, so the checksum errors libewf records are
// the ones hash_media reports.
// Ref: libyal/libewf documentation/Expert Witness Compression Format (EWF).asciidoc
#include <libewf.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "deadbox/util/escape.hpp"
#include "image/ewf_chunks.hpp"
#include "image/openers.hpp"

namespace deadbox::image {
namespace {

constexpr size_t kMaxHeaderValue = 64 * 1024;

std::string take_ewf_error(libewf_error_t*& error) {
  char text[1024] = {0};
  if (error != nullptr) libewf_error_sprint(error, text, sizeof(text) - 1);
  libewf_error_free(&error);
  std::string s = text[0] != '\0' ? text : "libewf error";
  for (auto& c : s) {
    if (c == '\n') c = ' ';  // libewf's backtrace is multi-line; messages are one line
  }
  return s;
}

/// Move-only owner of a libewf handle: close, then free (house style §3.6).
class EwfHandle {
 public:
  EwfHandle() {
    libewf_error_t* error = nullptr;
    if (libewf_handle_initialize(&handle_, &error) != 1) {
      throw Error(Layer::kImage, "internal", "libewf", take_ewf_error(error));
    }
  }
  ~EwfHandle() {
    if (handle_ == nullptr) return;
    libewf_error_t* error = nullptr;
    if (opened_) libewf_handle_close(handle_, &error);
    libewf_error_free(&error);
    libewf_handle_free(&handle_, &error);
    libewf_error_free(&error);
  }
  EwfHandle(const EwfHandle&) = delete;
  EwfHandle& operator=(const EwfHandle&) = delete;
  libewf_handle_t* get() const { return handle_; }
  void mark_opened() { opened_ = true; }

 private:
  libewf_handle_t* handle_ = nullptr;
  bool opened_ = false;
};

/// libewf_glob's result, freed with libewf_glob_free.
class EwfGlob {
 public:
  explicit EwfGlob(const std::string& first) {
    libewf_error_t* error = nullptr;
    if (libewf_glob(first.c_str(), first.size(), LIBEWF_FORMAT_UNKNOWN, &names_, &count_, &error) !=
        1) {
      throw Error(Layer::kImage, "missing_segment", first, take_ewf_error(error));
    }
  }
  ~EwfGlob() {
    libewf_error_t* error = nullptr;
    if (names_ != nullptr) libewf_glob_free(names_, count_, &error);
    libewf_error_free(&error);
  }
  EwfGlob(const EwfGlob&) = delete;
  EwfGlob& operator=(const EwfGlob&) = delete;
  std::vector<std::string> names() const { return {names_, names_ + count_}; }

 private:
  char** names_ = nullptr;
  int count_ = 0;
};

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

/// Name of segment n+1 after `name` (E01 -> E02, E99 -> EAA, EAZ -> EBA), or "" if the
/// extension is not an EWF segment extension.
std::string next_segment_name(const std::string& name) {
  if (name.size() < 4 || name[name.size() - 4] != '.') return {};
  std::string next = name;
  char& a = next[next.size() - 2];
  char& b = next[next.size() - 1];
  if (std::isdigit(static_cast<unsigned char>(a)) && std::isdigit(static_cast<unsigned char>(b))) {
    int n = (a - '0') * 10 + (b - '0') + 1;
    if (n <= 99) {
      a = static_cast<char>('0' + n / 10);
      b = static_cast<char>('0' + n % 10);
    } else {
      bool lower = std::islower(static_cast<unsigned char>(next[next.size() - 3]));
      a = lower ? 'a' : 'A';
      b = lower ? 'a' : 'A';
    }
    return next;
  }
  if (std::isalpha(static_cast<unsigned char>(a)) && std::isalpha(static_cast<unsigned char>(b))) {
    if (b == 'z' || b == 'Z') {
      b = static_cast<char>(b - 25);
      a = static_cast<char>(a + 1);
    } else {
      b = static_cast<char>(b + 1);
    }
    return next;
  }
  return {};
}

/// libewf_glob stops at the first absent segment. If a later one exists, the set has a hole:
/// name the first missing file rather than silently reading a shorter image.
void check_for_gap(const std::vector<std::string>& segments) {
  std::string missing = next_segment_name(segments.back());
  std::string probe = missing;
  for (int i = 0; i < 16 && !probe.empty(); ++i) {
    probe = next_segment_name(probe);
    if (!probe.empty() && exists(probe)) {
      throw Error(Layer::kImage, "missing_segment", missing,
                  "E01 segment " + escape::terminal(base_name(missing)) + " is missing (" +
                      escape::terminal(base_name(probe)) + " exists)");
    }
  }
}

class EwfImage final : public Image {
 public:
  explicit EwfImage(std::vector<std::string> segments) {
    libewf_error_t* error = nullptr;
    std::vector<char*> names;
    for (auto& s : segments) names.push_back(s.data());
    if (libewf_handle_open(handle_.get(), names.data(), static_cast<int>(names.size()),
                           LIBEWF_OPEN_READ, &error) != 1) {
      std::string reason = take_ewf_error(error);
      // libewf reports a set without its last segment as a missing "next" segment.
      std::string next = next_segment_name(segments.back());
      if (reason.find("segment") != std::string::npos && !next.empty() && !exists(next)) {
        throw Error(Layer::kImage, "missing_segment", next,
                    "E01 set is incomplete: " + escape::terminal(base_name(next)) +
                        " is missing (" + reason + ")");
      }
      throw Error(Layer::kImage, "corrupt", segments.front(), reason);
    }
    handle_.mark_opened();
    // A set whose last segment lacks the "done" section was cut short: usually the final
    // segment file is simply missing. libewf would read the absent chunks as zeros.
    if (libewf_handle_segment_files_corrupted(handle_.get(), &error) == 1) {
      std::string next = next_segment_name(segments.back());
      if (!next.empty() && !exists(next)) {
        throw Error(Layer::kImage, "missing_segment", next,
                    "E01 set is incomplete: " + escape::terminal(base_name(next)) +
                        " is missing (the last segment given has no 'done' section)");
      }
      throw Error(Layer::kImage, "corrupt", segments.back(),
                  "E01 segment files are corrupted (no closing 'done' section)");
    }
    libewf_error_free(&error);
    // A corrupt chunk is returned as zeros and recorded as a checksum error instead of
    // failing the read, so one bad chunk never hides the rest of the disk.
    libewf_handle_set_read_zero_chunk_on_error(handle_.get(), 1, &error);
    libewf_error_free(&error);

    size64_t media_size = 0;
    if (libewf_handle_get_media_size(handle_.get(), &media_size, &error) != 1) {
      throw Error(Layer::kImage, "corrupt", segments.front(), take_ewf_error(error));
    }
    uint32_t bps = 512;
    if (libewf_handle_get_bytes_per_sector(handle_.get(), &bps, &error) != 1 || bps == 0) bps = 512;
    libewf_error_free(&error);
    info_.format = "e01";
    info_.media_size = media_size;
    info_.sector_size = bps;
    info_.files = std::move(segments);
    info_.metadata["file_size"] = std::to_string(total_file_size(info_.files));
    info_.metadata["segments"] = std::to_string(info_.files.size());
    read_metadata();
    chunks_ = EwfChunkReader::create(handle_.get(), media_size);
  }

  uint64_t size() const override { return info_.media_size; }
  std::string describe() const override { return base_name(info_.files.front()); }
  const ContainerInfo& info() const override { return info_; }

  size_t read_at(uint64_t offset, std::span<std::byte> buf) override {
    if (offset >= info_.media_size || buf.empty()) return 0;
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(buf.size(), info_.media_size - offset));
    if (chunks_) return chunks_->read(offset, buf.first(want), libewf_read_);
    return read_random(offset, buf.first(want));
  }

  std::vector<std::pair<uint64_t, uint64_t>> checksum_errors() override {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    libewf_error_t* error = nullptr;
    uint32_t n = 0;
    if (libewf_handle_get_number_of_checksum_errors(handle_.get(), &n, &error) != 1) {
      libewf_error_free(&error);
      return out;
    }
    for (uint32_t i = 0; i < n && i < 1'000'000; ++i) {
      uint64_t first = 0, count = 0;
      if (libewf_handle_get_checksum_error(handle_.get(), i, &first, &count, &error) == 1) {
        out.emplace_back(first, count);
      }
      libewf_error_free(&error);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::optional<std::string> header_value(const char* id) {
    libewf_error_t* error = nullptr;
    size_t size = 0;
    auto idp = reinterpret_cast<const uint8_t*>(id);
    size_t idlen = std::char_traits<char>::length(id);
    if (libewf_handle_get_utf8_header_value_size(handle_.get(), idp, idlen, &size, &error) != 1 ||
        size == 0 || size > kMaxHeaderValue) {
      libewf_error_free(&error);
      return std::nullopt;
    }
    std::string value(size, '\0');
    if (libewf_handle_get_utf8_header_value(handle_.get(), idp, idlen,
                                            reinterpret_cast<uint8_t*>(value.data()), size,
                                            &error) != 1) {
      libewf_error_free(&error);
      return std::nullopt;
    }
    value.resize(value.find('\0') == std::string::npos ? value.size() : value.find('\0'));
    return value;
  }

  std::optional<std::string> hash_value(const char* id) {
    libewf_error_t* error = nullptr;
    uint8_t buf[129] = {0};
    if (libewf_handle_get_utf8_hash_value(handle_.get(), reinterpret_cast<const uint8_t*>(id),
                                          std::char_traits<char>::length(id), buf, sizeof(buf) - 1,
                                          &error) != 1) {
      libewf_error_free(&error);
      return std::nullopt;
    }
    std::string v(reinterpret_cast<char*>(buf));
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v.empty() || v.find_first_not_of("0123456789abcdef") != std::string::npos)
      return std::nullopt;
    return v;
  }

  void read_metadata() {
    // ISO 8601 instead of ctime text: stable and sortable. EWF stores the acquiring machine's
    // local time without a zone, so the value is recorded as-is, not converted.
    libewf_error_t* error = nullptr;
    libewf_handle_set_header_values_date_format(handle_.get(), LIBEWF_DATE_FORMAT_ISO8601, &error);
    libewf_error_free(&error);
    static constexpr const char* kHeaderIds[] = {"case_number",
                                                 "description",
                                                 "examiner_name",
                                                 "evidence_number",
                                                 "notes",
                                                 "acquiry_date",
                                                 "system_date",
                                                 "acquiry_operating_system",
                                                 "acquiry_software",
                                                 "acquiry_software_version",
                                                 "model",
                                                 "serial_number"};
    for (const char* id : kHeaderIds) {
      if (auto v = header_value(id); v && !v->empty()) info_.metadata[id] = *v;
    }
    info_.stored_md5 = hash_value("MD5");
    info_.stored_sha1 = hash_value("SHA1");
  }

  /// libewf's own read: zlib, checksum check, zero-fill and record on a corrupt chunk.
  size_t read_random(uint64_t offset, std::span<std::byte> buf) {
    libewf_error_t* error = nullptr;
    ssize_t got = libewf_handle_read_random(handle_.get(), buf.data(), buf.size(),
                                            static_cast<off64_t>(offset), &error);
    if (got < 0) {
      throw Error(Layer::kImage, "read_error", describe() + " @" + std::to_string(offset),
                  take_ewf_error(error));
    }
    return static_cast<size_t>(got);
  }

  EwfHandle handle_;
  ContainerInfo info_;
  // Declared after handle_: destroyed first, as it reads through the handle.
  std::unique_ptr<EwfChunkReader> chunks_;
  EwfChunkReader::Fallback libewf_read_ = [this](uint64_t offset, std::span<std::byte> buf) {
    return read_random(offset, buf);
  };
};

}  // namespace

std::shared_ptr<Image> open_ewf_image(const std::vector<std::string>& files) {
  std::vector<std::string> segments = files;
  if (segments.size() == 1) segments = EwfGlob(files.front()).names();
  if (segments.empty()) throw Error(Layer::kImage, "not_found", files.front(), "no E01 segments");
  check_for_gap(segments);
  return std::make_shared<EwfImage>(std::move(segments));
}

}  // namespace deadbox::image
