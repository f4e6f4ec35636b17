// The sandbox channel: a built-in payment processor that needs no credentials. One object per
// payment intent, named by the platform's idempotency key for the attempt, so a retried create
// answers the same intent. It behaves like a customer paying (the payment_method picks the
// outcome) and reports each outcome the way a real channel does: a signed webhook to
// POST /api/v1/webhooks/sandbox, through the platform's real ingress, retried until accepted.
import { DurableObject } from "cloudflare:workers";
import { randomBase62 } from "../shared/crypto";
import { signPayload } from "../shared/channels/signature";
import {
  SANDBOX_SIGNATURE_HEADER,
  type SandboxEvent,
  type SandboxFailure,
  type SandboxIntent,
  type SandboxIntentStatus,
  type SandboxPaymentMethod,
  type SandboxRefund,
  type SandboxResult,
} from "../shared/channels/sandbox/wire";
import { app } from "../workers/app";

/** A scheduled change of the intent; `after` is a fraction of SANDBOX_DELAY_MS. */
interface Step {
  after: number;
  status: SandboxIntentStatus;
  failure?: SandboxFailure;
}

const DECLINED: SandboxFailure = { code: "card_declined", message: "Your card was declined." };
const SUCCESS_STEPS: Step[] = [
  { after: 0.5, status: "processing" },
  { after: 1, status: "succeeded" },
];

/** What each payment method does when the payment is created, and when it is confirmed. */
const SCENARIOS: Record<
  SandboxPaymentMethod,
  { initial: SandboxIntentStatus; onCreate: Step[]; awaitsConfirmIn?: SandboxIntentStatus; onConfirm?: Step[] }
> = {
  pm_sandbox_success: { initial: "pending", onCreate: SUCCESS_STEPS },
  pm_sandbox_refund_fails: { initial: "pending", onCreate: SUCCESS_STEPS },
  pm_sandbox_declined: { initial: "pending", onCreate: [{ after: 1, status: "failed", failure: DECLINED }] },
  pm_sandbox_requires_action: {
    initial: "requires_action",
    onCreate: [{ after: 0, status: "requires_action" }],
    awaitsConfirmIn: "requires_action",
    onConfirm: [
      { after: 0, status: "processing" },
      { after: 0.5, status: "succeeded" },
    ],
  },
  pm_sandbox_processing: {
    initial: "pending",
    onCreate: [{ after: 0.5, status: "processing" }],
    awaitsConfirmIn: "processing",
    onConfirm: [{ after: 0, status: "succeeded" }],
  },
};

const CANCELLABLE: SandboxIntentStatus[] = ["pending", "requires_action"];
const REFUND_FAILED: SandboxFailure = { code: "refund_failed", message: "The sandbox declined the refund." };

interface Scheduled {
  at: number;
  step?: Step;
  refundId?: string;
}

interface Delivery {
  event: SandboxEvent;
  attempts: number;
  at: number;
}

const fail = (code: string, message: string): SandboxResult<never> => ({ ok: false, code, message });

export class SandboxProcessorDO extends DurableObject<Env> {
  private get delayMs() {
    return Number(this.env.SANDBOX_DELAY_MS ?? 1000);
  }

  private get intent() {
    return this.ctx.storage.kv.get<SandboxIntent>("intent");
  }

  private refunds(): Record<string, SandboxRefund> {
    return this.ctx.storage.kv.get<Record<string, SandboxRefund>>("refunds") ?? {};
  }

  async createIntent(input: {
    paymentNo: string;
    amount: number;
    currency: string;
    paymentMethod: SandboxPaymentMethod;
  }): Promise<SandboxResult<SandboxIntent>> {
    const existing = this.intent;
    if (existing) return { ok: true, value: existing };
    const scenario = SCENARIOS[input.paymentMethod];
    const id = `sbpi_${this.ctx.id.toString()}`;
    const intent: SandboxIntent = {
      id,
      object: "sandbox.payment_intent",
      payment_no: input.paymentNo,
      amount: input.amount,
      currency: input.currency,
      status: scenario.initial,
      payment_method: input.paymentMethod,
      client_secret: `${id}_secret_${randomBase62(24)}`,
      failure: null,
      created: Math.floor(Date.now() / 1000),
    };
    this.ctx.storage.kv.put("intent", intent);
    await this.schedule(scenario.onCreate.map((step) => ({ step })));
    return { ok: true, value: intent };
  }

  async getIntent(): Promise<SandboxResult<SandboxIntent>> {
    const intent = this.intent;
    return intent ? { ok: true, value: intent } : fail("resource_missing", "No such payment intent.");
  }

  /** The customer completes the payment (3-D Secure passed, bank transfer arrived, …). */
  async confirmIntent(): Promise<SandboxResult<SandboxIntent>> {
    const intent = this.intent;
    if (!intent) return fail("resource_missing", "No such payment intent.");
    const scenario = SCENARIOS[intent.payment_method];
    if (!scenario.onConfirm || intent.status !== scenario.awaitsConfirmIn || this.pendingSteps()) {
      return fail("intent_unexpected_state", `A ${intent.status} payment with ${intent.payment_method} cannot be confirmed.`);
    }
    await this.schedule(scenario.onConfirm.map((step) => ({ step })));
    return { ok: true, value: intent };
  }

  async cancelIntent(): Promise<SandboxResult<SandboxIntent>> {
    const intent = this.intent;
    if (!intent) return fail("resource_missing", "No such payment intent.");
    if (intent.status === "cancelled") return { ok: true, value: intent };
    if (!CANCELLABLE.includes(intent.status)) {
      return fail("intent_unexpected_state", `A ${intent.status} payment cannot be cancelled.`);
    }
    this.ctx.storage.kv.put<Scheduled[]>("scheduled", []);
    const cancelled = this.apply({ after: 0, status: "cancelled" });
    await this.rearm();
    return { ok: true, value: cancelled };
  }

  async createRefund(input: {
    refundNo: string;
    amount: number;
  }): Promise<SandboxResult<SandboxRefund>> {
    const intent = this.intent;
    if (!intent) return fail("resource_missing", "No such payment intent.");
    const refunds = this.refunds();
    const existing = Object.values(refunds).find((r) => r.refund_no === input.refundNo);
    if (existing) return { ok: true, value: existing };
    if (intent.status !== "succeeded") {
      return fail("charge_not_refundable", `A ${intent.status} payment cannot be refunded.`);
    }
    const refunded = Object.values(refunds)
      .filter((r) => r.status !== "failed")
      .reduce((sum, r) => sum + r.amount, 0);
    if (refunded + input.amount > intent.amount) {
      return fail("amount_too_large", "Refund amount exceeds the unrefunded amount of the payment.");
    }
    const refund: SandboxRefund = {
      id: `sbre_${this.ctx.id.toString()}_${Object.keys(refunds).length + 1}`,
      object: "sandbox.refund",
      refund_no: input.refundNo,
      payment_no: intent.payment_no,
      payment_intent: intent.id,
      amount: input.amount,
      status: "pending",
      failure: null,
      created: Math.floor(Date.now() / 1000),
    };
    this.ctx.storage.kv.put("refunds", { ...refunds, [refund.id]: refund });
    await this.schedule([{ refundId: refund.id }]);
    return { ok: true, value: refund };
  }

  async getRefund(refundId: string): Promise<SandboxResult<SandboxRefund>> {
    const refund = this.refunds()[refundId];
    return refund ? { ok: true, value: refund } : fail("resource_missing", "No such refund.");
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const scheduled = this.ctx.storage.kv.get<Scheduled[]>("scheduled") ?? [];
    const due = scheduled.filter((s) => s.at <= now);
    this.ctx.storage.kv.put("scheduled", scheduled.filter((s) => s.at > now));
    for (const item of due) {
      if (item.step) this.apply(item.step);
      if (item.refundId) this.settleRefund(item.refundId);
    }
    await this.deliverDue(now);
    await this.rearm();
  }

  private pendingSteps(): boolean {
    return (this.ctx.storage.kv.get<Scheduled[]>("scheduled") ?? []).some((s) => s.step);
  }

  private async schedule(items: Array<Omit<Scheduled, "at"> & { step?: Step }>): Promise<void> {
    const now = Date.now();
    const scheduled = this.ctx.storage.kv.get<Scheduled[]>("scheduled") ?? [];
    for (const item of items) {
      scheduled.push({ ...item, at: now + Math.round((item.step?.after ?? 1) * this.delayMs) });
    }
    this.ctx.storage.kv.put("scheduled", scheduled);
    await this.rearm();
  }

  private apply(step: Step): SandboxIntent {
    const intent: SandboxIntent = { ...this.intent!, status: step.status, failure: step.failure ?? null };
    this.ctx.storage.kv.put("intent", intent);
    this.enqueue(`payment_intent.${step.status}`, intent);
    return intent;
  }

  private settleRefund(refundId: string): void {
    const refunds = this.refunds();
    const fails = this.intent!.payment_method === "pm_sandbox_refund_fails";
    const refund: SandboxRefund = {
      ...refunds[refundId]!,
      status: fails ? "failed" : "succeeded",
      failure: fails ? REFUND_FAILED : null,
    };
    this.ctx.storage.kv.put("refunds", { ...refunds, [refundId]: refund });
    this.enqueue(`refund.${refund.status as "succeeded" | "failed"}`, refund);
  }

  private enqueue(type: SandboxEvent["type"], object: SandboxIntent | SandboxRefund): void {
    const event: SandboxEvent = {
      id: `evt_sb_${randomBase62(20)}`,
      object: "event",
      type,
      created: Math.floor(Date.now() / 1000),
      data: { object },
    };
    const deliveries = this.ctx.storage.kv.get<Delivery[]>("deliveries") ?? [];
    deliveries.push({ event, attempts: 0, at: Date.now() });
    this.ctx.storage.kv.put("deliveries", deliveries);
  }

  /** Posts due webhooks, in order, to the platform; a refused one is retried with backoff. */
  private async deliverDue(now: number): Promise<void> {
    const deliveries = this.ctx.storage.kv.get<Delivery[]>("deliveries") ?? [];
    const remaining: Delivery[] = [];
    for (const delivery of deliveries) {
      if (delivery.at > now || !(await this.post(delivery.event))) {
        const attempts = delivery.at > now ? delivery.attempts : delivery.attempts + 1;
        const at = delivery.at > now ? delivery.at : now + Math.min(60_000, 500 * 2 ** attempts);
        remaining.push({ ...delivery, attempts, at });
      }
    }
    this.ctx.storage.kv.put("deliveries", remaining);
  }

  private async post(event: SandboxEvent): Promise<boolean> {
    const secret = this.env.SANDBOX_WEBHOOK_SECRET;
    if (!secret) return false;
    const body = JSON.stringify(event);
    const signature = await signPayload(secret, body, Math.floor(Date.now() / 1000));
    // The platform's own HTTP stack, in-process: same routing, verification, dedupe and queue.
    const request = new Request("https://sandbox.internal/api/v1/webhooks/sandbox", {
      method: "POST",
      headers: { "Content-Type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signature },
      body,
    });
    try {
      const response = await app.fetch(request, this.env, this.ctx as unknown as ExecutionContext);
      return response.ok;
    } catch {
      return false;
    }
  }

  private async rearm(): Promise<void> {
    const times = [
      ...(this.ctx.storage.kv.get<Scheduled[]>("scheduled") ?? []).map((s) => s.at),
      ...(this.ctx.storage.kv.get<Delivery[]>("deliveries") ?? []).map((d) => d.at),
    ];
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...times));
  }
}
