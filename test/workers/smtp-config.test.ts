// The SMTP settings: which security each port gets, and when credentials may go in plain text.
import { describe, expect, it } from "vitest";

import { isLoopback, readSmtpConfig, securityFor, SmtpConfigError } from "../../shared/email/smtp-config";

const base = { SMTP_HOST: "smtp.example.com", SMTP_PORT: "587", SMTP_SECURITY: "auto", SMTP_FROM: "receipts@pay.example.com" };

function refusal(env: Record<string, string>): SmtpConfigError {
  try {
    readSmtpConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SmtpConfigError);
    return error as SmtpConfigError;
  }
  throw new Error("expected the settings to be refused");
}

describe("securityFor (auto)", () => {
  it.each([
    [465, "smtp.example.com", "tls"],
    [587, "smtp.example.com", "starttls"],
    [25, "smtp.example.com", "starttls"],
    [2525, "smtp.example.com", "starttls"],
    [465, "127.0.0.1", "tls"],
    [587, "localhost", "starttls"],
    [1025, "127.0.0.1", "none"],
    [1025, "localhost", "none"],
    [1025, "::1", "none"],
    [25, "127.0.0.1", "none"],
  ] as const)("port %i on %s is %s", (port, host, security) => {
    expect(securityFor("auto", port, host)).toBe(security);
  });

  it("an explicit setting wins over the port", () => {
    expect(securityFor("none", 465, "smtp.example.com")).toBe("none");
    expect(securityFor("tls", 587, "smtp.example.com")).toBe("tls");
    expect(securityFor("starttls", 1025, "127.0.0.1")).toBe("starttls");
  });
});

describe("isLoopback", () => {
  it("is this machine only, not names that merely look like it", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) expect(isLoopback(host), host).toBe(true);
    for (const host of ["localhost.example.com", "127.0.0.1.nip.io", "10.0.0.1", "smtp.example.com", "::2"]) expect(isLoopback(host), host).toBe(false);
  });
});

describe("readSmtpConfig", () => {
  it("reads host, port, security, credentials and sender", () => {
    expect(readSmtpConfig({ ...base, SMTP_USER: "apikey", SMTP_PASSWORD: "s3cret" })).toEqual({
      host: "smtp.example.com",
      port: 587,
      security: "starttls",
      credentials: { username: "apikey", password: "s3cret" },
      from: "receipts@pay.example.com",
      timeoutMs: 10_000,
    });
    expect(readSmtpConfig({ ...base, SMTP_TIMEOUT_MS: "2500" }).timeoutMs).toBe(2500);
  });

  it("no SMTP_USER means no sign-in; SMTP_SECURITY defaults to auto", () => {
    const config = readSmtpConfig({ ...base, SMTP_SECURITY: "", SMTP_PORT: "465", SMTP_USER: "" });
    expect(config.credentials).toBeUndefined();
    expect(config.security).toBe("tls");
  });

  it.each([
    [{ SMTP_HOST: "" }, "SMTP_HOST"],
    [{ SMTP_FROM: "" }, "SMTP_FROM"],
    [{ SMTP_FROM: "Shop <receipts@pay.example.com>" }, "SMTP_FROM"],
    [{ SMTP_PORT: "smtp" }, "SMTP_PORT"],
    [{ SMTP_PORT: "70000" }, "SMTP_PORT"],
    [{ SMTP_SECURITY: "ssl" }, "SMTP_SECURITY"],
    [{ SMTP_TIMEOUT_MS: "soon" }, "SMTP_TIMEOUT_MS"],
  ])("%o is refused, naming %s", (override, setting) => {
    expect(refusal({ ...base, ...override }).setting).toBe(setting);
  });

  it("refuses credentials in plain text to a remote host, and says how to fix it", () => {
    const error = refusal({ ...base, SMTP_PORT: "25", SMTP_SECURITY: "none", SMTP_USER: "apikey", SMTP_PASSWORD: "s3cret" });
    expect(error.setting).toBe("SMTP_SECURITY");
    expect(error.message).toContain("smtp.example.com");
    expect(error.message).not.toContain("s3cret");
  });

  it("allows plain text without credentials anywhere, and with them to the local server", () => {
    expect(readSmtpConfig({ ...base, SMTP_PORT: "25", SMTP_SECURITY: "none" }).security).toBe("none");
    const local = readSmtpConfig({ ...base, SMTP_HOST: "127.0.0.1", SMTP_PORT: "1025", SMTP_USER: "u", SMTP_PASSWORD: "p" });
    expect(local).toMatchObject({ security: "none", credentials: { username: "u", password: "p" } });
  });
});
