"""Write the synthetic corpus beside this file: python -m tests.synthetic (its truth is corpus.generate())."""

from tests.synthetic.corpus import ARTICLES, write

write()
print(f"wrote {ARTICLES.name}")
