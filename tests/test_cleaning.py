import pytest

from pipeline.cleaning import clean_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1Hang Seng Index closed up 0.31%.", "Hang Seng Index closed up 0.31%."),
        ("  • 2Non-ferrous metals led gains.", "Non-ferrous metals led gains."),
        ("Tencent\u2019s shares rose\u00a03%.", "Tencent's shares rose 3%."),
        ("\u201cWe are bullish,\u201d he said.", '"We are bullish," he said.'),
        ("Stocks rose ~4\u20136%.", "Stocks rose about 4\u20136%."),
        ("rare\u2011earth stocks", "rare-earth stocks"),
        ("- \U0001F525 Why This Matters: gains.", "- Why This Matters: gains."),
        ("\U0001F4F0\nStocks rose.", "Stocks rose."),
    ],
)
def test_cleaning_rewrites_scraped_noise(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "noise_line",
    [
        "Share Article",
        "Share this article",
        "Comments",
        "Post a Comment",
        "Advertisements",
        "Related Articles",
        "No related articles found",
        "\U0001F4CC Source: Example News (www.example.com)",
        "\u26A0\ufe0f Please credit Example News when republishing.",
        "![]() |",
        "An image caption that ends in a table pipe |",
        "Reuter",
    ],
)
def test_cleaning_drops_noise_lines(noise_line):
    text = f"The Hang Seng Index rose 1%.\n{noise_line}\nTencent fell 2%."
    assert clean_text(text) == "The Hang Seng Index rose 1%.\nTencent fell 2%."


def test_cleaning_unwraps_hard_wrapped_newswire():
    body = (
        "TOKYO STOCKS CLOSE HIGHER\n\n"
        "Tokyo stock prices closed higher on Monday as investors\n"
        "bought blue chips on hopes of lower interest rates, with the\n"
        "Nikkei average rising 120.5 points to a record 21,400.50,\n"
        "brokers said in their weekly review of the market today.\n"
        "    Turnover was heavy at 1.2 billion shares, compared with\n"
        "900 mln shares on Friday, the brokers said in a statement.\n"
    )
    cleaned = clean_text(body)
    assert cleaned.splitlines() == [
        "TOKYO STOCKS CLOSE HIGHER",
        "Tokyo stock prices closed higher on Monday as investors bought blue chips on hopes of lower "
        "interest rates, with the Nikkei average rising 120.5 points to a record 21,400.50, brokers said "
        "in their weekly review of the market today.",
        "Turnover was heavy at 1.2 billion shares, compared with 900 mln shares on Friday, the brokers "
        "said in a statement.",
    ]


def test_cleaning_unwraps_a_short_wire_story_with_short_paragraph_ends():
    body = (
        "STOCKS PLUNGE IN LATE TOKYO TRADE\n\n"
        "Stocks plunged sharply just before the\n"
        "close of trade as the yen rose against the dollar, brokers said.\n"
        "Investors sold their holdings.\n"
        "    At 1456 local time the index had slumped 502.98 to\n"
        "21,675.04, the day's low. On Saturday it rose 151.36 to\n"
        "a record high.\n"
        "    Brokers said today's decline was led by selling of\n"
        "export shares.\n"
    )
    lines = clean_text(body).splitlines()
    assert "At 1456 local time the index had slumped 502.98 to 21,675.04, the day's low. On Saturday it " \
        "rose 151.36 to a record high." in lines
    assert len(lines) == 4


def test_cleaning_keeps_lines_of_a_web_page_with_a_bullet_list():
    body = (
        "Hang Seng rallies as tech names lead\n"
        "• The Hang Seng Index rose 1.2 per cent to 24,383.32 at the close today\n"
        "• BYD jumped 4.6 per cent after strong May deliveries were reported\n"
        "• Mainland investors were net buyers of HK$6.2 billion of shares today\n"
        "Hong Kong stocks climbed on Friday as investors returned to technology names after a week of "
        "losses, with the benchmark posting its best day in a month on hopes of further support.\n"
        "Tencent rose 2.1 per cent and Alibaba gained 3.4 per cent, while Meituan added 1.9 per cent in "
        "heavy trading as turnover rose to its highest level since early March this year.\n"
    )
    assert len(clean_text(body).splitlines()) == 6


def test_cleaning_keeps_chinese_names():
    assert clean_text("Zhipu (\u667a\u8c31) climbed 8%.") == "Zhipu (\u667a\u8c31) climbed 8%."


def test_cleaning_of_seed_removes_widgets(seeds_dir):
    raw = (seeds_dir / "004_7ab6c40a93f34c57.txt").read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    assert "Share Article" not in cleaned
    assert "No related articles found" not in cleaned
    assert "Hang Seng Index closed up 0.31%" in cleaned
    assert "\u00a0" not in cleaned and "\u2019" not in cleaned
