//! Cron schedules (five fields: minute hour day-of-month month day-of-week, names for months and
//! weekdays, lists, ranges and steps): one checker and one validator for every vendor that takes
//! a schedule (Render cron jobs, Railway cron services). Must not import protocol or clouds.

use super::rules::Validator;

/// A validator for a five-field cron schedule.
pub fn cron() -> Validator {
    Validator::string(
        "A cron expression with five fields (minute hour day-of-month month day-of-week), UTC.",
        cron_error,
    )
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Why a crontab expression (5 fields: minute hour day-of-month month day-of-week) is invalid.
pub fn cron_error(expr: &str) -> Option<String> {
    let fields: Vec<&str> = expr.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!(
            "{expr:?} must have 5 fields (minute hour day-of-month month day-of-week), found {}.",
            fields.len()
        ));
    }
    let specs: [(&str, u32, u32, &[&str], u32); 5] = [
        ("minute", 0, 59, &[], 0),
        ("hour", 0, 23, &[], 0),
        ("day of month", 1, 31, &[], 0),
        ("month", 1, 12, MONTHS, 1),
        ("day of week", 0, 7, DAYS, 0),
    ];
    for (field, (name, min, max, names, name_base)) in fields.iter().zip(specs) {
        if let Err(why) = cron_field(field, min, max, names, name_base) {
            return Some(format!("{expr:?}: the {name} field {field:?} {why}"));
        }
    }
    None
}

fn cron_field(
    field: &str,
    min: u32,
    max: u32,
    names: &[&str],
    name_base: u32,
) -> Result<(), String> {
    let number = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(i as u32 + name_base);
        }
        let n: u32 = s
            .parse()
            .map_err(|_| format!("has {s:?}, which is not a number."))?;
        if n < min || n > max {
            return Err(format!("has {n}, outside {min}-{max}."));
        }
        Ok(n)
    };
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (item, None),
        };
        if let Some(s) = step {
            match s.parse::<u32>() {
                Ok(n) if n >= 1 && n <= max.max(1) => {}
                _ => {
                    return Err(format!(
                        "has the step {s:?}, which must be a number from 1 to {max}."
                    ))
                }
            }
        }
        if range == "*" {
            continue;
        }
        match range.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                if a > b {
                    return Err(format!("has the range {a}-{b}, which runs backwards."));
                }
            }
            None => {
                number(range)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_schedules() {
        for ok in [
            "*/5 * * * *",
            "0 3 * * 1-5",
            "15,45 8-18/2 1 JAN-MAR mon",
            "0 0 * * 7",
            "*/15 0-6 1,15 JAN-MAR mon-fri",
            "0 0 1 12 7",
        ] {
            assert_eq!(cron_error(ok), None, "{ok}");
        }
        for bad in [
            "* * * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "0 0 * 13 *",
            "*/0 * * * *",
            "5-1 * * * *",
            "a * * * *",
            "0 0 * * * *",
            "@daily",
            "0 0 * FOO *",
        ] {
            assert!(cron_error(bad).is_some(), "{bad}");
        }
    }
}
