//! Dates and date-times: parsing Deluge date texts and Java `SimpleDateFormat` patterns,
//! formatting, time zones, and the calendar arithmetic behind the Date/DateTime built-ins.
//! Pure functions over `jiff::civil::{Date, DateTime}`; no dependency on the rest of the crate.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Span, Timestamp, Zoned};

/// A parsed date text: a plain date, or a date with a time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    Date(Date),
    DateTime(DateTime),
}

impl Moment {
    /// The moment as a date-time (a plain date is taken at 00:00:00).
    pub fn to_datetime(self) -> DateTime {
        match self {
            Moment::Date(d) => d.to_datetime(Time::midnight()),
            Moment::DateTime(dt) => dt,
        }
    }
}

#[rustfmt::skip]
const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
/// Indexed by `weekday_sunday1 - 1`.
#[rustfmt::skip]
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MS_PER_DAY: i64 = 86_400_000;

/// 1-based index of `name` (in full, or its first three letters; any case) in `names`.
fn name_index(names: &[&str], name: &str) -> Option<i64> {
    let hit = |n: &&str| n.eq_ignore_ascii_case(name) || (name.len() == 3 && n[..3].eq_ignore_ascii_case(name));
    names.iter().position(hit).map(|i| i as i64 + 1)
}

/// A cursor over the text being parsed; every step checks bounds, so no input can panic.
struct Scan<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Scan<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    /// Consumes `t` (ASCII case-insensitive) when the text continues with it.
    fn eat(&mut self, t: &str) -> bool {
        let r = self.rest();
        let hit = r.is_char_boundary(t.len()) && r[..t.len()].eq_ignore_ascii_case(t);
        self.i += if hit { t.len() } else { 0 };
        hit
    }
    /// Consumes up to `max` leading bytes satisfying `f`.
    fn take(&mut self, max: usize, f: fn(&u8) -> bool) -> &'a str {
        let n = self.rest().bytes().take(max).take_while(f).count();
        self.i += n;
        &self.s[self.i - n..self.i]
    }
    fn alpha(&mut self) -> &'a str {
        self.take(usize::MAX, u8::is_ascii_alphabetic)
    }
    fn spaces(&mut self) -> usize {
        self.take(usize::MAX, |b| *b == b' ' || *b == b'\t').len()
    }
    /// `sep`, then `min..=max` digits.
    fn after(&mut self, sep: &str, min: usize, max: usize) -> Option<i64> {
        self.eat(sep).then_some(())?;
        Some(self.num(min, max)?.0)
    }
    /// `min..=max` digits (`max` <= 9, so the value fits) as (value, digit count).
    fn num(&mut self, min: usize, max: usize) -> Option<(i64, usize)> {
        let digits = self.take(max, u8::is_ascii_digit);
        if digits.len() < min.max(1) {
            self.i -= digits.len();
            return None;
        }
        Some((digits.parse().ok()?, digits.len()))
    }
}

fn make_date(y: i64, m: i64, d: i64) -> Option<Date> {
    Date::new(y.try_into().ok()?, m.try_into().ok()?, d.try_into().ok()?).ok()
}

fn make_time(h: i64, mi: i64, s: i64, nanos: i64) -> Option<Time> {
    let (h, mi, s) = (h.try_into().ok()?, mi.try_into().ok()?, s.try_into().ok()?);
    Time::new(h, mi, s, nanos.try_into().ok()?).ok()
}

/// `H[H]:mm[:ss[.fffffffff]]` as (hour, minute, second, nanoseconds).
fn scan_time(sc: &mut Scan) -> Option<(i64, i64, i64, i64)> {
    let (h, mi) = (sc.num(1, 2)?.0, sc.after(":", 2, 2)?);
    let (mut s, mut nanos) = (0, 0);
    if sc.eat(":") {
        s = sc.num(2, 2)?.0;
        if sc.eat(".") {
            let (f, len) = sc.num(1, 9)?;
            nanos = f * 10i64.pow(9 - len as u32);
            sc.take(usize::MAX, u8::is_ascii_digit); // finer than nanoseconds: dropped
        }
    }
    Some((h, mi, s, nanos))
}

/// Skips a zone designator: `Z`, `+05:30`, `-0800`, `+05`, or a name such as `GMT`, `IST`, `GMT+5`.
fn skip_zone(sc: &mut Scan) -> Option<()> {
    if sc.eat("Z") {
        return Some(());
    }
    let named = !sc.alpha().is_empty();
    if sc.eat("+") || sc.eat("-") {
        sc.num(1, 2)?;
        sc.eat(":");
        sc.num(2, 2);
        return Some(());
    }
    named.then_some(())
}

/// Deluge date-time literal / text forms: `01-Jan-2019`, `7-Feb-2021`, `01-January-2019` with an
/// optional ` HH:mm[:ss]` and optional ` AM`/` PM`; `MM/dd/yyyy` with the same optional time; ISO
/// `2019-01-31`, `2019-01-31 10:20:30`, `2019-01-31T10:20:30.123+05:30` (an offset or `Z` is
/// dropped, the wall time kept). Month names are case-insensitive; surrounding whitespace is
/// ignored. `None` when the text is not a valid date.
pub fn parse_moment(s: &str) -> Option<Moment> {
    let s = s.trim();
    let mut sc = Scan { s, i: 0 };
    let (a, alen) = sc.num(1, 4)?;
    let iso = alen == 4;
    let (y, m, d) = if iso && sc.eat("-") {
        let m = sc.num(1, 2)?.0;
        (a, m, sc.after("-", 1, 2)?)
    } else if alen <= 2 && sc.eat("-") {
        let m = name_index(&MONTHS, sc.alpha())?;
        (sc.after("-", 4, 4)?, m, a)
    } else if alen <= 2 && sc.eat("/") {
        let d = sc.num(1, 2)?.0;
        (sc.after("/", 4, 4)?, a, d)
    } else {
        return None;
    };
    let date = make_date(y, m, d)?;
    if sc.done() {
        return Some(Moment::Date(date));
    }
    if !(iso && sc.eat("T")) && sc.spaces() == 0 {
        return None;
    }
    let (mut h, mi, sec, nanos) = scan_time(&mut sc)?;
    let save = sc.i;
    sc.spaces();
    if iso && !sc.done() {
        sc.i = save;
        skip_zone(&mut sc)?;
    } else if !iso {
        let pm = sc.eat("PM");
        if pm || sc.eat("AM") {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = h % 12 + if pm { 12 } else { 0 };
        }
    }
    if !sc.done() {
        return None;
    }
    let time = make_time(h, mi, sec, nanos)?;
    Some(Moment::DateTime(date.to_datetime(time)))
}

/// One piece of a Java `SimpleDateFormat` pattern.
#[derive(Debug, PartialEq)]
enum Tok {
    Field(char, usize),
    Lit(String),
}

fn tokenize(pattern: &str) -> Result<Vec<Tok>, String> {
    let (mut out, mut lit, mut chars) = (Vec::new(), String::new(), pattern.chars().peekable());
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut quoted = chars.next_if_eq(&'\'').is_none(); // `''` alone is a quote
            if !quoted {
                lit.push('\'');
            }
            while quoted {
                match chars.next() {
                    None => return Err("Unterminated quote".to_string()),
                    Some('\'') if chars.next_if_eq(&'\'').is_some() => lit.push('\''),
                    Some('\'') => quoted = false,
                    Some(ch) => lit.push(ch),
                }
            }
        } else if c.is_ascii_alphabetic() {
            if !"GyYMLdDEuaHkKhmsSzZXwWF".contains(c) {
                return Err(format!("Illegal pattern character '{c}'"));
            }
            let mut n = 1;
            while chars.next_if_eq(&c).is_some() {
                n += 1;
            }
            if !lit.is_empty() {
                out.push(Tok::Lit(std::mem::take(&mut lit)));
            }
            out.push(Tok::Field(c, n));
        } else {
            lit.push(c);
        }
    }
    if !lit.is_empty() {
        out.push(Tok::Lit(lit));
    }
    Ok(out)
}

fn is_numeric_field(c: char, n: usize) -> bool {
    "yYdDHhkKmsSuwWF".contains(c) || (matches!(c, 'M' | 'L') && n < 3)
}

/// A two-digit year in Java's window: from 80 years before now to 20 years after.
fn pivot_year(yy: i64) -> i64 {
    let start = now_local().year() as i64 - 80;
    let y = start.div_euclid(100) * 100 + yy;
    y + if y < start { 100 } else { 0 }
}

/// Parses text with a Java `SimpleDateFormat` pattern (`yyyy yy MM MMM MMMM M dd d HH H hh h kk
/// KK mm m ss s SSS a E EEEE G z Z X 'literal'`). Strict: out-of-range fields, text that does not
/// match, and patterns without any field give `None`. As in Java, text left after the pattern is
/// ignored; a zone in the text is skipped and the wall time kept; missing fields default to
/// 1970-01-01 00:00:00. A pattern with no time letters gives a `Moment::Date`.
pub fn parse_with_pattern(s: &str, pattern: &str) -> Option<Moment> {
    let toks = tokenize(pattern).ok()?;
    let mut sc = Scan { s, i: 0 };
    let (mut y, mut mo, mut d, mut h, mut mi, mut sec, mut ms) = (1970, 1, 1, 0, 0, 0, 0);
    let (mut pm, mut h12, mut bc, mut has_time, mut any) = (false, false, false, false, false);
    for (k, tok) in toks.iter().enumerate() {
        let (c, n) = match tok {
            Tok::Lit(lit) if sc.rest().starts_with(lit.as_str()) => {
                sc.i += lit.len();
                continue;
            }
            Tok::Lit(_) => return None,
            Tok::Field(c, n) => (*c, *n),
        };
        any = true;
        has_time |= "HhkKmsSa".contains(c);
        if !is_numeric_field(c, n) {
            match c {
                'M' | 'L' => mo = name_index(&MONTHS, sc.alpha())?,
                'E' => _ = name_index(&DAYS, sc.alpha())?,
                'a' if sc.eat("AM") => pm = false,
                'a' if sc.eat("PM") => pm = true,
                'G' if sc.eat("AD") => bc = false,
                'G' if sc.eat("BC") => bc = true,
                'z' | 'Z' | 'X' => skip_zone(&mut sc)?,
                _ => return None,
            }
            continue;
        }
        let abutting = matches!(toks.get(k + 1), Some(Tok::Field(c2, n2)) if is_numeric_field(*c2, *n2));
        let (min, max) = if abutting { (n, n.min(9)) } else { (1, 9) };
        let (v, len) = sc.num(min, max)?;
        match c {
            'y' | 'Y' if n <= 2 && len == 2 => y = pivot_year(v),
            'y' | 'Y' => y = v,
            'M' | 'L' => mo = v,
            'd' => d = v,
            'H' if v <= 23 => h = v,
            'k' if (1..=24).contains(&v) => h = v % 24,
            'K' if v <= 11 => (h, h12) = (v, true),
            'h' if (1..=12).contains(&v) => (h, h12) = (v % 12, true),
            'm' if v <= 59 => mi = v,
            's' if v <= 59 => sec = v,
            'S' if v <= 999 => ms = v,
            'D' | 'u' | 'w' | 'W' | 'F' => {} // read, but not used to build the date
            _ => return None,
        }
    }
    let date = make_date(if bc { 1 - y } else { y }, mo, d).filter(|_| any)?;
    if !has_time {
        return Some(Moment::Date(date));
    }
    let time = make_time(h + if h12 && pm { 12 } else { 0 }, mi, sec, ms * 1_000_000)?;
    Some(Moment::DateTime(date.to_datetime(time)))
}

/// `05-Feb-2026` (`dd-MMM-yyyy`).
pub fn format_date(d: Date) -> String {
    let month = &MONTHS[(d.month() - 1) as usize][..3];
    format!("{:02}-{month}-{:04}", d.day(), d.year())
}

/// `01-Jan-2019 01:00:00` (`dd-MMM-yyyy HH:mm:ss`).
pub fn format_datetime(dt: DateTime) -> String {
    let (h, m, s) = (dt.hour(), dt.minute(), dt.second());
    format!("{} {h:02}:{m:02}:{s:02}", format_date(dt.date()))
}

/// A zone by name: an IANA name, or a Java custom id such as `GMT+5`, `GMT+05:30`, `GMT-0800`.
fn resolve_tz(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    let Some(rest) = name.strip_prefix("GMT").filter(|r| !r.is_empty()) else {
        return TimeZone::get(name).ok().filter(|_| !name.is_empty());
    };
    let mut sc = Scan { s: rest, i: 0 };
    let neg = sc.eat("-");
    (neg || sc.eat("+")).then_some(())?;
    let (h, m) = match sc.num(1, 4)? {
        (hhmm, 4) => (hhmm / 100, hhmm % 100),
        (h, 1 | 2) if sc.eat(":") => (h, sc.num(2, 2)?.0),
        (h, 1 | 2) => (h, 0),
        _ => return None,
    };
    if !sc.done() || h > 23 || m > 59 {
        return None;
    }
    let secs = (h * 3600 + m * 60) as i32 * if neg { -1 } else { 1 };
    Offset::from_seconds(secs).ok().map(TimeZone::fixed)
}

/// The zone named, or GMT when absent or unknown (as Java's `TimeZone.getTimeZone` does).
fn tz_or_gmt(name: Option<&str>) -> TimeZone {
    name.and_then(resolve_tz).unwrap_or_else(|| TimeZone::get("GMT").unwrap_or(TimeZone::UTC))
}

/// The local zone's name: `TZ` when it names a known zone, else the system zone, else `UTC`.
pub fn local_tz_name() -> String {
    let env = std::env::var("TZ").unwrap_or_default();
    let env = env.trim().trim_start_matches(':');
    if resolve_tz(env).is_some() {
        return env.to_string();
    }
    let system = TimeZone::try_system().ok();
    let name = system.as_ref().and_then(TimeZone::iana_name);
    name.unwrap_or("UTC").to_string()
}

/// Current wall-clock time in the local zone (see [`local_tz_name`]), to the millisecond.
pub fn now_local() -> DateTime {
    let tz = resolve_tz(&local_tz_name()).unwrap_or(TimeZone::UTC);
    let dt = Timestamp::now().to_zoned(tz).datetime();
    let ms = dt.subsec_nanosecond() / 1_000_000 * 1_000_000;
    dt.with().subsec_nanosecond(ms).build().unwrap_or(dt)
}

/// Days from 1970-01-01 to `d` (proleptic Gregorian; plain arithmetic, total over all dates).
fn epoch_days(d: Date) -> i64 {
    let (m, day) = (d.month() as i64, d.day() as i64);
    let y = d.year() as i64 - i64::from(m <= 2);
    let (era, doy) = (y.div_euclid(400), (153 * ((m + 9) % 12) + 2) / 5 + day - 1);
    let yoe = y - era * 400;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// Milliseconds of `dt` since 1970-01-01T00:00:00, read as a civil (zone-less) time.
fn civil_millis(dt: DateTime) -> i64 {
    let secs = dt.hour() as i64 * 3600 + dt.minute() as i64 * 60 + dt.second() as i64;
    epoch_days(dt.date()) * MS_PER_DAY + secs * 1000 + dt.millisecond() as i64
}

/// Milliseconds since the Unix epoch of wall time `dt` read in zone `tz` (IANA name; unknown or
/// `None` = GMT).
pub fn unix_epoch_millis(dt: DateTime, tz: Option<&str>) -> i64 {
    match dt.to_zoned(tz_or_gmt(tz)) {
        Ok(z) => z.timestamp().as_millisecond(),
        Err(_) => civil_millis(dt),
    }
}

/// Offset in seconds, abbreviation and IANA name of the zone a date-time is shown in.
#[derive(Default)]
struct ZoneInfo {
    offset: i32,
    abbr: String,
    iana: String,
}

fn zone_info(z: &Zoned) -> ZoneInfo {
    let info = z.time_zone().to_offset_info(z.timestamp());
    let offset = info.offset().seconds();
    let iana = z.time_zone().iana_name().unwrap_or("").to_string();
    ZoneInfo { offset, abbr: info.abbreviation().to_string(), iana }
}

/// `+0530` (`colon` false) or `+05:30` (`colon` true).
fn offset_text(secs: i32, colon: bool) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() / 60 % 60);
    format!("{sign}{h:02}{}{m:02}", if colon { ":" } else { "" })
}

#[rustfmt::skip]
const LONG_NAMES: [(&str, &str); 30] = [
    ("UTC", "Coordinated Universal Time"), ("GMT", "Greenwich Mean Time"), ("BST", "British Summer Time"),
    ("IST", "India Standard Time"), ("PST", "Pacific Standard Time"), ("PDT", "Pacific Daylight Time"),
    ("MST", "Mountain Standard Time"), ("MDT", "Mountain Daylight Time"), ("CST", "Central Standard Time"),
    ("CDT", "Central Daylight Time"), ("EST", "Eastern Standard Time"), ("EDT", "Eastern Daylight Time"),
    ("AKST", "Alaska Standard Time"), ("AKDT", "Alaska Daylight Time"), ("HST", "Hawaii-Aleutian Standard Time"),
    ("CET", "Central European Standard Time"), ("CEST", "Central European Summer Time"),
    ("EET", "Eastern European Standard Time"), ("EEST", "Eastern European Summer Time"),
    ("WET", "Western European Standard Time"), ("WEST", "Western European Summer Time"),
    ("MSK", "Moscow Standard Time"), ("JST", "Japan Standard Time"), ("KST", "Korean Standard Time"),
    ("HKT", "Hong Kong Standard Time"), ("SAST", "South Africa Standard Time"),
    ("AEST", "Australian Eastern Standard Time"), ("AEDT", "Australian Eastern Daylight Time"),
    ("NZST", "New Zealand Standard Time"), ("NZDT", "New Zealand Daylight Time"),
];

/// Java's zone name: `long` as in `zzzz` (common zones; others and numeric abbreviations fall
/// back to `GMT+05:30`, as Java does for zones it cannot name).
fn zone_name(z: &ZoneInfo, long: bool) -> String {
    let name = match (z.abbr.as_str(), z.iana.as_str()) {
        (a, _) if !a.starts_with(|c: char| c.is_ascii_alphabetic()) => None, // `+04`, ``
        (a, _) if !long => Some(a),
        ("IST", "Europe/Dublin") => Some("Irish Standard Time"),
        ("IST", "Asia/Jerusalem" | "Asia/Tel_Aviv") => Some("Israel Standard Time"),
        ("CST", iana) if iana.starts_with("Asia/") => Some("China Standard Time"),
        (a, _) => LONG_NAMES.iter().find(|(short, _)| *short == a).map(|(_, l)| *l),
    };
    let gmt = || format!("GMT{}", offset_text(z.offset, true));
    name.map_or_else(gmt, str::to_string)
}

/// Java's week-based year with US rules: late-December days in week 1 belong to the next year.
fn week_year(d: Date) -> i64 {
    d.year() as i64 + i64::from(d.month() == 12 && week_of_year(d) == 1)
}

/// Formats with a Java `SimpleDateFormat` pattern. Letters: `G y Y M L d D E u a H k K h m s S z
/// Z X w W F`; `'text'` is literal and `''` a quote; other letters give `Err`. `dt` is a wall time
/// in zone `from_tz`; when `to_tz` is given the time is converted to that zone first (an unknown
/// zone name means GMT, as in Java). `z`/`Z`/`X` print the zone the result is in.
pub fn format_pattern(dt: DateTime, pattern: &str, from_tz: &str, to_tz: Option<&str>) -> Result<String, String> {
    let toks = tokenize(pattern)?;
    let (dt, zone) = match (to_tz, dt.to_zoned(tz_or_gmt(Some(from_tz)))) {
        (Some(to), Ok(z)) => {
            let z = z.with_time_zone(tz_or_gmt(Some(to)));
            (z.datetime(), zone_info(&z))
        }
        (Some(_), Err(e)) => return Err(format!("date-time out of range: {e}")),
        (None, Ok(z)) => (dt, zone_info(&z)),
        (None, Err(_)) => (dt, ZoneInfo::default()),
    };
    let date = dt.date();
    let (y, mo) = (dt.year() as i64, dt.month() as i64);
    let (d, h) = (dt.day() as i64, dt.hour() as i64);
    let month = MONTHS[(mo - 1) as usize];
    let day = DAYS[(weekday_sunday1(date) - 1) as usize];
    let mut out = String::new();
    for tok in toks {
        let (c, n) = match tok {
            Tok::Lit(s) => {
                out.push_str(&s);
                continue;
            }
            Tok::Field(c, n) => (c, n),
        };
        let num = |v: i64| format!("{v:0n$}");
        let piece = match c {
            'G' => (if y > 0 { "AD" } else { "BC" }).to_string(),
            'y' | 'Y' => {
                let yy = if c == 'y' { y } else { week_year(date) };
                let era_year = if yy > 0 { yy } else { 1 - yy };
                num(if n == 2 { era_year % 100 } else { era_year })
            }
            'M' | 'L' if n >= 4 => month.to_string(),
            'M' | 'L' if n == 3 => month[..3].to_string(),
            'M' | 'L' => num(mo),
            'd' => num(d),
            'D' => num(date.day_of_year() as i64),
            'E' if n >= 4 => day.to_string(),
            'E' => day[..3].to_string(),
            'u' => num(date.weekday().to_monday_one_offset() as i64),
            'F' => num((d - 1) / 7 + 1),
            'w' => num(week_of_year(date)),
            'W' => num((d - 1 + weekday_sunday1(date.first_of_month()) - 1) / 7 + 1),
            'a' => (if h < 12 { "AM" } else { "PM" }).to_string(),
            'H' => num(h),
            'k' => num(if h == 0 { 24 } else { h }),
            'K' => num(h % 12),
            'h' => num(if h % 12 == 0 { 12 } else { h % 12 }),
            'm' => num(dt.minute() as i64),
            's' => num(dt.second() as i64),
            'S' => num(dt.millisecond() as i64),
            'z' => zone_name(&zone, n >= 4),
            'Z' => offset_text(zone.offset, false),
            'X' if n > 3 => return Err(format!("invalid ISO 8601 format: length={n}")),
            'X' if zone.offset == 0 => "Z".to_string(),
            'X' if n == 1 => offset_text(zone.offset, false)[..3].to_string(),
            _ => offset_text(zone.offset, n == 3), // 'X' with 2 or 3 letters
        };
        out.push_str(&piece);
    }
    Ok(out)
}

/// `dt` plus `n` days (negative goes back).
pub fn add_days(dt: DateTime, n: i64) -> Option<DateTime> {
    dt.checked_add(Span::new().try_days(n).ok()?).ok()
}

/// `dt` plus `n` months; the day is clamped to the end of a shorter month (31-Jan + 1 = 28/29-Feb).
pub fn add_months(dt: DateTime, n: i64) -> Option<DateTime> {
    dt.checked_add(Span::new().try_months(n).ok()?).ok()
}

/// `dt` plus `n` years; 29-Feb becomes 28-Feb in a common year.
pub fn add_years(dt: DateTime, n: i64) -> Option<DateTime> {
    dt.checked_add(Span::new().try_years(n).ok()?).ok()
}

/// `dt` plus `n` seconds of civil time (hours and minutes go through this).
pub fn add_seconds(dt: DateTime, n: i64) -> Option<DateTime> {
    dt.checked_add(SignedDuration::from_secs(n)).ok()
}

fn is_business_day(dt: DateTime) -> bool {
    !matches!(weekday_sunday1(dt.date()), 1 | 7)
}

/// `dt` moved by `n` business days (Monday to Friday), keeping the time of day; negative `n` goes
/// back. From a weekend, one business day forward is the Monday (one back: the Friday).
pub fn add_business_days(dt: DateTime, n: i64) -> Option<DateTime> {
    let step = n.signum();
    // A weekend start counts as the business day behind it in the direction of travel.
    let mut cur = match (weekday_sunday1(dt.date()), step) {
        (7, 1) => add_days(dt, -1)?,
        (1, 1) => add_days(dt, -2)?,
        (1, -1) => add_days(dt, 1)?,
        (7, -1) => add_days(dt, 2)?,
        _ => dt,
    };
    cur = add_days(cur, (n / 5).checked_mul(7)?)?; // five business days are one week
    for _ in 0..(n % 5).abs() {
        cur = add_days(cur, step)?;
        while !is_business_day(cur) {
            cur = add_days(cur, step)?;
        }
    }
    Some(cur)
}

/// 1 = Sunday .. 7 = Saturday.
pub fn weekday_sunday1(d: Date) -> i64 {
    d.weekday().to_sunday_one_offset() as i64
}

/// Java `Calendar.WEEK_OF_YEAR` with US rules: weeks start on Sunday and week 1 holds 1 January,
/// so the last days of December can be in week 1 of the next year.
pub fn week_of_year(d: Date) -> i64 {
    let (doy, wd0) = (d.day_of_year() as i64, weekday_sunday1(d) - 1);
    if d.month() == 12 && 6 - wd0 > d.days_in_year() as i64 - doy {
        return 1;
    }
    (doy - 1 + (wd0 - (doy - 1)).rem_euclid(7)) / 7 + 1
}

/// Whole days from `a` to `b` by calendar date (times ignored); negative when `b` is before `a`.
pub fn days_between(a: DateTime, b: DateTime) -> i64 {
    epoch_days(b.date()) - epoch_days(a.date())
}

/// Whole months from `a` to `b`, a month counting as 30 days (Zoho's `monthsBetween`).
pub fn months_between(a: DateTime, b: DateTime) -> i64 {
    days_between(a, b) / 30
}

/// Whole years from `a` to `b`, a year counting as 365 days (Zoho's `yearsBetween`).
pub fn years_between(a: DateTime, b: DateTime) -> i64 {
    days_between(a, b) / 365
}

/// `b - a` in milliseconds, both read as civil times.
pub fn millis_between(a: DateTime, b: DateTime) -> i64 {
    civil_millis(b) - civil_millis(a)
}

/// The first day of `d`'s month.
pub fn start_of_month(d: Date) -> Date {
    d.first_of_month()
}

/// The Sunday on or before `d`.
pub fn start_of_week(d: Date) -> Date {
    let back = Span::new().days(weekday_sunday1(d) - 1);
    d.checked_sub(back).unwrap_or(Date::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, datetime};

    fn show(m: Option<Moment>) -> String {
        match m {
            Some(Moment::Date(d)) => d.to_string(),
            Some(Moment::DateTime(dt)) => dt.to_string(),
            None => "None".into(),
        }
    }
    fn at(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8) -> DateTime {
        datetime(y, mo, d, h, mi, s, 0)
    }

    #[test]
    #[rustfmt::skip]
    fn parse_moment_forms() {
        for (text, want) in [
            ("01-Jan-2019", "2019-01-01"), ("7-Feb-2021", "2021-02-07"), (" 01-jan-2019 ", "2019-01-01"),
            ("01-January-2019", "2019-01-01"), ("01-SEPTEMBER-2019", "2019-09-01"), ("29-Feb-2020", "2020-02-29"),
            ("01-Jan-2019 15:00:00", "2019-01-01T15:00:00"), ("01-Jan-2019 15:00", "2019-01-01T15:00:00"),
            ("01-Jan-2019 03:00 PM", "2019-01-01T15:00:00"), ("01-Jan-2019 12:30:00 am", "2019-01-01T00:30:00"),
            ("01-Jan-2019 12:00pm", "2019-01-01T12:00:00"), ("01/31/2017", "2017-01-31"),
            ("01/01/2017 10:20:30", "2017-01-01T10:20:30"), ("2019-01-31", "2019-01-31"),
            ("2019-01-31 10:20:30", "2019-01-31T10:20:30"), ("2019-01-31T10:20:30", "2019-01-31T10:20:30"),
            ("2019-01-31T10:20:30Z", "2019-01-31T10:20:30"), ("2019-01-31T10:20:30+05:30", "2019-01-31T10:20:30"),
            ("2019-01-31T10:20:30-0800", "2019-01-31T10:20:30"), ("2019-1-5 9:05", "2019-01-05T09:05:00"),
            ("2019-01-31T10:20:30.123456789123Z", "2019-01-31T10:20:30.123456789"),
            ("2019-01-31 10:20:30.5", "2019-01-31T10:20:30.5"),
            // not dates
            ("", "None"), (" ", "None"), ("hello", "None"), ("32-Jan-2019", "None"), ("13/01/2020", "None"),
            ("29-Feb-2019", "None"), ("01-Foo-2019", "None"), ("01-Jan-19", "None"), ("01-Jan-2019x", "None"),
            ("01-Jan-2019 25:00", "None"), ("01-Jan-2019 10:61", "None"), ("01-Jan-2019 13:00 PM", "None"),
            ("2019-13-01", "None"), ("2019-01-31T", "None"), ("2019-01-31 10:20:30 junk", "None"),
            ("2019-01-31T10:20:30+", "None"), ("99999-01-01", "None"), ("1-Jan-99999", "None"), ("01-Ja", "None"),
            ("\u{663}-Jan-2019", "None"), ("01-J\u{e4}n-2019", "None"), ("2019-01-31 10:20 PM", "None"),
        ] {
            assert_eq!(show(parse_moment(text)), want, "{text:?}");
        }
    }

    #[test]
    #[rustfmt::skip]
    fn parse_with_java_patterns() {
        for (text, pattern, want) in [
            ("31/01/2020", "dd/MM/yyyy", "2020-01-31"), ("20200131", "yyyyMMdd", "2020-01-31"),
            ("Jan 5, 2021", "MMM d, yyyy", "2021-01-05"), ("march 5 2021", "MMMM d yyyy", "2021-03-05"),
            ("Tue, 05 Jan 2021", "EEE, dd MMM yyyy", "2021-01-05"), ("2021", "yyyy", "2021-01-01"),
            ("2021-01-05T10:20:30", "yyyy-MM-dd'T'HH:mm:ss", "2021-01-05T10:20:30"),
            ("05-01-21 03:04 PM", "dd-MM-yy hh:mm a", "2021-01-05T15:04:00"),
            ("12:00 AM", "hh:mm a", "1970-01-01T00:00:00"), ("24:10", "kk:mm", "1970-01-01T00:10:00"),
            ("2021-01-05 10:20:30.250", "yyyy-MM-dd HH:mm:ss.SSS", "2021-01-05T10:20:30.25"),
            ("2021-01-05T10:20:30+05:30", "yyyy-MM-dd'T'HH:mm:ssXXX", "2021-01-05T10:20:30"),
            ("2021-01-05 IST", "yyyy-MM-dd z", "2021-01-05"), ("0044 BC", "yyyy G", "-000043-01-01"),
            ("2021-01-05T10:00:00Z", "yyyy-MM-dd", "2021-01-05"), // trailing text ignored, as in Java
            ("it's 2021", "'it''s' yyyy", "2021-01-01"),
            // no match
            ("2021-02-30", "yyyy-MM-dd", "None"), ("hello", "yyyy-MM-dd", "None"), ("2021-01-05", "yyyy/MM/dd", "None"),
            ("2021-01-05", "yyyy-MM-dd'T", "None"), ("2021-01-05", "yyyy-MM-dd qq", "None"), ("", "yyyy", "None"),
            ("2021", "", "None"), ("abc", "'abc'", "None"), ("25:00", "HH:mm", "None"), ("13:00 PM", "hh:mm a", "None"),
            ("2021-01", "yyyy-MM-dd", "None"), ("99999999999-01-01", "yyyy-MM-dd", "None"),
            ("Foo 5 2021", "MMM d yyyy", "None"), ("Fri 5", "EEE d", "1970-01-05"), ("Xyz 5", "EEE d", "None"),
        ] {
            assert_eq!(show(parse_with_pattern(text, pattern)), want, "{text:?} {pattern:?}");
        }
    }

    #[test]
    fn default_forms() {
        assert_eq!(format_date(date(2026, 2, 5)), "05-Feb-2026");
        assert_eq!(format_date(date(5, 7, 9)), "09-Jul-0005");
        assert_eq!(format_datetime(at(2019, 1, 1, 1, 0, 0)), "01-Jan-2019 01:00:00");
        let late = datetime(2019, 12, 31, 23, 59, 59, 999_000_000);
        assert_eq!(format_datetime(late), "31-Dec-2019 23:59:59");
        assert_eq!(Moment::Date(date(2019, 1, 1)).to_datetime(), at(2019, 1, 1, 0, 0, 0));
    }

    #[test]
    #[rustfmt::skip]
    fn format_java_patterns() {
        let dt = datetime(2019, 1, 5, 15, 4, 9, 7_000_000); // a Saturday
        for (when, pattern, want) in [
            (dt, "yyyy-MM-dd HH:mm:ss", "2019-01-05 15:04:09"), (dt, "dd/MM/yy", "05/01/19"),
            (dt, "y yyy yyyyy", "2019 2019 02019"), (dt, "M MMM MMMM", "1 Jan January"),
            (dt, "d D E EEE EEEE u", "5 5 Sat Sat Saturday 6"), (dt, "h:mm a", "3:04 PM"),
            (dt, "hh k K H", "03 15 3 15"), (at(2019, 1, 5, 0, 0, 0), "hh k K a", "12 24 0 AM"),
            (dt, "s ss S SSS", "9 09 7 007"), (dt, "G w W F", "AD 1 1 1"),
            (dt, "'Date:' dd'th' ''yy''", "Date: 05th '19'"), (dt, "", ""),
            (dt, "z zzzz Z X XX XXX", "UTC Coordinated Universal Time +0000 Z Z Z"),
            (at(2019, 12, 29, 0, 0, 0), "YYYY yyyy w", "2020 2019 1"),
            (at(-5, 3, 1, 0, 0, 0), "yyyy G", "0006 BC"), (at(2020, 2, 29, 0, 0, 0), "D W F", "60 5 5"),
        ] {
            assert_eq!(format_pattern(when, pattern, "UTC", None).as_deref(), Ok(want), "{pattern:?}");
        }
        for (pattern, err) in [
            ("yyyy-mm-dd qq", "Illegal pattern character 'q'"), ("yyyy 'T", "Unterminated quote"),
            ("XXXX", "invalid ISO 8601 format: length=4"), ("'", "Unterminated quote"), ("T", "Illegal pattern character 'T'"),
        ] {
            assert_eq!(format_pattern(dt, pattern, "UTC", None), Err(err.to_string()), "{pattern:?}");
        }
    }

    #[test]
    #[rustfmt::skip]
    fn format_with_time_zones() {
        let dt = at(2020, 2, 3, 3, 48, 12);
        let summer = at(2020, 7, 1, 12, 0, 0);
        for (when, pattern, from, to, want) in [
            (dt, "yyyy-MM-dd HH:mm z", "UTC", Some("Asia/Kolkata"), "2020-02-03 09:18 IST"),
            (dt, "HH:mm zzzz XXX Z X", "UTC", Some("Asia/Calcutta"), "09:18 India Standard Time +05:30 +0530 +05"),
            (dt, "HH:mm z", "Asia/Kolkata", None, "03:48 IST"),
            (dt, "dd HH:mm z zzzz", "Asia/Kolkata", Some("America/Los_Angeles"), "02 14:18 PST Pacific Standard Time"),
            (dt, "HH:mm z zzzz", "UTC", Some("GMT+05:30"), "09:18 GMT+05:30 GMT+05:30"),
            (dt, "HH:mm z", "UTC", Some("No/Such_Zone"), "03:48 GMT"),
            (dt, "HH:mm z", "No/Such_Zone", Some("UTC"), "03:48 UTC"),
            (dt, "HH:mm z zzzz", "UTC", Some("Asia/Dubai"), "07:48 GMT+04:00 GMT+04:00"),
            (dt, "HH:mm zzzz", "UTC", Some("Asia/Shanghai"), "11:48 China Standard Time"),
            (summer, "HH z Z zzzz", "UTC", Some("Europe/London"), "13 BST +0100 British Summer Time"),
            (summer, "HH z X", "UTC", Some("America/New_York"), "08 EDT -04"),
        ] {
            assert_eq!(format_pattern(when, pattern, from, to).as_deref(), Ok(want), "{pattern:?} {to:?}");
        }
        assert!(format_pattern(DateTime::MAX, "yyyy", "Pacific/Kiritimati", Some("UTC")).is_err());
        assert_eq!(format_pattern(DateTime::MAX, "yyyy z", "Pacific/Kiritimati", None).as_deref(), Ok("9999 GMT+00:00"));
    }

    #[test]
    #[rustfmt::skip]
    fn epoch_and_local_zone() {
        let dt = at(2020, 2, 3, 3, 48, 12);
        let gmt = unix_epoch_millis(dt, None);
        assert_eq!(unix_epoch_millis(dt, Some("Asia/Calcutta")), 1_580_681_892_000); // Zoho's example
        assert_eq!(unix_epoch_millis(at(1970, 1, 1, 0, 0, 0), None), 0);
        assert_eq!(unix_epoch_millis(dt, Some("Bogus/Zone")), gmt);
        assert_eq!(unix_epoch_millis(dt, Some("GMT-8")), gmt + 8 * 3_600_000);
        assert_eq!(unix_epoch_millis(dt, Some("GMT+0530")), gmt - 19_800_000);
        assert_eq!(unix_epoch_millis(datetime(1969, 12, 31, 23, 59, 59, 500_000_000), Some("UTC")), -500);
        assert_eq!(unix_epoch_millis(DateTime::MAX, Some("Pacific/Kiritimati")), civil_millis(DateTime::MAX));
        for bad in ["GMT+24", "GMT+", "GMT+1:5", "GMT+123", "GMT+05:30x", "", " "] {
            assert!(resolve_tz(bad).is_none(), "{bad:?}");
        }
        assert!(!local_tz_name().is_empty());
        let now = now_local();
        assert!(now.year() >= 2024 && now.subsec_nanosecond() % 1_000_000 == 0);
    }

    type Op = fn(DateTime, i64) -> Option<DateTime>;

    #[test]
    #[rustfmt::skip]
    fn calendar_arithmetic() {
        let (days, months, years, secs, biz): (Op, Op, Op, Op, Op) =
            (add_days, add_months, add_years, add_seconds, add_business_days);
        for (op, from, n, want) in [
            (days, "2020-02-28T10:30", 1, "2020-02-29T10:30:00"), (days, "2019-02-28T10:30", 1, "2019-03-01T10:30:00"),
            (days, "2019-01-01T10:30", -1, "2018-12-31T10:30:00"), (months, "2019-01-31T10:30", 1, "2019-02-28T10:30:00"),
            (months, "2020-01-31T10:30", 1, "2020-02-29T10:30:00"), (months, "2020-03-31T00:00", -1, "2020-02-29T00:00:00"),
            (months, "2019-11-15T00:00", 14, "2021-01-15T00:00:00"), (years, "2020-02-29T00:00", 1, "2021-02-28T00:00:00"),
            (years, "2020-02-29T00:00", 4, "2024-02-29T00:00:00"), (secs, "2019-12-31T10:30", 48_600, "2020-01-01T00:00:00"),
            (secs, "2019-01-01T10:30", -60, "2019-01-01T10:29:00"),
            (biz, "2019-03-15T09:00", 1, "2019-03-18T09:00:00"), // Zoho: Friday -> Monday
            (biz, "2021-07-21T09:00", -5, "2021-07-14T09:00:00"), // Zoho's subBusinessDay example
            (biz, "2019-03-16T09:00", 1, "2019-03-18T09:00:00"), (biz, "2019-03-17T09:00", 5, "2019-03-22T09:00:00"),
            (biz, "2019-03-17T09:00", -1, "2019-03-15T09:00:00"), (biz, "2019-03-16T09:00", -5, "2019-03-11T09:00:00"),
            (biz, "2019-03-16T09:00", 0, "2019-03-16T09:00:00"), (biz, "2019-03-13T09:00", 12, "2019-03-29T09:00:00"),
            (years, "9999-12-31T00:00", 1, "None"), (days, "-009999-01-01T00:00", -1, "None"),
        ] {
            let got = op(from.parse().unwrap(), n).map_or("None".into(), |d| d.to_string());
            assert_eq!(got, want, "{from} {n}");
        }
        for n in [i64::MAX, i64::MIN, 10_000_000_000_000] {
            assert!([days, months, years, secs, biz].iter().all(|op| op(at(2019, 1, 1, 0, 0, 0), n).is_none()));
        }
        // the one-week-per-five-days shortcut agrees with stepping a day at a time
        for start in 0..14 {
            let s = add_days(at(2020, 2, 20, 9, 0, 0), start).unwrap();
            for n in -23i64..=23 {
                let (mut cur, mut left) = (s, n.abs());
                while left > 0 {
                    cur = add_days(cur, n.signum()).unwrap();
                    left -= i64::from(is_business_day(cur));
                }
                assert_eq!(add_business_days(s, n), Some(cur), "{s} {n}");
            }
        }
    }

    #[test]
    #[rustfmt::skip]
    fn weeks_and_starts() {
        for (d, weekday, week, sunday) in [
            (date(2019, 3, 17), 1, 12, date(2019, 3, 17)), (date(2019, 3, 16), 7, 11, date(2019, 3, 10)),
            (date(2019, 3, 15), 6, 11, date(2019, 3, 10)), // Zoho: toStartOfWeek gives 10-Mar-2019
            (date(2026, 2, 5), 5, 6, date(2026, 2, 1)), (date(2020, 1, 1), 4, 1, date(2019, 12, 29)),
            (date(2020, 1, 4), 7, 1, date(2019, 12, 29)), (date(2020, 1, 5), 1, 2, date(2020, 1, 5)),
            (date(2019, 12, 28), 7, 52, date(2019, 12, 22)), (date(2019, 12, 31), 3, 1, date(2019, 12, 29)),
            (date(2016, 12, 31), 7, 53, date(2016, 12, 25)), (date(2017, 1, 1), 1, 1, date(2017, 1, 1)),
            (date(2020, 12, 26), 7, 52, date(2020, 12, 20)), (date(9999, 12, 31), 6, 1, date(9999, 12, 26)),
        ] {
            assert_eq!((weekday_sunday1(d), week_of_year(d), start_of_week(d)), (weekday, week, sunday), "{d}");
        }
        assert_eq!(start_of_month(date(2020, 2, 29)), date(2020, 2, 1));
        assert!(start_of_week(Date::MIN) <= date(-9999, 1, 7));
    }

    #[test]
    #[rustfmt::skip]
    fn differences() {
        let p = |s: &str| s.parse::<DateTime>().unwrap();
        for (a, b, days, months, years) in [
            ("1989-12-31", "1990-01-01", 1, 0, 0), // Zoho's daysBetween example
            ("2020-03-01", "2020-02-01", -29, 0, 0), ("2019-01-01T23:00", "2019-01-02T01:00", 1, 0, 0),
            ("2019-02-01", "2019-03-01", 28, 0, 0), // Zoho: monthsBetween counts a month as 30 days
            ("2019-01-01", "2019-03-01", 59, 1, 0), ("2019-03-01", "2019-01-01", -59, -1, 0),
            ("2020-01-02", "2021-01-01", 365, 12, 1), // Zoho: yearsBetween counts a year as 365 days
            ("2019-01-01", "2019-12-31", 364, 12, 0), ("2016-02-29", "2020-02-29", 1461, 48, 4),
        ] {
            let (a, b) = (p(a), p(b));
            assert_eq!((days_between(a, b), months_between(a, b), years_between(a, b)), (days, months, years));
        }
        assert_eq!(millis_between(p("2019-01-01"), p("2019-01-01T01:00")), 3_600_000);
        assert_eq!(millis_between(p("2019-01-02T00:00:00.005"), p("2019-01-01")), -86_400_005);
        assert!(millis_between(DateTime::MIN, DateTime::MAX) > 0);
        let epoch = date(1970, 1, 1);
        for d in [epoch, date(2000, 2, 29), date(-9999, 1, 1), date(9999, 12, 31), date(1600, 3, 1)] {
            assert_eq!(epoch_days(d), d.since((jiff::Unit::Day, epoch)).unwrap().get_days() as i64, "{d}");
        }
    }

    #[test]
    #[rustfmt::skip]
    fn odd_inputs_never_panic() {
        let texts = ["", "'", "''", "'''", "\u{e9}", "yyyy'", "9999999999", "-", "+", "::", "Z", "GMT+99"];
        let patterns = ["yyyy", "MMM", "SSSSSSSSSSSS", "yyyyyyyyyyyyyyyyyyyyyy", "a", "z", "EEEE", "yyyyMMddHHmmss"];
        for s in texts {
            let _ = parse_moment(s);
            for p in texts.iter().chain(&patterns) {
                let _ = parse_with_pattern(s, p);
                let _ = format_pattern(DateTime::MIN, p, s, Some(s));
                let _ = format_pattern(DateTime::MAX, p, "UTC", Some(s));
            }
            let _ = unix_epoch_millis(DateTime::MIN, Some(s));
        }
        let toks = tokenize("yy'a''b'-''").unwrap();
        assert_eq!(toks, vec![Tok::Field('y', 2), Tok::Lit("a'b-'".into())]);
    }
}
