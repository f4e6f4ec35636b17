// Receipts: whether customers get a receipt by email, in whose name, and where they reply
// (GET/PUT /api/v1/merchant/receipts). One setting for both modes. Owners change it; the other
// roles read.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { roleMay } from "../../../../shared/access/permissions";
import { api } from "../../api";
import { DetailsList } from "../../components/details-list";
import { DoneBanner } from "../../components/done-banner";
import { ErrorBanner } from "../../components/error-banner";
import { CheckboxField, TextField } from "../../components/field";
import { Time } from "../../components/time";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";
import { useChange } from "../../use-change";

/** ReceiptSettingsSchema (workers/routes/merchant/receipts.routes.ts). */
interface ReceiptSettings {
  object: "receipt_settings";
  enabled: boolean;
  /** Null: the merchant's name. */
  business_name: string | null;
  support_email: string | null;
  /** Null until an owner first saves them. */
  updated_at: string | null;
}

interface ReceiptSettingsBody {
  enabled: boolean;
  business_name: string | null;
  support_email: string | null;
}

const PATH = "/api/v1/merchant/receipts";

export function ReceiptsPage() {
  const { user } = useSession();
  const found = useApiGet<ReceiptSettings>(PATH);
  const change = useChange();
  const owner = roleMay(user.role, "PUT", PATH);
  const settings = found.data;

  const save = (body: ReceiptSettingsBody) =>
    change.run(async () => {
      const saved = await api<ReceiptSettings>(PATH, { method: "PUT", body });
      found.reload();
      return saved.enabled
        ? `Saved: receipts are on, sent as ${saved.business_name ?? user.merchant_name}; replies go to ${saved.support_email}.`
        : "Saved: receipts are off.";
    });

  return html`<section>
    <h1>Receipts</h1>
    <p>
      When a payment or a refund succeeds, its customer gets a receipt at the payment's <code>customer_email</code>, in the
      payment's language (Chinese for <code>zh</code>, English otherwise). One setting covers both modes; a test receipt says
      [TEST] in its subject.
    </p>
    <${ErrorBanner} error=${found.error} />
    <${ErrorBanner} error=${change.error} />
    <${DoneBanner} text=${change.done} />
    ${settings === undefined
      ? found.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<div class="panel">
          <h2>Settings</h2>
          <${DetailsList}
            label="Receipt settings"
            rows=${[
              ["Receipts", settings.enabled ? "On" : "Off"],
              ["Sent as", settings.business_name ?? `${user.merchant_name} (your merchant name)`],
              ["Replies go to", settings.support_email ?? "—"],
              ["Last changed", settings.updated_at ? html`<${Time} value=${settings.updated_at} />` : "Never"],
            ]}
          />
          ${owner
            ? html`<${ReceiptsForm} key=${settings.updated_at ?? "none"} settings=${settings} disabled=${change.busy} onSave=${save} />`
            : html`<p class="hint">Your role can read these settings; an owner changes them.</p>`}
        </div>`}
  </section>`;
}

function ReceiptsForm({
  settings,
  disabled,
  onSave,
}: {
  settings: ReceiptSettings;
  disabled: boolean;
  onSave: (body: ReceiptSettingsBody) => void;
}) {
  const [enabled, setEnabled] = useState(settings.enabled);
  const [businessName, setBusinessName] = useState(settings.business_name ?? "");
  const [supportEmail, setSupportEmail] = useState(settings.support_email ?? "");
  const submit = (event: Event) => {
    event.preventDefault();
    // an emptied field is unset: the API's null
    onSave({ enabled, business_name: businessName.trim() || null, support_email: supportEmail.trim() || null });
  };
  return html`<form onSubmit=${submit} aria-label="Change receipt settings">
    <fieldset class="form-fields" disabled=${disabled}>
      <${CheckboxField} label="Send receipts to customers" checked=${enabled} onChecked=${setEnabled} />
      <${TextField}
        label="Business name"
        name="business_name"
        value=${businessName}
        onValue=${setBusinessName}
        hint="The From name and the name in the text; empty: your merchant name."
      />
      <${TextField}
        label="Support email"
        type="email"
        name="support_email"
        autocomplete="email"
        value=${supportEmail}
        onValue=${setSupportEmail}
        hint="Customers' replies go here (Reply-To), and the receipt names it. Required to send receipts."
      />
      <button type="submit" class="primary">Save receipt settings</button>
    </fieldset>
  </form>`;
}
