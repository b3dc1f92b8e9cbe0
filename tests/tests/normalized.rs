//! Every provider's statuses map onto the one normalized set exactly as the table in
//! docs/architecture.md says; anything undocumented is `unknown`, never guessed.

use ramp_core::webhook::OrderStatus::{
    self, Cancelled, Completed, Created, Expired, Failed, Pending, Processing, Refunded, Unknown,
};

fn check(provider: &str, table: &[(&str, OrderStatus)], map: impl Fn(&str) -> OrderStatus) {
    for (status, normal) in table {
        assert_eq!(map(status), *normal, "{provider} {status}");
    }
    for odd in ["", "SOMETHING_NEW", "on_hold", "Completed"] {
        if !table.iter().any(|(status, _)| status == &odd) {
            assert_eq!(map(odd), Unknown, "{provider} {odd:?}");
        }
    }
}

#[test]
fn transak() {
    check(
        "transak",
        &[
            ("AWAITING_PAYMENT_FROM_USER", Pending),
            ("PAYMENT_DONE_MARKED_BY_USER", Processing),
            ("PROCESSING", Processing),
            ("PENDING_DELIVERY_FROM_TRANSAK", Processing),
            ("ON_HOLD_PENDING_DELIVERY_FROM_TRANSAK", Processing),
            ("COMPLETED", Completed),
            ("FAILED", Failed),
            ("CANCELLED", Cancelled),
            ("EXPIRED", Expired),
            ("REFUNDED", Refunded),
        ],
        |s| ramp_transak::OrderStatus::from(s).normalized(),
    );
}

#[test]
fn proof() {
    check(
        "proof",
        &[
            ("pending", Pending),
            ("processing", Processing),
            ("completed", Completed),
            ("failed", Failed),
            ("cancelled", Cancelled),
        ],
        |s| ramp_proof::OrderStatus::from(s).normalized(),
    );
}

#[test]
fn koinal() {
    check(
        "koinal",
        &[("PAYMENT_WAITING", Pending), ("COMPLETED", Completed)],
        |s| ramp_koinal::OrderStatus::from(s).normalized(),
    );
}

#[test]
fn onramper() {
    check(
        "onramper",
        &[
            ("new", Created),
            ("pending", Pending),
            ("paid", Processing),
            ("completed", Completed),
            ("failed", Failed),
            ("canceled", Cancelled),
        ],
        |s| ramp_onramper_sign::webhook::OrderStatus::from(s).normalized(),
    );
}

#[test]
fn the_terminal_set_is_exactly_five() {
    let all = [
        Created, Pending, Processing, Completed, Failed, Cancelled, Expired, Refunded, Unknown,
    ];
    let terminal: Vec<&str> = all
        .iter()
        .filter(|s| s.is_terminal())
        .map(|s| s.as_str())
        .collect();
    assert_eq!(
        terminal,
        ["completed", "failed", "cancelled", "expired", "refunded"]
    );
    assert_eq!(serde_json::to_string(&Cancelled).unwrap(), r#""cancelled""#);
}
