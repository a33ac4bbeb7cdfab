import subprocess
import sys

from claimx.language import detect_language

GERMAN = "Russland setzt seine Bemühungen fort, sich als Führer einer Koalition von Staaten zu positionieren."


def test_seed_languages(seed_documents):
    assert [detect_language(d.text).code for d in seed_documents] == ["en", "en", "en", "en", "de"]


def test_short_empty_and_non_text_are_undetermined():
    for text in ["", "   ", "Share.", "12 345 678 !!! ???", "\x00\x01\x02"]:
        guess = detect_language(text)
        assert guess.code == "und" and not guess.known and guess.probability == 0.0


def test_same_answer_in_a_fresh_process():
    # langdetect samples at random; two interpreters must still agree to the last digit.
    text = "Die Lage ist unklar, aber Moskau verliert Einfluss in the region of Central Asia."
    code = f"from claimx.language import detect_language as d; g = d({text!r}); print(g.code, repr(g.probability))"
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    here = detect_language(text)
    assert runs.pop().split()[0] == here.code


def test_other_languages_are_named():
    assert detect_language("Venäjä menettää vaikutusvaltaansa Keski-Aasiassa nopeasti.").code == "fi"
    assert detect_language(GERMAN).code == "de"
