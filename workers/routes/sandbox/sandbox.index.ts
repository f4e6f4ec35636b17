import { ChannelError } from "../../../shared/channels/adapter";
import { SandboxAdapter } from "../../../shared/channels/sandbox/adapter";
import { conflict, invalidRequest, notFound } from "../../../shared/errors";
import { createRouter } from "../../openapi/router";
import { ownerOf } from "../../app-env";
import { ownPaymentStub } from "../payments/payments.handlers";
import { toPaymentJson } from "../payments/payments.schemas";
import { confirmSandboxPayment } from "./sandbox.routes";

export const sandboxRouter = createRouter().openapi(confirmSandboxPayment, async (c) => {
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
});
