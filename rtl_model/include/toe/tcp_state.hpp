// RFC 9293 connection states, with the RFC's names; shared by the model, the
// lwIP oracle wrapper, toe_sim and the tests. The numeric values are the ones
// the register map and the RTL use (toe_pkg::tcp_state_e).
#pragma once

#include <cstdint>

namespace toe {

enum class TcpState : uint8_t {
  CLOSED = 0,
  LISTEN = 1,
  SYN_SENT = 2,
  SYN_RECEIVED = 3,
  ESTABLISHED = 4,
  FIN_WAIT_1 = 5,
  FIN_WAIT_2 = 6,
  CLOSE_WAIT = 7,
  CLOSING = 8,
  LAST_ACK = 9,
  TIME_WAIT = 10,
};

constexpr const char* to_string(TcpState s) {
  switch (s) {
    case TcpState::CLOSED: return "CLOSED";
    case TcpState::LISTEN: return "LISTEN";
    case TcpState::SYN_SENT: return "SYN_SENT";
    case TcpState::SYN_RECEIVED: return "SYN_RECEIVED";
    case TcpState::ESTABLISHED: return "ESTABLISHED";
    case TcpState::FIN_WAIT_1: return "FIN_WAIT_1";
    case TcpState::FIN_WAIT_2: return "FIN_WAIT_2";
    case TcpState::CLOSE_WAIT: return "CLOSE_WAIT";
    case TcpState::CLOSING: return "CLOSING";
    case TcpState::LAST_ACK: return "LAST_ACK";
    case TcpState::TIME_WAIT: return "TIME_WAIT";
  }
  return "?";
}

}  // namespace toe
