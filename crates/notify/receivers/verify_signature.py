import hashlib
import hmac
import time


def verify_frontdesk_signature(secret, header, raw_body, tolerance_secs=300, now=None):
    """True when X-Frontdesk-Signature `header` (str) signs `raw_body` (bytes, as received)
    with `secret` (bytes) and is recent."""
    t, sigs = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            t = value
        elif key == "v1":
            sigs.append(value)
    if t is None or not (t.isascii() and t.isdigit()):
        return False
    now = time.time() if now is None else now
    if abs(now - int(t)) > tolerance_secs:
        return False  # too old (or from the future): possibly a replay
    expected = hmac.new(secret, t.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, s) for s in sigs)


if __name__ == "__main__":
    # FRONTDESK_SECRET=... FRONTDESK_SIGNATURE=... python3 verify_signature.py < body.json
    import os
    import sys
    ok = verify_frontdesk_signature(os.environ["FRONTDESK_SECRET"].encode(),
                                    os.environ["FRONTDESK_SIGNATURE"], sys.stdin.buffer.read())
    print("valid" if ok else "invalid")
    sys.exit(0 if ok else 1)
