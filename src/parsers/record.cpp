// SPDX-License-Identifier: Apache-2.0
#include "deadbox/parsers/record.hpp"

namespace deadbox::parsers {

Record& Record::set(std::string_view name, Value v) {
  for (auto& [k, val] : fields) {
    if (k == name) {
      val = std::move(v);
      return *this;
    }
  }
  fields.emplace_back(std::string(name), std::move(v));
  return *this;
}

const Value* Record::get(std::string_view name) const {
  for (const auto& [k, val] : fields)
    if (k == name) return &val;
  return nullptr;
}

std::optional<std::string_view> Record::str(std::string_view name) const {
  const Value* v = get(name);
  if (v == nullptr) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(v)) return std::string_view(*s);
  return std::nullopt;
}

std::optional<int64_t> Record::i64(std::string_view name) const {
  const Value* v = get(name);
  if (v == nullptr) return std::nullopt;
  if (const auto* i = std::get_if<int64_t>(v)) return *i;
  return std::nullopt;
}

std::optional<bool> Record::flag(std::string_view name) const {
  const Value* v = get(name);
  if (v == nullptr) return std::nullopt;
  if (const auto* b = std::get_if<bool>(v)) return *b;
  return std::nullopt;
}

std::optional<int64_t> Record::time(std::string_view name) const {
  const Value* v = get(name);
  if (v == nullptr) return std::nullopt;
  if (const auto* t = std::get_if<Timestamp>(v)) return t->ns;
  return std::nullopt;
}

void RecordStore::add(Record record) {
  auto it = by_type_.find(record.type);
  if (it == by_type_.end()) it = by_type_.emplace(record.type, std::vector<Record>{}).first;
  it->second.push_back(std::move(record));
}

const std::vector<Record>& RecordStore::of(std::string_view type) const {
  static const std::vector<Record> kEmpty;
  auto it = by_type_.find(type);
  return it == by_type_.end() ? kEmpty : it->second;
}

std::vector<std::string> RecordStore::types() const {
  std::vector<std::string> out;
  for (const auto& [t, v] : by_type_) out.push_back(t);
  return out;
}

size_t RecordStore::size() const {
  size_t n = 0;
  for (const auto& [t, v] : by_type_) n += v.size();
  return n;
}

}  // namespace deadbox::parsers
