import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Authenticated, Public } from './access.decorator';
import { Actor, AuthUser, CurrentActor } from './auth-user';
import { ChangePasswordDto, LoginDto, LoginResponse, MeResponse } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Exchanges username and password for a bearer token. Rate-limited per client address. */
  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiTooManyRequestsResponse({
    description: 'too many attempts; retry after the Retry-After seconds',
  })
  login(@CurrentActor() actor: Actor, @Body() dto: LoginDto): Promise<LoginResponse> {
    return this.auth.login(actor, dto.username, dto.password);
  }

  /** The signed-in user. */
  @Get('me')
  @Authenticated()
  me(@CurrentActor() actor: Actor & { user: AuthUser }): MeResponse {
    return actor.user;
  }

  /** Changes the caller's own password; tokens issued before stop working. */
  @Post('password')
  @Authenticated()
  @HttpCode(204)
  changePassword(
    @CurrentActor() actor: Actor & { user: AuthUser },
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    return this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
  }
}
