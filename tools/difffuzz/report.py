"""Output records of the difffuzz harness (layout: tools/difffuzz/layout.h) and their dumps."""
import struct

REGS = 1088          # one registers area
BUF = 512            # scratch buffer
RECORD = 2 * REGS + BUF  # one block's record in the harness .data (input, output, buffer)
OUTPUT = REGS + BUF  # bytes the harness writes per block
OFF_GPR, OFF_FPR, OFF_CR, OFF_XER, OFF_FPSCR, OFF_VSCR, OFF_CTR, OFF_LR, OFF_VR = (
    0, 256, 512, 520, 528, 544, 560, 568, 576)

# (name, offset, size) of every compared field of an output record, in dump order.
FIELDS = ([(f"r{k}", OFF_GPR + 8 * k, 8) for k in range(32)]
          + [("cr", OFF_CR, 4), ("xer", OFF_XER, 8), ("ctr", OFF_CTR, 8), ("lr", OFF_LR, 8),
             # mffs leaves FRT[0:31] undefined: the harness's FPSCR slot is compared on its low word.
             ("fpscr", OFF_FPSCR + 4, 4), ("vscr", OFF_VSCR, 16)]
          + [(f"f{k}", OFF_FPR + 8 * k, 8) for k in range(32)]
          + [(f"v{k}", OFF_VR + 16 * k, 16) for k in range(32)]
          + [(f"mem[{o - 256:+d}]", REGS + o, 8) for o in range(0, BUF, 8)])


def record(stdout, k):
    """Block k's output record from a run's stdout, or None when the run stopped before it."""
    rec = stdout[k * OUTPUT:(k + 1) * OUTPUT]
    return rec if len(rec) == OUTPUT else None


# Bits left out of a field's comparison. FPSCR[FR] (bit 13): qemu 7.2 never updates it (the ISA
# sets it when rounding increased the fraction's magnitude); docs/difffuzz.md.
MASKS = {"fpscr": bytes.fromhex("fffbffff")}


def _field(rec, name, off, size):
    raw = rec[off:off + size]
    mask = MASKS.get(name)
    return bytes(x & m for x, m in zip(raw, mask)) if mask else raw


def differing_fields(a, b):
    return [name for name, off, size in FIELDS if _field(a, name, off, size) != _field(b, name, off, size)]


def differs(a, b):
    if a is None or b is None:
        return (a is None) != (b is None)
    return bool(differing_fields(a, b))


def _hex(rec, off, size):
    if rec is None:
        return "-" * (2 * size)
    return rec[off:off + size].hex()


def _xer(v):
    return f"SO={v >> 31 & 1} OV={v >> 30 & 1} CA={v >> 29 & 1} count={v & 0x7F}"


def dump(rec_in, q, h, classes, color=False):
    """A register table: input, qemu, hexad, differing fields marked (and coloured on a tty).
    rec_in is the block's whole record from the harness data (input registers and buffer)."""
    diff = set(differing_fields(q, h)) if q is not None and h is not None else {n for n, _, _ in FIELDS}
    show_fp = "fp" in classes or "all" in classes
    show_vmx = "vmx" in classes or "all" in classes
    red, off = ("\x1b[1;31m", "\x1b[0m") if color else ("", "")
    lines = ["  registers (input | qemu | hexad):"]
    if q is None or h is None:
        lines.append(f"    output record missing: qemu {'ok' if q is not None else 'missing'}, "
                     f"hexad {'ok' if h is not None else 'missing'}")
    for name, o, size in FIELDS:
        is_mem = name.startswith("mem[")
        # FPR/FPSCR and VR/VSCR are saved only when their class is on: otherwise only if they differ.
        if (name.startswith("f") and not show_fp) or (name.startswith("v") and not show_vmx):
            if name not in diff:
                continue
        if is_mem and name not in diff:
            continue  # the buffer is long: only differing rows
        # Input registers sit at the record's start; the buffer's initial bytes after both areas.
        vin = _hex(rec_in, o + REGS if is_mem else o, size)
        mark = name in diff
        line = f"    {name:>9} {vin} | {_hex(q, o, size)} | {_hex(h, o, size)}"
        if mark:
            line = f"{red}{line}  <== differs{off}"
        lines.append(line)
    for name in ("xer",):
        if name in diff and q is not None and h is not None:
            vq = struct.unpack_from(">Q", q, OFF_XER)[0]
            vh = struct.unpack_from(">Q", h, OFF_XER)[0]
            lines.append(f"    xer: qemu {_xer(vq)}; hexad {_xer(vh)}")
    if diff:
        lines.append("  differing: " + ", ".join(n for n, _, _ in FIELDS if n in diff))
    return "\n".join(lines)
