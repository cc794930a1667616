import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { renderPdf } from '../common/documents/pdf';
import { AuthUser } from '../auth/auth-user';
import { LedgerEntry } from './ledger-entry.entity';
import { RegistryObjection } from './objection.entity';
import { buildExtract, extractBlocks, RegisterExtract } from './register-extract';
import { RegistryReader } from './registry-reader';
import { todayInChina } from './registry-rules';
import { entryView, withSummaries } from './units.service';
import { RegionsRepository } from '../regions/regions.repository';

/** Register extracts (登记簿摘录) as JSON and PDF, from the ledger and the versions as of a date. */
@Injectable()
export class RegisterExtractService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: RegistryReader,
  ) {}

  async extract(user: AuthUser, id: string, asOf?: string): Promise<RegisterExtract> {
    const date = asOf ?? todayInChina();
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const unit = await this.reader.unitAsOf(user, id, date, m);
      const entries = await m
        .getRepository(LedgerEntry)
        .createQueryBuilder('e')
        .where('e.unitId = :id AND e.effectiveDate <= :date', { id, date })
        .orderBy('e.seq')
        .getMany();
      const objections = await m
        .getRepository(RegistryObjection)
        .createQueryBuilder('o')
        .where('o.unitId = :id AND o.raisedOn <= :date', { id, date })
        .orderBy('o.raisedOn')
        .getMany();
      const name = (await RegionsRepository.name(m, unit.regionCode))!;
      return buildExtract({
        asOf: date,
        regionName: name,
        unit,
        entries: await withSummaries(m, entries.map(entryView)),
        objections: objections.map((o) => ({
          id: o.id,
          unitId: o.unitId,
          raisedOn: o.raisedOn,
          objector: o.objector,
          content: o.content,
          // as of the date: a resolution after it is not known yet
          status: o.resolvedOn && o.resolvedOn <= date ? o.status : 'open',
          resolution: o.resolvedOn && o.resolvedOn <= date ? o.resolution : null,
          resolvedOn: o.resolvedOn && o.resolvedOn <= date ? o.resolvedOn : null,
          resolvedBy: o.resolvedOn && o.resolvedOn <= date ? o.resolvedBy : null,
        })),
      });
    });
  }

  async pdf(
    user: AuthUser,
    id: string,
    asOf?: string,
  ): Promise<{ filename: string; data: Buffer }> {
    const x = await this.extract(user, id, asOf);
    const data = await renderPdf(extractBlocks(x), {
      title: `${x.title} ${x.unit.code}`,
      label: '登记簿',
      reportId: x.unit.code,
      contentHash: x.contentSha256,
      createdAt: new Date(`${x.asOf}T00:00:00+08:00`),
    });
    return { filename: `登记簿摘录-${x.unit.code}-${x.asOf}.pdf`, data };
  }
}
