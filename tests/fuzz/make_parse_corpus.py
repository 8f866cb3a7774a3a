#!/usr/bin/env python3
"""Seed corpus for tests/fuzz/parse_fuzz: the small DOCX/ODT/EPUB and e-mail files of
the shared formats corpus, the heads of its page images, the hostile HTML and Markdown
of the bad corpus, and hand-made hostile inputs: ZIP containers (traversal name,
stored bomb prefix, entity-declaring XML), image headers claiming 100000 x 100000
pixels, MIME nested deep and wide, an mbox whose attachment lies about its type. Each
seed is prefixed with the byte that picks its file name in parse_entry.h. The build
also replays every seed under the test suite (tests/fuzz/seed_replay_test.cc), which
the ASan job runs.
Usage: make_parse_corpus.py OUT_DIR
"""
import base64
import io
import os
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(__file__)
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "corpus")
PICK = {".docx": 0, ".odt": 1, ".epub": 2, ".html": 3, ".md": 4, ".txt": 5, ".pdf": 6,
        ".eml": 8, ".mbox": 9, ".png": 10, ".tif": 11, ".jpg": 12}
MAX_SEED = 64 << 10
IMAGE_HEAD = 8 << 10  # enough for every header and a first strip of pixels


def png(width, height, rows=None):
    """A PNG with real CRCs: `rows` of grey bytes, or only the header (a claim)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    if rows is not None:
        out += chunk(b"IDAT", zlib.compress(b"".join(b"\0" + r for r in rows)))
    return out + chunk(b"IEND", b"")


def tiff_claim(width, height):
    """A little-endian TIFF whose first IFD claims width x height, 8-bit grey, one strip."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8), (277, 3, 1, 1), (278, 4, 1, height),
               (279, 4, 1, 16)]
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack("<HHII", tag, typ, count, value)
    return b"II*\0" + struct.pack("<I", 8 + 16) + b"\0" * 16 + ifd + b"\0\0\0\0"


def nested_mime(depth):
    body = "innermost words\n"
    for i in range(depth):
        b = "b%d" % i
        body = ('Content-Type: multipart/mixed; boundary="%s"\n\n--%s\n%s\n--%s--\n'
                % (b, b, body, b))
    return "From: a@example.org\nSubject: deep\nMIME-Version: 1.0\n" + body


def wide_mime(parts):
    out = ['From: a@example.org\nSubject: wide\nMIME-Version: 1.0\n'
           'Content-Type: multipart/mixed; boundary="w"\n']
    for i in range(parts):
        out.append("--w\nContent-Type: text/plain\n\npart %d\n" % i)
    return "".join(out) + "--w--\n"


def zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def main(out):
    os.makedirs(out, exist_ok=True)
    n = 0

    def seed(pick, data):
        nonlocal n
        with open(os.path.join(out, "seed%04d" % n), "wb") as f:
            f.write(bytes([pick]) + data[:MAX_SEED])
        n += 1

    for sub in ("formats/docx", "formats/odt", "formats/epub", "formats/email", "bad/html",
                "bad/md"):
        d = os.path.join(SHARED, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            ext = os.path.splitext(name)[1]
            if os.path.isfile(p) and ext in PICK and os.path.getsize(p) <= MAX_SEED:
                seed(PICK[ext], open(p, "rb").read())
    scans = os.path.join(SHARED, "formats", "scanned")
    if os.path.isdir(scans):
        for name in sorted(os.listdir(scans)):
            ext = os.path.splitext(name)[1]
            if ext in (".png", ".jpg", ".tif"):
                seed(PICK[ext], open(os.path.join(scans, name), "rb").read()[:IMAGE_HEAD])
    # Images: a small real one (decoded and OCR'd), and headers that claim far too much.
    seed(PICK[".png"], png(48, 16, [bytes([255 if (x // 4 + y // 4) % 2 else 0 for x in range(48)])
                                    for y in range(16)]))
    seed(PICK[".png"], png(100000, 100000))
    seed(PICK[".tif"], tiff_claim(100000, 100000))
    seed(PICK[".png"], png(100000, 100000)[:40])  # cut inside the header
    # Mail: deep and wide MIME, an encoded-word soup, an attachment named .pdf that is HTML.
    seed(PICK[".eml"], nested_mime(300).encode())
    seed(PICK[".eml"], wide_mime(2000).encode())
    seed(PICK[".eml"], ("From: =?x-unknown?B?AAAA?= <a@example.org>\nSubject: =?utf-8?Q?caf=C3=A9?="
                        " =?iso-2022-jp?B?GyRCJCIbKEI=?=\nContent-Type: text/plain; charset=koi8-r\n"
                        "Content-Transfer-Encoding: quoted-printable\n\n=F0=D2=C9=D7=C5=D4 =\n")
         .encode())
    html = base64.b64encode(b"<html><body>not a pdf</body></html>").decode()
    seed(PICK[".mbox"], ("From a@example.org Thu Jan  1 00:00:00 2026\nFrom: a@example.org\n"
                         "Subject: one\nMessage-ID: <1@x>\nMIME-Version: 1.0\n"
                         'Content-Type: multipart/mixed; boundary="m"\n\n--m\nContent-Type: '
                         'text/plain\n\nbody\n--m\nContent-Type: application/pdf; name="r.pdf"\n'
                         "Content-Transfer-Encoding: base64\n\n" + html + "\n--m--\n\n"
                         "From b@example.org Thu Jan  1 00:00:00 2026\nFrom: b@example.org\n"
                         "Subject: two\n\n>From the archive\n").encode())
    doc = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body>'
           '</w:document>')
    ct = "<Types/>"
    seed(0, zip_bytes([("[Content_Types].xml", ct), ("word/document.xml", doc)]))
    seed(0, zip_bytes([("[Content_Types].xml", ct), ("../../evil", "x"), ("word/document.xml", doc)]))
    seed(0, zip_bytes([("[Content_Types].xml", ct),
                       ("word/document.xml", '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        + doc.replace("<w:t>x", "<w:t>&x;"))]))
    seed(0, zip_bytes([("[Content_Types].xml", ct), ("word/document.xml", doc + "\0" * 200000)]))
    print("wrote %d seeds to %s" % (n, out))


if __name__ == "__main__":
    main(sys.argv[1])
