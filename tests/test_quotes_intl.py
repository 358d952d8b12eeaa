"""Quotes and speakers in French, German, Spanish, Italian, Portuguese, Dutch, Russian and Chinese
(dashboard/nlp/quotes_intl.py), on sentences written for the tests in each language's newsroom
conventions; the mentions are given as the language's model would tag them (French, Chinese) or not
at all (the languages no model reads here)."""

from __future__ import annotations

import json

import duckdb
import pytest

from dashboard.nlp.entities import Mention
from dashboard.nlp.quotes_intl import find_quotes, find_quotes_and_speakers
from tests.conftest import cli


def mentions_of(text: str, *names: tuple[str, str]) -> list[Mention]:
    found = []
    for name, label in names:
        start = -1
        while (start := text.find(name, start + 1)) >= 0:
            found.append(Mention(start, start + len(name), name, name, label))
    return sorted(found, key=lambda m: m.start)


def speakers(text: str, lang: str, *names: tuple[str, str]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in find_quotes(text, mentions_of(text, *names), lang)]


HEAD = "Headline of the day\n\n"


CASES = [  # (language, sentence, the names its model tags, [(quote, speaker)])
    ("fr", "« Nous ne reculerons pas », a déclaré Michel Barnier devant les députés.", [("Michel Barnier", "PERSON")],
     [("Nous ne reculerons pas", "Michel Barnier")]),
    ("fr", "La présidente du groupe, Cyrielle Chatelain, a répondu : « Cette réforme est injuste. »", [("Cyrielle Chatelain", "PERSON")],
     [("Cette réforme est injuste.", "Cyrielle Chatelain")]),
    ("fr", "Selon Marine Le Pen, « le gouvernement ne tiendra pas ».", [("Marine Le Pen", "PERSON")],
     [("le gouvernement ne tiendra pas", "Marine Le Pen")]),
    ("de", "„Wir werden die Schuldenbremse einhalten“, sagte Scholz am Donnerstag.", [],
     [("Wir werden die Schuldenbremse einhalten", "Scholz")]),
    ("de", "Friedrich Merz sagte: „Dieser Haushalt ist verfassungswidrig.“", [],
     [("Dieser Haushalt ist verfassungswidrig.", "Friedrich Merz")]),
    ("de", "Am Montag sagte Finanzminister Christian Lindner: „Das ist solide.“", [],  # the verb second, its subject after it
     [("Das ist solide.", "Christian Lindner")]),
    ("de", "»Das ist ein guter Tag«, sagte Ursula von der Leyen in Brüssel.", [],  # reversed guillemets; a name's particles
     [("Das ist ein guter Tag", "Ursula von der Leyen")]),
    ("es", "«Es un presupuesto para la mayoría», dijo Pedro Sánchez en el Congreso.", [],
     [("Es un presupuesto para la mayoría", "Pedro Sánchez")]),
    ("es", "Según Yolanda Díaz, «la reforma laboral funciona».", [], [("la reforma laboral funciona", "Yolanda Díaz")]),
    ("it", "«Non ci saranno nuove tasse», ha detto Giorgia Meloni ai giornalisti.", [],
     [("Non ci saranno nuove tasse", "Giorgia Meloni")]),
    ("pt", "“O Brasil vai crescer”, disse Lula em Brasília.", [], [("O Brasil vai crescer", "Lula")]),
    ("nl", "„We gaan de lasten verlagen”, zei Dick Schoof dinsdag.", [], [("We gaan de lasten verlagen", "Dick Schoof")]),
    ("ru", "«Мы не будем отвечать на провокации», — заявил Дмитрий Песков журналистам.", [],  # the dash before the verb
     [("Мы не будем отвечать на провокации", "Дмитрий Песков")]),
    ("zh", "王毅表示：“中方愿同各方加强合作。”", [("王毅", "PERSON")], [("中方愿同各方加强合作。", "王毅")]),
    ("zh", "“我们反对任何形式的霸凌，”王毅说。", [("王毅", "PERSON")], [("我们反对任何形式的霸凌", "王毅")]),
    ("zh", "外交部发言人表示：「台湾是中国的一部分。」", [("外交部", "ORG")], [("台湾是中国的一部分。", None)]),  # a spokesperson, not named
    ("zh", "王毅表示中方“坚决反对任何形式的干涉”。", [("王毅", "PERSON")], [("坚决反对任何形式的干涉", "王毅")]),  # the verb touches the next word
    ("es", "Dijo López Obrador: «Vamos a ganar la elección».", [], [("Vamos a ganar la elección", "López Obrador")]),  # verb first
]
# the speech verb or "according to" each case's quote is attributed by, as written
CUES = ["a déclaré", "a répondu", "Selon", "sagte", "sagte", "sagte", "sagte", "dijo", "Según", "ha detto", "disse", "zei", "заявил",
        "表示", "说", "表示", "表示", "Dijo"]


@pytest.mark.parametrize(("lang", "text", "names", "want"), CASES)
def test_the_speaker_of_a_quote_in_each_language(lang, text, names, want):
    assert speakers(HEAD + text, lang, *names) == want


def test_an_attribution_to_someone_not_named_keeps_the_quote_without_a_speaker():
    text = HEAD + "« La situation est grave », a déclaré le ministre de l'Intérieur."
    assert speakers(text, "fr") == [("La situation est grave", None)]
    text = HEAD + "„Die Lage ist ernst“, sagte der Minister."
    assert speakers(text, "de") == [("Die Lage ist ernst", None)]


@pytest.mark.parametrize(("lang", "text", "names", "speaker"), [
    ("es", "«No podemos esperar otro invierno», dijo la alcaldesa María López durante la sesión.", [], "María López"),
    ("es", "«Es el momento», dijo el presidente Gustavo Petro.", [], "Gustavo Petro"),
    ("it", "«Non possiamo aspettare», ha detto il ministro Giancarlo Giorgetti.", [], "Giancarlo Giorgetti"),
    ("pt", "“Não podemos esperar”, disse o presidente Luiz Inácio Lula da Silva.", [], "Luiz Inácio Lula da Silva"),
    ("nl", "„We kunnen niet wachten”, zei de minister Sigrid Kaag.", [], "Sigrid Kaag"),
    ("de", "„Wir können nicht warten“, sagte der Bundeskanzler Olaf Scholz.", [], "Olaf Scholz"),
    ("fr", "« Nous ne pouvons pas attendre », a déclaré le Premier ministre Michel Barnier.", [("Michel Barnier", "PERSON")],
     "Michel Barnier"),
    # a role alone, or followed by a day, a place, a preposition or a surname alone, names no one
    ("es", "«Es el momento», dijo el presidente.", [], None),
    ("es", "«Es el momento», dijo el ministro en Tegucigalpa.", [], None),
    ("es", "«Es el momento», dijo el presidente Petro.", [], None),
    ("de", "„Wir können nicht warten“, sagte der Minister am Montag.", [], None),
    ("fr", "« Nous ne pouvons pas attendre », a dit le ministre devant Emmanuel Macron.", [("Emmanuel Macron", "PERSON")], None),
])
def test_a_role_after_the_verb_speaks_by_the_full_name_that_follows_it(lang, text, names, speaker):
    quoted = speakers(HEAD + text, lang, *names)
    assert len(quoted) == 1 and quoted[0][1] == speaker


def test_a_common_noun_with_its_article_is_not_a_speaker():
    # German writes every noun with a capital: "Die Regierung" is not a person's name
    text = HEAD + "Die Regierung erklärte: „Wir prüfen den Vorschlag.“"
    assert speakers(text, "de") == [("Wir prüfen den Vorschlag.", None)]
    text = HEAD + "El Gobierno dijo: «Estudiaremos la propuesta»."
    assert speakers(text, "es") == [("Estudiaremos la propuesta", None)]


def test_a_pronoun_is_the_one_person_who_spoke_and_no_one_when_two_did():
    one = HEAD + "« Nous tiendrons », a déclaré Michel Barnier.\n\n« Nous verrons », a-t-il ajouté."
    assert speakers(one, "fr", ("Michel Barnier", "PERSON"))[1] == ("Nous verrons", "Michel Barnier")
    two = HEAD + "« Nous tiendrons », a déclaré Michel Barnier.\n\nSelon Marine Le Pen, « il tombera ».\n\n« Nous verrons », a-t-il ajouté."
    assert speakers(two, "fr", ("Michel Barnier", "PERSON"), ("Marine Le Pen", "PERSON"))[2] == ("Nous verrons", None)
    german = HEAD + "„Wir bleiben dabei“, sagte Scholz.\n\n„Das gilt auch morgen“, fügte er hinzu."
    assert speakers(german, "de")[1] == ("Das gilt auch morgen", "Scholz")


def test_scare_quotes_and_headline_quotes_are_not_speech():
    text = "Le « casse du siècle » au Louvre\n\nLes enquêteurs parlent d'un « fiasco » pour le musée."
    assert speakers(text, "fr") == []
    # the same headline quote, attributed, is speech
    said = "Macron : « Nous ne céderons pas »\n\nLe président s'est exprimé lundi soir."
    assert speakers(said, "fr", ("Macron", "PERSON")) == []  # a colon alone names no verb: not read as speech
    attributed = "« Nous ne céderons pas », a déclaré Macron\n\nLe président s'est exprimé lundi soir."
    assert speakers(attributed, "fr", ("Macron", "PERSON")) == [("Nous ne céderons pas", "Macron")]


def test_a_place_never_speaks():
    text = HEAD + "„Wir öffnen die Grenzen“, sagte Berlin am Montag."  # a capital city for its government: no one named
    assert speakers(text, "de") == [("Wir öffnen die Grenzen", None)]
    text = HEAD + "« Nous ouvrons les frontières », a déclaré Paris."
    assert speakers(text, "fr", ("Paris", "GPE")) == [("Nous ouvrons les frontières", None)]


@pytest.mark.slow
def test_french_and_german_articles_get_their_quotes_through_ingest_and_enrich(tmp_path):
    export = tmp_path / "europe.jsonl"
    records = [
        {"title": "Le gouvernement défend sa réforme", "date": "2026-11-26T10:00:00+01:00",
         "text": "Le Premier ministre a défendu jeudi sa réforme des retraites devant l'Assemblée nationale.\n\n"
                 "« Nous ne reculerons pas sur l'essentiel », a déclaré Michel Barnier devant les députés réunis."},
        {"title": "Regierung verteidigt den Haushalt", "date": "2026-11-26T11:00:00+01:00",
         "text": "Der Bundeskanzler hat den Haushalt am Donnerstag im Bundestag gegen die Kritik der Opposition verteidigt.\n\n"
                 "„Wir werden die Schuldenbremse auch im kommenden Jahr einhalten“, sagte Olaf Scholz am Donnerstag."},
    ]
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "news.duckdb"
    assert cli("ingest", export, "--db", db, "--quiet") == 0
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.sql("SELECT a.lang, q.speaker_text, e.name FROM quotes q JOIN articles a ON a.id = q.article_id "
                         "LEFT JOIN entities e ON e.id = q.speaker_id ORDER BY a.lang").fetchall()
    # no model reads German here: the name the speech verb vouches for is the speaker's entity, with its mention
    assert stored == [("de", "Olaf Scholz", "Olaf Scholz"), ("fr", "Michel Barnier", "Michel Barnier")]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("SELECT e.type, count(*) FROM entities e JOIN mentions m ON m.entity_id = e.id "
                       "WHERE e.name = 'Olaf Scholz' GROUP BY 1").fetchall() == [("PERSON", 1)]
    assert cli("check", "--db", db) == 0


def test_a_subject_before_its_relative_clause_speaks():
    text = HEAD + "François Hollande, qui a été applaudi par les harkis présents, a soutenu que « la France a manqué à sa promesse »."
    assert speakers(text, "fr", ("François Hollande", "PERSON")) == [("la France a manqué à sa promesse", "François Hollande")]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Die Versorgung sei gesichert, „wir beobachten die Lage sehr genau“, so Regierungssprecher Seibert.", "Seibert"),
    ("„Wir handeln jetzt“, sagte Gesundheitsministerin Karin Prien.", "Karin Prien"),  # a first name ending like a title's "-in"
])
def test_a_german_title_before_a_name_is_not_part_of_it(text, speaker):
    assert [q.speaker for q in find_quotes(HEAD + text, [], "de")] == [speaker]


def test_a_verb_with_its_subject_left_out_is_the_one_person_who_spoke():
    # Spanish, Italian and Portuguese leave out a subject the reader knows: '"...", señaló.'
    text = HEAD + "«Es un buen presupuesto», dijo Pedro Sánchez.\n\n«Lo aprobaremos en enero», señaló."
    assert speakers(text, "es")[1] == ("Lo aprobaremos en enero", "Pedro Sánchez")
    first = HEAD + "«Lo aprobaremos en enero», señaló."  # no one has spoken yet: no one
    assert speakers(first, "es") == [("Lo aprobaremos en enero", None)]


def test_a_short_unattributed_quote_or_a_title_is_not_speech():
    text = HEAD + "La reportera del periódico \"El Financiero\" pidió la opinión del Presidente sobre «La Mañanera de Hoy»."
    assert speakers(text, "es") == []


def test_a_speaker_no_model_tagged_is_a_person_or_by_its_name_an_organisation():
    quotes = find_quotes(HEAD + "„Die Zahlen sind gut“, sagte Olaf Scholz.\n\n„Wir investieren“, teilte Siemens AG mit.", [], "de")
    assert [(q.speaker, q.speaker_label) for q in quotes] == [("Olaf Scholz", "PERSON"), ("Siemens AG", "ORG")]


def test_a_russian_name_after_according_to_is_in_the_genitive_and_makes_no_entity():
    quotes, named = find_quotes_and_speakers(HEAD + "По словам Сергея Лаврова, «переговоры возможны».", [], "ru")
    assert [(q.text, q.speaker) for q in quotes] == [("переговоры возможны", "Сергея Лаврова")] and named == []
    quotes, named = find_quotes_and_speakers(HEAD + "«Переговоры возможны», — заявил Сергей Лавров.", [], "ru")
    assert [m.name for m in named] == ["Сергей Лавров"]


@pytest.mark.parametrize(("case", "cue"), list(zip(CASES, CUES, strict=True)))
def test_each_quote_keeps_its_place_its_speakers_type_and_its_verb(case, cue):
    lang, text, names, _ = case
    article = HEAD + text
    (quote,), named = find_quotes_and_speakers(article, mentions_of(article, *names), lang)
    assert article[quote.start : quote.end] == quote.text and quote.cue == cue
    given = dict(names)
    assert quote.speaker_label == (given.get(quote.speaker, "PERSON") if quote.speaker else None)
    if names:  # the model's names: no other mention made
        assert named == []
    else:  # a language no model reads: the speaker's mention is where the name is written
        assert [(article[m.start : m.end], m.text, m.name, m.label) for m in named] == [(quote.speaker,) * 3 + ("PERSON",)]


def test_a_pronoun_written_with_a_capital_is_the_one_person_who_spoke():
    text = HEAD + "„Wir bleiben dabei“, sagte Scholz.\n\nEr sagte: „Das gilt auch morgen.“"
    assert [(q.speaker, q.speaker_label, q.cue) for q in find_quotes(text, [], "de")] == [
        ("Scholz", "PERSON", "sagte"), ("Scholz", "PERSON", "sagte")]
    nobody = HEAD + "Er sagte: „Das gilt auch morgen.“"
    assert [(q.speaker, q.speaker_label, q.cue) for q in find_quotes(nobody, [], "de")] == [(None, None, "sagte")]


def test_a_sentence_after_a_quoted_sentence_starts_after_it():
    text = HEAD + "„Wir bleiben dabei.“ Das sagte Merz am Montag. Scholz sagte: „Wir auch.“"
    assert speakers(text, "de")[-1] == ("Wir auch.", "Scholz")


def test_an_article_of_one_paragraph_has_no_headline_to_skip():
    assert speakers("« Nous allons voir ce qui se passera demain »", "fr") == [("Nous allons voir ce qui se passera demain", None)]
    long_first = "Le gouvernement " * 20 + "« nous allons voir ce qui se passera »\n\nSuite."  # over 300 characters: a body
    assert speakers(long_first, "fr") == [("nous allons voir ce qui se passera", None)]


def test_chinese_quotes_count_their_words_by_characters():
    assert speakers(HEAD + "这是所谓的“双赢”局面。", "zh") == []  # two characters, attributed to no one: a scare quote
    assert speakers(HEAD + "报道说“这是一次非常重要的历史性会谈”。", "zh") == [("这是一次非常重要的历史性会谈", None)]


def test_an_organisation_that_spoke_is_no_one_a_pronoun_stands_for():
    text = HEAD + "„Wir investieren“, teilte Siemens AG mit.\n\n„Wir wachsen“, sagte er."
    assert [q.speaker for q in find_quotes(text, [], "de")] == ["Siemens AG", None]


def test_a_quote_given_to_the_one_who_spoke_or_to_no_one_named_keeps_its_verb():
    quotes = find_quotes(HEAD + "„Wir bleiben“, sagte Scholz.\n\n„Das gilt“, fügte er hinzu.\n\n„Gut so“, er sagte.\n\n"
                         "„Nein“, sagte der Minister.", [], "de")
    assert [(q.speaker, q.cue) for q in quotes] == [("Scholz", "sagte"), ("Scholz", "fügte"), ("Scholz", "sagte"), (None, "sagte")]
    spanish = find_quotes(HEAD + "«Es un buen presupuesto», dijo Pedro Sánchez.\n\n«Lo aprobaremos en enero», señaló.", [], "es")
    assert [(q.speaker, q.cue) for q in spanish] == [("Pedro Sánchez", "dijo"), ("Pedro Sánchez", "señaló")]


def test_a_chinese_quote_of_six_characters_is_three_words_and_more_is_speech():
    assert speakers(HEAD + "这是所谓的“合作共赢”局面。", "zh") == []  # four characters: two words
    assert speakers(HEAD + "这是所谓的“合作共赢新模式吧”局面。", "zh") == [("合作共赢新模式吧", None)]  # eight: four words


def test_a_surname_that_spoke_is_the_full_name_the_article_gives():
    text = HEAD + "«Vamos a ganar», dijo Andrés Manuel López Obrador.\n\n«Muchas felicidades», refirió hoy López Obrador."
    quotes, named = find_quotes_and_speakers(text, [], "es")
    assert [q.speaker for q in quotes] == ["Andrés Manuel López Obrador"] * 2
    assert [(m.text, m.name) for m in named] == [("Andrés Manuel López Obrador",) * 2, ("López Obrador", "Andrés Manuel López Obrador")]
    two = HEAD + "„Ja“, sagte Olaf Scholz.\n\n„Nein“, sagte Hilde Scholz.\n\n„Vielleicht“, sagte Scholz."  # two: no telling
    assert [q.speaker for q in find_quotes(two, [], "de")] == ["Olaf Scholz", "Hilde Scholz", "Scholz"]


def test_a_verb_with_no_subject_is_no_one_in_a_language_that_names_its_subjects():
    # Russian and German write the subject (Spanish, Italian and Portuguese may leave it out): no one is guessed
    text = HEAD + "«Мы не будем отвечать», — заявил Дмитрий Песков.\n\n«Это провокация», — заявил журналистам."
    assert speakers(text, "ru") == [("Мы не будем отвечать", "Дмитрий Песков"), ("Это провокация", None)]


def test_a_chinese_speaker_after_the_comma_that_follows_a_quote():
    text = HEAD + "“我们反对任何形式的霸凌”，王毅说。"
    assert speakers(text, "zh", ("王毅", "PERSON")) == [("我们反对任何形式的霸凌", "王毅")]
