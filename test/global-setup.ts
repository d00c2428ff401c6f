import { createConnection } from 'mysql2/promise';
import { testDatabaseServer } from './utils/test-database';

/** Fails the whole run at once, with the fix, when the real database is not there. */
export default async function globalSetup(): Promise<void> {
  const server = testDatabaseServer();
  try {
    const conn = await createConnection({
      host: server.dbHost,
      port: server.dbPort,
      user: server.dbUser,
      password: server.dbPassword.reveal(),
    });
    await conn.end();
  } catch (error) {
    throw new Error(
      `Tests need MariaDB/MySQL at ${server.dbHost}:${server.dbPort} (user ${server.dbUser}); ` +
        `run "npm run test:all", which starts it. Cause: ${(error as Error).message}`,
    );
  }
}
