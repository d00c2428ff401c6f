import { AuditService } from '@app/audit';
import { UserPrincipal } from '@app/auth';
import { CryptoIntegrityError, KmsCiphertext, KmsKeyVersion, KmsRepository } from '@app/crypto';
import { Role } from '@app/domain';
import { CrmException } from '../crm.exception';
import { LeadCipher } from '../leads/lead-cipher.service';
import { SubjectRepository } from '../leads/subject.repository';
import { KeyRotationService } from './key-rotation.service';
import { KeyUsageRepository, WrappedRecord } from './key-usage.repository';

const admin: UserPrincipal = { kind: 'user', userId: 'admin-1', role: Role.Admin, sessionId: 's-1', reauthAt: new Date() };

function record(id: string, version = 1): WrappedRecord {
  return { id, wrapped: { keyId: 'leads', version, ciphertext: Buffer.from(`wrapped-${id}`) } };
}

function version(v: number, state: KmsKeyVersion['state']): KmsKeyVersion {
  return { keyId: 'leads', version: v, state, createdAt: new Date(), retiredAt: null };
}

describe('KeyRotationService', () => {
  let stored: WrappedRecord[];
  let kms: jest.Mocked<Pick<KmsRepository, 'listKeyVersions' | 'retireKeyVersion' | 'createKeyVersion' | 'reencrypt'>>;
  let usage: jest.Mocked<KeyUsageRepository>;
  let subjects: { replaceWrapped: jest.Mock };
  let cipher: { rewrapSubjectKey: jest.Mock };
  let audit: { record: jest.Mock };
  let service: KeyRotationService;

  beforeEach(() => {
    stored = ['a', 'b', 'c', 'd', 'e'].map((id) => record(id));
    kms = {
      listKeyVersions: jest.fn().mockResolvedValue([version(1, 'enabled'), version(2, 'active')]),
      retireKeyVersion: jest.fn().mockResolvedValue(undefined),
      createKeyVersion: jest.fn(),
      reencrypt: jest.fn(),
    };
    usage = {
      countByVersion: jest.fn(),
      countOnVersion: jest.fn().mockResolvedValue(0),
      listBelowVersion: jest.fn(async (_key, target: number, afterId: string, limit: number) =>
        stored.filter((r) => r.wrapped.version < target && r.id > afterId).slice(0, limit),
      ),
      replaceDncWrapped: jest.fn(),
      secondsSinceCreated: jest.fn().mockResolvedValue(3600),
    } as unknown as jest.Mocked<KeyUsageRepository>;
    cipher = {
      rewrapSubjectKey: jest.fn(async (id: string, w: KmsCiphertext) => ({ ...w, version: 2, ciphertext: Buffer.from(`v2-${id}`) })),
    };
    subjects = {
      replaceWrapped: jest.fn(async (id: string, previous: KmsCiphertext, next: KmsCiphertext) => {
        const r = stored.find((s) => s.id === id);
        if (!r || !r.wrapped.ciphertext.equals(previous.ciphertext)) return false;
        r.wrapped = next;
        return true;
      }),
    };
    audit = { record: jest.fn().mockResolvedValue(undefined) };
    service = new KeyRotationService(
      kms as unknown as KmsRepository,
      usage,
      subjects as unknown as SubjectRepository,
      cipher as unknown as LeadCipher,
      audit as unknown as AuditService,
    );
  });

  it('moves every record in batches and audits the counts with the admin as actor', async () => {
    await service.startRewrap(admin, 'leads', 2);
    const job = await service.settled('leads');
    expect(job).toMatchObject({ state: 'done', targetVersion: 2, rewrapped: 5, skipped: 0, failed: 0, batches: 3 });
    expect(stored.every((r) => r.wrapped.version === 2)).toBe(true);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'keys.leads.rewrap',
        outcome: 'success',
        actor: { type: 'user', id: 'admin-1', role: Role.Admin },
        details: expect.objectContaining({ rewrapped: 5, failed: 0 }),
      }),
    );
  });

  it('lets a concurrent change win (skipped), and ends the pass past records that do not open (failed)', async () => {
    subjects.replaceWrapped.mockImplementationOnce(async () => false); // erased between read and swap
    cipher.rewrapSubjectKey.mockImplementation(async (id: string, w: KmsCiphertext) => {
      if (id === 'c') throw new CryptoIntegrityError();
      return { ...w, version: 2, ciphertext: Buffer.from(`v2-${id}`) };
    });
    await service.startRewrap(admin, 'leads', 2);
    const job = await service.settled('leads');
    expect(job).toMatchObject({ state: 'done', rewrapped: 3, skipped: 1, failed: 1 });
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ action: 'keys.leads.rewrap', outcome: 'failure' }));
    // The failure is logged and audited by name and count only: no record's content.
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('wrapped-');
  });

  it('does not swap sideways when the KMS still answers with an older active version', async () => {
    cipher.rewrapSubjectKey.mockImplementation(async (_id: string, w: KmsCiphertext) => ({ ...w, version: 1 }));
    await service.startRewrap(admin, 'leads', 10);
    expect(await service.settled('leads')).toMatchObject({ rewrapped: 0, failed: 5 });
    expect(subjects.replaceWrapped).not.toHaveBeenCalled();
  });

  it('answers the running pass instead of starting a second one', async () => {
    const first = await service.startRewrap(admin, 'leads', 1);
    const second = await service.startRewrap(admin, 'leads', 1);
    expect(second).toBe(first);
    await service.settled('leads');
  });

  it('retires only an enabled version nothing uses, once its successor is old enough', async () => {
    usage.countOnVersion.mockResolvedValueOnce(3);
    await expect(service.retire('leads', 1)).rejects.toBeInstanceOf(CrmException);
    expect(kms.retireKeyVersion).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'failure', details: { version: 1, inUse: 3 } }));

    usage.secondsSinceCreated.mockResolvedValueOnce(1);
    await expect(service.retire('leads', 1)).rejects.toThrow(/too new/);
    await expect(service.retire('leads', 2)).rejects.toThrow(/active/);
    await expect(service.retire('leads', 9)).rejects.toThrow(/Not found/);
    expect(kms.retireKeyVersion).not.toHaveBeenCalled();

    await service.retire('leads', 1);
    expect(kms.retireKeyVersion).toHaveBeenCalledWith('leads', 1);
  });
});
