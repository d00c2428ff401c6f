import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { Role } from '@app/domain';

export class UserCreateDto {
  @ApiProperty({ example: 'jdoe' })
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, {
    message: 'username must be 3-64 characters: lower-case letters, digits, dot, dash, underscore',
  })
  username!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  displayName!: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role!: Role;
}

export class SessionListQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class IpRuleCreateDto {
  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role!: Role;

  @ApiProperty({ example: '203.0.113.0/24' })
  @IsString()
  @Length(2, 64)
  cidr!: string;
}

export class UuidParamDto {
  @IsUUID()
  id!: string;
}
