"""assess_sensitivity: texts that must reach a professional, and everyday ones that must not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.sensitivity import Level, Rules, Sensitivity, Theme, assess_sensitivity

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


@pytest.mark.parametrize(("text", "level", "theme"), DUTCH_CAUGHT)
def test_dutch_heavy_texts_are_caught(text: str, level: Level, theme: Theme) -> None:
    assert assess_sensitivity(text, "nl") == Sensitivity(level=level, theme=theme)


@pytest.mark.parametrize("text", DUTCH_EVERYDAY)
def test_dutch_everyday_texts_pass(text: str) -> None:
    assert assess_sensitivity(text, "nl") == Sensitivity()


@pytest.mark.parametrize(("text", "level", "theme"), ENGLISH_CAUGHT)
def test_english_heavy_texts_are_caught(text: str, level: Level, theme: Theme) -> None:
    assert assess_sensitivity(text, "en") == Sensitivity(level=level, theme=theme)


@pytest.mark.parametrize("text", ENGLISH_EVERYDAY)
def test_english_everyday_texts_pass(text: str) -> None:
    assert assess_sensitivity(text, "en") == Sensitivity()


def test_other_languages_act_as_a_net() -> None:
    # An English-speaking resident who writes in Dutch is still caught, and the other way.
    assert assess_sensitivity("de deurwaarder komt", "en").level is Level.PROFESSIONAL
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
