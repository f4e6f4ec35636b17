/** `port` 0 takes any free port; `url` names the one it got. */
export function startReceiver(options: { port: number }): Promise<{ url: string; close(): Promise<void> }>;
