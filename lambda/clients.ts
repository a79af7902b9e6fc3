import { RegionalApis, sdkRegionalApis } from './package-api';
import { sdkStackApi, StackApi } from './stack-api';

/** The AWS APIs the handler calls, injected so that tests can point them anywhere. */
export interface Clients {
  /** The OpenSearch package API of each Region: a domain is called in its own Region. */
  readonly opensearch: RegionalApis;
  /** CloudFormation, for the handler's own stack. */
  readonly stack: StackApi;
}

/** The clients over the AWS SDK, created on first use. */
export function sdkClients(): Clients {
  return { opensearch: sdkRegionalApis(), stack: sdkStackApi() };
}
