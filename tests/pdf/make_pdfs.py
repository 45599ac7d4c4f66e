#!/usr/bin/python3
"""Generates PDFs with known answers for the PDF tests and benchmark.

  make_pdfs.py OUTDIR            the labelled set + OUTDIR/expected.tsv
  make_pdfs.py --pages N FILE    one N-page release (benchmark input)

expected.tsv columns: file, kind, hidden (1 when text sits under a dark
box), rules (comma-separated pdf.* rule ids expected, "-" for none), the
withheld text ("-" for none), error (1 when ingest must refuse the file).
Deterministic: the same OUTDIR content on every run.
"""
import os
import random
import subprocess
import sys
import zlib

import cairo

W, H = 612, 792  # US Letter, points
FONT = "DejaVu Sans"
NAMES = ["John Harlan Smith", "Maria Delgado", "Peter Okafor", "Susan Whitfield",
         "Ahmed Rahimi", "Laura Chen", "Viktor Petrov", "Grace Mbeki",
         "Daniel Iverson", "Nadia Kowalski", "Tomas Brennan", "Helen Ashby"]
PHONES = ["202-555-0147", "703-555-0199", "301-555-0123", "571-555-0180"]
BODY = [
    "The Secretary met with the delegation on Tuesday to discuss the",
    "outstanding issues in the draft agreement. Both sides agreed to",
    "continue the talks at the working level before the next meeting.",
    "Please see the attached note for the points raised by the embassy.",
    "We expect a reply from the ministry by the end of the week.",
]


def new_surface(path, pages_meta=None):
    s = cairo.PDFSurface(path, W, H)
    return s, cairo.Context(s)


def text(cr, x, y, s, size=11, rgb=(0, 0, 0)):
    cr.select_font_face(FONT)
    cr.set_font_size(size)
    cr.set_source_rgb(*rgb)
    cr.move_to(x, y)
    cr.show_text(s)
    return cr.text_extents(s)


def width(cr, s, size=11):
    cr.select_font_face(FONT)
    cr.set_font_size(size)
    return cr.text_extents(s).x_advance


def box(cr, x, y, w, h, rgb=(0, 0, 0)):
    cr.set_source_rgb(*rgb)
    cr.rectangle(x, y, w, h)
    cr.fill()


def header(cr, page, doc="C0%07d" % 5788291):
    text(cr, 72, 40, "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 "
         "Doc No. %s Date: 06/30/2015" % doc, size=8)
    text(cr, 400, 70, "RELEASE IN PART B6", size=10)


def body(cr, rnd, y=130, lines=None):
    for line in lines or rnd.sample(BODY, 4):
        text(cr, 72, y, line)
        y += 16
    return y


def sensitive_line(cr, rnd, y, secret, draw_box, box_rgb=(0, 0, 0),
                   text_rgb=(0, 0, 0), box_first=False, label=None, pad=2):
    """Writes "Contact: <secret> for details." with a box over <secret>."""
    pre = "Contact: "
    x = 72 + width(cr, pre)
    w = width(cr, secret)
    if box_first and draw_box:
        box(cr, x - pad, y - 11, w + 2 * pad, 15, box_rgb)
    text(cr, 72, y, pre)
    text(cr, x, y, secret, rgb=text_rgb)
    text(cr, x + w + 4, y, "for details.")
    if draw_box and not box_first:
        box(cr, x - pad, y - 11, w + 2 * pad, 15, box_rgb)
    if label:
        text(cr, x + 2, y, label, size=9, rgb=(1, 1, 1))


def proper_line(cr, y, label="(b)(6)"):
    """A correctly applied redaction: box with no text under it."""
    pre = "Contact: "
    x = 72 + width(cr, pre)
    text(cr, 72, y, pre)
    box(cr, x - 2, y - 11, 110, 15)
    text(cr, x + 4, y, label, size=9, rgb=(1, 1, 1))
    text(cr, x + 114, y, "for details.")


class Out:
    def __init__(self, outdir):
        self.outdir = outdir
        self.rows = []

    def add(self, name, kind, hidden, rules, secret="-", error=0):
        self.rows.append((name, kind, str(int(hidden)), ",".join(rules) or "-",
                          secret or "-", str(error)))
        return os.path.join(self.outdir, name)

    def write(self):
        with open(os.path.join(self.outdir, "expected.tsv"), "w") as f:
            f.write("file\tkind\thidden\trules\tsecret\terror\n")
            for r in self.rows:
                f.write("\t".join(r) + "\n")


def gen_cairo(out, rnd):
    # Clean releases: text only.
    for i in range(10):
        s, cr = new_surface(out.add("clean-%02d.pdf" % i, "clean", 0, []))
        header(cr, 1)
        body(cr, rnd)
        if i % 2:
            cr.show_page()
            header(cr, 2)
            body(cr, rnd)
        s.finish()
    # Proper redactions: box over nothing, (b)(6) label on it.
    for i in range(10):
        s, cr = new_surface(out.add("proper-%02d.pdf" % i, "proper", 0, []))
        header(cr, 1)
        y = body(cr, rnd)
        proper_line(cr, y + 10, "(b)(6)" if i % 2 == 0 else "(b)(7)(C)")
        s.finish()
    # Text under a dark box, in several ways.
    colours = [(0, 0, 0), (0.1, 0.1, 0.1), (0.05, 0.05, 0.3), (0.2, 0.2, 0.2)]
    for i in range(16):
        secret = NAMES[i % len(NAMES)] if i % 4 else PHONES[i % len(PHONES)]
        name = "underbox-%02d.pdf" % i
        s, cr = new_surface(out.add(name, "underbox", 1, ["pdf.text-under-box"],
                                    secret))
        header(cr, 1)
        y = body(cr, rnd)
        rgb = colours[i % len(colours)]
        # Odd files paint the text in the box colour on top of the box.
        sensitive_line(cr, rnd, y + 10, secret, True, rgb,
                       text_rgb=rgb if i % 2 else (0, 0, 0),
                       box_first=bool(i % 2), label="(b)(6)" if i % 3 == 0 else None)
        if i % 5 == 0:  # a second page, hit on page 2
            cr.show_page()
            header(cr, 2)
            body(cr, rnd)
        s.finish()
    # White boxes over text (white-on-white): nothing hidden in the dark.
    for i in range(8):
        s, cr = new_surface(out.add("whitebox-%02d.pdf" % i, "whitebox", 0, []))
        header(cr, 1)
        y = body(cr, rnd)
        sensitive_line(cr, rnd, y + 10, NAMES[i], True, (1, 1, 1),
                       text_rgb=(1, 1, 1) if i % 2 else (0, 0, 0),
                       box_first=bool(i % 2))
        s.finish()
    # Filler under boxes: XXXX, "REDACTED", "withheld".
    fillers = ["XXXXXXXXXX", "REDACTED", "withheld", "xxxx-xxxx", "[REDACTED]",
               "WITHHELD", "XXXX XXXX", "Redacted"]
    for i, filler in enumerate(fillers):
        s, cr = new_surface(out.add("filler-%02d.pdf" % i, "filler", 0, []))
        header(cr, 1)
        y = body(cr, rnd)
        sensitive_line(cr, rnd, y + 10, filler, True)
        s.finish()
    # Dark banner in the page header with dark text on it.
    for i in range(5):
        s, cr = new_surface(out.add("banner-%02d.pdf" % i, "banner", 0, []))
        box(cr, 0, 8, W, 34, (0.05, 0.05, 0.05))
        text(cr, 72, 30, "OFFICIAL USE ONLY Department of State", size=12,
             rgb=(0.05, 0.05, 0.05))
        text(cr, 400, 70, "RELEASE IN PART B6", size=10)
        body(cr, rnd)
        s.finish()
    # Every hit a date (date stamps in dark boxes): not reported.
    dates = ["06/30/2015", "2015-06-30", "March 3, 2009", "12/01/2014",
             "30 June 2015"]
    for i, d in enumerate(dates):
        s, cr = new_surface(out.add("dates-%02d.pdf" % i, "dates", 0, []))
        header(cr, 1)
        y = body(cr, rnd)
        sensitive_line(cr, rnd, y + 10, d, True)
        s.finish()
    # Metadata carrying withheld names.
    for i in range(6):
        secret = NAMES[(i + 3) % len(NAMES)]
        s, cr = new_surface(out.add("meta-%02d.pdf" % i, "metadata", 0,
                                    ["pdf.metadata-text"], secret))
        key = [cairo.PDFMetadata.TITLE, cairo.PDFMetadata.SUBJECT,
               cairo.PDFMetadata.KEYWORDS, cairo.PDFMetadata.AUTHOR][i % 4]
        s.set_metadata(key, "Interview notes %s" % secret)
        header(cr, 1)
        y = body(cr, rnd)
        proper_line(cr, y + 10)
        s.finish()
    # Bookmarks carrying withheld names.
    for i in range(4):
        secret = NAMES[(i + 5) % len(NAMES)]
        s, cr = new_surface(out.add("outline-%02d.pdf" % i, "outline", 0,
                                    ["pdf.outline-text"], secret))
        s.add_outline(cairo.PDF_OUTLINE_ROOT, "Memo about %s" % secret,
                      "page=1", 0)
        header(cr, 1)
        y = body(cr, rnd)
        proper_line(cr, y + 10)
        s.finish()


class RawPdf:
    """A hand-written PDF (objects in order, classic xref table)."""

    def __init__(self):
        self.objs = []

    def add(self, body):
        self.objs.append(body if isinstance(body, bytes) else body.encode("latin-1"))
        return len(self.objs)

    def stream(self, data, extra=""):
        return self.add(b"<< /Length %d %s >>\nstream\n" % (len(data), extra.encode())
                        + data + b"\nendstream")

    def bytes(self, root, info=None):
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offs = []
        for i, o in enumerate(self.objs):
            offs.append(len(out))
            out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objs) + 1)
        for o in offs:
            out += b"%010d 00000 n \n" % o
        trailer = "<< /Size %d /Root %d 0 R" % (len(self.objs) + 1, root)
        if info:
            trailer += " /Info %d 0 R" % info
        out += b"trailer\n" + trailer.encode() + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def raw_page_pdf(lines, annots="", extra_catalog="", media=(W, H), pages=1):
    """Helvetica text lines [(x, y_top, text)]; returns (RawPdf, root)."""
    p = RawPdf()
    font = p.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    ops = []
    for x, y, s in lines:
        esc = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append("BT /F1 11 Tf %.1f %.1f Td (%s) Tj ET" % (x, media[1] - y, esc))
    content = p.stream("\n".join(ops).encode())
    kids_obj = len(p.objs) + 2  # pages object number comes after the page
    page = p.add("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
                 "/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R %s >>"
                 % (kids_obj, media[0], media[1], font, content, annots))
    pages_obj = p.add("<< /Type /Pages /Kids [%s] /Count %d >>"
                      % (" ".join(["%d 0 R" % page] * pages), pages))
    assert pages_obj == kids_obj
    root = p.add("<< /Type /Catalog /Pages %d 0 R %s >>" % (pages_obj, extra_catalog))
    return p, root


def release_lines(secret_line):
    return [(72, 40, "UNCLASSIFIED Case No. F-2014-20439 Doc No. C05788291"),
            (400, 70, "RELEASE IN PART B6"),
            (72, 130, BODY[0]), (72, 146, BODY[1]), (72, 178, secret_line)]


def gen_raw(out):
    # Redact annotations never applied: the name is still in the content.
    for i in range(6):
        secret = NAMES[(i + 7) % len(NAMES)]
        line = "Contact: %s for details." % secret
        x0 = 72 + 6.2 * len("Contact: ")  # Helvetica 11pt, roughly
        annot = ("/Annots [<< /Type /Annot /Subtype /Redact /Rect [%.1f %.1f %.1f %.1f] "
                 "/OverlayText (b\\(6\\)) >>]" % (x0 - 2, H - 182, x0 + 6.2 * len(secret), H - 168))
        p, root = raw_page_pdf(release_lines(line), annots=annot)
        with open(out.add("annot-%02d.pdf" % i, "annotation", 0,
                          ["pdf.unapplied-redaction"], secret), "wb") as f:
            f.write(p.bytes(root))
    # An embedded file with the unredacted original.
    for i in range(3):
        p, _ = raw_page_pdf(release_lines("Contact: (b)(6) for details."))
        data = ("Unredacted original: contact %s" % NAMES[i]).encode()
        ef = p.stream(data, "/Type /EmbeddedFile")
        spec = p.add("<< /Type /Filespec /F (original-%d.txt) /UF (original-%d.txt) "
                     "/EF << /F %d 0 R >> >>" % (i, i, ef))
        # Rebuild the catalog with the name tree.
        root = p.add("<< /Type /Catalog /Pages %d 0 R /Names << /EmbeddedFiles "
                     "<< /Names [(original-%d.txt) %d 0 R] >> >> >>" % (4, i, spec))
        with open(out.add("embedded-%02d.pdf" % i, "embedded", 0,
                          ["pdf.embedded-file"], "original-%d.txt" % i), "wb") as f:
            f.write(p.bytes(root))
    # XMP metadata with a withheld name.
    for i in range(2):
        secret = NAMES[(i + 9) % len(NAMES)]
        xmp = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
               '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
               'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
               '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Statement of %s'
               '</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF>'
               '</x:xmpmeta><?xpacket end="w"?>' % secret).encode()
        p, _ = raw_page_pdf(release_lines("Contact: (b)(6) for details."))
        meta = p.stream(xmp, "/Type /Metadata /Subtype /XML")
        root = p.add("<< /Type /Catalog /Pages 4 0 R /Metadata %d 0 R >>" % meta)
        with open(out.add("xmp-%02d.pdf" % i, "metadata", 0,
                          ["pdf.metadata-text"], secret), "wb") as f:
            f.write(p.bytes(root))
    # Inputs ingest must refuse.
    p, root = raw_page_pdf(release_lines("x"))
    good = p.bytes(root)
    with open(out.add("bad-truncated.pdf", "bad", 0, [], error=1), "wb") as f:
        f.write(good[: len(good) // 2])
    with open(out.add("bad-garbage.pdf", "bad", 0, [], error=1), "wb") as f:
        f.write(b"%PDF-1.4\n" + bytes(random.Random(7).randrange(256) for _ in range(4000))
                + b"\n%%EOF\n")
    p, root = raw_page_pdf(release_lines("x"), media=(200000, 200000))
    with open(out.add("bad-huge-page.pdf", "bad", 0, [], error=1), "wb") as f:
        f.write(p.bytes(root))
    p, root = raw_page_pdf(release_lines("x"), pages=100000)
    with open(out.add("bad-many-pages.pdf", "bad", 0, [], error=1), "wb") as f:
        f.write(p.bytes(root))
    plain = os.path.join(out.outdir, "clean-00.pdf")
    enc = out.add("bad-encrypted.pdf", "bad", 0, [], error=1)
    subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", plain, enc],
                   check=True)


def gen_long(path, pages):
    rnd = random.Random(pages)
    s, cr = new_surface(path)
    for p in range(pages):
        header(cr, p + 1)
        y = 130
        for _ in range(8):
            y = body(cr, rnd, y, rnd.sample(BODY, 5)) + 8
        if p % 3 == 0:
            proper_line(cr, y + 10)
        if p % 10 == 0:
            sensitive_line(cr, rnd, y + 30, NAMES[p % len(NAMES)], True)
        cr.show_page()
    s.finish()


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--pages":
        gen_long(sys.argv[3], int(sys.argv[2]))
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    out = Out(outdir)
    rnd = random.Random(42)
    gen_cairo(out, rnd)
    gen_raw(out)
    out.write()
    print("make_pdfs: %d files in %s" % (len(out.rows), outdir))


if __name__ == "__main__":
    main()
