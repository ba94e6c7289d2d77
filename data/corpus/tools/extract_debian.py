#!/usr/bin/env python3
"""Rebuild the Debian-derived corpus files from Debian's own packages.

The English and Simplified Chinese editions of the Debian FAQ and of the Debian Reference are
paragraph-for-paragraph translations of each other, so they give the same content in both languages.
This script takes the prose paragraphs (<p> elements, inline code kept, tables and code blocks left
out) of the chapters listed below, in order, until the Chinese side reaches ZH_TARGET characters,
and writes the same paragraphs in English, so each pair is a parallel text.

Usage (any directory; needs dpkg-deb and apt-get download):

    mkdir -p /tmp/debs && cd /tmp/debs && apt-get download \
        debian-faq=11.1 debian-faq-zh-cn=11.1 debian-reference-en=2.100 debian-reference-zh-cn=2.100
    python3 data/corpus/tools/extract_debian.py /tmp/debs data/corpus

The package versions and SHA-256 sums the committed files came from are in data/corpus/README.md;
the script refuses other versions so that the output stays byte-for-byte the same.
"""

import glob
import os
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

ZH_TARGET = 16_000

PACKAGES = {
    "debian-faq": "11.1",
    "debian-faq-zh-cn": "11.1",
    "debian-reference-en": "2.100",
    "debian-reference-zh-cn": "2.100",
}

# (output name, English chapter files, Chinese chapter files), paths inside the unpacked packages.
SOURCES = [
    (
        "faq_debian_faq",
        [f"debian-faq/usr/share/doc/debian/FAQ/{c}.en.html" for c in
         ("basic-defs", "choosing", "pkg-basics")],
        [f"debian-faq-zh-cn/usr/share/doc/debian/FAQ/zh-cn/{c}.zh-cn.html" for c in
         ("basic-defs", "choosing", "pkg-basics")],
    ),
    (
        "tech_debian_reference",
        ["debian-reference-en/usr/share/debian-reference/ch01.en.html"],
        ["debian-reference-zh-cn/usr/share/debian-reference/ch01.zh-cn.html"],
    ),
]


class Paragraphs(HTMLParser):
    """Collects the text of every <p> element, whitespace collapsed to single spaces.

    Paragraphs inside tables, code blocks, the table of contents and the navigation bars are
    skipped: they are lists of names, not prose.
    """

    SKIP_TAGS = {"table", "pre"}
    SKIP_DIV_CLASSES = {"toc", "navheader", "navfooter"}

    def __init__(self):
        super().__init__()
        self.open = 0
        self.buf = []
        self.out = []
        self.skip = 0
        self.divs = []  # for each open <div>: whether it starts a skipped region

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            skipped = dict(attrs).get("class") in self.SKIP_DIV_CLASSES
            self.divs.append(skipped)
            self.skip += skipped
        elif tag in self.SKIP_TAGS:
            self.skip += 1
        elif tag == "p" and not self.skip:
            self.open += 1
            self.buf = []

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            self.skip -= self.divs.pop()
        elif tag in self.SKIP_TAGS:
            self.skip -= 1
        elif tag == "p" and self.open:
            self.open -= 1
            text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
            if text:
                self.out.append(text)

    def handle_data(self, data):
        if self.open:
            self.buf.append(data)


def paragraphs(paths):
    out = []
    for path in paths:
        parser = Paragraphs()
        with open(path, encoding="utf-8") as f:
            parser.feed(f.read())
        out.extend(parser.out)
    return out


def unpack(deb_dir, into):
    for name, version in PACKAGES.items():
        debs = glob.glob(os.path.join(deb_dir, f"{name}_{version}_all.deb"))
        if len(debs) != 1:
            sys.exit(f"error: {deb_dir} has no {name}_{version}_all.deb; "
                     f"run: apt-get download {name}={version}")
        subprocess.run(["dpkg-deb", "-x", debs[0], os.path.join(into, name)], check=True)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    deb_dir, corpus_dir = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        unpack(deb_dir, tmp)
        for name, en_paths, zh_paths in SOURCES:
            en = paragraphs(os.path.join(tmp, p) for p in en_paths)
            zh = paragraphs(os.path.join(tmp, p) for p in zh_paths)
            if len(en) != len(zh):
                sys.exit(f"error: {name}: {len(en)} English and {len(zh)} Chinese paragraphs; "
                         "the editions are no longer parallel")
            take, total = 0, 0
            while take < len(zh) and total < ZH_TARGET:
                total += len(zh[take])
                take += 1
            for lang, paras in (("en", en), ("zh", zh)):
                path = os.path.join(corpus_dir, lang, f"{name}.txt")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(paras[:take]) + "\n")
                print(f"{path}: {take} paragraphs")


if __name__ == "__main__":
    main()
