const LOCK_CONFLICTS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** A deadlock or lock-wait timeout: InnoDB rolled the transaction back, and running it again is right. */
export function isLockConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return LOCK_CONFLICTS.has(String(code)) || LOCK_CONFLICTS.has(String(driverError?.code));
}

/** Runs a whole transaction again (up to `attempts` times, with jitter) when InnoDB picks it as a deadlock victim. */
export async function withLockRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}
