import { hostname } from 'node:os';
import { IsIn, Max, Min } from 'class-validator';
import { Env, Secret } from '@app/config';
import { KmsConfig } from '@app/crypto';
import { loadPlatformConfig, PlatformConfig } from '@app/platform';

/** drachtio-server's control socket (the dialer connects to it) and how SIP is spoken through it. */
export class DrachtioConfig {
  @Env('DRACHTIO_HOST', { default: '127.0.0.1' })
  drachtioHost!: string;

  @Env('DRACHTIO_PORT', { kind: 'int', default: 9022 })
  @Min(1)
  @Max(65535)
  drachtioPort!: number;

  @Env('DRACHTIO_SECRET', { secret: true, minLength: 8, describe: 'shared secret of drachtio-server’s admin socket' })
  drachtioSecret!: Secret<string>;

  /** Digest realm agents' phones register in. */
  @Env('SIP_REALM', { default: 'callcenter.local' })
  sipRealm!: string;

  /** Transports agents' phones may register over; plain TCP or UDP only where configured. */
  @Env('SIP_AGENT_TRANSPORTS', { kind: 'list', default: ['tls'] })
  @IsIn(['tls', 'tcp', 'udp', 'wss'], { each: true })
  agentTransports!: string[];
}

/** rtpengine's ng control socket. */
export class RtpengineConfig {
  @Env('RTPENGINE_HOST', { default: '127.0.0.1' })
  rtpengineHost!: string;

  @Env('RTPENGINE_PORT', { kind: 'int', default: 22222 })
  @Min(1)
  @Max(65535)
  rtpenginePort!: number;

  /** Media profile towards agents' phones: SRTP (SDES) for TLS phones; plain RTP only where configured. */
  @Env('DIALER_AGENT_MEDIA', { default: 'srtp-sdes' })
  @IsIn(['srtp-sdes', 'rtp'])
  agentMedia!: 'srtp-sdes' | 'rtp';

  /** The recorded "please hold, we will call you back" message for abandoned calls, a file rtpengine can read. */
  @Env('DIALER_ABANDON_MESSAGE_FILE', { default: '' })
  abandonMessageFile!: string;
}

/** Pacing and call handling. */
export class DialerRuntimeConfig {
  /** Unique per running instance; leads and calls reserved by an instance that stops heartbeating are recovered. */
  @Env('DIALER_INSTANCE_ID', { default: `${hostname()}-${process.pid}` })
  instanceId!: string;

  @Env('DIALER_TICK_MS', { kind: 'int', default: 1000 })
  @Min(100)
  tickMs!: number;

  @Env('DIALER_RING_TIMEOUT_SECONDS', { kind: 'int', default: 30 })
  @Min(5)
  @Max(120)
  ringTimeoutSeconds!: number;

  /** A customer who answered waits at most this long for an agent before the call is abandoned. */
  @Env('DIALER_AGENT_WAIT_SECONDS', { kind: 'int', default: 2 })
  @Min(1)
  @Max(2)
  agentWaitSeconds!: number;

  @Env('DIALER_WRAP_UP_SECONDS', { kind: 'int', default: 30 })
  @Min(0)
  @Max(3600)
  wrapUpSeconds!: number;

  /** An abandoned number is not dialled again before this. */
  @Env('DIALER_ABANDON_LOCKOUT_HOURS', { kind: 'int', default: 72 })
  @Min(1)
  abandonLockoutHours!: number;

  /** Placing calls at all in this process (0: routes and agent states only). */
  @Env('DIALER_RUNNER_ENABLED', { kind: 'bool', default: true })
  runnerEnabled!: boolean;
}

/** Where the dialer's peers are. */
export class DialerPeersConfig {
  @Env('CRM_API_URL', { default: 'https://127.0.0.1:8443' })
  crmApiUrl!: string;

  @Env('RECORDING_URL', { default: 'https://127.0.0.1:8445' })
  recordingApiUrl!: string;

  /** CA bundle that signed the peers' certificates (dev: the platform's own CA); empty: the system's. */
  @Env('PEER_CA_FILE', { default: '' })
  peerCaFile!: string;
}

export interface DialerConfig extends PlatformConfig {
  kms: KmsConfig;
  drachtio: DrachtioConfig;
  rtpengine: RtpengineConfig;
  runtime: DialerRuntimeConfig;
  peers: DialerPeersConfig;
}

export function loadDialerConfig(env: Record<string, string | undefined> = process.env): DialerConfig {
  return loadPlatformConfig(
    { kms: KmsConfig, drachtio: DrachtioConfig, rtpengine: RtpengineConfig, runtime: DialerRuntimeConfig, peers: DialerPeersConfig },
    env,
  );
}
