import { DataSource } from 'typeorm';
import { AuditEntry, NewAuditEntry } from './audit.types';
import { TypeormAuditRepository } from './typeorm-audit.repository';

const entry: NewAuditEntry = {
  occurredAt: new Date('2025-11-21T10:00:00.000Z'),
  actor: { type: 'system', id: null, role: null },
  action: 'kms.rotate',
  outcome: 'success',
  targetType: null,
  targetId: null,
  sourceIp: null,
  requestId: null,
  details: null,
};

const stored: AuditEntry = { ...entry, id: '1', seq: '1', prevHash: '0'.repeat(64), hash: 'a'.repeat(64) };

/** Shaped like TypeORM's QueryFailedError, which copies the driver's code onto itself. */
function driverError(code: string): Error {
  return Object.assign(new Error(code), { code, driverError: { code } });
}

function repositoryWith(transaction: jest.Mock): TypeormAuditRepository {
  return new TypeormAuditRepository({ transaction } as unknown as DataSource);
}

describe('TypeormAuditRepository.append retries', () => {
  it.each(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'])('runs the transaction again after %s', async (code) => {
    const transaction = jest.fn().mockRejectedValueOnce(driverError(code)).mockResolvedValueOnce([stored]);
    await expect(repositoryWith(transaction).append(entry)).resolves.toBe(stored);
    expect(transaction).toHaveBeenCalledTimes(2);
  });

  it('gives up after five lock conflicts and throws the last one', async () => {
    const transaction = jest.fn().mockRejectedValue(driverError('ER_LOCK_DEADLOCK'));
    await expect(repositoryWith(transaction).append(entry)).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(transaction).toHaveBeenCalledTimes(5);
  });

  it('does not retry other failures', async () => {
    const transaction = jest.fn().mockRejectedValue(driverError('ER_DUP_ENTRY'));
    await expect(repositoryWith(transaction).append(entry)).rejects.toThrow('ER_DUP_ENTRY');
    expect(transaction).toHaveBeenCalledTimes(1);
  });
});

describe('TypeormAuditRepository.append group commit', () => {
  it('writes appends that wait together in one transaction, and settles each with its own entry', async () => {
    const calls: number[] = [];
    const transaction = jest.fn(async (_level: string, work: (m: unknown) => Promise<AuditEntry[]>) => {
      const seen: AuditEntry[] = [];
      const manager = {};
      const repo = repository as unknown as { appendLocked: (m: unknown, e: NewAuditEntry) => Promise<AuditEntry> };
      repo.appendLocked = async (_m, e) => {
        const written = { ...stored, action: e.action, seq: String(seen.length + 1) };
        seen.push(written);
        return written;
      };
      const result = await work(manager);
      calls.push(result.length);
      return result;
    });
    const repository = repositoryWith(transaction);
    const actions = Array.from({ length: 5 }, (_, i) => `test.a${i}`);
    const results = await Promise.all(actions.map((action) => repository.append({ ...entry, action })));
    expect(results.map((r) => r.action)).toEqual(actions);
    // The first append starts a transaction alone; the four that arrived meanwhile share the next one.
    expect(calls).toEqual([1, 4]);
  });

  it('a group the database refuses is retried entry by entry, so one bad entry fails alone', async () => {
    const transaction = jest
      .fn()
      .mockResolvedValueOnce([stored])
      .mockRejectedValueOnce(driverError('ER_DATA_TOO_LONG'))
      .mockResolvedValueOnce([{ ...stored, seq: '2' }])
      .mockRejectedValueOnce(driverError('ER_DATA_TOO_LONG'));
    const repository = repositoryWith(transaction);
    const [first, second, third] = await Promise.allSettled([repository.append(entry), repository.append(entry), repository.append(entry)]);
    expect(first.status).toBe('fulfilled');
    expect(second).toEqual({ status: 'fulfilled', value: { ...stored, seq: '2' } });
    expect(third.status).toBe('rejected');
    expect(transaction).toHaveBeenCalledTimes(4);
  });
});
