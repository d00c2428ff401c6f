import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@app/audit';
import { Authenticated, Permission } from '@app/auth';
import { DialerException, DialerExceptionCode } from '../dialer.exception';
import { SipAccountRepository } from '../telephony/registrar/sip-account.repository';
import { SipAccountCreateDto } from './trunk.dto';

/**
 * Agents' SIP credentials for their phones (admins). The secret is generated, shown once in the
 * answer and stored encrypted; every change is audited and needs re-authentication.
 */
@ApiTags('sip-accounts')
@Controller('agents/:userId/sip-account')
export class SipAccountController {
  constructor(
    private readonly accounts: SipAccountRepository,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Authenticated({ permission: Permission.SipAccountManage })
  async get(@Param('userId', ParseUUIDPipe) userId: string) {
    const account = await this.accounts.findByUserId(userId);
    if (!account) throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
    return account;
  }

  @Post()
  @Authenticated({ permission: Permission.SipAccountManage, reauth: true })
  @ApiOperation({ summary: 'Creates the agent’s SIP account; the answer holds the secret, shown this once' })
  async create(@Param('userId', ParseUUIDPipe) userId: string, @Body() body: SipAccountCreateDto) {
    const secret = await this.accounts.create(userId, body.username).catch((err: unknown) => {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw new DialerException(DialerExceptionCode.SipUsernameTaken, 'That SIP username is taken');
      throw err;
    });
    await this.audit.record({ action: 'sip_account.create', outcome: 'success', targetType: 'user', targetId: userId, details: { username: body.username } });
    return { username: body.username, secret: secret.reveal() };
  }

  @Post('rotate')
  @Authenticated({ permission: Permission.SipAccountManage, reauth: true })
  async rotate(@Param('userId', ParseUUIDPipe) userId: string) {
    const secret = await this.accounts.rotate(userId);
    if (!secret) throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
    await this.audit.record({ action: 'sip_account.rotate', outcome: 'success', targetType: 'user', targetId: userId });
    return { secret: secret.reveal() };
  }

  @Delete()
  @HttpCode(204)
  @Authenticated({ permission: Permission.SipAccountManage, reauth: true })
  async remove(@Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    if (!(await this.accounts.delete(userId))) throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
    await this.audit.record({ action: 'sip_account.delete', outcome: 'success', targetType: 'user', targetId: userId });
  }
}
