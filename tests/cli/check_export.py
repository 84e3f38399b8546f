#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What CI asks of `memscope export` (issue 12), run against the real executable.

Usage: check_export.py MEMSCOPE LESSONS_DIR

Exports every bundled lesson twice and checks: the files are there, the
export is byte-identical, pictures of different steps differ, every link and
picture in each handout resolves, slides have the size asked for; a hostile
lesson's text comes out escaped and nothing is written outside the folder;
an occupied folder is refused without --force and a link in it is replaced,
never followed. Exits 1 naming the first thing that failed.
"""
import filecmp
import html.parser
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree

MEMSCOPE, LESSONS = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="memscope-export-check-")


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def export(*args, expect=0):
    run = subprocess.run([MEMSCOPE, "export", *args], capture_output=True, text=True)
    if run.returncode != expect:
        fail(f"memscope export {' '.join(args)} exited {run.returncode}, wanted {expect}\n{run.stderr}")
    return run


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def tree(root):
    out = set()
    for folder, _, files in os.walk(root):
        for name in files:
            out.add(os.path.relpath(os.path.join(folder, name), root))
    return out


def check_svg(path):
    """Well-formed XML whose root is an SVG element with a size and a viewBox."""
    try:
        root = xml.etree.ElementTree.parse(path).getroot()
    except xml.etree.ElementTree.ParseError as e:
        fail(f"{path} is not well-formed XML: {e}")
    if root.tag != "{http://www.w3.org/2000/svg}svg" or not all(k in root.attrib for k in ("width", "height", "viewBox")):
        fail(f"{path} is not an SVG with width, height and viewBox")


def lesson_steps(path):
    """Step count and the steps a machine without a GPU skips."""
    text = open(path, encoding="utf-8").read()
    whole_cuda = re.search(r"^requires:.*\bcuda\b(?!-)", text, re.M) is not None
    steps = re.split(r"^## ", text, flags=re.M)[1:]
    skipped = {i + 1 for i, s in enumerate(steps) if whole_cuda or re.search(r"^requires: cuda$", s, re.M)}
    return len(steps), skipped


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.refs, self.tags, self.active = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for key, value in attrs:
            # Event handlers and javascript: URLs run; the same words as
            # escaped text in the page are only shown.
            if key.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.active.append(f"<{tag} {key}={value!r}>")
            if key == "id":
                self.ids.add(value)
            if key in ("href", "src") and value is not None:
                self.refs.append(value)


def check_handout(folder):
    parser = Links()
    parser.feed(open(os.path.join(folder, "handout.html"), encoding="utf-8").read())
    if "script" in parser.tags:
        fail(f"{folder}/handout.html has a <script> element")
    for ref in parser.refs:
        if ref.startswith("#"):
            if ref[1:] not in parser.ids:
                fail(f"{folder}/handout.html links to {ref}, which no element has as id")
        elif ref.startswith("data:") or ref.startswith("https://") or ref.startswith("http://"):
            continue
        elif not os.path.isfile(os.path.join(folder, ref)):
            fail(f"{folder}/handout.html refers to {ref}, which is not in the folder")
    md = open(os.path.join(folder, "handout.md"), encoding="utf-8").read()
    for ref in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", md):
        if not ref.startswith("data:") and not os.path.isfile(os.path.join(folder, ref)):
            fail(f"{folder}/handout.md shows {ref}, which is not in the folder")


def check_lessons():
    first, second = os.path.join(WORK, "all-1"), os.path.join(WORK, "all-2")
    formats = "--formats=png,svg,html,md,gif"
    export("--all", "--out", first, formats)
    export("--all", "--out", second, formats)
    if tree(first) != tree(second):
        fail("two exports of the same lessons wrote different files")
    for rel in sorted(tree(first)):
        if not filecmp.cmp(os.path.join(first, rel), os.path.join(second, rel), shallow=False):
            fail(f"{rel} differs between two exports of the same lessons")
    lessons = sorted(f for f in os.listdir(LESSONS) if f.endswith(".md"))
    folders = sorted(os.listdir(first))
    if len(folders) != len(lessons):
        fail(f"{len(lessons)} lessons but {len(folders)} folders: {folders}")
    for folder in folders:
        path = os.path.join(first, folder)
        source = next(l for l in lessons if l[3:-3] == folder)
        count, skipped = lesson_steps(os.path.join(LESSONS, source))
        pictures = []
        for n in range(1, count + 1):
            png = os.path.join(path, f"step-{n:02d}.png")
            if n in skipped and not os.path.exists(png):
                continue
            for suffix in ("png", "svg"):
                if not os.path.isfile(os.path.join(path, f"step-{n:02d}.{suffix}")):
                    fail(f"{folder}: step {n} has no {suffix}")
            check_svg(os.path.join(path, f"step-{n:02d}.svg"))
            pictures.append(open(png, "rb").read())
        if len(set(pictures)) != len(pictures):
            fail(f"{folder}: two steps gave the same picture")
        with open(os.path.join(path, "steps.gif"), "rb") as f:
            if f.read(6) != b"GIF89a":
                fail(f"{folder}/steps.gif is not a GIF")
        check_handout(path)
    print(f"ok: {len(folders)} lessons, {len(tree(first))} files, byte-identical twice, handouts resolve")


def check_slides():
    out = os.path.join(WORK, "slides")
    export("torch-from-numpy", "--view", "slide", "--size", "1280x720", "--scale", "2", "--out", out,
           "--formats", "png,svg")
    for name in sorted(os.listdir(out)):
        if name.endswith(".png") and png_size(os.path.join(out, name)) != (2560, 1440):
            fail(f"slide {name} is {png_size(os.path.join(out, name))}, not 2560x1440")
        if name.endswith(".svg") and 'viewBox="0 0 1280 720"' not in open(os.path.join(out, name)).read():
            fail(f"slide {name} is not 1280x720")
    print("ok: slides 1280x720 at scale 2 are 2560x1440 PNGs and 1280x720 SVGs")


HOSTILE = """---
id: ../../escaped<script>
title: <script>alert('title')</script> & "quotes"
requires: numpy
summary: <img src=x onerror=alert(1)>
---

## <b>bold?</b> <script>alert('step')</script>

Narration with <script>alert('narration')</script> and <img src=x onerror=alert(2)>
and [a link](javascript:alert(3)).

```python
import numpy as np
a = np.zeros(3)
print("<script>alert('output')</script>")
```

```predict
Is <i>this</i> escaped?
- yes <script>alert('choice')</script> (*)
- no
```

```expect
dtype a float64
claim dtype a int8
```
"""


def check_hostile():
    parent = os.path.join(WORK, "hostile")
    os.makedirs(parent)
    lesson = os.path.join(parent, "evil.md")
    with open(lesson, "w", encoding="utf-8") as f:
        f.write(HOSTILE)
    before = set(os.listdir(parent))
    out = os.path.join(parent, "out")
    # Two sources: each gets a folder named after its id, sanitised.
    export(lesson, "numpy-views", "--out", out, "--formats", "png,html,md")
    if set(os.listdir(parent)) != before | {"out"}:
        fail(f"the export wrote outside its folder: {sorted(set(os.listdir(parent)) - before)}")
    for rel in tree(out):
        if ".." in rel.split(os.sep) or "<" in rel or rel.startswith("/"):
            fail(f"a file name came from the lesson unsanitised: {rel}")
    folder = next(os.path.join(out, d) for d in os.listdir(out) if "escaped" in d)
    page = open(os.path.join(folder, "handout.html"), encoding="utf-8").read()
    for raw in ("<script", "<img src=x", "<b>bold", "<i>this"):
        if raw in page:
            fail(f"hostile text {raw!r} reached the HTML handout as markup")
    parser = Links()
    parser.feed(page)
    if parser.active:
        fail(f"hostile text reached the HTML handout as markup: {parser.active[0]}")
    if "onerror=alert(1)&gt;" not in page:
        fail("the hostile summary is not shown, escaped, in the handout")
    if "&lt;script&gt;" not in page:
        fail("the hostile title is not shown, escaped, in the handout")
    md = open(os.path.join(folder, "handout.md"), encoding="utf-8").read()
    if "<script>alert('narration')" in md:
        fail("raw HTML from the narration reached the Markdown handout")
    check_handout(folder)
    print("ok: hostile lesson escaped in HTML and Markdown, names sanitised, nothing outside the folder")


def check_folder_rules():
    out = os.path.join(WORK, "occupied")
    os.makedirs(out)
    precious = os.path.join(WORK, "precious.txt")
    with open(precious, "w") as f:
        f.write("keep me")
    os.symlink(precious, os.path.join(out, "step-01.png"))
    run = export("numpy-views", "--out", out, "--steps", "1", expect=2)
    if "--force" not in run.stderr:
        fail(f"an occupied folder was refused without saying --force: {run.stderr}")
    export("numpy-views", "--out", out, "--steps", "1", "--force", "--formats", "png")
    if open(precious).read() != "keep me":
        fail("the export followed a link in the folder and overwrote its target")
    if os.path.islink(os.path.join(out, "step-01.png")) or png_size(os.path.join(out, "step-01.png"))[0] < 100:
        fail("the link was not replaced by the picture")
    if any(n.startswith(".memscope-export") for n in os.listdir(out)):
        fail("the staging folder was left behind")
    # Refused before anything runs: a lesson knows its steps.
    export("numpy-views", "--out", os.path.join(WORK, "bad-steps"), "--steps", "40-50", expect=2)
    # A script's steps are known only after it ran: the export fails then,
    # and leaves nothing, not even the folder it made.
    script = os.path.join(WORK, "two.py")
    with open(script, "w") as f:
        f.write("import numpy as np\na = np.zeros(3)\n")
    export(script, "--out", os.path.join(WORK, "late", "out"), "--steps", "40-50", expect=1)
    for folder in ("bad-steps", os.path.join("late", "out")):
        if os.path.exists(os.path.join(WORK, folder)):
            fail(f"a failed export left {folder} behind")
    print("ok: occupied folder refused, link replaced not followed, failed export leaves nothing")


def check_interrupt():
    """Ctrl+C while a script runs forever: exit 130, nothing written."""
    script = os.path.join(WORK, "forever.py")
    with open(script, "w") as f:
        f.write("import numpy as np\na = np.zeros(3)\nwhile True:\n    pass\n")
    out = os.path.join(WORK, "interrupted")
    run = subprocess.Popen([MEMSCOPE, "export", script, "--out", out], stderr=subprocess.PIPE, text=True)
    for line in run.stderr:  # waits on the export's own words, not on a clock
        if "statement 2" in line:
            break
    run.send_signal(signal.SIGINT)
    rest = run.stderr.read()
    if run.wait(timeout=300) != 130 or "nothing was written" not in rest:
        fail(f"Ctrl+C: exit {run.returncode}, wanted 130 and 'nothing was written'\n{rest}")
    if os.path.exists(out):
        fail("an interrupted export left its folder behind")
    print("ok: Ctrl+C interrupts the running statement, exit 130, nothing written")


if __name__ == "__main__":
    check_lessons()
    check_slides()
    check_hostile()
    check_folder_rules()
    check_interrupt()
    shutil.rmtree(WORK)  # kept when a check failed, to look at
