// SPDX-License-Identifier: Apache-2.0
// Benchmark helper: walk the filesystem at a byte offset of an image and write a bodyfile or
// sorted CSV to stdout, timing the layers below the CLI without inventory work.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>

#include "deadbox/fs/filesystem.hpp"
#include "deadbox/image/image.hpp"
#include "deadbox/timeline/bodyfile.hpp"
#include "deadbox/timeline/csv.hpp"

int main(int argc, char** argv) {
  using namespace deadbox;
  if (argc < 2) {
    std::cerr << "usage: deadbox_bench_walk IMAGE [OFFSET_BYTES] [body|csv]\n";
    return 2;
  }
  const uint64_t offset = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
  const std::string format = argc > 3 ? argv[3] : "body";
  try {
    std::shared_ptr<image::ByteSource> img = image::open_image({argv[1]});
    if (offset != 0)
      img = std::make_shared<image::SliceSource>(img, offset, img->size() - offset, "bench");
    const fs::Probe probe = fs::probe(*img);
    auto tree = fs::open(img, probe, "bench");
    std::ios::sync_with_stdio(false);
    Diagnostics diag;
    pipeline::VolumeContext ctx{"bench", "/", tree.get(), &diag};
    if (format == "csv") {
      timeline::CsvWriter w(std::cout, {});
      pipeline::walk_volume(ctx, {}, {&w});
      w.finish();
    } else {
      timeline::BodyfileWriter w(std::cout, {});
      pipeline::walk_volume(ctx, {}, {&w});
    }
    std::cout.flush();
  } catch (const std::exception& e) {
    std::cerr << "deadbox_bench_walk: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
