// SPDX-License-Identifier: Apache-2.0
// pcap through libpcap: pcap_open_dead + pcap_dump for writing (nanosecond
// precision), pcap_open_offline for reading (Ethernet and raw IPv4).
#include "toe/net/pcap.hpp"

#include <pcap/pcap.h>

namespace toe::net {

struct PcapWriter::Impl {
  pcap_t* p = nullptr;
  pcap_dumper_t* d = nullptr;
};

PcapWriter::PcapWriter(const std::string& path, LinkType lt) : impl_(new Impl), path_(path) {
  const int dlt = lt == LinkType::kEthernet ? DLT_EN10MB : DLT_RAW;
  impl_->p = pcap_open_dead_with_tstamp_precision(dlt, 65535, PCAP_TSTAMP_PRECISION_NANO);
  if (!impl_->p) throw PcapError(path + ": pcap_open_dead failed");
  impl_->d = pcap_dump_open(impl_->p, path.c_str());
  if (!impl_->d) {
    std::string err = path + ": cannot open for writing: " + pcap_geterr(impl_->p);
    pcap_close(impl_->p);
    throw PcapError(err);
  }
}

PcapWriter::~PcapWriter() {
  if (impl_->d) pcap_dump_close(impl_->d);
  if (impl_->p) pcap_close(impl_->p);
}

void PcapWriter::write(uint64_t ts_ns, const uint8_t* data, size_t len) {
  pcap_pkthdr h{};
  h.ts.tv_sec = static_cast<time_t>(ts_ns / 1000000000ull);
  h.ts.tv_usec = static_cast<suseconds_t>(ts_ns % 1000000000ull);  // nanoseconds in a nano file
  h.caplen = static_cast<bpf_u_int32>(len);
  h.len = static_cast<bpf_u_int32>(len);
  pcap_dump(reinterpret_cast<u_char*>(impl_->d), &h, data);
  ++count_;
}

void PcapWriter::flush() { pcap_dump_flush(impl_->d); }

struct PcapReader::Impl {
  pcap_t* p = nullptr;
};

PcapReader::PcapReader(const std::string& path) : impl_(new Impl), path_(path) {
  char err[PCAP_ERRBUF_SIZE] = {0};
  impl_->p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err);
  if (!impl_->p) throw PcapError(path + ": " + err);
  const int dlt = pcap_datalink(impl_->p);
  if (dlt == DLT_EN10MB) {
    lt_ = LinkType::kEthernet;
  } else if (dlt == DLT_RAW || dlt == DLT_IPV4 || dlt == 101 /* LINKTYPE_RAW as stored */) {
    lt_ = LinkType::kRawIp;
  } else {
    pcap_close(impl_->p);
    impl_->p = nullptr;
    throw PcapError(path + ": unsupported link type " + std::to_string(dlt) +
                    " (expected Ethernet or raw IPv4)");
  }
}

PcapReader::~PcapReader() {
  if (impl_->p) pcap_close(impl_->p);
}

bool PcapReader::next(PcapRecord& rec) {
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  const int r = pcap_next_ex(impl_->p, &h, &data);
  if (r == PCAP_ERROR_BREAK) return false;
  if (r != 1) throw PcapError(path_ + ": corrupt record: " + pcap_geterr(impl_->p));
  rec.ts_ns = static_cast<uint64_t>(h->ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(h->ts.tv_usec);
  rec.data.assign(data, data + h->caplen);
  rec.orig_len = h->len;
  return true;
}

std::vector<PcapRecord> PcapReader::read_all(const std::string& path, LinkType* lt) {
  PcapReader r(path);
  if (lt) *lt = r.link_type();
  std::vector<PcapRecord> out;
  PcapRecord rec;
  while (r.next(rec)) out.push_back(rec);
  return out;
}

}  // namespace toe::net
