// Types of local-platform.mjs, for the TypeScript that imports it (test/browser/harness.ts).

export function migrate(state: string): void;

export interface PlatformProcess {
  pid: number;
  stop(): Promise<unknown>;
  kill(): Promise<void>;
}

export function startPlatform(options: {
  port: number;
  state: string;
  vars?: Record<string, string>;
  log: string;
  config?: string;
}): PlatformProcess;

export function waitForServer(base: string, options?: { path?: string; timeoutMs?: number }): Promise<void>;

export function runtimePids(groupId: number): string[];

export function runtimeRssMb(groupId: number): number;
