"""Reads the 8-bit RGBA, non-interlaced PNGs hexad writes (`--frames-dir`, the studio's
`screenshot`), with the standard library only, so the frame and screenshot checks need no image
package. One reader for every check that looks at pixels."""
import struct
import zlib


def read_png(path):
    """(width, height, rows): each row the bytes R, G, B, A of its pixels. Raises ValueError on
    anything but an 8-bit RGBA non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    at, idat, width, height = 8, b"", None, None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if (depth, colour, interlace) != (8, 6, 0):
                raise ValueError(f"{path}: not 8-bit RGBA non-interlaced")
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    if width is None:
        raise ValueError(f"{path}: no IHDR chunk")
    raw, stride, bpp = zlib.decompress(idat), width * 4, 4
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # undo the row filter (PNG spec, section 9)
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def read_png_pixels(path):
    """(width, height, rows of (r, g, b, a) tuples)."""
    width, height, rows = read_png(path)
    return width, height, [[tuple(row[x * 4:x * 4 + 4]) for x in range(width)] for row in rows]
