"""The extractor on short articles written for these tests, as case tables.

Each case: the article text, its publication date, the events expected as
(type, source, target, date, precision) tuples, and why. All texts are our own.
"""
from __future__ import annotations

import pytest

PUB = "2024-03-06"  # a Wednesday

EVENT_TYPE_CASES = [
    ("French President Emmanuel Macron spoke by phone with Chinese President Xi Jinping on Monday.",
     {("call", "FRA", "CHN", "2024-03-04", "day")}, "call: 'spoke by phone with'"),
    ("Polish Prime Minister Jan Nowak held a phone call with his Lithuanian counterpart Ona Petraite yesterday.",
     {("call", "POL", "LTU", "2024-03-05", "day")}, "call: noun 'phone call with', counterpart's demonym"),
    ("German Chancellor Karl Weber travelled to Kyiv on Tuesday, his first trip to Ukraine since the war began.",
     {("visit", "DEU", "UKR", "2024-03-05", "day")}, "visit: capital stands for the host; 'since' after 'first' is no date"),
    ("Japan's foreign minister, Kenji Sato, arrived in Seoul on Monday for a two-day visit.",
     {("visit", "JPN", "KOR", "2024-03-04", "day")}, "visit: 'arrived in' + capital; possessive country of the title"),
    ("Turkish President Ali Demir met Egyptian President Omar Hassan in Cairo on Sunday.",
     {("meeting", "TUR", "EGY", "2024-03-03", "day")}, "meeting: 'met' + person object"),
    ("Indian and Pakistani officials held talks in Geneva last week.",
     {("meeting", "IND", "PAK", "2024-02-26", "week")}, "meeting: coordinated demonyms; week is its Monday"),
    ("Russia launched dozens of drones at Ukraine overnight on Tuesday, Ukrainian officials said.",
     {("strike", "RUS", "UKR", "2024-03-05", "day")}, "strike: 'launched dozens of drones at'"),
    ("Israeli jets struck targets in Lebanon on Monday.",
     {("strike", "ISR", "LBN", "2024-03-04", "day")}, "strike: demonym subject, place in the target phrase"),
    ("Ukraine was attacked by Russia on Saturday, the ministry said.",
     {("strike", "RUS", "UKR", "2024-03-02", "day")}, "strike: passive, the agent attacks"),
    ("The United States pledged $300 million in military aid to Ukraine on Tuesday.",
     {("aid", "USA", "UKR", "2024-03-05", "day")}, "aid: a pledge counts"),
    ("Germany delivered two air defence systems to Ukraine last month.",
     {("aid", "DEU", "UKR", "2024-02", "month")}, "aid: equipment delivered; last month"),
    ("Saudi Arabia and Iran restored diplomatic ties on Friday.",
     {("agreement", "SAU", "IRN", "2024-03-01", "day")}, "agreement: ties restored"),
    ("Greece and Egypt signed a maritime agreement in Athens on Thursday.",
     {("agreement", "GRC", "EGY", "2024-02-29", "day")}, "agreement: signed; leap day"),
    ("The European Union imposed new sanctions on Belarus on Monday.",
     {("sanction", "EU", "BLR", "2024-03-04", "day")}, "sanction: imposed on"),
    ("Poland expelled two Russian diplomats on Wednesday.",
     {("sanction", "POL", "RUS", "2024-03-06", "day")}, "sanction: expulsion; the publication day itself"),
    ("China summoned the Japanese ambassador on Tuesday to protest the visit.",
     {("statement", "CHN", "JPN", "2024-03-05", "day")}, "statement: summoning an envoy"),
    ("Britain, France and Germany condemned Iran's missile launch on Sunday.",
     {("statement", "GBR", "IRN", "2024-03-03", "day"), ("statement", "FRA", "IRN", "2024-03-03", "day"),
      ("statement", "DEU", "IRN", "2024-03-03", "day")}, "statement: one per member state"),
    ("Canadian Prime Minister Mark Lee thanked Ukraine for its support yesterday.",
     {("statement", "CAN", "UKR", "2024-03-05", "day")}, "statement: thanks"),
    ("Kenya's foreign minister, Grace Otieno, urged Ethiopia on Monday to withdraw its troops.",
     {("statement", "KEN", "ETH", "2024-03-04", "day")}, "statement: urging, appositive title"),
    ("Iran accused Israel on Tuesday of attacking its consulate in Damascus.",
     {("statement", "IRN", "ISR", "2024-03-05", "day"), ("strike", "ISR", "IRN", None, None)},
     "statement: accusation; the alleged attack inside it keeps no date of its own"),
    ("The Kremlin warned NATO on Friday against sending troops to Ukraine.",
     {("statement", "RUS", "NATO", "2024-03-01", "day")}, "statement: seat of power stands for the state"),
    ("Washington imposed sanctions on Moscow two days ago.",
     {("sanction", "USA", "RUS", "2024-03-04", "day")}, "capitals on both sides; 'two days ago'"),
    ("Azerbaijan shelled Armenian positions on Monday, Yerevan said.",
     {("strike", "AZE", "ARM", "2024-03-04", "day")}, "strike: target from the object's demonym"),
]

NOT_AN_EVENT_CASES = [
    ("Israel has not sent military aid to Ukraine on Monday.", "negated with 'not'"),
    ("Hungary sent no weapons to Serbia on Monday.", "negated with 'no'"),
    ("The Spanish foreign minister will travel to Morocco next week.", "future with 'will'"),
    ("Brazil is expected to sign a trade deal with Argentina on Friday.", "'is expected to'"),
    ("Hungary plans to send aid to Serbia.", "'plans to'"),
    ("The president said on Monday that Germany should help Ukraine more.", "'should help' is no aid"),
    ("North Korea tested a ballistic missile on Monday.", "a weapons test is not a strike"),
    ("Italy's planned visit to Tunisia was discussed on Monday.", "a planned visit"),
    ("Chile would impose sanctions on Peru if the talks failed.", "conditional"),
    ("Norway refused to expel Russian diplomats on Monday.", "refused to"),
]


def _tuples(events):
    return {(e.type, e.source, e.target, e.date, e.precision) for e in events}


@pytest.mark.parametrize("text,expected,why", EVENT_TYPE_CASES, ids=[c[2] for c in EVENT_TYPE_CASES])
def test_each_event_type_is_read_with_its_actors_and_date(events_of, text, expected, why):
    assert _tuples(events_of(text, PUB)) == expected


@pytest.mark.parametrize("text,why", NOT_AN_EVENT_CASES, ids=[c[1] for c in NOT_AN_EVENT_CASES])
def test_negated_planned_and_hypothetical_acts_yield_no_event(events_of, text, why):
    assert [e for e in events_of(text, PUB) if e.type != "statement"] == []


def test_should_in_reported_speech_is_an_appeal_by_the_speaker(events_of):
    text = "Swedish Foreign Minister Lars Berg said on Monday that Turkey should ratify the accession."
    assert _tuples(events_of(text, PUB)) == {("statement", "SWE", "TUR", "2024-03-04", "day")}


def test_pronouns_and_short_names_refer_back_to_the_person_introduced(events_of):
    text = ("Finnish President Eero Virtanen visited Estonia on Monday. He met Estonian Prime Minister "
            "Kaja Tamm in Tallinn. Virtanen also thanked Estonia for its support.")
    events = events_of(text, PUB)
    assert _tuples(events) == {
        ("visit", "FIN", "EST", "2024-03-04", "day"),
        ("meeting", "FIN", "EST", "2024-03-04", "day"),
        ("statement", "FIN", "EST", "2024-03-04", "day"),
    }
    meeting = next(e for e in events if e.type == "meeting")
    assert (meeting.source_person, meeting.target_person) == ("Eero Virtanen", "Kaja Tamm")


def test_spoke_with_during_a_visit_is_a_meeting_not_a_call(events_of):
    text = ("Danish Prime Minister Mette Holm arrived in Oslo on Tuesday. "
            "She spoke with Norwegian Prime Minister Jonas Lie about energy.")
    assert ("meeting", "DNK", "NOR", "2024-03-05", "day") in _tuples(events_of(text, PUB))


def test_spoke_with_without_a_visit_is_a_call(events_of):
    text = "Danish Prime Minister Mette Holm spoke with Norwegian Prime Minister Jonas Lie on Tuesday."
    assert _tuples(events_of(text, PUB)) == {("call", "DNK", "NOR", "2024-03-05", "day")}


def test_counterpart_with_a_demonym_names_the_other_state(events_of):
    text = "Australian Foreign Minister Penny Wong met her Chinese counterpart Wang Yi in Beijing on 20 December 2022."
    [event] = events_of(text, PUB)
    assert (event.type, event.source, event.target, event.date) == ("meeting", "AUS", "CHN", "2022-12-20")
    assert event.target_person == "Wang Yi"


def test_the_same_event_told_twice_in_an_article_is_one_event_with_both_quotes(events_of):
    text = ("Austria and Switzerland signed an agreement on Monday. "
            "The agreement, signed in Vienna on Monday, covers energy.")
    [event] = events_of(text, PUB)
    assert event.type == "agreement" and len(event.mentions) == 2


def test_an_undated_perfect_tense_act_stays_undated(events_of):
    [event] = events_of("Jordan has sent humanitarian aid to Syria.", PUB)
    assert (event.type, event.date) == ("aid", None)
    assert "present perfect" in event.date_how


def test_an_event_without_its_own_date_takes_the_storys_date_and_says_so(events_of):
    text = ("Irish Foreign Minister Sean Byrne visited Ghana on Monday. "
            "Byrne also condemned Russia's attacks on Ukraine's ports.")
    statement = next(e for e in events_of(text, PUB) if e.type == "statement")
    assert (statement.source, statement.target, statement.date) == ("IRL", "RUS", "2024-03-04")
    assert "story" in statement.date_how and "Monday" in statement.date_how


def test_without_a_publication_date_relative_dates_stay_unresolved(events_of):
    [event] = events_of("Greece and Egypt signed a maritime agreement on Thursday.", None)
    assert event.date is None and event.type == "agreement"


def test_every_event_carries_its_provenance(events_of):
    text = "Headline here\nPeru and Chile signed a border treaty on Monday."
    [event] = events_of(text, PUB)
    assert text[event.quote_start:event.quote_end] == event.quote == "Peru and Chile signed a border treaty on Monday."
    assert event.date_text == "Monday" and event.date_how and event.article == "t1"


def test_photo_captions_and_headlines_yield_no_events(events_of):
    text = ("Chile and Peru sign a treaty\n"
            "Peruvian President Ana Rojas meets Chilean officials in Lima on May 3, 2023. (Photo: AFP)\n"
            "The talks continue.")
    assert events_of(text, PUB) == []


def test_a_day_after_moves_the_date_of_the_other_event(events_of):
    text = ("Kenya and Uganda signed a trade agreement on Tuesday. "
            "Uganda's president met Kenyan President Paul Mwangi a day after Kenya condemned Somalia on Tuesday.")
    events = {(e.type, e.source, e.target): e.date for e in events_of(text, PUB)}
    assert events[("agreement", "KEN", "UGA")] == "2024-03-05"


CONTEXT_CASES = [
    ("ROME, 6 March 2024 (AFP) - Italy and Tunisia signed a migration agreement on Tuesday.",
     {("agreement", "ITA", "TUN", "2024-03-05", "day")}, "a wire dateline is not part of the first sentence"),
    ("Dutch Prime Minister Eva Smit landed in Jakarta late on March 4 and met Indonesian President Budi Santoso the next morning.",
     {("visit", "NLD", "IDN", "2024-03-04", "day"), ("meeting", "NLD", "IDN", "2024-03-05", "day")},
     "'the next morning' is the day after the date before it"),
    ("Egypt struck a convoy in Libya on March 1. Libya retaliated two days later with drone strikes on Egypt.",
     {("strike", "EGY", "LBY", "2024-03-01", "day"), ("strike", "LBY", "EGY", "2024-03-03", "day")},
     "'two days later' counts from the previous dated event"),
    ("The Moldovan ministry said on Tuesday that Russian drones had struck the village of Larga overnight.",
     {("strike", "RUS", "MDA", "2024-03-04", "day")}, "'overnight' is the night before the report; unknown village"),
    ("Chile and Peru are old rivals. The two countries signed a fisheries treaty on Monday.",
     {("agreement", "CHL", "PER", "2024-03-04", "day")}, "'the two countries' are the article's two states"),
    ("Russian forces shelled Kharkiv on Monday, officials said.",
     {("strike", "RUS", "UKR", "2024-03-04", "day")}, "a city from the gazetteer is a place in its state"),
    ("Vietnam held talks with Laos on Monday about the river.",
     {("meeting", "VNM", "LAO", "2024-03-04", "day")}, "'held talks with': the light verb's preposition"),
    ("Japan lodged a protest with Beijing on Tuesday.",
     {("statement", "JPN", "CHN", "2024-03-05", "day")}, "a protest lodged with a capital"),
    ("The Iranian navy seized a tanker in the Gulf of Oman on Monday.", set(), "the Gulf of Oman is a sea, not Oman"),
    ("North Korea fired two missiles into the sea during military drills on Monday.", set(), "drills are no strike"),
    ("Ghana accused Togo on Monday of shelling a border post.",
     {("statement", "GHA", "TGO", "2024-03-04", "day")}, "an accusation; the alleged shelling has no target state"),
    ("Greece condemned Turkey on Monday over ships that it sent to the area in 2020.",
     {("statement", "GRC", "TUR", "2024-03-04", "day")}, "a date in a relative clause is that clause's"),
    ("Serbia criticized Kosovo on Tuesday for breaking the November 2022 agreement.",
     {("statement", "SRB", "XKX", "2024-03-05", "day")}, "'the November 2022 agreement' dates the agreement only"),
    ("Swiss President Anna Keller arrived in Vienna on Monday. She spoke by telephone with the Austrian chancellor, "
     "Karl Huber, on Tuesday.",
     {("visit", "CHE", "AUT", "2024-03-04", "day"), ("call", "CHE", "AUT", "2024-03-05", "day")},
     "'by telephone' is a call even during a visit"),
    ("Peru imposed sanctions on Bolivia on Monday. Chile discussed sanctions on Bolivia on Tuesday but did not agree.",
     {("sanction", "PER", "BOL", "2024-03-04", "day")}, "sanctions discussed are not imposed"),
]


@pytest.mark.parametrize("text,expected,why", CONTEXT_CASES, ids=[c[2] for c in CONTEXT_CASES])
def test_context_rules_place_date_and_read_events(events_of, text, expected, why):
    assert {t for t in _tuples(events_of(text, PUB)) if t[3]} == expected


STORY_CASES = [
    ("Latvia and Lithuania signed a grid agreement on Monday. On Wednesday, Latvian Foreign Minister Ilze Ozola "
     "spoke to reporters. Ozola warned Russia against interference.",
     ("statement", "LVA", "RUS", "2024-03-06", "day"), "an undated sentence takes the story's last main-clause date"),
    ("Japanese Foreign Minister Aiko Mori met officials on Monday. Mori invited the Polish minister to visit Tokyo later this year.",
     ("statement", "JPN", "POL", "2024-03-04", "day"), "'the Polish minister' is not the minister met before; 'later this year' is future"),
    ("Spanish Prime Minister Luis Vega met Morocco's prime minister on Monday and pledged further humanitarian assistance.",
     ("aid", "ESP", "MAR", "2024-03-04", "day"), "a pledge joined to a meeting goes to the state met"),
    ("Sudanese jets struck Chad on Monday. On Tuesday, Kenya condemned the strikes.",
     ("statement", "KEN", "SDN", "2024-03-05", "day"), "condemning 'the strikes' addresses whoever struck"),
]


@pytest.mark.parametrize("text,expected,why", STORY_CASES, ids=[c[2] for c in STORY_CASES])
def test_story_rules(events_of, text, expected, why):
    assert expected in _tuples(events_of(text, PUB))


def test_a_user_actors_file_names_the_state_of_a_person_the_text_does_not_describe(nlp, tmp_path):
    import datetime as dt

    from events.articles import make_article
    from events.extract import extract
    from events.lexicon import load_lexicon

    people = tmp_path / "people.csv"
    people.write_text("name,code,aliases\nMarta Kowal,POL,Kowal|M. Kowal\n", encoding="utf-8")
    article = make_article("a", "Marta Kowal met Lithuanian President Ona Petraite in Vilnius on Monday.",
                           published=dt.date(2024, 3, 6))
    assert [e.type for e in extract(article, nlp)] == []
    [meeting, *rest] = sorted(extract(article, nlp, load_lexicon(actors_file=people)), key=lambda e: e.type)
    assert (meeting.type, meeting.source, meeting.target, meeting.source_person) == ("meeting", "POL", "LTU", "Marta Kowal")
