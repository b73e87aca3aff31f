"""Typos trigrams miss: two swapped letters ("Cidner" for "Cinder") change every trigram of a short
word, so "did you mean" also accepts a name one edit away (a swap of neighbours counts as one), and
the SQLite engine looks names up by the trigrams of the word's swapped spellings too."""

MAX_SWAPPED_LENGTH = 12  # longer words keep enough trigrams through a swap


def swapped_spellings(word):
    """The word with each pair of neighbouring letters swapped (short words only)."""
    if len(word) > MAX_SWAPPED_LENGTH:
        return []
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]]


def edit_distance(a, b):
    """Insertions, deletions, substitutions and swaps of neighbours (optimal string alignment)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def closeness(word, name):
    """1 for the same word, down to 0: high only within one edit (two for words of 8 letters or
    more), so a short word is not "corrected" into an unrelated one."""
    word, name = word.lower(), name.lower()
    distance = edit_distance(word, name)
    if distance > (2 if len(word) >= 8 else 1):
        return 0.0
    return 1 - distance / max(len(word), len(name))
