const crypto = require("node:crypto");

// True when X-Frontdesk-Signature `header` signs `rawBody` (a Buffer) with `secret` and is recent.
function verifyFrontdeskSignature(secret, header, rawBody, toleranceSecs = 300, now = Date.now() / 1000) {
  let t = null;
  const sigs = [];
  for (const item of header.split(",")) {
    const i = item.indexOf("=");
    if (i < 0) continue;
    const key = item.slice(0, i).trim();
    const value = item.slice(i + 1).trim();
    if (key === "t") t = value;
    else if (key === "v1") sigs.push(value);
  }
  if (t === null || !/^\d+$/.test(t)) return false;
  if (Math.abs(now - Number(t)) > toleranceSecs) return false; // too old: possibly a replay
  const expected = crypto.createHmac("sha256", secret).update(t + ".").update(rawBody).digest();
  return sigs.some((s) => {
    const got = Buffer.from(s, "hex");
    return got.length === expected.length && crypto.timingSafeEqual(got, expected);
  });
}

module.exports = { verifyFrontdeskSignature };

if (require.main === module) {
  // FRONTDESK_SECRET=... FRONTDESK_SIGNATURE=... node verify_signature.js < body.json
  const body = require("node:fs").readFileSync(0);
  const ok = verifyFrontdeskSignature(process.env.FRONTDESK_SECRET, process.env.FRONTDESK_SIGNATURE, body);
  console.log(ok ? "valid" : "invalid");
  process.exit(ok ? 0 : 1);
}
