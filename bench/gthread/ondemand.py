"""Issue 12 item 5: an open-model Poisson client that connects on demand, to compare with the
fwbench load generator's pre-opened connections against gunicorn gthread. A request due when no
connection is idle opens one and sends at once; at most CAP idle connections are kept. Latency
from the intended send time. Bounded: SECONDS of arrivals at RATE req/s, loopback only.
Usage: ondemand.py PORT RATE SECONDS CAP"""
import asyncio, random, sys, time
PORT, RATE, SECS, CAP = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
REQ = b"GET /json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
idle, lat, connects = [], [], [0]
async def one(due):
    if idle: r, w = idle.pop()
    else:
        r, w = await asyncio.open_connection("127.0.0.1", PORT); connects[0] += 1
    w.write(REQ)
    head = await r.readuntil(b"\r\n\r\n")
    n = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
    await r.readexactly(n)
    lat.append(time.monotonic() - due)
    if len(idle) < CAP and b"close" not in head.lower(): idle.append((r, w))
    else: w.close()
async def main():
    rng = random.Random(1); t = time.monotonic(); end = t + SECS; tasks = []
    while t < end:
        t += rng.expovariate(RATE)
        await asyncio.sleep(max(0, t - time.monotonic()))
        tasks.append(asyncio.create_task(one(t)))
    await asyncio.gather(*tasks, return_exceptions=True)
    lat.sort(); q = lambda p: round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1)
    print(f"ondemand cap={CAP}: n={len(lat)} connects={connects[0]} p50={q(.5)} ms p90={q(.9)} ms p99={q(.99)} ms max={q(1)} ms")
asyncio.run(main())
