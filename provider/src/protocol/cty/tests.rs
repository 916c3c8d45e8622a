//! Tests for the cty codec: golden msgpack hex tables (checked by hand against the msgpack spec
//! and go-cty's choices), JSON cases, round trips, a seeded never-panics property test and depth
//! bombs. Test-only; imports nothing outside the codec and the framework value model.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::*;
use crate::framework::Number;

// ---------------------------------------------------------------------------------------------
// Helpers

/// Hex text (spaces allowed) to bytes.
fn hex(s: &str) -> Vec<u8> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(clean.len().is_multiple_of(2), "odd hex {s}");
    clean
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).expect("ascii"), 16).expect("hex digit"))
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A str/bin header (given as hex) followed by the ASCII of `text`.
fn with_text(header: &str, text: &str) -> Vec<u8> {
    let mut v = hex(header);
    v.extend_from_slice(text.as_bytes());
    v
}

fn n(s: &str) -> Value {
    Value::Number(Number::parse(s).unwrap_or_else(|| panic!("{s} is a number")))
}
fn s(x: &str) -> Value {
    Value::string(x)
}

fn obj_ty(attrs: &[(&str, Type)]) -> Type {
    Type::object(attrs.iter().cloned())
}

// ---------------------------------------------------------------------------------------------
// Golden msgpack, both directions

/// (type, value, exact bytes): encode(value) == bytes and decode(bytes) == value.
fn golden() -> Vec<(Type, Value, Vec<u8>)> {
    let mut g = vec![
        (Type::String, Value::Null, hex("c0")),
        (Type::String, Value::Unknown, hex("d4 00 00")),
        (Type::Number, Value::Unknown, hex("d4 00 00")),
        (Type::Bool, Value::Bool(true), hex("c3")),
        (Type::Bool, Value::Bool(false), hex("c2")),
    ];
    let ints: &[(&str, &str)] = &[
        ("0", "00"),
        ("127", "7f"),
        ("128", "cc 80"),
        ("255", "cc ff"),
        ("256", "cd 01 00"),
        ("65535", "cd ff ff"),
        ("65536", "ce 00 01 00 00"),
        ("4294967295", "ce ff ff ff ff"),
        ("4294967296", "cf 00 00 00 01 00 00 00 00"),
        ("9223372036854775807", "cf 7f ff ff ff ff ff ff ff"),
        ("-1", "ff"),
        ("-32", "e0"),
        ("-33", "d0 df"),
        ("-128", "d0 80"),
        ("-129", "d1 ff 7f"),
        ("-32768", "d1 80 00"),
        ("-32769", "d2 ff ff 7f ff"),
        ("-2147483648", "d2 80 00 00 00"),
        ("-2147483649", "d3 ff ff ff ff 7f ff ff ff"),
        ("-9223372036854775808", "d3 80 00 00 00 00 00 00 00"),
    ];
    for (num, bytes) in ints {
        g.push((Type::Number, n(num), hex(bytes)));
    }
    let floats: &[(&str, &str)] = &[
        ("1.5", "cb 3f f8 00 00 00 00 00 00"),
        ("-0.25", "cb bf d0 00 00 00 00 00 00"),
        // 2^63 does not fit an i64 but is exactly a float64.
        ("9223372036854775808", "cb 43 e0 00 00 00 00 00 00"),
        // 2^70 is a power of two, so float64 holds it exactly (go-cty writes a float here too).
        ("1180591620717411303424", "cb 44 50 00 00 00 00 00 00"),
        // The exact value of the float64 nearest 0.1.
        (
            "0.1000000000000000055511151231257827021181583404541015625",
            "cb 3f b9 99 99 99 99 99 9a",
        ),
    ];
    for (num, bytes) in floats {
        g.push((Type::Number, n(num), hex(bytes)));
    }
    // Numbers neither an i64 nor exactly a float64 travel as decimal text.
    g.push((Type::Number, n("0.1"), hex("a3 30 2e 31")));
    g.push((
        Type::Number,
        n("1180591620717411303425"),
        with_text("b6", "1180591620717411303425"),
    )); // 2^70+1
    g.push((
        Type::Number,
        n("18446744073709551615"),
        with_text("b4", "18446744073709551615"),
    )); // 2^64-1
    g.push((Type::Number, n("1e400"), hex("a5 31 65 34 30 30")));
    let big = "123456789012345678901234567890.000000000000000000001";
    g.push((Type::Number, n(big), with_text("d9 34", big)));

    g.push((Type::String, s(""), hex("a0")));
    g.push((Type::String, s("hi"), hex("a2 68 69")));
    g.push((Type::String, s("é"), hex("a2 c3 a9")));
    g.push((
        Type::String,
        s(&"x".repeat(31)),
        with_text("bf", &"x".repeat(31)),
    ));
    g.push((
        Type::String,
        s(&"x".repeat(32)),
        with_text("d9 20", &"x".repeat(32)),
    ));
    g.push((
        Type::String,
        s(&"x".repeat(256)),
        with_text("da 01 00", &"x".repeat(256)),
    ));

    // List keeps order; set is sorted.
    g.push((
        Type::list(Type::String),
        Value::List(vec![s("b"), s("a")]),
        hex("92 a1 62 a1 61"),
    ));
    g.push((
        Type::set(Type::String),
        Value::set(vec![s("b"), s("a")]),
        hex("92 a1 61 a1 62"),
    ));
    g.push((Type::list(Type::Number), Value::List(vec![]), hex("90")));
    g.push((Type::list(Type::Number), Value::List(vec![n("0"); 16]), {
        let mut v = hex("dc 00 10");
        v.extend(std::iter::repeat_n(0u8, 16));
        v
    }));

    let an = obj_ty(&[("a", Type::String), ("n", Type::Number)]);
    g.push((
        an.clone(),
        Value::object([("a", s("x")), ("n", n("1"))]),
        hex("82 a1 61 a1 78 a1 6e 01"),
    ));
    g.push((an, Value::Null, hex("c0")));

    let nested = obj_ty(&[
        (
            "inner",
            obj_ty(&[("id", Type::String), ("size", Type::Number)]),
        ),
        ("name", Type::String),
    ]);
    let nested_v = Value::object([
        (
            "inner",
            Value::object([("id", Value::Unknown), ("size", n("3"))]),
        ),
        ("name", Value::Null),
    ]);
    g.push((
        nested,
        nested_v,
        hex("82 a5 69 6e 6e 65 72 82 a2 69 64 d4 00 00 a4 73 69 7a 65 03 a4 6e 61 6d 65 c0"),
    ));

    let m = Value::Map(BTreeMap::from([
        ("x".to_string(), n("1")),
        ("y".to_string(), n("2")),
    ]));
    g.push((Type::map(Type::Number), m, hex("82 a1 78 01 a1 79 02")));

    g.push((
        Type::Tuple(vec![Type::String, Type::Bool]),
        Value::Tuple(vec![s("a"), Value::Bool(true)]),
        hex("92 a1 61 c3"),
    ));

    // Dynamic: [type JSON as bin, value]; null and unknown stay bare.
    g.push((
        Type::Dynamic,
        Value::List(vec![s("a")]),
        hex("92 c4 11 5b 22 6c 69 73 74 22 2c 22 73 74 72 69 6e 67 22 5d 91 a1 61"),
    ));
    g.push((
        Type::Dynamic,
        s("hi"),
        hex("92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69"),
    ));
    g.push((Type::Dynamic, Value::Null, hex("c0")));
    g.push((Type::Dynamic, Value::Unknown, hex("d4 00 00")));
    g
}

#[test]
fn golden_msgpack_encodes_exactly() {
    for (ty, v, bytes) in golden() {
        let got = encode_msgpack(&v, &ty).unwrap_or_else(|e| panic!("encode {v:?} as {ty:?}: {e}"));
        assert_eq!(
            to_hex(&got),
            to_hex(&bytes),
            "encoding {v:?} as {}",
            type_name(&ty)
        );
    }
}

#[test]
fn golden_msgpack_decodes_exactly() {
    for (ty, v, bytes) in golden() {
        let got = decode_msgpack(&bytes, &ty)
            .unwrap_or_else(|e| panic!("decode {} as {ty:?}: {e}", to_hex(&bytes)));
        assert_eq!(got, v, "decoding {} as {}", to_hex(&bytes), type_name(&ty));
    }
}

#[test]
fn msgpack_decodes_every_wire_variant() {
    let nums: &[(&str, &str)] = &[
        ("cc 05", "5"),
        ("cd 00 05", "5"),
        ("ce 00 00 00 05", "5"),
        ("cf 00 00 00 00 00 00 00 05", "5"),
        ("d0 05", "5"),
        ("d1 ff fb", "-5"),
        ("d2 ff ff ff fb", "-5"),
        ("d3 ff ff ff ff ff ff ff fb", "-5"),
        ("cf ff ff ff ff ff ff ff ff", "18446744073709551615"),
        ("ca 3f c0 00 00", "1.5"),
        ("cb 80 00 00 00 00 00 00 00", "0"), // -0.0
        ("a4 2d 31 65 32", "-1e2"),
        ("c4 03 31 2e 35", "1.5"), // bin is accepted where go's decoder accepts it
    ];
    for (bytes, want) in nums {
        assert_eq!(
            decode_msgpack(&hex(bytes), &Type::Number),
            Ok(n(want)),
            "{bytes}"
        );
    }
    // Any extension, any length, is unknown (incl. a refined unknown with a payload).
    for ext in [
        "d4 00 00",
        "d5 05 01 02",
        "d6 00 00 00 00 00",
        "d7 7f 00 00 00 00 00 00 00 00",
        "d8 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
        "c7 00 00",
        "c7 03 0c 81 01 c2",
        "c8 00 01 00 ff",
        "c9 00 00 00 00 05",
    ] {
        for ty in [
            Type::String,
            Type::Dynamic,
            Type::list(Type::Number),
            obj_ty(&[("a", Type::Bool)]),
        ] {
            assert_eq!(
                decode_msgpack(&hex(ext), &ty),
                Ok(Value::Unknown),
                "{ext} as {ty:?}"
            );
        }
    }
    assert_eq!(
        decode_msgpack(&hex("c4 02 68 69"), &Type::String),
        Ok(s("hi"))
    );
    // Sets are sorted and de-duplicated.
    assert_eq!(
        decode_msgpack(&hex("93 a1 62 a1 61 a1 62"), &Type::set(Type::String)),
        Ok(Value::Set(vec![s("a"), s("b")]))
    );
    // A missing object attribute reads as null.
    let an = obj_ty(&[("a", Type::String), ("n", Type::Number)]);
    assert_eq!(
        decode_msgpack(&hex("81 a1 61 a1 78"), &an),
        Ok(Value::object([("a", s("x")), ("n", Value::Null)]))
    );
    assert_eq!(
        decode_msgpack(&hex("81 c4 01 61 a1 78"), &an),
        Ok(Value::object([("a", s("x")), ("n", Value::Null)]))
    );
    // Dynamic: type as str works too; a typed null inside the wrapper is null.
    assert_eq!(
        decode_msgpack(
            &hex("92 a8 22 73 74 72 69 6e 67 22 a2 68 69"),
            &Type::Dynamic
        ),
        Ok(s("hi"))
    );
    assert_eq!(
        decode_msgpack(&hex("92 c4 08 22 73 74 72 69 6e 67 22 c0"), &Type::Dynamic),
        Ok(Value::Null)
    );
    // A list inside an object inside a list.
    let ty = Type::list(obj_ty(&[("tags", Type::list(Type::String))]));
    assert_eq!(
        decode_msgpack(&hex("91 81 a4 74 61 67 73 91 a1 7a"), &ty),
        Ok(Value::List(vec![Value::object([(
            "tags",
            Value::List(vec![s("z")])
        )])]))
    );
}

#[test]
fn msgpack_rejects_bad_input_with_a_path() {
    let an = obj_ty(&[("a", Type::String), ("n", Type::Number)]);
    let cases: Vec<(&str, Type, &str)> = vec![
        ("", Type::String, "end of input"),
        ("c1", Type::String, "0xc1"),
        ("c0 c0", Type::String, "trailing"),
        ("81 a1 7a 01", an.clone(), ".z"),
        ("82 a1 61 01 a1 6e 01", an.clone(), ".a"),
        (
            "91 a1 61",
            Type::Tuple(vec![Type::String, Type::Bool]),
            "tuple of length 2",
        ),
        (
            "cb 7f f8 00 00 00 00 00 00",
            Type::Number,
            "not a cty number",
        ),
        (
            "cb 7f f0 00 00 00 00 00 00",
            Type::Number,
            "not a cty number",
        ),
        ("a3 4e 61 4e", Type::Number, "not a number"),
        ("a3 49 6e 66", Type::Number, "not a number"),
        ("a1 61", Type::Bool, "bool is required"),
        ("c3", Type::String, "string is required"),
        ("01", Type::String, "string is required"),
        ("c3", Type::Number, "number is required"),
        ("a1 61", Type::list(Type::String), "list is required"),
        ("dd ff ff ff ff", Type::list(Type::String), "claims"),
        ("df ff ff ff ff", Type::map(Type::String), "claims"),
        ("db ff ff ff ff", Type::String, "end of input"),
        ("c9 ff ff ff ff 00", Type::String, "end of input"),
        (
            "81 01 a1 61",
            Type::map(Type::String),
            "keys must be strings",
        ),
        ("a2 ff fe", Type::String, "UTF-8"),
        ("91 c0", Type::Dynamic, "[type, value]"),
        ("92 c4 03 61 62 63 c0", Type::Dynamic, "dynamic value type"),
        (
            "92 a5 22 66 6f 6f 22 c0",
            Type::Dynamic,
            "unknown primitive",
        ),
        ("92 01 c0", Type::Dynamic, "JSON bytes"),
        (
            "81 a5 69 6e 6e 65 72 81 a1 6e a1 78",
            obj_ty(&[("inner", an.clone())]),
            "at .inner.n:",
        ),
        ("92 a1 61 01", Type::list(Type::String), "at [1]:"),
    ];
    for (bytes, ty, want) in cases {
        match decode_msgpack(&hex(bytes), &ty) {
            Ok(v) => panic!("{bytes} as {ty:?} decoded to {v:?}"),
            Err(e) => assert!(
                e.0.contains(want),
                "{bytes}: error {e:?} should mention {want:?}"
            ),
        }
    }
}

#[test]
fn msgpack_encode_rejects_values_that_do_not_fit() {
    let an = obj_ty(&[("a", Type::String)]);
    assert!(encode_msgpack(&s("x"), &Type::Number).is_err());
    assert!(encode_msgpack(&Value::Bool(true), &Type::list(Type::String)).is_err());
    let extra = encode_msgpack(&Value::object([("a", s("x")), ("b", s("y"))]), &an);
    assert!(
        extra.as_ref().is_err_and(|e| e.0.contains(".b")),
        "{extra:?}"
    );
    let tuple = encode_msgpack(
        &Value::Tuple(vec![s("a")]),
        &Type::Tuple(vec![Type::String, Type::Bool]),
    );
    assert!(tuple.is_err());
    // Leniencies: a partial object gets nulls; a list given for a set is written as a set.
    assert_eq!(
        encode_msgpack(&Value::object::<[(&str, Value); 0], &str>([]), &an),
        Ok(hex("81 a1 61 c0"))
    );
    assert_eq!(
        encode_msgpack(
            &Value::List(vec![s("b"), s("a"), s("b")]),
            &Type::set(Type::String)
        ),
        Ok(hex("92 a1 61 a1 62"))
    );
    assert_eq!(encode_msgpack(&n("12"), &Type::String), Ok(hex("a2 31 32")));
}

// ---------------------------------------------------------------------------------------------
// Round trips

fn sample_values() -> Vec<(Type, Value)> {
    let inner = obj_ty(&[
        ("id", Type::String),
        ("ports", Type::set(Type::Number)),
        ("meta", Type::map(Type::String)),
    ]);
    let ty = obj_ty(&[
        ("items", Type::list(inner.clone())),
        ("any", Type::Dynamic),
        ("pair", Type::Tuple(vec![Type::Number, Type::Dynamic])),
        ("flag", Type::Bool),
    ]);
    let item = |id: &str, ports: &[&str]| {
        Value::object([
            ("id", s(id)),
            ("ports", Value::set(ports.iter().map(|p| n(p)).collect())),
            (
                "meta",
                Value::Map(BTreeMap::from([("k".to_string(), s("v"))])),
            ),
        ])
    };
    let full = Value::object([
        (
            "items",
            Value::List(vec![item("a", &["443", "80"]), item("b", &[])]),
        ),
        (
            "any",
            Value::object([
                (
                    "nested",
                    Value::Tuple(vec![n("1"), s("two"), Value::Bool(false)]),
                ),
                ("big", n("1e400")),
            ]),
        ),
        (
            "pair",
            Value::Tuple(vec![n("0.1"), Value::Set(vec![s("only")])]),
        ),
        ("flag", Value::Bool(true)),
    ]);
    let partly_unknown = Value::object([
        (
            "items",
            Value::List(vec![Value::object([
                ("id", Value::Unknown),
                ("ports", Value::Unknown),
                ("meta", Value::Null),
            ])]),
        ),
        ("any", Value::Unknown),
        ("pair", Value::Tuple(vec![Value::Unknown, Value::Null])),
        ("flag", Value::Null),
    ]);
    vec![
        (ty.clone(), full),
        (ty.clone(), partly_unknown),
        (ty, Value::Null),
        (
            Type::Dynamic,
            Value::Map(BTreeMap::from([("a".to_string(), n("-7"))])),
        ),
        (
            Type::list(Type::Dynamic),
            Value::List(vec![s("x"), n("2"), Value::Null, Value::Unknown]),
        ),
        (
            Type::set(obj_ty(&[("n", Type::Number)])),
            Value::set(vec![
                Value::object([("n", n("2"))]),
                Value::object([("n", n("1"))]),
            ]),
        ),
    ]
}

#[test]
fn msgpack_round_trips() {
    for (ty, v) in sample_values() {
        let bytes = encode_msgpack(&v, &ty).unwrap_or_else(|e| panic!("encode {v:?}: {e}"));
        assert_eq!(
            decode_msgpack(&bytes, &ty),
            Ok(v.clone()),
            "via {}",
            to_hex(&bytes)
        );
        // And the bytes are stable: decode then encode gives the same bytes.
        let again = decode_msgpack(&bytes, &ty).and_then(|d| encode_msgpack(&d, &ty));
        assert_eq!(again, Ok(bytes));
    }
}

#[test]
fn json_round_trips_known_values() {
    for (ty, v) in sample_values() {
        if v.contains_unknown() {
            assert!(encode_json(&v, &ty).is_err(), "unknowns have no JSON form");
            continue;
        }
        let text = encode_json(&v, &ty).unwrap_or_else(|e| panic!("encode {v:?}: {e}"));
        assert_eq!(
            decode_json(&text, &ty),
            Ok(v.clone()),
            "via {}",
            String::from_utf8_lossy(&text)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_keeps_numbers_exact_and_follows_the_type() {
    let ty = obj_ty(&[
        ("a", Type::String),
        ("n", Type::Number),
        ("f", Type::Number),
        ("s", Type::set(Type::Number)),
    ]);
    let doc = br#" { "a" : "x", "n": 1180591620717411303425, "f": 0.1000000000000000000001, "s": [3, 1, 3e0], "gone": {"deep": [1]} } "#;
    assert_eq!(
        decode_json(doc, &ty),
        Ok(Value::object([
            ("a", s("x")),
            ("n", n("1180591620717411303425")),
            ("f", n("0.1000000000000000000001")),
            ("s", Value::Set(vec![n("1"), n("3")])),
        ]))
    );
    assert_eq!(
        decode_json(br#"{"a":"x"}"#, &ty),
        Ok(Value::object([
            ("a", s("x")),
            ("n", Value::Null),
            ("f", Value::Null),
            ("s", Value::Null)
        ]))
    );
    // cty's JSON conversions: string ⇄ number ⇄ bool where the text allows.
    assert_eq!(decode_json(br#""12.5""#, &Type::Number), Ok(n("12.5")));
    assert_eq!(decode_json(b"12", &Type::String), Ok(s("12")));
    assert_eq!(
        decode_json(br#""true""#, &Type::Bool),
        Ok(Value::Bool(true))
    );
    assert_eq!(
        decode_json(b"null", &Type::list(Type::String)),
        Ok(Value::Null)
    );
    assert_eq!(
        decode_json(
            br#"{"k":[1,"a"]}"#,
            &Type::map(Type::Tuple(vec![Type::Number, Type::String]))
        ),
        Ok(Value::Map(BTreeMap::from([(
            "k".to_string(),
            Value::Tuple(vec![n("1"), s("a")])
        )])))
    );
}

#[test]
fn json_strings_unescape_fully() {
    let got = decode_json(br#""\u00e9\n\t\/\\\"\ud83d\ude00""#, &Type::String);
    assert_eq!(got, Ok(s("é\n\t/\\\"😀")));
    assert_eq!(
        decode_json(br#""\ud800x""#, &Type::String),
        Ok(s("\u{fffd}x"))
    );
    assert_eq!(
        decode_json("\"ünï\"".as_bytes(), &Type::String),
        Ok(s("ünï"))
    );
}

#[test]
fn json_dynamic_values_carry_their_type() {
    let wrapped = br#"{"value":["a"],"type":["list","string"]}"#;
    assert_eq!(
        decode_json(wrapped, &Type::Dynamic),
        Ok(Value::List(vec![s("a")]))
    );
    assert_eq!(
        encode_json(&Value::List(vec![s("a")]), &Type::Dynamic),
        Ok(wrapped.to_vec())
    );
    // Type first works too; a bare value is inferred (arrays are tuples).
    assert_eq!(
        decode_json(br#"{"type":"number","value":"7"}"#, &Type::Dynamic),
        Ok(n("7"))
    );
    assert_eq!(
        decode_json(br#"[1,"a"]"#, &Type::Dynamic),
        Ok(Value::Tuple(vec![n("1"), s("a")]))
    );
    assert_eq!(decode_json(b"null", &Type::Dynamic), Ok(Value::Null));
}

#[test]
fn json_encodes_exact_text() {
    let ty = obj_ty(&[
        ("a", Type::String),
        ("n", Type::Number),
        ("l", Type::list(Type::Bool)),
        ("m", Type::map(Type::String)),
    ]);
    let v = Value::object([
        ("a", s("q\"uote")),
        ("n", n("1180591620717411303425")),
        ("l", Value::List(vec![Value::Bool(true), Value::Null])),
    ]);
    let got = encode_json(&v, &ty).map(|b| String::from_utf8_lossy(&b).into_owned());
    assert_eq!(
        got,
        Ok(r#"{"a":"q\"uote","l":[true,null],"m":null,"n":1180591620717411303425}"#.to_string())
    );
}

#[test]
fn json_rejects_malformed_documents() {
    let ty = obj_ty(&[("a", Type::Number)]);
    for doc in [
        &b""[..],
        b"{\"a\":1",
        b"[1,]",
        b"{\"a\":01}",
        b"{\"a\":1.}",
        b"{\"a\":-}",
        b"{\"a\":1e}",
        b"{\"a\":tru}",
        b"{\"a\":1} 2",
        b"{\"a\" 1}",
        b"{a:1}",
        b"\"\x01\"",
        b"\"\xff\xfe\"",
        b"\"\\x\"",
        b"\"\\u12\"",
        b"{\"a\":\"NaN\"}",
        b"{\"a\":[1]}",
        b"{\"a\":true}",
    ] {
        let t = if doc.starts_with(b"\"") {
            Type::String
        } else {
            ty.clone()
        };
        assert!(
            decode_json(doc, &t).is_err(),
            "{:?} should fail",
            String::from_utf8_lossy(doc)
        );
    }
    let nested = decode_json(br#"{"a":"x"}"#, &ty);
    assert!(
        nested.as_ref().is_err_and(|e| e.0.contains(".a")),
        "{nested:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Never panic: seeded random and mutated inputs

/// xorshift64*: deterministic, no extra crates.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn byte(&mut self) -> u8 {
        (self.next() >> 24) as u8
    }
}

fn fuzz_types() -> Vec<Type> {
    vec![
        Type::Dynamic,
        Type::String,
        Type::Number,
        Type::Bool,
        Type::list(Type::String),
        Type::set(Type::Number),
        Type::map(Type::Dynamic),
        Type::Tuple(vec![Type::Bool, Type::map(Type::String)]),
        obj_ty(&[
            ("a", Type::String),
            ("b", Type::list(Type::Number)),
            ("c", Type::Dynamic),
            ("d", Type::Tuple(vec![Type::Bool, Type::set(Type::String)])),
        ]),
    ]
}

fn has_dynamic(t: &Type) -> bool {
    match t {
        Type::Dynamic => true,
        Type::List(e) | Type::Set(e) | Type::Map(e) => has_dynamic(e),
        Type::Tuple(ts) => ts.iter().any(has_dynamic),
        Type::Object(m) => m.values().any(has_dynamic),
        _ => false,
    }
}

/// Bytes that look like msgpack often enough to get past the first marker.
fn random_msgpack(rng: &mut Rng) -> Vec<u8> {
    const MARKERS: &[u8] = &[
        0xc0, 0xc2, 0xc3, 0xc4, 0xc7, 0xca, 0xcb, 0xcc, 0xcf, 0xd3, 0xd4, 0xd8, 0xd9, 0xdc, 0xdd,
        0xde, 0xdf, 0x92, 0x81, 0x82, 0xa1, 0xa8, 0x00, 0x7f, 0xff,
    ];
    let len = rng.below(48);
    (0..len)
        .map(|_| {
            if rng.below(2) == 0 {
                MARKERS[rng.below(MARKERS.len())]
            } else {
                rng.byte()
            }
        })
        .collect()
}

fn mutate(rng: &mut Rng, mut b: Vec<u8>) -> Vec<u8> {
    for _ in 0..=rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(6) {
            0 if at < b.len() => b[at] ^= 1 << rng.below(8),
            1 if at < b.len() => b[at] = rng.byte(),
            2 => b.insert(at, rng.byte()),
            3 if at < b.len() => {
                b.remove(at);
            }
            4 => b.truncate(at),
            _ => {
                let end = (at + rng.below(8)).min(b.len());
                let chunk = b[at..end].to_vec();
                b.splice(at..at, chunk);
            }
        }
    }
    b
}

#[test]
fn msgpack_decode_never_panics_on_random_or_mutated_input() {
    let types = fuzz_types();
    let seeds: Vec<Vec<u8>> = golden()
        .into_iter()
        .map(|(_, _, b)| b)
        .chain(
            sample_values()
                .iter()
                .filter_map(|(t, v)| encode_msgpack(v, t).ok()),
        )
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut err) = (0usize, 0usize);
    for i in 0..20_000 {
        let input = if i % 2 == 0 {
            random_msgpack(&mut rng)
        } else {
            let seed = seeds[rng.below(seeds.len())].clone();
            mutate(&mut rng, seed)
        };
        for ty in &types {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let decoded = decode_msgpack(&input, ty);
                if let Ok(v) = &decoded {
                    // Without dynamic parts anything we accept we can write back and read
                    // back identically. With them, the value has lost its wire type (a
                    // heterogeneous list(dynamic) is invalid cty and may fail to re-encode),
                    // so only "no panic" is asserted.
                    let re = encode_msgpack(v, ty);
                    if !has_dynamic(ty) {
                        assert!(re.is_ok(), "re-encode of {v:?} failed: {re:?}");
                        let back = re.as_ref().ok().map(|b| decode_msgpack(b, ty));
                        assert_eq!(back, Some(Ok(v.clone())));
                    }
                }
                decoded.is_ok()
            }));
            match outcome {
                Ok(true) => ok += 1,
                Ok(false) => err += 1,
                Err(_) => panic!("decode panicked on {} as {}", to_hex(&input), type_name(ty)),
            }
        }
    }
    // The corpus must exercise both outcomes, or the test proves nothing.
    assert!(ok > 1_000 && err > 1_000, "ok={ok} err={err}");
}

#[test]
fn json_decode_never_panics_on_random_or_mutated_input() {
    let types = fuzz_types();
    let seeds: Vec<Vec<u8>> = vec![
        br#"{"a":"x","b":[1,2.5e3,-0],"c":{"value":["a"],"type":["list","string"]},"d":[true,["s"]]}"#.to_vec(),
        br#"[true,{"k":"v","\u00e9":"\ud83d\ude00"}]"#.to_vec(),
        br#"{"value":{"n":1},"type":["object",{"n":"number"}]}"#.to_vec(),
        b"12345678901234567890.5".to_vec(),
        br#""text""#.to_vec(),
    ];
    const ALPHABET: &[u8] = b"{}[]\",:0123456789.-+eE truefalsnul\\u\"abc";
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let (mut ok, mut err) = (0usize, 0usize);
    for i in 0..20_000 {
        let input = if i % 2 == 0 {
            (0..rng.below(40))
                .map(|_| ALPHABET[rng.below(ALPHABET.len())])
                .collect()
        } else {
            let seed = seeds[rng.below(seeds.len())].clone();
            mutate(&mut rng, seed)
        };
        for ty in &types {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let decoded = decode_json(&input, ty);
                if let Ok(v) = &decoded {
                    let re = encode_json(v, ty);
                    if !has_dynamic(ty) {
                        assert!(re.is_ok(), "re-encode of {v:?} failed: {re:?}");
                        let back = re.as_ref().ok().map(|b| decode_json(b, ty));
                        assert_eq!(back, Some(Ok(v.clone())));
                    }
                }
                decoded.is_ok()
            }));
            match outcome {
                Ok(true) => ok += 1,
                Ok(false) => err += 1,
                Err(_) => panic!(
                    "decode panicked on {:?} as {}",
                    String::from_utf8_lossy(&input),
                    type_name(ty)
                ),
            }
        }
    }
    assert!(ok > 500 && err > 1_000, "ok={ok} err={err}");
}

// ---------------------------------------------------------------------------------------------
// Depth bombs

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    const N: usize = 100_000;
    // 100k nested one-element arrays against a deep list type.
    let mut deep_ty = Type::String;
    for _ in 0..200 {
        deep_ty = Type::list(deep_ty);
    }
    let mut bomb = vec![0x91u8; N];
    bomb.push(0xc0);
    assert!(decode_msgpack(&bomb, &deep_ty).is_err());
    assert!(decode_msgpack(&bomb, &Type::Dynamic).is_err());

    // 100k dynamic wrappers whose type is again "dynamic".
    let mut dyn_bomb = Vec::with_capacity(N * 12);
    for _ in 0..N {
        dyn_bomb.extend_from_slice(&hex("92 c4 09"));
        dyn_bomb.extend_from_slice(b"\"dynamic\"");
    }
    dyn_bomb.push(0xc0);
    let e = decode_msgpack(&dyn_bomb, &Type::Dynamic);
    assert!(e.as_ref().is_err_and(|e| e.0.contains("deeper")), "{e:?}");

    // A type expression nested 100k deep inside a dynamic value.
    let ty_json = format!("{}\"string\"{}", "[\"list\",".repeat(N), "]".repeat(N));
    let mut ty_bomb = hex("92 c6");
    ty_bomb.extend_from_slice(&u32::try_from(ty_json.len()).expect("fits").to_be_bytes());
    ty_bomb.extend_from_slice(ty_json.as_bytes());
    ty_bomb.push(0xc0);
    assert!(decode_msgpack(&ty_bomb, &Type::Dynamic).is_err());

    // JSON: arrays and objects 100k deep.
    assert!(decode_json("[".repeat(N).as_bytes(), &Type::Dynamic).is_err());
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(N), "}".repeat(N));
    assert!(decode_json(deep_obj.as_bytes(), &Type::Dynamic).is_err());
    let deep_arr = format!("{}1{}", "[".repeat(N), "]".repeat(N));
    assert!(decode_json(deep_arr.as_bytes(), &deep_ty).is_err());
}

#[test]
fn nesting_within_the_limit_still_works() {
    let mut ty = Type::String;
    let mut v = s("leaf");
    let mut bytes = hex("a4 6c 65 61 66");
    for _ in 0..100 {
        ty = Type::list(ty);
        v = Value::List(vec![v]);
        bytes.insert(0, 0x91);
    }
    assert_eq!(encode_msgpack(&v, &ty), Ok(bytes.clone()));
    assert_eq!(decode_msgpack(&bytes, &ty), Ok(v.clone()));
    let text = encode_json(&v, &ty).unwrap_or_default();
    assert_eq!(decode_json(&text, &ty), Ok(v));
}

// ---------------------------------------------------------------------------------------------
// Cross-check against an independent msgpack writer (the `rmp` crate)

#[test]
fn compact_forms_match_rmp() {
    let mut ints: Vec<i64> = vec![i64::MIN, i64::MAX, 0];
    for shift in 0..63 {
        let p = 1i64 << shift;
        ints.extend([p - 1, p, p + 1, -p + 1, -p, -p - 1]);
    }
    for i in ints {
        let mut want = Vec::new();
        rmp::encode::write_sint(&mut want, i).expect("vec write");
        assert_eq!(
            encode_msgpack(&Value::int(i), &Type::Number),
            Ok(want),
            "{i}"
        );
    }
    for len in [0usize, 1, 31, 32, 255, 256, 65535, 65536] {
        let text = "y".repeat(len);
        let mut want = Vec::new();
        rmp::encode::write_str(&mut want, &text).expect("vec write");
        assert_eq!(
            encode_msgpack(&s(&text), &Type::String),
            Ok(want),
            "str len {len}"
        );
    }
    for len in [0usize, 15, 16, 65535, 65536] {
        let mut want = Vec::new();
        rmp::encode::write_array_len(&mut want, u32::try_from(len).expect("small"))
            .expect("vec write");
        want.extend(std::iter::repeat_n(0xc2u8, len));
        let v = Value::List(vec![Value::Bool(false); len]);
        assert_eq!(
            encode_msgpack(&v, &Type::list(Type::Bool)),
            Ok(want),
            "array len {len}"
        );
    }
    for f in [1.5f64, -0.25, 1e300, 5e-324] {
        let mut want = Vec::new();
        rmp::encode::write_f64(&mut want, f).expect("vec write");
        let num = Value::Number(number::from_wire_float(f).expect("finite"));
        assert_eq!(encode_msgpack(&num, &Type::Number), Ok(want.clone()), "{f}");
        assert_eq!(decode_msgpack(&want, &Type::Number), Ok(num), "{f}");
    }
}
