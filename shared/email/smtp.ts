// Sends one email over SMTP (cloudflare:sockets, through worker-mailer): a connection per email
// (connect, sign in, send, QUIT), which suits a queue consumer's few emails per batch and leaves no
// session to keep alive between invocations. Failures come back as SmtpError, which says whether a
// retry can help.
import { LogLevel, WorkerMailer, type WorkerMailerOptions } from "worker-mailer";

import { log } from "../observability/logger";
import { readSmtpConfig, SmtpConfigError, type SmtpConfig, type SmtpEnv } from "./smtp-config";

export interface OutgoingEmail {
  /** One recipient address. */
  to: string;
  /** Display name; the address is SMTP_FROM. */
  fromName?: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** E.g. Message-ID, traceparent. */
  headers?: Record<string, string>;
}

/**
 * permanent: the server refused for good (5xx), or the email or the settings can never be sent as
 * they are; else worth retrying (4xx, network, timeout, TLS). code: the server's reply code, if any.
 */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code: number | null,
  ) {
    super(message);
    this.name = "SmtpError";
  }
}

/**
 * Each reply (and the connection) may take SMTP_TIMEOUT_MS, so a hung server cannot hold a
 * consumer; the whole send this many times that, however slowly a server drips its replies.
 */
const SEND_TIMEOUT_STEPS = 3;

const ADDRESS = /^[^\s<>@",;]+@[^\s<>@",;]+$/;
const HEADER_NAME = /^[!-9;-~]+$/;
const LINE_BREAK = /[\r\n]/;

/** Whether email is meant to be on (SMTP_HOST set); a bad setting then fails each send, loudly. */
export function smtpConfigured(env: SmtpEnv): boolean {
  return Boolean(env.SMTP_HOST?.trim());
}

let settingsWarned = false;

function config(env: SmtpEnv): SmtpConfig {
  try {
    return readSmtpConfig(env);
  } catch (error) {
    if (!(error instanceof SmtpConfigError)) throw error;
    // once per isolate: every email fails the same way until the setting is fixed
    if (!settingsWarned) log.warn("smtp settings refused", { setting: error.setting, reason: error.message });
    settingsWarned = true;
    throw new SmtpError(error.message, true, null);
  }
}

/** Addresses and header lines that would break out of their SMTP command or header (injection). */
function checkEmail(email: OutgoingEmail): void {
  const refuse = (field: string, why: string) => new SmtpError(`The email's ${field} ${why}.`, true, null);
  if (!ADDRESS.test(email.to)) throw refuse("to", "is not one email address");
  if (email.replyTo !== undefined && !ADDRESS.test(email.replyTo)) throw refuse("replyTo", "is not one email address");
  if (LINE_BREAK.test(email.subject)) throw refuse("subject", "has a line break");
  if (email.fromName !== undefined && LINE_BREAK.test(email.fromName)) throw refuse("fromName", "has a line break");
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    if (!HEADER_NAME.test(name) || LINE_BREAK.test(value)) throw refuse(`header ${JSON.stringify(name)}`, "is not one header line");
  }
}

/** The server's reply code in worker-mailer's error ("Failed to plain authentication: 535 5.7.8 …"). */
export function replyCode(message: string): number | null {
  // addresses in the echoed command (<a@b>) are not replies
  const match = /(?:^|\s)([2-5]\d\d)(?=[ -]|$)/m.exec(message.replace(/<[^>]*>/g, ""));
  return match ? Number(match[1]) : null;
}

function smtpError(error: unknown): SmtpError {
  if (error instanceof SmtpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = replyCode(message);
  return new SmtpError(`SMTP: ${message.trim()}`, code !== null && code >= 500, code);
}

function deadline(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SmtpError(`SMTP: no answer within ${ms} ms.`, false, null)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * worker-mailer 1.2.1 carries on in plain text when a server does not offer STARTTLS, credentials
 * and mail included: a downgrade anyone on the path can force by striking the capability. With
 * STARTTLS asked for, the session stops before signing in instead. Its session steps are private
 * to its types, so the check wraps its `auth` step (the first after the upgrade) on its prototype.
 */
type MailerSession = {
  startTls: boolean;
  secure: boolean;
  supportsStartTls: boolean;
  auth(): Promise<void>;
  reader: StreamReader;
  readTimeout(): Promise<string>;
};
const mailerSession = WorkerMailer.prototype as unknown as MailerSession;
const authAfterUpgrade = mailerSession.auth;
mailerSession.auth = function (this: MailerSession) {
  if (this.startTls && !this.secure && !this.supportsStartTls) {
    throw new SmtpError("SMTP: the server does not offer STARTTLS, which SMTP_SECURITY requires: nothing was sent in plain text.", false, null);
  }
  return authAfterUpgrade.call(this);
};

/**
 * worker-mailer 1.2.1 reads a reply in a loop that skips empty reads, so once the server has hung
 * up (a 421 closes the connection) the reader's `done` spins it on microtasks forever, starving
 * every timer (its reply timeout, our deadline): the send hangs. Every reply is read through
 * `readTimeout`, so that step wraps the session's reader (again after STARTTLS replaces it) to
 * throw at the end of the stream instead.
 */
type StreamReader = { read(): Promise<{ done: boolean; value?: Uint8Array }>; releaseLock(): void };
class HangUpReader implements StreamReader {
  constructor(private readonly stream: StreamReader) {}
  async read() {
    const chunk = await this.stream.read();
    if (chunk.done) throw new SmtpError("SMTP: the server closed the connection.", false, null);
    return chunk;
  }
  releaseLock() {
    this.stream.releaseLock();
  }
}
const readReply = mailerSession.readTimeout;
mailerSession.readTimeout = function (this: MailerSession) {
  if (!(this.reader instanceof HangUpReader)) this.reader = new HangUpReader(this.reader);
  return readReply.call(this);
};

function mailerOptions(settings: SmtpConfig): WorkerMailerOptions {
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    startTls: settings.security === "starttls",
    ...(settings.credentials && { credentials: settings.credentials, authType: ["plain", "login", "cram-md5"] }),
    // its own lines would carry addresses and replies to stdout; our errors carry what is needed
    logLevel: LogLevel.NONE,
    // worker-mailer times each reply by socketTimeoutMs too (not responseTimeoutMs)
    socketTimeoutMs: settings.timeoutMs,
    responseTimeoutMs: settings.timeoutMs,
  };
}

/** Sends the email, or throws SmtpError. */
export async function sendEmail(env: SmtpEnv, email: OutgoingEmail): Promise<void> {
  const settings = config(env);
  checkEmail(email);
  const timeout = deadline(settings.timeoutMs * SEND_TIMEOUT_STEPS);
  let mailer: WorkerMailer | undefined;
  const sending = (async () => {
    mailer = await WorkerMailer.connect(mailerOptions(settings));
    await mailer.send({
      from: email.fromName ? { name: email.fromName, email: settings.from } : settings.from,
      to: email.to,
      ...(email.replyTo && { reply: email.replyTo }),
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: { ...email.headers },
    });
  })();
  sending.catch(() => {}); // a send that outlives its deadline must not surface as unhandled
  try {
    await Promise.race([sending, timeout.promise]);
  } catch (error) {
    throw smtpError(error);
  } finally {
    timeout.cancel();
    // QUIT outside the deadline: once the server has taken the mail, a slow goodbye is no failure
    // (a retry would send it twice); close() swallows its own errors and times its reply
    await mailer?.close();
  }
}
