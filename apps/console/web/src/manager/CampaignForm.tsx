import { FormEvent, useState } from 'react';
import { api } from '../api/client';
import { ErrorNotice, Field, Select, TextArea, useAction } from '../ui/kit';
import { Campaign, WEEKDAYS, Weekday } from './types';

interface Draft {
  name: string;
  dialMode: Campaign['dialMode'];
  callerIds: string;
  startHour: string;
  endHour: string;
  days: Weekday[];
  defaultTimezone: string;
  maxAttempts: string;
  busy: string;
  noAnswer: string;
  machine: string;
  failed: string;
  recordingRetentionDays: string;
  leadRetentionDays: string;
  script: string;
}

function draftOf(c: Campaign | null): Draft {
  return {
    name: c?.name ?? '',
    dialMode: c?.dialMode ?? 'progressive',
    callerIds: c?.callerIds.join(', ') ?? '',
    startHour: String(c?.window.startHour ?? 9),
    endHour: String(c?.window.endHour ?? 20),
    days: c?.window.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'],
    defaultTimezone: c?.defaultTimezone ?? 'Europe/London',
    maxAttempts: String(c?.maxAttempts ?? 3),
    busy: String(c?.retryDelays.busy ?? 30),
    noAnswer: String(c?.retryDelays.noAnswer ?? 60),
    machine: String(c?.retryDelays.machine ?? 120),
    failed: String(c?.retryDelays.failed ?? 240),
    recordingRetentionDays: String(c?.recordingRetentionDays ?? 90),
    leadRetentionDays: String(c?.leadRetentionDays ?? 365),
    script: c?.script ?? '',
  };
}

/** Creates a campaign (campaign = null) or edits one. */
export function CampaignForm(props: { campaign: Campaign | null; onSaved: (c: Campaign) => void; onCancel?: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(props.campaign));
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setD((prev) => ({ ...prev, [key]: value }));
  const save = useAction(async () => {
    const body = {
      name: d.name.trim(),
      dialMode: d.dialMode,
      callerIds: d.callerIds.split(/[\s,]+/).filter(Boolean),
      window: { startHour: Number(d.startHour), endHour: Number(d.endHour), days: d.days, holidays: props.campaign?.window.holidays ?? [] },
      defaultTimezone: d.defaultTimezone.trim(),
      maxAttempts: Number(d.maxAttempts),
      retryDelays: { busy: Number(d.busy), noAnswer: Number(d.noAnswer), machine: Number(d.machine), failed: Number(d.failed) },
      recordingRetentionDays: Number(d.recordingRetentionDays),
      leadRetentionDays: Number(d.leadRetentionDays),
      script: d.script,
    };
    const saved = props.campaign
      ? await api<Campaign>('crm', 'PATCH', `/campaigns/${props.campaign.id}`, { json: body })
      : await api<Campaign>('crm', 'POST', '/campaigns', { json: body });
    props.onSaved(saved);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <form onSubmit={submit} aria-label={props.campaign ? 'Edit campaign' : 'New campaign'} className="grid-form">
      <ErrorNotice error={save.error} />
      <Field label="Campaign name" value={d.name} onChange={set('name')} required />
      <Select
        label="Dial mode"
        value={d.dialMode}
        onChange={(v) => set('dialMode')(v as Draft['dialMode'])}
        options={[
          { value: 'preview', label: 'Preview' },
          { value: 'progressive', label: 'Progressive' },
          { value: 'predictive', label: 'Predictive' },
        ]}
      />
      <Field label="Caller IDs (E.164, comma-separated)" value={d.callerIds} onChange={set('callerIds')} required hint="For example +442071838750" />
      <Field label="Calling from hour (0–23)" type="number" min="0" max="23" value={d.startHour} onChange={set('startHour')} required />
      <Field label="Calling until hour (1–24, exclusive)" type="number" min="1" max="24" value={d.endHour} onChange={set('endHour')} required />
      <fieldset>
        <legend>Calling days</legend>
        {WEEKDAYS.map((day) => (
          <label key={day} className="inline">
            <input
              type="checkbox"
              checked={d.days.includes(day)}
              onChange={(e) => set('days')(e.target.checked ? [...d.days, day] : d.days.filter((x) => x !== day))}
            />
            {day}
          </label>
        ))}
      </fieldset>
      <Field label="Default time zone" value={d.defaultTimezone} onChange={set('defaultTimezone')} required hint="IANA name, e.g. Europe/London" />
      <Field label="Maximum attempts per lead" type="number" min="1" max="50" value={d.maxAttempts} onChange={set('maxAttempts')} required />
      <fieldset>
        <legend>Retry after (minutes)</legend>
        <Field label="Busy" type="number" min="1" value={d.busy} onChange={set('busy')} />
        <Field label="No answer" type="number" min="1" value={d.noAnswer} onChange={set('noAnswer')} />
        <Field label="Answering machine" type="number" min="1" value={d.machine} onChange={set('machine')} />
        <Field label="Failed" type="number" min="1" value={d.failed} onChange={set('failed')} />
      </fieldset>
      <Field label="Keep recordings (days)" type="number" min="1" max="3650" value={d.recordingRetentionDays} onChange={set('recordingRetentionDays')} />
      <Field label="Keep leads (days)" type="number" min="1" max="3650" value={d.leadRetentionDays} onChange={set('leadRetentionDays')} />
      <TextArea label="Script shown to agents" value={d.script} onChange={set('script')} rows={4} maxLength={20000} />
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          {props.campaign ? 'Save changes' : 'Create campaign'}
        </button>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
