import pytest

from pipeline.dates import to_iso8601


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01"),
        ("2025-02-03", "2025-02-03"),
        ("February 18, 2025", "2025-02-18"),
        ("2025-02-18T09:30:00+08:00", "2025-02-18T09:30:00+08:00"),
        ("not a date at all", "not a date at all"),
        ("", None),
        (None, None),
    ],
)
def test_dates_published_becomes_iso8601(raw, iso):
    assert to_iso8601(raw) == iso
