"""The pinned spaCy pipeline is an unmodified copy of the official en_core_web_sm 3.8.0."""

import json
from importlib import import_module
from pathlib import Path

import spacy

from dashboard import config


def test_pinned_pipeline_matches_the_official_release():
    package = import_module(config.spacy_model())
    folder = next(p for p in Path(package.__file__).parent.iterdir() if p.is_dir() and (p / "meta.json").exists())
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["version"] == "3.8.0"
    assert meta["lang"] == "en"
    assert meta["spacy_git_version"] == "5010fcbd3"  # the official 3.8.0 build
    assert meta["pipeline"] == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert round(meta["performance"]["ents_f"], 3) == 0.843
    assert spacy.util.is_compatible_version(spacy.__version__, meta["spacy_version"])
