export default async function globalTeardown(): Promise<void> {
  const stop = (globalThis as { __GEP_TEST_DB_STOP__?: () => Promise<void> }).__GEP_TEST_DB_STOP__;
  if (stop) await stop();
}
