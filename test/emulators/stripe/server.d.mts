export function parseForm(body: string): Record<string, unknown>;
export interface EmulatorAccount {
  apiKey: string;
  webhookSecret: string;
  /** Where its webhooks are posted; without one they are only listed at /_emulator/deliveries. */
  webhookUrl?: string;
}
export function startStripeEmulator(options: {
  port?: number;
  accounts: EmulatorAccount[];
}): Promise<{ url: string; close(): Promise<void> }>;
