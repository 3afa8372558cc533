//! The browser binding's tests, run by `cargo test --target wasm32-unknown-unknown` in headless
//! Chromium (wasm-bindgen-test-runner with ChromeDriver; see test.sh).
//!
//! They check what only the browser build can show: the JSON across the boundary, errors as
//! values rather than exceptions, a session that parses once, and a figure drawn on a real canvas.

#![cfg(all(target_arch = "wasm32", feature = "web"))]

use serde_json::Value;
use survkit::wasm::{analyze, draw_figure, figure_svg, Session};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Six patients worked by hand in the km module: events at 1, 3, 3 and 6, censored at 2 and 5.
const SIX: &str = "time,status,arm\n3,1,A\n1,1,A\n2,0,B\n3,1,B\n5,0,A\n6,1,B\n";

fn parse(json: &str) -> Value {
    serde_json::from_str(json).expect("the binding returns JSON")
}

#[wasm_bindgen_test]
fn analyze_returns_the_report_json() {
    let report = parse(&analyze(SIX, r#"{"analysis":"km","time":"time","event":"status","at":[4]}"#));
    let group = &report["groups"][0];
    assert_eq!(group["n"], 6);
    assert_eq!(group["events"], 4);
    let expected = 5.0 / 6.0 * 2.0 / 4.0;
    assert!((group["at"][0]["surv"].as_f64().unwrap() - expected).abs() < 1e-15);
    assert_eq!(group["at"][0]["n_risk"], 2);
}

#[wasm_bindgen_test]
fn errors_are_values_with_row_and_column() {
    let error = parse(&analyze("time,status\n1,1\nabc,0\n", r#"{"analysis":"km","time":"time","event":"status"}"#));
    assert_eq!(error["error"]["row"], 3);
    assert_eq!(error["error"]["column"], "time");
    assert!(error["error"]["message"].as_str().unwrap().contains("row 3: \"abc\""));
    let bad_request = parse(&analyze(SIX, "{not json"));
    assert!(bad_request["error"]["message"].as_str().unwrap().starts_with("request:"));
}

#[wasm_bindgen_test]
fn a_session_parses_once_and_answers_many_requests() {
    let mut session = Session::new();
    let summary = parse(&session.load(SIX.to_string(), "{}"));
    assert_eq!(summary["n_rows"], 6);
    assert_eq!(summary["columns"][2]["kind"], "categorical");
    assert_eq!(summary["columns"][2]["levels"], serde_json::json!(["A", "B"]));
    let km = parse(&session.analyze(r#"{"analysis":"km","time":"time","event":"status","group":"arm"}"#));
    assert_eq!(km["groups"].as_array().unwrap().len(), 2);
    let test = parse(&session.analyze(r#"{"analysis":"logrank","time":"time","event":"status","group":"arm"}"#));
    assert_eq!(test["df"], 1);
    assert_eq!(
        parse(&session.analyze(r#"{"analysis":"km","time":"nope","event":"status"}"#))["error"]["column"],
        "nope"
    );
}

#[wasm_bindgen_test]
fn the_figure_is_drawn_on_a_canvas_and_as_svg() {
    let km = analyze(SIX, r#"{"analysis":"km","time":"time","event":"status","group":"arm"}"#);
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&canvas).unwrap();
    assert_eq!(draw_figure(canvas.clone(), &km, r#"{"width":400,"height":300,"scale":2}"#), "");
    assert_eq!((canvas.width(), canvas.height()), (800, 600));
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let pixels = context.get_image_data(0.0, 0.0, 800.0, 600.0).unwrap().data();
    let non_white = pixels.chunks(4).filter(|pixel| pixel[0] < 200 || pixel[1] < 200 || pixel[2] < 200).count();
    assert!(non_white > 1000, "the canvas has {non_white} drawn pixels");

    let svg = parse(&figure_svg(&km, "{}"));
    assert!(svg["svg"].as_str().unwrap().starts_with("<svg"));
    let bad = parse(&figure_svg(&km, r#"{"widht":3}"#));
    assert!(bad["error"]["message"].as_str().unwrap().contains("widht"));
}
