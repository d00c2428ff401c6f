import { Foundation1763740800000 } from './1763740800000-Foundation';
import { AuditAppendOnly1763740800001 } from './1763740800001-AuditAppendOnly';
import { Campaigns1763740800002 } from './1763740800002-Campaigns';
import { Crm1763740800003 } from './1763740800003-Crm';

/** Every migration, in order. New ones are appended; a landed migration is never edited. */
export const MIGRATIONS = [
  Foundation1763740800000,
  AuditAppendOnly1763740800001,
  Campaigns1763740800002,
  Crm1763740800003,
];
