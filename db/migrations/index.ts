import { Foundation1763740800000 } from './1763740800000-Foundation';
import { AuditAppendOnly1763740800001 } from './1763740800001-AuditAppendOnly';
import { Campaigns1763740800002 } from './1763740800002-Campaigns';
import { Crm1763740800003 } from './1763740800003-Crm';
import { LeadImportDetails1763740800004 } from './1763740800004-LeadImportDetails';
import { Compliance1763740800005 } from './1763740800005-Compliance';
import { Recordings1763740800010 } from './1763740800010-Recordings';
import { QaScorecards1763740800011 } from './1763740800011-QaScorecards';
import { Dialer1763740800020 } from './1763740800020-Dialer';

/**
 * Every migration, in timestamp order (TypeORM runs them by timestamp whatever the order here).
 * New ones are added with a later timestamp; a landed migration is never edited.
 */
export const MIGRATIONS = [
  Foundation1763740800000,
  AuditAppendOnly1763740800001,
  Campaigns1763740800002,
  Crm1763740800003,
  LeadImportDetails1763740800004,
  Compliance1763740800005,
  Recordings1763740800010,
  QaScorecards1763740800011,
  Dialer1763740800020,
];
