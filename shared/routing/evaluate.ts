// What a routing configuration says about one payment: the rule that decided (first match wins)
// or the default, the split's leg, and the channels to try in order, each channel that cannot take
// the payment set aside with why. Pure: whether a channel can serve the payment is given.
import type { ChannelName } from "../channels/registry";
import { invalidRequest } from "../errors";
import type { RoutingConfig } from "./config";
import { matches, type PaymentFacts } from "./rules";
import { legFor } from "./split";

export interface Evaluation {
  /** rule: a rule matched; default: none did and the default decided; none: no rule matched and there is no default. */
  strategy: "rule" | "default" | "none";
  rule: string | null;
  /** The split leg taken (0-based), when the output was a split. */
  leg: number | null;
  /** The channels to try, best first. */
  candidates: ChannelName[];
  skipped: Array<{ channel: ChannelName; reason: string }>;
}

/**
 * `paymentNo` fixes a split's leg; null (a dry run without order_no) is refused once a split decides.
 * `problemOf` says why a channel cannot serve the payment, or null when it can.
 */
export async function evaluate(
  config: RoutingConfig,
  facts: PaymentFacts,
  paymentNo: string | null,
  problemOf: (channel: ChannelName) => string | null,
): Promise<Evaluation> {
  const rule = config.rules.find((r) => matches(r.when, facts));
  const output = rule?.then ?? config.default;
  if (!output) return { strategy: "none", rule: null, leg: null, candidates: [], skipped: [] };
  let leg: number | null = null;
  let priority = "priority" in output ? output.priority : [];
  if ("split" in output) {
    if (paymentNo === null) {
      throw invalidRequest("parameter_missing", "Missing required parameter: order_no (a split chooses its leg by the payment_no derived from it).", "order_no");
    }
    leg = await legFor(paymentNo, output.split.map((l) => l.weight));
    priority = output.split[leg]!.priority;
  }
  const candidates: ChannelName[] = [];
  const skipped: Evaluation["skipped"] = [];
  for (const channel of priority) {
    const reason = problemOf(channel);
    if (reason === null) candidates.push(channel);
    else skipped.push({ channel, reason });
  }
  return { strategy: rule ? "rule" : "default", rule: rule?.name ?? null, leg, candidates, skipped };
}
