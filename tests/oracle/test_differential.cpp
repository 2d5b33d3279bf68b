// SPDX-License-Identifier: Apache-2.0
// Differential tests, scripted: the engine (the C++ model, or the Verilated RTL with TOE_ENGINE=rtl)
// and lwIP 2.1.3 are both servers on port 80, fed the same scripted segment sequences by a synthetic
// client; one or more sequences per CONFORMANCE.md ID, each naming the divergence rows it expects
// (docs/divergences.md). Harness, step language and divergence table: tests/oracle/differential/
// (library toe_differential).
#include <gtest/gtest.h>

#include "differential_harness.hpp"

namespace {

using namespace toe::differential;

TEST(Differential, Agree_DataBothWaysAndPassiveClose) {
  scripted(after_handshake({in_seq(kA | kP, 10), in_seq(kA | kP, 20), op(Op::kSend, 30), in_seq(kA),
                            op(Op::kSend, 5), in_seq(kA | kP, 7), in_seq(kA | kF), in_seq(kA)}),
           {});
}

// ---- HS: handshake ------------------------------------------------------------------------------
TEST(Differential, HS1_ClosedPort) {
  scripted({to_port(syn(), kClosedPort),                                               // ACK off: R. ack SEG.SEQ+1
            to_port(seg(kS, SB::kIsn, 0, AB::kRaw, 0x12345678), kClosedPort),         // lwIP: seq = the ack field
            to_port(seg(kA, SB::kIsn, 0, AB::kRaw, 3000), kClosedPort),               // ACK on: <SEQ=SEG.ACK><RST>
            to_port(seg(kA | kP, SB::kIsn, 0, AB::kRaw, 3000, 10), kClosedPort),
            to_port(seg(kR, SB::kIsn, 0, AB::kRaw, 0), kClosedPort),                  // never answer a RST
            to_port(seg(kR | kA, SB::kIsn, 0, AB::kRaw, 5), kClosedPort),
            to_port(seg(kF, SB::kIsn, 0, AB::kRaw, 0), kClosedPort),
            to_port(seg(0, SB::kIsn, 0, AB::kRaw, 0, 5), kClosedPort)},
           {"rst-form"});
}

TEST(Differential, HS1_HS2_Listen) {
  scripted({seg(kR, SB::kIsn, 0, AB::kRaw, 0), seg(kR | kA, SB::kIsn, 0, AB::kRaw, 77),  // dropped
            seg(kS | kR, SB::kIsn, 0, AB::kRaw, 0),                                       // dropped
            seg(kA, SB::kIsn, 0, AB::kRaw, 77),                                           // RST
            seg(kF, SB::kIsn, 0, AB::kRaw, 0), seg(0, SB::kIsn, 0, AB::kRaw, 0, 3),        // dropped
            [] { Step s = syn(); s.len = 10; return s; }(),  // SYN with data: SYN-ACK acks the SYN only
            in_seq(kA), in_seq(kA | kP, 4)},
           {"rst-form"});
}

TEST(Differential, HS2_SynFinInListen) { scripted({seg(kS | kF, SB::kIsn, 0, AB::kRaw, 0), in_seq(kA)}, {"syn-fin-listen"}); }

TEST(Differential, HS6_SynReceivedBadAckIsReset) {
  // Sequence fine, ACK field bad: RST from both (lwIP's RST+ACK form), the half-open stays.
  scripted({syn(), seg(kA, SB::kNxt, 0, AB::kSnd, 5), seg(kA, SB::kNxt, 0, AB::kSnd, -1), in_seq(kA),
            in_seq(kA | kP, 3)},
           {"rst-form"});
}

TEST(Differential, HS6_SynReceivedSequenceCheck) {
  scripted({syn(), at(kA, SB::kWnd, 10)}, {"synrcvd-no-seq-check"});
}

TEST(Differential, HS6_SynReceivedSequenceCheckWithoutAck) {
  scripted({syn(), seg(0, SB::kNxt, -5, AB::kRaw, 0, 3), in_seq(kA)}, {"synrcvd-no-seq-check-noack"});
}

TEST(Differential, HS7_RetransmittedSynReanswered) { scripted({syn(), syn(), syn(), in_seq(kA)}, {}); }

TEST(Differential, HS7_OtherSynInSynReceived) { scripted({syn(), syn(7)}, {"synrcvd-other-syn"}); }

TEST(Differential, RS3_RstInSynReceivedBackToListen) {
  scripted({syn(), at(kR, SB::kNxt, 0), syn(1000), in_seq(kA), in_seq(kA | kP, 5)}, {});
}

// ---- SQ: sequence and ACK checks ------------------------------------------------------------------
TEST(Differential, SQ1_WindowEdgeProbes) {
  scripted(after_handshake({in_seq(kA | kP, 10),
                            at(kA, SB::kNxt, -1),           // len 0, RCV.NXT-1: unacceptable -> ACK
                            at(kA, SB::kWnd, -1),           // len 0, RCV.NXT+WND-1: acceptable, silent
                            at(kA, SB::kWnd, 0),            // len 0, RCV.NXT+WND: unacceptable -> ACK
                            at(kA, SB::kWnd, 1),
                            at(kA | kP, SB::kNxt, -20, 5),  // old data: ACK
                            at(kA | kP, SB::kWnd, 0, 1),    // data at RCV.NXT+WND: ACK
                            at(kA | kP, SB::kNxt, 0, 1)}),
           {});
}

TEST(Differential, SQ1_SQ2_ZeroWindow) {
  scripted(after_handshake({op(Op::kFill),
                            at(kA, SB::kNxt, 0),         // SQ2: acceptable; lwIP ACKs anyway
                            at(kA, SB::kNxt, 1),         // unacceptable at zero window: ACK
                            at(kA, SB::kNxt, -1),
                            at(kA | kP, SB::kNxt, 0, 1), // data at zero window: ACK, dropped
                            op(Op::kRead),               // window update
                            at(kA | kP, SB::kNxt, 0, 3)}),
           {"zero-window-ack"}, hold());
}

TEST(Differential, SQ1_WindowUpdateFromUnacceptableSegment) {
  // The client's handshake ACK closes its window; the server's data waits. An unacceptable segment
  // (beyond the window) then opens it: lwIP takes the window update and sends, the engine does not.
  scripted({syn(), seg(kA, SB::kNxt, 0, AB::kSnd, 0, 0, 0), op(Op::kSend, 10), at(kA, SB::kWnd, 100)},
           {"ack-of-unacceptable"});
}

TEST(Differential, SQ3_NoAckBitData) { scripted(after_handshake({in_seq(kP, 5)}), {"no-ack-bit"}); }

TEST(Differential, SQ4_AckBeyondSndNxt) {
  scripted(after_handshake({seg(kA, SB::kNxt, 0, AB::kSnd, 10),          // len 0: both ACK
                            seg(kA | kP, SB::kNxt, 0, AB::kSnd, 10, 5)}),  // text: lwIP delivers it
           {"ack-beyond-snd-nxt"});
}

TEST(Differential, SQ5_AckTooOld) {
  scripted(after_handshake({seg(kA | kP, SB::kNxt, 0, AB::kSnd, -100000, 5)}), {"ack-too-old"});
}

TEST(Differential, SQ6_WindowUpdateInRange) {
  scripted({syn(), seg(kA, SB::kNxt, 0, AB::kSnd, 0, 0, 0), op(Op::kSend, 10),
            seg(kA, SB::kNxt, 0, AB::kSnd, 0, 0, 5000), in_seq(kA)},
           {});
}

TEST(Differential, SQ7_ClientSequenceWraps) {
  RunConfig rc;
  rc.cli_isn = 0xFFFFFFF0u;
  scripted(after_handshake({in_seq(kA | kP, 10), in_seq(kA | kP, 10), at(kA, SB::kNxt, -1), at(kA, SB::kWnd, 0),
                            op(Op::kSend, 8), in_seq(kA), in_seq(kA | kF), in_seq(kA)}),
           {}, rc);
}

TEST(Differential, TM1_ThirdDuplicateAckFastRetransmit) {
  scripted(after_handshake({op(Op::kSend, 10), seg(kA, SB::kNxt, 0, AB::kSnd, -10), seg(kA, SB::kNxt, 0, AB::kSnd, -10),
                            seg(kA, SB::kNxt, 0, AB::kSnd, -10)}),
           {"fast-retransmit"});
}

// ---- RS, SY: RST and SYN in synchronized states -------------------------------------------------
TEST(Differential, RS1_RstChecks) {
  scripted(after_handshake({in_seq(kA | kP, 10),
                            at(kR, SB::kNxt, 1),          // in window, not RCV.NXT: challenge ACK
                            at(kR | kA, SB::kWnd, -1),    // in window: challenge ACK
                            at(kR, SB::kWnd, 0),          // RCV.NXT+WND: lwIP inclusive
                            at(kR, SB::kNxt, -1),         // below: silent
                            at(kR, SB::kNxt, 1 << 30),    // far: silent
                            at(kR, SB::kNxt, 0)}),        // RCV.NXT: reset
           {"rst-upper-bound"});
}

TEST(Differential, RS2_RstAtZeroWindow) {
  scripted(after_handshake({op(Op::kFill), at(kR, SB::kNxt, 1), at(kR, SB::kNxt, 0), syn(100000), in_seq(kA)}), {},
           hold());
}

TEST(Differential, SY1_SynInEstablished) {
  scripted(after_handshake({in_seq(kA | kP, 3), at(kS, SB::kNxt, 0), at(kS, SB::kNxt, 100), at(kS | kA, SB::kNxt, -5),
                            at(kS, SB::kNxt, 1 << 30), in_seq(kA | kP, 3)}),
           {});
}

// ---- FN, TW: teardown -----------------------------------------------------------------------------
TEST(Differential, FN1_FinBeyondGapWaits) {
  scripted(after_handshake({at(kA | kF, SB::kNxt, 5, 5),  // data + FIN beyond a 5-byte gap: duplicate ACK
                            at(kA | kF, SB::kNxt, 20),    // a bare FIN beyond the gap: duplicate ACK
                            in_seq(kA | kP, 2)}),         // part of the gap: ACKed; lwIP still holds the rest
           {});
}

TEST(Differential, FN1_GapFilledOutOfOrderQueueDiffers) {
  scripted(after_handshake({at(kA | kF, SB::kNxt, 5, 5), in_seq(kA | kP, 5)}), {"ooseq-queue"});
}

TEST(Differential, FN2_HalfClose) {
  scripted(after_handshake({in_seq(kA | kF), op(Op::kSend, 20), in_seq(kA), op(Op::kSend, 4), in_seq(kA),
                            in_seq(kA | kP, 5),  // text after our FIN: ignored
                            op(Op::kClose), in_seq(kA)}),
           {}, hold());
}

TEST(Differential, FN3_SimultaneousClose) {
  scripted(after_handshake({op(Op::kClose),                          // FIN-WAIT-1
                            seg(kA | kF, SB::kNxt, 0, AB::kSnd, -1),  // their FIN, ours not acked: CLOSING
                            in_seq(kA)}),                             // TIME-WAIT
           {});
}

TEST(Differential, FN3_FinAckingOurFinGoesToTimeWait) {
  scripted(after_handshake({in_seq(kA | kP, 4), op(Op::kClose), in_seq(kA | kF)}), {});
}

TEST(Differential, FN4_FinAtZeroWindow) {
  scripted(after_handshake({op(Op::kFill), in_seq(kA | kF)}), {"fin-zero-window"}, hold());
}

TEST(Differential, FN5_PassiveClose) {
  scripted(after_handshake({in_seq(kA | kP, 6), in_seq(kA | kF), in_seq(kA), syn(50000), in_seq(kA)}), {});
}

TEST(Differential, FN5_ActiveClose) {
  scripted(after_handshake({op(Op::kSend, 9), in_seq(kA), op(Op::kClose), in_seq(kA), in_seq(kA | kP, 3),
                            in_seq(kA | kF)}),
           {});
}

TEST(Differential, FN5_HandshakeAckCarriesFin) { scripted({syn(), in_seq(kA | kF), in_seq(kA)}, {}); }


TEST(Differential, TW2_RetransmittedFinInTimeWait) {
  scripted(in_time_wait({seg(kA | kF, SB::kNxt, -1, AB::kSnd, 0),  // exact retransmission: ACK
                         seg(kA | kF, SB::kNxt, 1 << 30, AB::kSnd, 0)}),  // garbage FIN: ACK
           {});
}

TEST(Differential, TW2_OtherSegmentsInTimeWait) {
  scripted(in_time_wait({seg(kA | kF, SB::kNxt, 100, AB::kSnd, 0),  // acceptable FIN: lwIP ACKs, engine silent
                         at(kA, SB::kNxt, -1)}),                    // zero-length, unacceptable: engine ACKs
           {"time-wait-replies"});
}

TEST(Differential, TW3_RstInTimeWait) {
  scripted(in_time_wait({at(kR, SB::kNxt, 0), at(kR, SB::kNxt, 5)}), {});  // both ignore every RST (RFC 1337)
}

TEST(Differential, TW4_SynInTimeWait) { scripted(in_time_wait({at(kS, SB::kNxt, 100)}), {"syn-time-wait"}); }

// ---- OP: options ------------------------------------------------------------------------------------------
TEST(Differential, OP2_MssOnNonSynSegment) {
  scripted(after_handshake({with_mss(at(kA, SB::kWnd, 10), 1), op(Op::kSend, 10)}), {"mss-non-syn"});
}

// ---- Former engine bugs found by this test, kept as regressions (no mask may apply).
TEST(Differential, RS1_SynRstAtRcvNxtResets) {
  scripted(after_handshake({in_seq(kA | kP, 10), at(kS | kR | kA, SB::kNxt, 0)}), {}, strict());
}
TEST(Differential, RS1_SynRstOutsideWindowDropped) {
  scripted(after_handshake({at(kS | kR, SB::kNxt, -10)}), {}, strict());
}
TEST(Differential, RS1_RstBelowWindowWithTextDropped) {
  scripted(after_handshake({in_seq(kA | kP, 10), at(kR | kA, SB::kNxt, -1, 5)}), {}, strict());
}
TEST(Differential, HS8_AckDataFinRaisesEveryEvent) {
  scripted(after_handshake({op(Op::kSend, 10), in_seq(kA | kP | kF, 5), in_seq(kA)}), {}, strict());
}
TEST(Differential, HS8_HandshakeAckDataFinRaisesEveryEvent) {
  scripted({syn(), in_seq(kA | kP | kF, 5), in_seq(kA)}, {}, strict());
}

}  // namespace
