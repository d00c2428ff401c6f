import { FormEvent, useEffect, useRef, useState } from 'react';
import { api, ApiError, startSession, TokenPair } from '../api/client';
import { ErrorNotice, Field, Notice } from '../ui/kit';

type LoginStep = { status: 'mfa_required'; challengeToken: string } | { status: 'mfa_enrolment_required'; enrolmentToken: string };

interface Enrolment {
  otpauthUri: string;
  qrCodeDataUrl: string;
  secret: string;
}

type Step =
  | { kind: 'password' }
  | { kind: 'code'; challengeToken: string }
  | { kind: 'enrol'; enrolmentToken: string; enrolment: Enrolment | null }
  | { kind: 'recovery-codes'; codes: string[]; tokens: TokenPair };

/**
 * Sign-in: password, then a code from the authenticator app (or a recovery code). A first sign-in
 * enrols the authenticator (QR code, or the key typed by hand) and shows the recovery codes once.
 */
export function SignIn(props: { message: string | null; onSignedIn: (tokens: TokenPair) => void }) {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [frozen, setFrozen] = useState(false);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => headingRef.current?.focus(), [step.kind]);

  const guard = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'account_frozen') setFrozen(true);
      else if (e instanceof ApiError && e.code === 'invalid_token') {
        // The challenge ran out (a few minutes): start again from the password.
        setStep({ kind: 'password' });
        setError(new ApiError(401, 'invalid_token', 'That took too long. Please sign in again.', null));
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (e: FormEvent) => {
    e.preventDefault();
    void guard(async () => {
      setFrozen(false);
      const answer = await api<LoginStep>('crm', 'POST', '/auth/login', { json: { username, password }, anonymous: true });
      setPassword('');
      setCode('');
      if (answer.status === 'mfa_required') setStep({ kind: 'code', challengeToken: answer.challengeToken });
      else {
        const enrolment = await api<Enrolment>('crm', 'POST', '/auth/mfa/enrol', { json: { enrolmentToken: answer.enrolmentToken }, anonymous: true });
        setStep({ kind: 'enrol', enrolmentToken: answer.enrolmentToken, enrolment });
      }
    });
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    if (step.kind !== 'code') return;
    void guard(async () => {
      const proof = useRecovery ? { recoveryCode: code.trim() } : { code: code.trim() };
      const tokens = await api<TokenPair>('crm', 'POST', '/auth/mfa/verify', { json: { challengeToken: step.challengeToken, ...proof }, anonymous: true });
      setCode('');
      props.onSignedIn(tokens);
    });
  };

  const submitEnrolment = (e: FormEvent) => {
    e.preventDefault();
    if (step.kind !== 'enrol') return;
    void guard(async () => {
      const answer = await api<TokenPair & { recoveryCodes: string[] }>('crm', 'POST', '/auth/mfa/enrol/confirm', {
        json: { enrolmentToken: step.enrolmentToken, code: code.trim() },
        anonymous: true,
      });
      setCode('');
      setStep({ kind: 'recovery-codes', codes: answer.recoveryCodes, tokens: answer });
    });
  };

  return (
    <main className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title" tabIndex={-1} ref={headingRef}>
        {step.kind === 'password' && 'Sign in'}
        {step.kind === 'code' && 'Two-factor code'}
        {step.kind === 'enrol' && 'Set up two-factor authentication'}
        {step.kind === 'recovery-codes' && 'Your recovery codes'}
      </h1>
      {props.message && step.kind === 'password' && <Notice kind="info">{props.message}</Notice>}
      {frozen && (
        <div className="notice notice-frozen" role="alert">
          <strong>This account is frozen.</strong> Unusual activity was detected and access is blocked until an administrator
          unfreezes the account. Please contact your administrator.
        </div>
      )}
      <ErrorNotice error={error} />

      {step.kind === 'password' && (
        <form onSubmit={submitPassword} aria-label="Sign in">
          <Field label="Username" value={username} onChange={setUsername} autoComplete="username" required autoFocus />
          <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required />
          <button type="submit" disabled={busy}>
            Continue
          </button>
        </form>
      )}

      {step.kind === 'code' && (
        <form onSubmit={submitCode} aria-label="Two-factor code">
          {useRecovery ? (
            <Field label="Recovery code" value={code} onChange={setCode} autoComplete="off" required autoFocus />
          ) : (
            <Field
              label="6-digit code from your authenticator app"
              value={code}
              onChange={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              required
              autoFocus
            />
          )}
          <button type="submit" disabled={busy}>
            Sign in
          </button>
          <button type="button" className="link" onClick={() => (setUseRecovery(!useRecovery), setCode(''))}>
            {useRecovery ? 'Use a code from the app instead' : 'Use a recovery code instead'}
          </button>
        </form>
      )}

      {step.kind === 'enrol' && step.enrolment && (
        <form onSubmit={submitEnrolment} aria-label="Set up two-factor authentication">
          <p>Scan this QR code with your authenticator app, then enter the 6-digit code it shows.</p>
          <img className="qr" src={step.enrolment.qrCodeDataUrl} alt="QR code for your authenticator app" width={200} height={200} />
          <details>
            <summary>Cannot scan? Enter the key by hand</summary>
            <p>
              Key: <code data-testid="totp-secret">{step.enrolment.secret}</code>
            </p>
          </details>
          <Field
            label="6-digit code from your authenticator app"
            value={code}
            onChange={setCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            required
          />
          <button type="submit" disabled={busy}>
            Confirm
          </button>
        </form>
      )}

      {step.kind === 'recovery-codes' && (
        <section aria-label="Recovery codes">
          <p>
            Each code signs you in once if you lose your authenticator. Store them somewhere safe now: they are not shown again, and
            this console does not keep them.
          </p>
          <ol className="recovery-codes">
            {step.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => props.onSignedIn(step.tokens)}>
            I have stored my recovery codes
          </button>
        </section>
      )}
    </main>
  );
}

/** Makes the session current (called by the app shell once sign-in completes). */
export function openSession(tokens: TokenPair): void {
  startSession(tokens);
}
