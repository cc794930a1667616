import { DataSource, QueryRunner } from 'typeorm';
import { SignedIn } from '../src/auth/auth-user';
import { DomainError } from '../src/common/errors/domain-error';
import { JobsService } from '../src/jobs/jobs.service';
import { signedIn, startTestApp, TestApp } from './support/test-app';

/**
 * The job queue's admission: JOB_QUEUE_LIMIT jobs queued or running at a time, no more and — in a
 * burst of requests arriving together — no fewer.
 */
const LIMIT = 3;

describe('the job queue', () => {
  let t: TestApp;
  let jobs: JobsService;
  let actor: SignedIn;

  beforeAll(async () => {
    t = await startTestApp({ JOB_QUEUE_LIMIT: String(LIMIT) });
    jobs = t.app.get(JobsService);
    actor = await signedIn(t, 'wuyuan.stat');
  });
  afterAll(() => t.close());

  /** A refusal's code; anything else fails the test. */
  const busy = (e: unknown) => {
    if (e instanceof DomainError) return e.code;
    throw e;
  };

  it('fills the queue exactly when more requests than it holds arrive at once, then takes work again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const work = () => gate.then(() => ({}));
    const answers = await Promise.all(
      Array.from({ length: LIMIT + 2 }, () =>
        jobs.enqueue(actor, 'survey_import', {}, work).then((job) => job.id, busy),
      ),
    );
    const ids = answers.filter((a) => a !== 'BUSY');
    expect(ids).toHaveLength(LIMIT);
    expect(answers.filter((a) => a === 'BUSY')).toHaveLength(2);
    // full: refused before an upload is received, too
    await expect(jobs.assertCapacity()).rejects.toMatchObject({ code: 'BUSY' });

    release();
    await waitForIdle();
    await expect(jobs.assertCapacity()).resolves.toBeUndefined();
    const again = await Promise.all(
      Array.from({ length: LIMIT }, () =>
        jobs.enqueue(actor, 'survey_import', {}, () => Promise.resolve({})).then((j) => j.id, busy),
      ),
    );
    expect(again.filter((a) => a === 'BUSY')).toHaveLength(0);
  });

  it("does not count a request still on its way in as a queued job: the queue's last place is given", async () => {
    await waitForIdle();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const work = () => gate.then(() => ({}));
    const running = await jobs.enqueue(actor, 'survey_import', {}, work);
    for (let i = 1; i < LIMIT - 1; i++) await jobs.enqueue(actor, 'survey_import', {}, work);
    // Every connection but one is taken (the running job holds one), so of two requests arriving
    // together the first is decided while the second is still waiting for a connection.
    for (let i = 0; (await status(running.id)) !== 'running'; i++) {
      if (i === 200) throw new Error('the first job did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const ds = t.app.get(DataSource);
    const pool = (ds.options as { extra: { max: number } }).extra.max;
    const held: QueryRunner[] = [];
    try {
      for (let i = 0; i < pool - 2; i++) {
        const qr = ds.createQueryRunner();
        await qr.connect();
        held.push(qr);
      }
      const first = jobs.enqueue(actor, 'survey_import', {}, work).then(() => 'queued', busy);
      const second = jobs.enqueue(actor, 'survey_import', {}, work).then(() => 'queued', busy);
      await new Promise((r) => setTimeout(r, 200));
      await Promise.all(held.splice(0).map((qr) => qr.release()));
      expect([await first, await second]).toEqual(['queued', 'BUSY']);
    } finally {
      await Promise.all(held.map((qr) => qr.release()));
      release();
    }
    await waitForIdle();
  });

  const status = async (id: string) =>
    (await t.db.query<{ status: string }>(`SELECT status FROM jobs WHERE id = $1`, [id])).rows[0]
      .status;

  const waitForIdle = async () => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE status IN ('queued', 'running')`,
      );
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('jobs did not end');
  };
});
