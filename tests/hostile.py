#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/hostile.py: a misbehaving Modbus server, one mode per misbehaviour.

    hostile.py --upstream HOST:PORT --mode MODE[,MODE...]|all [--after N]
               [--addr A] [--rtu]
    hostile.py --list

It stands in front of a real server (zcs-sim) and passes each request on,
then mangles the reply as MODE says: wrong byte count, short frame, wrong
transaction id, unit id, protocol id or MBAP length, every exception code,
a reply that never ends, a reset mid-frame, a duplicated or late reply, a
slowloris reply, sentinel words, NaN floats, non-ASCII text...  The first
N requests (--after) are answered faithfully, so a client can identify the
unit before the trouble starts; --addr A mangles only the replies to
requests starting at register A (hex or decimal).

Each mode gets its own server: over TCP a port, printed "MODE tcp
127.0.0.1:PORT"; with --rtu a pseudo-terminal serving RTU frames, printed
"MODE rtu /dev/pts/N" (the same modes; the ones about the MBAP header do
not exist there and pass the reply unchanged, and `crc-wrong` exists only
there).  Then "ready".  It runs until killed.
"""
import argparse
import os
import pty
import random
import select
import socket
import struct
import sys
import threading
import time
import tty

MODES = {
    "ok": "every reply as the upstream server sent it",
    "byte-count-high": "the byte count says 2 bytes more than follow",
    "byte-count-low": "the byte count says 2 bytes fewer than follow",
    "short-frame": "the last 2 data bytes are missing",
    "truncated": "only the function code, nothing after it",
    "tid-wrong": "a transaction id the client never sent (TCP)",
    "unit-wrong": "another unit id / slave address",
    "proto-wrong": "protocol id 1 instead of 0 (TCP)",
    "mbap-len-long": "the MBAP length says 4 bytes more than follow (TCP)",
    "mbap-len-short": "the MBAP length says 1 byte fewer than follow (TCP)",
    "mbap-len-zero": "the MBAP length is 0 (TCP)",
    "fc-wrong": "the reply carries another function code",
    "exc-1": "exception 01 illegal function",
    "exc-2": "exception 02 illegal data address",
    "exc-3": "exception 03 illegal data value",
    "exc-4": "exception 04 slave device failure",
    "exc-5": "exception 05 acknowledge",
    "exc-6": "exception 06 slave device busy",
    "exc-7": "exception 07 negative acknowledge",
    "exc-8": "exception 08 memory parity error",
    "exc-10": "exception 0A gateway path unavailable",
    "exc-11": "exception 0B gateway target failed to respond",
    "exc-undefined": "exception 0F, which Modbus does not define",
    "never-ends": "half a reply, then nothing, the connection kept open",
    "silent": "no reply at all",
    "reset-mid": "half a reply, then a TCP reset (RTU: the line goes quiet)",
    "close": "the connection closed instead of a reply (RTU: silence)",
    "duplicate": "every reply sent twice",
    "late": "the reply comes 2.5 s late (after the client's timeout)",
    "slowloris": "the reply one byte every 0.2 s",
    "garbage": "random bytes of the reply's length",
    "extra-bytes": "3 bytes of junk after the reply",
    "sentinel-ffff": "every data word 0xFFFF",
    "sentinel-7fff": "every data word 0x7FFF",
    "sentinel-8000": "every data word 0x8000",
    "nan": "every pair of data words a float NaN",
    "inf": "every pair of data words a float infinity",
    "serial-nonascii": "text replies (serial, versions) with the high bit set",
    "drop-refuse": "the connection dropped and no new one accepted (TCP)",
    "crc-wrong": "a wrong CRC (RTU)",
}


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return struct.pack("<H", crc)


class Hostile:
    def __init__(self, args, mode):
        self.mode = mode
        self.after = args.after
        self.addr = args.addr
        self.upstream = args.upstream
        self.count = 0
        self.lock = threading.Lock()
        self.listener = None

    # -- the upstream server ------------------------------------------------
    def ask(self, up, tid, unit, pdu):
        up.sendall(struct.pack(">HHHB", tid, 0, len(pdu) + 1, unit) + pdu)
        head = b""
        while len(head) < 7:
            chunk = up.recv(7 - len(head))
            if not chunk:
                raise OSError("upstream closed")
            head += chunk
        _, _, length, unit = struct.unpack(">HHHB", head)
        body = b""
        while len(body) < length - 1:
            chunk = up.recv(length - 1 - len(body))
            if not chunk:
                raise OSError("upstream closed")
            body += chunk
        return unit, body

    def connect_up(self):
        host, port = self.upstream.rsplit(":", 1)
        return socket.create_connection((host, int(port)))

    # -- what to do with one reply ------------------------------------------
    def applies(self, pdu):
        with self.lock:
            self.count += 1
            n = self.count
        if n <= self.after:
            return False
        if self.addr is not None and len(pdu) >= 3:
            return struct.unpack(">H", pdu[1:3])[0] == self.addr
        return self.addr is None

    def mangle(self, req, pdu, tcp):
        """(pdu, header changes, action) for one reply PDU."""
        m, hdr, action = self.mode, {}, "send"
        fc = req[0]
        data_reply = len(pdu) >= 2 and pdu[0] == fc and fc in (3, 4)
        if m == "byte-count-high" and data_reply:
            pdu = pdu[:1] + bytes([(pdu[1] + 2) & 0xFF]) + pdu[2:]
        elif m == "byte-count-low" and data_reply:
            pdu = pdu[:1] + bytes([(pdu[1] - 2) & 0xFF]) + pdu[2:]
        elif m == "short-frame" and data_reply:
            pdu = pdu[:-2]
        elif m == "truncated":
            pdu = pdu[:1]
        elif m == "tid-wrong":
            hdr["tid"] = 1
        elif m == "unit-wrong":
            hdr["unit"] = 1
        elif m == "proto-wrong":
            hdr["proto"] = 1
        elif m == "mbap-len-long":
            hdr["len"] = 4
        elif m == "mbap-len-short":
            hdr["len"] = -1
        elif m == "mbap-len-zero":
            hdr["len0"] = True
        elif m == "fc-wrong":
            pdu = bytes([4 if fc == 3 else 3]) + pdu[1:]
        elif m.startswith("exc-"):
            code = 0x0F if m == "exc-undefined" else int(m[4:])
            pdu = bytes([fc | 0x80, code])
        elif m in ("sentinel-ffff", "sentinel-7fff", "sentinel-8000") and data_reply:
            word = bytes.fromhex(m[-4:])
            pdu = pdu[:2] + word * ((len(pdu) - 2) // 2)
        elif m in ("nan", "inf") and data_reply:
            pair = bytes.fromhex("7fc00000" if m == "nan" else "7f800000")
            words = (len(pdu) - 2) // 2
            pdu = pdu[:2] + (pair * words)[: 2 * words]
        elif m == "serial-nonascii" and data_reply and all(
                b == 0 or 0x20 <= b < 0x7F for b in pdu[2:]) and any(pdu[2:]):
            # text registers only (serial, versions): a high bit in each byte
            pdu = pdu[:2] + bytes((b | 0x80) if b else 0xC3 for b in pdu[2:])
        elif m == "garbage":
            pdu = bytes(random.randrange(256) for _ in pdu)
        elif m in ("never-ends", "silent", "reset-mid", "close", "duplicate", "late",
                   "slowloris", "extra-bytes", "drop-refuse", "crc-wrong"):
            action = m
        return pdu, hdr, action

    # -- TCP ------------------------------------------------------------------
    def tcp_frame(self, tid, unit, pdu, hdr):
        length = len(pdu) + 1
        if "len" in hdr:
            length += hdr["len"]
        if hdr.get("len0"):
            length = 0
        return struct.pack(">HHHB", (tid + hdr.get("tid", 0)) & 0xFFFF, hdr.get("proto", 0),
                           length, (unit + hdr.get("unit", 0)) & 0xFF) + pdu

    def ask_once(self, tid, unit, req):
        """One request on a fresh upstream connection: many clients, few slots."""
        up = self.connect_up()
        try:
            return self.ask(up, tid, unit, req)
        finally:
            up.close()

    def serve_tcp_client(self, c):
        try:
            while True:
                head = c.recv(7, socket.MSG_WAITALL)
                if len(head) < 7:
                    return
                tid, _, length, unit = struct.unpack(">HHHB", head)
                req = c.recv(length - 1, socket.MSG_WAITALL) if length > 1 else b""
                uunit, pdu = self.ask_once(tid, unit, req)
                if not self.applies(req):
                    c.sendall(self.tcp_frame(tid, uunit, pdu, {}))
                    continue
                pdu, hdr, action = self.mangle(req, pdu, True)
                frame = self.tcp_frame(tid, uunit, pdu, hdr)
                if not self.act(c, frame, action, tcp=True):
                    return
        except OSError:
            pass
        finally:
            try:
                c.close()
            except OSError:
                pass

    def act(self, c, frame, action, tcp):
        """Send one mangled reply; False when the connection is over."""
        send = c.sendall if tcp else (lambda b: os.write(c, b))
        if action == "send":
            send(frame)
        elif action == "extra-bytes" and tcp:   # counted in the MBAP length
            n = struct.unpack(">H", frame[4:6])[0] + 3
            send(frame[:4] + struct.pack(">H", n) + frame[6:] + b"\x5a\xa5\x00")
        elif action == "extra-bytes":
            send(frame + b"\x5a\xa5\x00")
        elif action == "duplicate":
            send(frame)
            time.sleep(0.05)
            send(frame)
        elif action == "late":
            time.sleep(2.5)
            send(frame)
        elif action == "slowloris":
            for i in range(len(frame)):
                send(frame[i:i + 1])
                time.sleep(0.2)
        elif action == "crc-wrong":
            send(frame[:-2] + bytes([frame[-2] ^ 0xFF, frame[-1]]))
        elif action == "silent" or (not tcp and action in ("close", "drop-refuse")):
            pass
        elif action == "never-ends":
            send(frame[: len(frame) // 2])
            if tcp:
                while c.recv(260):     # keep it open as long as the client does
                    pass
                return False
        elif action == "reset-mid":
            send(frame[: len(frame) // 2])
            if tcp:
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                c.close()
                return False
        elif action == "close":
            c.close()
            return False
        elif action == "drop-refuse":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
            if self.listener:
                self.listener.close()
                self.listener = None
            return False
        return True

    def run_tcp(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        self.listener = s
        print("%s tcp 127.0.0.1:%d" % (self.mode, s.getsockname()[1]))
        return self.accept_loop

    def accept_loop(self):
        s = self.listener
        while self.listener:
            try:
                c, _ = s.accept()
            except OSError:
                break
            threading.Thread(target=self.serve_tcp_client, args=(c,), daemon=True).start()
        while True:                 # drop-refuse: stay alive, accept nobody
            time.sleep(3600)

    # -- RTU on a pseudo-terminal ------------------------------------------------
    def run_rtu(self):
        master, slave = pty.openpty()
        tty.setraw(slave)
        self.pty = (master, slave)
        print("%s rtu %s" % (self.mode, os.ttyname(slave)))
        return self.rtu_loop

    def rtu_loop(self):
        master = self.pty[0]
        buf = b""
        tid = 0
        while True:
            r, _, _ = select.select([master], [], [], 0.5)
            if not r:
                buf = b""               # a silent gap ends any partial frame
                continue
            try:
                buf += os.read(master, 256)
            except OSError:
                time.sleep(0.1)
                continue
            while len(buf) >= 8:
                fc = buf[1]
                size = 9 + buf[6] if fc == 16 and len(buf) >= 7 else 8
                if len(buf) < size:
                    break
                frame, buf = buf[:size], buf[size:]
                if crc16(frame[:-2]) != frame[-2:]:
                    continue
                unit, req = frame[0], frame[1:-2]
                tid = (tid + 1) & 0xFFFF
                uunit, pdu = self.ask_once(tid, unit, req)
                hdr, action = {}, "send"
                if self.applies(req):
                    pdu, hdr, action = self.mangle(req, pdu, False)
                out_unit = (uunit + hdr.get("unit", 0)) & 0xFF
                body = bytes([out_unit]) + pdu
                self.act(master, body + crc16(body), action, tcp=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream")
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--after", type=int, default=0)
    ap.add_argument("--addr", type=lambda s: int(s, 0))
    ap.add_argument("--rtu", action="store_true")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list:
        for name, what in MODES.items():
            print("%-16s %s" % (name, what))
        return 0
    modes = list(MODES) if args.mode == "all" else args.mode.split(",")
    for m in modes:
        if m not in MODES:
            print("hostile.py: no mode '%s' (--list)" % m, file=sys.stderr)
            return 2
    if not args.upstream:
        print("hostile.py: --upstream HOST:PORT is needed", file=sys.stderr)
        return 2
    for m in modes:
        h = Hostile(args, m)
        loop = h.run_rtu() if args.rtu else h.run_tcp()
        threading.Thread(target=loop, daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
