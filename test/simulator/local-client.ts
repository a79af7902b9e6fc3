import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { OpenSearchClient } from '@aws-sdk/client-opensearch';

const CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

/**
 * The real SDK client pointed at a local simulator, with fake credentials and
 * one attempt per call (so that tests see every answer, and a handler's own
 * retries are what is tested).
 */
export function localClient(endpoint: string, region = 'us-east-1'): OpenSearchClient {
  return new OpenSearchClient({
    endpoint,
    region,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
}

/** The real CloudFormation client pointed at a local simulator that serves stacks (see `OpenSearchSimulator.serveStack`). */
export function localCloudFormationClient(endpoint: string, region = 'us-east-1'): CloudFormationClient {
  return new CloudFormationClient({ endpoint, region, credentials: CREDENTIALS, maxAttempts: 1 });
}
