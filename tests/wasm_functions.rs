//! The function conformance suite (`tests/function_conformance.rs`) in wasm: the engine compiled
//! to wasm32 gives Flink 2.3's values for every golden case of `tests/functions/`, checked by the
//! same code as natively (`tests/functions_case/mod.rs`). The golden files are compiled in; the
//! native run fails if this list misses one.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

mod functions_case;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_function_gives_flinks_values_in_wasm() {
    let files: &[(&str, &str)] = &[
        ("aggregate", include_str!("functions/aggregate.jsonl")),
        ("arithmetic", include_str!("functions/arithmetic.jsonl")),
        ("binary", include_str!("functions/binary.jsonl")),
        ("catalog", include_str!("functions/catalog.jsonl")),
        ("collection", include_str!("functions/collection.jsonl")),
        ("conditional", include_str!("functions/conditional.jsonl")),
        ("hash", include_str!("functions/hash.jsonl")),
        ("json", include_str!("functions/json.jsonl")),
        ("local_time_zone", include_str!("functions/local_time_zone.jsonl")),
        ("multiset", include_str!("functions/multiset.jsonl")),
        ("operators", include_str!("functions/operators.jsonl")),
        ("percentile", include_str!("functions/percentile.jsonl")),
        ("ranking", include_str!("functions/ranking.jsonl")),
        ("streaming", include_str!("functions/streaming.jsonl")),
        ("string", include_str!("functions/string.jsonl")),
        ("temporal", include_str!("functions/temporal.jsonl")),
        ("types", include_str!("functions/types.jsonl")),
    ];
    // The browser's clock (`SystemTime::now` does not exist on wasm32-unknown-unknown).
    let now = js_sys::Date::now() as i64;
    functions_case::check_all(files, include_str!("functions/exceptions.txt"), include_str!("functions/flink_functions.txt"), now);
}
