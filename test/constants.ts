/** The operator token the tests' Worker is configured with (vitest.config.ts). */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";
