import { forbidden } from "../shared/errors";
import type { Merchant } from "../shared/merchants/merchant-store";

/** Which merchant and mode a merchant route acts for: set by middleware/merchant-auth.ts. */
export interface AuthContext {
  merchant: Merchant;
  /** The API key used; null when a person signed in to the dashboard calls. */
  keyId: string | null;
  livemode: boolean;
}

/** A person (dashboard user, operator) or the admin token: whose changes the audit log records. */
export interface Actor {
  type: "user" | "operator" | "admin_token";
  id: string | null;
  email: string | null;
  role: string;
  /** A merchant user's merchant: the audit log's merchant for their sign-in and sign-out too. */
  merchantId: string | null;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    auth: AuthContext;
    /** Set for people and the admin token, never for a merchant's API key. */
    actor?: Actor;
    /**
     * Set by a handler whose answer shows a secret once: the answer is not kept for
     * Idempotency-Key replays, which get 409 with this message instead (middleware/idempotency.ts).
     */
    withheldOnReplay?: string;
    /** The JSON body, parsed once by middleware/json-body.ts (undefined: the request has none). */
    jsonBody?: unknown;
  };
}

/** The owner every record lookup is scoped to: the key's merchant, in the key's mode. */
export const ownerOf = (auth: AuthContext) => ({ merchantId: auth.merchant.id, livemode: auth.livemode });

/** A body's optional merchant_id must be the key's merchant; the answer names both (the caller's own id). */
export function checkMerchantId(auth: AuthContext, merchantId: string | undefined): void {
  if (merchantId !== undefined && merchantId !== auth.merchant.id) {
    throw forbidden(
      "merchant_mismatch",
      `merchant_id '${merchantId}' is not the merchant of this API key ('${auth.merchant.id}').`,
      "merchant_id",
    );
  }
}
