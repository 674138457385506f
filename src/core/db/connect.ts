import type { Settings } from '../config/settings.ts';
import { startEmbedded, type EmbeddedServer } from './embedded.ts';
import { DEV_ROLE_PASSWORDS, ensureDatabase, ensureRoles, roleUrls, withAdminClient } from './roles.ts';

export const EMBEDDED_DATABASE = 'ledgerworks';

export type Connections = {
  /** The runtime role: row-level security applies. */
  appUrl: string;
  /** The owner role, for migrations; undefined when only a runtime URL was given. */
  ownerUrl: string | undefined;
  embedded: EmbeddedServer | null;
};

/**
 * DATABASE_URL (and DATABASE_OWNER_URL for migrations) point at an external server;
 * without them the embedded PostgreSQL starts, with its roles and database created on first run.
 */
export async function connectDatabase(settings: Settings, log: (msg: string) => void): Promise<Connections> {
  if (settings.databaseUrl) {
    return { appUrl: settings.databaseUrl, ownerUrl: settings.databaseOwnerUrl, embedded: null };
  }
  const embedded = await startEmbedded({ dir: settings.embeddedPgDir, port: settings.embeddedPgPort, log });
  try {
    await withAdminClient(embedded.adminUrl, async (c) => {
      await ensureRoles(c, DEV_ROLE_PASSWORDS);
      await ensureDatabase(c, EMBEDDED_DATABASE);
    });
  } catch (err) {
    await embedded.stop();
    throw err;
  }
  const { appUrl, ownerUrl } = roleUrls(embedded.adminUrl, EMBEDDED_DATABASE, DEV_ROLE_PASSWORDS);
  return { appUrl, ownerUrl, embedded };
}
