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
    const transaction = jest.fn().mockRejectedValueOnce(driverError(code)).mockResolvedValueOnce(stored);
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
