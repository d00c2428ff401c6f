import { Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Permission } from '@app/auth';
import { KmsKeyVersion } from '@app/crypto';
import { KeyRotationService, RewrapResult } from './key-rotation.service';

/** Versions of the key that wraps recordings' data keys. Changes need a fresh re-authentication. */
@ApiTags('keys')
@Controller('keys/recordings')
export class KeyController {
  constructor(private readonly keys: KeyRotationService) {}

  @Get('versions')
  @Authenticated({ permission: Permission.KeyManage })
  list(): Promise<KmsKeyVersion[]> {
    return this.keys.listVersions();
  }

  @Post('versions')
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  @ApiOperation({ summary: 'Creates a new active version; new recordings are wrapped with it' })
  create(): Promise<KmsKeyVersion> {
    return this.keys.createVersion();
  }

  @Post('rewrap')
  @HttpCode(200)
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  @ApiOperation({ summary: 'Re-wraps every data key under an older version with the active one (audio untouched)' })
  rewrap(): Promise<RewrapResult> {
    return this.keys.rewrap();
  }

  @Post('versions/:version/retire')
  @HttpCode(204)
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  @ApiOperation({ summary: 'Retires a version no recording uses any more; it can no longer unwrap' })
  async retire(@Param('version', ParseIntPipe) version: number): Promise<void> {
    await this.keys.retire(version);
  }
}
