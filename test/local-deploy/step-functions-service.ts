import { randomUUID } from 'crypto';
import { InvokeResponse } from './lambda-service';

/** A Retry rule of a Task state. */
export interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

interface Catcher {
  readonly ErrorEquals: string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

interface State {
  readonly Type: string;
  /** A Wait state's wait, fixed... */
  readonly Seconds?: number;
  /** ...or read from the state's input (a reference path such as `$.Delay`). */
  readonly SecondsPath?: string;
  readonly Resource?: string;
  readonly Retry?: Retrier[];
  readonly Catch?: Catcher[];
  readonly Next?: string;
  readonly End?: boolean;
}

/** The subset of the Amazon States Language the local deploy runs: Task states calling Lambda functions, with Retry and Catch, and Wait states (Seconds or SecondsPath). */
export interface StateMachineDefinition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

/** How one Task state retries, as read from the definition. */
export interface RetrySummary {
  readonly state: string;
  readonly resource: string;
  /** The Wait state that leads to the task, if any: its fixed seconds, or its SecondsPath. */
  readonly waitBeforeSeconds: number | string;
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

/** Options of a {@link StepFunctionsService}. */
export interface StepFunctionsServiceOptions {
  /** Multiplies every retry interval, e.g. 0.01 turns 10 s into 100 ms. */
  readonly intervalScale: number;
  /** Invokes the Lambda function a Task state names. */
  readonly invoke: (functionArn: string, input: unknown) => Promise<InvokeResponse>;
  /** Receives each execution as it starts, to follow its work. */
  readonly onExecution?: (execution: Promise<void>) => void;
}

/** An error a state ended with, as Step Functions reports it. */
class StatesError extends Error {
  public constructor(public readonly error: string, public readonly cause: string) {
    super(`${error}: ${cause}`);
  }
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Step Functions, locally: runs the Provider framework's waiter state machine
 * (a Wait, isComplete with Retry, then onTimeout through Catch) with the waits,
 * intervals, attempts and backoff of its synthesised definition, scaled by
 * `intervalScale`.
 */
export class StepFunctionsService {
  private readonly machines = new Map<string, StateMachineDefinition>();
  private readonly startFailures: Array<{ readonly error: Error; readonly filter: (input: Record<string, unknown>) => boolean }> = [];

  public constructor(private readonly options: StepFunctionsServiceOptions) {}

  /** Creates or updates a state machine from its (resolved) DefinitionString. */
  public register(arn: string, definitionString: string): void {
    this.machines.set(arn, JSON.parse(definitionString) as StateMachineDefinition);
  }

  /** Deletes a state machine. */
  public unregister(arn: string): void {
    this.machines.delete(arn);
  }

  /** The ARNs of the state machines that exist. */
  public stateMachineArns(): string[] {
    return [...this.machines.keys()];
  }

  /** The retry rules of the state machine's Task states. */
  public retrySummary(arn: string): RetrySummary[] {
    const machine = this.machines.get(arn);
    if (!machine) return [];
    const waitBefore = (state: string) => {
      const wait = Object.values(machine.States).find(s => s.Type === 'Wait' && s.Next === state);
      return wait?.Seconds ?? wait?.SecondsPath ?? 0;
    };
    return Object.entries(machine.States).flatMap(([state, definition]) => (definition.Retry ?? []).slice(0, 1).map(retrier => ({
      state,
      resource: definition.Resource ?? '',
      waitBeforeSeconds: waitBefore(state),
      intervalSeconds: retrier.IntervalSeconds ?? 1,
      maxAttempts: retrier.MaxAttempts ?? 3,
      backoffRate: retrier.BackoffRate ?? 2,
    })));
  }

  /** Makes the next StartExecution (whose input the filter accepts) fail with this error, as a throttled or denied call would. */
  public failNextStart(error: Error, filter: (input: Record<string, unknown>) => boolean = () => true): void {
    this.startFailures.push({ error, filter });
  }

  /** Drops the StartExecution failures scheduled with {@link failNextStart} that have not happened. */
  public clearStartFailures(): void {
    this.startFailures.splice(0);
  }

  /** Starts an execution, as `sfn.startExecution` does: it runs on in the background. */
  public async startExecution(request: { stateMachineArn?: string; input?: string; name?: string }): Promise<{ executionArn: string; startDate: Date }> {
    const input = JSON.parse(request.input ?? '{}') as Record<string, unknown>;
    const failure = this.startFailures.findIndex(f => f.filter(input));
    if (failure >= 0) throw this.startFailures.splice(failure, 1)[0].error;
    const arn = request.stateMachineArn ?? '';
    const machine = this.machines.get(arn);
    if (!machine) throw Object.assign(new Error(`State Machine Does Not Exist: '${arn}'`), { name: 'StateMachineDoesNotExist' });
    const name = request.name ?? randomUUID();
    const execution = this.run(machine, input);
    this.options.onExecution?.(execution);
    return { executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`, startDate: new Date() };
  }

  private async run(machine: StateMachineDefinition, input: unknown): Promise<void> {
    let stateName: string | undefined = machine.StartAt;
    let data = input;
    while (stateName) {
      const state: State = machine.States[stateName];
      if (state.Type === 'Wait') {
        await sleep(waitSeconds(state, data) * 1000 * this.options.intervalScale);
        stateName = state.Next;
        continue;
      }
      if (state.Type !== 'Task' || !state.Resource) throw new Error(`State ${stateName}: only Lambda Task states and Wait states of fixed seconds are supported`);
      try {
        data = await this.runTask(state, data);
        stateName = state.End ? undefined : state.Next;
      } catch (error) {
        if (!(error instanceof StatesError)) throw error;
        const catcher = state.Catch?.find(c => matches(c.ErrorEquals, error.error));
        if (!catcher) throw error;
        const errorOutput = { Error: error.error, Cause: error.cause };
        data = catcher.ResultPath === undefined || catcher.ResultPath === '$' ? errorOutput : { ...data as object, [String(catcher.ResultPath).replace(/^\$\./, '')]: errorOutput };
        stateName = catcher.Next;
      }
    }
  }

  /** Runs a Task state with its Retry rules. */
  private async runTask(state: State, input: unknown): Promise<unknown> {
    const attempts = new Map<Retrier, number>();
    for (;;) {
      try {
        return await this.invokeTask(state.Resource!, input);
      } catch (error) {
        if (!(error instanceof StatesError)) throw error;
        const retrier = state.Retry?.find(r => matches(r.ErrorEquals, error.error));
        if (!retrier) throw error;
        const done = attempts.get(retrier) ?? 0;
        if (done >= (retrier.MaxAttempts ?? 3)) throw error;
        attempts.set(retrier, done + 1);
        const seconds = Math.min((retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** done, retrier.MaxDelaySeconds ?? Infinity);
        await sleep(seconds * 1000 * this.options.intervalScale);
      }
    }
  }

  private async invokeTask(functionArn: string, input: unknown): Promise<unknown> {
    let response: InvokeResponse;
    try {
      response = await this.options.invoke(functionArn, input);
    } catch (error) {
      throw new StatesError(`Lambda.${(error as Error).name ?? 'Unknown'}`, String((error as Error).message ?? error));
    }
    const text = new TextDecoder().decode(response.Payload);
    if (response.FunctionError) {
      const payload = JSON.parse(text) as { errorType?: string };
      throw new StatesError(payload.errorType ?? 'Error', text);
    }
    return text ? JSON.parse(text) : null;
  }
}

/** A Wait state's seconds: fixed, or read from the input at its SecondsPath (`$.Name` or `$.a.b`). */
function waitSeconds(state: State, input: unknown): number {
  if (state.Seconds !== undefined) return state.Seconds;
  const path = state.SecondsPath ?? '';
  if (!path.startsWith('$.')) throw new Error(`Wait state: Seconds or a SecondsPath of the form $.field is required, got ${JSON.stringify(state)}`);
  const value = path.slice(2).split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], input);
  if (typeof value !== 'number' || value < 0) {
    throw new StatesError('States.Runtime', `The SecondsPath parameter ${path} does not reference a valid non-negative number: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Whether a Retry or Catch rule's ErrorEquals covers the error name. */
function matches(errorEquals: string[], error: string): boolean {
  return errorEquals.some(name => name === error || name === 'States.ALL' || (name === 'States.TaskFailed' && error !== 'States.Timeout'));
}
