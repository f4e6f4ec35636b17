// Where the platform may send merchant notifications. Live mode accepts only http(s) URLs whose
// host is a public name or a public IP (no loopback, link-local, private or internal ranges:
// server-side request forgery). Test mode also accepts loopback, for local development.
// Hostnames are checked by name; a Worker cannot resolve DNS itself, and Cloudflare's network
// does not connect Workers to private addresses.

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home|corp|test|invalid)$/i;

function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

function privateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || a === 10 || a === 127 || a! >= 224 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

function privateIpv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "::" || h === "::1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return privateIpv4(ipv4(mapped[1]!)!);
  return /^(fc|fd|fe[89ab])/.test(h);
}

const isLoopback = (host: string) => host === "localhost" || host.endsWith(".localhost") || host === "::1" || ipv4(host)?.[0] === 127;

/** Why `url` may not receive notifications in this mode, or null when it may. */
export function targetUrlProblem(url: string, livemode: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "must be an http(s) URL";
  if (parsed.username || parsed.password) return "must not carry credentials";
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (!livemode && isLoopback(host)) return null;
  const v4 = ipv4(host);
  if (v4 ? privateIpv4(v4) : host.includes(":") ? privateIpv6(host) : INTERNAL_NAMES.test(host) || !host.includes(".")) {
    return livemode
      ? "must resolve to a public address (loopback, private and internal hosts are refused in live mode)"
      : "must be a public address or loopback";
  }
  return null;
}
