// The SMTP settings, read from env: where to connect, how to secure the connection, who signs in
// and who sends. Pure, so the security rules are tested without a server.

export type SmtpSecurity = "tls" | "starttls" | "none";

export interface SmtpConfig {
  host: string;
  port: number;
  security: SmtpSecurity;
  /** SMTP_USER and SMTP_PASSWORD (secrets); absent when the server takes mail without sign-in. */
  credentials?: { username: string; password: string };
  /** The envelope and From address (SMTP_FROM). */
  from: string;
  /** How long the server has for the connection and for each reply (SMTP_TIMEOUT_MS). */
  timeoutMs: number;
}

/** A setting that makes sending impossible or unsafe; `setting` names the env var to fix. */
export class SmtpConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = "SmtpConfigError";
  }
}

/** The Worker's env as far as SMTP goes (Env's vars are typed as their wrangler.toml literals). */
export type SmtpEnv = Partial<
  Record<"SMTP_HOST" | "SMTP_PORT" | "SMTP_SECURITY" | "SMTP_FROM" | "SMTP_TIMEOUT_MS" | "SMTP_USER" | "SMTP_PASSWORD", string>
>;

const SETTINGS = ["auto", "tls", "starttls", "none"] as const;
const DEFAULT_TIMEOUT_MS = 10_000;

/** The local server (npm run dev, the tests): the only place plain SMTP is chosen by itself. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * `auto`: 465 is implicit TLS, 587 STARTTLS (the submission ports' conventions); any other port is
 * plain for a loopback host and STARTTLS elsewhere, so a remote server never gets plain text unasked.
 */
export function securityFor(setting: (typeof SETTINGS)[number], port: number, host: string): SmtpSecurity {
  if (setting !== "auto") return setting;
  if (port === 465) return "tls";
  if (port === 587) return "starttls";
  return isLoopback(host) ? "none" : "starttls";
}

/** The settings, or an SmtpConfigError naming the one that is missing, malformed or unsafe. */
export function readSmtpConfig(env: SmtpEnv): SmtpConfig {
  const host = (env.SMTP_HOST ?? "").trim();
  if (!host) throw new SmtpConfigError("SMTP_HOST", "SMTP_HOST is not set: email is off.");
  const from = (env.SMTP_FROM ?? "").trim();
  if (!/^[^\s<>@"]+@[^\s<>@"]+$/.test(from)) throw new SmtpConfigError("SMTP_FROM", "SMTP_FROM must be one email address (receipts@pay.example.com).");
  const port = Number(env.SMTP_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SmtpConfigError("SMTP_PORT", `SMTP_PORT must be a port number (1-65535), not '${env.SMTP_PORT}'.`);
  const setting = (env.SMTP_SECURITY || "auto").trim().toLowerCase();
  if (!(SETTINGS as readonly string[]).includes(setting)) throw new SmtpConfigError("SMTP_SECURITY", `SMTP_SECURITY must be one of ${SETTINGS.join(", ")}, not '${env.SMTP_SECURITY}'.`);
  const timeoutMs = env.SMTP_TIMEOUT_MS ? Number(env.SMTP_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new SmtpConfigError("SMTP_TIMEOUT_MS", `SMTP_TIMEOUT_MS must be a whole number of milliseconds, not '${env.SMTP_TIMEOUT_MS}'.`);
  const security = securityFor(setting as (typeof SETTINGS)[number], port, host);
  const credentials = env.SMTP_USER ? { username: env.SMTP_USER, password: env.SMTP_PASSWORD ?? "" } : undefined;
  // anyone on the path would read them: plain text is only for the server on this machine
  if (credentials && security === "none" && !isLoopback(host)) {
    throw new SmtpConfigError("SMTP_SECURITY", `Refusing to send SMTP credentials in plain text to ${host}: set SMTP_SECURITY to tls or starttls (or auto with port 465 or 587).`);
  }
  return { host, port, security, ...(credentials && { credentials }), from, timeoutMs };
}
