import { FormEvent, useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, Notice, PageTitle, TextArea, useAction, useLoad } from '../ui/kit';
import { CampaignForm } from './CampaignForm';
import { LeadImportPanel } from './LeadImportPanel';
import { Campaign } from './types';

export function ManagerCampaigns() {
  const campaigns = useLoad(() => api<Campaign[]>('crm', 'GET', '/campaigns'), []);
  const [creating, setCreating] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const setStatus = useAction(async (id: string, status: 'active' | 'paused') => {
    await api('crm', 'POST', `/campaigns/${id}/status`, { json: { status } });
    campaigns.reload();
  });
  const selected = campaigns.data?.find((c) => c.id === selectedId) ?? null;

  return (
    <>
      <PageTitle>Campaigns</PageTitle>
      <ErrorNotice error={campaigns.error ?? setStatus.error} />
      {saved && <Notice kind="success">{saved}</Notice>}
      <table>
        <caption>Your campaigns</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Dial mode</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(campaigns.data ?? []).map((c) => (
            <tr key={c.id} aria-selected={c.id === selectedId}>
              <td>{c.name}</td>
              <td>{c.status}</td>
              <td>{c.dialMode}</td>
              <td className="actions">
                <button type="button" onClick={() => (setSelectedId(c.id), setCreating(false))} aria-label={`Open ${c.name}`}>
                  Open
                </button>
                {c.status !== 'active' && c.status !== 'finished' && (
                  <button type="button" disabled={setStatus.busy} onClick={() => void setStatus.run(c.id, 'active')} aria-label={`Activate ${c.name}`}>
                    Activate
                  </button>
                )}
                {c.status === 'active' && (
                  <button type="button" disabled={setStatus.busy} onClick={() => void setStatus.run(c.id, 'paused')} aria-label={`Pause ${c.name}`}>
                    Pause
                  </button>
                )}
              </td>
            </tr>
          ))}
          {campaigns.data?.length === 0 && (
            <tr>
              <td colSpan={4}>No campaigns yet.</td>
            </tr>
          )}
        </tbody>
      </table>
      {!creating && (
        <button type="button" onClick={() => (setCreating(true), setSelectedId(null))}>
          New campaign
        </button>
      )}
      {creating && (
        <section aria-labelledby="new-campaign-title">
          <h2 id="new-campaign-title">New campaign</h2>
          <CampaignForm
            campaign={null}
            onSaved={(c) => {
              setCreating(false);
              setSaved(`Campaign “${c.name}” created.`);
              setSelectedId(c.id);
              campaigns.reload();
            }}
            onCancel={() => setCreating(false)}
          />
        </section>
      )}
      {selected && (
        <section aria-labelledby="campaign-title" key={selected.id}>
          <h2 id="campaign-title">{selected.name}</h2>
          <details>
            <summary>Edit settings</summary>
            <CampaignForm
              campaign={selected}
              onSaved={(c) => {
                setSaved(`Campaign “${c.name}” saved.`);
                campaigns.reload();
              }}
            />
          </details>
          <LeadImportPanel campaignId={selected.id} />
          <AgentAssignment campaignId={selected.id} />
        </section>
      )}
    </>
  );
}

/** The campaign's agents, by user id (managers see no user directory; administrators give out the ids). */
function AgentAssignment(props: { campaignId: string }) {
  const agents = useLoad(() => api<string[]>('crm', 'GET', `/campaigns/${props.campaignId}/agents`), [props.campaignId]);
  const [text, setText] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const save = useAction(async () => {
    const agentIds = (text ?? '').split(/[\s,]+/).filter(Boolean);
    await api('crm', 'PUT', `/campaigns/${props.campaignId}/agents`, { json: { agentIds } });
    setDone(true);
    agents.reload();
  });
  const value = text ?? (agents.data ?? []).join('\n');
  return (
    <section aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      <ErrorNotice error={agents.error ?? save.error} />
      {done && <Notice kind="success">Agents saved.</Notice>}
      <form
        aria-label="Assign agents"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <TextArea label="Agent user ids, one per line (replaces the list)" value={value} onChange={(v) => (setText(v), setDone(false))} rows={4} />
        <button type="submit" disabled={save.busy}>
          Save agents
        </button>
      </form>
    </section>
  );
}
