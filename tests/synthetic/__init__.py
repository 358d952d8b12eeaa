"""A small synthetic news corpus, written by `python -m tests.synthetic`, with its ground truth.

Every query of the dashboard is compared on it with an answer computed independently, on any
machine (the Reuters comparisons are a second layer where the corpora are present). Its
articles are chosen so that each filter changes the answer: several sources of different
sizes; dates over thirteen weeks with articles at the first and last second of a day, and a
few undated ones; people, organisations and places that appear alone and together; quotes
with and without a named speaker; near-duplicates of earlier stories, and stories that share
a template but not their words (no duplicates).
"""
