export function startReceiver(options: { port: number }): Promise<{ url: string; close(): Promise<void> }>;
