#!/usr/bin/env python3
"""Seed corpus for tests/fuzz/gguf_fuzz: small GGUF files derived from the fixtures.

Real fixtures are megabytes (mostly vocabulary and weights), too big for a fuzzer to
mutate usefully, so each is rewritten in miniature: every key kept with arrays cut to
a few elements, every tensor kept (name, type, n_dims) but shrunk to a single row,
offsets recomputed. Raw prefixes of the real files and a few hand-made files with
every value type and alignment are added. Usage: make_corpus.py OUT_DIR
"""
import os
import struct
import sys

FIX = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "fixtures")
# value type -> struct format for fixed-size types
FMT = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "B", 10: "Q", 11: "q", 12: "d"}
# ggml type -> (block size, bytes per block)
GGML = {0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
        9: (32, 36), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176),
        14: (256, 210), 15: (256, 292), 30: (1, 2)}


class Rd:
    def __init__(self, b):
        self.b, self.p = b, 0

    def get(self, fmt):
        v = struct.unpack_from("<" + fmt, self.b, self.p)[0]
        self.p += struct.calcsize(fmt)
        return v

    def s(self):
        n = self.get("Q")
        v = self.b[self.p:self.p + n]
        self.p += n
        return v


def enc_s(b):
    return struct.pack("<Q", len(b)) + b


def read_value(r, t, keep):
    """Returns the encoding of the value, with arrays cut to `keep` elements."""
    if t == 8:
        return enc_s(r.s())
    if t == 9:
        et, n = r.get("I"), r.get("Q")
        items = [read_value(r, et, keep) for _ in range(n)]
        items = items[:keep]
        return struct.pack("<IQ", et, len(items)) + b"".join(items)
    return struct.pack("<" + FMT[t], r.get(FMT[t]))


def miniature(path, keep=8):
    r = Rd(open(path, "rb").read())
    assert r.b[:4] == b"GGUF"
    r.p = 4
    ver, nt, nkv = r.get("I"), r.get("Q"), r.get("Q")
    out = [b"GGUF", struct.pack("<IQQ", ver, nt, nkv)]
    align = 32
    for _ in range(nkv):
        k = r.s()
        t = r.get("I")
        out.append(enc_s(k) + struct.pack("<I", t) + read_value(r, t, keep))
    off = 0
    sizes = []
    for _ in range(nt):
        name = r.s()
        nd = r.get("I")
        ne = [r.get("q") for _ in range(nd)]
        t = r.get("I")
        r.get("Q")
        bs, ts = GGML[t]
        nbytes = ne[0] // bs * ts
        out.append(enc_s(name) + struct.pack("<I", nd) +
                   struct.pack("<%dq" % nd, ne[0], *([1] * (nd - 1))) + struct.pack("<IQ", t, off))
        sizes.append(nbytes)
        off += (nbytes + align - 1) // align * align
    head = b"".join(out)
    head += b"\0" * (-len(head) % align)
    return head + bytes((i * 37) & 0xFF for i in range(off))


def kv(k, t, payload):
    return enc_s(k.encode()) + struct.pack("<I", t) + payload


def handmade():
    files = {}
    kvs = [kv("u8", 0, b"\x07"), kv("i8", 1, b"\xfb"), kv("u16", 2, struct.pack("<H", 9)),
           kv("i16", 3, struct.pack("<h", -9)), kv("u32", 4, struct.pack("<I", 5)),
           kv("i32", 5, struct.pack("<i", -5)), kv("f32", 6, struct.pack("<f", 0.5)),
           kv("b", 7, b"\x01"), kv("s", 8, enc_s(b"text")), kv("u64", 10, struct.pack("<Q", 1)),
           kv("i64", 11, struct.pack("<q", -1)), kv("f64", 12, struct.pack("<d", 2.0)),
           kv("a", 9, struct.pack("<IQ", 8, 2) + enc_s(b"x") + enc_s(b"yz")),
           kv("af", 9, struct.pack("<IQ", 6, 2) + struct.pack("<2f", 1, 2))]
    for align in (32, 64, 1):
        extra = [kv("general.alignment", 4, struct.pack("<I", align))] if align != 32 else []
        body = kvs + extra
        tens, off, data = [], 0, b""
        for i, (t, ne) in enumerate([(0, [4, 2]), (1, [8]), (8, [32, 2]), (12, [256]),
                                     (14, [256, 1, 1, 2]), (30, [3])]):
            bs, ts = GGML[t]
            n = 1
            for x in ne:
                n *= x
            nbytes = n // bs * ts
            tens.append(enc_s(b"t%d" % i) + struct.pack("<I", len(ne)) +
                        struct.pack("<%dq" % len(ne), *ne) + struct.pack("<IQ", t, off))
            pad = (nbytes + align - 1) // align * align
            data += bytes(range(256)) * (pad // 256) + bytes(pad % 256)
            off += pad
        head = b"GGUF" + struct.pack("<IQQ", 3, len(tens), len(body)) + b"".join(body + tens)
        head += b"\0" * (-len(head) % align)
        files["handmade_align%d.gguf" % align] = head + data
    files["handmade_v2_kv_only.gguf"] = b"GGUF" + struct.pack("<IQQ", 2, 0, len(kvs)) + b"".join(kvs)
    return files


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for sub in ("models", "tokenizer"):
        d = os.path.join(FIX, sub)
        for name in sorted(os.listdir(d)):
            if not name.endswith(".gguf"):
                continue
            path = os.path.join(d, name)
            with open(os.path.join(out, "mini_" + name), "wb") as f:
                f.write(miniature(path))
            raw = open(path, "rb").read(4096)
            with open(os.path.join(out, "prefix_" + name), "wb") as f:
                f.write(raw)
    for name, data in handmade().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
