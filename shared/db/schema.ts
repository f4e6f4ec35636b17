// Drizzle mirror of d1-migrations/. The SQL files are the source of truth for DDL;
// test/workers/schema.test.ts fails if a column here drifts from the migrated database.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, unique, uniqueIndex } from "drizzle-orm/sqlite-core";

const livemode = () => integer("livemode", { mode: "boolean" }).notNull();
const ms = (name: string) => integer(name);

export const merchants = sqliteTable(
  "merchants",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    status: text("status", { enum: ["active", "suspended"] }).notNull().default("active"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    index("idx_merchants_created_at").on(t.createdAt, t.id),
    index("idx_merchants_status").on(t.status, t.createdAt, t.id),
    index("idx_merchants_email").on(t.email, t.createdAt, t.id),
  ],
);

export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  merchantId: text("merchant_id").notNull(),
  livemode: livemode(),
  keyHash: text("key_hash").notNull().unique(),
  keyPrefix: text("key_prefix").notNull(),
  createdAt: ms("created_at").notNull(),
  revokedAt: ms("revoked_at"),
  lastUsedAt: ms("last_used_at"),
});

export const payments = sqliteTable(
  "payments",
  {
    paymentNo: text("payment_no").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    orderNo: text("order_no").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    channel: text("channel").notNull(),
    channelPaymentId: text("channel_payment_id"),
    paymentMethod: text("payment_method"),
    customerEmail: text("customer_email"),
    customerName: text("customer_name"),
    description: text("description"),
    notifyUrl: text("notify_url"),
    returnUrl: text("return_url"),
    metadata: text("metadata").notNull().default("{}"),
    refundedAmount: integer("refunded_amount").notNull().default(0),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    paidAt: ms("paid_at"),
    version: integer("version").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    disputedAt: ms("disputed_at"),
    /** JSON: money that did not go as asked (PaymentException[]). */
    exceptions: text("exceptions").notNull().default("[]"),
    /** open, approved or rejected when a risk review rule flagged the payment; null otherwise. */
    reviewStatus: text("review_status"),
    /** BCP 47, as the create gave it: the language of the buyer's receipts; null: English. */
    language: text("language"),
  },
  (t) => [index("idx_payments_merchant_created").on(t.merchantId, t.livemode, t.createdAt)],
);

export const refunds = sqliteTable("refunds", {
  refundNo: text("refund_no").primaryKey(),
  paymentNo: text("payment_no").notNull(),
  merchantId: text("merchant_id").notNull(),
  livemode: livemode(),
  amount: integer("amount").notNull(),
  currency: text("currency").notNull(),
  status: text("status").notNull(),
  reason: text("reason"),
  channel: text("channel").notNull(),
  channelRefundId: text("channel_refund_id"),
  metadata: text("metadata").notNull().default("{}"),
  errorCode: text("error_code"),
  errorMessage: text("error_message"),
  version: integer("version").notNull(),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const paymentCallbacks = sqliteTable(
  "payment_callbacks",
  {
    id: text("id").primaryKey(),
    channel: text("channel").notNull(),
    /** The merchant whose own channel account sent the event, or PLATFORM_ACCOUNT. */
    account: text("account").notNull().default("platform"),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    paymentNo: text("payment_no"),
    refundNo: text("refund_no"),
    payload: text("payload").notNull(),
    /** The request that delivered the event first (the audit trail of an accepted webhook). */
    requestId: text("request_id"),
    status: text("status", { enum: ["received", "applied", "ignored", "failed"] })
      .notNull()
      .default("received"),
    /** Why the event changed nothing (ignored), or why applying it failed. */
    detail: text("detail"),
    /** Re-drives by the cron so far, and when the next may run (backoff). */
    attempts: integer("attempts").notNull().default(0),
    retryAt: ms("retry_at"),
    receivedAt: ms("received_at").notNull(),
    processedAt: ms("processed_at"),
  },
  (t) => [unique().on(t.channel, t.account, t.eventId)],
);

/** Routing configurations: versions per merchant and mode, at most one active (d1-migrations/0018). */
export const paymentRoutes = sqliteTable(
  "payment_routes",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    /** JSON: the configuration as its schema output it (shared/routing/config.ts). */
    config: text("config").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(false),
    createdAt: ms("created_at").notNull(),
    activatedAt: ms("activated_at"),
  },
  (t) => [
    unique().on(t.merchantId, t.livemode, t.version),
    uniqueIndex("idx_payment_routes_active").on(t.merchantId, t.livemode).where(sql`active = 1`),
  ],
);

export const orders = sqliteTable("orders", {
  orderNo: text("order_no").primaryKey(),
  merchantId: text("merchant_id").notNull(),
  livemode: livemode(),
  merchantReference: text("merchant_reference"),
  customerEmail: text("customer_email").notNull(),
  customerName: text("customer_name"),
  currency: text("currency").notNull(),
  totalAmount: integer("total_amount").notNull(),
  paidAmount: integer("paid_amount").notNull().default(0),
  refundedAmount: integer("refunded_amount").notNull().default(0),
  status: text("status").notNull(),
  paymentNo: text("payment_no"),
  shipping: text("shipping"),
  carrier: text("carrier"),
  trackingNo: text("tracking_no"),
  metadata: text("metadata").notNull().default("{}"),
  paidAt: ms("paid_at"),
  shippedAt: ms("shipped_at"),
  completedAt: ms("completed_at"),
  cancelledAt: ms("cancelled_at"),
  version: integer("version").notNull(),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const orderItems = sqliteTable("order_items", {
  id: text("id").primaryKey(),
  orderNo: text("order_no").notNull(),
  position: integer("position").notNull(),
  productId: text("product_id").notNull(),
  productName: text("product_name").notNull(),
  unitPrice: integer("unit_price").notNull(),
  quantity: integer("quantity").notNull(),
  lineTotal: integer("line_total").notNull(),
});

export const orderLogs = sqliteTable("order_logs", {
  id: text("id").primaryKey(),
  orderNo: text("order_no").notNull(),
  fromStatus: text("from_status"),
  toStatus: text("to_status").notNull(),
  cause: text("cause").notNull(),
  actor: text("actor").notNull(),
  createdAt: ms("created_at").notNull(),
});

export const orderStatistics = sqliteTable(
  "order_statistics",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    day: text("day").notNull(),
    currency: text("currency").notNull(),
    orderCount: integer("order_count").notNull(),
    paidCount: integer("paid_count").notNull(),
    grossAmount: integer("gross_amount").notNull(),
    refundedAmount: integer("refunded_amount").notNull(),
    netAmount: integer("net_amount").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode, t.day, t.currency] })],
);

/** Finished UTC days of payments per channel and currency, rolled up by the cron (d1-migrations/0012). */
export const paymentStatistics = sqliteTable(
  "payment_statistics",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    day: text("day").notNull(),
    channel: text("channel").notNull(),
    currency: text("currency").notNull(),
    paymentCount: integer("payment_count").notNull(),
    succeededCount: integer("succeeded_count").notNull(),
    succeededAmount: integer("succeeded_amount").notNull(),
    failedCount: integer("failed_count").notNull(),
    /** JSON object: each failure code of the day's failed payments → how many. */
    failureCodes: text("failure_codes").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode, t.day, t.channel, t.currency] })],
);

/** Where the cron's rollups (order_statistics, payment_statistics) stand (d1-migrations/0006). */
export const statisticsRollups = sqliteTable("statistics_rollups", {
  name: text("name").primaryKey(),
  rolledThrough: text("rolled_through"),
  watermark: ms("watermark").notNull(),
});

export const channelConfigs = sqliteTable("channel_configs", {
  id: text("id").primaryKey(),
  merchantId: text("merchant_id"),
  channel: text("channel").notNull(),
  livemode: livemode(),
  /** The account at the channel the credentials opened when they were checked. */
  accountId: text("account_id"),
  secretEncrypted: text("secret_encrypted"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

/** Payments' attempts, one row each (id `<payment_no>:<attempt_no>`), projected from PaymentDO. */
export const transactions = sqliteTable("transactions", {
  id: text("id").primaryKey(),
  merchantId: text("merchant_id").notNull(),
  livemode: livemode(),
  paymentNo: text("payment_no").notNull(),
  attemptNo: integer("attempt_no").notNull(),
  /** payment_attempt; the seed's refund rows may follow. */
  type: text("type").notNull(),
  refundNo: text("refund_no"),
  channel: text("channel").notNull(),
  channelAccount: text("channel_account"),
  channelTxnId: text("channel_txn_id"),
  amount: integer("amount").notNull(),
  currency: text("currency").notNull(),
  paymentMethod: text("payment_method"),
  status: text("status").notNull(),
  errorCode: text("error_code"),
  errorMessage: text("error_message"),
  latencyMs: integer("latency_ms"),
  version: integer("version").notNull(),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
}, (t) => [index("idx_transactions_created_at").on(t.createdAt)]);

export const webhookLogs = sqliteTable("webhook_logs", {
  id: text("id").primaryKey(),
  channel: text("channel").notNull(),
  eventId: text("event_id"),
  eventType: text("event_type"),
  verified: integer("verified", { mode: "boolean" }).notNull(),
  httpStatus: integer("http_status").notNull(),
  error: text("error"),
  requestId: text("request_id").notNull(),
  receivedAt: ms("received_at").notNull(),
});

export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    body: text("body").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: ms("created_at").notNull(),
    replayedAt: ms("replayed_at"),
  },
  (t) => [unique().on(t.queue, t.messageId)],
);

export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    type: text("type").notNull(),
    paymentNo: text("payment_no"),
    refundNo: text("refund_no"),
    orderNo: text("order_no"),
    seq: integer("seq").notNull(),
    data: text("data").notNull(),
    createdAt: ms("created_at").notNull(),
    targetUrl: text("target_url"),
    deliveryStatus: text("delivery_status", { enum: ["pending", "delivered", "failed", "skipped"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    deliveredAt: ms("delivered_at"),
    /** When the notifications consumer next tries an undelivered event. */
    nextAttemptAt: ms("next_attempt_at"),
  },
  (t) => [unique().on(t.paymentNo, t.seq), unique().on(t.orderNo, t.seq)],
);

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    url: text("url"),
    events: text("events").notNull().default("[]"),
    secretSealed: text("secret_sealed").notNull(),
    previousSealed: text("previous_sealed"),
    previousExpiresAt: ms("previous_expires_at"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode] })],
);

export const eventDeliveries = sqliteTable("event_deliveries", {
  id: text("id").primaryKey(),
  eventId: text("event_id").notNull(),
  attempt: integer("attempt").notNull(),
  url: text("url").notNull(),
  statusCode: integer("status_code"),
  latencyMs: integer("latency_ms").notNull(),
  responseExcerpt: text("response_excerpt"),
  error: text("error"),
  createdAt: ms("created_at").notNull(),
});

/** Risk rules in Radar's syntax; merchant_id null: a platform rule, run before every merchant's own. */
export const riskRules = sqliteTable(
  "risk_rules",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id"),
    livemode: livemode(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    action: text("action", { enum: ["allow", "block", "review"] }).notNull(),
    predicate: text("predicate").notNull(),
    shadow: integer("shadow", { mode: "boolean" }).notNull().default(false),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("idx_risk_rules_owner").on(t.merchantId, t.livemode, t.position)],
);

/** Items of a merchant's block and allow lists, normalised. */
export const riskListItems = sqliteTable(
  "risk_list_items",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    list: text("list").notNull(),
    value: text("value").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.livemode, t.list, t.value] }),
    index("idx_risk_list_items_created").on(t.merchantId, t.livemode, t.list, t.createdAt, t.value),
  ],
);

/** US dollars per major unit of each currency (a decimal string), for :amount_in_usd:. */
export const currencyRates = sqliteTable("currency_rates", {
  currency: text("currency").primaryKey(),
  usdRate: text("usd_rate").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

/** Per merchant and mode: whether the built-in risk rules run (no row: they do). */
export const riskSettings = sqliteTable(
  "risk_settings",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    builtinRules: integer("builtin_rules", { mode: "boolean" }).notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode] })],
);

export const USER_ROLES = ["owner", "developer", "analyst"] as const;
export const OPERATOR_ROLES = ["admin", "support"] as const;

/** People who sign in to the dashboard: merchants' users and the platform's operators. */
export const dashboardUsers = sqliteTable(
  "dashboard_users",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["merchant", "operator"] }).notNull(),
    merchantId: text("merchant_id"),
    email: text("email").notNull().unique(),
    role: text("role", { enum: [...USER_ROLES, ...OPERATOR_ROLES] }).notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("idx_dashboard_users_merchant").on(t.merchantId, t.createdAt, t.id)],
);

export const dashboardSessions = sqliteTable(
  "dashboard_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    revokedAt: ms("revoked_at"),
  },
  (t) => [index("idx_dashboard_sessions_user").on(t.userId)],
);

export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    key: text("key").notNull(),
    windowStart: ms("window_start").notNull(),
    failures: integer("failures").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    createdAt: ms("created_at").notNull(),
    actorType: text("actor_type", { enum: ["user", "operator", "admin_token", "anonymous"] }).notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    merchantId: text("merchant_id"),
    livemode: integer("livemode", { mode: "boolean" }),
    action: text("action").notNull(),
    target: text("target").notNull(),
    status: integer("status").notNull(),
    ip: text("ip"),
    requestId: text("request_id"),
  },
  (t) => [
    index("idx_audit_log_created").on(t.createdAt, t.id),
    index("idx_audit_log_merchant").on(t.merchantId, t.createdAt, t.id),
    index("idx_audit_log_actor").on(t.actorId, t.createdAt, t.id),
  ],
);

/** Per merchant: whether its customers get receipts, in whose name, and where they reply (no row: none). */
export const receiptSettings = sqliteTable("receipt_settings", {
  merchantId: text("merchant_id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull(),
  businessName: text("business_name"),
  supportEmail: text("support_email"),
  updatedAt: ms("updated_at").notNull(),
});

export const EMAIL_KINDS = ["receipt.payment", "receipt.refund", "alert.circuit_opened", "alert.dead_letters"] as const;
export const EMAIL_STATUSES = ["pending", "sending", "sent", "failed", "unknown"] as const;

/** Each email once per (what it is about, recipient), and where its sending stands. */
export const emails = sqliteTable(
  "emails",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: EMAIL_KINDS }).notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    recipient: text("recipient").notNull(),
    merchantId: text("merchant_id"),
    /** The mode it is about; null for an alert about the platform. */
    livemode: integer("livemode", { mode: "boolean" }),
    status: text("status", { enum: EMAIL_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: ms("created_at").notNull(),
    sentAt: ms("sent_at"),
  },
  (t) => [unique().on(t.dedupeKey, t.recipient), index("idx_emails_kind_created").on(t.kind, t.createdAt)],
);

/** Every SMTP attempt of an email. */
export const emailAttempts = sqliteTable(
  "email_attempts",
  {
    emailId: text("email_id").notNull(),
    attempt: integer("attempt").notNull(),
    outcome: text("outcome", { enum: ["sent", "retry", "failed"] }).notNull(),
    smtpCode: integer("smtp_code"),
    error: text("error"),
    at: ms("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.emailId, t.attempt] })],
);

/** Metric counters (d1-migrations/0027): labels is the exposition's canonical label string. */
export const metricCounters = sqliteTable(
  "metric_counters",
  { name: text("name").notNull(), labels: text("labels").notNull(), value: integer("value").notNull() },
  (t) => [primaryKey({ columns: [t.name, t.labels] })],
);

/** Metric histograms: one row per bucket, with the count and sum of the observations in it (not cumulative). */
export const metricHistograms = sqliteTable(
  "metric_histograms",
  {
    name: text("name").notNull(),
    labels: text("labels").notNull(),
    le: text("le").notNull(),
    count: integer("count").notNull(),
    sum: real("sum").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.labels, t.le] })],
);

/** Each merchant's routing circuits as last moved (written by RoutingHealthDO on a change of state). */
export const routingCircuits = sqliteTable(
  "routing_circuits",
  {
    merchantId: text("merchant_id").notNull(),
    livemode: livemode(),
    channel: text("channel").notNull(),
    state: text("state", { enum: ["closed", "open", "half_open"] }).notNull(),
    changedAt: ms("changed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.livemode, t.channel] }), index("idx_routing_circuits_state").on(t.state, t.channel, t.changedAt)],
);
