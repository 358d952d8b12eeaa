"""Direct quotes in French, German, Spanish, Italian, Portuguese, Dutch, Russian and Chinese.

The English rules (`quotes.py`) read English conventions: curly and straight double marks, and a
long list of English speech verbs around them. Other languages mark speech otherwise: « » in
French, Spanish, Italian, Portuguese and Russian, „ “ and » « in German, 「」 and “” in Chinese,
and name the speaker with their own verbs (``a déclaré``, ``sagte``, ``dijo``, ``ha detto``,
``disse``, ``zei``, ``заявил``, ``表示``), often after the quote and before the name (``« ... », a
déclaré Michel Barnier``, ``„...“, sagte Scholz``, ``«...», — сказал Путин``), or before it with
a colon (``Friedrich Merz sagte: „...“``, ``王毅表示：“...”``), or by "according to" (``Selon
Marine Le Pen, « ... »``, ``laut Scholz``, ``según``, ``secondo``, ``по словам``).

So this reads only the patterns every wire service of those languages writes, and leaves the rest
without a speaker (None), as the English rules do: never a guess. The speaker is the person or
organisation the model tagged right there (French: spaCy's model; Chinese: jieba), else, where no
model reads the language (German, Spanish, Italian, Portuguese, Dutch, Russian), the run of
capitalised words right next to the verb (``sagte Olaf Scholz am Donnerstag``: Olaf Scholz), never
a place the gazetteer knows, nor a common noun with its article (``Die Regierung erklärte``) or a role
(``sagte der Minister``) unless the role's full name follows it (``dijo la alcaldesa María López``, ``a
déclaré le Premier ministre Michel Barnier``: an article and at most one lowercase word, then two names or
more); such a name becomes a mention (a person, or an organisation when its name
says so), and a surname takes the one full name its article gives a speaker. A pronoun (``a-t-il
ajouté``, ``sagte er``, ``他说``), and the subject Spanish, Italian and Portuguese leave out
(``"...", señaló.``), is the one person who has spoken in the article, and no one once two have: the
rules know no genders. Up to three quoted words, a title in capitals and any quote in the headline
count only when attributed: headlines and running text use marks for titles and scare quotes too.

No gold corpus in these languages is at hand: on two real French and three real Spanish news pages
the rules were not written on, 11 speakers were given and none was wrong; about half the quotes
there kept no speaker (a role instead of a name, an infinitive: ``préfère répondre : « ... »``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dashboard.nlp.entities import Mention
from dashboard.nlp.names import is_known_place
from dashboard.nlp.quotes import SPEAKER_LABELS, Quote

LANGUAGES = ("fr", "de", "es", "it", "pt", "nl", "ru", "zh")

# Opening and closing marks: French/Spanish/Italian/Portuguese/Russian guillemets, German low-high marks and
# reversed guillemets, curly and straight English marks (used everywhere online), Chinese and Japanese corner brackets
_QUOTED = re.compile(r"«\s*([^«»]+?)\s*»|„([^„“”]+)[“”]|»([^«»]+)«|“([^“”]+)”|\"([^\"\n]+)\"|「([^「」]+)」|『([^『』]+)』")

# Speech verbs, as they are written right next to a quote (a past participle after its auxiliary included)
_VERBS = {
    "fr": r"(?:a|ont|avait|avaient)(?:-t-(?:il|elle|ils|elles|on))?\s+(?:\w+\s+)?(?:dit|déclaré|affirmé|ajouté|expliqué|estimé|"
          r"souligné|indiqué|assuré|précisé|répondu|lancé|martelé|insisté|averti|reconnu|confié|rappelé|poursuivi|dénoncé|"
          r"jugé|écrit|annoncé|prévenu|commenté|tweeté|raconté|regretté|déploré|résumé|conclu|admis|protesté|plaidé|ironisé|"
          r"fustigé|tranché|réagi|confirmé|observé|noté|promis|menacé|relevé|nuancé|soutenu|demandé|interrogé|répliqué)"
          r"|(?:dit|déclare|affirme|ajoute|explique|estime|souligne|indique|assure|précise|répond|lance|martèle|insiste|"
          r"avertit|reconnaît|confie|rappelle|poursuit|dénonce|juge|écrit|annonce|prévient|commente|raconte|regrette|"
          r"déplore|résume|conclut|admet|proteste|plaide|ironise|fustige|tranche|réagit|confirme|observe|note|promet|soutient|demande|"
          r"interroge|réplique|"
          r"s'exclame|s'interroge|s'inquiète|s'indigne|s'est\s+exclamé|s'est\s+interrogé|s'est\s+inquiété|s'est\s+indigné)"
          r"(?:-t-(?:il|elle|ils|elles|on)|-(?:il|elle|ils|elles|on))?",
    "de": r"(?:sagte|sagt|sagten|erklärte|erklärt|betonte|betont|meinte|meint|schrieb|schreibt|warnte|warnt|kritisierte|"
          r"kritisiert|forderte|fordert|ergänzte|ergänzt|fügte|versicherte|versichert|räumte|teilte|antwortete|antwortet|"
          r"entgegnete|unterstrich|bekräftigte|mahnte|mahnt|twitterte|sprach|spricht|erklärten|betonten|so)",
    "es": r"(?:dijo|dice|afirmó|afirma|declaró|declara|aseguró|asegura|explicó|explica|señaló|señala|indicó|indica|añadió|"
          r"añade|agregó|agrega|advirtió|advierte|sostuvo|sostiene|manifestó|subrayó|destacó|insistió|reconoció|apuntó|"
          r"comentó|escribió|expresó|respondió|precisó|afirmaron|dijeron|ha dicho|ha afirmado|ha declarado|ha explicado|refirió|"
          r"aseveró|preguntó|mencionó|recalcó|enfatizó|puntualizó|sentenció|remarcó|consideró|opinó|admitió|contestó|replicó|"
          r"cuestionó|externó|lamentó|denunció|reiteró|anunció|prometió|aclaró|concluyó)",
    "it": r"(?:ha|hanno|aveva)\s+(?:detto|dichiarato|affermato|spiegato|aggiunto|sottolineato|commentato|scritto|ribadito|"
          r"assicurato|annunciato|precisato|risposto|osservato|avvertito|concluso|replicato|chiesto|commentato|insistito|"
          r"ammesso|attaccato|evidenziato|rimarcato)"
          r"|(?:dice|dichiara|afferma|spiega|aggiunge|sottolinea|commenta|scrive|ribadisce|assicura|annuncia|precisa|risponde|"
          r"osserva|avverte|conclude|disse)",
    "pt": r"(?:disse|diz|afirmou|afirma|declarou|declara|explicou|explica|acrescentou|acrescenta|ressaltou|destacou|"
          r"garantiu|garante|escreveu|respondeu|sublinhou|frisou|salientou|afirmaram|disseram|avisou|alertou|completou|pontuou|"
          r"avaliou|questionou|perguntou|comentou|reforçou|declarou|lamentou|anunciou|prometeu|concluiu)",
    "nl": r"(?:zei|zegt|zeiden|verklaarde|verklaart|stelde|stelt|aldus|schreef|schrijft|benadrukte|benadrukt|meldde|"
          r"waarschuwde|antwoordde|reageerde|liet\s+\w+\s+weten|voegde)",
    "ru": r"(?:сказал|сказала|сказали|заявил|заявила|заявили|отметил|отметила|подчеркнул|подчеркнула|добавил|добавила|"
          r"пояснил|пояснила|написал|написала|сообщил|сообщила|считает|говорит|признал|признала|ответил|ответила)",
    "zh": r"(?:说道|说|說道|說|表示|称|稱|指出|强调|強調|认为|認為|透露|坦言|直言|回应|回應|宣布|警告|补充|補充|告诉|告訴|"
          r"写道|寫道|问道|問道|声称|聲稱|重申|提到|呼吁|呼籲)",
}
# "Selon X, « ... »", "laut Scholz „...“": the name follows
_ACCORDING = {
    "fr": r"(?:[Ss]elon|[Dd]'après|[Dd]’après)", "de": r"(?:[Ll]aut|[Zz]ufolge)", "es": r"(?:[Ss]egún)", "it": r"(?:[Ss]econdo)",
    "pt": r"(?:[Ss]egundo|[Dd]e acordo com)", "nl": r"(?:[Vv]olgens)", "ru": r"(?:[Пп]о словам)", "zh": r"(?:据|據|根据|根據)",
}
_PRONOUNS = {
    "fr": r"(?:il|elle)", "de": r"(?:er|sie)", "es": r"(?:él|ella)", "it": r"(?:lui|lei)", "pt": r"(?:ele|ela)",
    "nl": r"(?:hij|zij|ze)", "ru": r"(?:он|она)", "zh": r"(?:他|她)",
}
_ARTICLES = {"Le", "La", "Les", "Un", "Une", "Der", "Die", "Das", "Ein", "Eine", "El", "Los", "Las", "Lo", "Gli", "Una", "Uno",
             "Os", "As", "Um", "Uma", "Het", "Een"}
# Words written with a capital that are not names: articles, pronouns, sentence openers, days, months, titles
_NOT_NAME = _ARTICLES | {
    "Il", "Elle", "Er", "Sie", "Ele", "Ela", "De", "Hij", "Zij", "Ze", "Он", "Она",
    "Am", "Im", "Auf", "In", "Nach", "Vor", "Bei", "Mit", "Zum", "Zur", "Dazu", "Dann", "Später", "Heute", "Gestern", "Auch",
    "En", "Este", "Esta", "Tras", "Ayer", "Hoy", "Ieri", "Oggi", "Ontem", "Hoje", "Gisteren", "Vandaag", "Вчера", "Сегодня",
    "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag", "Januar", "Februar", "März", "April",
    "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember", "Morgen", "Abend", "Mittag", "Ende",
    "Anfang", "Interview", "Sender", "Zeitung", "Rande", "Rede", "Pressekonferenz", "Wochenende",
}
_LOWER_ARTICLES = {a.lower() for a in _ARTICLES} | {"den", "dem", "des", "einen", "einem", "il", "i", "l'", "l’", "o", "a"}
_GERMAN_ROLE = re.compile(r"(?:sprecher|minister|kanzler|chef|präsident|vorsitzender?|politiker|abgeordneter?|experte|leiter|"
                          r"direktor|sekretär|meister|gouverneur|botschafter|ökonom|analyst|beauftragter?|trainer|"
                          r"kommissar|richter|anwalt|berater|forscher)(?:in)?$", re.I)  # "Regierungssprecherin", not "Karin"
# Words that make a name an organisation's ("Siemens AG", "Deutsche Bank", "Partido Popular"): a speaker no model tagged
# is a person otherwise, as speech verbs mostly have people for subjects
_ORGANISATION = re.compile(r"\b(?:AG|GmbH|SE|SA|S\.A\.|SpA|S\.p\.A\.|NV|BV|Ltda?|Inc|Bank|Banco|Banca|Partei|Partido|Partito|"
                           r"Ministerium|Ministerio|Ministero|Ministério|Gruppe|Grupo|Gruppo|Verband|Union|Unión|Kommission|"
                           r"Comisión|Commissione|Polizei|Policía|Polizia|Polícia|Universität|Universidad|Università|"
                           r"Universidade|Institut|Instituto|Istituto|Regierung|Gobierno|Governo|Agentur|Agencia|Agenzia)\b")
_PARTICLES = r"(?:von|van|der|den|de|del|della|di|da|dos|das|du|le|la|ter|ten|zu)"
_CAP = r"(?![a-zà-ÿа-яёß])[^\W\d_][\w’'-]*"  # a word with a capital first letter (Latin, Greek, Cyrillic)
_NAME_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_PARTICLES}\s+)*{_CAP}){{0,3}}")
_RELATIVE = re.compile(r"\s*,\s*(?:qui|dont|que|der|die|das|quien|que|che|cui|die|dat|который|которая|которые)\b[^,«»„“”\"]*,\s*")
_SENTENCE_END = re.compile(r"[.!?。！？]\s+|[。！？]")
_PRO_DROP = {"es", "it", "pt"}  # languages that leave a known subject out: "señaló", "ha detto", "disse"
_MODELLED = {"fr", "zh"}  # languages a model tags names in: only its names speak
_FILLER = re.compile(r"(?:\s*(?:[a-zà-ÿа-яё][\w’'-]*|am|im)){0,3}\s*")  # "a déclaré jeudi soir Michel Barnier", "sagte am Montag Scholz"
MAX_AFTER = 120  # characters after a closing mark where its attribution is looked for
MAX_SCARE_WORDS = 3  # a quote this short, unattributed, is a title or a scare quote ("El Financiero", « fiasco »)
MAX_TITLE_WORDS = 8  # an unattributed quote of capitalised words up to this long is a title
MAX_HEADLINE = 300  # a first paragraph longer than this is the body, not a headline


@dataclass(frozen=True)
class _Said:
    speaker: str | None
    label: str | None
    cue: str
    named_at: Mention | None = None  # where a name no model tagged was read (a language without a model)


class _Reader:
    """The speakers one article's text and mentions allow, for one language."""

    def __init__(self, text: str, mentions: Sequence[Mention], lang: str) -> None:
        self.text = text
        self.lang = lang
        self.speakers = sorted((m for m in mentions if m.label in SPEAKER_LABELS), key=lambda m: m.start)
        verb, pronoun = _VERBS[lang], _PRONOUNS[lang]
        lead = r"\s*[,，:：]?\s*(?:[—–-]\s*)?"  # '», a déclaré', '», — сказал' (Russian's dash), '”，王毅说'
        gap = "" if lang == "zh" else r"\b"  # no spaces between Chinese words: the verb may touch the name
        self.pronoun = re.compile(rf"\s*{pronoun}\s*", re.I)
        # after a quote the verb is written small; before it, it may open the sentence ("Dijo López Obrador:")
        self.after_verb = re.compile(rf"{lead}(?P<cue>{verb}){gap}(?:\s*(?P<pronoun>{pronoun})\b)?")
        self.after_name = re.compile(rf"{lead}(?P<who>[^,，:：«»„“”\"「」]{{1,40}}?)\s*(?P<cue>{verb}){gap}")
        self.before_verb = re.compile(rf"(?P<cue>{verb}){gap}(?P<rest>[^.!?。！？:：«»„“”\"「」]{{0,40}}?)[:：,，]?\s*$", re.I)
        self.according = re.compile(  # "Volgens Frans Timmermans is „...”": a short verb may follow the name
            rf"(?P<cue>{_ACCORDING[lang]})\s*(?P<who>[^,，:：]{{1,60}}?)\s*(?:\s[a-zà-ÿ]\w{{0,5}})?\s*[,，:：]?\s*$")
        self.people: list[str] = []  # the named people who have spoken, in order

    def named(self, start: int, end: int, whole: bool) -> _Said | None:
        """The person or organisation text[start:end] names: the model's mention there, else (in a language no
        model reads) a run of capitals. `whole`: the span must be nothing but the name."""
        raw = self.text[start:end]
        span = raw.strip(" ,，")
        for m in self.speakers:
            near = len(span) - len(m.text) <= 2 if whole else len(self.text[start : m.start].split()) <= 3
            if m.start >= start and m.end <= end and near:
                return _Said(m.name, m.label, "")
        if self.lang in _MODELLED:
            return None
        at = start + len(raw) - len(raw.lstrip(" ,，"))
        run = _NAME_RUN.fullmatch(self.text, at, at + len(span)) if whole else _NAME_RUN.match(self.text, at, at + len(span))
        if run is None:
            return None
        words = run.group().split()
        if words[0] in _ARTICLES:
            return None  # "Die Opposition sagte", "El Gobierno dijo": a noun, not a name
        while words and words[0] in _NOT_NAME:
            words.pop(0)
        if self.lang == "de" and words and _GERMAN_ROLE.search(words[0]):
            words.pop(0)  # "Bundeskanzler Olaf Scholz", "Regierungssprecher Seibert": a German title is a capitalised noun
        name = " ".join(words)
        if not name or len(name) < 3 or is_known_place(name):
            return None
        name_start = self.text.index(words[0], run.start())
        label = "ORG" if _ORGANISATION.search(name) else "PERSON"
        return _Said(name, label, "", Mention(name_start, run.end(), self.text[name_start : run.end()], name, label))

    def said(self, found: _Said | None, cue: str) -> _Said:
        return replace(found, cue=cue) if found else _Said(None, None, cue)

    def after(self, close: int) -> _Said | None:
        """`« ... », a déclaré Michel Barnier`, `„...“, sagte er`, `“……”王毅说`."""
        window = self.text[close : close + MAX_AFTER]
        end = _SENTENCE_END.search(window)
        window = window[: end.start() if end else len(window)]
        verb = self.after_verb.match(window)
        if verb:
            cue = verb.group("cue")
            if verb.group("pronoun") or re.search(r"-t-(?:il|elle)\b", cue):
                return self.spoken_again(cue)
            filler = _FILLER.match(window, verb.end())  # lowercase words, or none (always in Chinese)
            assert filler is not None  # it may match nothing
            if _LOWER_ARTICLES.intersection(words := filler.group().split()):
                return self.said(self._holder(words, close + filler.end(), close + len(window)), cue)
            found = self.named(close + filler.end(), close + len(window), whole=False)
            if found is None and self.lang in _PRO_DROP and not re.search(_CAP, window[verb.end() :]):
                return self.spoken_again(cue)  # '"...", señaló.': the subject left out, as these languages do
            return self.said(found, cue)  # none named: "a déclaré le ministre"
        named = self.after_name.match(window)
        if named:
            if self.pronoun.fullmatch(named.group("who")):
                return self.spoken_again(named.group("cue"))
            found = self.named(close + named.start("who"), close + named.end("who"), whole=True)
            if found is not None:
                return self.said(found, named.group("cue"))
        return None

    def _holder(self, role: list[str], start: int, end: int) -> _Said | None:
        """Who holds the role the words `role` give after a verb: the full name right after an article and a
        role ("dijo la alcaldesa María López", "sagte der Bundeskanzler Olaf Scholz"), else no one. A role
        alone ("sagte der Minister", "dijo el presidente") names no one, nor does one followed by a day, a
        place or a preposition ("a dit le ministre devant Emmanuel Macron": three words), nor a surname alone."""
        if len(role) > 2 or role[0] not in _LOWER_ARTICLES:
            return None
        found = self.named(start, end, whole=False)
        return found if found and found.speaker and len(found.speaker.split()) >= 2 else None

    def before(self, sentence_start: int, open_at: int) -> _Said | None:
        """`Friedrich Merz sagte: „...“`, `Am Montag sagte Merz: „...“`, `Selon Marine Le Pen, « ... »`, `王毅表示：“...”`."""
        head = self.text[sentence_start:open_at]
        according = self.according.search(head)
        if according:
            found = self.named(sentence_start + according.start("who"), sentence_start + according.end("who"), whole=True)
            if found is not None and self.lang == "ru":  # "По словам Сергея Лаврова": the name in the genitive is no entity's
                found = replace(found, named_at=None)
            return self.said(found, according.group("cue")) if found else None
        verb = self.before_verb.search(head)
        if not verb:
            return None
        cue, rest = verb.group("cue"), verb.group("rest")
        if self.pronoun.fullmatch(head[: verb.start()]) or (rest and self.pronoun.match(rest)):
            return self.spoken_again(cue)
        inverted = self.named(sentence_start + verb.start("rest"), sentence_start + verb.end("rest"), whole=False) \
            if rest.strip() and self.lang not in _MODELLED else None
        if inverted is not None:  # "Am Montag sagte Merz:", the verb second and its subject after it
            return self.said(inverted, cue)
        return self.said(self._subject_before(sentence_start, sentence_start + verb.start()), cue)

    def _subject_before(self, start: int, verb_at: int) -> _Said | None:
        """The name that ends right before the verb ('Merz sagte', 'Cyrielle Chatelain, a répondu'), or
        before a relative clause that ends there ('François Hollande, qui a été applaudi ..., a soutenu')."""
        for m in reversed(self.speakers):
            between = self.text[m.end : verb_at]
            if start <= m.start and m.end <= verb_at and (not between.strip(" ,，") or _RELATIVE.fullmatch(between)):
                return _Said(m.name, m.label, "")
        if self.lang in _MODELLED:
            return None
        runs = list(_NAME_RUN.finditer(self.text, start, verb_at))
        if runs and not self.text[runs[-1].end() : verb_at].strip(" ,"):
            return self.named(runs[-1].start(), runs[-1].end(), whole=True)
        return None

    @property
    def last_person(self) -> str | None:
        """Who 'il', 'er', '他' is: the one person named as a speaker so far (`López Obrador` is `Andrés Manuel López
        Obrador`); with two, no telling (no genders here)."""
        if not self.people:
            return None
        fullest = max(self.people, key=len)
        return fullest if all(fullest.endswith(name) for name in self.people) else None

    def spoken_again(self, cue: str) -> _Said:
        """A pronoun's quote, or a quote whose subject the language leaves out: the one person who spoke, if one did."""
        person = self.last_person
        return _Said(person, "PERSON" if person else None, cue)

    def heard(self, said: _Said) -> None:
        if said.speaker and said.label != "ORG":
            self.people.append(said.speaker)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n\s*\n|\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentence_start(text: str, floor: int, at: int) -> int:
    """Where the sentence holding text[at] starts: after the last sentence end before it that is outside a quote."""
    start = floor
    for match in _SENTENCE_END.finditer(text, floor, at):
        if not re.search(r"[«„「『“]", text[match.end() : at]) or _QUOTED.search(text, match.end(), at):
            start = match.end()
    return start


def _title(quoted: str) -> bool:
    """A name of a work or an outlet: every word of four letters or more capitalised, few words, no sentence end."""
    long_words = [w for w in quoted.split() if len(w) >= 4]
    return len(quoted.split()) <= MAX_TITLE_WORDS and bool(long_words) and all(w[0].isupper() for w in long_words) \
        and not re.search(r"[.!?。！？]$", quoted.strip())


def _words(quoted: str) -> int:
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff]", quoted))
    return len(quoted.split()) + cjk // 2


def find_quotes(text: str, mentions: Sequence[Mention], lang: str) -> list[Quote]:
    """Every direct quotation in an article in `lang` (one of LANGUAGES), with its speaker or None."""
    return find_quotes_and_speakers(text, mentions, lang)[0]


def find_quotes_and_speakers(text: str, mentions: Sequence[Mention], lang: str) -> tuple[list[Quote], list[Mention]]:
    """The quotes, and the mentions of speakers no model tagged (in a language no model reads here, a name a
    speech verb vouches for): stored with the other mentions, they make the speaker an entity the pages can show."""
    reader = _Reader(text, mentions, lang)
    speakers: list[Mention] = []
    paragraphs = _paragraphs(text)
    headline = paragraphs[0] if len(paragraphs) > 1 and paragraphs[0][1] - paragraphs[0][0] <= MAX_HEADLINE else None
    quotes: list[Quote] = []
    for p_start, p_end in paragraphs:
        for match in _QUOTED.finditer(text, p_start, p_end):
            group = next(g for g in range(1, match.re.groups + 1) if match.group(g) is not None)
            start, end = match.start(group), match.end(group)
            while end > start and text[end - 1] in " ,，":
                end -= 1
            said = reader.after(match.end()) or reader.before(_sentence_start(text, p_start, match.start()), match.start())
            if said is None and ((p_start, p_end) == headline or _words(text[start:end]) <= MAX_SCARE_WORDS
                                 or _title(text[start:end])):
                continue  # a title, a scare quote, a headline's quote: not speech
            if said is not None:
                reader.heard(said)
                if said.named_at is not None:
                    speakers.append(said.named_at)
            quotes.append(Quote(start, end, text[start:end], said.speaker if said else None, said.label if said else None,
                                said.cue if said else None))
    return _in_full(quotes, speakers, mentions)


def _in_full(quotes: list[Quote], speakers: list[Mention], mentions: Sequence[Mention]) -> tuple[list[Quote], list[Mention]]:
    """Speakers read from the text under their full name where the article gives one and only one
    (`López Obrador` after `Andrés Manuel López Obrador`, `Scholz` after `Olaf Scholz`): one person, one entity."""
    people = {m.name for m in (*mentions, *speakers) if m.label == "PERSON"}

    def full(name: str | None) -> str | None:
        longer = {other for other in people if other.endswith(" " + name)} if name else set()
        return longer.pop() if len(longer) == 1 else name

    return ([replace(q, speaker=full(q.speaker)) for q in quotes],
            [replace(m, name=full(m.name) or m.name) for m in speakers])
