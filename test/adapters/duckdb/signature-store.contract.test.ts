import { Database } from '../../../functions/adapters/duckdb/database.js';
import { DuckDbSignatureStore } from '../../../functions/adapters/duckdb/signature-store.js';
import { describeSignatureStoreContract } from '../../contracts/signature-store.contract.js';

describeSignatureStoreContract('DuckDB (in memory)', async () => {
  const db = await Database.open(':memory:');
  return { store: new DuckDbSignatureStore(db), close: () => db.close() };
});
