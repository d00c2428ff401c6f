import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Authenticated, Permission, Public, SELF_SERVICE } from '@app/auth';
import { ServiceName } from '@app/domain';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @Inject(SELF_SERVICE) private readonly self: ServiceName,
  ) {}

  @Get('health/live')
  @Public('liveness probe; says nothing but "up"')
  live() {
    return { status: 'up' };
  }

  @Get('health/ready')
  @Public('readiness probe for load balancers; names no internals')
  async ready() {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('not ready');
    }
    return { status: 'ready' };
  }

  @Get('internal/status')
  @HttpCode(200)
  @Authenticated({ permission: Permission.InternalStatusRead })
  status() {
    return { service: this.self, status: 'up', time: new Date().toISOString() };
  }
}
