import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { RecordingControlService } from './recording-control.service';

/** PCI pause and resume of a live call's recording, for the agent's console and the dialer. */
@ApiTags('recordings')
@Controller('recordings/calls/:callId')
export class RecordingControlController {
  constructor(private readonly control: RecordingControlService) {}

  @Post('pause')
  @HttpCode(204)
  @Authenticated({ permission: Permission.RecordingControl })
  @ApiOperation({ summary: 'Stops recording a live call (PCI); the gap is marked in the recording' })
  async pause(@CurrentPrincipal() principal: Principal, @Param('callId') callId: string): Promise<void> {
    await this.control.pause(principal, callId);
  }

  @Post('resume')
  @HttpCode(204)
  @Authenticated({ permission: Permission.RecordingControl })
  async resume(@CurrentPrincipal() principal: Principal, @Param('callId') callId: string): Promise<void> {
    await this.control.resume(principal, callId);
  }
}
