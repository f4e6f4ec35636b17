// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: declared here.
// Locally they come from .dev.vars; in production from `wrangler secret put`.
declare namespace Cloudflare {
  interface Env {
    /** Operator token for /api/v1/admin. Unset: the admin API refuses everyone. */
    ADMIN_API_TOKEN?: string;
  }
}
