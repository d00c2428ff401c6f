import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Public } from '@app/auth';
import { normaliseIp, RequestContext } from '@app/http';
import { endToEndHeaders, UpstreamName, UpstreamProxyRepository } from './upstream-proxy.repository';

const REASON = 'same-origin reverse proxy: the app behind it authenticates and authorises every request';

/**
 * The browser talks to one origin: /api/crm/…, /api/recording/… and /api/dialer/… are forwarded
 * as they are (streamed both ways, so uploads and audio ranges pass untouched) to the apps.
 */
@ApiExcludeController()
@Controller('api')
export class ProxyController {
  constructor(private readonly upstreams: UpstreamProxyRepository) {}

  @All('crm/*path')
  @Public(REASON)
  crm(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('crm', req, res);
  }

  @All('recording/*path')
  @Public(REASON)
  recording(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('recording', req, res);
  }

  @All('dialer/*path')
  @Public(REASON)
  dialer(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('dialer', req, res);
  }

  private async forward(upstream: UpstreamName, req: Request, res: Response): Promise<void> {
    const prefix = `/api/${upstream}`;
    const path = req.originalUrl.slice(prefix.length) || '/';
    const context = RequestContext.current();
    const headers = endToEndHeaders(req.headers);
    // The apps limit and audit by source address: tell them the browser's (they believe it only
    // from proxies listed in their TRUST_PROXY).
    headers['x-forwarded-for'] = normaliseIp(req.ip) ?? req.socket.remoteAddress ?? '';
    headers['x-forwarded-proto'] = req.protocol;
    if (context) headers['x-request-id'] = context.requestId;

    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let answer;
    try {
      answer = await this.upstreams.forward(upstream, { method: req.method, path, headers, body: req }, abort.signal);
    } catch {
      if (!res.headersSent && !abort.signal.aborted) {
        res.status(502).json({ statusCode: 502, error: 'bad_gateway', message: 'The service is not reachable', requestId: context?.requestId ?? null });
      }
      return;
    }
    res.status(answer.statusCode ?? 502);
    for (const [name, value] of Object.entries(endToEndHeaders(answer.headers))) {
      if (value !== undefined) res.setHeader(name, value);
    }
    try {
      await pipeline(answer, res);
    } catch {
      res.destroy();
    }
  }
}
