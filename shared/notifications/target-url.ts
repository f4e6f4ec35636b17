// Where the platform may send merchant notifications. Live mode accepts only http(s) URLs whose
// host is a public name or a public unicast IP (server-side request forgery), decided on the
// parsed address rather than its spelling, so `[::ffff:127.0.0.1]` or `[64:ff9b::a9fe:a9fe]` is
// judged as the IPv4 it carries. Test mode also accepts loopback, for local development.
// Hostnames are checked by name; a Worker cannot resolve DNS itself, and Cloudflare's network
// does not connect Workers to private addresses.
import ipaddr from "ipaddr.js";

const INTERNAL_NAMES = /(^|\.)(local|internal|intranet|lan|home|corp|test|invalid|home\.arpa)$/i;

const last32 = (bytes: number[]) => bytes.slice(12);

// IPv6 forms that carry an IPv4 address (by ipaddr.js range name): a translator or tunnel
// delivers them to that IPv4, so they are judged as it.
const EMBEDDED_IPV4: Record<string, (bytes: number[]) => number[]> = {
  ipv4Mapped: last32, // ::ffff:0:0/96 (RFC 4291)
  ipv4Compatible: last32, // ::/96 (RFC 4291, deprecated)
  rfc6145: last32, // ::ffff:0:0:0/96, IPv4-translated
  rfc6052: last32, // 64:ff9b::/96 and 64:ff9b:1::/48, NAT64 (RFC 6052, RFC 8215)
  "6to4": (bytes) => bytes.slice(2, 6), // 2002::/16 (RFC 3056)
  teredo: (bytes) => last32(bytes).map((b) => b ^ 0xff), // 2001::/32, the client's IPv4 inverted (RFC 4380)
};

const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR("::/96");
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");

/** The ipaddr.js range of an IPv6 address, with the two cases it calls `unicast` named apart. */
function ipv6Range(address: ipaddr.IPv6): string {
  const range = address.range() as string;
  if (range !== "unicast") return range;
  if (address.match(IPV4_COMPATIBLE)) return "ipv4Compatible";
  // ipaddr.js calls unicast whatever is outside its special ranges; IANA assigns only 2000::/3.
  return address.match(GLOBAL_UNICAST) ? "unicast" : "unassigned";
}

/** The range an IP literal is judged by: its own, or that of the IPv4 it embeds. */
function rangeOf(hostname: string): string {
  if (!hostname.startsWith("[")) return ipaddr.IPv4.parse(hostname).range();
  const address = ipaddr.IPv6.parse(hostname.slice(1, -1));
  const range = ipv6Range(address);
  const embedded = EMBEDDED_IPV4[range];
  return embedded ? new ipaddr.IPv4(embedded(address.toByteArray())).range() : range;
}

/** What a URL's host (as WHATWG URL serialises it) reaches. */
function reach(hostname: string): "public" | "loopback" | "private" {
  // WHATWG URL has already turned every IPv4 spelling (2130706433, 0x7f.1, …) into dotted decimal.
  if (hostname.startsWith("[") || ipaddr.IPv4.isValidFourPartDecimal(hostname)) {
    const range = rangeOf(hostname);
    return range === "unicast" ? "public" : range === "loopback" ? "loopback" : "private";
  }
  const name = hostname.replace(/\.+$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  return INTERNAL_NAMES.test(name) || !name.includes(".") ? "private" : "public";
}

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
  const where = reach(parsed.hostname);
  if (where === "public" || (where === "loopback" && !livemode)) return null;
  return livemode
    ? "must resolve to a public address (loopback, private and internal hosts are refused in live mode)"
    : "must be a public address or loopback";
}
