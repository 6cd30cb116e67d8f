"""Word lists the item-writing lint reads, kept as data so that an instructor can extend them
without touching a rule. All lower case; a phrase of several words matches as a phrase."""

from __future__ import annotations

# Words that make a claim absolute or turn it into a caricature. Test-wise learners avoid
# options that contain them, so they must not be rarer in keys than in distractors.
ABSOLUTE_WORDS = frozenset(
    {
        "always",
        "never",
        "all",
        "none",
        "only",
        "every",
        "everyone",
        "nothing",
        "nobody",
        "no one",
        "completely",
        "entirely",
        "totally",
        "absolutely",
        "guarantee",
        "guarantees",
        "guaranteed",
        "proves",
        "proven",
        "prove",
        "proof",
        "cure",
        "cures",
        "permanent",
        "permanently",
        "fake",
        "impossible",
        "no effect",
        "no effects",
        "instantly",
        "forever",
    }
)

# Words that qualify a claim. A careful, evidence-aware key tends to carry them, so an option
# full of hedges is what the "most hedged" strategy picks.
HEDGE_WORDS = frozenset(
    {
        "may",
        "might",
        "can",
        "could",
        "often",
        "usually",
        "sometimes",
        "some",
        "likely",
        "unlikely",
        "probably",
        "possibly",
        "suggests",
        "suggest",
        "limited",
        "moderate",
        "modest",
        "small",
        "short-term",
        "short term",
        "evidence",
        "uncertain",
        "unclear",
        "depends",
        "generally",
        "typically",
        "tends",
        "tend",
        "appears",
        "seems",
        "most",
        "many",
        "rarely",
        "rare",
        "but",
        "although",
        "however",
        "unless",
        "if",
    }
)

# Words a stem uses to ask for the wrong answer; they must stand out (NOT, **not**, *except*).
NEGATIVE_WORDS = frozenset({"not", "except", "least", "false", "incorrect", "untrue"})

# Option texts that let a learner answer from other options instead of from knowledge.
ABOVE_PHRASES = ("all of the above", "none of the above", "both of the above", "all the above")

# Common words that say nothing about content: ignored when comparing stems and options.


def _listed(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _listed(
    """
    a about above after again against am an and are as at be because been before being below
    between both by did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i in into is it its itself just me more
    my myself nor of off on once or other our ours ourselves out over own same she should so
    than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your yours yourself yourselves s t don which whose also one two three four five true
    false following best statement client clients therapist massage question describes
    """
)
