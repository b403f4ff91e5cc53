"""Sentences for the all-MiniLM-L6-v2 encoder fixture (all written for emorl;
no dataset text). Imported by make_encoder_fixture.py."""

_LONG_PARAGRAPH = (
    "When I think back over the last two years, it is hard to pick out a single moment where things started "
    "going wrong. My father got sick in the spring, and I moved back home to help my mother look after him. "
    "I told myself it would only be for a few months, but the months turned into a year and a half. I gave up "
    "my apartment, my running club, and most of my friends, who stopped calling after I cancelled on them again "
    "and again. At night, after everyone was asleep, I would sit in the kitchen with a bottle of wine and scroll "
    "through old photos. At first it was one glass, then two, and by the end of that winter I was finishing the "
    "bottle most nights. Nobody noticed, or if they did, they did not say anything. Now my father is doing better, "
    "and I have my own place again, but the evenings still feel empty, and the wine is still there. "
)

ENCODER_SENTENCES = [
    "I feel tired.",
    "I'm exhausted all the time.",
    "My wife says I drink too much.",
    "You're worried about how your drinking affects your marriage.",
    "It sounds like you feel stuck.",
    "I don't know what to do anymore.",
    "You've tried many things and nothing has worked so far.",
    "I want to quit smoking, but it's the only thing that calms me down.",
    "Smoking helps you cope with stress, and you'd also like to stop.",
    "My kids don't talk to me.",
    "You miss being close to your children.",
    "I think I'm fine; everyone else is overreacting.",
    "From where you stand, the concern seems out of proportion.",
    "What would you like to be different a year from now?",
    "On a scale from 0 to 10, how ready are you to make a change?",
    "Maybe a 4. I'm not sure.",
    "The weather is lovely today.",
    "The stock market fell by 3% on Tuesday.",
    "Please preheat the oven to 180 degrees before adding the tray.",
    "A cat sat quietly on the warm windowsill.",
    "I've been sleeping badly since I lost my job in March.",
    "Losing your job has turned your nights upside down.",
    "He keeps telling me to relax, as if that were easy!",
    "Relaxing feels impossible right now.",
    "I'm proud that I went a whole week without gambling.",
    "A week without gambling is a real achievement for you.",
    "Why should I even bother?",
    "Part of you wonders whether it's worth the effort.",
    "I feel so lonely since moving to this city...",
    "Moving here has left you feeling isolated.",
    "OK.",
    "Yes",
    "no",
    "Hmm?!",
    "I... I don't know... maybe??",
    "WHY DOES NOBODY LISTEN TO ME",
    "why does nobody listen to me",
    "Café, naïve, résumé: accents everywhere.",
    "Je me sens très fatigué depuis des semaines.",
    "Ich fühle mich seit Wochen sehr müde.",
    "Me siento muy cansado desde hace semanas.",
    "Я чувствую себя очень уставшим.",
    "我最近总是感觉很累。",
    "最近ずっと疲れています。",
    "요즘 계속 피곤해요.",
    "I feel 😢 and 😡 at the same time.",
    "Stress level: 9/10 — maybe 10/10 on Mondays.",
    "My therapist (Dr. O'Neill) suggested journaling, e.g. 5 minutes a day.",
    "\"I can't,\" she said. \"I just can't.\"",
    "Email me at someone@example.com or visit https://example.org/help.",
    "   leading and trailing spaces   ",
    "Tabs\tand\nnewlines\r\nin the middle.",
    "It's 3:45 a.m. and I'm still awake, staring at the ceiling.",
    "You're lying awake at night with your thoughts racing.",
    "So on one hand you enjoy drinking with your friends, and on the other hand you're worried about your health "
    "and about the fights it causes at home.",
    "I have tried to cut down three times this year. The first time I lasted two weeks, the second time only "
    "four days, and the last time I didn't even make it through the weekend. Every time I fail, I feel worse "
    "about myself, and then I drink more to forget how bad I feel.",
    "You've made several serious attempts to cut down, and each setback has left you feeling more discouraged, "
    "which then makes drinking feel like the only way to escape those feelings. At the same time, the fact that "
    "you keep trying says something important about how much this matters to you.",
    _LONG_PARAGRAPH,
    "Let me check that I've understood: your mother's illness, the move, losing touch with friends, and the "
    "late-night drinking all seem tangled together, and now that things are calmer, the habit has stayed even "
    "though the reason for it has changed. Did I get that right?",
    _LONG_PARAGRAPH + _LONG_PARAGRAPH,  # longer than 256 word pieces: truncated to 256
    "x",
    "supercalifragilisticexpialidocious",
]

TOKENIZER_ONLY = [
    "Crème brûlée à la française",
    "ÀÉÎÕÜ àéîõü ÇÑ çñ",
    "Ångström Øresund Æble",
    "Straße Fußgänger",
    "naïve coöperation façade",
    "e\u0301 combining acute vs é",
    "我喜欢学习中文",
    "中文and English混合",
    "日本語のテキスト",
    "ひらがな カタカナ",
    "한국어 텍스트",
    "𠜎𠜱 rare CJK extension B",
    "null\u0000char",
    "bell\u0007char and escape\u001b[0m",
    "zero\u200bwidth\u200bspace",
    "soft\u00adhyphen",
    "replacement \ufffd char",
    "\ufeffbyte order mark",
    "non\u00a0breaking\u00a0space",
    "tabs\t\tand\n\nnewlines",
    "a" * 100,
    "a" * 101,
    "b" * 150 + " short",
    "antidisestablishmentarianism" * 4,
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "!!!???...",
    "$%^&*()_+",
    "---===~~~",
    "...!?!?!?",
    "``quotes'' and 'single'",
    "don't won't can't I'm you're",
    "U.S.A. e.g. i.e.",
    "3.14159 1,000,000 -42 +7",
    "2024-01-15T10:30:00Z",
    "😀 👩‍💻 🇫🇷 ❤️",
    "Ⅻ ½ ² ١٢٣",
    "HELLO World MiXeD CaSe",
    "",
    "   ",
    "[CLS] [SEP] [MASK] literal special tokens",
]
