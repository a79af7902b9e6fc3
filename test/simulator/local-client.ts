import { OpenSearchClient } from '@aws-sdk/client-opensearch';

/**
 * The real SDK client pointed at a local simulator, with fake credentials and
 * one attempt per call (so that tests see every answer, and a handler's own
 * retries are what is tested).
 */
export function localClient(endpoint: string, region = 'us-east-1'): OpenSearchClient {
  return new OpenSearchClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}
