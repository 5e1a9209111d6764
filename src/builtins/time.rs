//! Date and DateTime built-ins (`addDay`, `toString(pattern)`, `daysBetween`, ...), and the
//! Text rows that read a date (`toDate`, `toDateTime`, `unixEpoch`).
//!
//! Decisions (dg decides where Zoho is silent; Zoho's return types are followed otherwise):
//! - `add...`/`sub...` (business days included), `toStartOfWeek` and `toStartOfMonth` return a
//!   DateTime, also on a Date receiver (Zoho: `'01-Jan-2019'.addDay(11)` is
//!   `'12-Jan-2019 00:00:00'`); `edate`, `eomonth`, `workday`, `nextWeekDay` and
//!   `previousWeekDay` return a Date (their pages' examples print no time). A result outside
//!   years -9999..=9999 is an error.
//! - `hoursBetween` counts whole elapsed hours (truncated toward zero); `yearFraction` is the
//!   elapsed time in days / 365, time of day included (Zoho).
//! - `toString(pattern, tz)` reads the wall time in the local zone (`TZ`, else the system zone)
//!   and shows it in `tz` (an unknown zone is GMT, as in Java).
//! - Text that is not a date makes `toDate`/`toDateTime`/`unixEpoch` a runtime error.
//! - `getWeekOfYear(startDay)` takes a day name (`"Monday"`, `"mon"`; any case).

use super::{as_datetime, b, int_arg, text_arg, time_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::time::{
    add_business_days, add_days, add_months, add_seconds, add_years, days_between, format_pattern, local_tz_name,
    millis_between, months_between, parse_moment, parse_with_pattern, start_of_month, start_of_week, unix_epoch_millis,
    week_of_year, weekday_sunday1, years_between, Moment,
};
use crate::value::Value;
use jiff::civil::{Date, DateTime, Time};

pub const BUILTINS: &[Builtin] = &[
    b("addDay", Recv::Time, 1, 1, add_day),
    b("addWeek", Recv::Time, 1, 1, add_week),
    b("addMonth", Recv::Time, 1, 1, add_month),
    b("addYear", Recv::Time, 1, 1, add_year),
    b("addHour", Recv::Time, 1, 1, add_hour),
    b("addMinutes", Recv::Time, 1, 1, add_minutes),
    b("addSeconds", Recv::Time, 1, 1, add_secs),
    b("subDay", Recv::Time, 1, 1, sub_day),
    b("subWeek", Recv::Time, 1, 1, sub_week),
    b("subMonth", Recv::Time, 1, 1, sub_month),
    b("subYear", Recv::Time, 1, 1, sub_year),
    b("subHour", Recv::Time, 1, 1, sub_hour),
    b("subMinutes", Recv::Time, 1, 1, sub_minutes),
    b("subSeconds", Recv::Time, 1, 1, sub_secs),
    b("addBusinessDay", Recv::Time, 1, 3, add_business_day),
    b("subBusinessDay", Recv::Time, 1, 3, sub_business_day),
    b("edate", Recv::Time, 1, 1, edate),
    b("workday", Recv::Time, 1, 3, workday),
    b("nextWeekDay", Recv::Time, 1, 1, next_week_day),
    b("previousWeekDay", Recv::Time, 1, 1, previous_week_day),
    b("days360", Recv::Time, 1, 1, days360),
    b("workDaysBetween", Recv::Time, 1, 3, work_days_between),
    b("workDaysBetween", Recv::Text, 1, 3, work_days_between),
    b("workDaysList", Recv::Time, 1, 3, work_days_list),
    b("workDaysList", Recv::Text, 1, 3, work_days_list),
    b("totalMonths", Recv::Time, 1, 1, total_months),
    b("totalMonth", Recv::Time, 1, 1, total_months),
    b("totalYears", Recv::Time, 1, 1, total_years),
    b("monthsDiff", Recv::Time, 1, 1, total_months),
    b("yearsDiff", Recv::Time, 1, 1, total_years),
    b("getDayOfYear", Recv::Time, 0, 0, day_of_year),
    b("totalYear", Recv::Time, 1, 1, total_years),
    b("toTime", Recv::Time, 0, 1, to_date_time),
    b("toTime", Recv::Text, 0, 1, to_date_time),
    b("eomonth", Recv::Time, 1, 1, eomonth),
    b("toDate", Recv::Time, 0, 1, to_date),
    b("toDate", Recv::Text, 0, 1, to_date),
    b("toDateTime", Recv::Time, 0, 1, to_date_time),
    b("toDateTime", Recv::Text, 0, 1, to_date_time),
    b("getDay", Recv::Time, 0, 0, day),
    b("day", Recv::Time, 0, 0, day),
    b("getMonth", Recv::Time, 0, 0, month),
    b("month", Recv::Time, 0, 0, month),
    b("getYear", Recv::Time, 0, 0, year),
    b("year", Recv::Time, 0, 0, year),
    b("getHour", Recv::Time, 0, 0, hour),
    b("hour", Recv::Time, 0, 0, hour),
    b("getMinutes", Recv::Time, 0, 0, minute),
    b("minute", Recv::Time, 0, 0, minute),
    b("getSeconds", Recv::Time, 0, 0, second),
    b("second", Recv::Time, 0, 0, second),
    b("weekday", Recv::Time, 0, 0, weekday),
    b("getDayOfWeek", Recv::Time, 0, 0, weekday),
    b("getWeekOfYear", Recv::Time, 0, 1, week),
    b("daysBetween", Recv::Time, 1, 1, days_btw),
    b("hoursBetween", Recv::Time, 1, 1, hours_btw),
    b("monthsBetween", Recv::Time, 1, 1, months_btw),
    b("yearsBetween", Recv::Time, 1, 1, years_btw),
    b("yearFraction", Recv::Time, 1, 1, year_fraction),
    b("toStartOfMonth", Recv::Time, 0, 0, to_start_of_month),
    b("toStartOfWeek", Recv::Time, 0, 0, to_start_of_week),
    b("unixEpoch", Recv::Time, 0, 1, unix_epoch),
    b("unixEpoch", Recv::Text, 0, 1, unix_epoch),
    b("toString", Recv::Time, 0, 2, to_string),
    b("text", Recv::Time, 1, 1, to_string),
];

/// The receiver as a date-time (a Date at 00:00:00).
fn recv(a: &[Value]) -> DateTime {
    as_datetime(&a[0]).unwrap_or_default()
}

fn midnight(d: Date) -> DateTime {
    d.to_datetime(Time::midnight())
}

/// How `add...`/`sub...` move a date-time.
#[derive(Clone, Copy)]
enum Step {
    Days(i64),
    Months,
    Years,
    Seconds(i64),
    BusinessDays,
}

/// `args[1]` units of `step` added (`sign` 1) or subtracted (`sign` -1).
fn shift(a: &[Value], func: &str, step: Step, sign: i64) -> Result<Value> {
    let dt = recv(a);
    let n = int_arg(a, 1, func)?;
    let out_of_range =
        || Error::runtime(format!("{func}({n}) on {} is out of the date range", Value::DateTime(dt).to_text()));
    let n = n.checked_mul(sign).ok_or_else(out_of_range)?;
    let moved = match step {
        Step::Days(k) => n.checked_mul(k).and_then(|d| add_days(dt, d)),
        Step::Months => add_months(dt, n),
        Step::Years => add_years(dt, n),
        Step::Seconds(k) => n.checked_mul(k).and_then(|s| add_seconds(dt, s)),
        Step::BusinessDays => add_business_days(dt, n),
    };
    moved.map(Value::DateTime).ok_or_else(out_of_range)
}

/// `'01-Jan-2019 15:00:00'.addDay(40)` is `10-Feb-2019 15:00:00`; `'01-Jan-2019'.addDay(11)` is
/// `12-Jan-2019 00:00:00`.
fn add_day(a: &[Value]) -> Result<Value> {
    shift(a, "addDay", Step::Days(1), 1)
}

/// `'01-Jan-2019'.addWeek(2)` is `15-Jan-2019 00:00:00`.
fn add_week(a: &[Value]) -> Result<Value> {
    shift(a, "addWeek", Step::Days(7), 1)
}

/// `'31-Jan-2019'.addMonth(1)` is `28-Feb-2019 00:00:00` (clamped to the month's end).
fn add_month(a: &[Value]) -> Result<Value> {
    shift(a, "addMonth", Step::Months, 1)
}

/// `'29-Feb-2020'.addYear(1)` is `28-Feb-2021 00:00:00`.
fn add_year(a: &[Value]) -> Result<Value> {
    shift(a, "addYear", Step::Years, 1)
}

/// `'31-Dec-2019 23:00:00'.addHour(2)` is `01-Jan-2020 01:00:00`.
fn add_hour(a: &[Value]) -> Result<Value> {
    shift(a, "addHour", Step::Seconds(3600), 1)
}

/// `'01-Jan-2019 10:00:00'.addMinutes(90)` is `01-Jan-2019 11:30:00`.
fn add_minutes(a: &[Value]) -> Result<Value> {
    shift(a, "addMinutes", Step::Seconds(60), 1)
}

/// `'01-Jan-2019 10:00:00'.addSeconds(75)` is `01-Jan-2019 10:01:15`.
fn add_secs(a: &[Value]) -> Result<Value> {
    shift(a, "addSeconds", Step::Seconds(1), 1)
}

/// `'01-Jan-2019'.subDay(1)` is `31-Dec-2018 00:00:00`.
fn sub_day(a: &[Value]) -> Result<Value> {
    shift(a, "subDay", Step::Days(1), -1)
}

/// `'15-Jan-2019'.subWeek(2)` is `01-Jan-2019 00:00:00`.
fn sub_week(a: &[Value]) -> Result<Value> {
    shift(a, "subWeek", Step::Days(7), -1)
}

/// `'31-Mar-2020'.subMonth(1)` is `29-Feb-2020 00:00:00`.
fn sub_month(a: &[Value]) -> Result<Value> {
    shift(a, "subMonth", Step::Months, -1)
}

/// `'29-Feb-2024'.subYear(4)` is `29-Feb-2020 00:00:00`.
fn sub_year(a: &[Value]) -> Result<Value> {
    shift(a, "subYear", Step::Years, -1)
}

/// `'01-Jan-2019 01:00:00'.subHour(2)` is `31-Dec-2018 23:00:00`.
fn sub_hour(a: &[Value]) -> Result<Value> {
    shift(a, "subHour", Step::Seconds(3600), -1)
}

/// `'01-Jan-2019 10:00:00'.subMinutes(1)` is `01-Jan-2019 09:59:00`.
fn sub_minutes(a: &[Value]) -> Result<Value> {
    shift(a, "subMinutes", Step::Seconds(60), -1)
}

/// `'21-Aug-2013 16:10:20'.subSeconds(10)` is `21-Aug-2013 16:10:10`.
fn sub_secs(a: &[Value]) -> Result<Value> {
    shift(a, "subSeconds", Step::Seconds(1), -1)
}

/// `'15-Mar-2019'.addBusinessDay(1)` is `18-Mar-2019 00:00:00` (Friday to Monday).
fn add_business_day(a: &[Value]) -> Result<Value> {
    if a.len() > 2 {
        return shift_work_days(a, "addBusinessDay", 1);
    }
    shift(a, "addBusinessDay", Step::BusinessDays, 1)
}

/// `'21-Jul-2021'.subBusinessDay(5)` is `14-Jul-2021 00:00:00`.
fn sub_business_day(a: &[Value]) -> Result<Value> {
    if a.len() > 2 {
        return shift_work_days(a, "subBusinessDay", -1);
    }
    shift(a, "subBusinessDay", Step::BusinessDays, -1)
}

/// `'01-Jan-2019'.edate(11)` is `01-Dec-2019`; `'01-Jan-2019 15:00:00'.edate(13)` is
/// `01-Feb-2020` (Zoho: a date without the time; the day is clamped to the month's end).
fn edate(a: &[Value]) -> Result<Value> {
    as_date(shift(a, "edate", Step::Months, 1)?)
}

/// `'01-Jan-2019'.eomonth(1)` is `28-Feb-2019`: the last day of the month `n` months away.
fn eomonth(a: &[Value]) -> Result<Value> {
    match shift(a, "eomonth", Step::Months, 1)? {
        Value::DateTime(dt) => Ok(Value::Date(dt.date().last_of_month())),
        other => Ok(other),
    }
}

/// `'15-Mar-2019'.workday(1)` is `18-Mar-2019`: business days added, the date without the time;
/// a negative count gives the date unchanged (Zoho).
fn workday(a: &[Value]) -> Result<Value> {
    if int_arg(a, 1, "workday")? < 0 {
        return Ok(Value::Date(recv(a).date()));
    }
    if a.len() > 2 {
        return as_date(shift_work_days(a, "workday", 1)?);
    }
    as_date(shift(a, "workday", Step::BusinessDays, 1)?)
}

fn as_date(v: Value) -> Result<Value> {
    Ok(match v {
        Value::DateTime(dt) => Value::Date(dt.date()),
        other => other,
    })
}

/// The weekday named by `args[1]` (`"Monday"`, any case, or its first three letters), 1 = Sunday.
fn day_arg(a: &[Value], func: &str) -> Result<i64> {
    const DAYS: [&str; 7] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    let name = text_arg(a, 1, func)?.trim().to_ascii_lowercase();
    let pos = DAYS.iter().position(|d| *d == name || (name.len() == 3 && d.starts_with(&name)));
    pos.map(|p| p as i64 + 1)
        .ok_or_else(|| Error::runtime(format!("{func}: '{}' is not a day name such as \"Monday\"", a[1].to_text())))
}

/// `'20-Jul-2021'.nextWeekDay("Tuesday")` is `27-Jul-2021`: the first such day after the date.
fn next_week_day(a: &[Value]) -> Result<Value> {
    let (d, want) = (recv(a).date(), day_arg(a, "nextWeekDay")?);
    let ahead = (want - weekday_sunday1(d) - 1).rem_euclid(7) + 1;
    step_days(d, ahead, "nextWeekDay")
}

/// `'21-Jul-2021'.previousWeekDay("Wednesday")` is `14-Jul-2021`: the last such day before it.
fn previous_week_day(a: &[Value]) -> Result<Value> {
    let (d, want) = (recv(a).date(), day_arg(a, "previousWeekDay")?);
    let back = (weekday_sunday1(d) - want - 1).rem_euclid(7) + 1;
    step_days(d, -back, "previousWeekDay")
}

fn step_days(d: Date, n: i64, func: &str) -> Result<Value> {
    add_days(midnight(d), n)
        .map(|dt| Value::Date(dt.date()))
        .ok_or_else(|| Error::runtime(format!("{func} on {} is out of the date range", Value::Date(d).to_text())))
}

/// Which days are work days: not a weekend day (`args[2]`, day names; Saturday and Sunday by
/// default) and not a holiday (`args[3]`, dates).
struct WorkWeek {
    weekend: [bool; 7],
    holidays: Vec<Date>,
}

impl WorkWeek {
    fn from_args(a: &[Value], func: &str) -> Result<WorkWeek> {
        let mut weekend = [true, false, false, false, false, false, true];
        if let Some(v) = a.get(2) {
            weekend = [false; 7];
            for item in list_items(v, 2, func)? {
                let day = day_arg(&[Value::Null, item], func)?;
                weekend[(day - 1) as usize] = true;
            }
        }
        let mut holidays = Vec::new();
        if let Some(v) = a.get(3) {
            for item in list_items(v, 3, func)? {
                let dt = as_datetime(&item).ok_or_else(|| super::arg_type_error(func, 3, "a list of dates", v))?;
                holidays.push(dt.date());
            }
        }
        Ok(WorkWeek { weekend, holidays })
    }
    fn works(&self, d: Date) -> bool {
        !self.weekend[(weekday_sunday1(d) - 1) as usize] && !self.holidays.contains(&d)
    }
}

/// `args[1]` work days (as `args[2]`/`args[3]` define them) forward (`sign` 1) or back, keeping
/// the time of day: `'21-Jul-2021'.subBusinessDay(5, {"Sunday"}, {'20-Jul-2021'})`.
fn shift_work_days(a: &[Value], func: &str, sign: i64) -> Result<Value> {
    let (dt, n) = (recv(a), int_arg(a, 1, func)?);
    let week = WorkWeek::from_args(a, func)?;
    let step = if n < 0 { -sign } else { sign };
    let (mut d, mut left, mut walked) = (dt.date(), n.unsigned_abs(), 0);
    while left > 0 {
        walked += 1;
        let next = add_days(midnight(d), step).filter(|_| walked <= MAX_WORK_SPAN);
        let stuck = || Error::runtime(format!("{func}: no {n} work days within {MAX_WORK_SPAN} days"));
        d = next.ok_or_else(stuck)?.date();
        left -= u64::from(week.works(d));
    }
    Ok(Value::DateTime(d.to_datetime(dt.time())))
}

fn list_items(v: &Value, i: usize, func: &str) -> Result<Vec<Value>> {
    match v {
        Value::Coll(c) if c.is_list() || c.is_undecided() => Ok(c.list().map(|l| l.clone()).unwrap_or_default()),
        other => Err(super::arg_type_error(func, i, "a LIST", other)),
    }
}

/// The two dates of a work-day function, as (from, to).
fn date_pair(a: &[Value], func: &str) -> Result<(Date, Date)> {
    Ok((time_arg(a, 0, func)?.date(), time_arg(a, 1, func)?.date()))
}

/// Caps the day-by-day walk of the work-day functions (about 27 years).
const MAX_WORK_SPAN: i64 = 10_000;

fn span_error(func: &str) -> Error {
    Error::runtime(format!("{func}: the dates are more than {MAX_WORK_SPAN} days apart"))
}

/// `'1-Jan-2020'.workDaysBetween('6-Jan-2020')` is `3`: work days after the start date up to the
/// end date; negative when the end date is earlier.
fn work_days_between(a: &[Value]) -> Result<Value> {
    let func = "workDaysBetween";
    let (from, to) = date_pair(a, func)?;
    let week = WorkWeek::from_args(a, func)?;
    let span = days_between(midnight(from), midnight(to));
    if span.abs() > MAX_WORK_SPAN {
        return Err(span_error(func));
    }
    let (lo, hi, sign) = if span >= 0 { (from, to, 1) } else { (to, from, -1) };
    let mut n = 0;
    let mut d = lo;
    while d < hi {
        d = d.tomorrow().map_err(|_| span_error(func))?;
        n += i64::from(week.works(d));
    }
    Ok(Value::Int(n * sign))
}

/// `'1-Jan-2020'.workDaysList('6-Jan-2020')` is `{01-Jan-2020,02-Jan-2020,03-Jan-2020,06-Jan-2020}`:
/// the work days from the start date to the end date, both included; empty when the end is earlier.
fn work_days_list(a: &[Value]) -> Result<Value> {
    let func = "workDaysList";
    let (from, to) = date_pair(a, func)?;
    let week = WorkWeek::from_args(a, func)?;
    if days_between(midnight(from), midnight(to)) > MAX_WORK_SPAN {
        return Err(span_error(func));
    }
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        if week.works(d) {
            out.push(Value::Date(d));
        }
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    Ok(Value::list(out))
}

/// `days360('31-Dec-1989', '01-Jan-1990')` is `1` (Zoho: it behaves as `daysBetween`).
fn days360(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(days_between(recv(a), time_arg(a, 1, "days360")?)))
}

/// Whole calendar months from the receiver to the argument (negative when it is earlier):
/// `'01-Feb-2019'.totalMonths('01-Mar-2019')` is `1` where `monthsBetween` gives `0`.
fn calendar_months(from: DateTime, to: DateTime) -> i64 {
    let months = |dt: DateTime| i64::from(dt.year()) * 12 + i64::from(dt.month());
    let mut n = months(to) - months(from);
    let rest = |dt: DateTime| (dt.day(), dt.time());
    if n > 0 && rest(to) < rest(from) {
        n -= 1;
    } else if n < 0 && rest(to) > rest(from) {
        n += 1;
    }
    n
}

/// `'01-Feb-2019'.totalMonths('01-Mar-2019')` is `1` (months of their real length, Zoho).
fn total_months(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(calendar_months(recv(a), time_arg(a, 1, "totalMonths")?)))
}

/// `'01-Jan-2019'.totalYears('01-Jan-2020')` is `1` (years of their real length).
fn total_years(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(calendar_months(recv(a), time_arg(a, 1, "totalYears")?) / 12))
}

/// The date in a Text receiver: `pattern` is a Java date pattern, else Deluge's date forms.
fn parse_text(a: &[Value], func: &str) -> Result<Moment> {
    let t = text_arg(a, 0, func)?;
    let parsed = match a.get(1) {
        Some(_) => parse_with_pattern(t, text_arg(a, 1, func)?),
        None => parse_moment(t),
    };
    parsed.ok_or_else(|| {
        let with = a.get(1).map(|p| format!(" with the pattern \"{}\"", p.to_text())).unwrap_or_default();
        Error::runtime(format!("{func}: '{}' is not a valid date{with}", &**t))
    })
}

/// `"01-Jan-2019".toDate()` is `01-Jan-2019`; `"31/01/2020".toDate("dd/MM/yyyy")` is
/// `31-Jan-2020`; `'01-Jan-2019 10:00:00'.toDate()` is `01-Jan-2019`.
fn to_date(a: &[Value]) -> Result<Value> {
    Ok(Value::Date(match &a[0] {
        Value::Text(_) => parse_text(a, "toDate")?.to_datetime().date(),
        _ => recv(a).date(),
    }))
}

/// `"2019-01-31 10:00:00".toDateTime()` is `31-Jan-2019 10:00:00`; `'01-Jan-2019'.toDateTime()`
/// is `01-Jan-2019 00:00:00`.
fn to_date_time(a: &[Value]) -> Result<Value> {
    Ok(Value::DateTime(match &a[0] {
        Value::Text(_) => parse_text(a, "toDateTime")?.to_datetime(),
        _ => recv(a),
    }))
}

/// `'31-Dec-2020'.getDayOfYear()` is `366`
/// (https://www.zoho.com/deluge/help/functions/datetime/getdayofyear.html).
fn day_of_year(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(recv(a).day_of_year().into()))
}

/// `'05-Feb-2026'.getDay()` is `5`.
fn day(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(recv(a).day().into()))
}

/// `'05-Feb-2026'.getMonth()` is `2`.
fn month(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(recv(a).month().into()))
}

/// `'05-Feb-2026'.getYear()` is `2026`.
fn year(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(recv(a).year().into()))
}

/// `'01-Jan-2019 15:04:09'.getHour()` is `15`; a Date's hour is `0`.
fn hour(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(recv(a).hour().into()))
}

/// `'01-Jan-2019 15:04:09'.getMinutes()` is `4`.
fn minute(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(recv(a).minute().into()))
}

/// `'01-Jan-2019 15:04:09'.getSeconds()` is `9`.
fn second(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(recv(a).second().into()))
}

/// `'17-Mar-2019'.weekday()` is `1` (Sunday); `'16-Mar-2019'.getDayOfWeek()` is `7`.
fn weekday(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(weekday_sunday1(recv(a).date())))
}

/// `'7-Feb-2021'.getWeekOfYear()` is `7`; `'7-Feb-2021'.getWeekOfYear("Monday")` is `6`.
fn week(a: &[Value]) -> Result<Value> {
    let d = recv(a).date();
    let Some(arg) = a.get(1) else {
        return Ok(Value::Int(week_of_year(d)));
    };
    const DAYS: [&str; 7] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    let name = text_arg(a, 1, "getWeekOfYear")?.trim().to_ascii_lowercase();
    let start = DAYS.iter().position(|d| *d == name || (name.len() == 3 && d.starts_with(&name))).ok_or_else(|| {
        Error::runtime(format!("getWeekOfYear: '{}' is not a day name such as \"Monday\"", arg.to_text()))
    })?;
    Ok(Value::Int(week_of_year_from(d, start as i64 + 1)))
}

/// The week of the year with weeks starting on day `start` (1 = Sunday); week 1 holds 1 January.
fn week_of_year_from(d: Date, start: i64) -> i64 {
    let pos = (weekday_sunday1(d) - start).rem_euclid(7);
    let doy = i64::from(d.day_of_year());
    if d.month() == 12 && 6 - pos > i64::from(d.days_in_year()) - doy {
        return 1;
    }
    let jan1 = (pos - (doy - 1)).rem_euclid(7);
    (doy - 1 + jan1) / 7 + 1
}

/// `'31-Dec-1989'.daysBetween('01-Jan-1990')` is `1`; `daysBetween(d1, d2)` is the same.
fn days_btw(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(days_between(recv(a), time_arg(a, 1, "daysBetween")?)))
}

/// `'18-Dec-2019 09:00:00'.hoursBetween('19-Dec-2019 10:00:00')` is `25`.
fn hours_btw(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(millis_between(recv(a), time_arg(a, 1, "hoursBetween")?) / 3_600_000))
}

/// `'01-Jan-2019'.monthsBetween('01-Mar-2019')` is `1` (a month counts as 30 days, Zoho).
fn months_btw(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(months_between(recv(a), time_arg(a, 1, "monthsBetween")?)))
}

/// `'02-Jan-2020'.yearsBetween('01-Jan-2021')` is `1` (a year counts as 365 days, Zoho).
fn years_btw(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(years_between(recv(a), time_arg(a, 1, "yearsBetween")?)))
}

/// `'17-Jan-2019'.yearFraction('29-Jan-2019')` is `0.03287671232876712`.
fn year_fraction(a: &[Value]) -> Result<Value> {
    let ms = millis_between(recv(a), time_arg(a, 1, "yearFraction")?);
    Ok(Value::Dec(ms as f64 / 86_400_000.0 / 365.0))
}

/// `'15-Mar-2019 15:00:00'.toStartOfMonth()` is `01-Mar-2019 00:00:00`.
fn to_start_of_month(a: &[Value]) -> Result<Value> {
    Ok(Value::DateTime(midnight(start_of_month(recv(a).date()))))
}

/// `'15-Mar-2019 15:00:00'.toStartOfWeek()` is `10-Mar-2019 00:00:00` (weeks start on Sunday).
fn to_start_of_week(a: &[Value]) -> Result<Value> {
    Ok(Value::DateTime(midnight(start_of_week(recv(a).date()))))
}

/// `'03-Feb-2020 03:48:12'.unixEpoch("Asia/Calcutta")` is `1580681892000`; without a zone (or
/// with an unknown one) the wall time is read in GMT; `"01-Jan-1970".unixEpoch()` is `0`.
fn unix_epoch(a: &[Value]) -> Result<Value> {
    let dt = match &a[0] {
        Value::Text(_) => parse_text(&a[..1], "unixEpoch")?.to_datetime(),
        _ => recv(a),
    };
    let tz = match a.get(1) {
        Some(_) => Some(&**text_arg(a, 1, "unixEpoch")?),
        None => None,
    };
    Ok(Value::Int(unix_epoch_millis(dt, tz)))
}

thread_local! {
    /// The local zone's name, looked up once per thread.
    static LOCAL_TZ: String = local_tz_name();
}

/// `'01-Jan-2019'.toString("yyyy-MM-dd")` is `2019-01-01`; `'01-Jan-2019'.toString()` is
/// `01-Jan-2019`; `toString(pattern, "Asia/Kolkata")` shows the time in that zone.
fn to_string(a: &[Value]) -> Result<Value> {
    if a.len() == 1 {
        return Ok(Value::from_string(a[0].to_text()));
    }
    let pattern = text_arg(a, 1, "toString")?;
    let to_tz = match a.get(2) {
        Some(_) => Some(&**text_arg(a, 2, "toString")?),
        None => None,
    };
    LOCAL_TZ
        .with(|local| format_pattern(recv(a), pattern, local, to_tz))
        .map(Value::from_string)
        .map_err(|e| Error::runtime(format!("Invalid date pattern \"{}\": {e}", &**pattern)))
}
