import { DynamicModule, Logger, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenService } from '@app/auth';
import { KmsRepository, LocalKmsRepository } from '@app/crypto';
import { Clock, ServiceName } from '@app/domain';
import { PlatformModule } from '@app/platform';
import { SipAccountController } from './admin/sip-account.controller';
import { TrunkController } from './admin/trunk.controller';
import { TrunkDirectory } from './admin/trunk.directory';
import { AgentController } from './agents/agent.controller';
import { AgentEventFeed } from './agents/agent-event.feed';
import { AgentStateRepository, TypeormAgentStateRepository } from './agents/agent-state.repository';
import { AgentStateService } from './agents/agent-state.service';
import { CdrReporter } from './calls/cdr-reporter.service';
import { DialerCallRepository, TypeormDialerCallRepository } from './calls/dialer-call.repository';
import { DialCampaignRepository, TypeormDialCampaignRepository } from './campaigns/dial-campaign.repository';
import { CrmClient, HttpCrmClient } from './crm/crm.client';
import { DialerConfig, DialerPeersConfig, DialerRuntimeConfig, DrachtioConfig, RtpengineConfig } from './dialer.config';
import { LEAD_QUEUE_OPTIONS, LeadQueueRepository, TypeormLeadQueueRepository } from './leads/lead-queue.repository';
import { DialerStatusController } from './monitor/dialer-status.controller';
import { PreviewController } from './preview/preview.controller';
import { PreviewService } from './preview/preview.service';
import { HttpRecordingClient, RecordingClient } from './recording/recording.client';
import { CampaignRunner } from './runner/campaign-runner.service';
import { DialOrchestrator } from './runner/dial-orchestrator.service';
import { CallSessionFactory } from './session/call-session.factory';
import { DrachtioSipRepository } from './session/drachtio-sip.repository';
import { AgentSessionAgents, CallBookkeeping, RtpengineSessionMedia, TrunkSessionRouting } from './session/session-adapters';
import { DrachtioConnection } from './telephony/drachtio/drachtio.connection';
import { NgRtpengineRepository } from './telephony/media/ng-rtpengine.repository';
import { RtpengineRepository } from './telephony/media/rtpengine.repository';
import { RtpengineSupervisor } from './telephony/media/rtpengine.supervisor';
import { DigestNonces, nonceKeyFrom } from './telephony/registrar/digest-nonce';
import { RegisterThrottle } from './telephony/registrar/register-throttle';
import { installRegistrar } from './telephony/registrar/registrar.middleware';
import { RegistrationRepository } from './telephony/registrar/registration.repository';
import { SipAccountRepository } from './telephony/registrar/sip-account.repository';
import { TypeormRegistrationRepository } from './telephony/registrar/typeorm-registration.repository';
import { TypeormSipAccountRepository } from './telephony/registrar/typeorm-sip-account.repository';
import { TelephonyHealth } from './telephony/telephony-health';
import { TrunkRepository } from './telephony/trunks/trunk.repository';
import { TrunkSelector } from './telephony/trunks/trunk-selector';
import { TypeormTrunkRepository } from './telephony/trunks/typeorm-trunk.repository';

/**
 * drachtio's transport for a request: its contact for that transport, as `sip:host:port;transport=x`
 * (drachtio announces e.g. "tls/127.0.0.1:5061,udp/127.0.0.1:5060" when the dialer connects).
 */
export function contactFromHostport(hostport: string | null, transport: string): string | null {
  for (const entry of (hostport ?? '').split(',')) {
    const [proto, address] = entry.split('/');
    if (proto === transport && address) return `sip:${address};transport=${transport}`;
  }
  return null;
}

/** Campaign pacing and call control (SIP over TLS through drachtio, media through rtpengine). */
@Module({})
export class DialerModule {
  static forRoot(config: DialerConfig): DynamicModule {
    return {
      module: DialerModule,
      imports: [PlatformModule.forRoot({ service: ServiceName.Dialer, http: config.http, database: config.database, auth: config.auth })],
      controllers: [AgentController, PreviewController, DialerStatusController, TrunkController, SipAccountController],
      providers: [
        { provide: DrachtioConfig, useValue: config.drachtio },
        { provide: RtpengineConfig, useValue: config.rtpengine },
        { provide: DialerRuntimeConfig, useValue: config.runtime },
        { provide: DialerPeersConfig, useValue: config.peers },
        {
          provide: KmsRepository,
          inject: [DataSource],
          useFactory: (db: DataSource) => new LocalKmsRepository(Buffer.from(config.kms.kmsMasterKey.reveal(), 'base64'), db),
        },
        { provide: LEAD_QUEUE_OPTIONS, useValue: { abandonLockoutSeconds: config.runtime.abandonLockoutHours * 3600 } },
        { provide: LeadQueueRepository, useClass: TypeormLeadQueueRepository },
        { provide: DialerCallRepository, useClass: TypeormDialerCallRepository },
        { provide: DialCampaignRepository, useClass: TypeormDialCampaignRepository },
        { provide: AgentStateRepository, useClass: TypeormAgentStateRepository },
        { provide: TrunkRepository, inject: [DataSource, KmsRepository], useFactory: (db: DataSource, kms: KmsRepository) => new TypeormTrunkRepository(db, kms) },
        {
          provide: SipAccountRepository,
          inject: [DataSource, KmsRepository],
          useFactory: (db: DataSource, kms: KmsRepository) => new TypeormSipAccountRepository(db, kms),
        },
        { provide: RegistrationRepository, inject: [DataSource], useFactory: (db: DataSource) => new TypeormRegistrationRepository(db) },
        {
          provide: CrmClient,
          inject: [TokenService],
          useFactory: (tokens: TokenService) =>
            new HttpCrmClient({ baseUrl: config.peers.crmApiUrl, tlsCaFile: config.peers.peerCaFile || undefined }, tokens),
        },
        {
          provide: RecordingClient,
          inject: [TokenService],
          useFactory: (tokens: TokenService) => new HttpRecordingClient(config.peers.recordingApiUrl, tokens, config.peers.peerCaFile),
        },
        {
          provide: RtpengineRepository,
          useFactory: () => new NgRtpengineRepository({ host: config.rtpengine.rtpengineHost, port: config.rtpengine.rtpenginePort }),
        },
        {
          provide: RtpengineSupervisor,
          inject: [RtpengineRepository],
          useFactory: (rtpengine: RtpengineRepository) => {
            const supervisor = new RtpengineSupervisor(rtpengine);
            supervisor.start();
            return supervisor;
          },
        },
        {
          provide: DrachtioConnection,
          inject: [SipAccountRepository, RegistrationRepository, Clock],
          useFactory: (accounts: SipAccountRepository, registrations: RegistrationRepository, clock: Clock) => {
            const log = new Logger('Registrar');
            // Every instance derives the same nonce key, so a challenge from one verifies on another.
            const nonceKey = nonceKeyFrom(config.kms.kmsMasterKey);
            const deps = {
              realm: config.drachtio.sipRealm,
              nonces: new DigestNonces(nonceKey, config.drachtio.sipRealm),
              throttle: new RegisterThrottle(),
              accounts,
              registrations,
              clock,
              allowedTransports: config.drachtio.agentTransports,
              onEvent: (e: { type: string; sourceAddress: string }) => {
                if (e.type !== 'registered' && e.type !== 'unregistered') log.warn(`REGISTER ${e.type} from ${e.sourceAddress}`);
              },
            };
            const connection = new DrachtioConnection(
              {
                host: config.drachtio.drachtioHost,
                port: config.drachtio.drachtioPort,
                secret: config.drachtio.drachtioSecret,
                // An outbound dialer idles while drachtio is away: come back within seconds, not minutes.
                backoff: { initialMs: 250, maxMs: 5000 },
                attemptTimeoutMs: 5000,
              },
              {
                configure: (srf) => {
                  installRegistrar(srf, deps);
                  // The dialer only places calls: anything that tries to call in is refused.
                  srf.invite((_req, res) => res.send(403));
                },
              },
            );
            connection.start();
            return connection;
          },
        },
        { provide: TelephonyHealth, inject: [DrachtioConnection, RtpengineSupervisor], useFactory: TelephonyHealth.of },
        { provide: TrunkSelector, useFactory: () => new TrunkSelector() },
        TrunkDirectory,
        {
          provide: CallSessionFactory,
          inject: [DrachtioConnection, RtpengineRepository, TrunkSelector, AgentStateService, RegistrationRepository, DialerCallRepository, RecordingClient, Clock],
          useFactory: (
            drachtio: DrachtioConnection,
            rtpengine: RtpengineRepository,
            selector: TrunkSelector,
            agents: AgentStateService,
            registrations: RegistrationRepository,
            calls: DialerCallRepository,
            recording: RecordingClient,
            clock: Clock,
          ) =>
            new CallSessionFactory({
              sip: new DrachtioSipRepository(
                () => drachtio.srf,
                (transport) => contactFromHostport(drachtio.hostport, transport),
              ),
              media: new RtpengineSessionMedia(rtpengine, config.rtpengine.abandonMessageFile),
              routing: new TrunkSessionRouting(selector),
              agents: new AgentSessionAgents(agents, registrations, config.runtime.wrapUpSeconds, () => clock.now()),
              books: new CallBookkeeping(calls, recording),
              now: () => clock.now(),
              sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
            }),
        },
        AgentStateService,
        AgentEventFeed,
        CdrReporter,
        DialOrchestrator,
        CampaignRunner,
        PreviewService,
        { provide: 'SHUTDOWN', inject: [DrachtioConnection, RtpengineSupervisor, RtpengineRepository], useFactory: shutdownHook },
      ],
    };
  }
}

/** Closes the SIP and media connections when the app stops. */
function shutdownHook(drachtio: DrachtioConnection, supervisor: RtpengineSupervisor, rtpengine: RtpengineRepository) {
  return {
    onApplicationShutdown: async () => {
      drachtio.stop();
      await supervisor.stop();
      rtpengine.close();
    },
  };
}
