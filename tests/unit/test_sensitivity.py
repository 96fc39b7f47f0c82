"""assess_sensitivity: texts that must reach a professional, and everyday ones that must not.

The hand-picked sentences below are a regression net; the held-out part of the corpus
(tests/unit/test_sensitivity_corpus.py) is the measure that generalises.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.sensitivity import (
    Level,
    Rules,
    Sensitivity,
    Theme,
    assess_sensitivity,
    default_detector,
)
from models.sensitivity.phrases import default_rules

P, C = Level.PROFESSIONAL, Level.CRISIS
MONEY, HOUSING, SAFETY, HEALTH = Theme.MONEY, Theme.HOUSING, Theme.SAFETY, Theme.HEALTH

DUTCH_CAUGHT: list[tuple[str, Level, Theme]] = [
    ("de deurwaarder staat voor de deur", P, MONEY),
    ("ik kan de huur niet meer betalen", P, MONEY),
    ("Ik kan mijn huur deze maand niet betalen", P, MONEY),
    ("mijn man slaat me", C, SAFETY),
    ("ik wil er niet meer zijn", C, HEALTH),
    ("Er zijn twee deurwaarders bij me geweest", P, MONEY),
    ("Ik heb veel schulden en weet niet wat ik moet doen", P, MONEY),
    ("ik heb een schuld bij de energiemaatschappij", P, MONEY),
    ("Het incassobureau belt elke dag", P, MONEY),
    ("Ik krijg steeds aanmaningen", P, MONEY),
    ("er is loonbeslag gelegd", P, MONEY),
    ("Ze hebben beslag gelegd op mijn uitkering", P, MONEY),
    ("ik heb een huurachterstand van drie maanden", P, MONEY),
    ("We hebben geen geld voor eten deze week", P, MONEY),
    ("Kan ik naar de voedselbank?", P, MONEY),
    ("ik kan niet meer rondkomen", P, MONEY),
    ("ons gas wordt binnenkort afgesloten", P, MONEY),
    ("ik kan mijn rekeningen niet betalen", P, MONEY),
    ("Ik zit in de schuldsanering", P, MONEY),
    ("ik zoek schuldhulpverlening", P, MONEY),
    ("Er dreigt een huisuitzetting", P, HOUSING),
    ("De woningcorporatie wil een ontruiming", P, HOUSING),
    ("ik word uit mijn huis gezet", P, HOUSING),
    ("Straks ben ik dakloos", P, HOUSING),
    ("ik heb geen dak boven mijn hoofd", P, HOUSING),
    ("ik kan nergens heen", P, HOUSING),
    ("mijn vriend slaat mij als hij gedronken heeft", C, SAFETY),
    ("Hij sloeg me gisteren weer", C, SAFETY),
    ("mijn zoon wordt mishandeld", C, SAFETY),
    ("Er is huiselijk geweld bij ons", C, SAFETY),
    ("ik word bedreigd door mijn buurman", C, SAFETY),
    ("Mijn ex bedreigt me", C, SAFETY),
    ("ik ben bang voor mijn man", C, SAFETY),
    ("Ik durf niet naar huis", C, SAFETY),
    ("Ik voel me niet veilig thuis", C, SAFETY),
    ("hij stalkt mij al weken", C, SAFETY),
    ("ik denk aan zelfmoord", C, HEALTH),
    ("Soms denk ik aan zelfdoding", C, HEALTH),
    ("ik wil niet meer leven", C, HEALTH),
    ("Ik wil dood", C, HEALTH),
    ("ik wil er een einde aan maken", C, HEALTH),
    ("ik ga mezelf iets aandoen", C, HEALTH),
    ("Ik zie het leven niet meer zitten", C, HEALTH),
    ("ik wil gewoon niet meer wakker worden", C, HEALTH),
    ("Mijn moeder heeft dementie", P, HEALTH),
    ("Mijn broer is verslaafd", P, HEALTH),
    ("ik ben al maanden depressief", P, HEALTH),
    # Capitals, accents and spacing do not hide anything.
    ("DE DEURWAARDER KOMT MORGEN", P, MONEY),
    ("Ik  wil   er niet meer   zijn", C, HEALTH),
    ("Ik heb SCHULDEN", P, MONEY),
    # The heaviest match wins when a text has several.
    ("ik heb schulden en mijn man slaat me", C, SAFETY),
    ("door de schulden wil ik dood", C, HEALTH),
]

DUTCH_EVERYDAY: list[str] = [
    "de schuur moet leeg",
    "wie kan mijn huis bewaken tijdens vakantie",
    "ik sla de eieren",
    "Wie helpt mij de heg te snoeien?",
    "Ik maak beslag voor pannenkoeken",
    "Sorry, het is mijn schuld dat het laat werd",
    "Ik voel me schuldig dat ik zo vaak vraag",
    "De verwarming is uitgezet",
    "Ik heb de wekker uitgezet",
    "De weg is afgesloten wegens werkzaamheden",
    "wie kan mij naar het ziekenhuis brengen?",
    "Mag ik jullie ladder lenen?",
    "Ik zoek iemand om koffie mee te drinken",
    "Ik ben soms wat eenzaam, wie komt een kopje thee drinken?",
    "Mijn kat is ziek, wie weet een goede dierenarts?",
    "De huur van de aanhanger is 20 euro",
    "Wie wil mijn planten water geven?",
    "Ik heb geen geld voor een taxi, kan iemand rijden?",
    "Mijn computer doet het niet meer",
    "Wie kan mij helpen met een brief van de gemeente?",
    "Deze vogel is een bedreigde diersoort",
    "Ik ben bang voor spinnen, wie haalt hem weg?",
    "De dokter zei dat ik moet rusten",
    "Ik ben moe van het sjouwen",
    "Wie gaat zaterdag mee naar de markt?",
    "Ik wil graag leren fietsen",
    "Ik sla de hoek om bij de bakker",
    "We maken er een mooi feest van",
    "Het leven is mooi in onze straat",
    "Kan iemand mijn fiets plakken?",
]

ENGLISH_CAUGHT: list[tuple[str, Level, Theme]] = [
    ("The bailiff is at the door", P, MONEY),
    ("I can't pay the rent this month", P, MONEY),
    ("I can\u2019t pay my rent", P, MONEY),
    ("I am deep in debt", P, MONEY),
    ("Where is the food bank?", P, MONEY),
    ("A debt collector keeps calling", P, MONEY),
    ("We are being evicted next week", P, HOUSING),
    ("I will be homeless soon", P, HOUSING),
    ("My husband hits me", C, SAFETY),
    ("he beats me when he drinks", C, SAFETY),
    ("My ex threatens me", C, SAFETY),
    ("I am not safe at home", C, SAFETY),
    ("There is domestic violence in our house", C, SAFETY),
    ("I want to kill myself", C, HEALTH),
    ("I don't want to live any more", C, HEALTH),
    ("I have thoughts of suicide", C, HEALTH),
    ("I want to end my life", C, HEALTH),
    ("My father has dementia", P, HEALTH),
]

ENGLISH_EVERYDAY: list[str] = [
    "Who can lend me a hedge trimmer?",
    "Beats me why the bus is late",
    "Can someone drive me to the hospital?",
    "I would like a chat over coffee",
    "The rain threatened our picnic",
    "Who can water my plants?",
    "My computer is broken",
    "Is anyone going to the market on Saturday?",
    "I need help reading a letter",
    "I can pay you back with a cake",
    "That is a threatened species",
    "I am a bit lonely, fancy a walk?",
]


def test_there_are_enough_sentences() -> None:
    assert len(DUTCH_CAUGHT) + len(DUTCH_EVERYDAY) >= 60
    assert len(ENGLISH_CAUGHT) + len(ENGLISH_EVERYDAY) >= 20


def _at_least(text: str, language: str, level: Level, theme: Theme) -> None:
    """As heavy as listed or heavier (a crisis is never lowered); same theme when as heavy."""
    found = assess_sensitivity(text, language)
    assert found.level.rank >= level.rank, found
    if found.level is level:
        assert found.theme is theme
    assert found.flagged


@pytest.mark.parametrize(("text", "level", "theme"), DUTCH_CAUGHT)
def test_dutch_heavy_texts_are_caught(text: str, level: Level, theme: Theme) -> None:
    _at_least(text, "nl", level, theme)


@pytest.mark.parametrize(("text", "level", "theme"), DUTCH_CAUGHT)
def test_the_phrase_list_alone_still_knows_them(text: str, level: Level, theme: Theme) -> None:
    assert default_rules().assess(text, "nl") == Sensitivity(level=level, theme=theme)


@pytest.mark.parametrize("text", DUTCH_EVERYDAY)
def test_dutch_everyday_texts_pass(text: str) -> None:
    assert assess_sensitivity(text, "nl") == Sensitivity()


@pytest.mark.parametrize(("text", "level", "theme"), ENGLISH_CAUGHT)
def test_english_heavy_texts_are_caught(text: str, level: Level, theme: Theme) -> None:
    _at_least(text, "en", level, theme)


@pytest.mark.parametrize("text", ENGLISH_EVERYDAY)
def test_english_everyday_texts_pass(text: str) -> None:
    assert assess_sensitivity(text, "en") == Sensitivity()


def test_other_languages_act_as_a_net() -> None:
    # An English-speaking resident who writes in Dutch is still caught, and the other way.
    assert assess_sensitivity("de deurwaarder komt", "en").flagged
    assert assess_sensitivity("my husband hits me", "nl").level is Level.CRISIS


def test_result_never_holds_the_text() -> None:
    result = assess_sensitivity("de deurwaarder staat voor de deur", "nl")
    assert "deurwaarder" not in result.model_dump_json()
    assert result.flagged


def test_wildcard_and_gap_rules() -> None:
    phrases = ["schuld*", "huur niet betalen"]
    rules = Rules({"nl": {"themes": {"money": {"professional": phrases}}}})
    assert rules.assess("schuldeisers", "nl").flagged
    assert rules.assess("de huur echt niet meer betalen", "nl").flagged
    assert not rules.assess("de huur kan ik wel, maar de rest echt niet betalen", "nl").flagged
    assert not rules.assess("onschuld", "nl").flagged


@given(st.text(max_size=300))
def test_any_text_gives_a_consistent_answer(text: str) -> None:
    result = assess_sensitivity(text, "nl")
    assert (result.theme is None) == (result.level is Level.NONE)


def test_gaps_in_a_phrase_never_cross_a_clause() -> None:
    # Why "bang voor spinnen" was held back: the gap rule joined it to "mijn man".
    rules = default_rules()
    assert not rules.assess("Ik ben bang voor spinnen en mijn man is er niet", "nl").flagged
    assert not rules.assess("ik ben bang voor spinnen, mijn vriend is weg", "nl").flagged
    assert not rules.assess("I am scared of spiders, my husband is away", "en").flagged
    assert rules.assess("ik ben zo bang voor mijn man", "nl").level is Level.CRISIS


OVER_BLOCKED_BEFORE = [
    ("Ik ben bang voor spinnen en mijn man is er niet, wie haalt hem weg", "nl"),
    ("We zijn bang voor inbrekers, wie past op ons huis tijdens de vakantie", "nl"),
    ("Wie wil samen naar het concert, in mijn eentje durf ik niet naar huis in het donker", "nl"),
    ("wie wil mee naar een concert van André Rieu, ik kan nergens heen zonder rolstoel", "nl"),
    ("Ik geef mijn oude naaimachine weg, ik naai niet meer", "nl"),
    ("Dozen met oude boeken van mijn vader gratis op te halen", "nl"),
    ("I am scared of spiders, my husband is away this week", "en"),
]


@pytest.mark.parametrize(("text", "language"), OVER_BLOCKED_BEFORE)
def test_the_everyday_requests_of_issue_12_are_posted(text: str, language: str) -> None:
    assert assess_sensitivity(text, language) == Sensitivity()


UNDER_CAUGHT_BEFORE: list[tuple[str, Level]] = [
    ("ik wil een eind aan mijn leven maken", C),
    ("ik ben pillen aan het sparen", C),
    ("ik denk erover om van het balkon te springen", C),
    ("ik wil slapen en nooit meer wakker worden", C),
    ("iedereen is beter af zonder mij", C),
    ("mijn dochter snijdt zichzelf", C),
    ("mijn man heeft me gisteren geschopt", C),
    ("hij greep me bij mijn keel", C),
    ("mijn stiefvader betast mijn dochter", C),
    ("ik ben bang dat hij iets doet als ik wegga", C),
    ("mijn zoon bedreigt me met een mes voor geld", C),
    ("het buurjongetje wordt elke avond geslagen", C),
    ("ik moet de toeslag terugbetalen", P),
    ("we hebben een hypotheekachterstand sinds ik mijn baan kwijt ben", P),
    ("de huisbaas zet me volgende maand op straat", P),
    ("ik heb een betalingsregeling nodig", P),
    ("er kwam een dwangbevel", P),
    ("ze komen de meubels ophalen omdat we de rekeningen niet betaald hebben", P),
    ("ik sta rood bij drie banken", P),
    ("ik moet voor de rechter vanwege mijn zorgpremie", P),
    ("mijn kleinzoon haalt geld van de rekening van oma", P),
]


@pytest.mark.parametrize(("text", "level"), UNDER_CAUGHT_BEFORE)
def test_the_kinds_issue_12_missed_are_caught(text: str, level: Level) -> None:
    found = assess_sensitivity(text, "nl")
    assert found.level.rank >= level.rank


def test_separable_verbs_inflection_and_negation() -> None:
    assert assess_sensitivity("ze zetten ons echt op straat", "nl").flagged
    assert assess_sensitivity("hij heeft me geschopt", "nl").crisis
    assert assess_sensitivity("mijn auto slaat niet aan", "nl").clear
    assert assess_sensitivity("mijn kinderen slaan elkaar met kussens", "nl").clear
    # Negation softens a professional signal to a question, never a crisis one.
    assert not default_detector().patterns.assess("ik heb gelukkig geen schulden").flagged
    assert assess_sensitivity("ik wil niet meer leven", "nl").crisis


def test_levels_are_ordered_and_only_heavy_ones_are_flagged() -> None:
    assert [lvl.rank for lvl in (Level.NONE, Level.UNCERTAIN, P, C)] == [0, 1, 2, 3]
    assert not Sensitivity(level=Level.UNCERTAIN, theme=Theme.OTHER).flagged
    assert Sensitivity(level=Level.UNCERTAIN, theme=Theme.OTHER).uncertain
    assert Sensitivity(level=P, theme=MONEY).flagged


LOOK_ALIKES = [
    ("Wie helpt met de lamp ophangen?", "nl"),
    ("ik ben door een wesp gestoken, wie heeft azijn", "nl"),
    ("mijn knie doet pijn, wie doet boodschappen", "nl"),
    ("wie heeft spul om onkruid te doden", "nl"),
    ("wie neemt drank mee naar de barbecue", "nl"),
    ("de kabels van de kerstverlichting zijn verward", "nl"),
    ("wie haalt pijnstillers voor me bij de apotheek", "nl"),
    ("ik weet het adres niet meer van de bakker", "nl"),
    ("de kat zat opgesloten in de schuur van de buren", "nl"),
    ("wie durft er mee in de achtbaan", "nl"),
    ("mijn dochter wil psychologie studeren, wie kent iemand", "nl"),
    ("I can't make it on Saturday, can we do Sunday", "en"),
    ("the kids are playing on the street, who has chalk", "en"),
    ("can someone help carry boxes down the stairs", "en"),
]


@pytest.mark.parametrize(("text", "language"), LOOK_ALIKES)
def test_pattern_words_in_everyday_sentences_pass(text: str, language: str) -> None:
    # Each of these once tripped a pattern ("ophangen", "gestoken", "pijn doet", …).
    assert assess_sensitivity(text, language) == Sensitivity()
