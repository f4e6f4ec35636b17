// Where a channel sends the buyer's browser back after a redirect (PayPal's approval page, a
// crypto checkout): the platform's own checkout pages, which finish the payment and then forward
// the buyer to the merchant's return_url. PUBLIC_BASE_URL is the platform's public origin; unset,
// channels get no return URL and the buyer stays at the channel.
export function checkoutUrls(env: Env, paymentNo: string): { returnUrl: string | null; cancelUrl: string | null } {
  const base = env.PUBLIC_BASE_URL?.replace(/\/+$/, "");
  if (!base) return { returnUrl: null, cancelUrl: null };
  const at = `${base}/api/v1/checkout/${paymentNo}`;
  return { returnUrl: `${at}/return`, cancelUrl: `${at}/cancel` };
}
