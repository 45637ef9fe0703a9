"""Testvik: a municipality whose pathway holds one person for every case the overview must tell
apart, so that each filter and the order have exact expectations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from oppfolging.accounts.models import User
from oppfolging.overview.tests.builders import World, make_world
from oppfolging.referrals.models import Answer, ReportStatus
from oppfolging.teams.models import AssignmentStatus


@dataclass
class Testvik:
    world: World
    coordinator: User
    second_coordinator: User


@pytest.fixture
def testvik(db: None) -> Testvik:
    w = make_world()
    ola = w.staff_user("testvik-koord", "Ola", "Koordinator")
    siv = w.staff_user("testvik-koord2", "Siv", "Sekund")

    w.report(w.person("Anne"), days=0)
    w.report(w.person("Bjørn"), days=40)  # overdue
    w.report(w.person("Cecilie"), days=40, interim=True)  # interim reply sent: not overdue
    david = w.person("David")
    w.report(david, days=35, status=ReportStatus.BEING_ASSESSED)  # overdue while being assessed
    w.assessment(david, days=30)
    eva = w.person("Eva")
    w.report(eva, days=60, status=ReportStatus.DECIDED)  # decided: never overdue
    w.assessment(eva, days=50, completed=True, needs=Answer.YES)
    w.decision(eva, days=10)
    frida_team = w.team(w.person("Frida"), ("hjemme", False))
    w.coordinator(frida_team, ola, AssignmentStatus.PROPOSED)
    gunnar_team = w.team(w.person("Gunnar"), ("psyk", False), ("ergo", False), ("sykehus", False))
    w.coordinator(gunnar_team, ola)
    w.coordinator(gunnar_team, siv)  # a transition: both coordinate for the overlap
    w.report(w.person("Hedda", age=10), days=5, unit="psyk")
    w.report(w.person("Ivar", age=80), days=10)
    w.person("Jonas")  # not in the pathway
    w.team(w.person("Kjersti"), ("psyk", True), ("hjemme", False))  # the psyk member has left
    w.assessment(w.person("Lise"), days=20, completed=True, needs=Answer.NO)
    w.decision(w.person("Mona"), days=3)
    w.decision(w.person("Oda", age=18), days=3)
    w.decision(w.person("Petra", age=75), days=3)
    w.decision(w.person("Nils", age=74), days=3)
    return Testvik(world=w, coordinator=ola, second_coordinator=siv)
