// SPDX-License-Identifier: Apache-2.0
// Files of the case folder. The folder is ours (created empty, or reused with --force), but a
// forced folder may hold a planted symlink: every file is opened O_NOFOLLOW and truncated.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ext/stdio_filebuf.h>

#include "deadbox/util/error.hpp"
#include "examine/internal.hpp"

namespace deadbox::examine::detail {

struct CaseFile::Impl {
  std::filesystem::path path;
  std::unique_ptr<__gnu_cxx::stdio_filebuf<char>> buf;
  std::unique_ptr<std::ostream> stream;
};

CaseFile::CaseFile(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Error(Layer::kReport, "write_failed", path.string(), std::strerror(errno));
  impl_->buf = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd, std::ios::out, 1 << 20);
  impl_->stream = std::make_unique<std::ostream>(impl_->buf.get());
}

CaseFile::~CaseFile() = default;

std::ostream& CaseFile::stream() { return *impl_->stream; }

void CaseFile::close() {
  impl_->stream->flush();
  const bool ok = impl_->stream->good() && impl_->buf->close() != nullptr;
  if (!ok) throw Error(Layer::kReport, "write_failed", impl_->path.string(), "write error");
}

void make_case_dir(const std::filesystem::path& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return;
    throw Error(Layer::kReport, "write_failed", dir.string(), "exists and is not a directory");
  }
  if (::mkdir(dir.c_str(), 0755) != 0)
    throw Error(Layer::kReport, "write_failed", dir.string(), std::strerror(errno));
}

}  // namespace deadbox::examine::detail
