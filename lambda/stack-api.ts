import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';

/** One resource of the handler's own stack, as CloudFormation lists it. */
export interface StackResource {
  readonly logicalId: string;
  /** Absent while the resource is being created. */
  readonly physicalId?: string;
  readonly resourceType: string;
  /** e.g. `CREATE_COMPLETE`, `DELETE_IN_PROGRESS`. */
  readonly status: string;
}

/** What the handler needs from CloudFormation: the resources of its own stack. */
export interface StackApi {
  /** Every resource of the stack (all pages of ListStackResources). */
  resources(stackId: string): Promise<StackResource[]>;
}

function defaultClient(region: string): CloudFormationClient {
  return new CloudFormationClient({ region, maxAttempts: 3, requestHandler: { connectionTimeout: 3000, requestTimeout: 10000 } });
}

/**
 * The StackApi over the AWS SDK, one client per Region. The client honours
 * the SDK's standard settings, among them the endpoint override
 * `AWS_ENDPOINT_URL_CLOUDFORMATION`. It gives up quickly when CloudFormation
 * cannot be reached at all: the handler then decides without the stack's
 * resources, on the safe side (see association-lifecycle.ts).
 */
export function sdkStackApi(newClient: (region: string) => CloudFormationClient = defaultClient): StackApi {
  const clients = new Map<string, CloudFormationClient>();
  const clientFor = (region: string) => {
    let client = clients.get(region);
    if (!client) clients.set(region, (client = newClient(region)));
    return client;
  };
  return {
    async resources(stackId) {
      const client = clientFor(stackId.split(':')[3]);
      const resources: StackResource[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new ListStackResourcesCommand({ StackName: stackId, NextToken: nextToken }));
        for (const r of page.StackResourceSummaries ?? []) {
          resources.push({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId, resourceType: r.ResourceType ?? '', status: r.ResourceStatus ?? '' });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return resources;
    },
  };
}
