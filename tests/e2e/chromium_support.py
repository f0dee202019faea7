"""Checking HTML that git-model writes (`git model report --format html`) in real headless Chromium.

screenshot(html_path, png_path, width=1200, height=2400) renders the page and saves a PNG of the
window; dump_dom(html_path) returns the DOM after parsing (what the browser understood, not the
bytes written); png_summary(png_path) decodes the PNG with zlib and struct alone and counts the
non-white pixels, so a test can assert that a chart drew something.

The browser gets no network: every host name resolves to nothing (--host-resolver-rules) and
every request goes to a proxy on a closed port (--proxy-server=127.0.0.1:9), so a page that
needed a fetch renders without it. Each call uses a fresh temporary profile and is killed, with
every process it started, after `timeout` seconds. CHROMIUM overrides the browser's path;
chromium_available() lets a test skip where there is none.
"""

import os
import shutil
import signal
import struct
import subprocess
import tempfile
import zlib
from collections import Counter
from pathlib import Path

DEFAULT_CHROMIUM = "/usr/bin/chromium"


def chromium_path():
    """The browser to run: $CHROMIUM, else /usr/bin/chromium, else chromium on PATH (or None)."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_available():
    return chromium_path() is not None


def _browser_args(profile, width, height):
    return [
        chromium_path(), "--headless=new", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
        f"--window-size={width},{height}", "--force-device-scale-factor=1",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
        f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-sync",
        "--disable-component-update", "--disable-default-apps", "--mute-audio",
        "--disable-dev-shm-usage", "--disable-crash-reporter",
    ]


def _run_browser(extra_args, width, height, timeout):
    """Runs the browser in its own process group; returns (returncode, stdout, stderr)."""
    if not chromium_available():
        raise RuntimeError("chromium not found: install it or set CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-", ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(_browser_args(profile, width, height) + extra_args, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.communicate()
            raise RuntimeError(f"chromium took more than {timeout} s") from None
        _kill_group(proc.pid)  # helpers (crashpad, zygote) that outlived the browser
        return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _file_url(html_path):
    return Path(html_path).resolve().as_uri()


def screenshot(html_path, png_path, width=1200, height=2400, timeout=60):
    """Renders html_path in a width x height window and saves the PNG to png_path; returns
    png_path. Raises RuntimeError when the browser fails or writes no PNG."""
    png_path = Path(png_path).resolve()
    if png_path.exists():
        png_path.unlink()
    code, out, err = _run_browser([f"--screenshot={png_path}", _file_url(html_path)], width, height, timeout)
    if code != 0 or not png_path.exists():
        raise RuntimeError(f"chromium screenshot failed (exit {code}): {err[-2000:]}")
    return str(png_path)


def dump_dom(html_path, timeout=60):
    """The serialized DOM of html_path after Chromium parsed it (body text, svg elements...)."""
    code, out, err = _run_browser(["--dump-dom", _file_url(html_path)], 1200, 2400, timeout)
    if code != 0:
        raise RuntimeError(f"chromium --dump-dom failed (exit {code}): {err[-2000:]}")
    return out


# PNG decoding: 8-bit truecolor (type 2) and truecolor with alpha (type 6), not interlaced; what
# Chromium writes for screenshots.

def _chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if len(body) != length:
            raise ValueError("truncated PNG chunk")
        yield kind, body
        at += 12 + length
        if kind == b"IEND":
            return


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(kind, raw, prev, bpp):
    """One scanline's bytes from its filtered bytes (PNG spec, section 9)."""
    if kind == 0:
        return raw
    if kind == 2:
        if not raw.strip(b"\0"):
            return prev
        return bytes((x + b) & 255 for x, b in zip(raw, prev))
    row = bytearray(raw)
    if kind == 1:
        if not raw[bpp:].strip(b"\0"):
            return bytes(raw[:bpp]) * (len(raw) // bpp)
        for i in range(bpp, len(row)):
            row[i] = (row[i] + row[i - bpp]) & 255
    elif kind == 3:
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
    elif kind == 4:
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            up_left = prev[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + _paeth(left, prev[i], up_left)) & 255
    else:
        raise ValueError(f"unknown PNG filter type {kind}")
    return bytes(row)


def _header(chunks):
    for kind, body in chunks:
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace != 0:
                raise ValueError(f"unsupported PNG: depth {depth}, color type {color}, interlace {interlace}")
            return width, height, 3 if color == 2 else 4
    raise ValueError("PNG without IHDR")


def decode_png_rows(png_path):
    """(width, height, bytes per pixel, rows): each row the pixel bytes, RGB or RGBA."""
    chunks = list(_chunks(Path(png_path).read_bytes()))
    width, height, bpp = _header(chunks)
    data = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * bpp
    if len(data) != height * (stride + 1):
        raise ValueError(f"PNG data is {len(data)} bytes, expected {height * (stride + 1)}")
    rows, prev = [], bytes(stride)
    for y in range(height):
        at = y * (stride + 1)
        prev = _unfilter(data[at], data[at + 1:at + 1 + stride], prev, bpp)
        rows.append(prev)
    return width, height, bpp, rows


def png_summary(png_path, colors=False):
    """{"width", "height", "non_white"}: pixels that are not white (fully transparent ones count
    as white); with colors=True also "colors", a Counter of (r, g, b) over the non-white pixels."""
    width, height, bpp, rows = decode_png_rows(png_path)
    white = (b"\xff\xff\xff" if bpp == 3 else b"\xff\xff\xff\xff") * width
    non_white, counter = 0, Counter()
    for row in rows:
        if row == white:
            continue
        for x in range(0, len(row), bpp):
            pixel = row[x:x + 3]
            if pixel == b"\xff\xff\xff" or (bpp == 4 and row[x + 3] == 0):
                continue
            non_white += 1
            if colors:
                counter[tuple(pixel)] += 1
    summary = {"width": width, "height": height, "non_white": non_white}
    if colors:
        summary["colors"] = counter
    return summary
