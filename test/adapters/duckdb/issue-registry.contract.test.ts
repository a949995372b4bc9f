import { Database } from '../../../functions/adapters/duckdb/database.js';
import { DuckDbIssueRegistry } from '../../../functions/adapters/duckdb/issue-registry.js';
import { describeIssueRegistryContract } from '../../contracts/issue-registry.contract.js';

describeIssueRegistryContract('DuckDB (in memory)', async () => {
  const db = await Database.open(':memory:');
  return { registry: new DuckDbIssueRegistry(db), close: () => db.close() };
});
