// SPDX-License-Identifier: Apache-2.0
// pcap read/write through libpcap. Writes Ethernet (LINKTYPE_ETHERNET) files
// with nanosecond timestamps; reads Ethernet and raw-IPv4 files.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace toe::net {

struct PcapError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class LinkType : int { kEthernet = 1, kRawIp = 101 };

struct PcapRecord {
  uint64_t ts_ns = 0;  // timestamp in nanoseconds since the epoch of the file
  std::vector<uint8_t> data;
  uint32_t orig_len = 0;  // length on the wire (>= data.size() when truncated by snaplen)
};

class PcapWriter {
 public:
  // Throws PcapError naming the file when it cannot be opened.
  explicit PcapWriter(const std::string& path, LinkType lt = LinkType::kEthernet);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;
  void write(uint64_t ts_ns, const uint8_t* data, size_t len);
  void write(uint64_t ts_ns, const std::vector<uint8_t>& frame) { write(ts_ns, frame.data(), frame.size()); }
  void flush();
  uint64_t count() const { return count_; }
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  uint64_t count_ = 0;
};

class PcapReader {
 public:
  // Throws PcapError naming the file for a missing/unreadable file or an
  // unsupported link type.
  explicit PcapReader(const std::string& path);
  ~PcapReader();
  PcapReader(const PcapReader&) = delete;
  PcapReader& operator=(const PcapReader&) = delete;
  LinkType link_type() const { return lt_; }
  // false at end of file; throws PcapError on a corrupt record.
  bool next(PcapRecord& rec);
  static std::vector<PcapRecord> read_all(const std::string& path, LinkType* lt = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  LinkType lt_ = LinkType::kEthernet;
};

}  // namespace toe::net
