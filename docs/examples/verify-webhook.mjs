import { createHmac, timingSafeEqual } from "node:crypto";

export function verifyWebhook(header, rawBody, secret, toleranceSeconds = 300) {
  const parts = header.split(",").map((p) => p.split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  const given = parts.filter(([k, v]) => k === "v1" && v?.length === 64);
  return given.some(([, v]) => timingSafeEqual(Buffer.from(v, "hex"), expected));
}
