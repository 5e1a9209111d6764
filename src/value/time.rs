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

/// A year of 2 or 4 digits (2 digits in Java's window, see [`pivot_year`]).
fn scan_year(sc: &mut Scan) -> Option<i64> {
    match sc.num(2, 4)? {
        (y, 4) => Some(y),
        (yy, 2) => Some(pivot_year(yy)),
        _ => None,
    }
}

/// `MMM dd,yyyy`, `MMMM dd yy`, `E,MMM dd,yyyy` (a month name first, after an optional day name).
fn scan_named_date(sc: &mut Scan) -> Option<Date> {
    let mut word = sc.alpha();
    if name_index(&DAYS, word).is_some() && sc.eat(",") {
        sc.spaces();
        word = sc.alpha();
    }
    let m = name_index(&MONTHS, word)?;
    (sc.spaces() > 0).then_some(())?;
    let d = sc.num(1, 2)?.0;
    if !sc.eat(",") && sc.spaces() == 0 {
        return None;
    }
    sc.spaces();
    make_date(scan_year(sc)?, m, d)
}

/// The date part of a Deluge date text (Zoho's date-time data type page lists the forms): the
/// date and whether it is ISO (`yyyy-MM-dd`, which may take a `T` and a zone after it).
fn scan_date(sc: &mut Scan) -> Option<(Date, bool)> {
    if sc.rest().starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some((scan_named_date(sc)?, false));
    }
    let (a, alen) = sc.num(1, 4)?;
    let sep = [b'-', b'/', b'.', b' '].into_iter().find(|b| sc.rest().as_bytes().first() == Some(b))?;
    sc.i += 1;
    let sep_str = std::str::from_utf8(std::slice::from_ref(&sep)).ok()?;
    if alen == 4 {
        // yyyy-MM-dd, yyyy/MM/dd, yyyy.MM.dd
        (sep != b' ').then_some(())?;
        let m = sc.num(1, 2)?.0;
        return Some((make_date(a, m, sc.after(sep_str, 1, 2)?)?, sep == b'-'));
    }
    if alen > 2 {
        return None;
    }
    if matches!(sep, b'-' | b' ') && sc.rest().starts_with(|c: char| c.is_ascii_alphabetic()) {
        // dd-MMM-yyyy, dd-MMMM-yy, dd MMM yyyy, dd MMM,yyyy
        let m = name_index(&MONTHS, sc.alpha())?;
        let joined = if sep == b'-' { sc.eat("-") } else { sc.eat(",") | (sc.spaces() > 0) };
        joined.then_some(())?;
        if sep == b' ' {
            sc.spaces();
        }
        return Some((make_date(scan_year(sc)?, m, a)?, false));
    }
    // Numeric: dd-MM-yyyy before MM-dd-yyyy (and with `.` or ` `); MM/dd/yyyy before dd/MM/yyyy.
    let b = sc.num(1, 2)?.0;
    sc.eat(sep_str).then_some(())?;
    let y = scan_year(sc)?;
    let (first, second) = if sep == b'/' { ((y, a, b), (y, b, a)) } else { ((y, b, a), (y, a, b)) };
    let date = make_date(first.0, first.1, first.2).or_else(|| make_date(second.0, second.1, second.2))?;
    Some((date, false))
}

/// Deluge date-time literal / text forms, as listed on Zoho's date-time data type page:
/// `01-Jan-2019`, `7-Feb-2021`, `01-January-19`, `01-02-2020` (day first), `01/31/2020` (month
/// first), `2019-01-31`, `2019/01/31`, `15.08.1947`, `15 Aug 1947`, `15 Aug,1947`, `Aug 15,1947`,
/// `Fri,Aug 15,1947`, ...; a numeric form whose first reading is not a date is read the other way
/// round (`13/01/2020` is 13 January). Then an optional ` HH:mm[:ss]` and optional ` AM`/` PM`;
/// ISO `2019-01-31T10:20:30.123+05:30` takes a `T` and an offset or `Z` (dropped, the wall time
/// kept). Two-digit years are read in Java's window. Names are case-insensitive; surrounding
/// whitespace is ignored. `None` when the text is not a valid date.
pub fn parse_moment(s: &str) -> Option<Moment> {
    let s = s.trim();
    let mut sc = Scan { s, i: 0 };
    let (date, iso) = scan_date(&mut sc)?;
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
#[path = "time_tests.rs"]
mod tests;
