import { randomUUID } from 'crypto';
import * as path from 'path';
import { accessKeyIdFor } from './iam-policies';
import { LambdaSandbox } from './lambda-sandbox';

/** A function as the template defines it, with its code found in the cloud assembly. */
export interface LambdaFunctionDefinition {
  readonly arn: string;
  readonly functionName: string;
  readonly logicalId: string;
  /** The directory of the function's code asset. */
  readonly codeDirectory: string;
  /** `file.export`, e.g. `index.onEvent`. */
  readonly handler: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly runtime: string;
  /** The execution role: the function's calls are signed with credentials of this role. */
  readonly roleArn?: string;
  /**
   * The function's `LoggingConfig.ApplicationLogLevel` when its LogFormat is
   * JSON: Lambda drops application log lines below it. Undefined: every line is kept.
   */
  readonly applicationLogLevel?: string;
}

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** Whether Lambda would drop a line of this level for the function (below its ApplicationLogLevel). */
export function isBelowLogLevel(fn: LambdaFunctionDefinition, level: string): boolean {
  if (!fn.applicationLogLevel) return false;
  return LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(fn.applicationLogLevel.toUpperCase());
}

/** The parts of Lambda's Invoke request the local deploy honours. */
export interface InvokeRequest {
  readonly FunctionName?: string;
  readonly Payload?: string | Uint8Array;
}

/** Lambda's Invoke response, as the AWS SDK returns it. */
export interface InvokeResponse {
  readonly StatusCode: number;
  readonly ExecutedVersion: string;
  readonly Payload: Uint8Array;
  /** `Unhandled` when the function threw or timed out. */
  readonly FunctionError?: string;
}

/** Options of a {@link LambdaService}. */
export interface LambdaServiceOptions {
  readonly region: string;
  /** Variables every function gets, e.g. credentials and the endpoint override that points the SDK at the simulator. */
  readonly baseEnvironment: Record<string, string>;
  /** Receives every line a function logs. */
  readonly onLog: (fn: LambdaFunctionDefinition, level: string, text: string) => void;
  /** Runs when a function's execution environment has loaded its handler module (before the first invocation). */
  readonly onEnvironmentStarted?: (sandbox: LambdaSandbox, fn: LambdaFunctionDefinition, handlerFile: string) => void;
}

interface Environment {
  readonly sandbox: LambdaSandbox;
  readonly handler: (event: unknown, context: object) => unknown;
}

/**
 * Lambda, locally: runs the functions of the stack in process. Each function
 * gets one execution environment, created on its first invocation and kept
 * until the function is updated or deleted (a warm container).
 */
export class LambdaService {
  private readonly functions = new Map<string, LambdaFunctionDefinition>();
  private readonly environments = new Map<string, Environment>();

  public constructor(private readonly options: LambdaServiceOptions) {}

  /** Creates or updates a function; an update starts a fresh execution environment. */
  public register(fn: LambdaFunctionDefinition): void {
    this.functions.set(fn.arn, fn);
    this.environments.delete(fn.arn);
  }

  /** Deletes a function. */
  public unregister(arn: string): void {
    this.functions.delete(arn);
    this.environments.delete(arn);
  }

  /** The function a name, ARN or qualified ARN designates. */
  public find(nameOrArn: string): LambdaFunctionDefinition | undefined {
    const unqualified = nameOrArn.split(':').length > 7 ? nameOrArn.split(':').slice(0, 7).join(':') : nameOrArn;
    return this.functions.get(unqualified) ?? [...this.functions.values()].find(fn => fn.functionName === unqualified);
  }

  /** Invokes a function synchronously (RequestResponse), as `lambda.invoke` does. */
  public async invoke(request: InvokeRequest): Promise<InvokeResponse> {
    const fn = this.find(request.FunctionName ?? '');
    if (!fn) {
      const error = new Error(`Function not found: ${request.FunctionName}`);
      error.name = 'ResourceNotFoundException';
      throw error;
    }
    const requestId = randomUUID();
    const text = typeof request.Payload === 'string' ? request.Payload : new TextDecoder().decode(request.Payload ?? new Uint8Array());
    const event: unknown = text ? JSON.parse(text) : {};
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeout(requestId, fn.timeoutSeconds)), fn.timeoutSeconds * 1000);
    });
    try {
      const environment = this.environment(fn);
      const context = lambdaContext(fn, requestId, deadline);
      const result = await Promise.race([Promise.resolve().then(() => environment.handler(event, context)), timeout]);
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: encode(result === undefined ? null : result) };
    } catch (error) {
      const payload = errorPayload(error);
      this.options.onLog(fn, 'ERROR', `Invoke Error ${JSON.stringify(payload)}`);
      return { StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled', Payload: encode(payload) };
    } finally {
      clearTimeout(timer);
    }
  }

  private environment(fn: LambdaFunctionDefinition): Environment {
    const existing = this.environments.get(fn.arn);
    if (existing) return existing;
    const dot = fn.handler.lastIndexOf('.');
    const handlerFile = path.join(fn.codeDirectory, `${fn.handler.slice(0, dot)}.js`);
    const exportName = fn.handler.slice(dot + 1);
    const sandbox = new LambdaSandbox({
      env: {
        ...this.options.baseEnvironment,
        ...(fn.roleArn ? { AWS_ACCESS_KEY_ID: accessKeyIdFor(fn.roleArn), AWS_SESSION_TOKEN: `local-session-of-${fn.functionName}` } : {}),
        ...fn.environment,
        AWS_REGION: this.options.region,
        AWS_DEFAULT_REGION: this.options.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
        LAMBDA_TASK_ROOT: fn.codeDirectory,
      },
      writeLog: (level, text) => this.options.onLog(fn, level, text),
    });
    const exports = sandbox.load(handlerFile) as Record<string, unknown>;
    const handler = exports[exportName];
    if (typeof handler !== 'function') {
      throw Object.assign(new Error(`${fn.handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
    }
    this.options.onEnvironmentStarted?.(sandbox, fn, handlerFile);
    const environment: Environment = { sandbox, handler: handler as Environment['handler'] };
    this.environments.set(fn.arn, environment);
    return environment;
  }
}

/** What Lambda answers when a function runs past its timeout. */
class LambdaTimeout extends Error {
  public constructor(requestId: string, seconds: number) {
    super(`${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

function lambdaContext(fn: LambdaFunctionDefinition, requestId: string, deadline: number): object {
  return {
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** The payload Lambda's Node.js runtime returns for an unhandled error. */
function errorPayload(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as Error;
    return { errorType: e.name || 'Error', errorMessage: String(e.message), trace: (e.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
