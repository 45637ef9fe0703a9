"""The risk work-lists and the population view. Scores are seen only by the person's GP (the
extract names them by HPR number) and KE of the municipality; the population view, aggregated,
by KE and leaders. Everyone else gets 404, as for anything missing or not theirs."""

from __future__ import annotations

from typing import Any

from tests.matrix import Case, only


def _subject(gp_hpr: str, town: str = "fjordvik") -> Any:
    def kwargs(cast: Any) -> dict[str, Any]:
        from oppfolging.risk.tests import builders as b

        who, _score = b.scored(b.batch(cast.municipalities[town]), gp_hpr=gp_hpr)
        return {"subject_uuid": who.uuid}

    return kwargs


FJORDVIK_GP = _subject("9144001")  # fjordvik-fastlege's HPR number in the demo
OTHER_GP = _subject("9199999")
LIDAL = _subject("9144002", "lidal")
POPULATION = ["fjordvik-ke", "fjordvik-leder", "lidal-ke"]

ENTRIES: dict[str, list[Case]] = {
    "risk:gp_list": [Case("own patients", expect=only(["fjordvik-fastlege"]))],
    "risk:ke_list": [Case("municipality", expect=only(["fjordvik-ke", "lidal-ke"]))],
    "risk:subject": [
        Case("the GP's patient", FJORDVIK_GP, expect=only(["fjordvik-fastlege", "fjordvik-ke"])),
        Case("another GP's patient", OTHER_GP, expect=only(["fjordvik-ke"])),
        Case("Lidal", LIDAL, expect=only(["lidal-ke"])),
    ],
    # POST-only: a GET is refused by method before any lookup, so 405 reveals nothing.
    "risk:report": [
        Case("POST only", FJORDVIK_GP, expect=only(["fjordvik-fastlege", "fjordvik-ke", "lidal-ke"], 405))
    ],
    "risk:review": [
        Case("POST only", FJORDVIK_GP, expect=only(["fjordvik-fastlege", "fjordvik-ke", "lidal-ke"], 405))
    ],
    "risk:population": [Case("aggregated", expect=only(POPULATION))],
    "risk:population_csv": [Case("aggregated", expect=only(POPULATION))],
}
