"""The batch: every person's scores in the Parquet file, those above the threshold or flagged in
the batch's list, the pyramid, no subject made for a new person but the known ones updated (only
when changed) and linked, the fingerprints those of the feature vectors, a second run a new
batch."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.utils import translation

from oppfolging.core.tenancy import unscoped
from oppfolging.risk import batch, early, engine, flags, synthetic, words
from oppfolging.risk.extract import ExtractError, load_keyed, row_fingerprints, write_extract
from oppfolging.risk.listed import list_file, listed, scores_from
from oppfolging.risk.models import RiskSubject, ScoreBatch
from oppfolging.risk.worklist_selectors import subjects_for
from oppfolging.teams.tests.test_team_support import make_person

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2025, 12, 31)


@pytest.fixture
def store(settings, tmp_path):
    settings.RISK_STORE_DIR = tmp_path / "store"
    return settings.RISK_STORE_DIR


@pytest.fixture
def folder(tmp_path) -> Path:
    extract = synthetic.generate(400, seed=21, end=AS_OF)
    write_extract(extract, tmp_path / "extract", format="parquet")
    return tmp_path / "extract"


def test_batch_stores_every_person_in_parquet_and_lists_only_the_flagged(cast, store, folder):
    municipality = cast.municipalities["fjordvik"]
    with unscoped():
        result = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        scores = pl.read_parquet(result.path)
        assert result.path == batch.scores_file(result.batch)
        assert str(result.path).startswith(str(store / municipality.number))
        assert scores.height == 400 == result.persons == result.batch.persons
        kept = scores.filter(
            (pl.col("admission_risk") >= batch.DEFAULT_THRESHOLD) | (pl.col("flag_mask") != 0)
        )
        assert 0 < kept.height < 400
        rows = listed(result.batch)
        assert list_file(result.batch).parent == result.path.parent
        assert rows.height == kept.height == result.listed
        assert set(rows.get_column("national_id")) == set(kept.get_column("national_id"))
        # Highest risk first.
        assert rows.get_column("admission_risk").to_list() == sorted(
            rows.get_column("admission_risk"), reverse=True
        )
        # The fingerprints, factors and features are in the list only.
        assert not {"data_hash", "factors", *engine.FEATURES} & set(scores.columns)

        # The engine's scores of the same extract, every factor computed.
        reference = engine.score(load_keyed(folder), as_of=AS_OF, hashes=False)
        (one,) = scores_from(result.batch, rows.head(1))
        row = scores.filter(pl.col("national_id") == one.national_id).row(0, named=True)
        same = reference.filter(pl.col("national_id") == one.national_id)
        assert (one.birth_date, one.sex, one.gp_hpr) == (row["birth_date"], row["sex"], row["gp_hpr"] or "")
        assert one.admission_risk == pytest.approx(row["admission_risk"])
        assert one.tier == row["tier"]
        assert one.frailty_band == row["frailty_band"]
        assert one.factors == same.row(0, named=True)["factors"]
        assert {"feature", "value", "contribution"} <= set(one.factors[0])
        assert one.features == {name: float(same.item(0, name)) for name in engine.FEATURES}
        assert (
            [f["key"] for f in one.flags]
            == flags.keys_of(row["flag_mask"])
            == same.item(0, "flags").to_list()
        )
        assert all(f["reason"] for f in one.flags)
        assert one.data_hash == row_fingerprints(same, batch.FINGERPRINTED).item()
        # A new person gets no subject from the batch: a list makes one when it shows them.
        assert not RiskSubject.objects.filter(municipality=municipality).exists()

        pyramid = result.batch.pyramid
        assert sum(pyramid["tiers"].values()) == 400
        assert sum(sum(v.values()) for v in pyramid["by_age"].values()) == 400
        assert set(pyramid["by_group"]) == {"children", "mental_health", "frail_elderly", "chronic"}
        children = scores.filter(pl.col("age") < 18).height
        assert sum(pyramid["by_group"]["children"].values()) == children
        assert result.batch.model_version.kind == "default"
        assert result.batch.seconds > 0


def test_a_second_run_makes_a_new_batch_and_no_subjects(cast, store, folder):
    municipality = cast.municipalities["fjordvik"]
    with unscoped():
        first = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        subjects = RiskSubject.objects.filter(municipality=municipality).count()
        assert subjects == 0
        second = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        assert second.batch.pk != first.batch.pk
        assert (
            ScoreBatch.objects.filter(
                municipality=municipality, pk__in=[first.batch.pk, second.batch.pk]
            ).count()
            == 2
        )
        assert RiskSubject.objects.filter(municipality=municipality).count() == subjects
        assert listed(second.batch).height == first.listed
        assert second.path != first.path
        assert first.path.exists()
        assert second.path.exists()


def _subjects_of(result: batch.BatchResult, count: int) -> list[RiskSubject]:
    """Subjects for ``count`` of the batch's listed persons, made as a list makes them."""
    return list(subjects_for(scores_from(result.batch, listed(result.batch).head(count))).values())


def test_known_subjects_are_linked_to_the_registered_person_with_the_same_number(cast, store, folder):
    municipality = cast.municipalities["fjordvik"]
    with unscoped():
        probe = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        first, second = scores_from(probe.batch, listed(probe.batch).sort("national_id").head(2))
        # Registered before a list showed them: linked when the subject is made.
        early = make_person(municipality, "Tidligsen")
        early.national_id = first.national_id
        early.save(update_fields=["national_id"])
        # Registered after: linked by the next batch.
        (subject,) = subjects_for([second]).values()
        assert subject.person_id is None
        late = make_person(municipality, "Risikosen")
        late.national_id = second.national_id
        late.save(update_fields=["national_id"])
        assert subjects_for([first])[first.national_id].person_id == early.pk
        batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        linked = RiskSubject.objects.get(municipality=municipality, national_id=late.national_id)
        assert linked.person_id == late.pk
        assert RiskSubject.objects.filter(municipality=municipality).count() == 2


def test_the_commands_write_a_synthetic_extract_and_score_it(cast, store, tmp_path, capsys):
    out = tmp_path / "synthetic"
    call_command("risk_synthetic", "--persons", "200", "--out", str(out), "--format", "csv", "--seed", "2",
                 "--end", AS_OF.isoformat())  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == [
        "contacts.csv",
        "diagnoses.csv",
        "medicines.csv",
        "persons.csv",
        "services.csv",
    ]
    municipality = cast.municipalities["fjordvik"]
    arguments = ["--extract", str(out), "--as-of", AS_OF.isoformat(), "--municipality", municipality.number]
    call_command("risk_score", *arguments, "--threshold", "0.2", "--no-progress")
    printed = capsys.readouterr().out
    assert "persons: 200" in printed
    assert "persons/s:" in printed
    with unscoped():
        latest = ScoreBatch.objects.filter(municipality=municipality).order_by("-id").first()
        assert latest is not None
        assert latest.persons == 200


def test_the_stored_fingerprints_are_those_of_the_feature_vectors(cast, store, folder):
    """A listed person's fingerprint covers what the score rests on: it changes with a feature
    and stays when the extract changes in a way no feature sees (a GP contact)."""
    municipality = cast.municipalities["fjordvik"]
    with unscoped():
        result = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        rows = dict(listed(result.batch).select("national_id", "data_hash").iter_rows())
        assert len(rows) == result.listed > 0
        reference = engine.score(load_keyed(folder), as_of=AS_OF, hashes=False)
        expected = reference.select("national_id", row_fingerprints(reference, batch.FINGERPRINTED))
        assert {n: expected.filter(pl.col("national_id") == n).item(0, "data_hash") for n in rows} == rows
        assert all(len(value) == 19 for value in rows.values())

        contacts = pl.read_parquet(folder / "contacts.parquet")
        someone = next(iter(rows))
        extra = [
            {"national_id": someone, "date": AS_OF, "kind": "gp", "length_of_stay": None},
            {"national_id": someone, "date": AS_OF, "kind": "emergency_admission", "length_of_stay": 2},
        ]
        for added, changes in ((extra[:1], False), (extra, True)):
            more = pl.concat([contacts, pl.DataFrame(added, schema=contacts.schema)])
            more.write_parquet(folder / "contacts.parquet")
            again = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
            now = listed(again.batch).filter(pl.col("national_id") == someone).item(0, "data_hash")
            assert (now != rows[someone]) is changes


def test_a_second_run_writes_only_the_known_subjects_whose_data_changed(cast, store, folder):
    municipality = cast.municipalities["fjordvik"]
    with unscoped():
        first = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        known = _subjects_of(first, 5)
        before = dict(
            RiskSubject.objects.filter(municipality=municipality).values_list("national_id", "updated_at")
        )
        assert len(before) == 5
        changed = known[0].national_id
        persons = pl.read_parquet(folder / "persons.parquet")
        persons.with_columns(
            pl.when(pl.col("national_id") == changed)
            .then(pl.lit("990999999"))
            .otherwise("gp_hpr")
            .alias("gp_hpr")
        ).write_parquet(folder / "persons.parquet")
        batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        after = RiskSubject.objects.filter(municipality=municipality)
        assert after.get(national_id=changed).gp_hpr == "990999999"
        moved = {nid for nid, at in after.values_list("national_id", "updated_at") if at != before[nid]}
        assert moved == {changed}
        assert after.count() == 5  # and made none for the others


def test_the_flag_reasons_are_worded_in_the_readers_language(cast, store, folder, monkeypatch):
    # The list keeps the numbers; a reason is worded when it is shown, in the language then.
    monkeypatch.setattr(words, "flag_reason", lambda key, values: f"{translation.get_language()}:{key}")
    municipality = cast.municipalities["fjordvik"]
    with unscoped():
        with translation.override("en"):
            result = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        for language in ("nn", "en"):
            with translation.override(language):
                shown = scores_from(result.batch, listed(result.batch))
                reasons = {f["reason"] for score in shown for f in score.flags}
            assert reasons
            assert all(reason.startswith(f"{language}:") for reason in reasons)


def _plain_pyramid(scores: pl.DataFrame) -> dict[str, object]:
    """The pyramid counted the plain way: a person at a time."""
    groups = {
        key: scores.select(expr.fill_null(False)).to_series().to_list()
        for key, expr in batch.target_group_exprs().items()
    }
    empty = {"1": 0, "2": 0, "3": 0, "4": 0}
    out: dict[str, object] = {
        "tiers": dict(empty),
        "by_age": {key: dict(empty) for key, _, _ in batch.AGE_GROUPS},
        "by_group": {g: dict(empty) for g in batch.TARGET_GROUPS},
        "by_group_age": {
            g: {key: dict(empty) for key, _, _ in batch.AGE_GROUPS} for g in batch.TARGET_GROUPS
        },
        "persons": scores.height,
    }
    for i, (tier, age) in enumerate(scores.select("tier", "age").iter_rows()):
        key = next(k for k, low, high in batch.AGE_GROUPS if low <= age <= high)
        out["tiers"][str(tier)] += 1  # type: ignore[index]
        out["by_age"][key][str(tier)] += 1  # type: ignore[index]
        for group in batch.TARGET_GROUPS:
            if groups[group][i]:
                out["by_group"][group][str(tier)] += 1  # type: ignore[index]
                out["by_group_age"][group][key][str(tier)] += 1  # type: ignore[index]
    return out


def test_the_pyramid_counts_as_a_person_at_a_time():
    scores = engine.score(synthetic.generate(2000, seed=3, end=AS_OF), as_of=AS_OF, hashes=False)
    assert batch.pyramid(scores) == _plain_pyramid(scores)


@pytest.mark.parametrize("read_early", [False, True], ids=["read-by-the-batch", "read-while-django-starts"])
def test_a_csv_folder_is_scored_lazily_as_if_read_into_memory_and_odd_values_fall_back(
    cast, store, tmp_path, read_early
):
    """The batch reads a folder lazily (extract.scan_keyed) and scores exactly what the
    in-memory reader gives; a file the strict read cannot parse (a decimal comma) is read as the
    importer reads it, and a value nobody can read names its file. The same when manage.py
    started reading the folder before Django was up (risk/early.py)."""
    municipality = cast.municipalities["fjordvik"]
    extract = synthetic.generate(300, seed=5, end=AS_OF)
    folder = tmp_path / "csv"
    write_extract(extract, folder, format="csv")
    expected = engine.score(extract, as_of=AS_OF, hashes=False).sort("national_id")
    columns = ["national_id", "admission_risk", "tier", "deficit_mask", "flag_mask"]

    def scored() -> pl.DataFrame:
        if read_early:
            early.start(["--extract", str(folder), "--as-of", AS_OF.isoformat()])
        result = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
        return pl.read_parquet(result.path).sort("national_id").select(columns)

    with unscoped():
        assert scored().equals(expected.select(columns))
        header, *lines = (folder / "services.csv").read_text().splitlines()
        first = next(line for line in lines if "." in line.split(",")[2])
        number, kind, hours, start, end = first.split(",")
        rest = [line for line in lines if line is not first]
        odd = ",".join([number, kind, '"' + hours.replace(".", ",") + '"', start, end])
        (folder / "services.csv").write_text("\n".join([header, odd, *rest]) + "\n")
        assert scored().equals(expected.select(columns))
        bad = ",".join([number, kind, "mange", start, end])
        (folder / "services.csv").write_text("\n".join([header, bad, *rest]) + "\n")
        with pytest.raises(ExtractError, match=r"services\.csv"):
            scored()


def test_a_person_twice_in_the_extract_is_listed_once_and_always_the_same_way(cast, store, tmp_path):
    municipality = cast.municipalities["fjordvik"]
    extract = synthetic.generate(300, seed=6, end=AS_OF).collect()
    folder = tmp_path / "twice"
    write_extract(extract, folder, format="csv")
    scores = engine.score(extract, as_of=AS_OF, hashes=False)
    number = scores.filter(pl.col("flag_mask") != 0).item(0, "national_id")
    header, *lines = (folder / "persons.csv").read_text().splitlines()
    (row,) = [line for line in lines if line.startswith(number)]
    other = ",".join([*row.split(",")[:3], "990000099"])  # the same person with another GP
    (folder / "persons.csv").write_text("\n".join([header, row, *lines, other]) + "\n")
    with unscoped():
        seen = set()
        for _ in range(3):
            result = batch.run_batch(municipality=municipality, extract=folder, as_of=AS_OF, progress=False)
            rows = listed(result.batch).filter(pl.col("national_id") == number)
            assert rows.height == 1
            seen.add(rows.item(0, "gp_hpr"))
        assert len(seen) == 1
