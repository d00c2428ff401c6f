import { Clock } from '@app/domain';
import { RequestContext } from '@app/http';
import { AuditException } from './audit.exception';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditEntry, AuditEvent, NewAuditEntry } from './audit.types';

const NOW = new Date('2025-11-21T10:00:00.123Z');

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

function setup() {
  const appended: NewAuditEntry[] = [];
  const repository: jest.Mocked<AuditRepository> = {
    append: jest.fn(async (entry: NewAuditEntry): Promise<AuditEntry> => {
      appended.push(entry);
      return { ...entry, id: '1', seq: '1', prevHash: '0'.repeat(64), hash: 'h'.repeat(64) };
    }),
    list: jest.fn(),
    verify: jest.fn(),
  };
  return { service: new AuditService(repository, new FixedClock()), repository, appended };
}

describe('AuditService.record', () => {
  it('takes actor, source IP and request id from the request being served', async () => {
    const { service, appended } = setup();
    await RequestContext.run(
      { requestId: 'r1', sourceIp: '10.0.0.1', actor: { type: 'user', id: 'u1', role: 'agent', sessionId: 's1' } },
      () => service.record({ action: 'lead.view', outcome: 'success', targetType: 'lead', targetId: 'l1' }),
    );
    expect(appended).toEqual([
      {
        occurredAt: NOW,
        actor: { type: 'user', id: 'u1', role: 'agent' },
        action: 'lead.view',
        outcome: 'success',
        targetType: 'lead',
        targetId: 'l1',
        sourceIp: '10.0.0.1',
        requestId: 'r1',
        details: null,
      },
    ]);
  });

  it('lets the caller override the context, including with an explicit null', async () => {
    const { service, appended } = setup();
    await RequestContext.run({ requestId: 'r1', sourceIp: '10.0.0.1', actor: { type: 'user', id: 'u1', role: 'agent' } }, () =>
      service.record({ action: 'auth.login', outcome: 'failure', actor: { type: 'anonymous' }, sourceIp: null }),
    );
    expect(appended[0]).toMatchObject({
      actor: { type: 'anonymous', id: null, role: null },
      sourceIp: null,
      requestId: 'r1',
    });
  });

  it('records the system as the actor outside any request', async () => {
    const { service, appended } = setup();
    await service.record({ action: 'kms.rotate', outcome: 'success' });
    expect(appended[0]).toMatchObject({ actor: { type: 'system', id: null, role: null }, sourceIp: null, requestId: null });
  });

  it('refuses an invalid event before anything reaches the repository', async () => {
    const { service, repository } = setup();
    await expect(service.record({ action: 'Bad Action', outcome: 'success' })).rejects.toThrow(AuditException);
    const nested = { lead: { phone: '+1555' } } as unknown as AuditEvent['details'];
    await expect(service.record({ action: 'lead.view', outcome: 'success', details: nested })).rejects.toThrow(
      /details\.lead must be a string, number, boolean or null/,
    );
    expect(repository.append).not.toHaveBeenCalled();
  });

  it('lets a failed append reach the caller instead of dropping the entry', async () => {
    const { service, repository } = setup();
    repository.append.mockRejectedValueOnce(new Error('connection lost'));
    await expect(service.record({ action: 'lead.view', outcome: 'success' })).rejects.toThrow('connection lost');
  });
});
