import type { Context } from "hono";
import { html } from "hono/html";
import type { PaymentRecord } from "../../../shared/payments/payment";
import { paymentStub } from "../../../shared/payments/stub";
import { ApiError, notFound } from "../../../shared/errors";
import type { AppEnv } from "../../app-env";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./checkout.routes";

/** Sends the buyer on to the merchant's return_url, or shows the status when there is none. */
function forward(c: Context<AppEnv>, payment: PaymentRecord) {
  if (!payment.returnUrl) {
    return c.html(
      html`<!doctype html><html lang="en"><meta charset="utf-8"><title>Payment ${payment.status}</title>
        <body><main><h1>Payment ${payment.status}</h1><p>Payment ${payment.paymentNo}. You may close this window.</p></main></body></html>`,
      200,
    );
  }
  const to = new URL(payment.returnUrl);
  to.searchParams.set("payment_no", payment.paymentNo);
  to.searchParams.set("status", payment.status);
  return c.redirect(to.toString(), 303);
}

function stubOf(env: Env, paymentNo: string) {
  const stub = paymentStub(env, paymentNo);
  if (!stub) throw notFound("payment", paymentNo);
  return stub;
}

export const checkoutReturn: AppRouteHandler<typeof routes.checkoutReturn> = async (c) => {
  const { paymentNo } = c.req.valid("param");
  const { token } = c.req.valid("query");
  const outcome = await stubOf(c.env, paymentNo).completeApproved(token, { type: "return", id: c.get("requestId") });
  if (outcome.kind === "not_found") throw notFound("payment", paymentNo);
  if (outcome.kind === "channel_error") {
    // the channel could not be reached: the webhook or status sync will complete it
    throw new ApiError(outcome.status, "channel_error", outcome.code, `${outcome.message} The payment will be completed when the channel answers; reload to try again.`);
  }
  return forward(c, outcome.payment) as never;
};

export const checkoutCancel: AppRouteHandler<typeof routes.checkoutCancel> = async (c) => {
  const { paymentNo } = c.req.valid("param");
  const payment = await stubOf(c.env, paymentNo).checkoutView();
  if (!payment) throw notFound("payment", paymentNo);
  return forward(c, payment) as never;
};
