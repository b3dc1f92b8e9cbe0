//! Every benchmark case: what the SDK does, and the baseline it is measured against.

use super::*;

pub(crate) fn cases(env: &Rc<Env>) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();

    // Kryptonim: the body and its signature, and a request read from JSON.
    let request = inputs::kryptonim_request();
    let plain = kryptonim::plain_request();
    let key = secret(inputs::KRYPTONIM_SECRET);
    {
        let (request, plain, key) = (request.clone(), plain.clone(), key.clone());
        cases.push(Case {
            id: "kryptonim_sign".into(),
            title: "kryptonim sign path (to_body + sign_body)".into(),
            baseline: "serde_json::to_vec of a plain struct + HMAC-SHA256 + hex".into(),
            target: Some(1.05),
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || {
                    let body = request.to_body();
                    ramp_kryptonim::sign_body(&body, &key).map(|sig| (body, sig))
                }),
                Candidate::Baseline => timed(iters, || {
                    kryptonim::sign(&plain, inputs::KRYPTONIM_SECRET.as_bytes())
                }),
            }),
        });
    }
    {
        let (request, plain) = (request.clone(), plain.clone());
        cases.push(Case {
            id: "kryptonim_to_body".into(),
            title: "kryptonim to_body".into(),
            baseline: "serde_json::to_vec of a plain struct".into(),
            target: None,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || request.to_body()),
                Candidate::Baseline => timed(iters, || serde_json::to_vec(&plain)),
            }),
        });
    }
    // A request read from JSON: against plain serde into the SDK's field types, and against
    // a struct of Strings (what reading costs when nothing beyond JSON is parsed).
    type Parse = fn(&[u8]) -> bool;
    let parse_baselines: [(&str, &str, &str, Option<f64>, Parse); 3] = [
        (
            "kryptonim_parse",
            "kryptonim request from JSON (deserialize + validate)",
            "serde_json::from_slice into a plain struct of the same field types (Url, IpAddr; \
             f64 amount), nothing checked",
            None,
            |json| kryptonim::parse(json).is_some(),
        ),
        (
            "kryptonim_parse_address",
            "kryptonim request from JSON, baseline checking the address too",
            "the plain struct of the row above, then ramp_address::check_format of the \
             destination address (build() checks it since it refuses EIP-55 typos)",
            Some(1.5),
            |json| kryptonim::parse_checking_address(json).is_some(),
        ),
        (
            "kryptonim_parse_untyped",
            "kryptonim request from JSON, against strings",
            "serde_json::from_slice into a struct of Strings: no URL or IP parsed, nothing \
             checked",
            None,
            |json| kryptonim::parse_untyped(json).is_some(),
        ),
    ];
    for (id, title, baseline, target, parse) in parse_baselines {
        let json = request.to_body();
        cases.push(Case {
            id: id.into(),
            title: title.into(),
            baseline: baseline.into(),
            target,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || {
                    serde_json::from_slice::<ramp_kryptonim::WidgetSessionRequest>(&json).is_ok()
                }),
                Candidate::Baseline => timed(iters, || parse(&json)),
            }),
        });
    }

    // Onramper V1: the seed's URL, then the growth curves.
    let onramper_key = secret(inputs::ONRAMPER_SECRET);
    let onramper_case = |id: String,
                         title: String,
                         growth: Option<(&'static str, usize)>,
                         url: String,
                         verify: bool| {
        let key: SecretString = onramper_key.clone();
        let raw = inputs::ONRAMPER_SECRET.as_bytes();
        let slow = growth.is_some_and(|(_, n)| n >= 10_000);
        let (baseline, run): (&str, Routine) = if verify {
            let signed = onramper::sign_url(&url, raw);
            (
                "minimal verifier: the same sign content, HMAC verify_slice",
                Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => {
                        timed(iters, || ramp_onramper_sign::verify_url(&signed, &key))
                    }
                    Candidate::Baseline => timed(iters, || onramper::verify_url(&signed, raw)),
                }),
            )
        } else {
            (
                "minimal signer: split, percent-decode, sort the pairs, join, HMAC, hex",
                Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => timed(iters, || ramp_onramper_sign::sign_url(&url, &key)),
                    Candidate::Baseline => timed(iters, || onramper::sign_url(&url, raw)),
                }),
            )
        };
        Case {
            id,
            title,
            baseline: baseline.into(),
            target: (!verify).then_some(1.3),
            growth,
            slow,
            run,
        }
    };
    cases.push(onramper_case(
        "onramper_sign_url".into(),
        "onramper sign_url (the seed's URL)".into(),
        None,
        inputs::ONRAMPER_URL.into(),
        false,
    ));
    cases.push(onramper_case(
        "onramper_verify_url".into(),
        "onramper verify_url (the seed's URL)".into(),
        None,
        inputs::ONRAMPER_URL.into(),
        true,
    ));
    for (name, verify) in [("sign_url", false), ("verify_url", true)] {
        for n in GROWTH {
            let curve = if verify {
                "onramper verify_url"
            } else {
                "onramper sign_url"
            };
            cases.push(onramper_case(
                format!("onramper_{name}_{n}"),
                format!("onramper {name}, {n} pairs"),
                Some((curve, n)),
                inputs::onramper_url_with(n),
                verify,
            ));
        }
    }

    // Koinal's authorization hash and Transak's webhook check.
    {
        let key = secret(inputs::KOINAL_SECRET);
        cases.push(Case {
            id: "koinal_auth_hash".into(),
            title: "koinal auth hash (header value)".into(),
            baseline: "format! + HMAC-SHA256 + hex + serde_json::to_vec + base64".into(),
            target: None,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || {
                    ramp_koinal::AuthHash::new(
                        inputs::KOINAL_MERCHANT,
                        inputs::KOINAL_CUSTOMER,
                        inputs::KOINAL_TIMESTAMP,
                        &key,
                    )
                    .map(|hash| hash.to_header_value())
                }),
                Candidate::Baseline => timed(iters, || {
                    koinal::header_value(
                        inputs::KOINAL_MERCHANT,
                        inputs::KOINAL_CUSTOMER,
                        inputs::KOINAL_TIMESTAMP,
                        inputs::KOINAL_SECRET,
                    )
                }),
            }),
        });
    }
    {
        use ramp_transak::{HeaderMap, Verify as _, WebhookVerifier};
        let body = inputs::transak_webhook();
        let verifier = WebhookVerifier::new(secret(inputs::TRANSAK_TOKEN))
            .unwrap_or_else(|err| panic!("{err}"));
        let headers = HeaderMap::new();
        cases.push(Case {
            id: "transak_webhook".into(),
            title: "transak webhook verify".into(),
            baseline: "serde_json + base64url + HMAC verify_slice + plain structs".into(),
            target: None,
            growth: None,
            slow: false,
            run: Box::new(move |candidate, iters| match candidate {
                Candidate::Sdk => timed(iters, || verifier.verify(&body, &headers)),
                Candidate::Baseline => timed(iters, || {
                    transak::verify(&body, inputs::TRANSAK_TOKEN.as_bytes())
                }),
            }),
        });
    }

    // HTTP round trips on the loopback, one call at a time and 64 at once.
    for calls in [1, CONCURRENCY] {
        let how = if calls == 1 {
            "sequential".to_owned()
        } else {
            format!("{calls} concurrent")
        };
        let suffix = if calls == 1 { "seq" } else { "par" };
        {
            let env = Rc::clone(env);
            let (body, signature) = kryptonim::sign(&plain, inputs::KRYPTONIM_SECRET.as_bytes());
            let url = env.server.url("kryptonim/v1/widget-sessions");
            let headers = [
                ("x-request-signature", signature.clone()),
                ("content-type", "application/json".to_owned()),
                ("x-api-key", inputs::KRYPTONIM_API_KEY.to_owned()),
            ];
            cases.push(Case {
                id: format!("core_http_{suffix}"),
                title: format!("ramp-core HttpClient, prebuilt bytes ({how})"),
                baseline: "bare reqwest::Client, same headers and bytes, body read whole".into(),
                target: Some(1.03),
                growth: None,
                slow: false,
                run: Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => env.http(iters, calls, || async {
                        let call = Request::post("v1/widget-sessions")
                            .header("X-Request-Signature", &signature)
                            .json_body(body.clone());
                        env.core.send(call).await?.error_for_status()
                    }),
                    Candidate::Baseline => env.http(iters, calls, || {
                        http::post_bytes(&env.kryptonim_bare, &url, &headers, body.clone())
                    }),
                }),
            });
        }
        // The SDK checks the wallet address (EIP-55: a Keccak-256) before it signs; the bare
        // baseline does not. Sequentially, the same call is also measured against a baseline
        // that checks it too, with ramp-address as a careful hand-written integration would:
        // the SDK's own overhead apart from that check.
        let checked: &[bool] = if calls == 1 { &[false, true] } else { &[false] };
        for &check_address in checked {
            let env = Rc::clone(env);
            let (request, plain) = (request.clone(), plain.clone());
            let url = env.server.url("kryptonim/v1/widget-sessions");
            let (id, title, baseline) = if check_address {
                (
                    "kryptonim_http_checked_seq".to_owned(),
                    "kryptonim create_widget_session, baseline checking the address too".to_owned(),
                    "the bare reqwest call of the row above, after ramp_address::check of the wallet",
                )
            } else {
                (
                    format!("kryptonim_http_{suffix}"),
                    format!("kryptonim create_widget_session ({how})"),
                    "bare reqwest: plain serde body, HMAC, send, decode the session",
                )
            };
            cases.push(Case {
                id,
                title,
                baseline: baseline.into(),
                target: (!check_address).then_some(1.05),
                growth: None,
                slow: false,
                run: Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => env.http(iters, calls, || {
                        env.kryptonim.create_widget_session(&request)
                    }),
                    Candidate::Baseline => env.http(iters, calls, || async {
                        if check_address {
                            let policy = ramp_address::Policy::default();
                            ramp_address::check(&plain.network, &plain.destination_address, policy)
                                .map_err(|err| err.to_string())?;
                        }
                        http::kryptonim_session(
                            &env.kryptonim_bare,
                            &url,
                            inputs::KRYPTONIM_API_KEY,
                            inputs::KRYPTONIM_SECRET.as_bytes(),
                            &plain,
                        )
                        .await
                    }),
                }),
            });
        }
        {
            let env = Rc::clone(env);
            let request = inputs::proof_request();
            let plain = http::plain_proof_request();
            let url = env.server.url("proof/widget/session");
            let bearer = format!("Bearer {}", inputs::PROOF_TOKEN);
            cases.push(Case {
                id: format!("proof_http_{suffix}"),
                title: format!("proof create_session ({how})"),
                baseline: "bare reqwest: plain serde body, bearer + Origin, decode the session"
                    .into(),
                target: Some(1.05),
                growth: None,
                slow: false,
                run: Box::new(move |candidate, iters| match candidate {
                    Candidate::Sdk => env.http(iters, calls, || env.proof.create_session(&request)),
                    Candidate::Baseline => env.http(iters, calls, || {
                        http::proof_session(
                            &env.proof_bare,
                            &url,
                            &bearer,
                            inputs::PROOF_ORIGIN,
                            &plain,
                        )
                    }),
                }),
            });
        }
    }
    Ok(cases)
}
