import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from './roles';
import { zhEn } from '../common/i18n/text';

export class LoginDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currentPassword!: string;

  @IsString()
  @MinLength(10, {
    message: zhEn('新密码至少 10 个字符', 'newPassword must be at least 10 characters'),
  })
  @MaxLength(200)
  newPassword!: string;
}

export class MeResponse {
  id!: string;
  username!: string;
  displayName!: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  /** The roles by name (核算员, 审核员…), in the same order. */
  roleNames!: string[];
  regionCode!: string | null;
  /** The scope by name: the region's, or 全国 for national scope. */
  regionName!: string;
}

export class LoginResponse {
  accessToken!: string;
  tokenType!: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn!: number;
  user!: MeResponse;
}
