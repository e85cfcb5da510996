// SPDX-License-Identifier: Apache-2.0
// OutputDir: descriptor-relative creation of the extraction tree. Symlinks are never followed
// inside it (O_NOFOLLOW on every component), so even a pre-existing link planted in a --force
// folder cannot redirect a write.
#include "deadbox/extract/output_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "deadbox/util/error.hpp"

namespace deadbox::extract {
namespace {

bool is_empty_dir(int fd) {
  const int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup_fd < 0) return false;
  DIR* d = fdopendir(dup_fd);
  if (d == nullptr) {
    close(dup_fd);
    return false;
  }
  bool empty = true;
  while (dirent* e = readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      empty = false;
      break;
    }
  }
  closedir(d);
  return empty;
}

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

}  // namespace

OutputDir OutputDir::open(const std::string& dir, bool force) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // The folder the user named may itself be a symlink (their choice); below it nothing is.
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw Error(Layer::kExtract, "output_unwritable", dir,
                ec ? ec.message() : std::string(std::strerror(errno)));
  if (!force && !is_empty_dir(fd)) {
    ::close(fd);
    throw Error(Layer::kExtract, "output_exists", dir,
                "output folder exists and is not empty (use --force)");
  }
  return OutputDir(dir, fd, force);
}

OutputDir::OutputDir(OutputDir&& o) noexcept
    : path_(std::move(o.path_)),
      fd_(o.fd_),
      force_(o.force_),
      created_(std::move(o.created_)),
      cached_dir_(std::move(o.cached_dir_)),
      cached_fd_(o.cached_fd_) {
  o.fd_ = -1;
  o.cached_fd_ = -1;
}

OutputDir::~OutputDir() {
  if (cached_fd_ >= 0) ::close(cached_fd_);
  if (fd_ >= 0) ::close(fd_);
}

int OutputDir::open_dirs(const std::vector<std::string>& safe_dirs, std::string* error) {
  std::string rel;
  for (const auto& d : safe_dirs) rel += (rel.empty() ? "" : "/") + d;
  if (rel.empty()) return fd_;
  if (cached_fd_ >= 0 && rel == cached_dir_) return cached_fd_;
  int cur = fd_;
  for (const auto& d : safe_dirs) {
    if (mkdirat(cur, d.c_str(), 0750) != 0 && errno != EEXIST) {
      *error = "mkdir " + d + ": " + std::strerror(errno);
      if (cur != fd_) ::close(cur);
      return -1;
    }
    const int next = openat(cur, d.c_str(), kDirFlags);
    const int saved = errno;
    if (cur != fd_) ::close(cur);
    if (next < 0) {
      *error = "open dir " + d + ": " + std::strerror(saved);
      return -1;
    }
    cur = next;
  }
  if (cached_fd_ >= 0) ::close(cached_fd_);
  cached_fd_ = cur;
  cached_dir_ = rel;
  return cur;
}

OutputDir::Created OutputDir::create_file(const std::vector<std::string>& safe_dirs,
                                          const std::string& safe_file,
                                          const std::string& collision_tag) {
  Created c;
  const int dir = open_dirs(safe_dirs, &c.error);
  if (dir < 0) return c;
  std::string prefix;
  for (const auto& d : safe_dirs) prefix += d + "/";
  std::string name = safe_file;
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  for (int attempt = 0; attempt < 3; ++attempt) {
    c.fd = openat(dir, name.c_str(), kFlags, 0640);
    if (c.fd >= 0) {
      c.relative = prefix + name;
      c.dirs = safe_dirs;
      c.name = name;
      created_.insert(c.relative);
      return c;
    }
    if (errno != EEXIST) break;
    // A leftover of an earlier run in a --force folder is replaced; a name this run already
    // wrote (two deleted entries with one name, hard-linked names) gets a distinct suffix.
    if (force_ && created_.count(prefix + name) == 0 && unlinkat(dir, name.c_str(), 0) == 0)
      continue;
    name = safe_file + "%23" + collision_tag + (attempt == 0 ? "" : "-" + std::to_string(attempt));
    c.renamed = true;
  }
  c.error = "create " + name + ": " + std::strerror(errno);
  c.fd = -1;
  return c;
}

void OutputDir::discard(const Created& c) {
  std::string error;
  const int dir = open_dirs(c.dirs, &error);
  if (dir >= 0 && unlinkat(dir, c.name.c_str(), 0) == 0) created_.erase(c.relative);
}

int OutputDir::create_top(const std::string& name) {
  return openat(fd_, name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
}

}  // namespace deadbox::extract
