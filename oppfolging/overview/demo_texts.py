"""The Norwegian texts of the pathway demo (invented persons and events): what the reporters
wrote, the assessment sections filled in so far, and the consents' scope. Data, not UI strings,
so not translated."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportText:
    role: str
    observed: str
    requested: str


MARTIN_REPORT = ReportText(
    role="Fastlege",
    observed=(
        "Martin (55) har astma og KOLS med hyppige forverringer denne vinteren og har vært sykmeldt "
        "i tre måneder. Han kommer seg sjelden ut, sover dårlig og har begynt å trekke seg unna "
        "venner. Han har kontakt med NAV om arbeidsavklaring."
    ),
    requested=(
        "Tverrfaglig kartlegging, vurdering av lungerehabilitering og hjemmetjenester, og samordning "
        "med NAV om veien tilbake til arbeid."
    ),
)

KLARA_REPORT = ReportText(
    role="Sykepleier i hjemmetjenesten",
    observed=(
        "Klara (80) har KOLS og hjertesvikt og bor alene. Hun har hatt tre innleggelser siste halvår, "
        "glemmer medisinene og har gått ned fire kilo. Datteren Berit er bekymret for at hun ikke "
        "klarer seg hjemme."
    ),
    requested=(
        "Kartlegging av samlet behov, tettere oppfølging etter utskrivning og vurdering av koordinator."
    ),
)
KLARA_SECTIONS = {
    "wishes": (
        "«Det viktigste for meg er å bo hjemme og klare meg selv på kjøkkenet, og å gå tur med "
        "hunden til naboen.»"
    ),
    "own_resources": "Klarer personlig stell med litt tilrettelegging. Sosial og glad i besøk.",
    "family": "Datteren Berit bor i nabokommunen og kommer hver helg. Ønsker å bli holdt orientert.",
    "medical": (
        "KOLS og hjertesvikt. Tre innleggelser siste halvår, sist for forverring av KOLS. Sju faste "
        "legemidler; legemiddelgjennomgang er bestilt hos fastlegen."
    ),
    "cognitive": "Begynnende demens: glemmer avtaler og medisiner. Kognitiv testing er avtalt.",
}
KLARA_REHABILITATION = "Hverdagsrehabilitering vurderes før mer hjemmehjelp."

EMIL_REPORT = ReportText(
    role="Overlege, medisinsk avdeling",
    observed=(
        "Emil (18) fikk en hodeskade i en mopedulykke i vinter. Etter rehabiliteringsoppholdet skal "
        "han hjem og tilbake til videregående skole. Han har nedsatt konsentrasjon, hodepine og "
        "trenger opptrening av balanse."
    ),
    requested=(
        "Fysioterapi og ergoterapi i kommunen, tilrettelegging på skolen og en koordinator som holder "
        "trådene."
    ),
)
EMIL_SECTIONS = {
    "wishes": "«Jeg vil tilbake til klassen min og spille fotball igjen.»",
    "own_resources": "Motivert og målrettet. Trener hjemmeøvelser hver dag.",
    "family": "Bor hjemme med mor og lillesøster. Mor tar fri fra jobb til avtaler.",
    "physical": "Nedsatt balanse og utholdenhet. Går uten hjelpemidler korte strekninger.",
    "cognitive": "Blir fort sliten; konsentrasjonen varer om lag tjue minutter.",
    "participation": "Skal gradvis tilbake til skolen, først halve dager. Savner fotballaget.",
}
EMIL_REHABILITATION = "Godt rehabiliteringspotensial; opptrening før kompenserende tiltak."
EMIL_NEEDS_REASON = "Helse, skole og fritid må samordnes over tid etter hodeskaden."
EMIL_WISH = "Ingrid, ergoterapeuten han ble kjent med før utskrivningen"
EMIL_PHYSIO_REASON = "Opptrening av balanse og styrke etter hodeskade."

KARI_REPORT = ReportText(
    role="Fastlege",
    observed=(
        "Kari (36) har diabetes type 2, overvekt og tilbakevendende depresjon. Hun har 50 % "
        "uføretrygd og har ikke klart å følge opp kostholdsveiledningen alene."
    ),
    requested=(
        "Samordnet oppfølging: hjemmesykepleie for diabetes, psykisk helsetjeneste og kontakt med NAV "
        "om arbeid."
    ),
)
KARI_SECTIONS = {
    "wishes": "«Jeg vil ha overskudd til venner igjen og prøve en deltidsjobb.»",
    "own_resources": "Kjenner sykdommene sine godt og bruker blodsukkerappen.",
    "social_network": "To nære venninner; lite kontakt med familien.",
    "medical": "Diabetes type 2 med svingende blodsukker. Overvekt. Fotsår under behandling.",
    "mental": "Tilbakevendende depresjon; nå i bedring med samtaler og medisin.",
    "participation": "Ønsker arbeidsutprøving i en deltidsstilling gjennom NAV.",
    "economy": "50 % uføretrygd. Stram økonomi.",
}
KARI_REHABILITATION = "Livsstilsendring og arbeidsrettet rehabilitering før varige tiltak."
KARI_NEEDS_REASON = "Somatisk og psykisk helse, arbeid og økonomi må ses i sammenheng over tid."
KARI_WISH = "Ingrid, ergoterapeuten"
KARI_NURSING_REASON = "Behov for oppfølging av blodsukker og sårstell."
KARI_SHARES = {
    "nina": ["wishes", "medical", "physical", "nutrition", "coping_information"],
    "lars": ["wishes", "medical", "mental", "nutrition", "substance_use", "treatment_burden"],
    "hanne": ["medical", "physical"],
    "nav": ["wishes", "participation", "economy", "life_arena"],
    "psyk": ["wishes", "mental", "social_network", "substance_use"],
}

COORDINATOR_REASON = "Personen har behov for langvarige og koordinerte tjenester og har takket ja."
IP_REASON = "Personen har rett til individuell plan og ønsker en."

ARON_SOURCE = "Hilde Solberg, styrer i Solbakken barnehage"
ARON_REPORT = ReportText(
    role="Saksbehandler (muntlig melding fra barnehagen)",
    observed=(
        "Aron (5) har autisme og trenger mye voksenstøtte i barnehagen. Han skal begynne på skolen til "
        "høsten. Foreldrene er slitne og har bedt om avlastning."
    ),
    requested="Barnekoordinator, avlastning for familien og en plan for overgangen fra barnehage til skole.",
)
ARON_SECTIONS = {
    "wishes": "Foreldrene: en trygg skolestart. Aron blir glad av faste rutiner, tegning og tog.",
    "family": "Bor med mor Lene og far Tor. Foreldrene ønsker avlastning én helg i måneden.",
    "communication": "Bruker få ord; forstår bildestøtte godt.",
}
ARON_VIEW = (
    "Aron sier at han liker tog og å tegne, og at han ikke liker når det bråker. Han vil ha med "
    "kosedyret sitt til skolen."
)
ARON_OWN_VIEW = "Foreldrene har snakket med Aron om hvem som skal hjelpe ham; han nikket til bildene."
ARON_SHARES = {
    "lars": ["wishes", "medical", "communication", "family"],
    "barnehage": ["wishes", "communication", "participation"],
    "skole": ["wishes", "communication", "participation"],
}
