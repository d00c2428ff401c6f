import { FormEvent, useRef, useState } from 'react';
import { api } from '../api/client';
import { Campaign } from '../manager/types';
import { ErrorNotice, Field, formatDate, formatDuration, Notice, PageTitle, Select, TextArea, useAction, useLoad } from '../ui/kit';
import { Player, PlayerControls } from './Player';
import { QaScore, Recording, ScorecardTemplate } from './types';

interface Filters {
  campaignId: string;
  agentUserId: string;
  from: string;
  to: string;
  minDurationSeconds: string;
  maxDurationSeconds: string;
}

const EMPTY: Filters = { campaignId: '', agentUserId: '', from: '', to: '', minDurationSeconds: '', maxDurationSeconds: '' };

/** Search recordings (campaign, agent, date, duration), play one, and score it with comments at moments. */
export function QaRecordings() {
  const campaigns = useLoad(() => api<Campaign[]>('crm', 'GET', '/campaigns'), []);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const results = useLoad(
    () =>
      api<Recording[]>('recording', 'GET', '/recordings', {
        query: {
          campaignId: applied.campaignId || undefined,
          agentUserId: applied.agentUserId.trim() || undefined,
          from: applied.from ? new Date(applied.from).toISOString() : undefined,
          to: applied.to ? new Date(applied.to).toISOString() : undefined,
          minDurationSeconds: applied.minDurationSeconds || undefined,
          maxDurationSeconds: applied.maxDurationSeconds || undefined,
          limit: 100,
        },
      }),
    [applied],
  );
  const [selected, setSelected] = useState<Recording | null>(null);
  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const campaignName = (id: string) => campaigns.data?.find((c) => c.id === id)?.name ?? id.slice(0, 8);

  return (
    <>
      <PageTitle>Recordings</PageTitle>
      <form
        aria-label="Search recordings"
        className="row-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <Select
          label="Campaign"
          value={filters.campaignId}
          onChange={set('campaignId')}
          options={[{ value: '', label: 'All campaigns' }, ...(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))]}
        />
        <Field label="Agent (user id)" value={filters.agentUserId} onChange={set('agentUserId')} />
        <Field label="From" type="datetime-local" value={filters.from} onChange={set('from')} />
        <Field label="Until" type="datetime-local" value={filters.to} onChange={set('to')} />
        <Field label="Shortest (seconds)" type="number" min="0" value={filters.minDurationSeconds} onChange={set('minDurationSeconds')} />
        <Field label="Longest (seconds)" type="number" min="0" value={filters.maxDurationSeconds} onChange={set('maxDurationSeconds')} />
        <button type="submit">Search</button>
      </form>
      <p className="hint">The call outcome is in the call records; the recording service filters by campaign, agent, date and duration.</p>
      <ErrorNotice error={results.error ?? campaigns.error} />
      <table>
        <caption>Recordings found: {results.data?.length ?? 0}</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Campaign</th>
            <th scope="col">Agent</th>
            <th scope="col">Duration</th>
            <th scope="col">Status</th>
            <th scope="col">Listen</th>
          </tr>
        </thead>
        <tbody>
          {(results.data ?? []).map((r) => (
            <tr key={r.id} aria-selected={selected?.id === r.id}>
              <td>{formatDate(r.startedAt ?? r.createdAt)}</td>
              <td>{campaignName(r.campaignId)}</td>
              <td>{r.agentUserId.slice(0, 8)}</td>
              <td>{formatDuration(r.durationMs)}</td>
              <td>{r.status}</td>
              <td>
                <button type="button" disabled={r.status !== 'committed'} onClick={() => setSelected(r)} aria-label={`Listen to the recording of ${formatDate(r.startedAt ?? r.createdAt)}`}>
                  Listen
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && <RecordingReview key={selected.id} recording={selected} />}
    </>
  );
}

function RecordingReview(props: { recording: Recording }) {
  const controls = useRef<PlayerControls | null>(null);
  const scores = useLoad(() => api<QaScore[]>('recording', 'GET', `/recordings/${props.recording.id}/scores`), [props.recording.id]);
  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">Recording of {formatDate(props.recording.startedAt ?? props.recording.createdAt)}</h2>
      <Player recordingId={props.recording.id} durationMs={props.recording.durationMs} onReady={(c) => (controls.current = c)} />
      <h3>Scores</h3>
      <ErrorNotice error={scores.error} />
      {(scores.data ?? []).map((s) => (
        <article key={s.id} className="score">
          <p>
            Total <strong>{s.total}</strong> — {formatDate(s.createdAt)}
          </p>
          <ul>
            {s.comments.map((c, i) => (
              <li key={i}>
                <button type="button" className="link" onClick={() => controls.current?.seekMs(c.atMs)}>
                  {formatDuration(c.atMs)}
                </button>{' '}
                {c.text}
              </li>
            ))}
          </ul>
        </article>
      ))}
      <ScoreForm recordingId={props.recording.id} currentMs={() => controls.current?.currentMs() ?? 0} onSaved={scores.reload} />
    </section>
  );
}

function ScoreForm(props: { recordingId: string; currentMs: () => number; onSaved: () => void }) {
  const templates = useLoad(() => api<ScorecardTemplate[]>('recording', 'GET', '/qa/scorecards'), []);
  const [templateId, setTemplateId] = useState('');
  const [points, setPoints] = useState<Record<string, string>>({});
  const [comments, setComments] = useState<Array<{ atMs: number; text: string }>>([]);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const template = templates.data?.find((t) => t.id === (templateId || templates.data?.[0]?.id));
  const save = useAction(async () => {
    if (!template) return;
    await api('recording', 'POST', `/recordings/${props.recordingId}/scores`, {
      json: { templateId: template.id, answers: template.criteria.map((c) => ({ key: c.key, points: Number(points[c.key] ?? 0) })), comments },
    });
    setSaved(true);
    setComments([]);
    setPoints({});
    props.onSaved();
  });
  if (templates.data?.length === 0) return <Notice kind="info">Create a scorecard first (Scorecards).</Notice>;
  return (
    <form
      aria-label="Score this recording"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h3>Score this recording</h3>
      <ErrorNotice error={save.error ?? templates.error} />
      {saved && <Notice kind="success">Score saved.</Notice>}
      <Select label="Scorecard" value={template?.id ?? ''} onChange={setTemplateId} options={(templates.data ?? []).map((t) => ({ value: t.id, label: t.name }))} />
      {template?.criteria.map((c) => (
        <Field
          key={c.key}
          label={`${c.label} (0–${c.maxPoints})`}
          type="number"
          min="0"
          max={String(c.maxPoints)}
          value={points[c.key] ?? ''}
          onChange={(v) => setPoints((p) => ({ ...p, [c.key]: v }))}
        />
      ))}
      <TextArea label="Comment" value={text} onChange={setText} maxLength={2000} />
      <button
        type="button"
        className="secondary"
        disabled={!text.trim()}
        onClick={() => {
          setComments((cs) => [...cs, { atMs: props.currentMs(), text: text.trim() }].sort((a, b) => a.atMs - b.atMs));
          setText('');
        }}
      >
        Add comment at the current position
      </button>
      <ul aria-label="Comments to save">
        {comments.map((c, i) => (
          <li key={i}>
            {formatDuration(c.atMs)} — {c.text}
          </li>
        ))}
      </ul>
      <button type="submit" disabled={save.busy || !template}>
        Save score
      </button>
    </form>
  );
}
