import Srf from 'drachtio-srf';
import { OutboundInvite, PendingLeg, SipFailure, SipLeg, SipRepository } from './sip.repository';

/** The header that carries the dialer's call id on both legs (never personal data). */
export const CALL_ID_HEADER = 'X-Call-Session';

/** drachtio-srf as the SIP port. `srf` is read at each call so a reconnected Srf is picked up. */
export class DrachtioSipRepository extends SipRepository {
  /**
   * `contact` gives drachtio's own address for the transport of a request URI: a `sip:…;transport=tls`
   * Contact (drachtio's default is `sips:` without a user, which some endpoints never send BYE to).
   */
  constructor(
    private readonly srf: () => Srf,
    private readonly contact: (transport: string) => string | null = () => null,
  ) {
    super();
  }

  private contactHeader(uri: string): Record<string, string> {
    const transport = /;transport=(\w+)/i.exec(uri)?.[1]?.toLowerCase() ?? 'udp';
    const contact = this.contact(transport);
    return contact ? { Contact: `<${contact}>` } : {};
  }

  invite(request: OutboundInvite, onRinging: () => void): Promise<SipLeg> {
    return new Promise<SipLeg>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      let timedOut = false;
      let ringing = false;
      const done = () => {
        if (timer) clearTimeout(timer);
      };
      this.srf()
        .createUAC(
          request.uri,
          {
            localSdp: request.sdp,
            // From carries the caller ID; the Contact stays drachtio's own, which names the transport
            // (drachtio-srf's callingNumber would put the number in the Contact too, without it).
            headers: {
              From: `<sip:${request.callerId}@localhost>`,
              'P-Asserted-Identity': `<sip:${request.callerId}@localhost>`,
              [CALL_ID_HEADER]: request.callId,
              ...this.contactHeader(request.uri),
            },
            ...(request.auth ? { auth: request.auth } : {}),
          },
          {
            cbRequest: onRequestSent((req) => {
              timer = setTimeout(() => {
                timedOut = true;
                req.cancel(() => undefined);
              }, request.ringTimeoutSeconds * 1000);
            }),
            cbProvisional: (res) => {
              if (!ringing && (res.status === 180 || res.status === 183)) {
                ringing = true;
                onRinging();
              }
            },
          },
        )
        .then((dialog) => {
          done();
          resolve(toLeg(dialog));
        })
        .catch((err: unknown) => {
          done();
          reject(timedOut ? new SipFailure('timeout') : toFailure(err));
        });
    });
  }

  async inviteWithoutOffer(uri: string, callId: string, ringTimeoutSeconds: number): Promise<PendingLeg> {
    let timer: NodeJS.Timeout | null = null;
    let timedOut = false;
    try {
      const uac = (await this.srf().createUAC(
        uri,
        { noAck: true, headers: { [CALL_ID_HEADER]: callId, ...this.contactHeader(uri) } } as Srf.CreateUACOptions,
        {
          cbRequest: onRequestSent((req) => {
            timer = setTimeout(() => {
              timedOut = true;
              req.cancel(() => undefined);
            }, ringTimeoutSeconds * 1000);
          }),
        },
      )) as unknown as ThirdPartyAnswer;
      if (timer) clearTimeout(timer);
      const to = uac.res.getParsedHeader('To') as { params?: { tag?: string } };
      return {
        remoteSdp: uac.sdp,
        remoteTag: to.params?.tag ?? '',
        callId: uac.res.get('Call-ID'),
        ack: async (answer: string) => toLeg(await uac.ack(answer)),
        abandon: () => uac.destroy(),
      };
    } catch (err) {
      if (timer) clearTimeout(timer);
      throw timedOut ? new SipFailure('timeout') : toFailure(err);
    }
  }
}

/** What drachtio-srf resolves createUAC with when noAck is set (its typings do not say). */
interface ThirdPartyAnswer {
  sdp: string;
  ack(sdp: string): Promise<Srf.Dialog>;
  destroy(): Promise<void>;
  res: Srf.SrfResponse;
}

/**
 * drachtio-srf calls cbRequest as (err, req) (lib/srf.js), though its typings say (req): the request
 * is the second argument, and absent when sending failed (createUAC then rejects on its own).
 */
function onRequestSent(use: (req: Srf.SrfRequest) => void): (req: Srf.SrfRequest) => void {
  return ((err: unknown, req?: Srf.SrfRequest) => {
    if (!err && req) use(req);
  }) as unknown as (req: Srf.SrfRequest) => void;
}

function toLeg(dialog: Srf.Dialog): SipLeg {
  let ended = false;
  let remoteHungUp = false;
  const listeners: (() => void)[] = [];
  dialog.on('destroy', () => {
    if (ended) return;
    ended = true;
    remoteHungUp = true;
    for (const l of listeners) l();
  });
  return {
    callId: dialog.sip.callId,
    remoteTag: dialog.sip.remoteTag,
    remoteSdp: (dialog as unknown as { remote: { sdp: string } }).remote.sdp,
    modify: (sdp: string) => dialog.modify(sdp),
    hangUp: async () => {
      if (ended) return;
      ended = true;
      await new Promise<void>((resolve) => dialog.destroy(undefined, () => resolve()));
    },
    // A BYE that came before anyone listened is not lost: a late listener hears it at once.
    onEnded: (listener) => {
      if (remoteHungUp) listener();
      else listeners.push(listener);
    },
  };
}

function toFailure(err: unknown): SipFailure {
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number') return new SipFailure(status);
  return new SipFailure(503, 'SIP request failed');
}
