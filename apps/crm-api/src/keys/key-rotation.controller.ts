import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { KeyRewrapStartDto } from './key-rotation.dto';
import { KeyRotationService } from './key-rotation.service';

/** Rotation of the "leads" key (wraps each person's data key) and the "dnc" key (seals DNC numbers). */
@ApiTags('keys')
@Controller('admin/keys')
export class KeyRotationController {
  constructor(private readonly keys: KeyRotationService) {}

  @Get('leads')
  @Authenticated({ permission: Permission.KeyManage })
  @ApiOperation({ summary: 'Versions of the leads key, how many data subjects use each, and the rewrap progress' })
  leadStatus() {
    return this.keys.status('leads');
  }

  @Post('leads/versions')
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  @ApiOperation({ summary: 'A new version of the leads key; new data subjects are wrapped under it at once' })
  createLeadVersion() {
    return this.keys.createVersion('leads');
  }

  @Post('leads/rewrap')
  @HttpCode(202)
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  @ApiOperation({ summary: 'Starts moving every data subject key to the active version, in the background' })
  rewrapLeads(@CurrentPrincipal() principal: Principal, @Body() body: KeyRewrapStartDto) {
    return this.keys.startRewrap(asUser(principal), 'leads', body.batchSize);
  }

  @Post('leads/versions/:version/retire')
  @HttpCode(204)
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  @ApiOperation({ summary: 'Retires a version no data subject uses any more; it never decrypts again' })
  async retireLeadVersion(@Param('version', ParseIntPipe) version: number): Promise<void> {
    await this.keys.retire('leads', version);
  }

  @Get('dnc')
  @Authenticated({ permission: Permission.KeyManage })
  @ApiOperation({ summary: 'Versions of the DNC key, how many entries use each, and the rewrap progress' })
  dncStatus() {
    return this.keys.status('dnc');
  }

  @Post('dnc/versions')
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  createDncVersion() {
    return this.keys.createVersion('dnc');
  }

  @Post('dnc/rewrap')
  @HttpCode(202)
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  rewrapDnc(@CurrentPrincipal() principal: Principal, @Body() body: KeyRewrapStartDto) {
    return this.keys.startRewrap(asUser(principal), 'dnc', body.batchSize);
  }

  @Post('dnc/versions/:version/retire')
  @HttpCode(204)
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  async retireDncVersion(@Param('version', ParseIntPipe) version: number): Promise<void> {
    await this.keys.retire('dnc', version);
  }
}
