import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { LocalizeInterceptor } from './common/i18n/localize.interceptor';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { MethodologyModule } from './accounting/methodology/methodology.module';
import { RunsModule } from './accounting/runs/runs.module';
import { ParcelsModule } from './accounting/parcels/parcels.module';
import { SurveyModule } from './accounting/survey/survey.module';
import { CompensationModule } from './assessment/compensation/compensation.module';
import { OfficialsModule } from './assessment/officials/officials.module';
import { ReportsModule } from './assessment/reports/reports.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { AuthModule } from './auth/auth.module';
import { ProblemFilter } from './common/errors/problem.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { RegionsModule } from './regions/regions.module';
import { RegistryModule } from './registry/registry.module';
import { UsersModule } from './users/users.module';
import { VocabularyController } from './console/vocabulary.controller';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

@Module({})
export class AppModule {
  /** The whole service, given a validated configuration (with its JWT secret) and a database URL. */
  static forRoot(config: AppConfig & { JWT_SECRET: string }, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            genReqId: (req, res) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              res.setHeader('x-request-id', id);
              return id;
            },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            customLogLevel: (_req, res, err) =>
              err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          },
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), autoLoadEntities: false }),
        AuditLogModule,
        RegionsModule,
        UsersModule,
        AuthModule,
        HealthModule,
        JobsModule,
        MethodologyModule,
        SurveyModule,
        RunsModule,
        ParcelsModule,
        CompensationModule,
        OfficialsModule,
        ReportsModule,
        RegistryModule,
      ],
      controllers: [VocabularyController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: LocalizeInterceptor },
      ],
    };
  }
}
