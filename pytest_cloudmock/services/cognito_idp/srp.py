"""The server side of Cognito's SRP-6a (USER_SRP_AUTH): the 3072-bit group of RFC 5054/3526
with g = 2, SHA-256, k = H(N | g), and the password claim that Cognito's SDKs sign with
HKDF("Caldera Derived Key") over S and u. Values travel as hex, as the SDKs send them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2


def pad_hex(value: int | str) -> str:
    """Hex of a positive number, with a leading `00` when its top bit is set (Java's BigInteger)."""
    text = value if isinstance(value, str) else f"{value:x}"
    if len(text) % 2:
        return "0" + text
    return "00" + text if text[0] in "89ABCDEFabcdef" else text


def _hash_hex(hex_text: str) -> int:
    return int(hashlib.sha256(bytes.fromhex(hex_text)).hexdigest(), 16)


K = _hash_hex("00" + N_HEX + "0" + f"{G:x}")


def password_verifier(pool_name: str, user_id: str, password: str, salt_hex: str) -> int:
    """v = g^x, x = H(salt | H(<pool name><user id>:<password>)) (`pool_name`: the pool id after `_`;
    a device's is made the same way from its group key, device key and device password)."""
    inner = hashlib.sha256(f"{pool_name}{user_id}:{password}".encode()).hexdigest()
    return pow(G, _hash_hex(pad_hex(salt_hex) + inner), N)


def challenge(verifier: int, salt_hex: str) -> dict[str, str]:
    """The server's half of one exchange: salt, b, B (hex) and the secret block (base64)."""
    b = secrets.randbits(256)  # a 256-bit secret exponent: a 3072-bit pow costs a quarter of 1024 bits
    big_b = (K * verifier + pow(G, b, N)) % N
    return {"salt": salt_hex, "b": f"{b:x}", "B": f"{big_b:x}",
            "secret_block": base64.b64encode(secrets.token_bytes(64)).decode()}


def password_challenge(pool_name: str, user_id: str, password: str) -> dict[str, str]:
    """A user's PASSWORD_VERIFIER challenge (a fresh salt, the verifier of the password)."""
    salt = secrets.token_hex(16)
    return challenge(password_verifier(pool_name, user_id, password, salt), salt)


def valid_a(a_hex: str) -> bool:
    try:
        return int(a_hex, 16) % N != 0
    except ValueError:
        return False


def claim_is_valid(prefix: str, verifier: int, state: dict[str, str], a_hex: str, secret_block: str,
                   timestamp: str, signature: str) -> bool:
    """Whether PASSWORD_CLAIM_SIGNATURE = HMAC(HKDF(S, u), prefix | secret block | timestamp), with
    prefix `<pool name><user id>` (users) or `<device group key><device key>` (devices)."""
    big_a, big_b, b = int(a_hex, 16), int(state["B"], 16), int(state["b"], 16)
    u = _hash_hex(pad_hex(big_a) + pad_hex(big_b))
    if u == 0:
        return False
    shared = pow(big_a * pow(verifier, u, N), b, N)
    prk = hmac.new(bytes.fromhex(pad_hex(f"{u:x}")), bytes.fromhex(pad_hex(shared)), hashlib.sha256).digest()
    key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
    try:
        block = base64.b64decode(secret_block)
    except ValueError:
        return False
    message = prefix.encode() + block + timestamp.encode()
    expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, signature)
