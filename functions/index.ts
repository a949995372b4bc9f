import * as functions from '@google-cloud/functions-framework';
import { evaluateAlertsFromEnv } from './entrypoints/evaluate-alerts.js';
import { ingestLogEntryFromEnv } from './entrypoints/ingest-log-entry.js';

functions.cloudEvent('ingestLogEntry', ingestLogEntryFromEnv());
functions.cloudEvent('evaluateAlerts', evaluateAlertsFromEnv());
