// Makes tests/vectors/onramper.json (URL signature V1) and tests/vectors/onramper_v2.json
// (Signature V2, JCS) with Node.js alone: crypto.createHmac for V1, crypto.sign(null, data,
// key) for Ed25519 with the RFC 8032 test keys, URLSearchParams for every query, and a
// JSON canonicalizer written from RFC 8785 here. Nothing in it comes from the Rust crates.
//
//   node tests/vectors/scripts/onramper.mjs
//
// V1 cases keep their names, inputs and sources in onramper.json; their expected sign
// content and signature are recomputed, so the file is reproducible.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- V1 (HMAC-SHA256)

const V1_LISTS = ['wallets', 'networkWallets', 'walletAddressTags', 'walletAddresses'];
const V1_SINGLE = ['walletAddress', 'walletMemo'];

// seed 004's arrangeStringAlphabetically with its published defects fixed (split each
// entry on its first ':' only), ids lower-cased, and the Checkout API's single values.
function arrange(input) {
  const object = {};
  for (const pair of input.split('&')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (V1_SINGLE.includes(key)) {
      object[key] = value;
      continue;
    }
    object[key] = {};
    for (const entry of value.split(',')) {
      const colon = entry.indexOf(':');
      object[key][entry.slice(0, colon).toLowerCase()] = entry.slice(colon + 1);
    }
  }
  for (const key in object) {
    if (typeof object[key] === 'object') {
      object[key] = Object.fromEntries(Object.entries(object[key]).sort());
    }
  }
  return Object.keys(object)
    .sort()
    .map((key) =>
      typeof object[key] === 'string'
        ? `${key}=${object[key]}`
        : `${key}=${Object.entries(object[key]).map(([k, v]) => `${k}:${v}`).join(',')}`,
    )
    .join('&');
}

function v1SignContent(url) {
  const noFragment = url.split('#')[0];
  const q = noFragment.includes('?') ? noFragment.slice(noFragment.indexOf('?') + 1)
    : noFragment.includes('://') ? '' : noFragment;
  const params = new URLSearchParams(q);
  const parts = [];
  for (const [key, value] of params) {
    if (V1_LISTS.includes(key) || V1_SINGLE.includes(key)) parts.push(`${key}=${value}`);
  }
  return arrange(parts.join('&'));
}

const v1File = path.join(dir, 'onramper.json');
const v1 = JSON.parse(fs.readFileSync(v1File, 'utf8'));
const added = [
  {
    name: 'upper-case ids are signed lower-cased',
    source: 'issue: ids are lower-case at Onramper; sign_content lowercases them as other public implementations do (self-computed, Node.js)',
    url: 'https://buy.onramper.com/?apiKey=pk&wallets=BTC:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,Eth:0x71C7656EC7ab88b098defB751B7401B5f6d8976F',
    secret: 'secret',
  },
  {
    name: 'Checkout API fields walletAddress and walletMemo',
    source: "docs.onramper.com 'API - Sign requests' (signContent example), self-computed in Node.js",
    url: 'walletAddress=1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa&walletMemo=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    secret: 'secret',
  },
  {
    name: 'Checkout API walletAddresses list with the widget lists',
    source: 'provider-facts.md (walletAddresses), self-computed in Node.js',
    url: 'walletAddresses=ethereum:0x71C7656EC7ab88b098defB751B7401B5f6d8976F,BITCOIN:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa&walletMemo=memo%20text&wallets=btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    secret: 'secret',
  },
];
let cases = v1.cases.filter((c) => c.name !== 'upper-case id' && !added.some((a) => a.name === c.name));
cases.push(...added);
v1.cases = cases.map((c) => {
  if (c.error) return c;
  const content = v1SignContent(c.url);
  const signature = crypto.createHmac('sha256', c.secret).update(content).digest('hex');
  if (c.sign_content !== undefined && c.sign_content !== content) {
    throw new Error(`V1 case ${c.name}: the recomputed sign content differs from the file`);
  }
  return { name: c.name, source: c.source, url: c.url, secret: c.secret, sign_content: content, signature };
});
v1.description = v1.description.replace('Onramper widget URL signature V1 (seed 004).',
  'Onramper URL signature V1 (seed 004, and the Checkout API fields).')
  .replace('Expected values were computed with the seed\'s own JavaScript, both published defects fixed, not with the crate.',
    'Expected values were computed with the seed\'s own JavaScript, both published defects fixed, ids lower-cased, not with the crate: tests/vectors/scripts/onramper.mjs.');
fs.writeFileSync(v1File, JSON.stringify(v1, null, 2) + '\n');

// ---------------------------------------------------------------- RFC 8785 (JCS)

// RFC 8785 §3.2: object keys sorted by UTF-16 code units, recursively; every primitive as
// ECMAScript's JSON.stringify writes it (numbers as the shortest round-trip double).
function canonicalize(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(',')}}`;
}

const ieee754 = (hex) => Buffer.from(hex, 'hex').readDoubleBE(0);
const appendixB = [
  '0000000000000000', '8000000000000000', '0000000000000001', '8000000000000001',
  '7fefffffffffffff', 'ffefffffffffffff', '4340000000000000', 'c340000000000000',
  '4430000000000000', '44b52d02c7e14af5', '44b52d02c7e14af6', '44b52d02c7e14af7',
  '444b1ae4d6e2ef4e', '444b1ae4d6e2ef4f', '444b1ae4d6e2ef50', '3eb0c6f7a0b5ed8c',
  '3eb0c6f7a0b5ed8d', '41b3de4355555553', '41b3de4355555554', '41b3de4355555555',
  '41b3de4355555556', '41b3de4355555557', 'becbf647612f3696', '43143ff3c1cb0959',
];
// The JSON text of each double, as the number a body would carry (17 significant digits
// round-trip to the same double), and its canonical form.
const jcsNumbers = appendixB.map((hex) => {
  const value = ieee754(hex);
  return { ieee754: hex, json: value.toPrecision(17), canonical: canonicalize(value) };
});
const rfcExample = String.raw`{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`;
const rfcSorting = String.raw`{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`;
const jcsDocuments = [
  { name: 'RFC 8785 section 3.2.2', json: rfcExample },
  { name: 'RFC 8785 section 3.2.3 (sorting)', json: rfcSorting },
  { name: 'a checkout intent', json: '{"sourceCurrency":"eur","destinationCurrency":"btc","sourceAmount":100.50,"wallet":{"address":"bc1q","memo":null},"type":"buy","metadata":{"b":[1,2],"a":true}}' },
].map((d) => ({ ...d, canonical: canonicalize(JSON.parse(d.json)) }));
// The RFC's own published output for section 3.2.2.
const published = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
if (jcsDocuments[0].canonical !== published) throw new Error('the canonicalizer does not reproduce RFC 8785 section 3.2.2');

// ---------------------------------------------------------------- Signature V2 (Ed25519)

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const rfc8032 = [
  { name: 'RFC 8032 test 1', seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    empty_message_signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b' },
  { name: 'RFC 8032 test 2', seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c' },
  { name: 'RFC 8032 test 3', seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025' },
];
const keys = rfc8032.map((k) => {
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(k.seed, 'hex')]), format: 'der', type: 'pkcs8',
  });
  const publicKey = crypto.createPublicKey(privateKey);
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('hex');
  if (raw !== k.public) throw new Error(`${k.name}: public key differs from RFC 8032`);
  if (k.empty_message_signature) {
    const sig = crypto.sign(null, Buffer.alloc(0), privateKey).toString('hex');
    if (sig !== k.empty_message_signature) throw new Error(`${k.name}: signature differs from RFC 8032`);
  }
  return {
    name: k.name, privateKey,
    private_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }),
    public_pem: publicKey.export({ format: 'pem', type: 'spki' }),
    public_hex: raw,
  };
});

const CORE = ['apiKey', 'wallets', 'networkWallets', 'walletAddressTags', 'defaultAmount', 'defaultFiat',
  'defaultCrypto', 'defaultPaymentMethod', 'onlyOnramps', 'mode', 'successRedirectUrl', 'failureRedirectUrl',
  'partnerContext', 'redirectAtCheckout', 'redirectTo', 'uniqueUserId', 'email', 'kycProvider', 'kycToken',
  'onlyCryptos', 'onlyCryptoNetworks', 'onlyFiats', 'excludeCryptos', 'excludeCryptoNetworks', 'excludeFiats',
  'excludePaymentMethods'];
const SIG_V2 = ['sigV2', 'sigV2Timestamp', 'sigV2Nonce', 'sigV2Fields', 'sigV2Expiry'];
const EMPTY = crypto.createHash('sha256').update('').digest('hex');
const byCodeUnits = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function lines(timestamp, nonce, method, pathname, query, headers, bodyHash) {
  return ['ONRAMPER-SIG-V2', timestamp, nonce, method, pathname, query, headers, bodyHash].join('\n');
}

const widgetInputs = [
  { name: "the documentation's canonical query example",
    url: 'https://buy.onramper.com/?apiKey=pk_test_example&wallets=eth:0x1234&defaultCrypto=USDC%20ETH',
    timestamp: '2024-01-15T10:30:00.000Z', nonce: '550e8400-e29b-41d4-a716-446655440000', key: 0 },
  { name: 'every wallet list, unsigned country kept, an expiry',
    url: 'https://buy.onramper.com/?apiKey=pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4&country=nl&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:0x71C7656EC7ab88b098defB751B7401B5f6d8976F&networkWallets=bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2&walletAddressTags=xrp:3305384510',
    timestamp: '2026-11-25T08:00:00.123Z', nonce: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', expiry: '2026-11-25T08:30:00.123Z', key: 1 },
  { name: 'core parameters with characters URLSearchParams encodes',
    url: 'https://buy.onramper.com/?apiKey=pk_test_x&email=user%2Btag%40example.com&successRedirectUrl=https%3A%2F%2Fshop.example%2Fdone%3Fa%3D1%26b%3D2&partnerContext=order%20%C3%A9%E2%82%AC%2C42&defaultAmount=100.50&mode=buy',
    timestamp: '2026-11-25T08:00:00.000Z', nonce: 'c1a0d3b2-7e4f-4a6b-8c9d-0e1f2a3b4c5d', key: 2 },
  { name: 'an extra parameter signed on request, earlier sigV2 parameters replaced',
    url: 'https://buy.onramper.dev/?apiKey=pk_test_x&themeName=dark&wallets=sol:7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV&sigV2=v2%3Aold&sigV2Nonce=old',
    also_sign: ['themeName'], timestamp: '2026-01-01T00:00:00.000Z', nonce: '9b2e8f7a-1c3d-4e5f-a6b7-c8d9e0f1a2b3', key: 0 },
];
const widget = widgetInputs.map((c) => {
  const url = new URL(c.url);
  const kept = url.search.slice(1).split('&').filter((part) => {
    const key = new URLSearchParams(part).keys().next().value;
    return part !== '' && !SIG_V2.includes(key);
  });
  const params = new URLSearchParams(kept.join('&'));
  const present = [...new Set(params.keys())];
  const fields = [...new Set([...present.filter((k) => CORE.includes(k)), ...(c.also_sign ?? [])])].sort(byCodeUnits);
  const query = new URLSearchParams(fields.map((f) => [f, params.get(f)])).toString();
  const canonical = lines(c.timestamp, c.nonce, 'GET', '/', query, '', EMPTY);
  const signature = `v2:${crypto.sign(null, Buffer.from(canonical, 'utf8'), keys[c.key].privateKey).toString('base64')}`;
  const appended = [['sigV2Timestamp', c.timestamp], ['sigV2Nonce', c.nonce], ['sigV2Fields', fields.join(',')]];
  if (c.expiry) appended.push(['sigV2Expiry', c.expiry]);
  appended.push(['sigV2', signature]);
  const signedUrl = `${url.origin}${url.pathname}?${[...kept, new URLSearchParams(appended).toString()].join('&')}`;
  return {
    name: c.name, source: 'self-computed in Node.js: URLSearchParams, crypto.sign with the RFC 8032 key',
    key: keys[c.key].name, url: c.url, timestamp: c.timestamp, nonce: c.nonce,
    ...(c.expiry ? { expiry: c.expiry } : {}), ...(c.also_sign ? { also_sign: c.also_sign } : {}),
    fields, canonical, signature, signed_url: signedUrl,
  };
});

const requestInputs = [
  { name: 'GET without query or body', method: 'GET', path: '/supported', query: '', authorization: 'pk_test_example',
    timestamp: '2024-01-15T10:30:00.000Z', nonce: '550e8400-e29b-41d4-a716-446655440000', key: 0 },
  { name: 'GET with a query to sort and encode', method: 'get', path: '/quotes/eur/btc', query: '?amount=100&paymentMethod=creditcard&country=NL&wallet=bc1q%3Ax&note=a%20b',
    authorization: 'pk_test_example', timestamp: '2026-11-25T08:00:00.000Z', nonce: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', key: 1 },
  { name: 'POST a JSON body, canonicalized before hashing', method: 'POST', path: '/checkout/intent', query: '',
    authorization: ' pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4 ', content_type: 'application/json',
    body: '{\n  "wallet": {"address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},\n  "sourceAmount": 100.50,\n  "destinationCurrency": "btc",\n  "sourceCurrency": "eur",\n  "type": "buy"\n}',
    timestamp: '2026-11-25T08:00:00.999Z', nonce: 'c1a0d3b2-7e4f-4a6b-8c9d-0e1f2a3b4c5d', key: 2 },
  { name: 'POST the empty JSON object', method: 'POST', path: '/checkout/intent', query: '', authorization: 'pk_test_example',
    content_type: 'application/json; charset=utf-8', body: '{}', timestamp: '2024-01-15T10:30:00.000Z', nonce: '550e8400-e29b-41d4-a716-446655440000', key: 0 },
  { name: 'POST a text body, hashed as is', method: 'POST', path: '/notes', query: 'b=2&a=1&a=0', authorization: 'pk_test_example',
    content_type: 'text/plain', body: 'hello {json} world', timestamp: '2024-01-15T10:30:00.000Z', nonce: '550e8400-e29b-41d4-a716-446655440000', key: 1 },
];
const requests = requestInputs.map((c) => {
  const params = new URLSearchParams(c.query);
  params.sort();
  const headers = [`authorization:${c.authorization.trim()}`];
  if (c.content_type) headers.push(`content-type:${c.content_type.trim()}`);
  const body = c.body ?? '';
  const isJson = c.content_type && /^(application\/json|.*\+json)$/i.test(c.content_type.split(';')[0].trim());
  const hashed = body === '' ? '' : isJson ? canonicalize(JSON.parse(body)) : body;
  const bodyHash = crypto.createHash('sha256').update(hashed, 'utf8').digest('hex');
  const canonical = lines(c.timestamp, c.nonce, c.method.toUpperCase(), c.path, params.toString(), headers.join('\n'), bodyHash);
  const signature = `v2:${crypto.sign(null, Buffer.from(canonical, 'utf8'), keys[c.key].privateKey).toString('base64')}`;
  return {
    name: c.name, source: 'self-computed in Node.js: URLSearchParams.sort, RFC 8785 canonicalizer, crypto.sign with the RFC 8032 key',
    key: keys[c.key].name, method: c.method, path: c.path, query: c.query, authorization: c.authorization,
    ...(c.content_type ? { content_type: c.content_type } : {}), body, timestamp: c.timestamp, nonce: c.nonce,
    canonical, signature,
  };
});

const v2 = {
  description: 'Onramper Signature V2 (Ed25519) and RFC 8785 JSON canonicalization. Onramper publishes no vectors; these were made with Node.js alone (crypto.sign(null, data, key) with the RFC 8032 test keys, URLSearchParams, an RFC 8785 canonicalizer checked against the RFC\'s published example) by tests/vectors/scripts/onramper.mjs, never with the Rust crates.',
  algorithm: 'Ed25519 over the 8-line canonical string; SHA-256; RFC 8785',
  keys: keys.map(({ name, private_pem, public_pem, public_hex }) => ({ name, private_pem, public_pem, public_hex })),
  jcs_numbers: jcsNumbers,
  jcs_documents: jcsDocuments,
  widget,
  requests,
};
fs.writeFileSync(path.join(dir, 'onramper_v2.json'), JSON.stringify(v2, null, 2) + '\n');
console.log(`onramper.json: ${v1.cases.length} cases; onramper_v2.json: ${widget.length} widget URLs, ${requests.length} requests, ${jcsNumbers.length + jcsDocuments.length} JCS cases`);
