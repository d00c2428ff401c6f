import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { api } from '../api/client';
import { Campaign, Disposition } from '../manager/types';
import { ErrorNotice, Field, formatDate, Notice, PageTitle, Select, TextArea, useAction, useLoad } from '../ui/kit';

interface LeadCard {
  id: string;
  campaignId: string;
  status: string;
  firstName: string | null;
  lastName: string | null;
  phoneMasked: string;
  email: string | null;
  address: string | null;
  nationalIdMasked: string | null;
  notes: string | null;
  custom: Record<string, string> | null;
  timezones: string[];
  attempts: number;
  lastOutcome: string | null;
}

interface CallbackSummary {
  id: string;
  leadId: string;
  campaignId: string;
  dueAt: string;
  scope: 'mine' | 'campaign';
}

interface CallRecord {
  id: string;
  leadId: string | null;
  campaignId: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string;
  dispositionCode: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The agent's desk for this round: assigned campaigns, the lead being worked (masked card, script,
 * disposition with notes and callback), callbacks and own call history. The lead comes from a
 * callback, the call history, or its reference; ready/pause, the softphone and the live call come
 * with the dialer. The lead is kept in memory only, never in the address bar or browser storage.
 */
export function AgentDesk() {
  const campaigns = useLoad(() => api<Campaign[]>('crm', 'GET', '/campaigns'), []);
  const callbacks = useLoad(() => api<CallbackSummary[]>('crm', 'GET', '/callbacks/mine'), []);
  const history = useLoad(() => api<CallRecord[]>('crm', 'GET', '/call-records', { query: { limit: 20 } }), []);
  const [leadRef, setLeadRef] = useState('');
  const [leadId, setLeadId] = useState<string | null>(null);
  const [refError, setRefError] = useState<string | null>(null);

  const open = (id: string) => {
    setRefError(null);
    setLeadId(id);
  };

  return (
    <>
      <PageTitle>Agent desk</PageTitle>
      <section aria-labelledby="my-campaigns">
        <h2 id="my-campaigns">My campaigns</h2>
        <ErrorNotice error={campaigns.error} />
        <ul>
          {(campaigns.data ?? []).map((c) => (
            <li key={c.id}>
              {c.name} <span className="badge">{c.status}</span>
            </li>
          ))}
          {campaigns.data?.length === 0 && <li>You are not assigned to any campaign.</li>}
        </ul>
      </section>

      <section aria-labelledby="open-lead">
        <h2 id="open-lead">Lead</h2>
        <form
          aria-label="Open a lead"
          className="row-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            const id = leadRef.trim();
            if (!UUID.test(id)) setRefError('A lead reference looks like 8-4-4-4-12 hexadecimal characters.');
            else {
              setLeadRef('');
              open(id);
            }
          }}
        >
          <Field label="Lead reference" value={leadRef} onChange={setLeadRef} hint="From a callback, your call history or the dialer" />
          <button type="submit">Open lead</button>
        </form>
        {refError && <Notice kind="error">{refError}</Notice>}
        {leadId && (
          <LeadWork
            key={leadId}
            leadId={leadId}
            campaigns={campaigns.data ?? []}
            onDone={() => {
              callbacks.reload();
              history.reload();
            }}
          />
        )}
      </section>

      <section aria-labelledby="my-callbacks">
        <h2 id="my-callbacks">My callbacks</h2>
        <ErrorNotice error={callbacks.error} />
        <table>
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">For</th>
              <th scope="col">Lead</th>
            </tr>
          </thead>
          <tbody>
            {(callbacks.data ?? []).map((c) => (
              <tr key={c.id}>
                <td>{formatDate(c.dueAt)}</td>
                <td>{c.scope === 'mine' ? 'Me' : 'Any agent of the campaign'}</td>
                <td>
                  <button type="button" onClick={() => open(c.leadId)}>
                    Open lead
                  </button>
                </td>
              </tr>
            ))}
            {callbacks.data?.length === 0 && (
              <tr>
                <td colSpan={3}>No callbacks pending.</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="my-history">
        <h2 id="my-history">My call history</h2>
        <ErrorNotice error={history.error} />
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Outcome</th>
              <th scope="col">Disposition</th>
              <th scope="col">Lead</th>
            </tr>
          </thead>
          <tbody>
            {(history.data ?? []).map((r) => (
              <tr key={r.id}>
                <td>{formatDate(r.startedAt)}</td>
                <td>{r.outcome}</td>
                <td>{r.dispositionCode ?? '—'}</td>
                <td>
                  {r.leadId && (
                    <button type="button" onClick={() => open(r.leadId!)}>
                      Open lead
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {history.data?.length === 0 && (
              <tr>
                <td colSpan={4}>No calls yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </>
  );
}

function LeadWork(props: { leadId: string; campaigns: Campaign[]; onDone: () => void }) {
  const card = useLoad(() => api<LeadCard>('crm', 'GET', `/leads/${props.leadId}`), [props.leadId]);
  const campaignId = card.data?.campaignId;
  const campaign = useLoad(
    () => (campaignId ? api<Campaign>('crm', 'GET', `/campaigns/${campaignId}`) : Promise.resolve(null)),
    [campaignId],
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (card.data) headingRef.current?.focus();
  }, [card.data]);

  if (card.error) return <ErrorNotice error={card.error} />;
  if (!card.data) return <p aria-live="polite">Loading the lead…</p>;
  const c = card.data;
  return (
    <div className="lead-work">
      <article className="lead-card" aria-labelledby="lead-card-title">
        <h3 id="lead-card-title" tabIndex={-1} ref={headingRef}>
          {[c.firstName, c.lastName].filter(Boolean).join(' ') || 'Lead'}
        </h3>
        <dl>
          <dt>Phone</dt>
          <dd data-testid="lead-phone">{c.phoneMasked}</dd>
          <dt>E-mail</dt>
          <dd>{c.email ?? '—'}</dd>
          <dt>Address</dt>
          <dd>{c.address ?? '—'}</dd>
          <dt>National id</dt>
          <dd>{c.nationalIdMasked ?? '—'}</dd>
          <dt>Time zone</dt>
          <dd>{c.timezones.join(', ') || '—'}</dd>
          <dt>Attempts</dt>
          <dd>{c.attempts}</dd>
          <dt>Status</dt>
          <dd>{c.status}</dd>
          {c.custom &&
            Object.entries(c.custom).map(([k, v]) => (
              <div key={k} className="dl-row">
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
        </dl>
      </article>
      {campaign.data && (
        <section aria-labelledby="script-title" className="script">
          <h3 id="script-title">Script</h3>
          <p className="script-text">{campaign.data.script || 'This campaign has no script.'}</p>
        </section>
      )}
      {campaign.data && <DispositionForm leadId={c.id} dispositions={campaign.data.dispositions} onDone={props.onDone} />}
    </div>
  );
}

function DispositionForm(props: { leadId: string; dispositions: Disposition[]; onDone: () => void }) {
  const [code, setCode] = useState(props.dispositions[0]?.code ?? '');
  const [note, setNote] = useState('');
  const [when, setWhen] = useState('');
  const [scope, setScope] = useState<'mine' | 'campaign'>('mine');
  const [saved, setSaved] = useState<string | null>(null);
  const whenId = useId();
  const chosen = props.dispositions.find((d) => d.code === code);
  const needsCallback = chosen?.kind === 'callback';
  const save = useAction(async () => {
    const body: { code: string; note?: string; callback?: { at: string; scope: string } } = { code };
    if (note.trim()) body.note = note.trim();
    if (needsCallback) body.callback = { at: new Date(when).toISOString(), scope };
    await api('crm', 'POST', `/leads/${props.leadId}/disposition`, { json: body });
    setSaved(`Disposition “${chosen?.label ?? code}” saved.`);
    setNote('');
    props.onDone();
  });
  if (saved) return <Notice kind="success">{saved}</Notice>;
  return (
    <form
      aria-label="Disposition"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h3>Disposition</h3>
      <ErrorNotice error={save.error} />
      <Select label="Outcome of the call" value={code} onChange={setCode} options={props.dispositions.map((d) => ({ value: d.code, label: d.label }))} />
      <TextArea label="Notes" value={note} onChange={setNote} maxLength={4000} />
      {needsCallback && (
        <fieldset>
          <legend>Callback</legend>
          <div className="field">
            <label htmlFor={whenId}>Call back at</label>
            <input id={whenId} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required />
          </div>
          <Select
            label="Who calls back"
            value={scope}
            onChange={(v) => setScope(v as 'mine' | 'campaign')}
            options={[
              { value: 'mine', label: 'Me' },
              { value: 'campaign', label: 'Any agent of the campaign' },
            ]}
          />
        </fieldset>
      )}
      <button type="submit" disabled={save.busy || !code}>
        Save disposition
      </button>
    </form>
  );
}
