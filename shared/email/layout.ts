// One layout for every email the platform sends: a heading, a paragraph, a table of facts and a
// closing line, as plain text and as HTML. Every value is escaped here, so a merchant's name or
// an order number can never become markup in someone's mail client.

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface EmailBody {
  /** The HTML's lang attribute (en, zh-CN). */
  lang: string;
  subject: string;
  intro: string;
  facts: Array<[label: string, value: string]>;
  closing: string;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

export function renderEmail(body: EmailBody): EmailContent {
  const text = [body.intro, "", ...body.facts.map(([label, value]) => `${label}: ${value}`), "", body.closing, ""].join("\n");
  const rows = body.facts
    .map(([label, value]) => `<tr><th align="left" style="padding:4px 16px 4px 0;font-weight:normal;color:#555">${escapeHtml(label)}</th><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`)
    .join("");
  const html =
    `<!doctype html><html lang="${escapeHtml(body.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(body.subject)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;color:#222;max-width:560px;margin:0 auto;padding:16px">` +
    `<p>${escapeHtml(body.intro)}</p><table style="border-collapse:collapse">${rows}</table>` +
    `<p style="color:#555">${escapeHtml(body.closing)}</p></body></html>`;
  return { subject: body.subject, text, html };
}
