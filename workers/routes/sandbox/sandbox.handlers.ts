import { ChannelError } from "../../../shared/channels/adapter";
import { SandboxAdapter } from "../../../shared/channels/sandbox/adapter";
import { sandboxCondition, setSandboxCondition } from "../../../shared/channels/sandbox/conditions";
import { conflict, forbidden, invalidRequest, notFound } from "../../../shared/errors";
import { ownerOf, type AuthContext } from "../../app-env";
import type { AppRouteHandler } from "../../openapi/router";
import { ownPaymentStub } from "../payments/payments.handlers";
import { toPaymentJson } from "../payments/payments.schemas";
import type * as routes from "./sandbox.routes";
import { toConditionsJson } from "./sandbox.schemas";

export const confirmSandboxPayment: AppRouteHandler<typeof routes.confirmSandboxPayment> = async (c) => {
  const { paymentNo } = c.req.valid("param");
  const payment = await ownPaymentStub(c.env, paymentNo).get(ownerOf(c.get("auth")));
  if (!payment) throw notFound("payment", paymentNo);
  if (payment.channel !== "sandbox") {
    throw invalidRequest("channel_mismatch", `Payment ${paymentNo} is not a sandbox payment.`);
  }
  if (payment.channelPaymentId === null) {
    throw conflict("payment_unexpected_state", "The payment has not reached the sandbox.");
  }
  try {
    await new SandboxAdapter(c.env).confirmPayment(payment.channelPaymentId);
  } catch (error) {
    if (error instanceof ChannelError && error.status === 409) throw conflict("payment_unexpected_state", error.message);
    throw error;
  }
  return c.json(toPaymentJson(payment), 200);
};

/** The sandbox takes test-mode payments only, so a live key has no condition to read or set. */
function testKeyOnly(auth: AuthContext): string {
  if (auth.livemode) {
    throw forbidden("test_mode_only", "The sandbox serves test mode only: read and set its conditions with your test key (sk_test_…), not a live key.");
  }
  return auth.merchant.id;
}

export const getSandboxConditions: AppRouteHandler<typeof routes.getSandboxConditions> = async (c) => {
  const merchantId = testKeyOnly(c.get("auth"));
  return c.json(toConditionsJson(await sandboxCondition(c.env, merchantId)), 200);
};

export const setSandboxConditions: AppRouteHandler<typeof routes.setSandboxConditions> = async (c) => {
  const merchantId = testKeyOnly(c.get("auth"));
  const { mode, share } = c.req.valid("json");
  // "up" is no condition at all: share 0, as a merchant that never set one reads
  const condition = { mode, share: mode === "up" ? 0 : share, updatedAt: Date.now() };
  await setSandboxCondition(c.env, merchantId, condition);
  return c.json(toConditionsJson(condition), 200);
};
