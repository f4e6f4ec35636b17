/** One received mail, as GET /api/messages lists it (newest first). */
export interface ReceivedMail {
  /** m1, m2, …: its page is /messages/:id. */
  id: string;
  /** The From, To and Reply-To headers as written ("Shop" <receipts@…>). */
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  /** The Date header (ISO 8601), if it parsed. */
  date: string | null;
  messageId: string;
  /** MAIL FROM and RCPT TO. */
  envelope: { from: string; to: string[] };
  text: string;
  html: string;
  /** Every header: lower-case name -> unfolded value (repeated ones joined by newlines), e.g. traceparent. */
  headers: Record<string, string>;
  receivedAt: string;
}

/** One SMTP connection (GET /api/sessions): the command names the client sent, in order, and connection errors (TLS). */
export interface SmtpSessionRecord {
  id: string;
  commands: string[];
  errors: string[];
}

/**
 * `smtpPort`/`webPort` 0 take any free port (the result names them). With `user` and `password`,
 * AUTH PLAIN/LOGIN is required and checked; `startTls` offers STARTTLS (self-signed); `max` mails
 * are kept (500).
 */
export function startSmtpServer(options?: {
  smtpPort?: number;
  webPort?: number;
  user?: string;
  password?: string;
  startTls?: boolean;
  max?: number;
}): Promise<{ smtpPort: number; url: string; messages(): ReceivedMail[]; close(): Promise<void> }>;
