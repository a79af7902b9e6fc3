import { CloudFormationClient, DescribeStackEventsCommand, DescribeStackResourcesCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { log } from './log';
import { describeError, isTransient } from './service-errors';

/** One resource of the handler's own stack, as CloudFormation lists it. */
export interface StackResource {
  readonly logicalId: string;
  /** Absent while the resource is being created. */
  readonly physicalId?: string;
  readonly resourceType: string;
  /** e.g. `CREATE_COMPLETE`, `DELETE_IN_PROGRESS`. */
  readonly status: string;
}

/** One event of the handler's own stack, as DescribeStackEvents gives it. */
export interface StackEvent {
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly resourceType: string;
  /** e.g. `UPDATE_FAILED`, `DELETE_SKIPPED`; for the stack itself, `UPDATE_IN_PROGRESS` when an operation starts. */
  readonly status: string;
  readonly reason?: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

/** A resource of some stack of the account, found by its physical ID. */
export interface HeldResource extends StackResource {
  readonly stackId: string;
}

/** What the handler needs from CloudFormation: the resources and the recent events of its own stack, and who holds a physical ID. */
export interface StackApi {
  /** Every resource of the stack (all pages of ListStackResources). */
  resources(stackId: string): Promise<StackResource[]>;
  /** The stack's events, newest first, as far back as {@link MAX_EVENT_PAGES} pages of DescribeStackEvents reach. */
  events(stackId: string): Promise<StackEvent[]>;
  /**
   * The resource of the Region's stacks whose physical ID this is (DescribeStackResources by PhysicalResourceId,
   * which answers for one stack), or undefined when no stack holds it.
   */
  holderOf(region: string, physicalId: string): Promise<HeldResource | undefined>;
}

/** How many pages of DescribeStackEvents the handler reads at most: its questions are about recent operations. */
export const MAX_EVENT_PAGES = 10;

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
    async events(stackId) {
      const client = clientFor(stackId.split(':')[3]);
      const events: StackEvent[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_EVENT_PAGES && (page === 0 || nextToken); page++) {
        const answer = await client.send(new DescribeStackEventsCommand({ StackName: stackId, NextToken: nextToken }));
        for (const e of answer.StackEvents ?? []) {
          events.push({
            logicalId: e.LogicalResourceId ?? '', physicalId: e.PhysicalResourceId, resourceType: e.ResourceType ?? '',
            status: e.ResourceStatus ?? '', reason: e.ResourceStatusReason, timestamp: e.Timestamp?.getTime() ?? 0,
          });
        }
        nextToken = answer.NextToken;
      }
      return events;
    },
    async holderOf(region, physicalId) {
      try {
        const answer = await clientFor(region).send(new DescribeStackResourcesCommand({ PhysicalResourceId: physicalId }));
        const r = answer.StackResources?.find(resource => resource.PhysicalResourceId === physicalId);
        return r && { stackId: r.StackId ?? '', logicalId: r.LogicalResourceId ?? '', physicalId, resourceType: r.ResourceType ?? '', status: r.ResourceStatus ?? '' };
      } catch (error) {
        // No stack holds it: "Stack for <physical ID> does not exist".
        if ((error as { name?: string }).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
        throw error;
      }
    },
  };
}

/**
 * What CloudFormation answers, or `'unreadable'` when it cannot be reached or
 * refuses (no endpoint, a missing permission): the caller then decides
 * without it, on the side that removes nothing the stack did not make.
 * Throttling and server errors are thrown, for the caller to retry.
 */
export async function orUnreadable<T>(what: string, read: () => Promise<T>): Promise<T | 'unreadable'> {
  try {
    return await read();
  } catch (error) {
    const answered = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined;
    if (answered && isTransient(error)) throw error;
    log(`could not read ${what} from CloudFormation; deciding without them`, { error: describeError(error) });
    return 'unreadable';
  }
}
