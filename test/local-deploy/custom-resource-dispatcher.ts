import { AsyncLocalStorage } from 'async_hooks';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { customResourceEvent, CustomResourceRequest, StackIdentity } from './cloudformation-events';
import { InvokeRequest, InvokeResponse } from './lambda-service';

/** The body a custom resource PUTs to its ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: string;
  readonly Reason?: string;
  readonly PhysicalResourceId?: string;
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly LogicalResourceId?: string;
  readonly NoEcho?: boolean;
  readonly Data?: Record<string, unknown>;
}

/** How CloudFormation saw one request to a custom resource end. */
export interface RequestOutcome {
  /** The event as sent. Its ResponseURL is a secret: never print it. */
  readonly event: CloudFormationCustomResourceEvent;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason?: string;
  /** The physical id the response reported. */
  readonly physicalId?: string;
  readonly data: Record<string, unknown>;
  /** When the event was delivered (epoch milliseconds). */
  readonly startedAt: number;
  readonly elapsedMs: number;
  /** Every response this delivery PUT to the ResponseURL (CloudFormation acts on the first). */
  readonly responses: CustomResourceResponse[];
}

/** Options of a {@link CustomResourceDispatcher}. */
export interface CustomResourceDispatcherOptions {
  /** Invokes the Lambda function a ServiceToken names. */
  readonly invoke: (request: InvokeRequest) => Promise<InvokeResponse>;
  /** Multiplies the delays of Lambda's asynchronous-invocation retries (1 and 2 minutes). */
  readonly intervalScale: number;
}

/** CloudFormation's limit on a custom resource response. */
const MAX_RESPONSE_BYTES = 4096;
const ASYNC_RETRY_DELAYS_SECONDS = [60, 120];

/** One delivery of an event: the work it started, and the responses that came back. */
class Delivery {
  public readonly responses: CustomResourceResponse[] = [];
  public readonly outcome: Promise<RequestOutcome>;
  private readonly startedAt = Date.now();
  private pending = 0;
  private lastError?: string;
  private settle!: (outcome: RequestOutcome) => void;
  private timer: NodeJS.Timeout;

  public constructor(public readonly event: CloudFormationCustomResourceEvent) {
    this.outcome = new Promise(resolve => this.settle = resolve);
    const serviceTimeout = Number(event.ResourceProperties.ServiceTimeout ?? 3600);
    this.timer = setTimeout(() => this.fail(`CloudFormation did not receive a response within the ServiceTimeout of ${serviceTimeout} seconds.`), serviceTimeout * 1000);
    this.timer.unref();
  }

  /** Follows work done on behalf of this delivery (an invocation, a waiter execution). */
  public track(work: Promise<unknown>): void {
    this.pending += 1;
    work.catch((error: Error) => {
      this.lastError = `${error?.name}: ${error?.message}`;
    }).finally(() => {
      this.pending -= 1;
      if (this.pending === 0 && this.responses.length === 0) {
        const cause = this.lastError ? ` Last error: ${this.lastError}` : '';
        this.fail(`No response: every invocation and waiter execution ended without sending one (CloudFormation would wait until the ServiceTimeout).${cause}`);
      }
    });
  }

  public receive(body: string): void {
    const response = JSON.parse(body) as CustomResourceResponse;
    this.responses.push(response);
    if (this.responses.length > 1) return;
    const problem = Buffer.byteLength(body) > MAX_RESPONSE_BYTES ? 'Response object is too long.' : invalidResponse(this.event, response);
    this.finish(problem ? 'FAILED' : response.Status as 'SUCCESS' | 'FAILED', problem ?? response.Reason, response);
  }

  private fail(reason: string): void {
    this.finish('FAILED', reason, undefined);
  }

  private finish(status: 'SUCCESS' | 'FAILED', reason: string | undefined, response: CustomResourceResponse | undefined): void {
    clearTimeout(this.timer);
    this.settle({
      event: this.event,
      status,
      reason,
      physicalId: response?.PhysicalResourceId,
      data: response?.Data ?? {},
      startedAt: this.startedAt,
      elapsedMs: Date.now() - this.startedAt,
      responses: this.responses,
    });
  }
}

/** The checks CloudFormation makes on a response; the reason it rejects it, or undefined. */
function invalidResponse(event: CloudFormationCustomResourceEvent, response: CustomResourceResponse): string | undefined {
  if (response.Status !== 'SUCCESS' && response.Status !== 'FAILED') return `Invalid response status: ${String(response.Status)}`;
  if (response.StackId !== event.StackId || response.RequestId !== event.RequestId || response.LogicalResourceId !== event.LogicalResourceId) {
    return 'Response does not match the request: StackId, RequestId and LogicalResourceId must be echoed back.';
  }
  if (!response.PhysicalResourceId) return 'Invalid PhysicalResourceId';
  return undefined;
}

/**
 * CloudFormation's side of custom resources: sends each request to its
 * ServiceToken as an asynchronous Lambda invocation, receives the response
 * the provider PUTs to the ResponseURL (through {@link httpRequest}, which
 * stands in for the presigned S3 URL), and checks it as CloudFormation does.
 */
export class CustomResourceDispatcher {
  private readonly scope = new AsyncLocalStorage<Delivery>();
  private readonly open = new Set<Delivery>();

  public constructor(private readonly options: CustomResourceDispatcherOptions) {}

  /** Sends a new request and resolves once CloudFormation has its answer. */
  public send(stack: StackIdentity, request: CustomResourceRequest): Promise<RequestOutcome> {
    return this.deliver(customResourceEvent(stack, request));
  }

  /** Delivers an event (again, for duplicate-delivery scenarios) and resolves with this delivery's outcome. */
  public deliver(event: CloudFormationCustomResourceEvent): Promise<RequestOutcome> {
    const delivery = new Delivery(event);
    this.open.add(delivery);
    this.scope.run(delivery, () => delivery.track(this.invokeAsynchronously(event)));
    return delivery.outcome.finally(() => this.open.delete(delivery));
  }

  /** Follows work started on behalf of the current delivery, such as a waiter execution. */
  public trackWork(work: Promise<unknown>): void {
    const delivery = this.scope.getStore();
    if (delivery) delivery.track(work);
    else work.catch(() => undefined);
  }

  /**
   * Receives an HTTPS PUT to a ResponseURL, with the signature of the
   * Provider framework's `outbound.httpRequest`.
   */
  public async httpRequest(options: { hostname?: string; path?: string; method?: string }, body: string): Promise<void> {
    const url = `https://${options.hostname}${options.path}`;
    const current = this.scope.getStore();
    const delivery = current?.event.ResponseURL === url ? current : [...this.open].find(d => d.event.ResponseURL === url);
    if (options.method !== 'PUT' || !delivery) throw new Error(`Unsuccessful HTTP response: ${delivery ? 405 : 403}`);
    delivery.receive(body);
  }

  /** Invokes the ServiceToken function as CloudFormation does (Event invocation), with Lambda's two retries on error. */
  private async invokeAsynchronously(event: CloudFormationCustomResourceEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.options.invoke({ FunctionName: event.ServiceToken, Payload: JSON.stringify(event) });
      if (!response.FunctionError || attempt >= ASYNC_RETRY_DELAYS_SECONDS.length) return;
      const delay = ASYNC_RETRY_DELAYS_SECONDS[attempt] * 1000 * this.options.intervalScale;
      await new Promise(resolve => setTimeout(resolve, delay));
    }
  }
}
