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


# --- The plans (issue 4 «Demo»): each person at a different point of the plan's cycle ---------


@dataclass(frozen=True)
class PlanText:
    """The plan's own text fields (forskrift om individuell plan: resources and needs, what the
    person and relatives contribute, how the measures are carried out and coordinated, and the
    person's wishes for meetings)."""

    resources: str
    needs: str
    persons_contribution: str
    relatives_contribution: str
    coordination: str
    participation_wishes: str


KARI_PLAN = PlanText(
    resources=(
        "Kjenner sykdommene sine godt og bruker blodsukkerappen hver dag. To nære venninner som "
        "stiller opp, særlig Mona. Motivert for å komme i arbeid igjen."
    ),
    needs=(
        "Stabilt blodsukker og sårstell til fotsåret er grodd. Støtte når depresjonen kommer tilbake. "
        "En trygg vei tilbake til arbeid i deltid. Hjelp til å planlegge enkle måltider."
    ),
    persons_contribution=(
        "Kari måler blodsukkeret morgen og kveld, fører matdagbok og går tur med venninnene. Hun sier "
        "fra til Ingrid når hun merker at humøret går ned."
    ),
    relatives_contribution="Kari ønsker ikke at familien er med i planarbeidet nå.",
    coordination=(
        "Ingrid (koordinator) samler teamet til evaluering før hver periode er over. Sykepleieren og "
        "fastlegen deler blodsukkermålingene i journalen. NAV-veilederen og den psykiatriske "
        "sykepleieren avtaler arbeidsutprøvingen sammen med Kari, slik at tempoet passer formen."
    ),
    participation_wishes=(
        "Korte møter på formiddagen, helst på legekontoret. Kari vil ha med venninnen Mona når hun "
        "ønsker det."
    ),
)
KARI_GOALS = [
    "Jeg vil ha overskudd til venner igjen.",
    "Jeg vil prøve en deltidsjobb før sommeren.",
    "Jeg vil få blodsukkeret stabilt, så fotsåret gror.",
]
KARI_PERIOD_1 = "Komme i gang: faste rutiner for mat, blodsukker og aktivitet."
KARI_PERIOD_2 = "Arbeidsutprøving og en stabil hverdag, også i helgene."
KARI_EVALUATION_SUMMARY = (
    "Første periode har gått bedre enn Kari fryktet. Turene med venninnene er blitt faste, og NAV har "
    "funnet et sted for arbeidsutprøving. Blodsukkeret er bedre, men svinger fortsatt i helgene."
)
KARI_EVALUATION_VIEW = "Jeg merker at jeg orker mer. Turene med Mona og Hege er det beste i uka."
KARI_TEAM_REVIEW = "Teamet er uendret. Sykehuslegen er fortsatt med ved behov."
KARI_NAV_LINK = (
    "Arbeidsutprøvingen står i begge planene. NAV-veilederen oppdaterer aktivitetsplanen etter hvert "
    "evalueringsmøte."
)
# PSFS — «Hva er viktig for deg?»: Kari's activities in her own words and her scores at the
# baseline, the first evaluation and a follow-up (mean 2.5 → 4.25 → 5.75: a real change).
KARI_PSFS = [
    ("Gå tur rundt vannet med venninnene mine", (3, 5, 7)),
    ("Lage middag fra bunnen av", (2, 4, 5)),
    ("Være på jobb fire timer", (1, 2, 4)),
    ("Stå opp før klokka ni", (4, 6, 7)),
]

KLARA_PLAN = PlanText(
    resources=(
        "Klarer personlig stell med litt tilrettelegging. Sosial og glad i besøk. Datteren Berit kommer "
        "hver helg."
    ),
    needs=(
        "Trygghet hjemme etter tre innleggelser siste halvår. Hjelp til å ta medisinene riktig. Trening "
        "for å klare seg på kjøkkenet og gå korte turer. Gjennomgang av legemidlene."
    ),
    persons_contribution=("Klara gjør øvelsene fra ergoterapeuten og sier fra når hun blir tung i pusten."),
    relatives_contribution="Datteren Berit kommer hver helg, handler og går tur med Klara.",
    coordination=(
        "Ingrid (koordinator) holder kontakten med Berit og hjemmetjenesten. Sykepleieren melder "
        "endringer i pust og vekt til fastlegen samme dag. Planen evalueres hjemme hos Klara."
    ),
    participation_wishes="Møtene hjemme hos Klara, med Berit til stede.",
)
KLARA_GOALS = [
    "Jeg vil bo hjemme og klare meg selv på kjøkkenet.",
    "Jeg vil gå tur med hunden til naboen.",
]
KLARA_PERIOD_1 = "Trygg hverdag hjemme etter siste innleggelse."
KLARA_KITCHEN_HOW = (
    "Ingrid trener sammen med Klara på hennes eget kjøkken; hjemmetjenesten følger opp de andre dagene."
)
KLARA_HEART_LINK = (
    "Hjertesviktpoliklinikken justerer vanndrivende; sykepleieren sender vektmålingene dit hver uke."
)
# Five regular medicines (name, ATC): four or more put a medication review on the GP's list.
KLARA_MEDICINES = [
    ("Spiriva Respimat (tiotropium)", "R03BB04"),
    ("Symbicort (budesonid/formoterol)", "R03AK07"),
    ("Furosemid", "C03CA01"),
    ("Bisoprolol", "C07AB07"),
    ("Eliquis (apiksaban)", "B01AF02"),
]

EMIL_PLAN = PlanText(
    resources=(
        "Motivert og målrettet. Trener hjemmeøvelsene hver dag. Mor tar fri fra jobb til avtaler, og "
        "klassen har holdt kontakten mens han var på rehabilitering."
    ),
    needs=(
        "Opptrening av balanse og utholdenhet. En skoledag som passer konsentrasjonen: halve dager og "
        "hvile underveis i starten. En trygg overgang fra sykehuset til skolen."
    ),
    persons_contribution="Emil gjør hjemmeøvelsene og skriver ned hvor lenge han orker å konsentrere seg.",
    relatives_contribution="Mor følger Emil til fysioterapi de første ukene og er med på overføringsmøtet.",
    coordination=(
        "Ingrid (koordinator) leder overgangen fra sykehuset til skolen. Rådgiveren ved skolen er med i "
        "teamet fra nå og tar over som koordinator når Emil er tilbake på skolen. Tilretteleggingen på "
        "skolen står i IOP-en; planene evalueres samtidig."
    ),
    participation_wishes="Emil vil være med på alle møtene, men helst etter skoletid.",
)
EMIL_GOALS = [
    "Jeg vil tilbake til klassen min.",
    "Jeg vil spille fotball igjen.",
]
EMIL_PERIOD_1 = "Hjem fra sykehuset og tilbake til skolen, halve dager først."
EMIL_SCHOOL = "Fjordvik videregående skole"
EMIL_NEXT_COORDINATOR = "Sondre Aas, rådgiver ved Fjordvik videregående skole"
EMIL_FROM = "Fjellheim sykehus, rehabiliteringsavdelingen"
EMIL_HANDOVER = (
    "Opptreningsplanen fra sykehuset, hva som hjelper når hodepinen kommer, og avtalen om halve dager og "
    "hvilerom på skolen."
)
EMIL_IOP = (
    "Tilretteleggingen på skolen (halve dager, hvilerom, utsatte prøver) står i IOP-en. Planene "
    "evalueres i samme møte."
)
EMIL_REHAB_LINK = "Sykehusets rehabiliteringsplan følger med ved utskrivningen."

ARON_PLAN = PlanText(
    resources=(
        "Aron blir glad av faste rutiner, tegning og tog, og forstår bildestøtte godt. Foreldrene kjenner "
        "ham best og har god kontakt med barnehagen."
    ),
    needs=(
        "En trygg overgang fra barnehage til skole. Avlastning for familien. Voksne på skolen som kjenner "
        "bildestøtten han bruker."
    ),
    persons_contribution="Aron er med på skolebesøkene og viser med bilder hva han liker og ikke liker.",
    relatives_contribution=(
        "Lene og Tor lager en bildebok om skolen sammen med Aron og går på skolebesøkene med ham."
    ),
    coordination=(
        "Ingrid er barnekoordinator og samler barnehagen, skolen og fastlegen. Overføringsmøtet mellom "
        "barnehagen og skolen holdes før sommeren."
    ),
    participation_wishes="Foreldrene vil ha møtene etter barnehagetid, og Aron skal ikke være med på dem.",
)
# Aron is five: the goals are his parents', in their own words.
ARON_GOALS = [
    "Vi vil at Aron skal få en trygg og god skolestart.",
    "Vi trenger avlastning én helg i måneden, så vi orker hverdagen.",
]
ARON_PERIOD_1 = "Forberede skolestarten og komme i gang med avlastning."
ARON_NEEDS_REASON = "Barnehage, skole, helse og avlastning må samordnes over tid."
ARON_WISH = "Foreldrene ønsker ergoterapeuten Ingrid som barnekoordinator."

PER_REPORT = ReportText(
    role="Fastlege",
    observed="Per trenger tjenester fra flere: svimmelhet, fall hjemme, vansker med å handle.",
    requested="Tverrfaglig kartlegging og vurdering av koordinator.",
)
PER_SECTIONS = {
    "wishes": "Å klare meg hjemme og komme meg på butikken selv igjen.",
    "own_resources": "Motivert, god humor. Kjører ikke bil lenger.",
    "medical": "Svimmelhet og fall. Fastlegen bestiller blodprøver og CT.",
    "physical": "Redusert balanse. Går hos privat fysioterapeut.",
    "communication": "Ordletingsvansker: logoped bør vurdere.",
}
PER_NEEDS_REASON = "Flere tjenester over tid som må ses i sammenheng."
PER_WISH = "Ergoterapeuten Ingrid"
PER_NURSING_REASON = "Tjenesten settes i gang straks."
PER_PLAN = PlanText(
    resources="Motivert og med god humor. Har to kamerater han ringer til. Kjenner nærmiljøet godt.",
    needs=(
        "Tryggere balanse hjemme og ute, hjelp til å komme seg på butikken, og en vurdering av "
        "ordletingsvanskene."
    ),
    persons_contribution="Per gjør balanseøvelsene hjemme og ringer en kamerat hver uke.",
    relatives_contribution="Per ønsker ikke at pårørende er med foreløpig.",
    coordination=(
        "Ingrid (koordinator) holder kontakten med Per mellom møtene. Teamet møtes bare til oppstart og "
        "evaluering; ellers avtaler hver enkelt direkte med Per og sier fra til Ingrid."
    ),
    participation_wishes=(
        "Per vil ha få møter og ingen pårørende med foreløpig. Teamet deltar på oppstartsmøtet og "
        "evalueringene."
    ),
)
PER_GOALS = [
    "Jeg vil klare meg hjemme og komme meg på butikken selv igjen.",
    "Jeg vil kunne snakke i telefonen med kameratene uten å lete etter ordene.",
]
PER_PERIOD_1 = "Tryggere hjemme og de første turene til butikken."
PER_STARTUP_SUMMARY = (
    "Per og teamet ble enige om første delmål og en periode på to måneder. Logopedvurdering skal bestilles, "
    "og Per går til fastlegen hver uke den første tiden."
)
# (item, what was agreed) of the start-up meeting.
PER_STARTUP_ITEMS = [
    ("Pers første delmål", "Gå til butikken på hjørnet med rullator to ganger i uka."),
    ("Planperiode", "To måneder; evaluering en uke før perioden er over."),
    ("Tiltak og hvem som er ansvarlig", "Se tiltakene i planen; hver ansvarlig sier fra til Ingrid."),
    ("Logopedvurdering", "Fastlegen henviser til logoped for vurdering av ordletingsvanskene."),
    ("Legetimer den første tiden", "Ukentlig time hos fastlegen de første fire ukene."),
]
PER_EVALUATION_ITEMS = [
    "Gå gjennom tiltakene i første periode",
    "Pers neste delmål og en periode på tre måneder",
    "Logopeden inn i teamet?",
    "Hvem trenger å være med videre?",
]
PER_PSFS = [
    "Gå til butikken og handle selv",
    "Ringe kameratene mine",
    "Lage middag",
]
PER_PSFS_BASELINE = (3, 4, 5)

# Lidal writes nynorsk: Sigrid's plan is in her own written language.
SIGRID_PLAN = PlanText(
    resources="Sigrid er sjølvstendig og har gode naboar. Ho likar å strikke og gå til butikken.",
    needs="Trygg oppfølging av hjartesvikt og diabetes, og hjelp til å planleggje måltid.",
    persons_contribution="Sigrid veg seg kvar morgon og skriv ned blodsukkeret.",
    relatives_contribution="Sigrid ønskjer ikkje at pårørande er med i planarbeidet no.",
    coordination=(
        "Guro (koordinator) samlar teamet til evaluering. Sjukepleiaren melder endringar i vekt til "
        "fastlegen same dag."
    ),
    participation_wishes="Korte møte heime hos Sigrid.",
)
SIGRID_GOALS = ["Eg vil bu heime og klare meg sjølv.", "Eg vil gå til butikken to gonger i veka."]
SIGRID_PERIOD_1 = "Trygg kvardag heime."
