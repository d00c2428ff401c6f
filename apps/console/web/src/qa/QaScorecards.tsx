import { FormEvent, useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, Field, Notice, PageTitle, useAction, useLoad } from '../ui/kit';
import { Criterion, ScorecardTemplate } from './types';

/** Scorecard templates: named criteria with weights and maximum points. */
export function QaScorecards() {
  const templates = useLoad(() => api<ScorecardTemplate[]>('recording', 'GET', '/qa/scorecards'), []);
  const [name, setName] = useState('');
  const [criteria, setCriteria] = useState<Array<Record<keyof Criterion, string>>>([{ key: 'greeting', label: 'Greeting', weight: '1', maxPoints: '5' }]);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    await api('recording', 'POST', '/qa/scorecards', {
      json: { name: name.trim(), criteria: criteria.map((c) => ({ key: c.key.trim(), label: c.label.trim(), weight: Number(c.weight), maxPoints: Number(c.maxPoints) })) },
    });
    setSaved(true);
    setName('');
    templates.reload();
  });
  const update = (i: number, key: keyof Criterion) => (value: string) => setCriteria((cs) => cs.map((c, j) => (j === i ? { ...c, [key]: value } : c)));
  return (
    <>
      <PageTitle>Scorecards</PageTitle>
      <ErrorNotice error={templates.error} />
      <ul>
        {(templates.data ?? []).map((t) => (
          <li key={t.id}>
            <strong>{t.name}</strong>: {t.criteria.map((c) => `${c.label} (×${c.weight}, max ${c.maxPoints})`).join(', ')}
          </li>
        ))}
      </ul>
      <form
        aria-label="New scorecard"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setSaved(false);
          void save.run();
        }}
      >
        <h2>New scorecard</h2>
        <ErrorNotice error={save.error} />
        {saved && <Notice kind="success">Scorecard created.</Notice>}
        <Field label="Scorecard name" value={name} onChange={setName} required />
        {criteria.map((c, i) => (
          <fieldset key={i}>
            <legend>Criterion {i + 1}</legend>
            <Field label="Key (lower case, e.g. greeting)" value={c.key} onChange={update(i, 'key')} required />
            <Field label="Label" value={c.label} onChange={update(i, 'label')} required />
            <Field label="Weight" type="number" min="1" max="100" value={c.weight} onChange={update(i, 'weight')} />
            <Field label="Maximum points" type="number" min="1" max="100" value={c.maxPoints} onChange={update(i, 'maxPoints')} />
          </fieldset>
        ))}
        <button type="button" className="secondary" onClick={() => setCriteria((cs) => [...cs, { key: '', label: '', weight: '1', maxPoints: '5' }])}>
          Add a criterion
        </button>
        <button type="submit" disabled={save.busy}>
          Create scorecard
        </button>
      </form>
    </>
  );
}
