//! `paasform-emulator` binary: parse flags, bind, print the base URLs as one JSON line, serve.

fn main() {}
