import { KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, send } from '../api/client';
import { ErrorNotice, formatDuration } from '../ui/kit';

export interface PlayerControls {
  seekMs(ms: number): void;
  currentMs(): number;
}

interface Ticket {
  ticket: string;
  expiresAt: string;
  url: string;
}

const COLUMNS = 800;
/** Fetch a new ticket a little before the old one runs out (the browser asks for ranges as you seek). */
const TICKET_MARGIN_MS = 10_000;

/** Peak amplitude per column, per channel: [0] customer (left), [1] agent (right). */
function peaks(buffer: AudioBuffer): Float32Array[] {
  const out: Float32Array[] = [];
  for (let ch = 0; ch < Math.min(2, buffer.numberOfChannels); ch++) {
    const data = buffer.getChannelData(ch);
    const column = new Float32Array(COLUMNS);
    const per = Math.max(1, Math.floor(data.length / COLUMNS));
    for (let x = 0; x < COLUMNS; x++) {
      let max = 0;
      for (let i = x * per; i < Math.min(data.length, (x + 1) * per); i++) max = Math.max(max, Math.abs(data[i]));
      column[x] = max;
    }
    out.push(column);
  }
  return out;
}

/**
 * Plays a recording through the browser's <audio> element with a short-lived playback ticket (the
 * element cannot send a bearer token), and draws its waveform from the decoded audio: customer
 * (left channel) above, agent (right channel) below. Click or use the arrow keys on the waveform,
 * the position slider or the buttons to seek.
 */
export function Player(props: { recordingId: string; durationMs: number; onReady?: (controls: PlayerControls) => void }) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const ticketRef = useRef<{ expiresAt: number } | null>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [wave, setWave] = useState<Float32Array[] | null>(null);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(props.durationMs / 1000);
  const [error, setError] = useState<unknown>(null);
  const [playing, setPlaying] = useState(false);
  const sliderId = useId();

  const newTicket = useCallback(async () => {
    const t = await api<Ticket>('recording', 'POST', `/recordings/${props.recordingId}/playback-ticket`);
    ticketRef.current = { expiresAt: new Date(t.expiresAt).getTime() };
    return `/api/recording/${t.url}`;
  }, [props.recordingId]);

  /** Swaps in a fresh ticket, keeping the position and whether it was playing. */
  const renewIfNeeded = useCallback(async () => {
    const audio = audioRef.current;
    if (!audio || !ticketRef.current || Date.now() < ticketRef.current.expiresAt - TICKET_MARGIN_MS) return;
    const at = audio.currentTime;
    const wasPlaying = !audio.paused;
    const url = await newTicket();
    audio.src = url;
    audio.currentTime = at;
    if (wasPlaying) await audio.play().catch(() => undefined);
  }, [newTicket]);

  useEffect(() => {
    let live = true;
    newTicket()
      .then((url) => live && setSrc(url))
      .catch((e) => live && setError(e));
    // The waveform needs the whole file decoded: one authorised, audited fetch.
    send('recording', 'GET', `/recordings/${props.recordingId}/audio`)
      .then((res) => res.arrayBuffer())
      .then((bytes) => new OfflineAudioContext(2, 1, 8000).decodeAudioData(bytes))
      .then((buffer) => live && (setWave(peaks(buffer)), setDuration(buffer.duration)))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [props.recordingId, newTicket]);

  const seek = useCallback(
    async (seconds: number) => {
      const audio = audioRef.current;
      if (!audio) return;
      await renewIfNeeded().catch((e) => setError(e));
      const target = Math.max(0, Math.min(seconds, duration || audio.duration || 0));
      audio.currentTime = target;
      setPosition(target);
    },
    [duration, renewIfNeeded],
  );

  useEffect(() => {
    props.onReady?.({ seekMs: (ms) => void seek(ms / 1000), currentMs: () => Math.round((audioRef.current?.currentTime ?? 0) * 1000) });
  }, [seek, props]);

  // Draw the waveform and the playhead.
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const w = canvas.width;
    const h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    const half = h / 2;
    const colours = ['#1f6feb', '#2da44e'];
    (wave ?? []).forEach((channel, ch) => {
      const mid = half * ch + half / 2;
      ctx.fillStyle = colours[ch];
      for (let x = 0; x < channel.length; x++) {
        const amp = channel[x] * (half / 2 - 2);
        ctx.fillRect((x / channel.length) * w, mid - amp, Math.max(1, w / channel.length), Math.max(1, amp * 2));
      }
    });
    ctx.fillStyle = '#57606a';
    ctx.fillRect(0, half, w, 1);
    if (duration > 0) {
      ctx.fillStyle = '#cf222e';
      ctx.fillRect((position / duration) * w, 0, 2, h);
    }
  }, [wave, position, duration]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowLeft') (e.preventDefault(), void seek(position - 5));
    if (e.key === 'ArrowRight') (e.preventDefault(), void seek(position + 5));
    if (e.key === 'Home') (e.preventDefault(), void seek(0));
    if (e.key === 'End') (e.preventDefault(), void seek(duration));
  };

  return (
    <div className="player">
      <ErrorNotice error={error} />
      <ul className="legend" aria-label="Channels">
        <li className="legend-customer">Customer — left channel (top)</li>
        <li className="legend-agent">Agent — right channel (bottom)</li>
      </ul>
      <canvas
        ref={canvasRef}
        width={COLUMNS}
        height={160}
        tabIndex={0}
        role="img"
        aria-label={wave ? 'Waveform: customer above, agent below. Click or use the arrow keys to seek.' : 'Waveform loading'}
        data-testid="waveform"
        data-ready={wave ? 'true' : 'false'}
        onKeyDown={onKey}
        onClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          void seek(((e.clientX - rect.left) / rect.width) * duration);
        }}
      />
      {src && (
        <audio
          ref={audioRef}
          src={src}
          preload="auto"
          data-testid="audio"
          onTimeUpdate={(e) => setPosition(e.currentTarget.currentTime)}
          onPlay={() => setPlaying(true)}
          onPause={() => setPlaying(false)}
          onEnded={() => setPlaying(false)}
          onError={() => {
            // Most often an expired ticket on a later range request: renew once and carry on.
            ticketRef.current = { expiresAt: 0 };
            void renewIfNeeded().catch((err) => setError(err));
          }}
        />
      )}
      <div className="transport">
        <button
          type="button"
          disabled={!src}
          onClick={() => {
            const audio = audioRef.current;
            if (!audio) return;
            if (audio.paused) void renewIfNeeded().then(() => audio.play()).catch((err) => setError(err));
            else audio.pause();
          }}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="secondary" onClick={() => void seek(position - 5)}>
          Back 5 s
        </button>
        <button type="button" className="secondary" onClick={() => void seek(position + 5)}>
          Forward 5 s
        </button>
        <label htmlFor={sliderId}>Position</label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={Math.max(0, Math.floor(duration * 10))}
          value={Math.floor(position * 10)}
          aria-valuetext={`${formatDuration(position * 1000)} of ${formatDuration(duration * 1000)}`}
          onChange={(e) => void seek(Number(e.target.value) / 10)}
        />
        <span data-testid="position" aria-live="off">
          {formatDuration(position * 1000)} / {formatDuration(duration * 1000)}
        </span>
      </div>
    </div>
  );
}
