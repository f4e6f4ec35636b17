export function verifyWebhook(header: string, rawBody: string, secret: string, toleranceSeconds?: number): boolean;
