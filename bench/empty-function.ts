import * as functions from '@google-cloud/functions-framework';

/** The baseline for `bench:ingest`: the framework's own cost for a CloudEvent, with no work. */
functions.cloudEvent('emptyHandler', () => undefined);
