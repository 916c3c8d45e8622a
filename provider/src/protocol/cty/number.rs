//! Exact number handling for the codec: choosing the msgpack form of a decimal (int, float64 or
//! string) and turning a wire float into the decimal it exactly is. Works on decimal text only,
//! never through a lossy f64 round trip. Must not import protocol wire types or clouds.

use crate::framework::Number;

/// How a number goes on the msgpack wire.
#[derive(Debug, PartialEq)]
pub(crate) enum WireNumber {
    Int(i64),
    Float(f64),
    Text(String),
}

/// A decimal as sign, significant digits (no leading or trailing zeros; empty for zero) and a
/// power of ten: value = digits × 10^exp.
#[derive(Debug, PartialEq)]
struct Decimal {
    negative: bool,
    digits: String,
    exp: i64,
}

/// Split decimal text (`-12.50e+3`) into a normalised [`Decimal`]. `None` when the text is not
/// a plain decimal or its exponent does not fit an i64 (such numbers are sent as text).
fn decompose(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (mantissa, exp_text) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let mut exp: i64 = match exp_text {
        Some(e) => e.strip_prefix('+').unwrap_or(e).parse().ok()?,
        None => 0,
    };
    exp = exp.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let joined = format!("{int}{frac}");
    let leading_trimmed = joined.trim_start_matches('0');
    let digits = leading_trimmed.trim_end_matches('0');
    let trailing = leading_trimmed.len() - digits.len();
    exp = exp.checked_add(i64::try_from(trailing).ok()?)?;
    if digits.is_empty() {
        return Some(Decimal {
            negative: false,
            digits: String::new(),
            exp: 0,
        });
    }
    Some(Decimal {
        negative,
        digits: digits.to_string(),
        exp,
    })
}

/// The msgpack form of `n`, as go-cty chooses it: an int when integral and within i64, a
/// float64 when the decimal is *exactly* a float64 (so Terraform reads back the same value),
/// otherwise the decimal text.
pub(crate) fn wire_form(n: &Number) -> WireNumber {
    let text = n.as_str();
    let Some(d) = decompose(text) else {
        return WireNumber::Text(text.to_string());
    };
    if d.digits.is_empty() {
        return WireNumber::Int(0);
    }
    let len = i64::try_from(d.digits.len()).unwrap_or(i64::MAX);
    // Integers below 10^19 may fit an i64.
    if d.exp >= 0 && len.saturating_add(d.exp) <= 19 {
        let zeros = usize::try_from(d.exp).unwrap_or(0);
        let sign = if d.negative { "-" } else { "" };
        if let Ok(i) = format!("{sign}{}{}", d.digits, "0".repeat(zeros)).parse::<i64>() {
            return WireNumber::Int(i);
        }
    }
    // A float64 has at most 767 significant decimal digits and lies within 10^-1075..10^309;
    // anything outside cannot be exact, so skip the (costly) exact comparison.
    let magnitude = len.saturating_add(d.exp);
    if len <= 800 && magnitude <= 310 && d.exp >= -1100 {
        if let Ok(f) = text.trim().parse::<f64>() {
            if f.is_finite() && decompose(&exact_text(f)).as_ref() == Some(&d) {
                return WireNumber::Float(f);
            }
        }
    }
    WireNumber::Text(text.to_string())
}

/// Every digit of a finite float: `{:.1074}` is exact because 1074 fractional digits cover
/// the smallest subnormal, and Rust formats with a given precision exactly.
fn exact_text(f: f64) -> String {
    format!("{f:.1074}")
}

/// The exact decimal value of a wire float. NaN and infinities have no cty number form.
pub(crate) fn from_wire_float(f: f64) -> Option<Number> {
    if !f.is_finite() {
        return None;
    }
    Number::parse(&exact_text(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn decompose_normalises() {
        let d = decompose("-0012.3400e+3").expect("decimal");
        assert_eq!(
            d,
            Decimal {
                negative: true,
                digits: "1234".into(),
                exp: 1
            }
        );
        assert_eq!(decompose("-0.000").map(|d| d.digits), Some(String::new()));
        assert!(decompose("1e99999999999999999999").is_none());
        assert!(decompose("abc").is_none());
    }

    #[test]
    fn wire_form_picks_int_float_or_text() {
        assert_eq!(wire_form(&num("1e3")), WireNumber::Int(1000));
        assert_eq!(
            wire_form(&num("-9223372036854775808")),
            WireNumber::Int(i64::MIN)
        );
        assert_eq!(
            wire_form(&num("9223372036854775808")),
            WireNumber::Float(9223372036854775808.0)
        );
        assert_eq!(wire_form(&num("1.5")), WireNumber::Float(1.5));
        assert_eq!(wire_form(&num("0.1")), WireNumber::Text("0.1".into()));
        assert_eq!(wire_form(&num("1e400")), WireNumber::Text("1e400".into()));
        assert_eq!(wire_form(&num("1e-400")), WireNumber::Text("1e-400".into()));
        assert_eq!(
            wire_form(&num("1e99999999999999999999")),
            WireNumber::Text("1e99999999999999999999".into())
        );
        let exact_tenth = "0.1000000000000000055511151231257827021181583404541015625";
        assert_eq!(wire_form(&num(exact_tenth)), WireNumber::Float(0.1));
    }

    #[test]
    fn wire_floats_decode_to_their_exact_value() {
        assert_eq!(
            from_wire_float(0.5).map(|n| n.to_string()),
            Some("0.5".into())
        );
        assert_eq!(
            from_wire_float(0.1).map(|n| n.to_string()),
            Some("0.1000000000000000055511151231257827021181583404541015625".into())
        );
        assert_eq!(
            from_wire_float(-0.0).map(|n| n.to_string()),
            Some("0".into())
        );
        assert!(from_wire_float(f64::NAN).is_none());
        assert!(from_wire_float(f64::INFINITY).is_none());
    }
}
