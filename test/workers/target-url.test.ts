// The SSRF guard for notification targets, as a pure decision: every spelling of a non-public
// address is refused in live mode, and test mode lets only loopback through besides public hosts.
import { describe, expect, it } from "vitest";
import { targetUrlProblem } from "../../shared/notifications/target-url";

type Outcome = "pass" | "refuse";
const outcome = (url: string, livemode: boolean): Outcome => (targetUrlProblem(url, livemode) === null ? "pass" : "refuse");

// [url, live mode, test mode]
const CASES: Array<[string, Outcome, Outcome]> = [
  // public hosts
  ["https://93.184.215.14/", "pass", "pass"],
  ["https://[2606:4700::6810:84e5]/", "pass", "pass"],
  ["https://example.com/hook", "pass", "pass"],
  ["https://example.com./hook", "pass", "pass"],
  ["https://merchant.example.com:8443/payments/hook?x=1", "pass", "pass"],
  ["http://[::ffff:93.184.215.14]/", "pass", "pass"], // an embedded public IPv4 is public
  ["http://[64:ff9b::5db8:d70e]/", "pass", "pass"], // NAT64 of 93.184.215.14
  ["http://[2002:5db8:d70e::1]/", "pass", "pass"], // 6to4 of 93.184.215.14
  ["http://[2001:0:4136:e378:8000:63bf:a247:28f1]/", "pass", "pass"], // Teredo client 93.184.215.14

  // loopback: refused in live mode, allowed in test mode, however spelled
  ["http://127.0.0.1:3000/hook", "refuse", "pass"],
  ["http://127.1.2.3/", "refuse", "pass"],
  ["http://2130706433/", "refuse", "pass"], // decimal 127.0.0.1
  ["http://0x7f.1/", "refuse", "pass"], // hex and short form
  ["http://0x7f000001/", "refuse", "pass"],
  ["http://0177.0.0.1/", "refuse", "pass"], // octal
  ["http://127.0.0.1./", "refuse", "pass"],
  ["http://localhost:8080/hook", "refuse", "pass"],
  ["http://localhost./", "refuse", "pass"],
  ["http://api.localhost/", "refuse", "pass"],
  ["http://[::1]/", "refuse", "pass"],
  ["http://[::ffff:127.0.0.1]/", "refuse", "pass"],
  ["http://[::ffff:7f00:1]/", "refuse", "pass"],
  ["http://[::127.0.0.1]/", "refuse", "pass"], // IPv4-compatible
  ["http://[64:ff9b::127.0.0.1]/", "refuse", "pass"], // NAT64
  ["http://[2002:7f00:1::]/", "refuse", "pass"], // 6to4
  ["http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "refuse", "pass"], // Teredo client 127.0.0.1

  // private IPv4, refused in both modes
  ["http://10.0.0.5/", "refuse", "refuse"],
  ["http://172.16.0.1/", "refuse", "refuse"],
  ["http://172.31.255.254/", "refuse", "refuse"],
  ["http://192.168.1.10/", "refuse", "refuse"],
  ["http://100.64.0.1/", "refuse", "refuse"], // carrier-grade NAT
  ["http://169.254.169.254/latest/meta-data", "refuse", "refuse"], // link-local, cloud metadata
  ["http://0.0.0.0/", "refuse", "refuse"],
  ["http://0/", "refuse", "refuse"],
  ["http://224.0.0.1/", "refuse", "refuse"], // multicast
  ["http://239.255.255.250/", "refuse", "refuse"],
  ["http://255.255.255.255/", "refuse", "refuse"], // broadcast
  ["http://240.0.0.1/", "refuse", "refuse"], // reserved
  ["http://198.18.0.1/", "refuse", "refuse"], // benchmarking
  ["http://198.19.255.1/", "refuse", "refuse"],
  ["http://192.0.2.1/", "refuse", "refuse"], // documentation
  ["http://198.51.100.1/", "refuse", "refuse"],
  ["http://203.0.113.1/", "refuse", "refuse"],
  ["http://192.0.0.1/", "refuse", "refuse"], // IETF protocol assignments
  ["http://0xa9fea9fe/", "refuse", "refuse"], // 169.254.169.254 in hex

  // private IPv6, and IPv6 forms that carry a private IPv4, refused in both modes
  ["http://[::]/", "refuse", "refuse"],
  ["http://[fe80::1]/", "refuse", "refuse"], // link-local
  ["http://[febf::1]/", "refuse", "refuse"],
  ["http://[fc00::1]/", "refuse", "refuse"], // unique local
  ["http://[fd00::1]/", "refuse", "refuse"],
  ["http://[fec0::1]/", "refuse", "refuse"], // deprecated site-local
  ["http://[ff02::1]/", "refuse", "refuse"], // multicast
  ["http://[2001:db8::1]/", "refuse", "refuse"], // documentation
  ["http://[3fff::1]/", "refuse", "refuse"], // documentation (RFC 9637)
  ["http://[2001:2::1]/", "refuse", "refuse"], // benchmarking
  ["http://[100::1]/", "refuse", "refuse"], // discard
  ["http://[4000::1]/", "refuse", "refuse"], // outside global unicast 2000::/3
  ["http://[::1:7f00:1]/", "refuse", "refuse"],
  ["http://[::2]/", "refuse", "refuse"], // IPv4-compatible 0.0.0.2
  ["http://[::ffff:169.254.169.254]/", "refuse", "refuse"],
  ["http://[::ffff:10.0.0.1]/", "refuse", "refuse"],
  ["http://[::ffff:0:a9fe:a9fe]/", "refuse", "refuse"], // IPv4-translated
  ["http://[::10.0.0.1]/", "refuse", "refuse"], // IPv4-compatible
  ["http://[64:ff9b::a9fe:a9fe]/", "refuse", "refuse"], // NAT64
  ["http://[64:ff9b:1::a9fe:a9fe]/", "refuse", "refuse"], // local-use NAT64
  ["http://[2002:a9fe:a9fe::]/", "refuse", "refuse"], // 6to4
  ["http://[2002:c0a8:101::1]/", "refuse", "refuse"], // 6to4 of 192.168.1.1
  ["http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "refuse", "refuse"], // Teredo client 10.0.0.1

  // names
  ["http://metadata.google.internal/", "refuse", "refuse"],
  ["http://metadata.google.internal./", "refuse", "refuse"],
  ["https://billing.internal/hook", "refuse", "refuse"],
  ["https://printer.local/hook", "refuse", "refuse"],
  ["https://wiki.intranet/", "refuse", "refuse"],
  ["https://nas.lan/", "refuse", "refuse"],
  ["https://router.home/", "refuse", "refuse"],
  ["https://hr.corp/", "refuse", "refuse"],
  ["https://hook.test/", "refuse", "refuse"],
  ["https://hook.invalid/", "refuse", "refuse"],
  ["https://nas.home.arpa/", "refuse", "refuse"],
  ["https://intranet/", "refuse", "refuse"], // a single label
  ["https://intranet./", "refuse", "refuse"],

  // not a usable URL at all
  ["ftp://example.com/hook", "refuse", "refuse"],
  ["file:///etc/passwd", "refuse", "refuse"],
  ["https://user:pass@example.com/hook", "refuse", "refuse"],
  ["https://user@example.com/hook", "refuse", "refuse"],
  ["not a url", "refuse", "refuse"],
];

describe("targetUrlProblem", () => {
  it.each(CASES)("%s: %s in live mode, %s in test mode", (url, live, test) => {
    expect(outcome(url, true)).toBe(live);
    expect(outcome(url, false)).toBe(test);
  });

  it("says why, as the end of a sentence about the field", () => {
    expect(targetUrlProblem("http://[::ffff:127.0.0.1]/", true)).toBe(
      "must resolve to a public address (loopback, private and internal hosts are refused in live mode)",
    );
    expect(targetUrlProblem("http://[fd00::1]/", false)).toBe("must be a public address or loopback");
    expect(targetUrlProblem("ftp://example.com/", true)).toBe("must be an http(s) URL");
    expect(targetUrlProblem("https://u:p@example.com/", true)).toBe("must not carry credentials");
    expect(targetUrlProblem("nope", true)).toBe("is not a URL");
  });
});
