from claimx.segment import iter_lines, split_sentences


def texts(text, lang="en"):
    return [s.text for s in split_sentences(text, lang)]


def test_initials_do_not_end_a_sentence():
    text = "President Vladimir V. Putin of Russia is actively working to strengthen alliances. It works."
    assert texts(text) == [
        "President Vladimir V. Putin of Russia is actively working to strengthen alliances.",
        "It works.",
    ]


def test_german_ordinals_stay_inside_their_sentence():
    text = (
        "Shoigu führte am 7. November Treffen durch. Der Blogger fürchtet um die 102. Militärbasis in Gyumri. "
        "Die Zahl stieg auf 102. Danach sank sie."
    )
    assert texts(text, "de") == [
        "Shoigu führte am 7. November Treffen durch.",
        "Der Blogger fürchtet um die 102. Militärbasis in Gyumri.",
        "Die Zahl stieg auf 102.",
        "Danach sank sie.",
    ]


def test_offsets_are_exact_inside_a_larger_text():
    text = "HEADLINE\n\n  First sentence here. Second one, with “quotes”.  \nLast line"
    lines = list(iter_lines(text))
    assert [text[s:e] for s, e in lines] == ["HEADLINE", "First sentence here. Second one, with “quotes”.", "Last line"]
    s, e = lines[1]
    for seg in split_sentences(text, "en", start=s, end=e):
        assert text[seg.start : seg.end] == seg.text
        assert seg.text == seg.text.strip()


def test_seed_spans_map_back(seed_documents):
    for doc in seed_documents:
        lang = "de" if doc.id == "004" else "en"
        for s, e in iter_lines(doc.text):
            for seg in split_sentences(doc.text, lang, start=s, end=e):
                assert doc.text[seg.start : seg.end] == seg.text


def test_run_on_text_is_cut_into_bounded_pieces():
    text = " ".join(["word"] * 6000)  # ~30,000 characters, no punctuation
    pieces = split_sentences(text, "en", max_chars=1000)
    assert all(len(p.text) <= 1000 for p in pieces)
    assert " ".join(p.text for p in pieces) == text
    unbroken = "x" * 2500
    assert [len(p.text) for p in split_sentences(unbroken, "en", max_chars=1000)] == [1000, 1000, 500]
