import { AuditService } from '@app/audit';
import { AccessService } from '@app/auth';
import { CrmException } from '../crm.exception';
import { ComplianceRepository, DialFacts } from './compliance.repository';
import { ComplianceService } from './compliance.service';

class FakeComplianceRepository extends ComplianceRepository {
  facts = new Map<string, DialFacts>();
  dialFacts(leadId: string): Promise<DialFacts | null> {
    return Promise.resolve(this.facts.get(leadId) ?? null);
  }
  setConsent(): Promise<boolean> {
    return Promise.resolve(true);
  }
  setLegalHold(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

describe('ComplianceService.mayDial', () => {
  const repo = new FakeComplianceRepository();
  const service = new ComplianceService(repo, {} as AccessService, {} as AuditService);
  const base: DialFacts = { status: 'new', consentBasis: null, consentRequired: false, dncListed: false };
  const decide = (facts: Partial<DialFacts>) => {
    repo.facts.set('lead', { ...base, ...facts });
    return service.mayDial('lead');
  };

  it('allows a lead on no list, in a campaign that does not require consent', async () => {
    await expect(decide({})).resolves.toEqual({ allowed: true });
  });

  it('refuses a number on a do-not-call list (global or the campaign’s: one flag from the query)', async () => {
    await expect(decide({ dncListed: true })).resolves.toEqual({ allowed: false, reason: 'dnc' });
    await expect(decide({ dncListed: true, consentRequired: true, consentBasis: 'consent' })).resolves.toEqual({ allowed: false, reason: 'dnc' });
    await expect(decide({ status: 'dnc' })).resolves.toEqual({ allowed: false, reason: 'dnc' });
  });

  it('refuses, in a campaign requiring consent, a lead without consent or with another lawful basis', async () => {
    await expect(decide({ consentRequired: true })).resolves.toEqual({ allowed: false, reason: 'no_consent' });
    await expect(decide({ consentRequired: true, consentBasis: 'legitimate_interest' })).resolves.toEqual({ allowed: false, reason: 'no_consent' });
    await expect(decide({ consentRequired: true, consentBasis: 'consent' })).resolves.toEqual({ allowed: true });
    await expect(decide({ consentRequired: false, consentBasis: 'contract' })).resolves.toEqual({ allowed: true });
  });

  it('refuses an erased lead before anything else', async () => {
    await expect(decide({ status: 'erased', dncListed: true })).resolves.toEqual({ allowed: false, reason: 'erased' });
  });

  it('answers not found for a lead that does not exist', async () => {
    await expect(service.mayDial('missing')).rejects.toBeInstanceOf(CrmException);
  });
});
