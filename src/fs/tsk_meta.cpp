// SPDX-License-Identifier: Apache-2.0
// TSK metadata conversions shared by the TSK-backed ext listings (see tsk_meta.hpp).
#include "fs/tsk_meta.hpp"

#include "fs/stat_fields.hpp"

namespace deadbox::fs {

tree::FileType from_meta_type(TSK_FS_META_TYPE_ENUM t) {
  switch (t) {
    case TSK_FS_META_TYPE_REG: return tree::FileType::kRegular;
    case TSK_FS_META_TYPE_DIR: return tree::FileType::kDirectory;
    case TSK_FS_META_TYPE_FIFO: return tree::FileType::kFifo;
    case TSK_FS_META_TYPE_CHR: return tree::FileType::kCharDev;
    case TSK_FS_META_TYPE_BLK: return tree::FileType::kBlockDev;
    case TSK_FS_META_TYPE_LNK: return tree::FileType::kSymlink;
    case TSK_FS_META_TYPE_SOCK: return tree::FileType::kSocket;
    case TSK_FS_META_TYPE_WHT: return tree::FileType::kWhiteout;
    case TSK_FS_META_TYPE_VIRT:
    case TSK_FS_META_TYPE_VIRT_DIR: return tree::FileType::kVirtual;
    default: return tree::FileType::kUnknown;
  }
}

void fill_stat(const TSK_FS_META& m, tree::Stat& st) {
  st.type = from_meta_type(m.type);
  st.mode = static_cast<uint32_t>(m.mode) & 07777;
  st.uid = static_cast<uint32_t>(m.uid);
  st.gid = static_cast<uint32_t>(m.gid);
  st.size = m.size > 0 ? static_cast<uint64_t>(m.size) : 0;
  st.nlink = static_cast<uint32_t>(m.nlink);
  st.allocated = (m.flags & TSK_FS_META_FLAG_ALLOC) != 0;
  st.atime = ns_time(m.atime, m.atime_nano);
  st.mtime = ns_time(m.mtime, m.mtime_nano);
  st.ctime = ns_time(m.ctime, m.ctime_nano);
  st.crtime = ns_time(m.crtime, m.crtime_nano);
}

std::string link_target(TSK_FS_FILE& f) {
  if (f.meta->link != nullptr) return f.meta->link;
  if (f.meta->type != TSK_FS_META_TYPE_LNK || f.meta->size <= 0 || f.meta->size >= 4096) return {};
  std::string buf(static_cast<size_t>(f.meta->size), '\0');
  const ssize_t n = tsk_fs_file_read(&f, 0, buf.data(), buf.size(), TSK_FS_FILE_READ_FLAG_NONE);
  if (n != static_cast<ssize_t>(buf.size())) {
    tsk_error_reset();
    return {};
  }
  return clean_link(buf);
}

}  // namespace deadbox::fs
