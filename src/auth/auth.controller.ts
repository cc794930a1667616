import { Scoped } from './region-scope';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Authenticated, Public } from './access.decorator';
import { Actor, AuthUser, CurrentActor } from './auth-user';
import { ChangePasswordDto, LoginDto, LoginResponse, MeResponse } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly rateLimiter: LoginRateLimiter,
  ) {}

  /** Exchanges username and password for a bearer token. Rate-limited per client address. */
  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiTooManyRequestsResponse({
    description: 'too many attempts; retry after the Retry-After seconds',
  })
  async login(@CurrentActor() actor: Actor, @Body() dto: LoginDto): Promise<LoginResponse> {
    await this.rateLimiter.hit(actor.ip ?? 'unknown');
    return this.auth.login(actor, dto.username, dto.password);
  }

  /** The signed-in user. */
  @Scoped.none('the caller’s own account')
  @Get('me')
  @Authenticated()
  me(@CurrentActor() actor: Actor & { user: AuthUser }): Promise<MeResponse> {
    return this.auth.describe(actor.user);
  }

  /** Changes the caller's own password; tokens issued before stop working. */
  @Scoped.none('the caller’s own account')
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
