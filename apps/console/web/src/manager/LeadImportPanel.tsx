import { FormEvent, useId, useState } from 'react';
import { api, uploadWithProgress } from '../api/client';
import { ErrorNotice, Field, Notice, useAction, useLoad } from '../ui/kit';
import { ImportIssue, ImportReport, LeadList } from './types';

/** Lead lists of a campaign, and a CSV upload into one with a progress bar and the import report. */
export function LeadImportPanel(props: { campaignId: string }) {
  const lists = useLoad(() => api<LeadList[]>('crm', 'GET', `/campaigns/${props.campaignId}/lists`), [props.campaignId]);
  const [listId, setListId] = useState('');
  const [newName, setNewName] = useState('');
  const [region, setRegion] = useState('GB');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [issues, setIssues] = useState<ImportIssue[]>([]);
  const fileId = useId();
  const listSelectId = useId();

  const createList = useAction(async () => {
    const created = await api<LeadList>('crm', 'POST', `/campaigns/${props.campaignId}/lists`, { json: { name: newName.trim(), defaultRegion: region.trim().toUpperCase() } });
    setNewName('');
    setListId(created.id);
    lists.reload();
  });

  const upload = useAction(async () => {
    if (!file || !listId) return;
    setReport(null);
    setIssues([]);
    setProgress({ sent: 0, total: file.size });
    const answer = await uploadWithProgress<ImportReport>('crm', `/lists/${listId}/imports`, file, 'text/csv', (sent, total) => setProgress({ sent, total }));
    setReport(answer);
    if (answer.rejected + answer.duplicates + answer.dncExcluded > 0) {
      setIssues(await api<ImportIssue[]>('crm', 'GET', `/imports/${answer.id}/issues`, { query: { limit: 200 } }));
    }
  });

  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.sent / progress.total) * 100)) : 0;
  const selected = listId || lists.data?.[0]?.id || '';

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Lead lists and import</h2>
      <ErrorNotice error={lists.error} />
      <form
        aria-label="New lead list"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void createList.run();
        }}
        className="row-form"
      >
        <ErrorNotice error={createList.error} />
        <Field label="New list name" value={newName} onChange={setNewName} required />
        <Field label="Default country (ISO code)" value={region} onChange={setRegion} required hint="For numbers written without +country code" />
        <button type="submit" disabled={createList.busy}>
          Create list
        </button>
      </form>

      <form
        aria-label="Upload leads"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setListId(selected);
          void upload.run();
        }}
        className="row-form"
      >
        <div className="field">
          <label htmlFor={listSelectId}>Lead list</label>
          <select id={listSelectId} value={selected} onChange={(e) => setListId(e.target.value)} required>
            {(lists.data ?? []).length === 0 && <option value="">Create a list first</option>}
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.defaultRegion})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={fileId}>CSV file</label>
          <input id={fileId} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
        </div>
        <button type="submit" disabled={upload.busy || !file || !selected}>
          Upload and import
        </button>
      </form>

      {progress && (
        <div className="progress">
          <label htmlFor="import-progress">Import progress</label>
          <progress id="import-progress" max={100} value={pct} aria-valuetext={`${pct}% uploaded`} />
          <span aria-live="polite">{upload.busy ? (pct < 100 ? `${pct}% uploaded` : 'Finishing the import…') : report ? 'Done' : ''}</span>
        </div>
      )}
      <ErrorNotice error={upload.error} />
      {report && (
        <section aria-labelledby="report-title" className="report">
          <h3 id="report-title">Import report</h3>
          {report.status !== 'completed' && <Notice kind="error">The import {report.status.replace('_', ' ')}{report.error ? `: ${report.error}` : ''}</Notice>}
          <dl className="counts">
            <dt>Status</dt>
            <dd data-testid="import-status">{report.status}</dd>
            <dt>Rows read</dt>
            <dd>{report.rowsDone}</dd>
            <dt>Imported</dt>
            <dd data-testid="import-accepted">{report.accepted}</dd>
            <dt>Rejected</dt>
            <dd data-testid="import-rejected">{report.rejected}</dd>
            <dt>Duplicates in the file</dt>
            <dd>{report.duplicatesInFile}</dd>
            <dt>Already in the campaign</dt>
            <dd>{report.duplicatesExisting}</dd>
            <dt>On a do-not-call list</dt>
            <dd data-testid="import-dnc">{report.dncExcluded}</dd>
          </dl>
          {issues.length > 0 && (
            <table>
              <caption>Rows not imported</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((i) => (
                  <tr key={`${i.line}-${i.kind}`}>
                    <td>{i.line}</td>
                    <td>{i.kind}</td>
                    <td>{i.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
}
