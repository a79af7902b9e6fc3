import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Clients } from '../../lambda/clients';
import { CheckResult } from '../../lambda/operation';
import { sdkPackageApi } from '../../lambda/package-api';
import { AnyIsCompleteEvent, checkResourceOperation, startResourceOperation } from '../../lambda/resource-router';
import { sdkStackApi } from '../../lambda/stack-api';
import { localClient, localCloudFormationClient } from '../simulator/local-client';

/**
 * The handler's clients over the real SDK, pointed at a local simulator: the
 * OpenSearch API of each Region, and CloudFormation for the stacks the
 * simulator serves (a test registers the handler's stack with `serveStack`).
 */
export function localClients(endpoint: string): Clients {
  return {
    opensearch: region => sdkPackageApi(localClient(endpoint, region)),
    stack: sdkStackApi(region => localCloudFormationClient(endpoint, region)),
  };
}

export interface OperationOutcome {
  readonly physicalId: string;
  /** What onEvent returned. */
  readonly started: Record<string, unknown>;
  readonly result?: CheckResult;
  readonly error?: Error;
  /** How many times isComplete ran. */
  readonly checks: number;
}

export interface DriveOptions {
  /** Called before each isComplete call, with its number (from 1). */
  readonly beforeCheck?: (check: number) => void;
  /** Simulated seconds between isComplete calls (the handler's clock is advanced, not the real one). */
  readonly intervalSeconds?: number;
  readonly maxChecks?: number;
}

/**
 * Plays one operation as the Provider framework does: onEvent once, then
 * isComplete with onEvent's result merged into the event, until it reports
 * completion or throws.
 */
export async function drive(clients: Clients, event: CloudFormationCustomResourceEvent, options: DriveOptions = {}): Promise<OperationOutcome> {
  const { intervalSeconds = 10, maxChecks = 200 } = options;
  const startedAt = Date.now();
  const started = await startResourceOperation(clients, event, startedAt) as { PhysicalResourceId: string };
  const waiting = { ...event, ...started } as AnyIsCompleteEvent;
  const outcome = { physicalId: started.PhysicalResourceId, started };
  for (let check = 1; check <= maxChecks; check++) {
    options.beforeCheck?.(check);
    try {
      const result = await checkResourceOperation(clients, waiting, startedAt + (check - 1) * intervalSeconds * 1000);
      // The framework answers CloudFormation with isComplete's result merged over the event: its physical ID wins.
      if (result.IsComplete) return { ...outcome, physicalId: result.PhysicalResourceId ?? outcome.physicalId, result, checks: check };
    } catch (error) {
      return { ...outcome, error: error as Error, checks: check };
    }
  }
  throw new Error(`isComplete did not finish within ${maxChecks} checks`);
}
