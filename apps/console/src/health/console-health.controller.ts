import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '@app/auth';
import { ConsoleConfig } from '../console.config';

@ApiTags('health')
@Controller('health')
export class ConsoleHealthController {
  constructor(private readonly config: ConsoleConfig) {}

  @Get('live')
  @Public('liveness probe; says nothing but "up"')
  live() {
    return { status: 'up' };
  }

  /** Ready when the built pages are there; the apps behind it have their own probes. */
  @Get('ready')
  @Public('readiness probe for load balancers; names no internals')
  ready() {
    if (!existsSync(join(this.config.webDir, 'index.html'))) throw new ServiceUnavailableException('not ready');
    return { status: 'ready' };
  }
}
