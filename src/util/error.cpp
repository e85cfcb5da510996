// SPDX-License-Identifier: Apache-2.0
#include "deadbox/util/error.hpp"

#include "deadbox/util/escape.hpp"

namespace deadbox {

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::kImage: return "image";
    case Layer::kVolume: return "volume";
    case Layer::kFs: return "fs";
    case Layer::kTree: return "tree";
    case Layer::kArtifacts: return "artifacts";
    case Layer::kParser: return "parser";
    case Layer::kCheck: return "check";
    case Layer::kTimeline: return "timeline";
    case Layer::kExtract: return "extract";
    case Layer::kReport: return "report";
    case Layer::kCli: return "cli";
  }
  return "unknown";
}

namespace {
std::string one_line(const std::string& where, const std::string& reason) {
  // where/reason may hold image-controlled text; what() is printed to terminals.
  std::string text = where.empty() ? reason : where + ": " + reason;
  return escape::terminal(text);
}
}  // namespace

Error::Error(Layer layer, std::string code, std::string where, std::string reason)
    : std::runtime_error(one_line(where, reason)),
      layer_(layer),
      code_(std::move(code)),
      where_(std::move(where)),
      reason_(std::move(reason)) {}

}  // namespace deadbox
