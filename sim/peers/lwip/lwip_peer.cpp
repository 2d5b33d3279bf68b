// SPDX-License-Identifier: Apache-2.0
// toe::sim::LwipPeer: see lwip_peer.hpp and README.md.
#include "lwip_peer.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "lwip/init.h"
#include "lwip/ip.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "toe_lwip_port.h"

namespace toe::sim {

namespace {

constexpr uint64_t kNsPerMs = 1000000;

void* to_arg(int id) { return reinterpret_cast<void*>(static_cast<intptr_t>(id)); }
int from_arg(void* arg) { return static_cast<int>(reinterpret_cast<intptr_t>(arg)); }

toe::TcpState map_state(enum tcp_state s) {
  switch (s) {
    case CLOSED: return toe::TcpState::CLOSED;
    case LISTEN: return toe::TcpState::LISTEN;
    case SYN_SENT: return toe::TcpState::SYN_SENT;
    case SYN_RCVD: return toe::TcpState::SYN_RECEIVED;
    case ESTABLISHED: return toe::TcpState::ESTABLISHED;
    case FIN_WAIT_1: return toe::TcpState::FIN_WAIT_1;
    case FIN_WAIT_2: return toe::TcpState::FIN_WAIT_2;
    case CLOSE_WAIT: return toe::TcpState::CLOSE_WAIT;
    case CLOSING: return toe::TcpState::CLOSING;
    case LAST_ACK: return toe::TcpState::LAST_ACK;
    case TIME_WAIT: return toe::TcpState::TIME_WAIT;
  }
  return toe::TcpState::CLOSED;
}

ip_addr_t make_addr(uint32_t host_order_ip) {
  ip_addr_t a;
  ip4_addr_set_u32(&a, lwip_htonl(host_order_ip));
  return a;
}

// lwIP's tcp_recved() takes a u16_t.
void recved(struct tcp_pcb* pcb, uint64_t n) {
  while (n > 0) {
    const uint16_t chunk = static_cast<uint16_t>(std::min<uint64_t>(n, 0xffff));
    tcp_recved(pcb, chunk);
    n -= chunk;
  }
}

}  // namespace

struct LwipPeer::Impl {
  struct Conn {
    int id = 0;
    int listener = 0;  // 0 for active opens
    PeerApp app = PeerApp::kManual;
    uint64_t source_total = 0, source_sent = 0;
    struct tcp_pcb* pcb = nullptr;  // nullptr once lwIP freed it
    std::vector<uint8_t> rx;        // kManual: delivered, not yet taken
    uint64_t rx_unrecved = 0;       // kManual: bytes not yet tcp_recved()
    std::deque<uint8_t> echo_pending;
    uint64_t bytes_received = 0, bytes_sent = 0;
    bool peer_closed = false, app_closed = false, close_pending = false,
         close_when_drained = false, accepted = false;
    PeerError error = PeerError::kNone;
    std::vector<toe::TcpState> log;
    uint32_t iss = 0, remote_ip = 0;
    uint16_t local_port = 0, remote_port = 0;
  };
  struct Listener {
    int id = 0;
    struct tcp_pcb* pcb = nullptr;
    PeerApp app = PeerApp::kManual;
    uint64_t source_bytes = 0;
    std::vector<int> accepted;
  };

  LwipPeerConfig cfg;
  struct netif nif {};
  uint64_t now_ns = 0;
  uint64_t drops = 0;
  int next_id = 1;
  std::vector<std::vector<uint8_t>> out;
  std::map<int, Conn> conns;
  std::map<int, Listener> listeners;

  static Impl* current;  // the one live instance; lwIP's callbacks reach it through this

  // ---- lookups -----------------------------------------------------------------------------
  Conn* conn(int id) {
    auto it = conns.find(id);
    return it == conns.end() ? nullptr : &it->second;
  }
  const Conn& conn_or_throw(int id) const {
    auto it = conns.find(id);
    if (it == conns.end()) throw std::out_of_range("LwipPeer: no connection " + std::to_string(id));
    return it->second;
  }
  Conn& conn_or_throw(int id) {
    return const_cast<Conn&>(static_cast<const Impl*>(this)->conn_or_throw(id));
  }

  // ---- state observation ----------------------------------------------------------------------
  static void log_state(Conn& c, toe::TcpState s) {
    if (c.log.empty() || c.log.back() != s) c.log.push_back(s);
  }
  static void observe(Conn& c) {
    if (c.pcb != nullptr) log_state(c, map_state(c.pcb->state));
  }
  void mark_freed(Conn& c) {
    c.pcb = nullptr;
    log_state(c, toe::TcpState::CLOSED);
  }

  void install_callbacks(Conn& c, struct tcp_pcb* pcb) {
    tcp_arg(pcb, to_arg(c.id));
    tcp_recv(pcb, &Impl::on_recv);
    tcp_sent(pcb, &Impl::on_sent);
    tcp_err(pcb, &Impl::on_err);
  }

  Conn& add_conn(struct tcp_pcb* pcb, int listener, PeerApp app, uint64_t source_bytes) {
    const int id = next_id++;
    Conn& c = conns[id];
    c.id = id;
    c.listener = listener;
    c.app = app;
    c.source_total = source_bytes;
    c.pcb = pcb;
    // The ISS as sent: lwIP sends its SYN at snd_lbb (tcp_next_iss() - 1 for an active
    // open, tcp_next_iss() for a passive one), which equals lastack until the SYN is acked.
    c.iss = pcb->lastack;
    return c;
  }
  static void record_addrs(Conn& c) {
    c.local_port = c.pcb->local_port;
    c.remote_port = c.pcb->remote_port;
    c.remote_ip = lwip_ntohl(ip4_addr_get_u32(&c.pcb->remote_ip));
  }

  // After every input, timer step and API call: retry pending closes, adopt pcbs lwIP created
  // for listeners (SYN_RECEIVED, before accept), and notice pcbs lwIP freed without telling
  // the application (LAST_ACK acked, TIME_WAIT expired, tcp_close() of an unsynchronised pcb).
  void sample() {
    for (auto& [id, c] : conns) {
      if (c.pcb != nullptr && c.close_pending) {
        c.close_pending = false;
        do_close(c, c.pcb);
      }
    }
    std::unordered_map<int, struct tcp_pcb*> alive;
    for (struct tcp_pcb* list : {tcp_active_pcbs, tcp_tw_pcbs}) {
      for (struct tcp_pcb* pcb = list; pcb != nullptr; pcb = pcb->next) {
        const int id = from_arg(pcb->callback_arg);
        if (conns.count(id) != 0) {
          alive[id] = pcb;
        } else if (auto l = listeners.find(id); l != listeners.end()) {
          Conn& c = add_conn(pcb, id, l->second.app, l->second.source_bytes);
          record_addrs(c);
          install_callbacks(c, pcb);
          alive[c.id] = pcb;
        }
      }
    }
    for (auto& [id, c] : conns) {
      if (c.pcb == nullptr) continue;
      auto it = alive.find(id);
      if (it == alive.end() || it->second != c.pcb) {
        mark_freed(c);
      } else {
        observe(c);
      }
    }
  }

  // ---- applications ---------------------------------------------------------------------------
  void do_close(Conn& c, struct tcp_pcb* pcb) {
    if (c.app_closed) return;
    if (tcp_close(pcb) == ERR_OK) {
      c.app_closed = true;
      // tcp_close() may have freed the pcb (CLOSED, SYN_SENT, or RST on unread data);
      // sample() notices. Only look at it if it is still registered.
    } else {
      c.close_pending = true;  // out of memory: retried after the next step
    }
  }

  // Hands as many bytes as lwIP accepts to tcp_write(); returns the count.
  static size_t write_some(struct tcp_pcb* pcb, const uint8_t* data, size_t len) {
    size_t done = 0;
    while (done < len) {
      size_t n = std::min<size_t>({len - done, static_cast<size_t>(tcp_sndbuf(pcb)), 0xffff});
      if (n == 0) break;
      err_t err = tcp_write(pcb, data + done, static_cast<u16_t>(n), TCP_WRITE_FLAG_COPY);
      // The segment-queue limit can refuse a write that fits the buffer: try smaller pieces.
      while (err == ERR_MEM && n > 1) {
        n /= 2;
        err = tcp_write(pcb, data + done, static_cast<u16_t>(n), TCP_WRITE_FLAG_COPY);
      }
      if (err != ERR_OK) break;
      done += n;
    }
    return done;
  }

  void pump_echo(Conn& c, struct tcp_pcb* pcb) {
    std::vector<uint8_t> chunk;
    while (!c.echo_pending.empty()) {
      const size_t n = std::min<size_t>({c.echo_pending.size(), static_cast<size_t>(tcp_sndbuf(pcb)), 0xffff});
      if (n == 0) break;
      chunk.assign(c.echo_pending.begin(), c.echo_pending.begin() + static_cast<std::ptrdiff_t>(n));
      const size_t w = write_some(pcb, chunk.data(), chunk.size());
      if (w == 0) break;
      c.echo_pending.erase(c.echo_pending.begin(), c.echo_pending.begin() + static_cast<std::ptrdiff_t>(w));
      c.bytes_sent += w;
      recved(pcb, w);  // consumed: reopen the window
    }
    if (c.echo_pending.empty() && c.close_when_drained) do_close(c, pcb);
  }

  void pump_source(Conn& c, struct tcp_pcb* pcb) {
    std::vector<uint8_t> chunk;
    while (c.source_sent < c.source_total) {
      const size_t n = static_cast<size_t>(
          std::min<uint64_t>({c.source_total - c.source_sent, tcp_sndbuf(pcb), 0xffff}));
      if (n == 0) break;
      chunk.resize(n);
      for (size_t i = 0; i < n; ++i) chunk[i] = source_pattern_byte(c.source_sent + i);
      const size_t w = write_some(pcb, chunk.data(), n);
      if (w == 0) break;
      c.source_sent += w;
      c.bytes_sent += w;
    }
    if (c.source_sent == c.source_total) do_close(c, pcb);
  }

  void pump(Conn& c, struct tcp_pcb* pcb) {
    if (c.app == PeerApp::kEcho) pump_echo(c, pcb);
    if (c.app == PeerApp::kSource) pump_source(c, pcb);
  }

  // ---- lwIP callbacks (raw API) -----------------------------------------------------------------
  static err_t on_accept(void* arg, struct tcp_pcb* pcb, err_t err) {
    if (pcb == nullptr || err != ERR_OK || current == nullptr) return ERR_VAL;
    Impl& self = *current;
    const int id = from_arg(arg);
    Conn* c = self.conn(id);
    if (c == nullptr) {
      // Not adopted by sample() yet (cannot normally happen): adopt it now.
      auto l = self.listeners.find(id);
      if (l == self.listeners.end()) return ERR_VAL;  // lwIP aborts the connection
      c = &self.add_conn(pcb, id, l->second.app, l->second.source_bytes);
      record_addrs(*c);
      self.install_callbacks(*c, pcb);
    }
    c->pcb = pcb;
    c->accepted = true;
    if (auto l = self.listeners.find(c->listener); l != self.listeners.end()) {
      l->second.accepted.push_back(c->id);
    }
    observe(*c);
    self.pump(*c, pcb);
    observe(*c);
    return ERR_OK;
  }

  static err_t on_connected(void* arg, struct tcp_pcb* pcb, err_t err) {
    if (current == nullptr) return ERR_OK;
    Conn* c = current->conn(from_arg(arg));
    if (c == nullptr || err != ERR_OK) return ERR_OK;
    observe(*c);
    current->pump(*c, pcb);
    observe(*c);
    return ERR_OK;
  }

  static err_t on_recv(void* arg, struct tcp_pcb* pcb, struct pbuf* p, err_t err) {
    Conn* c = current == nullptr ? nullptr : current->conn(from_arg(arg));
    if (c == nullptr) {
      if (p != nullptr) {
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
      }
      return ERR_OK;
    }
    Impl& self = *current;
    observe(*c);
    if (p == nullptr) {  // FIN
      c->peer_closed = true;
      switch (c->app) {
        case PeerApp::kEcho:
          c->close_when_drained = true;
          self.pump_echo(*c, pcb);
          break;
        case PeerApp::kDiscard: self.do_close(*c, pcb); break;
        case PeerApp::kSource:
        case PeerApp::kManual: break;
      }
      observe(*c);
      return ERR_OK;
    }
    (void)err;  // always ERR_OK in lwIP 2.1.3
    const uint16_t n = p->tot_len;
    c->bytes_received += n;
    switch (c->app) {
      case PeerApp::kEcho: {
        std::vector<uint8_t> tmp(n);
        pbuf_copy_partial(p, tmp.data(), n, 0);
        c->echo_pending.insert(c->echo_pending.end(), tmp.begin(), tmp.end());
        pbuf_free(p);
        self.pump_echo(*c, pcb);
        break;
      }
      case PeerApp::kManual: {
        const size_t old = c->rx.size();
        c->rx.resize(old + n);
        pbuf_copy_partial(p, c->rx.data() + old, n, 0);
        c->rx_unrecved += n;
        pbuf_free(p);
        break;
      }
      case PeerApp::kDiscard:
      case PeerApp::kSource:
        tcp_recved(pcb, n);
        pbuf_free(p);
        break;
    }
    observe(*c);
    return ERR_OK;
  }

  static err_t on_sent(void* arg, struct tcp_pcb* pcb, u16_t len) {
    (void)len;
    Conn* c = current == nullptr ? nullptr : current->conn(from_arg(arg));
    if (c == nullptr) return ERR_OK;
    observe(*c);
    current->pump(*c, pcb);
    observe(*c);
    return ERR_OK;
  }

  // The pcb is already freed (or about to be) when this runs.
  static void on_err(void* arg, err_t err) {
    Conn* c = current == nullptr ? nullptr : current->conn(from_arg(arg));
    if (c == nullptr) return;
    switch (err) {
      case ERR_RST: c->error = PeerError::kReset; break;
      case ERR_ABRT: c->error = PeerError::kAborted; break;
      case ERR_CLSD: c->error = PeerError::kClosed; break;
      default: c->error = PeerError::kAborted; break;
    }
    current->mark_freed(*c);
  }

  // ---- netif -------------------------------------------------------------------------------------
  static err_t netif_output(struct netif* nif, struct pbuf* p, const ip4_addr_t* next_hop) {
    (void)nif;
    (void)next_hop;
    if (current == nullptr) return ERR_OK;
    std::vector<uint8_t> pkt(p->tot_len);
    pbuf_copy_partial(p, pkt.data(), p->tot_len, 0);
    current->out.push_back(std::move(pkt));
    return ERR_OK;
  }
  static err_t init_netif(struct netif* nif) {
    nif->name[0] = 't';
    nif->name[1] = 'o';
    nif->output = &Impl::netif_output;
    nif->mtu = static_cast<u16_t>(current->cfg.mss + 40);
    nif->flags = 0;  // point-to-point IPv4: no ARP, no broadcast
    return ERR_OK;
  }

  // Frees every pcb without sending anything.
  static void free_all_pcbs() {
    for (struct tcp_pcb** list : {&tcp_active_pcbs, &tcp_tw_pcbs, &tcp_bound_pcbs}) {
      while (*list != nullptr) {
        struct tcp_pcb* pcb = *list;
        pcb->errf = nullptr;
        pcb->callback_arg = nullptr;
        tcp_abandon(pcb, 0);
      }
    }
    while (tcp_listen_pcbs.pcbs != nullptr) {
      tcp_close(tcp_listen_pcbs.pcbs);
    }
  }
};

LwipPeer::Impl* LwipPeer::Impl::current = nullptr;

// ---- LwipPeer ------------------------------------------------------------------------------------

LwipPeer::LwipPeer(const LwipPeerConfig& cfg) {
  if (Impl::current != nullptr) {
    throw std::logic_error("LwipPeer: another instance exists (lwIP has global state: one at a time)");
  }
  if (cfg.mss < 64 || cfg.mss > TCP_MSS) {
    throw std::invalid_argument("LwipPeer: mss must be 64.." + std::to_string(TCP_MSS));
  }
  impl_ = std::make_unique<Impl>();
  impl_->cfg = cfg;
  Impl::current = impl_.get();

  toe_lwip_reset_all();
  lwip_init();
  const ip4_addr_t ip = make_addr(cfg.local_ip);
  const ip4_addr_t mask = make_addr(0xFFFFFF00u);
  const ip4_addr_t gw = make_addr(0);
  if (netif_add(&impl_->nif, &ip, &mask, &gw, nullptr, &Impl::init_netif, &ip_input) == nullptr) {
    Impl::current = nullptr;
    throw std::runtime_error("LwipPeer: netif_add failed");
  }
  netif_set_default(&impl_->nif);
  netif_set_up(&impl_->nif);
  netif_set_link_up(&impl_->nif);
}

LwipPeer::~LwipPeer() {
  Impl::free_all_pcbs();
  netif_remove(&impl_->nif);
  toe_lwip_reset_all();  // lwIP memory itself is re-initialised by the next lwip_init()
  Impl::current = nullptr;
}

void LwipPeer::input(const uint8_t* ip_packet, size_t len) {
  if (len == 0 || len > 0xffff || ip_packet == nullptr) {
    ++impl_->drops;
    return;
  }
  struct pbuf* p = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(len), PBUF_POOL);
  if (p == nullptr) {
    ++impl_->drops;
    return;
  }
  pbuf_take(p, ip_packet, static_cast<u16_t>(len));
  if (impl_->nif.input(p, &impl_->nif) != ERR_OK) pbuf_free(p);
  impl_->sample();
}

std::vector<std::vector<uint8_t>> LwipPeer::take_output() {
  std::vector<std::vector<uint8_t>> v;
  v.swap(impl_->out);
  return v;
}

void LwipPeer::advance_to(uint64_t now_ns) {
  if (now_ns < impl_->now_ns) return;
  const uint64_t target_ms = now_ns / kNsPerMs;
  for (;;) {
    const u32_t sleep = sys_timeouts_sleeptime();
    if (sleep == SYS_TIMEOUTS_SLEEPTIME_INFINITE) break;
    const uint64_t due_ms = impl_->now_ns / kNsPerMs + sleep;
    if (due_ms > target_ms) break;
    impl_->now_ns = std::max(impl_->now_ns, due_ms * kNsPerMs);
    toe_lwip_now_ms = static_cast<uint32_t>(impl_->now_ns / kNsPerMs);
    sys_check_timeouts();
    impl_->sample();
  }
  impl_->now_ns = now_ns;
  toe_lwip_now_ms = static_cast<uint32_t>(now_ns / kNsPerMs);
}

uint64_t LwipPeer::now_ns() const { return impl_->now_ns; }

uint64_t LwipPeer::next_timer_ns() const {
  const u32_t sleep = sys_timeouts_sleeptime();
  if (sleep == SYS_TIMEOUTS_SLEEPTIME_INFINITE) return std::numeric_limits<uint64_t>::max();
  return std::max(impl_->now_ns, (impl_->now_ns / kNsPerMs + sleep) * kNsPerMs);
}

uint64_t LwipPeer::input_drops() const { return impl_->drops; }

int LwipPeer::listen(uint16_t port, PeerApp app, size_t source_bytes) {
  struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (pcb == nullptr) return -1;
  if (tcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK) {
    tcp_close(pcb);
    return -1;
  }
  struct tcp_pcb* lpcb = tcp_listen(pcb);
  if (lpcb == nullptr) {
    tcp_close(pcb);
    return -1;
  }
  const int id = impl_->next_id++;
  Impl::Listener& l = impl_->listeners[id];
  l.id = id;
  l.pcb = lpcb;
  l.app = app;
  l.source_bytes = source_bytes;
  tcp_arg(lpcb, to_arg(id));
  tcp_accept(lpcb, &Impl::on_accept);
  return id;
}

void LwipPeer::close_listener(int listener) {
  auto it = impl_->listeners.find(listener);
  if (it == impl_->listeners.end()) throw std::out_of_range("LwipPeer: no listener " + std::to_string(listener));
  if (it->second.pcb != nullptr) {
    tcp_close(it->second.pcb);  // frees a listen pcb; cannot fail
    it->second.pcb = nullptr;
  }
  impl_->sample();
}

int LwipPeer::connect(uint32_t remote_ip, uint16_t remote_port, uint16_t local_port, PeerApp app,
                      size_t source_bytes) {
  struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (pcb == nullptr) return -1;
  if (local_port != 0 && tcp_bind(pcb, IP4_ADDR_ANY, local_port) != ERR_OK) {
    tcp_close(pcb);
    return -1;
  }
  Impl::Conn& c = impl_->add_conn(pcb, 0, app, source_bytes);
  const int id = c.id;
  impl_->install_callbacks(c, pcb);
  const ip_addr_t rip = make_addr(remote_ip);
  if (tcp_connect(pcb, &rip, remote_port, &Impl::on_connected) != ERR_OK) {
    tcp_close(pcb);
    impl_->conns.erase(id);
    return -1;
  }
  c.iss = pcb->lastack;
  Impl::record_addrs(c);
  Impl::observe(c);
  impl_->sample();
  return id;
}

std::vector<int> LwipPeer::connections() const {
  std::vector<int> ids;
  for (const auto& kv : impl_->conns) ids.push_back(kv.first);
  return ids;
}

std::vector<int> LwipPeer::accepted(int listener) const {
  auto it = impl_->listeners.find(listener);
  if (it == impl_->listeners.end()) throw std::out_of_range("LwipPeer: no listener " + std::to_string(listener));
  return it->second.accepted;
}

toe::TcpState LwipPeer::state(int conn) const {
  const Impl::Conn& c = impl_->conn_or_throw(conn);
  return c.pcb == nullptr ? toe::TcpState::CLOSED : map_state(c.pcb->state);
}

std::vector<toe::TcpState> LwipPeer::state_log(int conn) const { return impl_->conn_or_throw(conn).log; }

PeerTcb LwipPeer::tcb(int conn) const {
  const Impl::Conn& c = impl_->conn_or_throw(conn);
  PeerTcb t;
  if (c.pcb == nullptr) return t;
  t.snd_una = c.pcb->lastack;
  t.snd_nxt = c.pcb->snd_nxt;
  t.snd_wnd = c.pcb->snd_wnd;
  t.rcv_nxt = c.pcb->rcv_nxt;
  t.rcv_wnd = c.pcb->rcv_wnd;
  t.iss = c.iss;
  t.rcv_ann_wnd = c.pcb->rcv_ann_wnd;
  t.mss = c.pcb->mss;
  t.valid = true;
  return t;
}

uint16_t LwipPeer::local_port(int conn) const { return impl_->conn_or_throw(conn).local_port; }
uint16_t LwipPeer::remote_port(int conn) const { return impl_->conn_or_throw(conn).remote_port; }
uint32_t LwipPeer::remote_ip(int conn) const { return impl_->conn_or_throw(conn).remote_ip; }

size_t LwipPeer::send(int conn, const uint8_t* data, size_t len) {
  Impl::Conn& c = impl_->conn_or_throw(conn);
  if (c.pcb == nullptr || len == 0) return 0;
  const size_t n = Impl::write_some(c.pcb, data, len);
  c.bytes_sent += n;
  tcp_output(c.pcb);
  Impl::observe(c);
  impl_->sample();
  return n;
}

size_t LwipPeer::send_space(int conn) const {
  const Impl::Conn& c = impl_->conn_or_throw(conn);
  return c.pcb == nullptr ? 0 : tcp_sndbuf(c.pcb);
}

std::vector<uint8_t> LwipPeer::take_received(int conn) {
  Impl::Conn& c = impl_->conn_or_throw(conn);
  std::vector<uint8_t> v;
  v.swap(c.rx);
  if (c.rx_unrecved > 0 && c.pcb != nullptr) {
    recved(c.pcb, c.rx_unrecved);  // may send a window update
    impl_->sample();
  }
  c.rx_unrecved = 0;
  return v;
}

uint64_t LwipPeer::bytes_received(int conn) const { return impl_->conn_or_throw(conn).bytes_received; }
uint64_t LwipPeer::bytes_sent(int conn) const { return impl_->conn_or_throw(conn).bytes_sent; }
bool LwipPeer::peer_closed(int conn) const { return impl_->conn_or_throw(conn).peer_closed; }

void LwipPeer::close(int conn) {
  Impl::Conn& c = impl_->conn_or_throw(conn);
  if (c.pcb == nullptr) return;
  impl_->do_close(c, c.pcb);
  impl_->sample();
}

void LwipPeer::shutdown_tx(int conn) {
  Impl::Conn& c = impl_->conn_or_throw(conn);
  if (c.pcb == nullptr) return;
  tcp_shutdown(c.pcb, 0, 1);
  impl_->sample();
}

void LwipPeer::abort(int conn) {
  Impl::Conn& c = impl_->conn_or_throw(conn);
  if (c.pcb == nullptr) return;
  tcp_abort(c.pcb);  // calls on_err(ERR_ABRT), which marks the pcb freed
  impl_->sample();
}

bool LwipPeer::was_reset(int conn) const {
  const PeerError e = impl_->conn_or_throw(conn).error;
  return e == PeerError::kReset || e == PeerError::kAborted;
}

PeerError LwipPeer::error(int conn) const { return impl_->conn_or_throw(conn).error; }

}  // namespace toe::sim
