import * as fs from 'fs';
import * as path from 'path';
import { CustomResourceDispatcher } from './custom-resource-dispatcher';
import { LambdaSandbox } from './lambda-sandbox';
import { LambdaFunctionDefinition, LambdaService } from './lambda-service';
import { StepFunctionsService } from './step-functions-service';

/** The mutable exports of the Provider framework's `outbound.js`, through which it reaches AWS. */
export interface FrameworkOutbound {
  invokeFunction: (request: { FunctionName?: string; Payload?: string }) => Promise<unknown>;
  startExecution: (request: { stateMachineArn?: string; input?: string; name?: string }) => Promise<unknown>;
  httpRequest: (options: { hostname?: string; path?: string; method?: string }, body: string) => Promise<void>;
}

/** The local services the framework's outbound calls are redirected to. */
export interface FrameworkServices {
  /** Invokes a Lambda function (the user's onEvent and isComplete handlers). */
  readonly invoke: LambdaService['invoke'];
  readonly stepFunctions: StepFunctionsService;
  readonly dispatcher: CustomResourceDispatcher;
}

/** Whether the function runs the CDK Provider framework (`framework.onEvent`, `framework.isComplete`, `framework.onTimeout`). */
export function isProviderFrameworkFunction(fn: LambdaFunctionDefinition, handlerFile: string): boolean {
  return fn.handler.startsWith('framework.') && fs.existsSync(path.join(path.dirname(handlerFile), 'outbound.js'));
}

/**
 * Connects the real Provider framework runtime (`framework.js` from the
 * synthesised asset, or from aws-cdk-lib) to the local services: once the
 * function's environment has loaded `framework.js`, the exports of the very
 * `outbound.js` module instance it required are replaced, so that
 * `invokeFunction` runs the user function locally, `startExecution` runs the
 * waiter state machine locally and `httpRequest` delivers the response to
 * CloudFormation's side.
 *
 * Returns a hook for {@link LambdaService}'s `onEnvironmentStarted`.
 */
export function connectProviderFramework(services: FrameworkServices): (sandbox: LambdaSandbox, fn: LambdaFunctionDefinition, handlerFile: string) => void {
  return (sandbox, fn, handlerFile) => {
    if (!isProviderFrameworkFunction(fn, handlerFile)) return;
    const outbound = sandbox.load(path.join(path.dirname(handlerFile), 'outbound.js')) as FrameworkOutbound;
    for (const name of ['invokeFunction', 'startExecution', 'httpRequest'] as const) {
      if (typeof outbound[name] !== 'function') throw new Error(`${handlerFile}: outbound.${name} not found; this Provider framework version is not supported`);
    }
    outbound.invokeFunction = request => services.invoke(request);
    outbound.startExecution = request => services.stepFunctions.startExecution(request);
    outbound.httpRequest = (options, body) => services.dispatcher.httpRequest(options, body);
  };
}
