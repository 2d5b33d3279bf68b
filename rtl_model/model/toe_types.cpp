// SPDX-License-Identifier: Apache-2.0
#include "toe_types.hpp"


namespace toe::model {

// ---- names --------------------------------------------------------------------
const char* to_string(CmdOp op) {
  switch (op) {
    case CmdOp::kNop: return "nop";
    case CmdOp::kListen: return "listen";
    case CmdOp::kUnlisten: return "unlisten";
    case CmdOp::kConnect: return "connect";
    case CmdOp::kClose: return "close";
    case CmdOp::kAbort: return "abort";
    case CmdOp::kTxPush: return "tx_push";
    case CmdOp::kRxConsume: return "rx_consume";
    case CmdOp::kRetransmit: return "retransmit";
    case CmdOp::kTimeWaitExpire: return "time_wait_expire";
    case CmdOp::kGiveUp: return "give_up";
    case CmdOp::kSendAck: return "send_ack";
  }
  return "?";
}

const char* to_string(EvtType t) {
  switch (t) {
    case EvtType::kConnected: return "connected";
    case EvtType::kAccepted: return "accepted";
    case EvtType::kData: return "data";
    case EvtType::kAcked: return "acked";
    case EvtType::kPeerClosed: return "peer_closed";
    case EvtType::kClosed: return "closed";
    case EvtType::kReset: return "reset";
    case EvtType::kTimedOut: return "timed_out";
    case EvtType::kConnectFailed: return "connect_failed";
    case EvtType::kTimeWaitEntered: return "time_wait_entered";
    case EvtType::kRetxArm: return "retx_arm";
    case EvtType::kRetxDisarm: return "retx_disarm";
    case EvtType::kOpened: return "opened";
    case EvtType::kSynDropped: return "syn_dropped";
    case EvtType::kAckDelayed: return "ack_delayed";
  }
  return "?";
}

const char* to_string(Counter c) {
  switch (c) {
    case Counter::kFramesIn: return "frames_in";
    case Counter::kFramesOut: return "frames_out";
    case Counter::kDropBadCsum: return "drop_bad_csum";
    case Counter::kDropMalformed: return "drop_malformed";
    case Counter::kDropNotForUs: return "drop_not_for_us";
    case Counter::kDropNoConn: return "drop_no_conn";
    case Counter::kDropFragment: return "drop_fragment";
    case Counter::kDropOverflow: return "drop_overflow";
    case Counter::kChallengeAcks: return "challenge_acks";
    case Counter::kRstSent: return "rst_sent";
    case Counter::kDropMacError: return "drop_mac_error";
    case Counter::kDropUnacceptable: return "drop_unacceptable";
    case Counter::kChallengeAckLimited: return "challenge_ack_limited";
    case Counter::kSynDropped: return "syn_dropped";
    case Counter::kHalfOpenEvicted: return "half_open_evicted";
    case Counter::kEventsDropped: return "events_dropped";
    case Counter::kArpIn: return "arp_in";
    case Counter::kCount: break;
  }
  return "?";
}

}  // namespace toe::model
