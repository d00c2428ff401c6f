import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@app/audit';
import { Authenticated, CurrentPrincipal, Permission, UserPrincipal } from '@app/auth';
import { Secret } from '@app/config';
import { DialerException, DialerExceptionCode } from '../dialer.exception';
import { TrunkRepository } from '../telephony/trunks/trunk.repository';
import { Trunk } from '../telephony/trunks/trunk.types';
import { TrunkDirectory } from './trunk.directory';
import { TrunkCreateDto } from './trunk.dto';

/** A trunk as admins see it: never the password, only whether one is set. */
function view(t: Trunk) {
  const { authPassword, ...rest } = t;
  return { ...rest, hasPassword: authPassword !== null };
}

/** Carriers' trunks (admins). Changes need re-authentication, are audited, and reach pacing at once. */
@ApiTags('trunks')
@Controller('trunks')
export class TrunkController {
  constructor(
    private readonly trunks: TrunkRepository,
    private readonly directory: TrunkDirectory,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Authenticated({ permission: Permission.TrunkManage })
  async list() {
    return (await this.trunks.list()).map(view);
  }

  @Post()
  @Authenticated({ permission: Permission.TrunkManage, reauth: true })
  @ApiOperation({ summary: 'A new trunk; its digest password is stored encrypted' })
  async create(@CurrentPrincipal() principal: UserPrincipal, @Body() body: TrunkCreateDto) {
    const trunk = await this.trunks
      .create(
        {
          ...body,
          authUsername: body.authUsername ?? null,
          authPassword: body.authPassword ? new Secret(body.authPassword) : null,
          callerIdDefault: body.callerIdDefault ?? null,
        },
        principal.userId,
      )
      .catch((err: unknown) => {
        if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw new DialerException(DialerExceptionCode.TrunkNameTaken, 'A trunk with that name exists');
        throw err;
      });
    await this.audit.record({ action: 'trunk.create', outcome: 'success', targetType: 'trunk', targetId: trunk.id, details: { name: trunk.name } });
    await this.directory.refresh();
    return view(trunk);
  }

  @Put(':id')
  @Authenticated({ permission: Permission.TrunkManage, reauth: true })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: TrunkCreateDto) {
    const { authPassword, ...fields } = body;
    const trunk = await this.trunks.update(id, {
      ...fields,
      authUsername: body.authUsername ?? null,
      ...(authPassword !== undefined ? { authPassword: new Secret(authPassword) } : {}),
      callerIdDefault: body.callerIdDefault ?? null,
    });
    if (!trunk) throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
    await this.audit.record({ action: 'trunk.update', outcome: 'success', targetType: 'trunk', targetId: id, details: { passwordChanged: body.authPassword !== undefined } });
    await this.directory.refresh();
    return view(trunk);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ permission: Permission.TrunkManage, reauth: true })
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.trunks.delete(id))) throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
    await this.audit.record({ action: 'trunk.delete', outcome: 'success', targetType: 'trunk', targetId: id });
    await this.directory.refresh();
  }
}
