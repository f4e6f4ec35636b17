export function parseForm(body: string): Record<string, unknown>;
export function startStripeEmulator(options: {
  port?: number;
  apiKey: string | string[];
  webhookSecret: string;
  webhookUrl?: string;
}): Promise<{ url: string; close(): Promise<void> }>;
