"""The model file: a safe, versioned, checksummed container for a trained scorer.

Loading a model must not be able to execute code, so there is no pickle, no joblib and no
``np.load(allow_pickle=True)``: a model is data only.

Layout (one file)::

    {"format": "reportgen-model", "format_version": 1, "compression": "zlib",
     "payload_bytes": N, "payload_sha256": "…"}\\n
    <N bytes: zlib-compressed UTF-8 JSON payload>

The first line is a small JSON header; the checksum covers the compressed payload bytes exactly as
stored, so a flipped byte, a truncated file or an edited checksum is caught before anything is
parsed.  Inside the payload, numeric arrays are objects ``{"dtype": "<f4", "shape": [...],
"data": "<base64 of the little-endian values>"}`` (float32 coefficients, uint64 vocabulary keys,
see :mod:`.features`) read back with :func:`numpy.frombuffer`; everything else (metadata,
parameters) is plain JSON.

Any problem raises :class:`reportgen.errors.DataError` (exit 5) with the file name and what is wrong.

Versions: 2 added the bank-level heads (``bank``, ``categories``) and the ``bank_window`` block;
its container is version 1's.  A version-1 file is still read (its heads are a subset of version
2's); a newer version is refused with a hint to upgrade, an older or unknown one with a hint to retrain.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import zlib
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from reportgen.errors import DataError

log = logging.getLogger(__name__)

FORMAT = "reportgen-model"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)  # what load_model accepts; save_model writes FORMAT_VERSION
_DTYPES: dict[str, np.dtype[Any]] = {"<f4": np.dtype("<f4"), "<f8": np.dtype("<f8"), "<u8": np.dtype("<u8")}
_MAX_HEADER = 4096


def encode_array(a: np.ndarray, dtype: str = "<f4") -> dict[str, Any]:
    arr = np.ascontiguousarray(a, dtype=_DTYPES[dtype])
    return {"dtype": dtype, "shape": list(arr.shape), "data": base64.b64encode(arr.tobytes()).decode("ascii")}


def decode_array(obj: Any, where: str) -> np.ndarray:
    """An array object of the payload → a read-only numpy array; DataError if malformed."""
    if not isinstance(obj, dict) or set(obj) != {"dtype", "shape", "data"}:
        raise ValueError(f"{where}: not an array object")
    dtype = _DTYPES.get(obj["dtype"])
    shape = obj["shape"]
    if dtype is None:
        raise ValueError(f"{where}: unsupported dtype {obj['dtype']!r}")
    if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise ValueError(f"{where}: bad shape {shape!r}")
    try:
        raw = base64.b64decode(obj["data"], validate=True)
    except (binascii.Error, TypeError) as exc:
        raise ValueError(f"{where}: bad base64 data ({exc})") from None
    count = int(np.prod(shape)) if shape else 1
    if len(raw) != count * dtype.itemsize:
        raise ValueError(f"{where}: {len(raw)} bytes for shape {shape}")
    arr = np.frombuffer(raw, dtype=dtype).reshape(shape)
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{where}: non-finite values")
    return arr


def save_model(path: str | PathLike[str], payload: dict[str, Any]) -> str:
    """Write ``payload`` (JSON-able, arrays already encoded) and return the payload's sha256."""
    body = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                                    sort_keys=True).encode("utf-8"), 6)
    digest = hashlib.sha256(body).hexdigest()
    header = {"format": FORMAT, "format_version": FORMAT_VERSION, "compression": "zlib",
              "payload_bytes": len(body), "payload_sha256": digest}
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    try:
        if p.parent != Path(""):
            p.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(json.dumps(header).encode("ascii") + b"\n" + body)
        tmp.replace(p)
    except OSError as exc:
        raise DataError(f"{p}: cannot write the model ({exc.strerror or exc})") from None
    log.info("wrote model %s (%d bytes, sha256 %s)", p, len(body), digest[:12])
    return digest


def load_model(path: str | PathLike[str]) -> tuple[dict[str, Any], str]:
    """Read, verify and parse a model file → ``(payload, sha256)``.  Never executes anything."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{p}: no such model file", hint="train one with `reportgen model train`") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot read the model ({exc.strerror or exc})") from None
    newline = raw.find(b"\n", 0, _MAX_HEADER)
    header: Any = None
    if newline > 0:
        try:
            header = json.loads(raw[:newline].decode("ascii"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise DataError(f"{p}: not a reportgen model file",
                        hint="train one with `reportgen model train --data FILE.jsonl --out MODEL`")
    version = header.get("format_version")
    if version not in READABLE_VERSIONS:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION
        readable = ", ".join(map(str, READABLE_VERSIONS))
        raise DataError(f"{p}: model format version {version!r}, this reportgen reads versions {readable}",
                        hint="upgrade reportgen, or retrain the model with this version" if newer
                        else "retrain the model with this version of reportgen")
    body = raw[newline + 1:]
    expected = header.get("payload_bytes")
    if header.get("compression") != "zlib" or not isinstance(expected, int):
        raise DataError(f"{p}: damaged model header")
    if len(body) != expected:
        raise DataError(f"{p}: model file is truncated or padded ({len(body)} payload bytes, header says {expected})")
    digest = hashlib.sha256(body).hexdigest()
    if digest != header.get("payload_sha256"):
        raise DataError(f"{p}: model checksum mismatch: the file was modified or damaged",
                        hint="retrain the model or restore it from a copy")
    try:
        payload = json.loads(zlib.decompress(body).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{p}: model payload cannot be read ({exc})") from None
    if not isinstance(payload, dict):
        raise DataError(f"{p}: model payload is not a JSON object")
    return payload, digest
