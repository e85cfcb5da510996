// SPDX-License-Identifier: Apache-2.0
// Hostile and broken containers: each yields a named deadbox::Error or a recorded problem, never
// a crash or a hang, and never opens a host path named inside the image.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "deadbox/image/image.hpp"
#include "deadbox/util/error.hpp"
#include "support/fixture.hpp"

namespace deadbox::image {
namespace {

namespace fs = std::filesystem;
using deadbox::testing::make_temp_dir;
using deadbox::testing::run_program;

/// Error code thrown by open_image(paths), or "" if it opened.
std::string open_error(const std::vector<std::string>& paths, const OpenOptions& opt = {},
                       std::string* message = nullptr) {
  try {
    open_image(paths, opt);
  } catch (const Error& e) {
    if (message != nullptr) *message = e.what();
    return e.code();
  }
  return "";
}

/// Runs open_error in a forked child with a deadline, so a blocking open (e.g. of a FIFO) fails
/// the test instead of hanging it. Returns the code, or "TIMEOUT".
std::string open_error_with_deadline(const std::vector<std::string>& paths, int seconds) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string code = open_error(paths);
    (void)!::write(fds[1], code.data(), code.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  pollfd p{fds[0], POLLIN, 0};
  std::string out;
  if (::poll(&p, 1, seconds * 1000) <= 0) {
    ::kill(pid, SIGKILL);
    out = "TIMEOUT";
  } else {
    char buf[256];
    ssize_t n = ::read(fds[0], buf, sizeof(buf));
    out.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
  }
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return out;
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

TEST(BadImage, MissingFileIsNotFound) {
  EXPECT_EQ(open_error({"/nonexistent/deadbox/disk.raw"}), "not_found");
}

TEST(BadImage, TinyFileIsNotAnImage) {
  auto dir = make_temp_dir("img-tiny");
  write_file(dir / "notes.txt", "this is not a disk image\n");
  std::string msg;
  EXPECT_EQ(open_error({(dir / "notes.txt").string()}, {}, &msg), "unknown_format");
  EXPECT_NE(msg.find("notes.txt"), std::string::npos) << msg;
  fs::remove_all(dir);
}

TEST(BadImage, FifoIsRefusedWithoutBlocking) {
  auto dir = make_temp_dir("img-fifo");
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  EXPECT_EQ(open_error_with_deadline({(dir / "pipe").string()}, 20), "unreadable");
  fs::remove_all(dir);
}

TEST(BadImage, Qcow2BackingFileIsNeverOpened) {
  auto dir = make_temp_dir("img-backing");
  // The backing "file" is a FIFO: opening it for reading would block until a writer appears,
  // so if anything in the open path touched it the child would hang and hit the deadline.
  ASSERT_EQ(::mkfifo((dir / "secret.raw").c_str(), 0600), 0);
  auto r = run_program({"qemu-img", "create", "-q", "-f", "qcow2", "-u", "-F", "raw", "-b",
                        (dir / "secret.raw").string(), (dir / "child.qcow2").string(), "64M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(open_error_with_deadline({(dir / "child.qcow2").string()}, 20), "needs_parent");
  std::string msg;
  EXPECT_EQ(open_error({(dir / "child.qcow2").string()}, {}, &msg), "needs_parent");
  EXPECT_NE(msg.find("secret.raw"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--qcow-parent"), std::string::npos) << msg;
  fs::remove_all(dir);
}

TEST(BadImage, Qcow2WithExplicitQcowParentReadsThrough) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto parent = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.qcow2");
  auto dir = make_temp_dir("img-parent");
  // The name inside the child is deliberately wrong: only the explicit option is used.
  auto r = run_program({"qemu-img", "create", "-q", "-f", "qcow2", "-u", "-F", "qcow2", "-b",
                        "/nonexistent/elsewhere.qcow2", (dir / "child.qcow2").string(), "96M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  OpenOptions opt;
  opt.qcow_parent = parent.string();
  auto img = open_image({(dir / "child.qcow2").string()}, opt);
  EXPECT_EQ(img->info().backing_file.value_or(""), "/nonexistent/elsewhere.qcow2");
  auto sha = run_program({"sha256sum", raw.string()}).out.substr(0, 64);
  EXPECT_EQ(hash_media(*img).sha256, sha);

  opt.qcow_parent = raw.string();  // a raw parent cannot be chained by libqcow
  EXPECT_EQ(open_error({(dir / "child.qcow2").string()}, opt), "unsupported_parent");
  fs::remove_all(dir);
}

TEST(BadImage, Qcow2ExternalDataFileAndZstdAreRefusedByName) {
  auto raw = DEADBOX_FIXTURE("bare_ext4", "disk.raw");
  auto dir = make_temp_dir("img-qfeat");
  auto r =
      run_program({"qemu-img", "create", "-q", "-f", "qcow2", "-o",
                   "data_file=" + (dir / "data.raw").string(), (dir / "ext.qcow2").string(), "1M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Swap the data file for a FIFO: had anything opened it, the child would block.
  fs::remove(dir / "data.raw");
  ASSERT_EQ(::mkfifo((dir / "data.raw").c_str(), 0600), 0);
  EXPECT_EQ(open_error_with_deadline({(dir / "ext.qcow2").string()}, 20), "unsupported");
  std::string msg;
  EXPECT_EQ(open_error({(dir / "ext.qcow2").string()}, {}, &msg), "unsupported");
  EXPECT_NE(msg.find("external data file"), std::string::npos) << msg;

  r = run_program({"qemu-img", "convert", "-c", "-O", "qcow2", "-o", "compression_type=zstd",
                   raw.string(), (dir / "z.qcow2").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(open_error({(dir / "z.qcow2").string()}, {}, &msg), "unsupported");
  EXPECT_NE(msg.find("zstd"), std::string::npos) << msg;
  fs::remove_all(dir);
}

/// VHD footer checksum: ones' complement of the byte sum, checksum field (64..67) excluded.
void fix_vhd_checksum(std::string& footer) {
  uint32_t sum = 0;
  for (size_t i = 0; i < 512; ++i) {
    if (i < 64 || i > 67) sum += static_cast<unsigned char>(footer[i]);
  }
  sum = ~sum;
  for (int i = 0; i < 4; ++i) footer[64 + i] = static_cast<char>(sum >> (24 - 8 * i));
}

TEST(BadImage, DifferencingVhdNeedsParent) {
  auto vhd = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.vhd");
  auto dir = make_temp_dir("img-vhddiff");
  fs::copy_file(vhd, dir / "diff.vhd");
  const uint64_t size = fs::file_size(vhd);
  {
    // Turn the dynamic disk (type 3) into a differencing one (type 4) in both footer copies.
    std::fstream f(dir / "diff.vhd", std::ios::in | std::ios::out | std::ios::binary);
    for (uint64_t at : {uint64_t{0}, size - 512}) {
      std::string footer(512, '\0');
      f.seekg(static_cast<std::streamoff>(at));
      f.read(footer.data(), 512);
      ASSERT_EQ(footer.substr(0, 8), "conectix");
      ASSERT_EQ(footer[63], 3) << "fixture VHD should be dynamic";
      footer[63] = 4;
      fix_vhd_checksum(footer);
      f.seekp(static_cast<std::streamoff>(at));
      f.write(footer.data(), 512);
    }
  }
  std::string msg;
  EXPECT_EQ(open_error({(dir / "diff.vhd").string()}, {}, &msg), "needs_parent");
  EXPECT_NE(msg.find("differencing VHD"), std::string::npos) << msg;
  fs::remove_all(dir);
}

fs::path link_segments(const fs::path& dir, const fs::path& src, const std::vector<int>& which) {
  for (int i : which) {
    std::string ext = ".E0" + std::to_string(i);
    fs::create_symlink(src.parent_path() / ("disk-split" + ext), dir / ("disk-split" + ext));
  }
  return dir / "disk-split.E01";
}

TEST(BadImage, E01MissingMiddleSegmentIsNamed) {
  auto e01 = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk-split.E01");
  auto dir = make_temp_dir("img-e01gap");
  auto first = link_segments(dir, e01, {1, 2, 4, 5});
  std::string msg;
  EXPECT_EQ(open_error({first.string()}, {}, &msg), "missing_segment");
  EXPECT_NE(msg.find("disk-split.E03"), std::string::npos) << msg;
  fs::remove_all(dir);
}

TEST(BadImage, E01MissingLastSegmentIsNamed) {
  auto e01 = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk-split.E01");
  auto dir = make_temp_dir("img-e01last");
  auto first = link_segments(dir, e01, {1, 2, 3, 4});
  std::string msg;
  EXPECT_EQ(open_error({first.string()}, {}, &msg), "missing_segment");
  EXPECT_NE(msg.find("disk-split.E05"), std::string::npos) << msg;
  fs::remove_all(dir);
}

TEST(BadImage, E01CorruptChunkIsReportedNotFatal) {
  auto e01 = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.E01");
  auto dir = make_temp_dir("img-e01bad");
  fs::copy_file(e01, dir / "disk.E01");
  {
    // Overwrite bytes in the middle of the chunk data (past the header sections).
    std::fstream f(dir / "disk.E01", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(e01) / 2));
    f.write("\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef", 16);
  }
  auto img = open_image({(dir / "disk.E01").string()});
  auto hashes = hash_media(*img);
  EXPECT_FALSE(hashes.checksum_error_ranges.empty());
  ASSERT_TRUE(img->info().stored_md5.has_value());
  EXPECT_NE(hashes.md5, *img->info().stored_md5);
  fs::remove_all(dir);
}

TEST(BadImage, TruncatedQcow2ReadsWhatExists) {
  auto q = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.qcow2");
  auto dir = make_temp_dir("img-qtrunc");
  fs::copy_file(q, dir / "disk.qcow2");
  fs::resize_file(dir / "disk.qcow2", fs::file_size(q) / 2);
  // libqcow opens it (the header and tables survive); clusters past the cut are unreadable,
  // counted and hashed as zeros, and the pass completes.
  auto img = open_image({(dir / "disk.qcow2").string()});
  EXPECT_EQ(std::stoull(img->info().metadata.at("file_size")), fs::file_size(q) / 2);
  EXPECT_EQ(img->size(), 96u << 20);
  auto hashes = hash_media(*img);
  EXPECT_GT(hashes.unreadable_bytes, 0u);
  EXPECT_LT(hashes.unreadable_bytes, img->size());
  EXPECT_EQ(hashes.unreadable_bytes % 512, 0u);  // bad ranges are narrowed to sectors
  fs::remove_all(dir);
}

TEST(BadImage, VmdkDescriptorNamingHostPathIsRefused) {
  auto dir = make_temp_dir("img-vmdk");
  write_file(dir / "evil.vmdk",
             "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
             "createType=\"monolithicFlat\"\nRW 2048 FLAT \"../../../../etc/shadow\" 0\n");
  EXPECT_EQ(open_error({(dir / "evil.vmdk").string()}), "unsafe_extent");
  fs::remove_all(dir);
}

// ---- the shared bad_* fixtures (fixtures/scenarios/bad_*.json)

TEST(BadFixtures, NotImagesAreRefusedByName) {
  auto empty = DEADBOX_FIXTURE("bad_notimage", "empty.raw");
  EXPECT_EQ(open_error({empty.string()}), "empty");
  EXPECT_EQ(open_error({(empty.parent_path() / "notes.txt").string()}), "unknown_format");
  std::string msg;
  EXPECT_EQ(open_error({(empty.parent_path() / "garbage.bin").string()}, {}, &msg),
            "unknown_format");
  EXPECT_NE(msg.find("garbage.bin"), std::string::npos) << msg;
}

TEST(BadFixtures, E01MissingSecondSegment) {
  auto first = DEADBOX_FIXTURE("bad_e01_missing_segment", "disk-split.E01");
  std::string msg;
  EXPECT_EQ(open_error({first.string()}, {}, &msg), "missing_segment");
  EXPECT_NE(msg.find("disk-split.E02"), std::string::npos) << msg;
}

TEST(BadFixtures, E01CorruptChunkIsExactlyTheDamagedChunk) {
  auto e01 = DEADBOX_FIXTURE("bad_e01_corrupt_chunk", "disk.E01");
  auto img = open_image({e01.string()});
  auto hashes = hash_media(*img);
  // The generator overwrote bytes in the chunk of sectors 128..191 (64 sectors, 32 KiB).
  EXPECT_EQ(hashes.checksum_error_ranges, (std::vector<std::pair<uint64_t, uint64_t>>{{128, 64}}));
  EXPECT_EQ(hashes.unreadable_bytes, 0u);  // zero-filled by libewf, not a read failure
  std::string zeros(32768, '\0'), chunk(32768, 'x');
  ASSERT_EQ(img->read_at(128 * 512, std::as_writable_bytes(std::span(chunk.data(), chunk.size()))),
            chunk.size());
  EXPECT_TRUE(chunk == zeros);
}

TEST(BadFixtures, Qcow2BackingReferencesAreNamedNeverOpened) {
  auto any = DEADBOX_FIXTURE("bad_qcow_backing", "abs_backing.qcow2");
  const auto dir = any.parent_path();
  const std::pair<const char*, const char*> cases[] = {
      {"abs_backing.qcow2", "/etc/deadbox-fixture-nonexistent/shadow"},
      {"rel_backing.qcow2", "missing-parent.raw"},
      {"self_backing.qcow2", "self_backing.qcow2"},
      {"chain_top.qcow2", "chain_mid.qcow2"},
      {"chain_mid.qcow2", "disk.raw"}};
  for (const auto& [file, backing] : cases) {
    std::string msg;
    EXPECT_EQ(open_error({(dir / file).string()}, {}, &msg), "needs_parent") << file;
    EXPECT_NE(msg.find(std::string("'") + backing + "'"), std::string::npos) << msg;
  }
  // An explicit parent that itself has a backing file: chains are refused, not followed.
  OpenOptions opt;
  opt.qcow_parent = (dir / "chain_mid.qcow2").string();
  std::string msg;
  EXPECT_EQ(open_error({(dir / "chain_top.qcow2").string()}, opt, &msg), "needs_parent");
  EXPECT_NE(msg.find("chains"), std::string::npos) << msg;
}

}  // namespace
}  // namespace deadbox::image
