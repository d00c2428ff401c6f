import { FormEvent, useEffect, useRef, useState } from 'react';
import { send } from '../api/client';
import { ErrorNotice, Field } from '../ui/kit';

/**
 * Sensitive actions need password and a fresh code within the last few minutes: the API answers
 * 403 reauth_required, this dialog asks, and the action is sent again. A modal <dialog> traps focus
 * and Escape cancels; focus returns where it was.
 */
export function ReauthDialog(props: { open: boolean; onDone: (ok: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const returnFocus = useRef<Element | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      returnFocus.current = document.activeElement;
      setPassword('');
      setCode('');
      setError(null);
      dialog.showModal();
    } else if (!props.open && dialog.open) {
      dialog.close();
      (returnFocus.current as HTMLElement | null)?.focus?.();
    }
  }, [props.open]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send('crm', 'POST', '/auth/reauth', { json: { password, code: code.trim() } });
      setPassword('');
      setCode('');
      props.onDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} aria-labelledby="reauth-title" onCancel={(e) => (e.preventDefault(), props.onDone(false))}>
      {props.open && (
      <form onSubmit={submit}>
        <h2 id="reauth-title">Confirm it is you</h2>
        <p>This action needs your password and a fresh code from your authenticator app.</p>
        <ErrorNotice error={error} />
        <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required autoFocus />
        <Field label="6-digit code" value={code} onChange={setCode} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" required />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Confirm
          </button>
          <button type="button" className="secondary" onClick={() => props.onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
      )}
    </dialog>
  );
}
