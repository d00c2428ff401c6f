import { createConnection } from 'mysql2/promise';

/**
 * Fails the whole run at once, with the fix, when the real database is not there. (Runs outside
 * jest's module mapper, so it imports nothing through @app/*.)
 */
export default async function globalSetup(): Promise<void> {
  const host = process.env.TEST_DB_HOST ?? '127.0.0.1';
  const port = Number(process.env.TEST_DB_PORT ?? 3306);
  const user = process.env.TEST_DB_USER ?? 'root';
  try {
    const conn = await createConnection({ host, port, user, password: process.env.TEST_DB_PASSWORD ?? '' });
    await conn.end();
  } catch (error) {
    throw new Error(
      `Tests need MariaDB/MySQL at ${host}:${port} (user ${user}); run "npm run test:all", which starts it. ` +
        `Cause: ${(error as Error).message}`,
    );
  }
}
