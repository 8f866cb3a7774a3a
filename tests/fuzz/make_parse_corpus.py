#!/usr/bin/env python3
"""Seed corpus for tests/fuzz/parse_fuzz: the small DOCX/ODT/EPUB files of the shared
formats corpus, the hostile HTML and Markdown of the bad corpus, and hand-made hostile
ZIP containers (traversal name, stored bomb prefix, entity-declaring XML), each
prefixed with the byte that picks its file name in parse_fuzz.cc.
Usage: make_parse_corpus.py OUT_DIR
"""
import io
import os
import sys
import zipfile

HERE = os.path.dirname(__file__)
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "corpus")
PICK = {".docx": 0, ".odt": 1, ".epub": 2, ".html": 3, ".md": 4, ".txt": 5, ".pdf": 6}
MAX_SEED = 64 << 10


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

    for sub in ("formats/docx", "formats/odt", "formats/epub", "bad/html", "bad/md"):
        d = os.path.join(SHARED, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            ext = os.path.splitext(name)[1]
            if os.path.isfile(p) and ext in PICK and os.path.getsize(p) <= MAX_SEED:
                seed(PICK[ext], open(p, "rb").read())
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
