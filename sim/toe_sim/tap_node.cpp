// SPDX-License-Identifier: Apache-2.0
// TapNode: a TAP device on the link, and the real-time pacer (see tap_node.hpp).
#include "tap_node.hpp"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "demo_common.hpp"  // ns_of
#include "options.hpp"      // UsageError

namespace toe::toesim {

using sc_core::sc_time;

int open_tap(const std::string& ifname, net::MacAddr* mac) {
  if (ifname.empty() || ifname.size() >= IFNAMSIZ)
    throw UsageError("--ifname '" + ifname + "': an interface name is 1.." + std::to_string(IFNAMSIZ - 1) + " characters");
  const int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw UsageError("--ifname " + ifname + ": cannot open /dev/net/tun: " + std::strerror(errno) +
                     (errno == EACCES || errno == EPERM ? " (needs root or CAP_NET_ADMIN)" : ""));
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
    const int e = errno;
    close(fd);
    std::string why = std::strerror(e);
    if (e == EBUSY) why = "in use (another process has it open)";
    if (e == EINVAL) why += " (an interface of another kind has this name?)";
    if (e == EPERM) why += " (needs root or CAP_NET_ADMIN)";
    throw UsageError("--ifname " + ifname + ": cannot attach to the TAP device: " + why);
  }
  const int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq hw{};
  std::strncpy(hw.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  if (s < 0 || ioctl(s, SIOCGIFHWADDR, &hw) != 0) {
    const std::string why = std::strerror(errno);
    if (s >= 0) close(s);
    close(fd);
    throw UsageError("--ifname " + ifname + ": cannot read its MAC (SIOCGIFHWADDR): " + why);
  }
  close(s);
  for (int i = 0; i < 6; ++i) mac->b[size_t(i)] = uint8_t(hw.ifr_hwaddr.sa_data[i]);
  return fd;
}

TapNode::TapNode(sc_core::sc_module_name name, int tap_fd, int wake_fd, sc_time slice)
    : sc_core::sc_module(name), eth_in("eth_in"), eth_out("eth_out"), fd_(tap_fd), wake_fd_(wake_fd), slice_(slice) {
  SC_THREAD(pace);
  SC_THREAD(tx);
}

uint64_t TapNode::wall_ns() const {
  return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0_).count());
}

double TapNode::wall_seconds() const { return started_ ? double(wall_ns()) / 1e9 : 0.0; }

size_t TapNode::drain() {
  size_t n = 0;
  uint8_t buf[65536];
  while (eth_out->num_free() > 0) {
    const ssize_t r = read(fd_, buf, sizeof buf);
    if (r <= 0) break;  // EAGAIN: nothing more; an error: try again later
    EthFrame f;
    f.data.assign(buf, buf + r);
    if (f.data.size() < 60) f.data.resize(60, 0);  // a MAC pads short frames on the wire
    f.time = sc_core::sc_time_stamp();
    ++c_.frames_from_tap;
    c_.bytes_from_tap += uint64_t(r);
    eth_out->nb_write(f);
    ++n;
  }
  return n;
}

void TapNode::pace() {
  // Sleep with a fine timer: the default 50 us slack would be added to every wake.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  t0_ = std::chrono::steady_clock::now();
  started_ = true;
  const uint64_t slice_ns = ns_of(slice_);
  for (;;) {
    drain();
    const uint64_t t = ns_of(sc_core::sc_time_stamp());
    uint64_t w = wall_ns();
    if (w > t) c_.max_behind_us = std::max(c_.max_behind_us, (w - t) / 1000);
    if (w >= t + slice_ns) {
      wait(slice_);  // behind: no sleep
      continue;
    }
    // Near the wall clock: sleep until it reaches the simulation's next event (or one slice).
    uint64_t gap = slice_ns;
    const sc_time pending = sc_core::sc_time_to_pending_activity();
    if (pending < slice_) gap = ns_of(pending);
    const uint64_t next = t + gap;
    if (w < next) {
      pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      const uint64_t d = next - w;
      const timespec ts{time_t(d / 1000000000u), long(d % 1000000000u)};
      ++c_.sleeps;
      ppoll(fds, wake_fd_ >= 0 ? 2 : 1, &ts, nullptr);
      if (wake_fd_ >= 0 && (fds[1].revents & POLLIN)) {
        char sink[64];
        while (read(wake_fd_, sink, sizeof sink) > 0) {
        }
      }
      w = wall_ns();
    }
    const uint64_t to = std::min(w, next);
    if (to > t)
      wait(sc_time(double(to - t), sc_core::SC_NS));
    else
      wait(sc_core::SC_ZERO_TIME);
  }
}

void TapNode::tx() {
  for (;;) {
    const EthFrame f = eth_in.read();
    const ssize_t r = write(fd_, f.data.data(), f.data.size());
    if (r == ssize_t(f.data.size())) {
      ++c_.frames_to_tap;
      c_.bytes_to_tap += f.data.size();
    } else {
      ++c_.write_errors;
    }
  }
}

}  // namespace toe::toesim
