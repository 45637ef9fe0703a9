"""Reading FHIR R4 input for the import: Bundles (their entries), single resources, and NDJSON
files (one resource a line), each resource with where it stands (file, and line or entry).

Only the resource types the mapping uses are kept, and each is structure-checked with
``fhir.resources.R4B`` (shape only: codes are checked by us); a resource that fails is an error
at its place, the others are counted and dropped.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from fhir.resources.R4B import get_fhir_model_class

from oppfolging.risk.import_errors import RowError

USED_TYPES = frozenset(
    {
        "Patient",
        "Condition",
        "MedicationRequest",
        "MedicationStatement",
        "Encounter",
        "Medication",
        "Practitioner",
    }
)


@dataclass
class Located:
    """A resource and where it stands: file, and line (NDJSON) or entry (Bundle), from 1."""

    resource: dict[str, Any]
    file: str
    line: int
    full_url: str = ""

    @property
    def keys(self) -> list[str]:
        """Every way a reference may name this resource."""
        kind, rid = self.resource.get("resourceType", ""), self.resource.get("id", "")
        keys = [self.full_url] if self.full_url else []
        if rid:
            keys += [f"{kind}/{rid}", f"urn:uuid:{rid}"]
        return keys


@dataclass
class Collected:
    by_type: dict[str, list[Located]] = field(default_factory=lambda: defaultdict(list))
    errors: list[RowError] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def fhir_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path] if path.suffix.lower() in (".json", ".ndjson") else []
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".json", ".ndjson"))
    return []


def looks_like_fhir(path: Path) -> bool:
    return bool(fhir_files(path))


def _short(exc: pydantic.ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')}"[:200]


def _take(collected: Collected, resource: Any, file: str, line: int, full_url: str = "") -> None:
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        collected.errors.append(RowError(file=file, line=line, code="fhir_not_bundle"))
        return
    kind = resource["resourceType"]
    if kind not in USED_TYPES:
        collected.skipped["other_resources"] += 1
        return
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except pydantic.ValidationError as exc:
        collected.errors.append(RowError(file=file, line=line, code="fhir_structure", arg=_short(exc)))
        return
    collected.by_type[kind].append(Located(resource, file, line, full_url))


def collect(files: list[Path], digest: Any) -> Collected:
    """Read every file: a Bundle (its entries), a single resource, or NDJSON (one per line)."""
    collected = Collected()
    for file in files:
        data = file.read_bytes()
        digest.update(f"{file.name}\0{len(data)}\0".encode())
        digest.update(data)
        if file.suffix.lower() == ".ndjson":
            for number, raw in enumerate(data.decode("utf-8-sig", errors="replace").splitlines(), start=1):
                if not raw.strip():
                    continue
                try:
                    resource = json.loads(raw)
                except json.JSONDecodeError as exc:
                    collected.errors.append(
                        RowError(file=file.name, line=number, code="fhir_json", arg=exc.msg)
                    )
                    continue
                _take(collected, resource, file.name, number)
            continue
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            arg = f"{exc.msg} (linje {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else str(exc)
            collected.errors.append(RowError(file=file.name, line=None, code="fhir_json", arg=arg))
            continue
        if isinstance(document, dict) and document.get("resourceType") == "Bundle":
            for index, entry in enumerate(document.get("entry") or [], start=1):
                entry = entry if isinstance(entry, dict) else {}
                _take(collected, entry.get("resource"), file.name, index, str(entry.get("fullUrl") or ""))
        else:
            _take(collected, document, file.name, 1)
    return collected
