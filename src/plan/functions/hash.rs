//! Hash functions (Flink's reference, "hashfunctions"): a string's UTF-8 bytes hashed, as
//! lower-case hexadecimal digits. RustCrypto's `md-5`, `sha1` and `sha2` do the hashing.

use md5::Digest as _;

use super::typing::{int, returns, str_value, text, Arg};
use super::{Eval, Family, FunctionDef};
use crate::types::{DataType, Value};

const H: Family = Family::Hash;

fn hex(bytes: &[u8]) -> Value {
    str_value(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

macro_rules! digest {
    ($name:literal, $digits:literal, $hasher:ty) => {
        FunctionDef {
            name: $name,
            aliases: &[],
            family: H,
            syntax: concat!($name, "(string)"),
            returns: concat!("CHAR(", stringify!($digits), ")"),
            description: concat!("The ", $name, " hash of string as ", stringify!($digits), " hexadecimal digits."),
            example: concat!($name, "('') = '…'"),
            arity: (1, 1),
            deterministic: true,
            listed: true,
            typing: |d, a| returns(d, a, &[Arg::Str], DataType::Char($digits)),
            eval: Eval::Strict(|a| Ok(hex(&<$hasher>::digest(text(a, 0).as_bytes())))),
        }
    };
}

pub static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "MD5",
        aliases: &[],
        family: H,
        syntax: "MD5(string)",
        returns: "CHAR(32)",
        description: "The MD5 hash of string as 32 hexadecimal digits.",
        example: "MD5('') = 'd41d8cd98f00b204e9800998ecf8427e'",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str], DataType::Char(32)),
        eval: Eval::Strict(|a| Ok(hex(&md5::Md5::digest(text(a, 0).as_bytes())))),
    },
    digest!("SHA1", 40, sha1::Sha1),
    digest!("SHA224", 56, sha2::Sha224),
    digest!("SHA256", 64, sha2::Sha256),
    digest!("SHA384", 96, sha2::Sha384),
    digest!("SHA512", 128, sha2::Sha512),
    FunctionDef {
        name: "SHA2",
        aliases: &[],
        family: H,
        syntax: "SHA2(string, bits)",
        returns: "VARCHAR(128)",
        description: "The SHA-2 hash of string with bits 224, 256, 384 or 512 (any other length fails the query).",
        example: "SHA2('', 224) = 'd14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f'",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |d, a| returns(d, a, &[Arg::Str, Arg::Int], DataType::Varchar(128)),
        eval: Eval::Strict(|a| {
            let bytes = text(a, 0).as_bytes();
            Ok(match int(a, 1) {
                224 => hex(&sha2::Sha224::digest(bytes)),
                256 => hex(&sha2::Sha256::digest(bytes)),
                384 => hex(&sha2::Sha384::digest(bytes)),
                512 => hex(&sha2::Sha512::digest(bytes)),
                bits => return Err(format!("the bit length must be 224, 256, 384 or 512, not {bits}")),
            })
        }),
    },
];
