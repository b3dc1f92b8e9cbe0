use super::*;

#[tokio::test]
async fn order_already_exists_is_recognised_by_its_code() {
    for body in [
        r#"{"error":{"statusCode":409,"message":"Order already exists","errorCode":4005}}"#,
        r#"{"error":{"statusCode":409,"message":"Order already exists","code":"4005"}}"#,
        r#"{"error":{"statusCode":409,"message":"Order already exists","code":4005}}"#,
    ] {
        let api = api_host(
            "/partners/api/v2/order/o-1",
            ResponseTemplate::new(409).set_body_string(body),
        )
        .await;
        let err = client(&api).order("o-1").await.unwrap_err();
        assert!(err.is_order_already_exists(), "{body}: {err}");
        assert_eq!(
            err.api().unwrap().code.as_deref(),
            Some(ramp_transak::codes::ORDER_ALREADY_EXISTS)
        );
    }
    let api = api_host(
        "/partners/api/v2/order/o-1",
        ResponseTemplate::new(400).set_body_string(
            r#"{"error":{"statusCode":400,"name":"Bad Request","message":"Order not found"}}"#,
        ),
    )
    .await;
    let err = client(&api).order("o-1").await.unwrap_err();
    assert!(!err.is_order_already_exists());
    assert_eq!(err.api().unwrap().code, None);
}
