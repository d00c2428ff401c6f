import { FormEvent, useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, Field, formatDate, Notice, PageTitle, Select, useAction, useLoad } from '../ui/kit';
import { Campaign } from './types';

interface DncItem {
  id: string;
  campaignId: string | null;
  phoneMasked: string | null;
  source: string;
  reason: string | null;
  createdAt: string;
}

const REMOVAL_REASONS = [
  { value: 'added_in_error', label: 'Added in error' },
  { value: 'consent_obtained', label: 'Consent obtained' },
  { value: 'subject_request', label: 'The person asked' },
  { value: 'other', label: 'Other' },
];

/** Do-not-call lists: the global one or a campaign's. Numbers are typed in and shown masked. */
export function ManagerDnc() {
  const campaigns = useLoad(() => api<Campaign[]>('crm', 'GET', '/campaigns'), []);
  const [scope, setScope] = useState('');
  const [offset, setOffset] = useState(0);
  const list = useLoad(() => api<DncItem[]>('crm', 'GET', '/dnc', { query: { campaignId: scope || undefined, limit: 50, offset } }), [scope, offset]);
  const [phone, setPhone] = useState('');
  const [region, setRegion] = useState('GB');
  const [reason, setReason] = useState('');
  const [removeReason, setRemoveReason] = useState('added_in_error');
  const [done, setDone] = useState<string | null>(null);

  const add = useAction(async () => {
    await api('crm', 'POST', '/dnc', { json: { phone: phone.trim(), region: region.trim() || null, campaignId: scope || null, reason: reason.trim() || null } });
    setPhone('');
    setDone('Number added to the list.');
    list.reload();
  });
  const remove = useAction(async () => {
    await api('crm', 'DELETE', '/dnc', { json: { phone: phone.trim(), region: region.trim() || null, campaignId: scope || null, reason: removeReason } });
    setPhone('');
    setDone('Number removed from the list.');
    list.reload();
  });

  return (
    <>
      <PageTitle>Do-not-call lists</PageTitle>
      <ErrorNotice error={campaigns.error ?? list.error} />
      <Select
        label="List"
        value={scope}
        onChange={(v) => (setScope(v), setOffset(0))}
        options={[{ value: '', label: 'Global list' }, ...(campaigns.data ?? []).map((c) => ({ value: c.id, label: `Campaign: ${c.name}` }))]}
      />
      <form
        aria-label="Add or remove a number"
        className="row-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setDone(null);
          void add.run();
        }}
      >
        <ErrorNotice error={add.error ?? remove.error} />
        {done && <Notice kind="success">{done}</Notice>}
        <Field label="Phone number" type="tel" value={phone} onChange={setPhone} required inputMode="tel" />
        <Field label="Country (for national numbers)" value={region} onChange={setRegion} />
        <Field label="Reason for adding (optional)" value={reason} onChange={setReason} />
        <button type="submit" disabled={add.busy}>
          Add to list
        </button>
        <Select label="Reason for removal" value={removeReason} onChange={setRemoveReason} options={REMOVAL_REASONS} />
        <button
          type="button"
          className="secondary"
          disabled={remove.busy || !phone.trim()}
          onClick={() => {
            setDone(null);
            void remove.run();
          }}
        >
          Remove from list
        </button>
      </form>
      <table>
        <caption>{scope ? 'Campaign list' : 'Global list'} (numbers masked)</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Source</th>
            <th scope="col">Reason</th>
            <th scope="col">Added</th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.phoneMasked ?? '(erased)'}</td>
              <td>{d.source}</td>
              <td>{d.reason ?? '—'}</td>
              <td>{formatDate(d.createdAt)}</td>
            </tr>
          ))}
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={4}>No numbers on this list.</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 50))}>
          Previous page
        </button>
        <button type="button" className="secondary" disabled={(list.data?.length ?? 0) < 50} onClick={() => setOffset(offset + 50)}>
          Next page
        </button>
      </div>
    </>
  );
}
