#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the hand-made seed inputs of the codec fuzzer's corpus.

Usage: make_seed_corpus.py [OUT_DIR]   (default: tests/fuzz/corpus/codec)

Seeds are named seed-*.bin; inputs that libFuzzer found and `-merge=1` kept
are named by their SHA-1 and are left alone. The output is deterministic, so
re-running this script after editing it only changes the seeds it touches.
Uses only the standard library (struct), independent of the C++ codec, so
the two implementations check each other.
"""
import os
import struct
import sys

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_VLAN = 0x8100
ETH_IPV6 = 0x86DD

SRC_MAC = bytes([0x02, 0, 0, 0, 0, 0x01])
DST_MAC = bytes([0x02, 0, 0, 0, 0, 0x02])
BCAST = b"\xff" * 6
IP_A = 0x0A000001  # 10.0.0.1
IP_B = 0x0A000002  # 10.0.0.2

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


# ---- TCP options -----------------------------------------------------------------
def o_mss(v=1460):
    return struct.pack("!BBH", 2, 4, v)


def o_ws(v=7):
    return struct.pack("!BBB", 3, 3, v)


def o_sackperm():
    return b"\x04\x02"


def o_ts(val=0x11223344, ecr=0x55667788):
    return struct.pack("!BBII", 8, 10, val, ecr)


def o_sack(*blocks):
    return struct.pack("!BB", 5, 2 + 8 * len(blocks)) + b"".join(struct.pack("!II", l, r) for l, r in blocks)


NOP = b"\x01"
EOL = b"\x00"


def pad4(b: bytes, fill=b"\0") -> bytes:
    return b + fill * (-len(b) % 4)


# ---- layers ------------------------------------------------------------------------
def eth(ethertype=ETH_IPV4, dst=DST_MAC, src=SRC_MAC) -> bytes:
    return dst + src + struct.pack("!H", ethertype)


def tcp(src_ip=IP_A, dst_ip=IP_B, sport=1234, dport=80, seq=1000, ack=0, flags=SYN, win=65535,
        urg=0, opts=b"", payload=b"", doff=None, reserved=0, good_csum=True, tcp_len=None) -> bytes:
    opts = pad4(opts)
    if doff is None:
        doff = 5 + len(opts) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, ((doff & 0xF) << 4) | (reserved & 0xF),
                      flags, win, 0, urg) + opts
    seg = hdr + payload
    if good_csum:
        n = len(seg) if tcp_len is None else tcp_len
        pseudo = struct.pack("!IIBBH", src_ip, dst_ip, 0, 6, n)
        c = csum(pseudo + seg[:n])
    else:
        c = 0xDEAD
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def ipv4(l4: bytes, src=IP_A, dst=IP_B, proto=6, ttl=64, ident=1, df=True, mf=False, frag=0, tos=0,
         opts=b"", ihl=None, total=None, version=4, good_csum=True) -> bytes:
    opts = pad4(opts)
    if ihl is None:
        ihl = 5 + len(opts) // 4
    if total is None:
        total = 20 + len(opts) + len(l4)
    ff = (0x4000 if df else 0) | (0x2000 if mf else 0) | (frag & 0x1FFF)
    hdr = struct.pack("!BBHHHBBHII", (version << 4) | (ihl & 0xF), tos, total & 0xFFFF, ident, ff, ttl,
                      proto, 0, src, dst) + opts
    hlen = min(len(hdr), max(ihl, 5) * 4)
    c = csum(hdr[:hlen]) if good_csum else 0xBEEF
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + l4


def frame(ip_pkt: bytes, pad=True, **kw) -> bytes:
    f = eth(**kw) + ip_pkt
    if pad and len(f) < 60:
        f += b"\0" * (60 - len(f))
    return f


def arp(oper=1, sha=SRC_MAC, spa=IP_A, tha=b"\0" * 6, tpa=IP_B, htype=1, ptype=ETH_IPV4, hlen=6, plen=4):
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, oper) + sha + struct.pack("!I", spa) + tha + \
        struct.pack("!I", tpa)


def arp_frame(body, pad=True, dst=BCAST):
    f = eth(ETH_ARP, dst=dst) + body
    if pad and len(f) < 60:
        f += b"\0" * (60 - len(f))
    return f


def tcp_frame(ip_kw=None, pad=True, **tcp_kw):
    ip_kw = ip_kw or {}
    src, dst = ip_kw.get("src", IP_A), ip_kw.get("dst", IP_B)
    return frame(ipv4(tcp(src_ip=src, dst_ip=dst, **tcp_kw), **ip_kw), pad=pad)


# ---- seeds ---------------------------------------------------------------------------
def seeds():
    s = {}
    syn_opts = o_mss() + NOP + o_ws() + NOP + NOP + o_sackperm() + NOP + NOP + o_ts()

    # Valid Ethernet/IPv4/TCP.
    s["tcp-syn-mss"] = tcp_frame(opts=o_mss())
    s["tcp-syn-full-opts"] = tcp_frame(opts=syn_opts)
    s["tcp-synack-full-opts"] = tcp_frame(flags=SYN | ACK, ack=1001, sport=80, dport=1234,
                                          ip_kw=dict(src=IP_B, dst=IP_A), opts=syn_opts)
    s["tcp-syn-linux-order"] = tcp_frame(opts=o_mss() + o_sackperm() + o_ts() + NOP + o_ws())
    s["tcp-syn-compact-opts"] = tcp_frame(opts=o_mss() + o_ws() + o_sackperm() + o_ts())
    s["tcp-ack-ts"] = tcp_frame(flags=ACK, ack=5000, opts=NOP + NOP + o_ts())
    s["tcp-data-psh"] = tcp_frame(flags=PSH | ACK, ack=5000, payload=b"GET / HTTP/1.0\r\n\r\n")
    s["tcp-data-odd-len"] = tcp_frame(flags=PSH | ACK, ack=5000, payload=b"abcdefghi")
    s["tcp-data-1460"] = tcp_frame(flags=ACK, ack=5000, opts=NOP + NOP + o_ts(),
                                   payload=bytes(i & 0xFF for i in range(1448)))
    s["tcp-sack1"] = tcp_frame(flags=ACK, ack=5000, opts=NOP + NOP + o_sack((7000, 8000)))
    s["tcp-sack3-ts"] = tcp_frame(flags=ACK, ack=5000, opts=NOP + NOP + o_ts() + NOP + NOP +
                                  o_sack((7000, 8000), (9000, 10000), (11000, 12000)))
    s["tcp-sack4"] = tcp_frame(flags=ACK, ack=5000, opts=NOP + NOP +
                               o_sack((1, 2), (3, 4), (5, 6), (7, 8)))
    s["tcp-fin-ack"] = tcp_frame(flags=FIN | ACK, ack=5000)
    s["tcp-rst"] = tcp_frame(flags=RST, seq=0)
    s["tcp-urg-ece-cwr"] = tcp_frame(flags=URG | ECE | CWR | ACK, urg=3, payload=b"xyz")
    s["tcp-reserved-bits"] = tcp_frame(flags=ACK, reserved=0xF)
    s["tcp-all-flags"] = tcp_frame(flags=0xFF)
    s["tcp-no-flags"] = tcp_frame(flags=0)
    s["tcp-unknown-opt"] = tcp_frame(opts=o_mss() + b"\x1e\x06\xaa\xbb\xcc\xdd" + b"\xfe\x04\x12\x34")
    s["tcp-eol-then-junk"] = tcp_frame(opts=o_mss() + EOL + b"\x02\x00\x00")
    s["tcp-dup-mss"] = tcp_frame(opts=o_mss(536) + o_mss(1460))
    s["tcp-all-nops"] = tcp_frame(opts=NOP * 40)
    s["tcp-opts-40-bytes"] = tcp_frame(opts=o_mss() + o_sackperm() + o_ts() + o_sack((1, 2), (3, 4)) +
                                       NOP * 6)
    # Valid on the wire (40 option bytes) but 44 in the builder's canonical layout:
    # build_tcp_frame wraps the 4-bit data offset (README.md, known findings).
    s["tcp-opts-canonical-overflow"] = tcp_frame(flags=ACK, ack=5000, opts=o_mss() + o_sackperm() +
                                                 o_sack((1, 2), (3, 4), (5, 6), (7, 8)))
    s["tcp-opts-canonical-overflow-ts"] = tcp_frame(flags=ACK, ack=5000, opts=o_mss() + o_ts() +
                                                    o_sack((1, 2), (3, 4), (5, 6)))
    s["tcp-ip-options"] = tcp_frame(ip_kw=dict(opts=b"\x94\x04\x00\x00"), opts=o_mss())  # router alert
    s["tcp-ip-options-40"] = tcp_frame(ip_kw=dict(opts=b"\x07\x27\x04" + b"\0" * 37))  # record route
    s["tcp-no-pad"] = tcp_frame(pad=False, flags=ACK)
    s["tcp-eth-trailer"] = tcp_frame(flags=ACK, pad=False) + b"\xde\xad\xbe\xef" * 4
    s["tcp-multicast-dst"] = frame(ipv4(tcp(flags=SYN)), dst=bytes([0x01, 0, 0x5E, 0, 0, 1]))
    s["tcp-zero-window"] = tcp_frame(flags=ACK, win=0)
    s["tcp-tos-ttl"] = tcp_frame(flags=ACK, ip_kw=dict(tos=0xB8, ttl=1, df=False, ident=0xFFFF))

    # Raw IPv4 packets (parse_ip_packet) and TCP option blobs (parse_tcp_options).
    s["raw-ip-tcp-syn"] = ipv4(tcp(opts=syn_opts))
    s["raw-ip-tcp-data"] = ipv4(tcp(flags=PSH | ACK, payload=b"hello"))
    s["raw-ip-icmp-echo"] = ipv4(b"\x08\x00\xf7\xff\x00\x00\x00\x00", proto=1)
    s["raw-tcp-opts-syn"] = syn_opts
    s["raw-tcp-opts-sack"] = NOP + NOP + o_sack((1, 2), (3, 4), (5, 6))

    # ARP.
    s["arp-request"] = arp_frame(arp())
    s["arp-reply"] = arp_frame(arp(oper=2, tha=DST_MAC), dst=DST_MAC)
    s["arp-gratuitous"] = arp_frame(arp(spa=IP_A, tpa=IP_A))
    s["arp-no-pad"] = arp_frame(arp(), pad=False)
    s["arp-truncated"] = eth(ETH_ARP, dst=BCAST) + arp()[:27]
    s["arp-bad-htype"] = arp_frame(arp(htype=6))
    s["arp-bad-plen"] = arp_frame(arp(plen=16))

    # Other link layers.
    s["eth-truncated"] = eth()[:13]
    s["eth-empty"] = b""
    s["eth-only"] = eth()
    s["eth-vlan"] = eth(ETH_VLAN) + b"\x00\x05\x08\x00" + ipv4(tcp(flags=SYN))
    s["eth-ipv6"] = frame(b"\x60" + b"\0" * 39, ethertype=ETH_IPV6)
    s["eth-llc-len"] = frame(b"\xaa\xaa\x03" + b"\0" * 43, ethertype=0x002E)

    # Malformed IPv4.
    good = ipv4(tcp(opts=o_mss()))
    s["ip-truncated-19"] = frame(good[:19], pad=False)
    s["ip-truncated-ihl"] = frame(ipv4(b"", ihl=15, total=60)[:40], pad=False)
    s["ip-bad-version-6"] = frame(ipv4(tcp(), version=6))
    s["ip-bad-version-0"] = frame(ipv4(tcp(), version=0))
    s["ip-ihl-0"] = frame(ipv4(tcp(), ihl=0))
    s["ip-ihl-4"] = frame(ipv4(tcp(), ihl=4))
    s["ip-ihl-15"] = frame(ipv4(tcp(), ihl=15))
    s["ip-total-too-big"] = frame(ipv4(tcp(), total=1500), pad=False)
    s["ip-total-below-ihl"] = frame(ipv4(tcp(), total=19))
    s["ip-total-zero"] = frame(ipv4(tcp(), total=0))
    s["ip-total-short-tcp"] = frame(ipv4(tcp(), total=30))
    s["ip-total-ffff"] = frame(ipv4(tcp(), total=0xFFFF))
    s["ip-bad-csum"] = frame(ipv4(tcp(flags=SYN), good_csum=False))
    s["ip-frag-mf"] = frame(ipv4(tcp(flags=SYN), df=False, mf=True))
    s["ip-frag-offset"] = frame(ipv4(b"\xaa" * 24, df=False, frag=185))
    s["ip-frag-last"] = frame(ipv4(b"\xaa" * 8, df=False, mf=False, frag=1))
    s["ip-proto-udp"] = frame(ipv4(b"\x04\xd2\x00\x35\x00\x08\x00\x00", proto=17))
    s["ip-proto-icmp"] = frame(ipv4(b"\x00\x00\xff\xff\x00\x00\x00\x00", proto=1))

    # Malformed TCP.
    s["tcp-truncated-19"] = frame(ipv4(tcp()[:19]))
    s["tcp-truncated-0"] = frame(ipv4(b""))
    s["tcp-doff-0"] = tcp_frame(doff=0)
    s["tcp-doff-4"] = tcp_frame(doff=4)
    s["tcp-doff-15-overrun"] = tcp_frame(doff=15)
    s["tcp-doff-6-overrun"] = frame(ipv4(tcp(doff=6)[:20]))
    s["tcp-bad-csum"] = tcp_frame(flags=SYN, good_csum=False)
    s["tcp-opt-overrun"] = tcp_frame(opts=b"\x02\x08\x05\xb4")
    s["tcp-opt-kind-last-byte"] = tcp_frame(opts=NOP * 3 + b"\x02")
    s["tcp-opt-len-0"] = tcp_frame(opts=b"\x02\x00\x05\xb4")
    s["tcp-opt-len-1"] = tcp_frame(opts=b"\x03\x01\x07\x00")
    s["tcp-opt-unknown-len-0"] = tcp_frame(opts=b"\x1e\x00\x00\x00")
    s["tcp-opt-mss-len-3"] = tcp_frame(opts=b"\x02\x03\x05\x00")
    s["tcp-opt-ws-len-4"] = tcp_frame(opts=b"\x03\x04\x07\x00")
    s["tcp-opt-sackperm-len-3"] = tcp_frame(opts=b"\x04\x03\x00\x00")
    s["tcp-opt-ts-len-8"] = tcp_frame(opts=b"\x08\x08" + b"\0" * 6)
    s["tcp-opt-sack-len-9"] = tcp_frame(opts=b"\x05\x09" + b"\0" * 7 + b"\0" * 3)
    s["tcp-opt-sack-len-2"] = tcp_frame(opts=b"\x05\x02\x01\x01")
    s["tcp-opt-sack-5-blocks"] = tcp_frame(opts=b"\x05\x2a" + b"\x11" * 38)  # runs past 40 bytes
    s["tcp-ws-shift-255"] = tcp_frame(opts=NOP + o_ws(255))
    # Both checksums verified but the pseudo-header length covers Ethernet padding.
    s["tcp-csum-over-padding"] = frame(ipv4(tcp(flags=ACK)), pad=True) + b"\x01\x02"

    # Address text (MacAddr::parse, parse_ip).
    s["text-mac"] = b"02:00:00:00:00:01"
    s["text-mac-broadcast"] = b"ff:ff:ff:ff:ff:ff"
    s["text-mac-trailing"] = b"02:00:00:00:00:01x"
    s["text-ip"] = b"10.0.0.1"
    s["text-ip-max"] = b"255.255.255.255"
    s["text-ip-overflow"] = b"256.1.1.1"
    return s


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus", "codec")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):  # regenerate seeds; keep merged (SHA-1 named) inputs
        if name.startswith("seed-"):
            os.remove(os.path.join(out, name))
    ss = seeds()
    for name, data in sorted(ss.items()):
        with open(os.path.join(out, f"seed-{name}.bin"), "wb") as f:
            f.write(data)
    print(f"wrote {len(ss)} seeds to {out}")


if __name__ == "__main__":
    main()
