"""The topic model's rules one at a time, on matrices and texts small enough to work out by hand.

Each expected value is computed in the test's comment from the rule the function's docstring
states (a cosine, a Jaccard index, a count of documents), not read from the function's output.
These run in a second or two, so a change to nlp/topics.py is judged by them under mutation
testing rather than by tests that ingest a corpus.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from dashboard.nlp import topics
from dashboard.nlp.topics import OTHER_ID, Fit


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=float)
    return v / np.linalg.norm(v)


def at_cosine(c: float) -> np.ndarray:
    """A unit vector in the plane at cosine `c` to (1, 0)."""
    return np.array([c, math.sqrt(1 - c * c)])


# --- words --------------------------------------------------------------------------------------

def test_english_words_are_lower_case_letters_of_three_or_more_without_stop_words():
    # "The" and "said" are stop words; "Prime-Minister's" is two words (a hyphen or an apostrophe ends a
    # word) and the "s" is too short; "G7", "2024" and "ok_go" hold a digit or an underscore; "Übung" keeps its umlaut.
    words = topics.words_of("The Prime-Minister's office said G7 talks in 2024 ok_go were over. Übung ox", "en")
    assert words == ["prime", "minister", "office", "talks", "übung"]


def test_english_stop_words_are_english_and_newsroom_words():
    stop = topics.stop_words_of("en")
    assert {"the", "and", "said", "reuters", "percent", "monday"} <= stop
    assert "oil" not in stop and "taiwan" not in stop


def test_other_languages_drop_their_own_and_english_stop_words():
    stop = topics.stop_words_of("de")
    assert {"und", "der", "die"} <= stop  # spaCy's German list
    assert {"the", "said"} <= stop  # English quoted in a German article
    assert "表示" not in stop  # Chinese newsroom words only for Chinese
    assert topics.words_of("Die Regierung und der Kanzler said the Haushalt", "de") == ["regierung", "kanzler", "haushalt"]


def test_chinese_words_are_segmented_simplified_and_of_two_characters_or_more():
    stop = topics.stop_words_of("zh")
    assert {"表示", "记者", "the", "said"} <= stop  # the Chinese newsroom list, and English's
    words = topics.words_of("台積電表示，Nvidia將在美國擴大投資。", "zh")
    assert "表示" not in words and "将" not in words  # stop words (the second one a single character as well)
    assert "投资" in words and "美国" in words  # traditional characters read as simplified
    assert "nvidia" in words  # a Latin word keeps the English rule
    assert all(len(w) >= 2 for w in words) and "，" not in words and "。" not in words


def test_analyze_cuts_by_the_language_of_the_text():
    assert topics.analyze("Oil prices rose sharply.") == ["oil", "prices", "rose", "sharply"]
    chinese = topics.analyze("美国总统今天宣布对中国商品加征关税，中国商务部表示坚决反对。")
    assert "关税" in chinese and "表示" not in chinese


def test_a_label_is_the_first_three_terms_or_other():
    assert topics.label_of(["oil", "opec", "crude", "barrel"]) == "oil · opec · crude"
    assert topics.label_of(["oil"]) == "oil"
    assert topics.label_of([]) == topics.OTHER_LABEL == "other"


# --- a fitted model assigning texts --------------------------------------------------------------

def plain_fit(centroids: np.ndarray, ids: list[int], lsa_columns: np.ndarray | None = None) -> Fit:
    """A model whose embedding is the texts' word counts over three words x, y, z (no idf, no LSA)."""
    vectorizer = TfidfVectorizer(analyzer=str.split, use_idf=False).fit(["x y z"])
    return Fit(vectorizer, None, centroids, ids, lsa_columns=lsa_columns)


def test_a_text_goes_to_the_nearest_topic_or_to_other_below_the_similarity_floor():
    model = plain_fit(np.eye(3)[:2], [5, 7])  # topic 5 points at x, topic 7 at y
    # one x and n z's: cosine to x is 1 / sqrt(1 + n^2): n = 8 gives 0.124 (>= 0.12), n = 9 gives 0.110
    ids, scores = model.assign(["x", "y y x", "x " + "z " * 8, "x " + "z " * 9, "z"])
    assert ids.tolist() == [5, 7, 5, OTHER_ID, OTHER_ID]
    assert scores == pytest.approx([1, 2 / math.sqrt(5), 1 / math.sqrt(65), 1 / math.sqrt(82), 0])
    empty_ids, empty_scores = model.assign([])
    assert empty_ids.shape == (0,) and empty_scores.shape == (0,)


def test_words_the_lsa_leaves_out_do_not_count():
    model = plain_fit(np.eye(2), [5, 7], lsa_columns=np.array([0, 1]))  # z is too common for the LSA
    ids, scores = model.assign(["x " + "z " * 9])
    assert ids.tolist() == [5] and scores == pytest.approx([1.0])


def test_the_nearest_topic_by_term_centroid():
    model = plain_fit(np.eye(3), [1, 2, 3])
    vectors = sparse.csr_matrix(np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]]))
    none_yet = model.nearest(vectors)
    assert none_yet[0].tolist() == [OTHER_ID, OTHER_ID] and none_yet[1].tolist() == [0, 0]
    model.add_topic(4, sparse.csr_matrix(np.array([[1.0, 0.0, 0.0]])))
    model.add_topic(9, sparse.csr_matrix(np.array([[0.0, 1.0, 0.0]])))
    assert model.term_ids == (4, 9) and model.term_centroids.shape == (2, 3)
    ids, sims = model.nearest(vectors)
    assert ids.tolist() == [9, 4]  # the first row leans to y (0.8 > 0.6); the second is 0 to both: the first topic
    assert sims == pytest.approx([0.8, 0.0])
    ids, sims = model.nearest(sparse.csr_matrix((0, 3)))
    assert ids.shape == (0,) and sims.shape == (0,)


def test_term_centroids_are_set_for_the_topics_texts_went_to_not_for_other():
    model = plain_fit(np.eye(3), [1, 2, 3])
    vectors = sparse.csr_matrix(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]))
    topics.set_term_centroids(model, vectors, np.array([3, OTHER_ID, 1, 3]))
    assert model.term_ids == (1, 3)
    ids, _ = model.nearest(vectors)
    assert ids.tolist() == [3, 1, 1, 3]  # the "other" text's y is in no centroid: the first topic (1), at 0


def test_a_model_survives_storage():
    model = plain_fit(np.eye(3)[:2], [5, 7])
    again = Fit.loads(model.dumps())
    assert again.topic_ids == [5, 7] and again.assign(["y"])[0].tolist() == [7]


# --- the vectorizer and the LSA ------------------------------------------------------------------

def test_small_corpora_keep_words_of_one_article_larger_ones_words_of_three():
    # "zebra" is in 2 of the texts: kept among 49, dropped among 50 (min_df 3 from 50 articles)
    texts = ["zebra grazing"] * 2 + ["oil prices"] * 47
    assert "zebra" in topics._vectorizer(len(texts)).fit(texts).vocabulary_
    texts.append("oil prices")
    assert "zebra" not in topics._vectorizer(len(texts)).fit(texts).vocabulary_
    assert "grazing" not in topics._vectorizer(len(texts)).fit(texts).vocabulary_


def test_term_weights_grow_with_the_log_of_a_repeated_word():
    # sublinear tf: "tanker" four times weighs 1 + ln 4 against "port" once (both in every text: the same idf)
    vectorizer = topics._vectorizer(2)
    row = vectorizer.fit_transform(["tanker tanker tanker tanker port", "tanker port"]).toarray()[0]
    names = list(vectorizer.get_feature_names_out())
    assert row[names.index("tanker")] / row[names.index("port")] == pytest.approx(1 + math.log(4), rel=1e-6)
    assert row.dtype == np.float32


def test_the_lsa_drops_words_in_more_than_half_the_articles_of_a_large_corpus():
    # 50 texts: "common" in 26 (more than half: dropped), "half" in exactly 25 (kept); all in 3+ texts
    texts = [("common " if i < 26 else "") + ("half " if i < 25 else "") + ["apple", "banana", "cherry", "damson", "elder"][i % 5]
             + " fruit" * (i % 2) for i in range(50)]
    vectorizer, svd, matrix, vectors, keep = topics._embed_fit(texts)
    kept = set(vectorizer.get_feature_names_out()[keep])
    assert kept == {"half", "apple", "banana", "cherry", "damson", "elder", "fruit"}
    assert matrix.shape == (50, 7)
    assert np.linalg.norm(matrix.toarray(), axis=1) == pytest.approx(np.ones(50))  # rows renormalised after the cut
    assert svd is not None and svd.n_components == 6  # one fewer than the words
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(50))


def test_below_fifty_articles_no_word_is_too_common_for_the_lsa():
    texts = [f"common word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(49)]
    vectorizer, svd, matrix, _, keep = topics._embed_fit(texts)
    assert "common" in set(vectorizer.get_feature_names_out()[keep]) and matrix.shape == (49, 50)
    assert svd.n_components == 48  # one fewer than the articles


def test_the_lsa_has_at_most_a_hundred_dimensions():
    # 150 words, each in 30 of 150 texts: 149 dimensions would fit, 100 are kept
    words = [f"word{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(150)]
    texts = [" ".join(words[(i + j) % 150] for j in range(30)) for i in range(150)]
    _, svd, matrix, _, _ = topics._embed_fit(texts)
    assert matrix.shape == (150, 150) and svd.n_components == 100


def test_tiny_corpora_and_two_word_corpora_are_not_reduced():
    texts = [f"alpha{chr(97 + i)} beta" for i in range(19)]  # under 20 articles: the tf-idf rows as they are
    _, svd, matrix, vectors, _ = topics._embed_fit(texts)
    assert svd is None and vectors == pytest.approx(matrix.toarray())
    _, svd, _, vectors, _ = topics._embed_fit(["alpha beta"] * 10 + ["beta gamma"] * 10)
    assert svd is not None and svd.n_components == 2  # 3 words: two dimensions, the least worth reducing to
    _, svd, _, vectors, _ = topics._embed_fit(["alpha beta"] * 10 + ["alpha beta alpha"] * 10)
    assert svd is None and vectors.shape == (20, 2)  # 2 words: 1 dimension would say nothing


# --- clustering ------------------------------------------------------------------------------------

def blobs(k: int, per: int, noise: float = 0.02, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`per` unit vectors around each of k orthogonal directions."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(k), per)
    vectors = np.eye(k)[labels] + rng.normal(0, noise, (k * per, k))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), labels


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(set(a.tolist())) == len(set(b.tolist()))


def test_well_separated_clusters_are_perfectly_stable_and_random_points_are_not():
    vectors, _ = blobs(4, 10)
    assert topics.stability(vectors, 4, np.random.default_rng(1)) == pytest.approx(1.0)
    noise = np.random.default_rng(2).normal(size=(40, 4))
    assert topics.stability(noise, 4, np.random.default_rng(1)) < 0.9


def test_the_number_of_topics_is_the_most_stable_from_a_floor_of_three():
    # 60 vectors: k from 3 to 60 // 10 = 6; five equidistant blobs are cut the same way only at k = 5
    vectors, _ = blobs(5, 12)
    assert topics.choose_k(vectors) == 5
    # 30 vectors: 30 // 10 = 3 topics at most, and never fewer than 3: the only candidate
    vectors, _ = blobs(5, 6)
    assert topics.choose_k(vectors) == 3
    # 100 vectors of two blobs: candidates 3 to 10, none of them two: the most stable one is at least 3
    vectors, _ = blobs(2, 50)
    assert 3 <= topics.choose_k(vectors) <= 10


def test_a_handful_of_articles_is_cut_where_they_share_little():
    one = np.array([[1.0, 0.0]])
    assert topics.small_corpus_labels(one).tolist() == [0]
    # two articles at cosine 0.3 (distance 0.7) are one cluster when the floor is 0.29, two when it is 0.31
    pair = np.vstack([[1.0, 0.0], at_cosine(0.3)])
    assert len(set(topics.small_corpus_labels(pair, 0.29).tolist())) == 1
    assert len(set(topics.small_corpus_labels(pair, 0.31).tolist())) == 2
    # average linkage: b is at cosine 0.8 to a, c at 0.06 to b and 0 to a. Joined alone, b and c would be one
    # cluster (distance 0.94 < 0.95); on average c is at distance 0.97 from a and b: apart at the default floor 0.05
    three = np.array([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.0, 0.1, math.sqrt(0.99)]])
    labels = topics.small_corpus_labels(three)
    assert labels[0] == labels[1] != labels[2]  # the default floor is 0.05


def test_texts_with_no_word_the_model_reads_form_their_own_group():
    vectors = np.array([[1.0, 0.0], [0.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.0, 0.0]])
    labels = topics._small_group(vectors)
    assert labels[0] == labels[2] != labels[3]
    assert labels[1] == labels[4] == max(labels[0], labels[3]) + 1
    assert topics._small_group(np.zeros((3, 2))).tolist() == [0, 0, 0]


def test_centroids_are_the_unit_mean_of_each_cluster():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 4.0]])
    centres = topics._centroids(vectors, np.array([0, 0, 1]))
    assert centres == pytest.approx(np.array([[2**-0.5, 2**-0.5], [0.6, 0.8]]))
    # each article's cosine to its centre: 0.7071 for both of the first cluster; the single article's is 1
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    assert topics.coherence(vectors, np.array([0, 0, 1])) == pytest.approx([2**-0.5, 1.0])


def test_clusters_merge_from_a_centre_cosine_of_055_and_never_by_chaining():
    labels = np.array([0, 1])
    assert topics.merge_similar(np.vstack([[1.0, 0.0], at_cosine(0.56)]), labels).tolist() == [0, 0]
    assert len(set(topics.merge_similar(np.vstack([[1.0, 0.0], at_cosine(0.54)]), labels).tolist())) == 2
    assert topics.merge_similar(np.array([[1.0, 0.0], [0.9, 0.1]]), np.array([0, 0])).tolist() == [0, 0]
    # a and b at 0.6, b and c at 0.6, a and c at -0.28 (angles 0, 53.1 and 106.3 degrees), and two
    # clusters d and e orthogonal to them and opposite each other (so the median pair is at 0): complete
    # linkage joins one pair and leaves the third alone, where a chain would join all three
    angles = [0.0, math.acos(0.6), 2 * math.acos(0.6)]
    chain = np.array([[math.cos(t), math.sin(t), 0.0] for t in angles] + [[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]])
    merged = topics.merge_similar(chain, np.array([0, 1, 2, 3, 4]))
    assert len(set(merged[:3].tolist())) == 2 and merged[0] != merged[2]
    assert len(set(merged.tolist())) == 4
    # ids are renumbered 0.. in order of the merged groups, one per label value
    assert sorted(set(topics.merge_similar(np.vstack([np.eye(3), np.eye(3)]), np.array([0, 1, 2, 0, 1, 2])).tolist())) == [0, 1, 2]


def test_the_clusters_of_one_beat_are_not_merged_for_the_words_they_all_share():
    """Three clusters of one beat: each centre is 0.8 of the beat's common direction plus 0.6 of its own,
    so every pair sits at cosine 0.64 (over 0.55, where they used to be one topic); none is closer than
    the corpus's usual pair, so all three stay (the bar is 0.64 + 0.1). A fourth cluster at 0.9 of the
    first is a piece of it cut off: it is merged back."""
    common, own = 0.8, 0.6
    beat = np.array([[common, own, 0.0, 0.0], [common, 0.0, own, 0.0], [common, 0.0, 0.0, own]])
    assert (beat @ beat.T)[0, 1] == pytest.approx(common**2)
    assert topics.merge_bar(beat) == pytest.approx(common**2 + topics.MERGE_MARGIN)
    assert len(set(topics.merge_similar(beat, np.array([0, 1, 2])).tolist())) == 3
    piece = np.append(0.9 * beat[0], math.sqrt(1 - 0.9**2))  # at cosine 0.9 of the first, in a fifth dimension
    with_piece = np.vstack([np.hstack([beat, np.zeros((3, 1))]), piece])
    merged = topics.merge_similar(with_piece, np.array([0, 1, 2, 3]))
    assert merged[0] == merged[3] and len(set(merged.tolist())) == 3
    # two clusters alone have no usual pair to compare with: the bar is MERGE_SIMILARITY
    assert topics.merge_bar(beat[:2]) == topics.MERGE_SIMILARITY


def test_the_merge_bar_is_read_from_the_median_of_every_pair_of_clusters():
    # centres at 0, 30 and 60 degrees in a plane: pairs at cosine cos 30, cos 60 and cos 30, so the median is cos 30
    # (the two neighbouring pairs count as much as the outer one)
    angles = np.radians([0.0, 30.0, 60.0])
    centres = np.column_stack([np.cos(angles), np.sin(angles)])
    assert topics.merge_bar(centres) == pytest.approx(math.cos(math.radians(30)) + topics.MERGE_MARGIN)


def grab_bag_case(members: int) -> tuple[np.ndarray, np.ndarray]:
    """Cluster 0: `members` articles split between two orthogonal directions (mean cosine to the centre
    about 0.71); clusters 1 and 2: tight (cosine about 1), so the bar is about 0.9 and cluster 0 is under it."""
    rng = np.random.default_rng(3)
    half = members // 2
    loose = np.vstack([np.tile([1.0, 0, 0, 0], (half, 1)), np.tile([0, 1.0, 0, 0], (members - half, 1))])
    tight = np.vstack([np.tile([0, 0, 1.0, 0], (10, 1)), np.tile([0, 0, 0, 1.0], (10, 1))])
    vectors = np.vstack([loose, tight]) + rng.normal(0, 0.01, (members + 20, 4))
    labels = np.array([0] * members + [1] * 10 + [2] * 10)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), labels


def test_only_loose_clusters_of_forty_or_more_are_split_and_into_fresh_labels():
    vectors, labels = grab_bag_case(40)
    out = topics.split_grab_bags(vectors, labels)
    assert sorted(set(out[:40].tolist())) == [0, 3] and out[20] != out[0]  # halves along the two directions
    assert out[40:].tolist() == labels[40:].tolist()
    vectors, labels = grab_bag_case(39)
    assert topics.split_grab_bags(vectors, labels).tolist() == labels.tolist()
    assert topics.split_grab_bags(np.zeros((0, 4)), np.array([], dtype=int)).tolist() == []


def test_a_loose_cluster_whose_halves_point_the_same_way_stays_whole():
    # halves at 60 degrees (cosine 0.5 between their centres: under 0.55, split) or 50 degrees
    # (0.64: the same subject, kept); loose only relative to two tight clusters
    for angle, split in ((60, True), (50, False)):
        t = math.radians(angle)
        rng = np.random.default_rng(4)
        loose = np.vstack([np.tile([1.0, 0, 0, 0], (20, 1)), np.tile([math.cos(t), math.sin(t), 0, 0], (20, 1))])
        tight = np.vstack([np.tile([0, 0, 1.0, 0], (10, 1)), np.tile([0, 0, 0, 1.0], (10, 1))])
        vectors = np.vstack([loose, tight]) + rng.normal(0, 0.001, (60, 4))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        labels = np.array([0] * 40 + [1] * 10 + [2] * 10)
        out = topics.split_grab_bags(vectors, labels)
        assert (len(set(out[:40].tolist())) == 2) is split, angle


def test_cluster_finds_the_blobs():
    vectors, truth = blobs(5, 12)
    assert same_partition(topics._cluster(vectors), truth)


# --- across languages --------------------------------------------------------------------------

def test_clusters_of_different_languages_join_from_a_cosine_of_01_best_pair_first():
    # four clusters of one article each: en 0, en 1, de 2, fr 3. Centres' cosines: de-en0 0.5,
    # de-en1 0.3 (en0 and en1 are one language: de joins only its best), fr-en1 0.11 (joined),
    # and fr-de 0 (fr may join the en0+de group only through en1, which is not in it).
    en0 = np.array([1.0, 0.0, 0.0, 0.0])
    de = np.array([0.5, 0.3, math.sqrt(1 - 0.25 - 0.09), 0.0])
    en1 = np.array([0.0, 1.0, 0.0, 0.0])
    fr = np.array([0.0, 0.11, 0.0, math.sqrt(1 - 0.11**2)])
    matrix = sparse.csr_matrix(np.vstack([en0, en1, de, fr]))
    joined = topics._join(matrix, np.array([0, 1, 2, 3]), np.array(["en", "en", "de", "fr"]))
    assert joined[0] == joined[2] and joined[1] == joined[3] and joined[0] != joined[1]
    fr_far = np.array([0.0, 0.09, 0.0, math.sqrt(1 - 0.09**2)])
    matrix = sparse.csr_matrix(np.vstack([en0, en1, de, fr_far]))
    joined = topics._join(matrix, np.array([0, 1, 2, 3]), np.array(["en", "en", "de", "fr"]))
    assert joined.tolist() == [0, 1, 0, 2]


def test_a_group_never_holds_two_clusters_of_one_language():
    # de joins en0 (0.9); fr is closest to de (0.8) and to en1 (0.7): it joins the en0+de group,
    # and en1 may then join it through nobody, since the group already has English
    en0, en1 = unit(1, 0, 0), unit(0, 1, 0)
    de = unit(0.9, 0.1, 0.3)
    fr = unit(0.6, 0.6, 0.3)
    matrix = sparse.csr_matrix(np.vstack([en0, en1, de, fr]))
    joined = topics._join(matrix, np.array([0, 1, 2, 3]), np.array(["en", "en", "de", "fr"]))
    assert joined[0] == joined[2] == joined[3] != joined[1]


def test_each_language_is_clustered_on_its_own_then_joined():
    # 3 English articles about x, 2 about y; 2 German about x: languages are clustered apart, then joined by x
    rows = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.1], [0.9, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.1],
                     [1.0, 0.0, 0.2], [1.0, 0.0, 0.0]])
    matrix = sparse.csr_matrix(rows)
    langs = np.array(["en"] * 5 + ["de"] * 2)
    labels = topics.by_language(np.zeros((7, 2)), matrix, langs)
    assert len(set(labels[[0, 1, 2, 5, 6]].tolist())) == 1 and labels[3] == labels[4] != labels[0]


# --- fitting ---------------------------------------------------------------------------------------

SUBJECTS = {
    "oil": "crude oil barrel opec output pipeline refinery tanker",
    "football": "football match goal striker league coach stadium penalty",
    "election": "election ballot voters candidate campaign parliament poll turnout",
}


def subject_texts(per: int) -> tuple[list[str], list[int]]:
    texts, truth = [], []
    for s, words in enumerate(SUBJECTS.values()):
        vocabulary = words.split()
        for i in range(per):
            texts.append(" ".join(vocabulary[j % 8] for j in range(i, i + 5)))
            truth.append(s)
    return texts, truth


def test_a_small_corpus_is_grouped_by_shared_words():
    texts, truth = subject_texts(4)  # 12 texts: under 20, average linkage on tf-idf
    model, labels = topics.fit(texts)
    assert same_partition(labels, np.array(truth))
    assert model.svd is None and model.topic_ids == [1, 2, 3] and model.n_fitted == 12
    assert model.centroids.shape[0] == 3 and len(model.terms) == 3
    assert set(model.terms[labels[0]]) <= set(SUBJECTS["oil"].split())
    ids, _ = model.assign(["opec crude tanker", "striker goal penalty"])
    assert ids.tolist() == [labels[0] + 1, labels[4] + 1]  # cluster index i is topic id i + 1


def test_a_larger_corpus_is_clustered_by_k_means_and_a_chosen_k_is_kept():
    texts, truth = subject_texts(10)  # 30 texts: LSA, k chosen by stability (3 is the only candidate)
    model, labels = topics.fit(texts)
    assert same_partition(labels, np.array(truth)) and model.svd is not None
    assert model.lsa_columns is not None and len(model.lsa_columns) == 24
    model, labels = topics.fit(texts, n_topics=2)
    assert len(set(labels.tolist())) == 2
    model, labels = topics.fit(texts[:3], n_topics=5)  # never more topics than texts
    assert sorted(labels.tolist()) == [0, 1, 2]


def test_a_corpus_in_two_languages_is_clustered_per_language():
    english = ["Oil prices rose as OPEC cut crude output and tankers waited at the refinery.",
               "Crude oil climbed after OPEC agreed to cut output; the refinery shut a pipeline."] * 11
    german = ["Der Ölpreis stieg, weil die OPEC die Förderung kürzte und Tanker vor der Raffinerie warteten.",
              "Die Fußballmannschaft gewann das Spiel mit einem späten Tor des Stürmers im Stadion."] * 3
    model, labels = topics.fit(english + german)
    assert len(set(labels[:22].tolist())) == 1  # one English subject
    assert labels[22] == labels[24] != labels[23]  # German: oil and football apart (oil may join the English)
    assert len(model.topic_ids) == int(labels.max()) + 1


# --- class-based tf-idf terms --------------------------------------------------------------------

def test_distinctive_terms_weigh_a_clusters_frequency_by_rarity_across_clusters():
    # terms a, b, c, d. Cluster 0 counts a 4, b 2, c 0, d 0 (6); cluster 1: a 4, b 0, c 1, d 0 (5).
    # idf = ln(1 + mean cluster size / term total) = ln(1 + 5.5/8) for a, ln(1 + 5.5/2) for b, ln(1 + 5.5) for c.
    # cluster 0: a 4/6 * 0.523 = 0.349, b 2/6 * 1.322 = 0.441: b first; cluster 1: a 4/5 * 0.523 = 0.418,
    # c 1/5 * 1.872 = 0.374: a first. d is in neither: never a term.
    matrix = sparse.csr_matrix(np.array([[2, 1, 0, 0], [2, 1, 0, 0], [4, 0, 1, 0]], dtype=float))
    vocabulary = np.array(["a", "b", "c", "d"])
    labels = np.array([0, 0, 1])
    assert topics.distinctive_terms(matrix, labels, vocabulary) == [["b", "a"], ["a", "c"]]
    assert topics.distinctive_terms(matrix, labels, vocabulary, n=1) == [["b"], ["a"]]


# --- stable ids ------------------------------------------------------------------------------------

def test_a_new_cluster_keeps_the_id_of_the_old_topic_it_overlaps_most():
    old = {4: {"a", "b", "c"}, 9: {"x", "y", "z", "w"}}
    # new 0 shares a, b, c with 4 (Jaccard 3/4); new 1 shares x, y with 9 (2/5 = 0.4); new 2 shares w (1/4 < 0.3)
    new = [{"a", "b", "c", "d"}, {"x", "y", "q"}, {"w", "p", "r"}]
    assert topics.match_ids(new, old, next_id=12) == [4, 9, 12]


def test_an_overlap_of_exactly_three_tenths_keeps_the_id():
    old = {4: {"a", "b", "c"}}
    assert topics.match_ids([{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}], old, 5) == [4]  # 3/10
    assert topics.match_ids([{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}], old, 5) == [5]  # 3/11


def test_an_old_id_goes_to_one_new_cluster_only_the_closest():
    old = {4: {"a", "b", "c", "d"}}
    # both new clusters overlap 4: the first by 2/5, the second by 3/5: the second keeps 4, the first is new
    new = [{"a", "b", "e"}, {"a", "b", "c", "f"}]
    assert topics.match_ids(new, old, next_id=7) == [7, 4]


def test_a_new_cluster_takes_its_best_old_topic_and_fresh_ids_count_up():
    old = {4: {"a", "b"}, 5: {"c", "d", "e"}}
    # new 0 overlaps 4 by 1/3 and 5 by 3/4: it keeps 5 (not 4), and 4 is left to nobody else
    new = [{"a", "c", "d", "e"}, {"m"}, {"n"}]
    assert topics.match_ids(new, old, next_id=8) == [5, 8, 9]
    assert topics.match_ids([], old, next_id=8) == []


def test_a_language_with_fifty_articles_or_more_is_clustered_on_its_lsa_vectors():
    # 50 English articles whose tf-idf rows are all alike but whose LSA vectors form two far-apart groups:
    # at 50 articles the language is clustered as a whole corpus is (k-means on the LSA vectors, then
    # merged), so the two groups come out; fewer would be grouped on the alike tf-idf rows as one
    vectors, truth = blobs(2, 25)
    matrix = sparse.csr_matrix(np.ones((50, 3)))
    labels = topics.by_language(vectors, matrix, np.array(["en"] * 50))
    assert same_partition(labels, truth)
    few = topics.by_language(vectors[:49], matrix[:49], np.array(["en"] * 49))
    assert set(few.tolist()) == {0}


def test_three_languages_are_each_clustered_on_their_own_rows():
    # en about x, de about y, fr about z and x: each language holds one subject; fr joins en through x
    rows = np.array([[1.0, 0, 0], [1.0, 0, 0.05], [0, 1.0, 0], [0, 1.0, 0.05], [0.6, 0, 0.8], [0.6, 0.0, 0.8]])
    langs = np.array(["en", "en", "de", "de", "fr", "fr"])
    labels = topics.by_language(np.zeros((6, 2)), sparse.csr_matrix(rows), langs)
    assert labels[0] == labels[1] == labels[4] == labels[5] != labels[2] == labels[3]
    assert topics._small_group(np.array([[1.0, 0.0]])).dtype.kind == "i"


def test_a_loose_cluster_left_whole_does_not_stop_the_next_one_being_split():
    # cluster 0: 40 articles on a ring at 35 degrees around one axis (cosine to its centre 0.82, loose)
    # whose halves point 48 degrees apart (cosine 0.67: one subject, kept whole); cluster 1: 40 articles
    # split between two orthogonal directions (0.71, halves at cosine 0: split); three tight clusters hold
    # the median at 1, so the bar is 0.9
    theta = math.radians(35)
    ring = np.array([[math.sin(theta) * math.cos(a), math.sin(theta) * math.sin(a), math.cos(theta), 0, 0, 0, 0, 0]
                     for a in np.linspace(0, 2 * math.pi, 40, endpoint=False)])
    apart = np.vstack([np.tile(np.eye(8)[3], (20, 1)), np.tile(np.eye(8)[4], (20, 1))])
    tight = np.vstack([np.tile(np.eye(8)[i], (10, 1)) for i in (5, 6, 7)])
    vectors = np.vstack([ring, apart, tight])
    labels = np.array([0] * 40 + [1] * 40 + [2] * 10 + [3] * 10 + [4] * 10)
    out = topics.split_grab_bags(vectors, labels)
    assert set(out[:40].tolist()) == {0}
    assert out[40] != out[60] and set(out[40:60].tolist()) | set(out[60:80].tolist()) == {1, 5}
