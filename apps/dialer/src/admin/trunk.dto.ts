import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TRUNK_TRANSPORTS, TrunkTransport } from '../telephony/trunks/trunk.types';

const E164 = /^\+[1-9][0-9]{5,14}$/;
const E164_PREFIX = /^\+[0-9]{1,15}$/;
const HOST = /^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:]+\]$/;

export class TrunkCreateDto {
  @ApiProperty() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/) name!: string;
  @ApiProperty({ example: 'sip.carrier.example' }) @Matches(HOST) host!: string;
  @ApiProperty({ example: 5061 }) @IsInt() @Min(1) @Max(65535) port!: number;
  @ApiProperty({ enum: TRUNK_TRANSPORTS, default: 'tls' }) @IsIn(TRUNK_TRANSPORTS) transport!: TrunkTransport;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) authUsername?: string;
  @ApiPropertyOptional({ description: 'Stored encrypted; never returned' }) @IsOptional() @IsString() @MaxLength(256) authPassword?: string;
  @ApiProperty({ type: [String], example: ['+4420'] }) @IsArray() @ArrayMaxSize(50) @Matches(E164_PREFIX, { each: true }) callerIdPrefixes!: string[];
  @ApiPropertyOptional() @IsOptional() @Matches(E164) callerIdDefault?: string;
  @ApiProperty({ example: 2 }) @IsNumber() @Min(0.01) @Max(10000) cpsLimit!: number;
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(100000) maxConcurrent!: number;
  @ApiProperty({ example: 100 }) @IsInt() @Min(0) @Max(65535) priority!: number;
  @ApiProperty() @IsBoolean() enabled!: boolean;
}

export class SipAccountCreateDto {
  @ApiProperty({ example: 'agent-0042' }) @Matches(/^[A-Za-z0-9._-]{3,64}$/) username!: string;
}
