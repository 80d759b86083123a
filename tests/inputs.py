"""Text participants really type: shared by every test of storing, showing and exporting."""

BAD_INPUT = {
    "empty": "",
    "whitespace": "   \n\t ",
    "long": "Ä" * 100_000,
    "emoji": "Kunde 😡 → 😊 👍🏽 🇩🇪",
    "rtl": "مرحبا بالعالم שלום עולם",
    "script": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "specials": "& % $ # _ { } ~ ^ \\",
    "nul": "before\x00after",
}

#: The ones a note may hold (the others are refused with a message naming the field).
STORABLE = {k: v for k, v in BAD_INPUT.items() if v.strip() and "\x00" not in v}
