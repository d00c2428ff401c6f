import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from './password-policy';

export class LoginDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH * 4)
  password!: string;
}

export class MfaVerifyDto {
  @ApiProperty({ description: 'The challengeToken from login' })
  @IsString()
  @MaxLength(2048)
  challengeToken!: string;

  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({ example: '1a2b-3c4d-5e6f-7a8b' })
  @IsOptional()
  @IsString()
  @Length(16, 32)
  recoveryCode?: string;
}

export class MfaEnrolStartDto {
  @ApiProperty({ description: 'The enrolmentToken from login' })
  @IsString()
  @MaxLength(2048)
  enrolmentToken!: string;
}

export class MfaEnrolConfirmDto extends MfaEnrolStartDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

export class ReauthDto {
  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH * 4)
  password!: string;

  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class PasswordChangeDto {
  @ApiProperty()
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH * 4)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH * 4)
  newPassword!: string;
}
