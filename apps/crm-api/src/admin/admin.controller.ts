import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { IpRuleCreateDto, SessionListQueryDto, UserCreateDto } from './admin.dto';
import { SecurityPolicyService } from './security-policy.service';
import { UserAdminService } from './user-admin.service';

@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly users: UserAdminService,
    private readonly policy: SecurityPolicyService,
  ) {}

  @Get('users')
  @Authenticated({ permission: Permission.UserRead })
  listUsers() {
    return this.users.list();
  }

  @Post('users')
  @Authenticated({ permission: Permission.UserManage })
  @ApiOperation({ summary: 'Creates a user; the first password is in this answer only' })
  createUser(@Body() body: UserCreateDto) {
    return this.users.create(body);
  }

  @Post('users/:id/disable')
  @HttpCode(204)
  @Authenticated({ permission: Permission.UserManage })
  async disable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.setDisabled(asUser(principal), id, true);
  }

  @Post('users/:id/enable')
  @HttpCode(204)
  @Authenticated({ permission: Permission.UserManage })
  async enable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.setDisabled(asUser(principal), id, false);
  }

  @Post('users/:id/mfa-reset')
  @HttpCode(204)
  @Authenticated({ permission: Permission.UserManage, reauth: true })
  async resetMfa(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.resetMfa(asUser(principal), id);
  }

  @Get('sessions')
  @Authenticated({ permission: Permission.SessionManage })
  listSessions(@Query() query: SessionListQueryDto) {
    return this.users.listSessions(query.userId);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @Authenticated({ permission: Permission.SessionManage })
  async revokeSession(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.users.revokeSession(asUser(principal), id, Permission.SessionManage);
  }

  @Get('ip-rules')
  @Authenticated({ permission: Permission.SecurityPolicyManage })
  listIpRules() {
    return this.policy.list();
  }

  @Post('ip-rules')
  @Authenticated({ permission: Permission.SecurityPolicyManage, reauth: true })
  @ApiOperation({ summary: 'Restricts a role to source address ranges (CIDR)' })
  addIpRule(@CurrentPrincipal() principal: Principal, @Body() body: IpRuleCreateDto) {
    return this.policy.add(asUser(principal), body.role, body.cidr);
  }

  @Delete('ip-rules/:id')
  @HttpCode(204)
  @Authenticated({ permission: Permission.SecurityPolicyManage, reauth: true })
  async removeIpRule(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.policy.remove(asUser(principal), id);
  }
}
