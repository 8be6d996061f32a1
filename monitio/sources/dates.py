"""Dates as exports write them, read without guessing: one value, or a whole column at once.

A single value is read by `parse_date`: ISO 8601, Excel serial numbers, epoch seconds and
milliseconds, month names in English, Indonesian, Malay, Tagalog, Vietnamese, Thai and Hindi, Thai
Buddhist-era years, CJK `2026年4月12日`, 12-hour clocks with local AM/PM words, and zones written
in the value (`+07:00`, `GMT+7`, `UTC+08:00`, `WIB`, `ICT`, `JST`, `KST`, `IST`, `PHT`, ...).
Day-first versus month-first is never guessed: `04/12/2026` needs an `order`, which
`DateSniffer` infers from a whole column (one value with a first field over 12 settles day-first).

>>> from datetime import UTC
>>> parse_date("04/12/2026 15:00 GMT+7", zone=UTC, order="dmy").isoformat()
'2026-12-04T08:00:00+00:00'
>>> parse_date("12 เม.ย. 2569 09:30", zone=UTC).isoformat()
'2026-04-12T09:30:00+00:00'
>>> s = DateSniffer("Date")
>>> for v in ["04/12/2026 15:00", "13/12/2026 09:00"]:
...     s.add(v)
>>> s.decide().order
'dmy'
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Literal

from monitio.sources.files import SourceFileError

Order = Literal["dmy", "mdy"]
MAX_DATE_CHARS = 64
"""Longest text read as a date; longer values are refused before any pattern sees them."""
EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_RANGE = (36526.0, 73051.0)  # 2000-01-01 .. 2099-12-31 as Excel serial days
_EPOCH_S = (946_684_800.0, 4_102_444_800.0)  # 2000 .. 2100 in seconds


class DateError(ValueError):
    """One value is not a date Monitio can read; the message says why (it goes to the quarantine)."""


class AmbiguousDate(DateError):
    """The value fits both day-first and month-first and nothing says which."""


class AmbiguousDates(SourceFileError):
    """A whole column fits both day-first and month-first: the import stops before writing anything."""


ZONES: dict[str, timedelta] = {
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "Z": timedelta(0),
    "WIB": timedelta(hours=7),
    "WITA": timedelta(hours=8),
    "WIT": timedelta(hours=9),
    "ICT": timedelta(hours=7),
    "JST": timedelta(hours=9),
    "KST": timedelta(hours=9),
    "IST": timedelta(hours=5, minutes=30),
    "PHT": timedelta(hours=8),
    "PHST": timedelta(hours=8),
    "SGT": timedelta(hours=8),
    "MYT": timedelta(hours=8),
    "HKT": timedelta(hours=8),
    "PKT": timedelta(hours=5),
    "NPT": timedelta(hours=5, minutes=45),
    "MMT": timedelta(hours=6, minutes=30),
}
"""Zone abbreviations honoured in values and headers (only those with one meaning in the region)."""

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januari", "enero", "ene", "มกราคม", "ม.ค.", "जनवरी"),
    2: ("february", "feb", "februari", "pebrero", "febrero", "peb", "กุมภาพันธ์", "ก.พ.", "फ़रवरी", "फरवरी"),
    3: ("march", "mar", "maret", "mac", "marso", "มีนาคม", "มี.ค.", "मार्च"),
    4: ("april", "apr", "abril", "เมษายน", "เม.ย.", "अप्रैल"),
    5: ("may", "mei", "mayo", "พฤษภาคม", "พ.ค.", "मई"),
    6: ("june", "jun", "juni", "hunyo", "junio", "มิถุนายน", "มิ.ย.", "जून"),
    7: ("july", "jul", "juli", "julai", "hulyo", "julio", "กรกฎาคม", "ก.ค.", "जुलाई"),
    8: ("august", "aug", "agustus", "agu", "agt", "ogos", "ogo", "agosto", "ago", "สิงหาคม", "ส.ค.", "अगस्त"),
    9: (
        "september",
        "sept",
        "sep",
        "setyembre",
        "septiyembre",
        "septiembre",
        "set",
        "กันยายน",
        "ก.ย.",
        "सितंबर",
        "सितम्बर",
    ),
    10: ("october", "oct", "oktober", "okt", "oktubre", "octubre", "ตุลาคม", "ต.ค.", "अक्टूबर", "अक्तूबर"),
    11: ("november", "nov", "nobyembre", "noviembre", "nob", "พฤศจิกายน", "พ.ย.", "नवंबर", "नवम्बर"),
    12: (
        "december",
        "dec",
        "desember",
        "des",
        "disember",
        "dis",
        "disyembre",
        "diciembre",
        "ธันวาคม",
        "ธ.ค.",
        "दिसंबर",
        "दिसम्बर",
    ),
}
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "senin selasa rabu kamis jumat sabtu minggu isnin khamis jumaat ahad "
    "lunes martes miyerkules huwebes biyernes sabado linggo "
    "วันจันทร์ วันอังคาร วันพุธ วันพฤหัสบดี วันศุกร์ วันเสาร์ วันอาทิตย์ จันทร์ อังคาร พุธ พฤหัสบดี ศุกร์ เสาร์ อาทิตย์"
).split()
_AM = ("a.m.", "am", "sáng", "sang", "pagi", "ก่อนเที่ยง", "午前", "오전", "上午")
_PM = ("p.m.", "pm", "ch", "chiều", "chieu", "tối", "toi", "petang", "sore", "malam", "หลังเที่ยง", "午後", "오후", "下午")
_NOON = ("siang", "tengah hari", "tanghali", "ng tanghali")
_FILLERS = (
    "ngày", "ngay", "năm", "nam", "lúc", "luc", "pukul", "jam", "at", "of", "de", "ng", "noong", "alas", "sa",
    "เวลา", "น.", "ค.ศ.", "วันที่", "ที่",
)  # fmt: skip

_LATIN_EDGE = r"(?<![^\W\d_])"
_LATIN_END = r"(?![^\W\d_])"


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MONTH_OF = {name: n for n, names in _MONTHS.items() for name in names}
_MONTH_RE = re.compile(rf"{_LATIN_EDGE}({_alternation(_MONTH_OF)})\.?{_LATIN_END}")
_WEEKDAY_RE = re.compile(
    rf"{_LATIN_EDGE}(?:{_alternation(_WEEKDAYS)})\.?{_LATIN_END}|thứ\s+\w+|chủ\s+nhật|chu\s+nhat|[月火水木金土日]曜日?|[월화수목금토일]요일"
)
_AMPM_RE = re.compile(rf"{_LATIN_EDGE}(?:{_alternation(_AM + _PM + _NOON)}){_LATIN_END}")
_FILLER_RE = re.compile(rf"{_LATIN_EDGE}(?:{_alternation(_FILLERS)}){_LATIN_END}")
_VI_MONTH_RE = re.compile(r"(?:tháng|thang|thg)\s*(\d{1,2})(?!\d)")
_CJK_RE = re.compile(r"(\d{2,4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_TIME_RE = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?(?!\d)")
_CJK_TIME_RE = re.compile(r"(\d{1,2})\s*[時时시点]\s*(?:(\d{1,2})\s*[分분])?(?:\s*(\d{1,2})\s*[秒초])?")
_HOUR_WORD_RE = re.compile(r"(?:jam|pukul|lúc|luc|alas|at)\s+(\d{1,2})()(?![\d:.])")
_DOT_TIME_RE = re.compile(r"(?:^|\s)(\d{1,2})\.(\d{2})(?=\s*(?:น\.)?\s*$)")
_OFFSET_RE = re.compile(r"(?:\b(?:GMT|UTC)\s*)([+-])\s*(\d{1,2})(?::?(\d{2}))?(?!\d)", re.IGNORECASE)
_TRAILING_OFFSET_RE = re.compile(r"(?<=[\d\s])([+-])(\d{2}):?(\d{2})$")
_NAMED_ZONE_RE = re.compile(rf"(?<![A-Za-z])({_alternation(ZONES)})(?![A-Za-z])")
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Parsed:
    """A value read: the instant (aware when the value said its zone) and the order it settled, if any."""

    when: datetime
    settled: Order | None = None


def zone_in_text(text: str) -> tuple[tzinfo | None, str]:
    """The zone written in a value or a column header, and the text without it.

    >>> zone_in_text("Date (GMT+7)")[0]
    datetime.timezone(datetime.timedelta(seconds=25200))
    >>> zone_in_text("Waktu (WIB)")[0].utcoffset(None)
    datetime.timedelta(seconds=25200)
    >>> zone_in_text("Mention ID")[0] is None
    True
    """
    m = _OFFSET_RE.search(text)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours <= 14 and minutes < 60:
            delta = timedelta(hours=hours, minutes=minutes) * (-1 if m.group(1) == "-" else 1)
            return timezone(delta), (text[: m.start()] + " " + text[m.end() :]).strip()
    m = _NAMED_ZONE_RE.search(text)
    if m and (m.group(1) != "Z" or re.search(r"\dZ$", text)):
        return timezone(ZONES[m.group(1)]), (text[: m.start()] + " " + text[m.end() :]).strip()
    return None, text


def parse_date(value: Any, *, zone: tzinfo = UTC, order: Order | None = None, fmt: str | None = None) -> datetime:
    """Read one value as an aware UTC datetime; naive values are taken in `zone`.

    Raises `AmbiguousDate` for `03/04/2026` without an `order`, `DateError` for anything else unreadable.

    >>> parse_date("2026-11-01T08:00:00+07:00").isoformat()
    '2026-11-01T01:00:00+00:00'
    >>> parse_date(45992.625).isoformat()  # an Excel serial date
    '2025-12-01T15:00:00+00:00'
    >>> parse_date("-1")
    Traceback (most recent call last):
    ...
    monitio.sources.dates.DateError: '-1' is not a date (not an epoch time nor an Excel serial day)
    """
    parsed = read_date(value, order=order, fmt=fmt)
    when = parsed.when
    if when.tzinfo is None:
        when = _localize(when, zone)
    return when.astimezone(UTC)


def _localize(naive: datetime, zone: tzinfo) -> datetime:
    return naive.replace(tzinfo=zone)


def read_date(value: Any, *, order: Order | None = None, fmt: str | None = None) -> Parsed:
    """Read one value; the result is naive when the value carries no zone (see `parse_date`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DateError("timestamp is empty")
    if isinstance(value, bool):
        raise DateError(f"{value!r} is not a date")
    if isinstance(value, datetime):
        return Parsed(value)
    if isinstance(value, date):
        return Parsed(datetime.combine(value, time()))
    if isinstance(value, int | float):
        return Parsed(_from_number(float(value), repr(value)))
    text = str(value)
    if len(text) > MAX_DATE_CHARS:
        raise DateError(f"a value of {len(text)} characters is not a date (the limit is {MAX_DATE_CHARS})")
    text = unicodedata.normalize("NFC", text).strip()
    if fmt:
        return Parsed(_with_format(text, fmt))
    if _NUMBER_RE.match(text):
        if re.fullmatch(r"(19|20)\d{6}", text):  # 20261204: a compact ISO day
            try:
                return Parsed(datetime.strptime(text, "%Y%m%d"))
            except ValueError:
                pass
        return Parsed(_from_number(float(text), repr(text)))
    if _ISO_RE.match(text):
        try:
            return Parsed(datetime.fromisoformat(text.replace(",", ".")))
        except ValueError as exc:
            raise DateError(f"{text!r} is not a valid date: {exc}") from None
    return _read_text(text, order)


def _from_number(number: float, shown: str) -> datetime:
    if math.isnan(number) or math.isinf(number):
        raise DateError(f"{shown} is not a date")
    if _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        # naive: local wall time, like the sheet showed it; to the millisecond (float days carry noise)
        return EXCEL_EPOCH + timedelta(milliseconds=round(number * 86_400_000))
    if _EPOCH_S[0] <= number < _EPOCH_S[1]:
        return datetime.fromtimestamp(number, tz=UTC)
    if _EPOCH_S[0] * 1000 <= number < _EPOCH_S[1] * 1000:
        return datetime.fromtimestamp(number / 1000.0, tz=UTC)
    raise DateError(f"{shown[:30]} is not a date (not an epoch time nor an Excel serial day)")


def _with_format(text: str, fmt: str) -> datetime:
    try:
        return _buddhist(datetime.strptime(text, fmt))
    except ValueError:
        pass
    zone, rest = zone_in_text(text)
    if zone is not None:
        try:
            return _buddhist(datetime.strptime(rest, fmt)).replace(tzinfo=zone)
        except ValueError:
            pass
    raise DateError(f"{text!r} does not match the date format {fmt!r}")


def _buddhist(dt: datetime) -> datetime:
    return dt.replace(year=dt.year - 543) if dt.year >= 2400 else dt


def _year(token: str) -> int:
    year = int(token)
    if len(token) <= 2:
        return 2000 + year
    return year - 543 if year >= 2400 else year


def _read_text(text: str, order: Order | None) -> Parsed:
    original = text
    zone, text = zone_in_text(text)
    if zone is None:
        m = _TRAILING_OFFSET_RE.search(text)
        if m and _TIME_RE.search(text[: m.start()]):
            delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
            zone = timezone(-delta if m.group(1) == "-" else delta)
            text = text[: m.start()]
    low = text.casefold()
    hour = minute = second = micro = 0
    m = _TIME_RE.search(low) or _CJK_TIME_RE.search(low) or _DOT_TIME_RE.search(low) or _HOUR_WORD_RE.search(low)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        second = int(m.group(3) or 0) if m.re in (_TIME_RE, _CJK_TIME_RE) else 0
        if m.re is _TIME_RE and m.group(4):
            micro = int(m.group(4).ljust(6, "0")[:6])
        low = low[: m.start()] + " " + low[m.end() :]
    ampm = [w.group() for w in _AMPM_RE.finditer(low)]
    low = _AMPM_RE.sub(" ", low)
    if ampm:
        explicit = [w for w in ampm if w in ("am", "pm", "a.m.", "p.m.")]  # these win over words like "sore"
        hour = _twelve_hour(hour, (explicit or ampm)[0], original)
    low = _WEEKDAY_RE.sub(" ", low)
    month: int | None = None
    settled: Order | None = None
    cjk = _CJK_RE.search(low)
    if cjk:
        y, mo, d = cjk.groups()
        low = low[: cjk.start()] + " " + low[cjk.end() :]
        year, month, day = _year(y), int(mo), int(d)
        nums: list[str] = []
    else:
        names = _MONTH_RE.findall(low)
        if len(names) > 1:
            raise DateError(f"{original!r} names two months")
        vi = _VI_MONTH_RE.search(low)
        if names:
            month = _MONTH_OF[names[0]]
            low = _MONTH_RE.sub(" ", low)
        elif vi:
            month = int(vi.group(1))
            low = low[: vi.start()] + " " + low[vi.end() :]
        be = "พ.ศ." in low
        low = low.replace("พ.ศ.", " ")
        low = _FILLER_RE.sub(" ", low)
        low = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", low)
        leftover = re.sub(r"[\d\s/.,\-]+", " ", low).strip()
        if leftover:
            raise DateError(f"{original!r} is not a date Monitio can read (unknown word {leftover.split()[0]!r})")
        nums = re.findall(r"\d+", low)
        if month is not None:
            if len(nums) != 2:
                raise DateError(f"{original!r} is not a date Monitio can read")
            if len(nums[0]) >= 3:
                year, day = _year(nums[0]), int(nums[1])
            else:
                day, year = int(nums[0]), _year(nums[1])
        elif len(nums) == 3:
            if len(nums[0]) == 4:
                year, month, day = _year(nums[0]), int(nums[1]), int(nums[2])
            elif len(nums[2]) in (2, 4):
                a, b, year = int(nums[0]), int(nums[1]), _year(nums[2])
                day, month, settled = _day_month(a, b, order, original)
            else:
                raise DateError(f"{original!r} is not a date Monitio can read")
        else:
            raise DateError(f"{original!r} is not a date Monitio can read")
        if be and year < 2400 and year > 2100:
            year -= 543
    try:
        when = datetime(year, month, day, hour, minute, second, micro)
    except (ValueError, OverflowError) as exc:
        raise DateError(f"{original!r} is not a valid date: {exc}") from None
    return Parsed(when.replace(tzinfo=zone) if zone is not None else when, settled)


def _twelve_hour(hour: int, word: str, original: str) -> int:
    if not 1 <= hour <= 12:
        raise DateError(f"{original!r}: hour {hour} with {word!r} is not a 12-hour time")
    if word in _NOON:
        return hour if hour >= 11 else hour + 12
    if word == "malam" and hour == 12:
        return 0  # "jam 12 malam": midnight
    if word in _PM:
        return hour if hour == 12 else hour + 12
    return 0 if hour == 12 else hour


def _day_month(a: int, b: int, order: Order | None, original: str) -> tuple[int, int, Order | None]:
    """Day and month from the first two fields; the order a value settles by itself (a field over 12)."""
    if a > 12 and b > 12:
        raise DateError(f"{original!r} is not a valid date (neither field can be a month)")
    settled: Order | None = "dmy" if a > 12 else "mdy" if b > 12 else None
    use = order or settled
    if use is None:
        if a == b:
            return a, b, None  # 04/04: the same day either way
        raise AmbiguousDate(f"{original!r} fits both day-first and month-first")
    if use == "dmy":
        if b > 12:
            raise DateError(f"{original!r} does not fit day-first (day/month/year)")
        return a, b, settled
    if a > 12:
        raise DateError(f"{original!r} does not fit month-first (month/day/year)")
    return b, a, settled


def suggest_format(example: str, order: Order = "dmy") -> str:
    """A `--date-format` that reads `example` in the given order (for error messages).

    >>> suggest_format("04/12/2026 15:00")
    '%d/%m/%Y %H:%M'
    >>> suggest_format("4.12.26 3:00:00 PM", "mdy")
    '%m.%d.%y %I:%M:%S %p'
    """
    m = re.fullmatch(
        r"\s*\d{1,2}([/.\-])\d{1,2}\1(\d{2}|\d{4})(?:[ T](\d{1,2}:\d{2})(:\d{2})?(\s*[AaPp]\.?[Mm]\.?)?)?\s*",
        example,
    )
    if not m:
        return "%d/%m/%Y %H:%M" if order == "dmy" else "%m/%d/%Y %H:%M"
    sep = m.group(1)
    first, second = ("%d", "%m") if order == "dmy" else ("%m", "%d")
    out = f"{first}{sep}{second}{sep}{'%Y' if len(m.group(2)) == 4 else '%y'}"
    if m.group(3):
        out += " " + ("%I" if m.group(5) else "%H") + ":%M" + (":%S" if m.group(4) else "")
        if m.group(5):
            out += " %p"
    return out


@dataclass
class DateRule:
    """How one column's values are read: the order (or an explicit format) and the zone for naive values."""

    column: str
    order: Order | None = None
    fmt: str | None = None
    header_zone: tzinfo | None = None
    settled_by: str | None = None
    """Why this order: 'values' (a value settled it), 'option', 'preset', 'workspace', or None."""

    def parse(self, value: Any, zone: tzinfo) -> datetime:
        return parse_date(value, zone=zone, order=self.order, fmt=self.fmt)


@dataclass
class DateSniffer:
    """Collects evidence from every value of one date column, then `decide`s how to read it."""

    column: str
    dmy: list[str] = field(default_factory=list)
    mdy: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"dmy": 0, "mdy": 0, "ambiguous": 0, "naive": 0})

    def add(self, value: Any) -> None:
        try:
            parsed = read_date(value)
        except AmbiguousDate:
            self.counts["ambiguous"] += 1
            self.counts["naive"] += 1
            if len(self.ambiguous) < 2 and str(value) not in self.ambiguous:
                self.ambiguous.append(str(value))
            return
        except DateError:
            return  # quarantined later with its own reason
        if parsed.when.tzinfo is None:
            self.counts["naive"] += 1
        if parsed.settled:
            self.counts[parsed.settled] += 1
            examples = self.dmy if parsed.settled == "dmy" else self.mdy
            if len(examples) < 2:
                examples.append(str(value))

    def merge(self, other: DateSniffer) -> DateSniffer:
        """Add the evidence `other` collected from the rows after this one's (a file read in parts):
        the result is what one sniffer reading both parts in order would hold.

        >>> a, b = DateSniffer("d"), DateSniffer("d")
        >>> a.add("2026-03-01"); b.add("13/03/2026"); b.add("03/04/2026")
        >>> merged = a.merge(b)
        >>> merged.counts["dmy"], merged.counts["ambiguous"], merged.dmy
        (1, 1, ['13/03/2026'])
        """
        for name, n in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + n
        for mine, theirs in ((self.dmy, other.dmy), (self.mdy, other.mdy)):
            mine.extend(theirs[: max(0, 2 - len(mine))])
        for value in other.ambiguous:
            if len(self.ambiguous) < 2 and value not in self.ambiguous:
                self.ambiguous.append(value)
        return self

    def decide(self, order: Order | None = None, fmt: str | None = None, *, source: str = "option") -> DateRule:
        """The rule for this column. `order`/`fmt` given by the user (or a preset) win; a workspace
        default (`source="workspace"`) only breaks a tie. Raises `AmbiguousDates` with the fix."""
        header_zone, _ = zone_in_text(self.column)
        if fmt:
            return DateRule(self.column, fmt=fmt, header_zone=header_zone, settled_by=source)
        if order and source != "workspace":
            return DateRule(self.column, order=order, header_zone=header_zone, settled_by=source)
        if self.counts["dmy"] and self.counts["mdy"]:
            raise AmbiguousDates(
                f"column {self.column!r} mixes day-first ({self.dmy[0]!r}) and month-first ({self.mdy[0]!r}) "
                f'dates; say which with --date-format "{suggest_format(self.dmy[0])}" or fix the file'
            )
        for settled in ("dmy", "mdy"):
            if self.counts[settled]:
                return DateRule(self.column, order=settled, header_zone=header_zone, settled_by="values")  # type: ignore[arg-type]
        if self.counts["ambiguous"]:
            if order:
                return DateRule(self.column, order=order, header_zone=header_zone, settled_by=source)
            examples = " and ".join(repr(v) for v in self.ambiguous)
            raise AmbiguousDates(
                f"every date in column {self.column!r} fits both day-first and month-first (e.g. {examples}); "
                f'say which: --date-format "{suggest_format(self.ambiguous[0])}" or --dayfirst '
                "(or --monthfirst)"
            )
        return DateRule(self.column, header_zone=header_zone)
