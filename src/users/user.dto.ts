import { IsRegionCode, IsCleanName } from '../common/field-validators';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { PageQuery } from '../common/pagination';
import { ROLE_ZH, ROLES, Role } from '../auth/roles';
import { zhEn } from '../common/i18n/text';

export class CreateUserDto {
  /** Login name: 3–64 letters, digits, `.`, `_` or `-`. */
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, {
    message: zhEn(
      '用户名应为 3–64 个字母、数字、"."、"_" 或 "-"',
      'username must be 3-64 letters, digits, ".", "_" or "-"',
    ),
  })
  username!: string;

  @IsCleanName()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  displayName!: string;

  @IsString()
  @MinLength(10, { message: zhEn('密码至少 10 个字符', 'password must be at least 10 characters') })
  @MaxLength(200)
  password!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @ArrayMinSize(1, { message: zhEn('至少选择一个角色', 'roles must name at least one role') })
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, {
    each: true,
    message: zhEn(
      `角色应为以下之一：${ROLES.map((r) => `${r}（${ROLE_ZH[r]}）`).join('、')}`,
      `each role must be one of ${ROLES.join(', ')}`,
    ),
  })
  roles!: Role[];

  /** Root of the user's region subtree; null or omitted = national (only a national admin may grant it). */
  @IsOptional()
  @IsRegionCode()
  regionCode?: string | null;
}

export class UpdateUserDto {
  @IsCleanName()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  displayName?: string;

  @ApiProperty({ enum: ROLES, isArray: true, required: false })
  @IsOptional()
  @ArrayMinSize(1, { message: zhEn('至少选择一个角色', 'roles must name at least one role') })
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, {
    each: true,
    message: zhEn(
      `角色应为以下之一：${ROLES.map((r) => `${r}（${ROLE_ZH[r]}）`).join('、')}`,
      `each role must be one of ${ROLES.join(', ')}`,
    ),
  })
  roles?: Role[];

  /** null = national. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsRegionCode()
  regionCode?: string | null;

  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ResetPasswordDto {
  @IsString()
  @MinLength(10, {
    message: zhEn('新密码至少 10 个字符', 'newPassword must be at least 10 characters'),
  })
  @MaxLength(200)
  newPassword!: string;
}

export class UserQuery extends PageQuery {
  @ApiProperty({ enum: ROLES, required: false })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  /** Users whose scope lies within this region. */
  @IsOptional()
  @IsRegionCode()
  within?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;
}

export class UserResponse {
  id!: string;
  username!: string;
  displayName!: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  regionCode!: string | null;
  disabled!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}

/** Usernames to name: `?username=a,b` (at most 200). */
export class UserNamesQuery {
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value])
      .filter((x): x is string => typeof x === 'string')
      .join(',')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  @IsArray()
  @ArrayMinSize(1, {
    message: zhEn('username 至少填写一个用户名', 'username needs at least one username'),
  })
  @ArrayMaxSize(200, {
    message: zhEn('username 一次最多 200 个', 'username takes at most 200 names'),
  })
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  username!: string[];
}
