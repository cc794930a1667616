import { DynamicModule, Global, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogModule } from './audit-log/audit-log.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';

/** Provides a DataSource its owner opened (and will close) under TypeORM's injection token. */
@Global()
@Module({})
class OpenDataSourceModule {
  static of(dataSource: DataSource): DynamicModule {
    return {
      module: OpenDataSourceModule,
      providers: [{ provide: getDataSourceToken(), useValue: dataSource }],
      exports: [getDataSourceToken()],
    };
  }
}

/**
 * The service's own modules, wired by Nest, without HTTP: for seeds, scripts and benchmarks that
 * run outside the service (the demo register is built through the registry's services, so every
 * unit has its ledger). The DataSource stays its owner's: closing the context does not close it.
 * A service method that writes takes the caller's transaction as its last argument (`within`).
 */
export async function standaloneContext(
  dataSource: DataSource,
  modules: Type<unknown>[],
  config: AppConfig = new AppConfig(),
): Promise<INestApplicationContext> {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      OpenDataSourceModule.of(dataSource),
      AuditLogModule,
      ...modules,
    ],
  })
  class StandaloneModule {}
  return NestFactory.createApplicationContext(StandaloneModule, { logger: ['error', 'warn'] });
}
