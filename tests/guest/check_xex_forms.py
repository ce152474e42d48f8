#!/usr/bin/env python3
"""Every XEX form runs every bundled title the same way.

  check_xex_forms.py --hexad HEXAD --audit HEXAD_AUDIT --xexpack XEXPACK --guest-dir DIR --out DIR TITLE...

For each title (its ELF in --guest-dir), xexpack writes the 9 forms {none, retail, devkit}
encryption x {none, basic, normal} compression, each as <out>/<form>/<title>.xex so the image
name in the trace is the same. Each form runs under `hexad run`; its trace must equal the plain
form's (none-none) except the image's SHA-256 in run.start, which must be the form file's own:
the form's run.start hash is replaced by the plain one and `hexad-audit diff` must then report the
traces identical (it ignores host_ns). The exit dumps must be byte-identical apart from
image_sha256 likewise. `hexad info --json` must report each form's key and compression and otherwise the same
image for every form. Then damaged forms must exit 2 naming what is wrong: a corrupted LZX block
(its SHA-1), a corrupted file key (neither master key fits), a truncated file, patch flags.
Standard library only.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

ENCRYPTIONS = ["none", "retail", "devkit"]
COMPRESSIONS = ["none", "basic", "normal"]
SHA = re.compile(rb'"sha256":"([0-9a-f]{64})"')
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")
    return cond


def run(cmd):
    return subprocess.run(cmd, capture_output=True, timeout=300)


def code_mode(args, title):
    """The code mode of the title's plain XEX (64 for tests/guest/mode64.S), kept in every form."""
    r = run([args.hexad, "info", "--json", os.path.join(args.guest_dir, f"{title}.xex")])
    return str(json.loads(r.stdout)["code_mode"]) if r.returncode == 0 else "32"


def pack(args, title, enc, comp, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    elf = os.path.join(args.guest_dir, f"{title}.elf")
    r = run([args.xexpack, "--name", f"{title}.exe", "--encrypt", enc, "--compress", comp,
             "--code-mode", code_mode(args, title), elf, path])
    return check(r.returncode == 0, f"xexpack {title} {enc}/{comp}: status {r.returncode}: {r.stderr.decode()}")


def run_title(args, xex, out):
    r = run([args.hexad, "run", xex, "--out", out, "--quiet"])
    return r.returncode, out


def with_hash(data, old, new):
    return data.replace(old.encode(), new.encode())


def compare(args, title, form, plain_out, form_out, form_sha, plain_sha):
    trace = open(os.path.join(form_out, "trace.jsonl"), "rb").read()
    first, _, rest = trace.partition(b"\n")
    hashes = SHA.findall(first)
    if not check(hashes == [form_sha.encode()], f"{title} {form}: run.start names image hash {hashes}, want the form's {form_sha}"):
        return
    check(SHA.search(rest) is None or form_sha.encode() not in rest, f"{title} {form}: the image hash appears past run.start")
    normalised = os.path.join(form_out, "trace.normalised.jsonl")
    with open(normalised, "wb") as f:
        f.write(with_hash(first, form_sha, plain_sha) + b"\n" + rest)
    r = run([args.audit, "diff", os.path.join(plain_out, "trace.jsonl"), normalised])
    check(r.returncode == 0 and b"identical" in r.stdout,
          f"{title} {form}: trace differs from the plain form's beyond the image hash:\n{r.stdout.decode()}{r.stderr.decode()}")
    os.remove(normalised)
    plain_dump = open(os.path.join(plain_out, "exit-thread-state.json"), "rb").read()
    dump = open(os.path.join(form_out, "exit-thread-state.json"), "rb").read()
    check(with_hash(dump, form_sha, plain_sha) == plain_dump and dump != plain_dump,
          f"{title} {form}: exit dump differs from the plain form's beyond image_sha256")


def expect_rejected(args, what, data, path, needle):
    with open(path, "wb") as f:
        f.write(data)
    r = run([args.hexad, "run", path, "--out", path + ".run", "--quiet"])
    err = r.stderr.decode()
    check(r.returncode == 2 and needle in err, f"{what}: status {r.returncode}, want 2 with '{needle}'; stderr: {err}")
    check(not os.path.exists(path + ".run"), f"{what}: the rejected image created an output folder")


def check_info(args, title, enc, comp, xex):
    """`hexad info --json` reports the form, the PE sections and every import's status."""
    r = run([args.hexad, "info", xex, "--json"])
    if not check(r.returncode == 0, f"info {title} {enc}/{comp}: status {r.returncode}: {r.stderr.decode()}"):
        return None
    j = json.loads(r.stdout)
    check(j["encryption"]["key"] == enc, f"info {title} {enc}/{comp}: key {j['encryption']['key']}")
    check(j["compression"]["type"].split(" ")[0] == comp, f"info {title} {enc}/{comp}: compression {j['compression']}")
    check(j["original_pe_name"] == f"{title}.exe", f"info {title}: original name {j['original_pe_name']}")
    check(any(s["name"] == ".text" and "x" in s["access"] for s in j["sections"]), f"info {title}: no .text section")
    for lib in j["import_libraries"]:
        for imp in lib["imports"]:
            check(imp["hexad"] in ("implemented", "stub", "missing"), f"info {title}: import status {imp}")
    # Everything but the file's own identity and its encoding is the same in every form.
    for k in ("file", "size", "sha256", "encryption", "compression"):
        j.pop(k)
    return j


def damaged_forms(args, title):
    base = os.path.join(args.out, "forms")
    for form, where in (("none-normal", "first"), ("retail-normal", "last")):
        normal = open(os.path.join(base, form, f"{title}.xex"), "rb").read()
        pe_off = int.from_bytes(normal[8:12], "big")
        bad = bytearray(normal)
        # Inside the first block, or the last (past 16 bytes of AES padding and the end marker).
        bad[pe_off + 100 if where == "first" else len(normal) - 40] ^= 0x40
        expect_rejected(args, f"{form}: corrupted {where} LZX block", bytes(bad),
                        os.path.join(args.out, f"bad-{where}-block.xex"), "its SHA-1 does not match")
    plain_enc = open(os.path.join(base, "devkit-none", f"{title}.xex"), "rb").read()
    sec = int.from_bytes(plain_enc[16:20], "big")
    bad = bytearray(plain_enc)
    bad[sec + 0x150] ^= 1  # the encrypted file key
    expect_rejected(args, "corrupted file key", bytes(bad), os.path.join(args.out, "bad-key.xex"),
                    "with the retail key nor with the devkit key")
    basic = open(os.path.join(base, "retail-basic", f"{title}.xex"), "rb").read()
    expect_rejected(args, "truncated basic file", basic[:-32], os.path.join(args.out, "truncated.xex"),
                    "runs past the end of the file")
    bad = bytearray(basic)
    bad[4:8] = (0x41).to_bytes(4, "big")  # title + delta patch
    expect_rejected(args, "patch flags", bytes(bad), os.path.join(args.out, "patch.xex"), "unsupported XEX")
    expect_rejected(args, "XEXP magic", b"XEXP" + bytes(basic[4:]), os.path.join(args.out, "xexp.xex"), "delta patch (XEXP)")
    r = run([args.hexad, "info", os.path.join(args.out, "truncated.xex")])
    check(r.returncode == 2 and b"runs past the end of the file" in r.stderr, f"info on a truncated file: status {r.returncode}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hexad", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--xexpack", required=True)
    ap.add_argument("--guest-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("titles", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    runs = 0
    for title in args.titles:
        outs = {}
        plain_info = None
        for enc in ENCRYPTIONS:
            for comp in COMPRESSIONS:
                form = f"{enc}-{comp}"
                xex = os.path.join(args.out, "forms", form, f"{title}.xex")
                if not pack(args, title, enc, comp, xex):
                    continue
                sha = hashlib.sha256(open(xex, "rb").read()).hexdigest()
                info = check_info(args, title, enc, comp, xex)
                if form == "none-none":
                    plain_info = info
                elif info is not None:
                    check(info == plain_info, f"info {title} {form}: differs from the plain form's beyond the encoding")
                if title == "unimpl" and form == "none-none" and info is not None:
                    statuses = [i["hexad"] for l in info["import_libraries"] for i in l["imports"]]
                    check("missing" in statuses, f"info unimpl: no import reported missing ({statuses})")
                status, out = run_title(args, xex, os.path.join(args.out, "runs", form, title))
                runs += 1
                outs[form] = (status, out, sha)
        if "none-none" not in outs:
            continue
        plain_status, plain_out, plain_sha = outs["none-none"]
        for form, (status, out, sha) in outs.items():
            check(status == plain_status, f"{title} {form}: exit status {status}, plain form {plain_status}")
            if form != "none-none":
                compare(args, title, form, plain_out, out, sha, plain_sha)
    damaged_forms(args, args.titles[0])
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"ok: {len(args.titles)} titles x 9 forms ({runs} runs): traces identical to the plain form's but for the image hash; damaged forms exit 2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
