"""The Golden Rules of sentence segmentation, English and German: test data, not claimx code.

Copied verbatim from pySBD's test suite (MIT licence), which took them from the
pragmatic_segmenter golden rules:

- English: ``GOLDEN_EN_RULES_TEST_CASES`` in
  https://github.com/nipunsadvilkar/pySBD/blob/master/tests/lang/test_english.py
  (48 cases; pySBD itself marks one, "At 5 a.m. Mr. Smith …", as an expected failure:
  it is kept here as ``EN_HARD`` and not counted in the pass rate).
- German: ``GOLDEN_DE_RULES_TEST_CASES`` (3) and ``DE_CLEAN_RULES_TEST_CASES`` (29) in
  https://github.com/nipunsadvilkar/pySBD/blob/master/tests/lang/test_deutsch.py
  (32 cases). The ``DE_PDF_CLEAN_RULES_TEST_CASES`` are left out: they expect lines
  broken mid-sentence by a PDF to be joined, which claimx never does (a line break
  ends a headline or a paragraph on a news page).

Each case is ``(text, expected sentences)``; sentences are compared stripped.
"""

from __future__ import annotations

EN_HARD = (
    "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store.",
    ["At 5 a.m. Mr. Smith went to the bank.", "He left the bank at 6 P.M.", "Mr. Smith then went to the store."],
)

EN = [
    ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."]),
    ("What is your name? My name is Jonas.", ["What is your name?", "My name is Jonas."]),
    ("There it is! I found it.", ["There it is!", "I found it."]),
    ("My name is Jonas E. Smith.", ["My name is Jonas E. Smith."]),
    ("Please turn to p. 55.", ["Please turn to p. 55."]),
    ("Were Jane and co. at the party?", ["Were Jane and co. at the party?"]),
    (
        "They closed the deal with Pitt, Briggs & Co. at noon.",
        ["They closed the deal with Pitt, Briggs & Co. at noon."],
    ),
    ("Let's ask Jane and co. They should know.", ["Let's ask Jane and co.", "They should know."]),
    (
        "They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
        ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."],
    ),
    ("I can see Mt. Fuji from here.", ["I can see Mt. Fuji from here."]),
    (
        "St. Michael's Church is on 5th st. near the light.",
        ["St. Michael's Church is on 5th st. near the light."],
    ),
    ("That is JFK Jr.'s book.", ["That is JFK Jr.'s book."]),
    ("I visited the U.S.A. last year.", ["I visited the U.S.A. last year."]),
    ("I live in the E.U. How about you?", ["I live in the E.U.", "How about you?"]),
    ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
    ("I work for the U.S. Government in Virginia.", ["I work for the U.S. Government in Virginia."]),
    ("I have lived in the U.S. for 20 years.", ["I have lived in the U.S. for 20 years."]),
    ("She has $100.00 in her bag.", ["She has $100.00 in her bag."]),
    ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    (
        "He teaches science (He previously worked for 5 years as an engineer.) at the local University.",
        ["He teaches science (He previously worked for 5 years as an engineer.) at the local University."],
    ),
    (
        "Her email is Jane.Doe@example.com. I sent her an email.",
        ["Her email is Jane.Doe@example.com.", "I sent her an email."],
    ),
    (
        "The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out.",
        ["The site is: https://www.example.50.com/new-site/awesome_content.html.", "Please check it out."],
    ),
    ("She turned to him, 'This is great.' she said.", ["She turned to him, 'This is great.' she said."]),
    ('She turned to him, "This is great." she said.', ['She turned to him, "This is great." she said.']),
    (
        'She turned to him, "This is great." She held the book out to show him.',
        ['She turned to him, "This is great."', "She held the book out to show him."],
    ),
    ("Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
    ("Hello?? Who is there?", ["Hello??", "Who is there?"]),
    ("Hello!? Is that you?", ["Hello!?", "Is that you?"]),
    ("Hello?! Is that you?", ["Hello?!", "Is that you?"]),
    ("1.) The first item 2.) The second item", ["1.) The first item", "2.) The second item"]),
    ("1.) The first item. 2.) The second item.", ["1.) The first item.", "2.) The second item."]),
    ("1) The first item 2) The second item", ["1) The first item", "2) The second item"]),
    ("1) The first item. 2) The second item.", ["1) The first item.", "2) The second item."]),
    ("1. The first item 2. The second item", ["1. The first item", "2. The second item"]),
    ("1. The first item. 2. The second item.", ["1. The first item.", "2. The second item."]),
    ("• 9. The first item • 10. The second item", ["• 9. The first item", "• 10. The second item"]),
    ("⁃9. The first item ⁃10. The second item", ["⁃9. The first item", "⁃10. The second item"]),
    (
        "a. The first item b. The second item c. The third list item",
        ["a. The first item", "b. The second item", "c. The third list item"],
    ),
    (
        "You can find it at N°. 1026.253.553. That is where the treasure is.",
        ["You can find it at N°. 1026.253.553.", "That is where the treasure is."],
    ),
    (
        "She works at Yahoo! in the accounting department.",
        ["She works at Yahoo! in the accounting department."],
    ),
    (
        "We make a good team, you and I. Did you see Albert I. Jones yesterday?",
        ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"],
    ),
    (
        "Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”",
        ["Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”"],
    ),
    (
        '"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
        ['"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).'],
    ),
    (
        "If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission "
        "with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a "
        "period . . . . Next sentence.",
        [
            "If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission "
            "with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a "
            "period . . . .",
            "Next sentence.",
        ],
    ),
    ("I never meant that.... She left the store.", ["I never meant that....", "She left the store."]),
    (
        "I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it.",
        ["I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it."],
    ),
    (
        "One further habit which was somewhat weakened . . . was that of combining words into "
        "self-interpreting compounds. . . . The practice was not abandoned. . . .",
        [
            "One further habit which was somewhat weakened . . . was that of combining words into "
            "self-interpreting compounds.",
            ". . . The practice was not abandoned. . . .",
        ],
    ),
]

_FIT = (
    "Fit in vier Wochen\n\nDeine Anleitung für eine reine Ernährung und ein gesünderes und glücklicheres Leben\n\n"
    "RECHTLICHE HINWEISE\n\nOhne die ausdrückliche schriftliche Genehmigung der Eigentümerin von "
    "instafemmefitness, Anna Anderson, darf dieses E-Book weder teilweise noch in vollem Umfang reproduziert, "
    "gespeichert, kopiert oder auf irgendeine Weise übertragen werden. Wenn Du das E-Book auf einem öffentlich "
    "zugänglichen Computer ausdruckst, musst Du es nach dem Ausdrucken von dem Computer löschen. Jedes E-Book "
    "wird mit einem Benutzernamen und Transaktionsinformationen versehen.\n\nVerstöße gegen dieses Urheberrecht "
    "werden im vollen gesetzlichen Umfang geltend gemacht. Obgleich die Autorin und Herausgeberin alle "
    "Anstrengungen unternommen hat, sicherzustellen, dass die Informationen in diesem Buch zum Zeitpunkt der "
    "Drucklegung korrekt sind, übernimmt die Autorin und Herausgeberin keine Haftung für etwaige Verluste, "
    "Schäden oder Störungen, die durch Fehler oder Auslassungen in Folge von Fahrlässigkeit, zufälligen Umständen "
    "oder sonstigen Ursachen entstehen, und lehnt hiermit jedwede solche Haftung ab.\n\nDieses Buch ist kein "
    "Ersatz für die medizinische Beratung durch Ärzte. Der Leser/die Leserin sollte regelmäßig einen Arzt/eine "
    "Ärztin hinsichtlich Fragen zu seiner/ihrer Gesundheit und vor allem in Bezug auf Symptome, die eventuell "
    "einer ärztlichen Diagnose oder Behandlung bedürfen, konsultieren.\n\nDie Informationen in diesem Buch sind "
    "dazu gedacht, ein ordnungsgemäßes Training zu ergänzen, nicht aber zu ersetzen. Wie jeder andere Sport, der "
    "Geschwindigkeit, Ausrüstung, Gleichgewicht und Umweltfaktoren einbezieht, stellt dieser Sport ein gewisses "
    "Risiko dar. Die Autorin und Herausgeberin rät den Lesern dazu, die volle Verantwortung für die eigene "
    "Sicherheit zu übernehmen und die eigenen Grenzen zu beachten. Vor dem Ausüben der in diesem Buch "
    "beschriebenen Übungen solltest Du sicherstellen, dass Deine Ausrüstung in gutem Zustand ist, und Du solltest "
    "keine Risiken außerhalb Deines Erfahrungs- oder Trainingsniveaus, Deiner Fähigkeiten oder Deines "
    "Komfortbereichs eingehen.\nHintergrundillustrationen Urheberrecht © 2013 bei Shuttershock, Buchgestaltung "
    "und -produktion durch Anna Anderson Verfasst von Anna Anderson\nUrheberrecht © 2014 Instafemmefitness. Alle "
    "Rechte vorbehalten\n\nÜber mich"
)

DE = [
    # GOLDEN_DE_RULES_TEST_CASES
    (
        "„Ich habe heute keine Zeit“, sagte die Frau und flüsterte leise: „Und auch keine Lust.“ "
        "Wir haben 1.000.000 Euro.",
        [
            "„Ich habe heute keine Zeit“, sagte die Frau und flüsterte leise: „Und auch keine Lust.“",
            "Wir haben 1.000.000 Euro.",
        ],
    ),
    (
        "Es gibt jedoch einige Vorsichtsmaßnahmen, die Du ergreifen kannst, z. B. ist es sehr empfehlenswert, "
        "dass Du Dein Zuhause von allem Junkfood befreist.",
        [
            "Es gibt jedoch einige Vorsichtsmaßnahmen, die Du ergreifen kannst, z. B. ist es sehr empfehlenswert, "
            "dass Du Dein Zuhause von allem Junkfood befreist."
        ],
    ),
    (
        "Was sind die Konsequenzen der Abstimmung vom 12. Juni?",
        ["Was sind die Konsequenzen der Abstimmung vom 12. Juni?"],
    ),
    # DE_CLEAN_RULES_TEST_CASES
    (
        "„Ich habe heute keine Zeit“, sagte die Frau und flüsterte leise: „Und auch keine Lust.“ "
        "Wir haben 1.000.000 Euro.",
        [
            "„Ich habe heute keine Zeit“, sagte die Frau und flüsterte leise: „Und auch keine Lust.“",
            "Wir haben 1.000.000 Euro.",
        ],
    ),
    (
        "Thomas sagte: ,,Wann kommst zu mir?” ,,Das weiß ich noch nicht“, antwortete Susi, "
        ",,wahrscheinlich am Sonntag.“ Wir haben 1.000.000 Euro.",
        [
            "Thomas sagte: ,,Wann kommst zu mir?” ,,Das weiß ich noch nicht“, antwortete Susi, "
            ",,wahrscheinlich am Sonntag.“",
            "Wir haben 1.000.000 Euro.",
        ],
    ),
    (
        "„Lass uns jetzt essen gehen!“, sagte die Mutter zu ihrer Freundin, „am besten zum Italiener.“",
        ["„Lass uns jetzt essen gehen!“, sagte die Mutter zu ihrer Freundin, „am besten zum Italiener.“"],
    ),
    ("Wir haben 1.000.000 Euro.", ["Wir haben 1.000.000 Euro."]),
    ("Sie bekommen 3,50 Euro zurück.", ["Sie bekommen 3,50 Euro zurück."]),
    ("Dafür brauchen wir 5,5 Stunden.", ["Dafür brauchen wir 5,5 Stunden."]),
    ("Bitte überweisen Sie 5.300,25 Euro.", ["Bitte überweisen Sie 5.300,25 Euro."]),
    ("1. Dies ist eine Punkteliste.", ["1. Dies ist eine Punkteliste."]),
    ("Wir trafen Dr. med. Meyer in der Stadt.", ["Wir trafen Dr. med. Meyer in der Stadt."]),
    ("Wir brauchen Getränke, z. B. Wasser, Saft, Bier usw.", ["Wir brauchen Getränke, z. B. Wasser, Saft, Bier usw."]),
    ("Ich kann u.a. Spanisch sprechen.", ["Ich kann u.a. Spanisch sprechen."]),
    ("Frau Prof. Schulze ist z. Z. nicht da.", ["Frau Prof. Schulze ist z. Z. nicht da."]),
    (
        "Sie erhalten ein neues Bank-Statement bzw. ein neues Schreiben.",
        ["Sie erhalten ein neues Bank-Statement bzw. ein neues Schreiben."],
    ),
    ("Z. T. ist die Lieferung unvollständig.", ["Z. T. ist die Lieferung unvollständig."]),
    ("Das finden Sie auf S. 225.", ["Das finden Sie auf S. 225."]),
    ("Sie besucht eine kath. Schule.", ["Sie besucht eine kath. Schule."]),
    (
        "Wir benötigen Zeitungen, Zeitschriften u. Ä. für unser Projekt.",
        ["Wir benötigen Zeitungen, Zeitschriften u. Ä. für unser Projekt."],
    ),
    ("Das steht auf S. 23, s. vorherige Anmerkung.", ["Das steht auf S. 23, s. vorherige Anmerkung."]),
    (
        "Dies ist meine Adresse: Dr. Meier, Berliner Str. 5, 21234 Bremen.",
        ["Dies ist meine Adresse: Dr. Meier, Berliner Str. 5, 21234 Bremen."],
    ),
    (
        "Er sagte: „Hallo, wie geht´s Ihnen, Frau Prof. Müller?“",
        ["Er sagte: „Hallo, wie geht´s Ihnen, Frau Prof. Müller?“"],
    ),
    (
        _FIT,
        [
            "Fit in vier Wochen",
            "Deine Anleitung für eine reine Ernährung und ein gesünderes und glücklicheres Leben",
            "RECHTLICHE HINWEISE",
            "Ohne die ausdrückliche schriftliche Genehmigung der Eigentümerin von instafemmefitness, Anna Anderson, "
            "darf dieses E-Book weder teilweise noch in vollem Umfang reproduziert, gespeichert, kopiert oder auf "
            "irgendeine Weise übertragen werden.",
            "Wenn Du das E-Book auf einem öffentlich zugänglichen Computer ausdruckst, musst Du es nach dem "
            "Ausdrucken von dem Computer löschen.",
            "Jedes E-Book wird mit einem Benutzernamen und Transaktionsinformationen versehen.",
            "Verstöße gegen dieses Urheberrecht werden im vollen gesetzlichen Umfang geltend gemacht.",
            "Obgleich die Autorin und Herausgeberin alle Anstrengungen unternommen hat, sicherzustellen, dass die "
            "Informationen in diesem Buch zum Zeitpunkt der Drucklegung korrekt sind, übernimmt die Autorin und "
            "Herausgeberin keine Haftung für etwaige Verluste, Schäden oder Störungen, die durch Fehler oder "
            "Auslassungen in Folge von Fahrlässigkeit, zufälligen Umständen oder sonstigen Ursachen entstehen, und "
            "lehnt hiermit jedwede solche Haftung ab.",
            "Dieses Buch ist kein Ersatz für die medizinische Beratung durch Ärzte.",
            "Der Leser/die Leserin sollte regelmäßig einen Arzt/eine Ärztin hinsichtlich Fragen zu seiner/ihrer "
            "Gesundheit und vor allem in Bezug auf Symptome, die eventuell einer ärztlichen Diagnose oder Behandlung "
            "bedürfen, konsultieren.",
            "Die Informationen in diesem Buch sind dazu gedacht, ein ordnungsgemäßes Training zu ergänzen, nicht "
            "aber zu ersetzen.",
            "Wie jeder andere Sport, der Geschwindigkeit, Ausrüstung, Gleichgewicht und Umweltfaktoren einbezieht, "
            "stellt dieser Sport ein gewisses Risiko dar.",
            "Die Autorin und Herausgeberin rät den Lesern dazu, die volle Verantwortung für die eigene Sicherheit zu "
            "übernehmen und die eigenen Grenzen zu beachten.",
            "Vor dem Ausüben der in diesem Buch beschriebenen Übungen solltest Du sicherstellen, dass Deine "
            "Ausrüstung in gutem Zustand ist, und Du solltest keine Risiken außerhalb Deines Erfahrungs- oder "
            "Trainingsniveaus, Deiner Fähigkeiten oder Deines Komfortbereichs eingehen.",
            "Hintergrundillustrationen Urheberrecht © 2013 bei Shuttershock, Buchgestaltung und -produktion durch "
            "Anna Anderson Verfasst von Anna Anderson",
            "Urheberrecht © 2014 Instafemmefitness.",
            "Alle Rechte vorbehalten",
            "Über mich",
        ],
    ),
    (
        "Es gibt jedoch einige Vorsichtsmaßnahmen, die Du ergreifen kannst, z. B. ist es sehr empfehlenswert, dass "
        "Du Dein Zuhause von allem Junkfood befreist. Ich persönlich kaufe kein Junkfood oder etwas, das nicht rein "
        "ist (ich traue mir da selbst nicht!). Ich finde jeden Vorwand, um das Junkfood zu essen, vor allem die "
        "Vorstellung, dass ich nicht mehr in Versuchung kommen werde, wenn ich es jetzt aufesse und es weg ist. Es "
        "ist schon komisch, was unser Verstand mitunter anstellt!",
        [
            "Es gibt jedoch einige Vorsichtsmaßnahmen, die Du ergreifen kannst, z. B. ist es sehr empfehlenswert, "
            "dass Du Dein Zuhause von allem Junkfood befreist.",
            "Ich persönlich kaufe kein Junkfood oder etwas, das nicht rein ist (ich traue mir da selbst nicht!).",
            "Ich finde jeden Vorwand, um das Junkfood zu essen, vor allem die Vorstellung, dass ich nicht mehr in "
            "Versuchung kommen werde, wenn ich es jetzt aufesse und es weg ist.",
            "Es ist schon komisch, was unser Verstand mitunter anstellt!",
        ],
    ),
    (
        "Ob Sie in Hannover nur auf der Durchreise, für einen längeren Aufenthalt oder zum Besuch einer der "
        "zahlreichen Messen sind: Die Hauptstadt des Landes Niedersachsens hat viele Sehenswürdigkeiten und ist zu "
        "jeder Jahreszeit eine Reise Wert. \nHannovers Ursprünge können bis zur römischen Kaiserzeit "
        "zurückverfolgt werden, und zwar durch Ausgrabungen von Tongefäßen aus dem 1. -3. Jahrhundert nach "
        "Christus, die an mehreren Stellen im Untergrund des Stadtzentrums durchgeführt wurden.",
        [
            "Ob Sie in Hannover nur auf der Durchreise, für einen längeren Aufenthalt oder zum Besuch einer der "
            "zahlreichen Messen sind: Die Hauptstadt des Landes Niedersachsens hat viele Sehenswürdigkeiten und ist "
            "zu jeder Jahreszeit eine Reise Wert.",
            "Hannovers Ursprünge können bis zur römischen Kaiserzeit zurückverfolgt werden, und zwar durch "
            "Ausgrabungen von Tongefäßen aus dem 1. -3. Jahrhundert nach Christus, die an mehreren Stellen im "
            "Untergrund des Stadtzentrums durchgeführt wurden.",
        ],
    ),
    (
        "• 3. Seien Sie achtsam bei der Auswahl der Nahrungsmittel! \n• 4. Nehmen Sie zusätzlich Folsäurepräparate "
        "und essen Sie Fisch! \n• 5. Treiben Sie regelmäßig Sport! \n• 6. Beginnen Sie mit Übungen für die "
        "Beckenbodenmuskulatur! \n• 7. Reduzieren Sie Ihren Alkoholgenuss! \n",
        [
            "• 3. Seien Sie achtsam bei der Auswahl der Nahrungsmittel!",
            "• 4. Nehmen Sie zusätzlich Folsäurepräparate und essen Sie Fisch!",
            "• 5. Treiben Sie regelmäßig Sport!",
            "• 6. Beginnen Sie mit Übungen für die Beckenbodenmuskulatur!",
            "• 7. Reduzieren Sie Ihren Alkoholgenuss!",
        ],
    ),
    (
        "Was sind die Konsequenzen der Abstimmung vom 12. Juni?",
        ["Was sind die Konsequenzen der Abstimmung vom 12. Juni?"],
    ),
    (
        "Was pro Jahr10. Zudem pro Jahr um 0.3 %11. Der gängigen Theorie nach erfolgt der Anstieg.",
        ["Was pro Jahr10.", "Zudem pro Jahr um 0.3 %11.", "Der gängigen Theorie nach erfolgt der Anstieg."],
    ),
    ("s. vorherige Anmerkung.", ["s. vorherige Anmerkung."]),
    (
        "Mit Inkrafttreten des Mindestlohngesetzes (MiLoG) zum 01. Januar 2015 werden in Bezug auf den Einsatz von "
        "Leistungs.",
        [
            "Mit Inkrafttreten des Mindestlohngesetzes (MiLoG) zum 01. Januar 2015 werden in Bezug auf den Einsatz "
            "von Leistungs."
        ],
    ),
    (
        "\n• einige Sorten Weichkäse  \n• rohes oder nicht ganz durchgebratenes Fleisch  \n• ungeputztes Gemüse und "
        "ungewaschener Salat  \n• nicht ganz durchgebratenes Hühnerfleisch, rohe oder nur weich gekochte Eier",
        [
            "• einige Sorten Weichkäse",
            "• rohes oder nicht ganz durchgebratenes Fleisch",
            "• ungeputztes Gemüse und ungewaschener Salat",
            "• nicht ganz durchgebratenes Hühnerfleisch, rohe oder nur weich gekochte Eier",
        ],
    ),
]
