/** Rows changed by a raw UPDATE/DELETE/INSERT through TypeORM's query(), whatever shape the driver returned. */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result)) return affectedRows(result[1] ?? result[0]);
  return (result as { affectedRows?: number } | undefined)?.affectedRows ?? 0;
}
