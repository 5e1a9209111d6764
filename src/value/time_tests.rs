//! Unit tests of `value::time`.
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
        // Zoho's date-time data type page: every listed form
        ("15-Aug-47", "1947-08-15"), ("15-August-1947", "1947-08-15"), ("08-15-1947", "1947-08-15"),
        ("15-08-1947", "1947-08-15"), ("01-02-2020", "2020-02-01"), ("1947/08/15", "1947-08-15"),
        ("08/15/1947", "1947-08-15"), ("15/08/1947", "1947-08-15"), ("15 Aug,1947", "1947-08-15"),
        ("Aug 15,1947", "1947-08-15"), ("15 August,1947", "1947-08-15"), ("August 15,1947", "1947-08-15"),
        ("Fri,August 15,1947", "1947-08-15"), ("Fri,Aug 15,1947", "1947-08-15"), ("Aug 15 1947", "1947-08-15"),
        ("15 Aug 1947", "1947-08-15"), ("15 August 1947", "1947-08-15"), ("15.08.1947", "1947-08-15"),
        ("08.15.1947", "1947-08-15"), ("1947.08.15", "1947-08-15"), ("15 08 1947", "1947-08-15"),
        ("15/08/47", "1947-08-15"), ("15-08-1947 10:20:30", "1947-08-15T10:20:30"),
        ("Aug 15,1947 10:20", "1947-08-15T10:20:00"),
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
        ("", "None"), (" ", "None"), ("hello", "None"), ("32-Jan-2019", "None"), ("13/01/2020", "2020-01-13"), ("13/13/2020", "None"), ("1947-08-15 x", "None"),
        ("29-Feb-2019", "None"), ("01-Foo-2019", "None"), ("01-Jan-19", "2019-01-01"), ("01-Jan-199", "None"), ("15 Aug", "None"), ("Aug 15", "None"), ("01-Jan-2019x", "None"),
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
