"""corpus_tools: institutional partnerships from English news and press texts.

The public verbs::

    import corpus_tools as ct
    corpus = ct.load_corpus("seeds")          # documents, skipped, warnings, removed
    sentences = ct.sentences(corpus.documents)
"""

import logging

from corpus_tools.corpus import Corpus, load_corpus
from corpus_tools.segment import paragraphs, sentences

__all__ = ["Corpus", "load_corpus", "paragraphs", "sentences"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
