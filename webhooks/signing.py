"""Signatures of webhook deliveries: X-Dealsite-Signature: sha256=HMAC_SHA256(secret, f"{timestamp}.{body}").

Sent with the X-Dealsite-Timestamp header; receivers should also reject old timestamps (replays).
"""

import hashlib
import hmac


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, body, signature):
    """What a receiver does (also used by the tests)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
