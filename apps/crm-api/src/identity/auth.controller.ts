import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Authenticated, CurrentPrincipal, Permission, Principal, Public, UserPrincipal } from '@app/auth';
import { UserAdminService } from '../admin/user-admin.service';
import { AuthService, ClientInfo } from './auth.service';
import { LoginDto, MfaEnrolConfirmDto, MfaEnrolStartDto, MfaVerifyDto, PasswordChangeDto, ReauthDto, RefreshDto } from './auth.dto';
import { Client } from './client-info.decorator';
import { IdentityException, IdentityExceptionCode } from './identity.exception';
import { SessionRepository } from './session.repository';
import { UserRepository } from './user.repository';

// Sign-in routes get a tighter per-address limit than the rest of the API.
const SIGN_IN_LIMIT = { default: { limit: 30, ttl: 60_000 } };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly admin: UserAdminService,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public('sign-in, step one: password')
  @Throttle(SIGN_IN_LIMIT)
  @ApiOperation({ summary: 'Password step; answers with an MFA challenge or an enrolment token' })
  login(@Body() body: LoginDto, @Client() client: ClientInfo) {
    return this.auth.login(body.username, body.password, client);
  }

  @Post('mfa/verify')
  @HttpCode(200)
  @Public('sign-in, step two: TOTP or recovery code, bound to the challenge token')
  @Throttle(SIGN_IN_LIMIT)
  @ApiOperation({ summary: 'TOTP (or recovery code) step; opens a session' })
  verify(@Body() body: MfaVerifyDto, @Client() client: ClientInfo) {
    if ((body.code === undefined) === (body.recoveryCode === undefined)) {
      throw new IdentityException(IdentityExceptionCode.SignInFailed, 'Give either a code or a recovery code');
    }
    return this.auth.verifyMfa(body.challengeToken, { code: body.code, recoveryCode: body.recoveryCode }, client);
  }

  @Post('mfa/enrol')
  @HttpCode(200)
  @Public('first sign-in: MFA enrolment, bound to the enrolment token')
  @Throttle(SIGN_IN_LIMIT)
  @ApiOperation({ summary: 'Starts TOTP enrolment: otpauth URI and QR code' })
  enrol(@Body() body: MfaEnrolStartDto) {
    return this.auth.beginEnrolment(body.enrolmentToken);
  }

  @Post('mfa/enrol/confirm')
  @HttpCode(200)
  @Public('first sign-in: MFA enrolment, bound to the enrolment token')
  @Throttle(SIGN_IN_LIMIT)
  @ApiOperation({ summary: 'Confirms enrolment with a first code; returns tokens and 10 recovery codes, once' })
  confirmEnrolment(@Body() body: MfaEnrolConfirmDto, @Client() client: ClientInfo) {
    return this.auth.confirmEnrolment(body.enrolmentToken, body.code, client);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public('the refresh token is the credential')
  @Throttle(SIGN_IN_LIMIT)
  @ApiOperation({ summary: 'Rotates the refresh token; reuse of an old one revokes the session' })
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Authenticated({ permission: Permission.SelfManage })
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logout(asUser(principal));
  }

  @Post('reauth')
  @HttpCode(204)
  @Authenticated({ permission: Permission.SelfManage })
  @Throttle(SIGN_IN_LIMIT)
  @ApiOperation({ summary: 'Password and TOTP again, before a sensitive action' })
  async reauth(@CurrentPrincipal() principal: Principal, @Body() body: ReauthDto, @Client() client: ClientInfo): Promise<void> {
    await this.auth.reauthenticate(asUser(principal), body.password, body.code, client);
  }

  @Post('password')
  @HttpCode(204)
  @Authenticated({ permission: Permission.SelfManage })
  @Throttle(SIGN_IN_LIMIT)
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PasswordChangeDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.auth.changePassword(asUser(principal), body.currentPassword, body.newPassword, client);
  }

  @Get('me')
  @Authenticated({ permission: Permission.SelfManage })
  async me(@CurrentPrincipal() principal: Principal) {
    const user = await this.users.findById(asUser(principal).userId);
    if (!user) throw new IdentityException(IdentityExceptionCode.UserNotFound);
    return { id: user.id, username: user.username, displayName: user.displayName, role: user.role, mfaEnabled: !!user.mfaEnabledAt };
  }

  @Get('sessions')
  @Authenticated({ permission: Permission.SelfManage })
  async mySessions(@CurrentPrincipal() principal: Principal) {
    const me = asUser(principal);
    return (await this.sessions.listActiveForUser(me.userId)).map((s) => ({ ...s, current: s.id === me.sessionId }));
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @Authenticated({ permission: Permission.SelfManage })
  async revokeMine(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.admin.revokeSession(asUser(principal), id, Permission.SelfManage);
  }
}

export function asUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new IdentityException(IdentityExceptionCode.InvalidToken);
  return principal;
}
