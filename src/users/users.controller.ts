import { Scoped } from '../auth/region-scope';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentActor, SignedIn } from '../auth/auth-user';
import { uuidParam } from '../common/uuid-param';
import { Page } from '../common/pagination';
import {
  CreateUserDto,
  ResetPasswordDto,
  UpdateUserDto,
  UserNamesQuery,
  UserQuery,
  UserResponse,
} from './user.dto';
import { UsersService } from './users.service';

const uuid = uuidParam('user');

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Users within the administrator's region scope. */
  @Scoped.list()
  @Get()
  @Roles('admin')
  list(@CurrentActor() actor: SignedIn, @Query() q: UserQuery): Promise<Page<UserResponse>> {
    return this.users.list(actor.user, { role: q.role, within: q.within, q: q.q }, q);
  }

  /**
   * Who signed a record, for people: the display names of the usernames asked for (those unknown
   * are left out). Every signed-in user may ask; records name their authors by username.
   */
  @Scoped.none('the names of the staff who signed records the reader may already see')
  @Get('names')
  @Authenticated()
  names(@Query() q: UserNamesQuery): Promise<Record<string, string>> {
    return this.users.displayNames(q.username);
  }

  @Scoped.object('id', 'user')
  @Get(':id')
  @Roles('admin')
  get(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<UserResponse> {
    return this.users.get(actor.user, id);
  }

  @Scoped.body('regionCode')
  @Post()
  @Roles('admin')
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(actor, dto);
  }

  /** Change name, roles, region scope, or disable; role, scope and status changes revoke the user's tokens. */
  @Scoped.object('id', 'user')
  @Scoped.body('regionCode')
  @Patch(':id')
  @Roles('admin')
  update(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponse> {
    return this.users.update(actor, id, dto);
  }

  @Scoped.object('id', 'user')
  @Post(':id/reset-password')
  @Roles('admin')
  @HttpCode(204)
  resetPassword(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: ResetPasswordDto,
  ): Promise<void> {
    return this.users.resetPassword(actor, id, dto.newPassword);
  }
}
