import * as functions from '@google-cloud/functions-framework';
import { ingestLogEntryFromEnv } from './entrypoints/ingest-log-entry.js';

functions.cloudEvent('ingestLogEntry', ingestLogEntryFromEnv());
