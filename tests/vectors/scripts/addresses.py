#!/usr/bin/env python3
"""Writes tests/vectors/addresses.json: the official address test vectors, each with its
source, checked here first with Python's hashlib and the BIP-350 reference decoder (below, as
the BIP gives it), never with the Rust crates.

    python3 tests/vectors/scripts/addresses.py
"""

import hashlib
import json
import os

# --- BIP-350's reference decoder (github.com/sipa/bech32, ref/python/segwit_addr.py) ---

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32, BECH32M = 1, 2
BECH32M_CONST = 0x2BC830A3


def polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def hrp_expand(hrp):
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def bech32_decode(bech):
    if any(ord(x) < 33 or ord(x) > 126 for x in bech) or (
        bech.lower() != bech and bech.upper() != bech
    ):
        return (None, None, None)
    bech = bech.lower()
    pos = bech.rfind("1")
    if pos < 1 or pos + 7 > len(bech) or len(bech) > 90:
        return (None, None, None)
    if not all(x in CHARSET for x in bech[pos + 1 :]):
        return (None, None, None)
    hrp = bech[:pos]
    data = [CHARSET.find(x) for x in bech[pos + 1 :]]
    const = polymod(hrp_expand(hrp) + data)
    spec = BECH32 if const == 1 else BECH32M if const == BECH32M_CONST else None
    if spec is None:
        return (None, None, None)
    return (hrp, data[:-6], spec)


def convertbits(data, frombits, tobits, pad=True):
    acc, bits, ret, maxv = 0, 0, [], (1 << tobits) - 1
    for value in data:
        if value < 0 or (value >> frombits):
            return None
        acc = ((acc << frombits) | value) & ((1 << (frombits + tobits - 1)) - 1)
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            ret.append((acc >> bits) & maxv)
    if pad:
        if bits:
            ret.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        return None
    return ret


def segwit_decode(hrp, addr):
    hrpgot, data, spec = bech32_decode(addr)
    if hrpgot != hrp:
        return (None, None)
    decoded = convertbits(data[1:], 5, 8, False)
    if decoded is None or len(decoded) < 2 or len(decoded) > 40:
        return (None, None)
    if data[0] > 16:
        return (None, None)
    if data[0] == 0 and len(decoded) != 20 and len(decoded) != 32:
        return (None, None)
    if (data[0] == 0 and spec != BECH32) or (data[0] != 0 and spec != BECH32M):
        return (None, None)
    return (data[0], decoded)


def script_pubkey(version, program):
    return bytes([version + 0x50 if version else 0, len(program)] + program).hex()


# --- Base58Check with hashlib ---

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text):
    n = 0
    for c in text:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def b58check_decode(text):
    raw = b58decode(text)
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def base58_script(payload):
    version, h = payload[0], payload[1:].hex()
    if version in (0x00, 0x6F):
        return "76a914" + h + "88ac"
    return "a914" + h + "87"


BIP173 = "BIP-173 (github.com/bitcoin/bips, bip-0173.mediawiki, Test vectors)"
BIP350 = "BIP-350 (github.com/bitcoin/bips, bip-0350.mediawiki, Test vectors)"
CORE = "Bitcoin Core src/test/data/key_io_valid.json"
EIP55 = "EIP-55 (github.com/ethereum/ERCs, ERCS/erc-55.md, Test Cases)"

vectors = {
    "description": "Official wallet address test vectors, each with its source; checked by tests/vectors/scripts/addresses.py with hashlib and the BIP-350 reference decoder before they were written.",
    "eip55": {
        "source": EIP55,
        "valid": [
            "0x52908400098527886E0F7030069857D2E4169EE7",
            "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
            "0xde709f2102306220921060314715629080e2fb77",
            "0x27b1fdb04752bbc536007a920d24acb045561c26",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ],
        "checksummed": [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ],
    },
    "bech32_strings": [
        {"source": BIP173, "encoding": "bech32", "valid": [
            "A12UEL5L", "a12uel5l",
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
            "?1ezyfcl"],
         "invalid": [
            "\u00201nwldj5", "\u007f1axkwrx", "\u00801eym55h",
            "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
            "pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "de1lg7wt\u00ff", "A1G7SGD8",
            "10a06t8", "1qzzfhee"]},
        {"source": BIP350, "encoding": "bech32m", "valid": [
            "A1LQFN3A", "a1lqfn3a",
            "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
            "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
            "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
            "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
            "?1v759aa"],
         "invalid": [
            "\u00201xj0phk", "\u007f1g6xzxy", "\u00801vctc34",
            "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
            "qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i",
            "au1s5cgom", "M1VUXWEZ", "16plkw9", "1p2gdwpf"]},
    ],
    "segwit_valid": [
        # BIP-350's list (which supersedes BIP-173's for versions 1 and up).
        [BIP350, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"],
        [BIP350, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"],
        [BIP350, "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"],
        [BIP350, "BC1SW50QGDZ25J", "6002751e"],
        [BIP350, "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"],
        [BIP350, "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"],
        [BIP350, "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"],
        [BIP350, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"],
        [CORE, "bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv", "00146100fc6343edc8c874496cb2f5bbfec88ea9b77c"],
        [CORE, "bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu", "51203c671ef1e3913f94980a9e146ba895908550ef4234abb7503d436521aba54c75"],
        [CORE, "bc1z2rksukkjr8", "520250ed"],
        [CORE, "tb1p35n52jy6xkm4wd905tdy8qtagrn73kqdz73xe4zxpvq9t3fp50aqk3s6gz", "51208d2745489a35b75734afa2da43817d40e7e8d80d17a26cd4460b0055c521a3fa"],
    ],
    "segwit_invalid": [
        [BIP173, "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", "Invalid human-readable part"],
        [BIP173, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "Invalid checksum"],
        [BIP173, "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "Invalid witness version"],
        [BIP173, "bc1rw5uspcuh", "Invalid program length"],
        [BIP173, "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90", "Invalid program length"],
        [BIP173, "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "Invalid program length for witness version 0 (per BIP141)"],
        [BIP173, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "Mixed case"],
        [BIP173, "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", "zero padding of more than 4 bits"],
        [BIP173, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", "Non-zero padding in 8-to-5 conversion"],
        [BIP173, "bc1gmk9yu", "Empty data section"],
        [BIP173, "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", "valid in BIP-173, a version 1 program in bech32: invalid since BIP-350"],
        [BIP173, "BC1SW50QA3JX3S", "valid in BIP-173, a version 16 program in bech32: invalid since BIP-350"],
        [BIP173, "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", "valid in BIP-173, a version 2 program in bech32: invalid since BIP-350"],
        [BIP350, "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "Invalid human-readable part"],
        [BIP350, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "Invalid checksum (Bech32 instead of Bech32m)"],
        [BIP350, "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "Invalid checksum (Bech32 instead of Bech32m)"],
        [BIP350, "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "Invalid checksum (Bech32 instead of Bech32m)"],
        [BIP350, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "Invalid checksum (Bech32m instead of Bech32)"],
        [BIP350, "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "Invalid checksum (Bech32m instead of Bech32)"],
        [BIP350, "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "Invalid character in checksum"],
        [BIP350, "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "Invalid witness version"],
        [BIP350, "bc1pw5dgrnzv", "Invalid program length (1 byte)"],
        [BIP350, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", "Invalid program length (41 bytes)"],
        [BIP350, "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "Invalid program length for witness version 0 (per BIP141)"],
        [BIP350, "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "Mixed case"],
        [BIP350, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "zero padding of more than 4 bits"],
        [BIP350, "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "Non-zero padding in 8-to-5 conversion"],
        [BIP350, "bc1gmk9yu", "Empty data section"],
    ],
    "base58check_valid": [
        [CORE, "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", "76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac", "main"],
        [CORE, "36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm", "a914373b819a068f32b7a6b38b6b38729647cfde01c287", "main"],
        [CORE, "1FjL87pn8ky6Vbavd1ZHeChRXtoxwRGCRd", "76a914a19331b7b2627e663e25a7b001e4c0dcc5e21bc788ac", "main"],
        [CORE, "3BZECeAH8gSKkjrTx8PwMrNQBLG18yHpvf", "a9146c382dcdf5b284760c8e3fead91f7422cd76aa8787", "main"],
        [CORE, "mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ", "76a914ce28b26c57472737f5c3561a1761185bd8589a4388ac", "testnet4"],
        [CORE, "2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK", "a914ce0bba75891ff9ec60148d4bd4a09ee2dc5c933187", "testnet4"],
        [CORE, "n4YNbYuFdPwFrxSP8sjHFbAhUbLMUiY9jE", "76a914fc8f9851f3c1e4719cd0b8e4816dd4e88c72e52888ac", "testnet4"],
        [CORE, "2NAeQVZayzVFAtgeC3iYJsjpjWDmsDph71A", "a914bedc797342c03fd7a346c4c7857ca03d467013b687", "testnet4"],
        [CORE, "mww4LvqtTMKvmeQvizPz2EQv26xTneWrbg", "76a914b4110ba93ac54afc14da3bdd19614774a2d55d2988ac", "signet"],
        [CORE, "2N1r7aC69VHeE7yQJPDLi9T1PYq4wnwvjuT", "a9145e5a35ab44b3efaea5129ba22b88ba3e2976614587", "signet"],
    ],
    "base58check_not_addresses": [
        [CORE + " (private keys: Base58Check, but version 0x80 / 0xef)", "5JuW2AMDYu4xVwRG9DZW18VbzQrGcd5RCgb99sS6ehJsNQXu5b9"],
        [CORE + " (private keys: Base58Check, but version 0x80 / 0xef)", "L5nJeqKmpHp4P7F8ZYyjwc5a7P4d8EabuGAzfGJk7yC1BJyzNaEd"],
        [CORE + " (private keys: Base58Check, but version 0x80 / 0xef)", "92ZdE5HoLafywnTBbzPxbvRmp75pSfzvdU3XaZGh1cToipgdHVh"],
        [CORE + " (private keys: Base58Check, but version 0x80 / 0xef)", "cV83kKisF3RQSvXbUCm9ox3kaz5JjEUBWcx8tNydfGJcyeUxuH47"],
    ],
    "tron": [
        ["TRON's address format documentation (hex and Base58Check of the same address)", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "418840e6c55b9ada326d211d818c34a994aeced808"],
        ["Tether's USDT (TRC-20) contract on Tron mainnet", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", None],
    ],
    "solana": [
        ["Solana's System Program id (32 zero bytes)", "11111111111111111111111111111111", "00" * 32],
        ["Solana's SPL Token Program id", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", None],
    ],
}

# Check everything before writing.
for entry in vectors["segwit_valid"]:
    _, address, script = entry
    hrp = "bc" if address.lower().startswith("bc1") else "tb"
    version, program = segwit_decode(hrp, address)
    assert version is not None, address
    assert script_pubkey(version, program) == script, address
for _, address, _ in vectors["segwit_invalid"]:
    assert segwit_decode("bc", address) == (None, None) and segwit_decode("tb", address) == (None, None), address
for group in vectors["bech32_strings"]:
    want = BECH32 if group["encoding"] == "bech32" else BECH32M
    for s in group["valid"]:
        assert bech32_decode(s)[2] == want, s
    for s in group["invalid"]:
        assert bech32_decode(s)[2] != want, s
for _, address, script, _ in vectors["base58check_valid"]:
    payload = b58check_decode(address)
    assert payload is not None and base58_script(payload) == script, address
for _, key in vectors["base58check_not_addresses"]:
    payload = b58check_decode(key)
    assert payload is not None and payload[0] in (0x80, 0xEF), key
for entry in vectors["tron"]:
    payload = b58check_decode(entry[1])
    assert payload is not None and payload[0] == 0x41 and len(payload) == 21, entry[1]
    if entry[2] is None:
        entry[2] = payload.hex()
    assert payload.hex() == entry[2], entry[1]
for entry in vectors["solana"]:
    raw = b58decode(entry[1])
    assert len(raw) == 32, entry[1]
    if entry[2] is None:
        entry[2] = raw.hex()
    assert raw.hex() == entry[2], entry[1]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "addresses.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(vectors, f, indent=2, ensure_ascii=False)
    f.write("\n")
print("addresses.json written and checked")
