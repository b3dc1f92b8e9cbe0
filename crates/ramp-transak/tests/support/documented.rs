//! The examples of Transak's Get Order By ID, Get Orders and Get Webhooks pages, verbatim
//! (docs.transak.com/api/public/..., read in December 2026).

/// Get Order By ID's example response, verbatim from the page.
pub const ORDER_BY_ID: &str = r#"{
  "meta": {
    "orderId": "322dc79c-fad2-4df1-bf50-b292191fc953"
  },
  "data": {
    "_id": "322dc79c-fad2-4df1-bf50-b292191fc953",
    "walletAddress": "0xD902d7eBFE",
    "createdAt": "2024-10-15T14:29:11.104Z",
    "status": "COMPLETED",
    "fiatCurrency": "EUR",
    "cryptoCurrency": "ETH",
    "isBuyOrSell": "BUY",
    "fiatAmount": 45,
    "amountPaid": 45,
    "paymentOptionId": "sepa_bank_transfer",
    "network": "ethereum",
    "quoteId": "20148892-f984-4e3f-8bb7-fba6c0ec9182"
  }
}"#;

/// Get Orders' example response, verbatim from the page up to its order's `fiatAmountInUsd`
/// (the copy read ends inside the next field, `countryCode`), then closed.
pub const ORDERS: &str = r#"{
  "meta": {
    "filter": {
      "productsAvailed": [
        "BUY"
      ],
      "status": [
        "COMPLETED"
      ]
    },
    "sortOrder": "desc",
    "startDate": "2024-04-01",
    "endDate": "2024-05-01",
    "limit": 100,
    "skip": 0,
    "totalCount": 12
  },
  "data": [
    {
      "_id": "7d8e0655-728e-458c-9c15-b3e9f2aa66ed",
      "walletAddress": "0x12d8885...e0F0BF",
      "createdAt": "2024-04-23T14:41:14.063Z",
      "status": "COMPLETED",
      "fiatCurrency": "GBP",
      "cryptoCurrency": "ETH",
      "isBuyOrSell": "BUY",
      "fiatAmount": 50,
      "amountPaid": 50,
      "paymentOptionId": "gbp_bank_transfer",
      "network": "ethereum",
      "quoteId": "4015367c-3636-4ea1-a4a9-f583608ad3b5",
      "userId": "aebd10cb-0f51-4152-b98d-708602cf26",
      "dispute": false,
      "ipAddress": "35.177.158.9",
      "walletLink": "https://sepolia.etherscan.io/address/0x12d888.......5e0F0BF",
      "orderProcessingType": "NORMAL",
      "addressAdditionalData": false,
      "appVersionName": "staging-api",
      "conversionPrice": 0.0003803236484877352,
      "cryptoAmount": 0.01596979,
      "totalFeeInFiat": 8.01,
      "totalfeeDecimal": 0.1602,
      "fiatAmountInUsd": 62.17
    }
  ]
}"#;

/// Get Webhooks' example response, verbatim from the page up to `stateCode` (the copy read
/// ends inside the next field), then closed.
pub const WEBHOOKS: &str = r#"{
  "meta": {
    "orderID": "322dc79c-fad2-4df1-bf50-b292191fc953",
    "eventID": "ORDER_COMPLETED"
  },
  "data": [
    {
      "id": "670e7c469f2a5dd93fbe4406",
      "partnerApiKey": "d79671a4-b021-4a4f-a444-6862a680a94b",
      "createdAt": "2024-10-15T14:29:26.929Z",
      "eventID": "ORDER_COMPLETED",
      "webhookData": {
        "id": "322dc79c-fad2-4df1-bf50-b292191fc953",
        "walletAddress": "0xD902d7E",
        "createdAt": "2024-10-15T14:29:11.104Z",
        "status": "COMPLETED",
        "fiatCurrency": "EUR",
        "userId": "243a8ce2-9cc6-41a9-aaeb-b0deeb0b19a3",
        "cryptoCurrency": "ETH",
        "isBuyOrSell": "BUY",
        "fiatAmount": 45,
        "ipAddress": "35.177.158.9",
        "amountPaid": 45,
        "paymentOptionId": "sepa_bank_transfer",
        "walletLink": "https://sepolia.etherscan.io/address/0xD902d7eBFeE",
        "quoteId": "20148892-f984-4e3f-8bb7-fba6c0ec9182",
        "orderProcessingType": "NORMAL",
        "addressAdditionalData": false,
        "network": "ethereum",
        "conversionPrice": 0.0004122498271491127,
        "cryptoAmount": 0.01788752,
        "totalFeeInFiat": 1.61,
        "fiatAmountInUsd": 49.1,
        "countryCode": "IN",
        "stateCode": "Karnataka"
      }
    }
  ]
}"#;
