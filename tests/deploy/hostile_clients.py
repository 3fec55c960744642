#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Hostile clients of the metrics port, on loopback only, bounded in time and
connections: IDLE connections that never send, SLOW ones that send a request
one byte a second, BIG ones that send an endless header; each reopened when
the server drops it. Meanwhile /healthz and /metrics are asked every PERIOD
seconds; prints one JSON object: latencies, status codes, a /metrics body.

Usage: hostile_clients.py PORT [--idle N] [--slow N] [--big N] [--seconds S]"""

import argparse
import json
import socket
import time

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("--idle", type=int, default=200)
ap.add_argument("--slow", type=int, default=50)
ap.add_argument("--big", type=int, default=20)
ap.add_argument("--seconds", type=float, default=6.0)
ap.add_argument("--period", type=float, default=0.2)
a = ap.parse_args()
ADDR = ("127.0.0.1", a.port)  # never anything but loopback
MAX_OPENED = 20000
REOPEN_PER_TURN = 20  # a flood, but a bounded one

slow_req = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
opened = 0


def connect():
    global opened
    if opened >= MAX_OPENED:
        return None
    opened += 1
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(ADDR)
    except BlockingIOError:
        pass
    except OSError:
        s.close()
        return None
    return s


def alive(s):
    try:
        d = s.recv(4096)
        return d != b""  # the server answered (408/431) or closed
    except BlockingIOError:
        return True
    except OSError:
        return False


def request(path):
    t = time.monotonic()
    try:
        with socket.create_connection(ADDR, timeout=2) as s:
            s.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
            data = b""
            while True:
                d = s.recv(65536)
                if not d:
                    break
                data += d
    except OSError as e:
        return None, time.monotonic() - t, str(e)
    code = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.") else None
    return code, time.monotonic() - t, data.partition(b"\r\n\r\n")[2].decode(errors="replace")


clients = {"idle": [], "slow": [], "big": []}
sent = {}
health, metrics_codes, body = [], [], ""
end = time.monotonic() + a.seconds
next_probe = time.monotonic() + 0.5  # let the hostile load build up first
last_tick = time.monotonic()
while time.monotonic() < end:
    budget = REOPEN_PER_TURN
    for kind, want in (("idle", a.idle), ("slow", a.slow), ("big", a.big)):
        live = [s for s in clients[kind] if alive(s)]
        for s in clients[kind]:
            if s not in live:
                s.close()
        while len(live) < want and budget > 0:
            budget -= 1
            s = connect()
            if s is None:
                break
            live.append(s)
            sent[s] = 0
        clients[kind] = live
    now = time.monotonic()
    if now - last_tick >= 1.0:  # one byte a second
        last_tick = now
        for s in clients["slow"]:
            try:
                s.send(slow_req[sent[s] % len(slow_req):][:1])
                sent[s] += 1
            except OSError:
                pass
    for s in clients["big"]:
        try:
            s.send(b"X-Junk: " + b"A" * 8192)
        except OSError:
            pass
    if now >= next_probe:
        next_probe = now + a.period
        code, dt, _ = request("/healthz")
        health.append([code, round(dt * 1000, 2)])
        code, dt, text = request("/metrics")
        metrics_codes.append([code, round(dt * 1000, 2)])
        if code == 200:
            body = text
    time.sleep(0.01)
held = {k: len(v) for k, v in clients.items()}
for v in clients.values():
    for s in v:
        s.close()
print(json.dumps({"health": health, "metrics": metrics_codes, "held": held,
                  "opened": opened, "metrics_body": body}))
